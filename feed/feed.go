package feed

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"roost/federation"
	"roost/federation/vocab"
	"roost/feed/notifications"
	"roost/templates"
)

// Visibility values of a note, as Mastodon names them.
const (
	VisibilityPublic    = "public"    // everyone, listed on the public pages and feeds
	VisibilityUnlisted  = "unlisted"  // everyone with the link, kept off the front page, tags and feeds
	VisibilityFollowers = "followers" // accepted followers only
	VisibilityDirect    = "direct"    // the mentioned people only
)

// MaxMedia is how many images a note may carry (Mastodon's limit, which
// clients assume).
const MaxMedia = 4

// DefaultNoteLimit is the note length in characters when Config.NoteLimit is 0.
const DefaultNoteLimit = 500

var (
	// ErrNotFound means no note has that id.
	ErrNotFound = federation.ErrNotFound
	// ErrGone means the note existed and was deleted.
	ErrGone = federation.ErrGone
	// ErrImageTooLarge is what SaveImage wraps when an upload exceeds the
	// size limit; upload handlers answer 413.
	ErrImageTooLarge = errors.New("image too large")
	// ErrNotAnImage is what SaveImage wraps when an upload is not an image
	// the site can read; upload handlers answer 400.
	ErrNotAnImage = errors.New("not an image")
)

// Note is one of the owner's notes.
type Note struct {
	ID             int64
	Text           string // as the owner typed it
	HTML           string // rendered when saved
	ContentWarning string
	Visibility     string
	InReplyTo      string
	Language       string
	Media          []Media
	Tags           []string // lowercase, without '#'
	Mentions       []Mention
	Created        time.Time
	Updated        time.Time // zero when never edited
	Likes          int
	Boosts         int
	Replies        int
	URL            string // also the ActivityStreams id
	// Poll makes the note a poll, published as a Question.
	Poll *Poll
	// QuoteOf is the object id of the post the note quotes.
	QuoteOf string
	// QuotePolicy is who may quote the note (vocab.QuotePolicyPublic,
	// ...). QuoteState is where the note's own quote stands (QuotePending
	// until the quoted author answers; empty for a quote that needed no
	// answer), and QuoteAuthorization the stamp the quoted author gave.
	QuotePolicy, QuoteState, QuoteAuthorization string
}

// Media is an image attached to a note.
type Media struct {
	URL, PreviewURL, MediaType, Alt, Blurhash string
	Width, Height                             int
}

// Mention is a person named in a note's text.
type Mention struct {
	ActorID string
	Handle  string // "@user@host" or "@domain.tld" as typed
	Href    string // the profile page linked from the text
}

// NoteInput is what the owner writes; Create and Update take it.
type NoteInput struct {
	Text, ContentWarning, Visibility, InReplyTo, Language string
	Media                                                 []Media
	Created                                               time.Time // zero means now
	// Poll attaches a poll to a new note; edits keep the poll as it is.
	Poll *PollInput
	// QuoteOf quotes a post (its object id) in a new note; edits keep the
	// quote as it is.
	QuoteOf string
	// QuotePolicy is who may quote the note; empty takes the site's
	// default for a new note and keeps the old one in an edit.
	QuotePolicy string
	// Quiet stores a new note without sending it to anyone, streaming it or
	// looking up its mentions: an import of posts written long ago.
	Quiet bool
}

// Owner is the profile shown on the front page.
type Owner struct {
	// Handle is the short form (@domain), LongHandle @user@domain.
	Name, Handle, LongHandle, BioHTML, AvatarURL, HeaderURL string
	Fields                                                  []Field
	MovedTo                                                 string // the account the owner moved to
}

// Field is one of the owner's profile fields: a label and its value, which
// may be a link or plain text ("Pronouns: she/her").
type Field struct {
	Name, Value string
}

// ArticleSummary is a blog article as the front page and the combined feeds
// show it.
type ArticleSummary struct {
	ID, Title, URL, Summary, HTML string
	Tags                          []string
	Published, Updated            time.Time
}

// ArticleSource lists the latest published articles (the blog room, adapted
// by cmd/roost).
type ArticleSource interface {
	LatestArticles(ctx context.Context, n int) ([]ArticleSummary, error)
}

// publisher queues the owner's activities in the transaction of the change
// they announce (the federation room's transactional outbox).
type publisher interface {
	Publish(ctx context.Context, tx *sql.Tx, activity vocab.OutActivity, to federation.Audience) error
}

// Config is everything the feed room gets from cmd/roost.
type Config struct {
	DB *sql.DB
	// BaseURL is the site's origin without a trailing slash, e.g. https://alice.com.
	BaseURL      string
	ActorID      string
	FollowersURL string
	// NoteLimit is the longest note in characters; 0 means DefaultNoteLimit.
	NoteLimit int
	// MaxUploadBytes caps a whole composer form; 0 means 64 MiB.
	MaxUploadBytes int64
	Page           func(r *http.Request, title string) templates.Page
	// SaveImage stores an uploaded image; its errors wrap ErrImageTooLarge
	// or ErrNotAnImage when the upload is at fault.
	SaveImage func(ctx context.Context, r io.Reader, alt string) (Media, error)
	// PendingImage finds an image SaveImage stored by its URL: the images
	// of a composer form that came back with an error, posted when it is
	// sent again. Nil refuses them.
	PendingImage func(ctx context.Context, url string) (Media, error)
	Publisher    publisher
	// ResolveMention turns a typed handle ("@bob@example.com" or
	// "@friend.com") into an actor id and a profile URL. When nil, or when it
	// fails, the handle stays plain text.
	ResolveMention func(ctx context.Context, handle string) (actorID, profileURL string, err error)
	Articles       ArticleSource
	Profile        func(ctx context.Context) (Owner, error)
	// Follows reports whether the owner follows an actor (the contacts
	// room); posts and boosts by followed actors reach the home timeline.
	// When nil, nobody is followed.
	Follows func(ctx context.Context, actorID string) bool
	// IsFollower reports whether an actor follows the owner (accepted),
	// for notes only followers may quote. When nil, nobody does.
	IsFollower func(ctx context.Context, actorID string) bool
	// OnlyFollowedNotify tells whether the owner chose to be notified only
	// by accounts they follow (follows, follow requests and reports still
	// notify). Nil: everyone notifies, strangers collapsed.
	OnlyFollowedNotify func() bool
	// GroupMembers lists the actor ids in one of the owner's groups, for
	// /home?group=NAME. When nil, the group parameter is ignored.
	GroupMembers func(ctx context.Context, group string) ([]string, error)
	// FetchObject and FetchActor read a post or an actor from its server
	// (the federation service's methods). The thread view uses them to load
	// the posts of a conversation that never reached the site; when
	// FetchObject is nil it shows what is stored.
	FetchObject func(ctx context.Context, id string) (*vocab.Object, error)
	FetchActor  func(ctx context.Context, id string, refresh bool) (*vocab.Actor, error)
	// FetchCollection reads a replies collection or page from its server,
	// so a thread view finds replies that never reached the site; nil
	// leaves them out.
	FetchCollection func(ctx context.Context, id string) (*vocab.Collection, error)
	// FindPeople lists the known accounts matching what the owner typed
	// into the search page (the contacts room); nil finds the authors of
	// the posts the feed keeps.
	FindPeople func(ctx context.Context, q string, limit int) ([]Author, error)
	// Queries runs the timelines' reads; the root passes a cache of
	// prepared statements. Nil prepares each query afresh.
	Queries Queries
	// NextID hands out the site's arrival-ordered ids (see ids.go); nil
	// uses a sequence of the room's own.
	NextID func() int64
	Now    func() time.Time
	// Defaults is what a new note gets when nothing chose its visibility or
	// language (the site's settings). Nil means public, no language.
	Defaults func() PostingDefaults
	// Cards looks up link preview cards for the pages; nil shows none.
	Cards CardSource
	// InteractionURL finds the page on a visitor's server where the handle
	// they typed follows uri (the federation service's WebFinger lookup).
	// Nil hides the front page's remote-follow box.
	InteractionURL func(ctx context.Context, handle, uri string) (string, error)
	// Webmentions tells the web pages a public note links to (the blog
	// room); nil tells none.
	Webmentions webmentionQueue
	// NoteWebmentions are what web pages said about a note by Webmention,
	// shown under it; nil shows none.
	NoteWebmentions func(ctx context.Context, noteURL string, owner bool) ([]templates.BlogComment, error)
}

// PostingDefaults are the site's choices for new notes.
type PostingDefaults struct {
	Visibility string // public, unlisted, followers or direct
	Language   string // BCP 47, or empty
	// QuotePolicy is who may quote a new note: public, followers or nobody.
	QuotePolicy string
}

// PostingDefaults are what a note gets when its author did not choose.
func (f *Feed) PostingDefaults() PostingDefaults {
	d := PostingDefaults{Visibility: VisibilityPublic}
	if f.cfg.Defaults != nil {
		d = f.cfg.Defaults()
	}
	switch d.Visibility {
	case VisibilityPublic, VisibilityUnlisted, VisibilityFollowers, VisibilityDirect:
	default:
		d.Visibility = VisibilityPublic
	}
	return d
}

// withDefaults fills what a new note's author left to the site.
func (f *Feed) withDefaults(in NoteInput) NoteInput {
	d := f.PostingDefaults()
	if strings.TrimSpace(in.Visibility) == "" {
		in.Visibility = d.Visibility
	}
	if strings.TrimSpace(in.Language) == "" {
		in.Language = d.Language
	}
	if in.QuotePolicy == "" {
		in.QuotePolicy = orPublic(d.QuotePolicy)
	}
	return in
}

// Queries runs reads. The pure-Go SQLite spends a large part of a timeline
// page parsing SQL when every query is prepared afresh, so the composition
// root hands over a prepared-statement cache.
type Queries interface {
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// QueryFunc adapts a plain query function, such as (*sql.DB).QueryContext,
// to Queries.
type QueryFunc func(ctx context.Context, q string, args ...any) (*sql.Rows, error)

func (f QueryFunc) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return f(ctx, q, args...)
}

// Feed is the microfeed room.
type Feed struct {
	cfg   Config
	db    *sql.DB
	base  string
	stmts Queries
	// notifications keeps what the owner is told about.
	notifications *notifications.Store
	// content caches what timelines show of notes and posts that only an
	// edit or a delete changes.
	content *contentCache
	// events is told about new, edited and deleted statuses and new
	// notifications (SetEvents).
	events Events
	// pollUpdates holds the ids of the owner's polls that got votes since
	// ClosePolls last sent their counts to followers.
	pollUpdates sync.Map
}

// New builds the room from its configuration.
func New(cfg Config) *Feed {
	if cfg.NoteLimit <= 0 {
		cfg.NoteLimit = DefaultNoteLimit
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = 64 << 20
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Page == nil {
		cfg.Page = func(_ *http.Request, title string) templates.Page { return templates.Page{Title: title} }
	}
	if cfg.Queries == nil {
		cfg.Queries = QueryFunc(cfg.DB.QueryContext)
	}
	if cfg.NextID == nil {
		cfg.NextID = (&clockIDs{now: cfg.Now}).next
	}
	return &Feed{cfg: cfg, db: cfg.DB, base: strings.TrimSuffix(cfg.BaseURL, "/"), events: noEvents{},
		stmts: cfg.Queries, content: newContentCache(),
		notifications: notifications.NewStore(cfg.DB)}
}

// NoteURL is a note's page and ActivityStreams id.
func (f *Feed) NoteURL(id int64) string { return f.base + "/notes/" + formatID(id) }

// TagURL is the page listing notes with a tag.
func (f *Feed) TagURL(tag string) string { return f.base + "/tags/" + tagPath(tag) }

func (f *Feed) now() time.Time { return f.cfg.Now() }
