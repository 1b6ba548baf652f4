package mastodon

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"roost/federation"
	"roost/federation/vocab"
	"roost/feed"
	"roost/feed/mastodon/push"
	"roost/feed/media"
	"roost/templates"
)

// Config is everything the API gets from cmd/roost. Only DB, BaseURL and Feed
// are required; a nil interface turns its endpoints into empty answers (or
// 422 for writes) rather than failures.
type Config struct {
	DB *sql.DB
	// Queries runs the reads every page makes (the marks of its statuses)
	// through prepared statements; nil prepares each afresh.
	Queries feed.Queries
	// BaseURL is the site's origin without a trailing slash.
	BaseURL string
	// Version is roost's version, shown in the instance's version string.
	Version string
	// ActorID is the owner's actor (BASE/actor when empty).
	ActorID string
	// NoteLimit is the longest note in characters (feed.DefaultNoteLimit when 0).
	NoteLimit int
	// MaxUploadBytes is the media size limit announced to apps.
	MaxUploadBytes int64

	Feed  *feed.Feed
	Media *media.Store
	// Remote is the feed room's store of other people's posts, reactions and
	// notifications. Nil limits the API to the owner's own notes.
	Remote Remote
	Social Social
	// People finds known accounts for account search; nil finds only
	// the owner and, with resolve, what Resolve fetches.
	People People
	// Lists are the contacts room's groups; nil leaves apps with no lists.
	Lists    Lists
	Articles Articles

	// Resolve turns what the owner typed (@user@host, @domain, a URL) into an
	// actor, fetching it when needed.
	Resolve func(ctx context.Context, input string) (*vocab.Actor, error)
	// FetchObject fetches a remote post by its id (search with resolve=true).
	FetchObject func(ctx context.Context, id string) (*vocab.Object, error)
	// CheckPassword returns an error unless password, sent with r, is the
	// owner's; it limits wrong guesses by r's address.
	CheckPassword func(r *http.Request, password string) error
	// IsOwner tells whether the browser request carries the owner's session.
	IsOwner func(*http.Request) bool
	// Page fills the frame of the authorize and settings pages.
	Page func(r *http.Request, title string) templates.Page
	// Profile and SaveProfile read and write the owner's profile
	// (verify_credentials, update_credentials).
	Profile     func(ctx context.Context) (federation.Profile, error)
	SaveProfile func(ctx context.Context, p federation.Profile) error
	// SetPostingDefaults stores the default visibility and language apps
	// set with source[privacy] and source[language] (the site settings);
	// nil ignores them. Its *feed.ValidationError is shown to the app.
	SetPostingDefaults func(ctx context.Context, d feed.PostingDefaults) error
	// RenderBio turns the owner's Markdown bio into HTML (plain paragraphs
	// when nil).
	RenderBio func(markdown string) (string, error)
	// ProxyMedia turns a remote avatar, header or attachment URL into the
	// site's media proxy URL for it, so that apps loading the image do not
	// reveal the owner to the remote server; local URLs come back as they
	// are. Nil shows every URL as it is.
	ProxyMedia func(url string) string
	// Cards looks up the link preview cards of statuses; nil leaves every
	// card null.
	Cards CardSource

	// PushClient sends Web Push messages to the endpoints apps register:
	// the site's guarded client, since an endpoint is any URL an app
	// chose. Nil sends none (subscriptions are still kept).
	PushClient *http.Client

	// Counts reads the sizes of a remote account's followers, following and
	// posts from its server (cached); nil shows 0 for each.
	Counts func(ctx context.Context, actorID string) (AccountCounts, error)
	// KnownCounts gives the counts Counts already fetched, without a fetch,
	// for the accounts of statuses; nil or false shows 0.
	KnownCounts func(actorID string) (AccountCounts, bool)

	// SiteToken verifies a bearer token made outside the API (`roost token
	// create`), returning its id and its scopes in the API's terms;
	// ErrNotFound for an unknown secret. Nil accepts the API's own tokens
	// alone.
	SiteToken func(ctx context.Context, secret string) (id int64, scopes []string, err error)

	// RateLimit is how many requests per second one token may make on
	// average, with bursts of 10 times as many; 0 means 30, below 0 no limit.
	RateLimit float64
	Now       func() time.Time
	// OtherTokens lists the site's other tokens (IndieAuth sign-ins and
	// `roost token create`) for /settings/apps, each with an ID that
	// RevokeOtherToken takes; nil lists Mastodon apps only.
	OtherTokens      func(ctx context.Context) ([]templates.OAuthApp, error)
	RevokeOtherToken func(ctx context.Context, id string) error
}

// API serves the Mastodon client API.
type API struct {
	cfg    Config
	db     *sql.DB
	domain string
	hub    *hub
	push   *push.Service

	tokens   tokenCache
	limiter  *limiter
	mediaIDs sync.Map // attachment URL → media id
	acctIDs  sync.Map // actor id → numeric account id
	// filterCache keeps the owner's compiled filters between requests.
	filterCache filterCache

	ownerMu    sync.Mutex
	ownerCache *cachedOwner
	// homePages keeps rendered home timeline pages for a moment.
	homePages homeCache
	// ownerRefreshing is set while one request rebuilds a stale ownerCache.
	ownerRefreshing bool

	// dueMu keeps two PublishDue calls from posting the same status twice.
	dueMu sync.Mutex

	// afterTokenRead, when set by a test, runs between reading a token from
	// the table and caching it: the window a revocation can race into.
	afterTokenRead func()
}

// New checks the configuration and builds the API.
func New(cfg Config) (*API, error) {
	if cfg.DB == nil || cfg.BaseURL == "" || cfg.Feed == nil {
		return nil, errors.New("mastodon: DB, BaseURL and Feed are required")
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.ActorID == "" {
		cfg.ActorID = cfg.BaseURL + "/actor"
	}
	if cfg.NoteLimit <= 0 {
		cfg.NoteLimit = feed.DefaultNoteLimit
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = media.DefaultMaxBytes
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit = 30
	}
	if cfg.Queries == nil {
		cfg.Queries = feed.QueryFunc(cfg.DB.QueryContext)
	}
	a := &API{cfg: cfg, db: cfg.DB, hub: newHub()}
	a.domain = hostOf(cfg.BaseURL)
	if cfg.RateLimit > 0 {
		a.limiter = newLimiter(cfg.RateLimit, cfg.RateLimit*10)
	}
	if err := a.recordOwnerActor(context.Background()); err != nil {
		return nil, fmt.Errorf("mastodon: %w", err)
	}
	var err error
	a.push, err = push.New(context.Background(), push.Config{DB: cfg.DB, Client: cfg.PushClient,
		Subscriber: vapidSubscriber(cfg.BaseURL, a.domain), Now: cfg.Now})
	if err != nil {
		return nil, fmt.Errorf("mastodon: %w", err)
	}
	return a, nil
}

func hostOf(base string) string {
	h := base
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	return strings.TrimSuffix(h, "/")
}

// Routes registers every endpoint. ownerOnly guards the owner's settings
// pages; the API itself is guarded by bearer tokens.
func (a *API) Routes(mux Mux, ownerOnly func(http.Handler) http.Handler) {
	a.oauthRoutes(mux, ownerOnly)
	a.instanceRoutes(mux)
	a.accountRoutes(mux)
	a.relationRoutes(mux)
	a.statusRoutes(mux)
	a.pollRoutes(mux)
	a.timelineRoutes(mux)
	a.notificationRoutes(mux)
	a.searchRoutes(mux)
	a.mediaRoutes(mux)
	a.streamingRoutes(mux)
	a.pushRoutes(mux)
	a.listRoutes(mux)
	a.filterRoutes(mux)
	a.markerRoutes(mux)
	a.scheduledRoutes(mux)
	a.conversationRoutes(mux)
	a.tagRoutes(mux)
	a.stubRoutes(mux)
	// Anything else under /api/ is a JSON 404, which is how apps detect an
	// endpoint that this server does not have (Tusky falls back to v1 on it).
	// A path with a trailing slash that no route has is tried without it
	// first: Rails ignores the slash, and Mastodon.py asks for
	// /api/v1/conversations/.
	mux.Handle("/api/", a.cors(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if trimmed := strings.TrimRight(r.URL.Path, "/"); trimmed != r.URL.Path && trimmed != "/api" {
			r2 := r.Clone(r.Context())
			r2.URL.Path, r2.URL.RawPath = trimmed, ""
			mux.ServeHTTP(w, r2)
			return
		}
		writeError(w, http.StatusNotFound, "Record not found")
	})))
}

// handle registers an authenticated endpoint needing scope ("" for any
// valid token, or none at all when public is true).
func (a *API) handle(mux Mux, pattern, scope string, h func(w http.ResponseWriter, r *http.Request, t *token)) {
	// Any write through the API may change what the home timeline shows:
	// its cached pages go.
	write := !strings.HasPrefix(pattern, "GET ")
	mux.Handle(pattern, &endpoint{a: a, scope: scope, write: write, h: h})
}

// handlePublic registers an endpoint that answers without a token too (the
// instance, public timelines, accounts); t is nil then. A token that is
// sent must carry scope, as Mastodon requires: the owner's token sees
// private posts here, so one made for pushes or posting alone must not.
func (a *API) handlePublic(mux Mux, pattern, scope string, h func(w http.ResponseWriter, r *http.Request, t *token)) {
	mux.Handle(pattern, &endpoint{a: a, scope: scope, public: true, h: h})
}
