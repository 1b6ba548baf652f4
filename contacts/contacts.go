package contacts

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"roost/federation"
	"roost/federation/vocab"
	"roost/templates"
)

// ErrNotFound is returned when a contact or relationship does not exist.
var ErrNotFound = errors.New("contacts: not found")

// ErrSelf is returned when the owner tries to follow or block themselves.
var ErrSelf = errors.New("contacts: that is you")

// ErrBlocked is returned when the account or its domain is blocked.
var ErrBlocked = errors.New("contacts: blocked")

// ErrFeedOnly says that what the owner typed leads to a site with
// syndication feeds but no fediverse actor, and that subscribing to them
// failed (Err says why); it carries the feeds that were found so the page
// can show them.
type ErrFeedOnly struct {
	Input string
	Feeds []string
	Err   error
}

func (e *ErrFeedOnly) Error() string {
	return fmt.Sprintf("contacts: %s has feeds (%s) but no fediverse account: %v", e.Input, strings.Join(e.Feeds, ", "), e.Err)
}

func (e *ErrFeedOnly) Unwrap() error { return e.Err }

// ResolveError says that what the owner typed could not be turned into an
// account; Tried lists each step that was attempted, in order, for the page.
type ResolveError struct {
	Input string
	Tried []string
	Err   error
}

func (e *ResolveError) Error() string {
	return fmt.Sprintf("contacts: resolve %q: %v", e.Input, e.Err)
}

func (e *ResolveError) Unwrap() error { return e.Err }

// network is what the contacts room needs from the federation room:
// turning typed handles into actors, fetching actors, and sending activities.
type network interface {
	Resolve(ctx context.Context, input string) (*federation.Resolution, error)
	FetchActor(ctx context.Context, id string, refresh bool) (*vocab.Actor, error)
	// Publish queues an activity in the transaction of the change it
	// announces (the federation room's transactional outbox).
	Publish(ctx context.Context, tx *sql.Tx, act vocab.OutActivity, to federation.Audience) error
	ActorID() string
}

// Config is what the composition root hands the contacts room.
type Config struct {
	DB *sql.DB
	// BaseURL is the site's origin without a trailing slash; the ids of the
	// owner's Follow and Block activities live under it.
	BaseURL string
	Network network
	// ManuallyApproves tells whether new followers wait for the owner's
	// approval (the profile's "locked" setting). Nil means never.
	ManuallyApproves func(context.Context) bool
	// SetManuallyApproves stores that setting (the root keeps it in the
	// profile). Nil hides the setting.
	SetManuallyApproves func(context.Context, bool) error
	Page                func(*http.Request, string) templates.Page
	Now                 func() time.Time

	// HTTPClient fetches subscribed feeds; it should be the federation
	// room's guarded client, which refuses private addresses.
	HTTPClient *http.Client
	// ItemArrived receives each new feed item, sanitized, for the home
	// timeline. Nil drops them (they are still kept for the contact page).
	ItemArrived func(ctx context.Context, it FeedItem) error
	// FetchJSON fetches an ActivityStreams document (signed, as some servers
	// require) for the recent posts of a contact page. Nil shows none.
	FetchJSON func(ctx context.Context, url string) ([]byte, error)
	// FeedConcurrency is how many feeds are fetched at once (default 4).
	FeedConcurrency int
	// Hide is told when the owner blocks or mutes an account (actorID) or
	// blocks a server (domain), so that what already arrived from them
	// leaves the timelines too. Nil leaves past posts in place.
	Hide func(ctx context.Context, actorID, domain string)
}

// Contacts is the contacts room.
type Contacts struct {
	db          *sql.DB
	base        string
	net         network
	approves    func(context.Context) bool
	setApproves func(context.Context, bool) error
	page        func(*http.Request, string) templates.Page
	now         func() time.Time

	client      *http.Client
	itemArrived func(ctx context.Context, it FeedItem) error
	fetchJSON   func(ctx context.Context, url string) ([]byte, error)
	pollers     int
	polling     atomic.Bool // a PollFeeds round is running
	outboxes    *outboxCache
	jobs        *jobs // background imports, stopped by Run
	hide        func(ctx context.Context, actorID, domain string)
}

// New builds the room. The database must carry Migrations. Imports that an
// earlier process left unfinished are marked interrupted here; the room's
// background work runs in Run.
func New(cfg Config) *Contacts {
	c := &Contacts{
		db:       cfg.DB,
		base:     strings.TrimSuffix(cfg.BaseURL, "/"),
		net:      cfg.Network,
		approves: cfg.ManuallyApproves,
		page:     cfg.Page,
		now:      cfg.Now,

		setApproves: cfg.SetManuallyApproves,
		client:      cfg.HTTPClient,
		itemArrived: cfg.ItemArrived,
		fetchJSON:   cfg.FetchJSON,
		pollers:     cfg.FeedConcurrency,
		outboxes:    newOutboxCache(),
		jobs:        newJobs(),
		hide:        cfg.Hide,
	}
	if c.hide == nil {
		c.hide = func(context.Context, string, string) {}
	}
	if c.client == nil {
		c.client = &http.Client{Timeout: feedTimeout}
	}
	if c.pollers <= 0 {
		c.pollers = 4
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.approves == nil {
		c.approves = func(context.Context) bool { return false }
	}
	c.interruptStaleImports()
	return c
}

// newID mints the id of an activity the owner sends, under BASE/kind/.
func (c *Contacts) newID(kind string) string {
	return c.base + "/" + kind + "/" + strings.ToLower(rand.Text())
}

// ownerID is the owner's actor id.
func (c *Contacts) ownerID() string { return c.net.ActorID() }

// publish queues an activity from the owner to one actor in tx, the
// transaction of the change it announces.
func (c *Contacts) publish(ctx context.Context, tx *sql.Tx, act vocab.OutActivity, to string) error {
	act.Actor = c.ownerID()
	act.To = []string{to}
	act.Published = c.now()
	if err := c.net.Publish(ctx, tx, act, federation.Audience{Actors: []string{to}}); err != nil {
		return fmt.Errorf("publish %s: %w", act.Type, err)
	}
	return nil
}

// inTx runs write in one transaction, committed when it returns nil.
func (c *Contacts) inTx(ctx context.Context, write func(tx *sql.Tx) error) error {
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := write(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// embeddedFollow is a Follow as it is embedded in an Undo, Accept or
// Reject. Mastodon matches the answer to its request by the Follow's id, so
// the id must be the original one; actor and object let peers that do not
// keep the id (some relays, older Pleroma) match by the pair instead.
func embeddedFollow(id, actor, object string) vocab.OutActivity {
	return vocab.OutActivity{ID: id, Type: vocab.TypeFollow, Actor: actor, Object: object}
}
