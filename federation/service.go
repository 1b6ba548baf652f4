package federation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"roost/federation/httpsig"
)

// Config is what the composition root hands the federation room.
type Config struct {
	DB      *sql.DB
	BaseURL string // the site's origin, e.g. https://alice.com (no trailing slash)
	Version string

	// RequireSignedFetch answers ActivityPub GETs only when they carry a
	// valid signature from a server that is not blocked (authorized fetch;
	// see signed_fetch.go).
	RequireSignedFetch bool

	// AllowPrivate lifts the SSRF guard (development sites and tests).
	AllowPrivate bool
	// DialContext, when set, replaces the dialer (tests map host names to
	// loopback listeners with it). The SSRF guard still checks the address
	// it connected to unless AllowPrivate.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)

	Profiles *Profiles
	// ClientAPI names the client API the site offers (Mastodon's), which
	// NodeInfo's metadata announces: apps such as Whalebird detect the
	// server's kind from NodeInfo and refuse a software name they do not
	// know unless metadata.upstream names one they do.
	ClientAPI ClientAPI
	// RenderBio turns the owner's Markdown bio into the actor's summary
	// HTML. The root plugs in the site's Markdown renderer, which lives with
	// the templates, so that this room depends on nothing of the page layer.
	// Nil, or an error, gives the bio escaped in one paragraph.
	RenderBio func(markdown string) (string, error)

	Follows   FollowHandler
	Posts     PostHandler
	Reactions ReactionHandler
	Audience  AudienceProvider
	Gate      Gatekeeper
	Outbox    OutboxSource

	Now func() time.Time
	// Workers is the size of the delivery worker pool (default 8).
	Workers int
	// InboxWorkers is how many incoming activities are processed at once
	// (default 4). Each actor's activities go to one worker, in order.
	InboxWorkers int
	// InboxBudget bounds how much one actor and one server may deliver
	// (zero: DefaultInboxBudget).
	InboxBudget InboxBudget
	// FollowsActor tells whether the owner follows an actor; followed actors
	// get the larger inbox budget. Nil: nobody is followed.
	FollowsActor func(ctx context.Context, actorID string) bool
	// OwnPost tells whether an IRI is one of the owner's posts (a note or
	// an article that exists and is not a direct message): a public reply
	// to it is forwarded to the owner's followers. Nil: any IRI on the
	// site's origin counts.
	OwnPost func(ctx context.Context, iri string) bool
	// RetryBase is the first retry delay of a failed delivery (default 30s);
	// each further attempt doubles it.
	RetryBase time.Duration
}

// ClientAPI is a client API and the version of it the site speaks.
type ClientAPI struct {
	Name, Version string
}

// Service is the federation room.
type Service struct {
	cfg  Config
	base string // BaseURL without trailing slash
	host string // host[:port] of BaseURL

	// ownerKeys sign deliveries; instanceKeys sign the site's GETs, as the
	// instance actor. Both are loaded on first use (key_ring.go).
	ownerKeys    *lazyKey
	instanceKeys *lazyKey
	// proofKeys sign the object integrity proofs of the owner's
	// activities (proofs.go).
	proofKeys *proofKey

	client   *http.Client
	verifier *httpsig.Verifier
	// sigSchemes remembers which signature scheme each peer accepts.
	sigSchemes signatureSchemes

	mu       sync.RWMutex
	handlers handlers

	actors *actorCache
	// keyFetches rations fetching signers' keys (key_fetches.go).
	keyFetches *keyFetches
	budgets    inboxBudgets
	counts     actorCounts
	docs       docCache
	wake       chan struct{}
	// outboxWake tells the expansion loop that an activity was published.
	outboxWake chan struct{}
	// inboxWake tells the inbox workers that an activity was accepted
	// without being handed to them.
	inboxWake chan struct{}
	accepts   acceptGroup
	// handoff carries activities from the inbox, already leased to the
	// running workers, straight to them (see inbox_handoff.go).
	handoff handoff
	// onWork, when set, hears of every wake-up (work_steps.go).
	onWork atomic.Pointer[func(Work)]
	// queued keeps the times activities are published at strictly
	// increasing (delivery_order.go).
	queued publishClock
}

type handlers struct {
	follows   FollowHandler
	posts     PostHandler
	reactions ReactionHandler
	audience  AudienceProvider
	gate      Gatekeeper
	outbox    OutboxSource
	profiles  ProfileHandler
	quotes    QuoteHandler
}

// New builds the service; the site's key pairs are read (or made) when
// first needed.
func New(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.DB == nil {
		return nil, errors.New("federation: no database")
	}
	u, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("federation: base URL %q is not an http(s) origin", cfg.BaseURL)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 8
	}
	if cfg.InboxWorkers <= 0 {
		cfg.InboxWorkers = 4
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = 30 * time.Second
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	s := &Service{
		cfg:    cfg,
		base:   u.Scheme + "://" + u.Host,
		host:   u.Host,
		actors: newActorCache(4096),

		keyFetches: newKeyFetches(),
		budgets:    newInboxBudgets(cfg.InboxBudget),
		wake:       make(chan struct{}, 1),

		outboxWake: make(chan struct{}, 1),
		inboxWake:  make(chan struct{}, 1),
	}
	if cfg.Profiles == nil {
		s.cfg.Profiles = NewProfiles(cfg.DB)
	}
	if err := s.cfg.Profiles.Ensure(ctx, u.Hostname(), cfg.Now()); err != nil {
		return nil, fmt.Errorf("federation: %w", err)
	}
	s.ownerKeys = ownerKey(cfg.DB, cfg.Now)
	s.instanceKeys = instanceKey(cfg.DB)
	s.proofKeys = &proofKey{db: cfg.DB}
	if _, err := s.proofKeys.get(ctx); err != nil {
		return nil, fmt.Errorf("federation: %w", err)
	}
	s.client = s.newClient()
	s.verifier = &httpsig.Verifier{Resolve: s.resolveKey, Now: cfg.Now}
	s.SetHandlers(cfg.Follows, cfg.Posts, cfg.Reactions, cfg.Audience, cfg.Gate, cfg.Outbox)
	return s, nil
}

// SetHandlers connects the rooms once they are built; any may be nil, and
// the activities meant for a nil handler are accepted and ignored.
func (s *Service) SetHandlers(f FollowHandler, p PostHandler, r ReactionHandler, a AudienceProvider, g Gatekeeper, o OutboxSource) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers = handlers{follows: f, posts: p, reactions: r, audience: a, gate: g, outbox: o, profiles: s.handlers.profiles, quotes: s.handlers.quotes}
}

// SetProfileHandler connects the rooms that keep snapshots of remote
// actors; nil stops telling them.
func (s *Service) SetProfileHandler(p ProfileHandler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers.profiles = p
}

func (s *Service) h() handlers {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.handlers
}

func (s *Service) now() time.Time { return s.cfg.Now() }

// ActorID is the owner's actor: BASE/actor.
func (s *Service) ActorID() string { return s.base + "/actor" }

// KeyID names the actor's key, the keyId of every signature roost makes.
func (s *Service) KeyID() string { return s.ActorID() + "#main-key" }

// ProofKeyID names the actor's Ed25519 key, the verificationMethod of the
// object integrity proofs roost makes (published in assertionMethod).
func (s *Service) ProofKeyID() string { return s.ActorID() + "#ed25519-key" }

// ProfileURL is the human-readable profile: the domain itself.
func (s *Service) ProfileURL() string { return s.base + "/" }

// FollowersURL is the followers collection.
func (s *Service) FollowersURL() string { return s.ActorID() + "/followers" }

// FollowingURL is the following collection.
func (s *Service) FollowingURL() string { return s.ActorID() + "/following" }

// InboxURL is the actor's own inbox.
func (s *Service) InboxURL() string { return s.ActorID() + "/inbox" }

// SharedInboxURL is the site-wide inbox peers deliver public posts to.
func (s *Service) SharedInboxURL() string { return s.base + "/inbox" }

// OutboxURL is the outbox collection.
func (s *Service) OutboxURL() string { return s.ActorID() + "/outbox" }

// FeaturedURL is the collection of pinned posts.
func (s *Service) FeaturedURL() string { return s.ActorID() + "/featured" }

// Host is the site's host (with the port, if the base URL names one).
func (s *Service) Host() string { return s.host }

// Handle is the owner's address, "username@host".
func (s *Service) Handle() string {
	pr, err := s.cfg.Profiles.Get(context.Background())
	if err != nil || pr.Username == "" {
		return s.defaultUsername() + "@" + s.host
	}
	return pr.Username + "@" + s.host
}

func (s *Service) defaultUsername() string {
	host, _, err := net.SplitHostPort(s.host)
	if err != nil {
		return s.host
	}
	return host
}

// Routes mounts the ActivityPub and discovery endpoints.
func (s *Service) Routes(mux Mux) {
	mux.HandleFunc("GET /actor", s.serveActorPath)
	mux.HandleFunc("GET "+instanceActorPath, s.serveInstanceActor)
	mux.HandleFunc("GET /actor/outbox", s.serveOutbox)
	mux.HandleFunc("GET /actor/followers", s.serveFollowers)
	mux.HandleFunc("GET /actor/following", s.serveFollowing)
	mux.HandleFunc("GET /actor/featured", s.serveFeatured)
	mux.HandleFunc("POST /actor/inbox", s.serveInbox)
	mux.HandleFunc("POST /inbox", s.serveInbox)
	mux.HandleFunc("GET /.well-known/webfinger", s.serveWebFinger)
	mux.HandleFunc("GET /.well-known/host-meta", s.serveHostMetaXML)
	mux.HandleFunc("GET /.well-known/host-meta.json", s.serveHostMetaJSON)
	mux.HandleFunc("GET /.well-known/nodeinfo", s.serveNodeInfoLinks)
	mux.HandleFunc("GET /nodeinfo/{version}", s.serveNodeInfo)
}
