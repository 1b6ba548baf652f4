package blog

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"roost/templates"
	"roost/templates/syndication"
)

// ErrImageTooLarge and ErrNotAnImage are what Config.SaveImage must wrap
// (with %w) when it refuses an upload, so the editor can answer 413 or 415
// with a message the owner understands.
var (
	ErrImageTooLarge = errors.New("image too large")
	ErrNotAnImage    = errors.New("not an image")
)

// Config is everything the blog needs from the composition root.
type Config struct {
	DB *sql.DB
	// BaseURL is the site's origin without a trailing slash, e.g.
	// https://alice.example.
	BaseURL string
	// ActorID and FollowersURL address the owner's activities.
	ActorID, FollowersURL string
	// Page fills the site frame for a request (site name, owner or not).
	Page func(r *http.Request, title string) templates.Page
	// SaveImage stores an uploaded image and returns its public URL. A
	// refusal may carry a Reason() string method: the plain words (with the
	// site's limits) the owner is shown.
	SaveImage func(ctx context.Context, r io.Reader, alt string) (url string, err error)
	// Publisher sends activities to followers; nil keeps the blog local.
	Publisher publisher
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// PageSize is the number of posts on an index page; 0 means 10.
	PageSize int
	// Queries runs the pages' reads; nil prepares each query afresh.
	Queries Queries
	// NextID hands out the site's arrival-ordered ids, shared with the
	// feed so articles and notes sort together in apps; nil uses the
	// blog's own clock sequence.
	NextID func() int64
	// CommentAdded hears of each new comment once, after it is stored (the
	// root tells the owner); a redelivered reply is not new. Nil ignores.
	CommentAdded func(ctx context.Context, c Comment)
	// Location is the site's time zone: the editor shows and reads publish
	// times in it. Nil means UTC.
	Location func() *time.Location
	// HoldComments says whether new comments wait for the owner's approval
	// (a site setting). Nil shows them at once.
	HoldComments func() bool
	// BlockAuthor blocks a comment's author, the way the contacts block
	// an account. Nil hides the Block button.
	BlockAuthor func(ctx context.Context, actorID string) error
	// FetchPage fetches Webmention sources; nil refuses Webmentions.
	FetchPage FetchPage
	// WebClient is the guarded client Webmentions are sent through (no
	// private addresses unless the site allows them); nil sends none.
	WebClient *http.Client
	// UserAgent names the site in Webmention requests; " Webmention" is
	// added, so the pages it links to can tell these requests from others.
	// Empty means "roost (+BaseURL/)".
	UserAgent string
	// SendRetry is the first wait before a failed Webmention send is tried
	// again, doubling after each failure; 0 means a minute.
	SendRetry time.Duration
	// NoteTarget tells whether a URL is one of the owner's notes that takes
	// Webmentions, and gives its canonical URL. Nil takes none.
	NoteTarget func(ctx context.Context, rawURL string) (noteURL string, ok bool)
}

// Blog is the room: its store, handlers and publishing.
type Blog struct {
	db           *sql.DB
	baseURL      string
	actorID      string
	followersURL string
	page         func(*http.Request, string) templates.Page
	saveImage    func(context.Context, io.Reader, string) (string, error)
	publisher    publisher
	clock        func() time.Time
	pageSize     int
	// stmts runs the public pages' reads, through prepared statements when
	// the root hands over a cache.
	stmts        Queries
	nextID       func() int64
	commentAdded func(context.Context, Comment)
	zone         func() *time.Location
	holdComments func() bool
	blockAuthor  func(context.Context, string) error

	excerpts excerptCache

	fetchPage    FetchPage
	webClient    *http.Client
	userAgent    string
	sendRetry    time.Duration
	noteTarget   func(context.Context, string) (string, bool)
	checksQueued queueSignal
	sendsQueued  queueSignal
	// onQueued is OnWebmentionQueued's hook.
	onQueued atomic.Pointer[func()]
	// checkLimit paces the fetches of Webmention sources.
	checkLimit *rate.Limiter

	idMu   sync.Mutex
	lastID int64
}

// New builds the blog room. The database must carry Migrations.
func New(c Config) *Blog {
	b := &Blog{
		db:           c.DB,
		baseURL:      strings.TrimRight(c.BaseURL, "/"),
		actorID:      c.ActorID,
		followersURL: c.FollowersURL,
		page:         c.Page,
		saveImage:    c.SaveImage,
		publisher:    c.Publisher,
		clock:        c.Now,
		pageSize:     c.PageSize,
		stmts:        c.Queries,
		nextID:       c.NextID,
		commentAdded: c.CommentAdded,
		zone:         c.Location,
		holdComments: c.HoldComments,
		blockAuthor:  c.BlockAuthor,
		fetchPage:    c.FetchPage,
		webClient:    c.WebClient,
		userAgent:    c.UserAgent,
		sendRetry:    c.SendRetry,
		noteTarget:   c.NoteTarget,
		checksQueued: newQueueSignal(),
		sendsQueued:  newQueueSignal(),
		checkLimit:   rate.NewLimiter(rate.Every(200*time.Millisecond), 10),
	}
	if b.userAgent == "" {
		b.userAgent = "roost (+" + b.baseURL + "/)"
	}
	b.userAgent += " Webmention"
	if b.sendRetry <= 0 {
		b.sendRetry = defaultSendRetry
	}
	if b.stmts == nil {
		b.stmts = plainQueries{c.DB}
	}
	if b.clock == nil {
		b.clock = time.Now
	}
	if b.pageSize <= 0 {
		b.pageSize = 10
	}
	if b.page == nil {
		b.page = func(_ *http.Request, title string) templates.Page { return templates.Page{Title: title} }
	}
	return b
}

// now is the clock truncated to seconds, the precision the tables keep, so
// that what was saved compares equal to what is read back.
func (b *Blog) now() time.Time { return b.clock().UTC().Truncate(time.Second) }

// location is the zone publish times are typed in.
func (b *Blog) location() *time.Location {
	if b.zone == nil {
		return time.UTC
	}
	return b.zone()
}

// Routes registers the blog's pages. Owner routes are wrapped with ownerOnly
// here, where they are registered.
//
// The edit and delete pages live under /blog/{slug}/edit and
// /blog/{slug}/delete, but ServeMux would reject those two patterns beside
// /blog/tags/{tag} (both match /blog/tags/edit and neither is more
// specific), so one pattern, /blog/{slug}/{action}, takes both and
// articleAction dispatches on the action.
func (b *Blog) Routes(mux Mux, ownerOnly func(http.Handler) http.Handler) {
	owner := func(h http.HandlerFunc) http.Handler { return ownerOnly(h) }

	mux.HandleFunc("GET /blog/{$}", b.showIndex)
	mux.HandleFunc("GET /blog/feed.atom", b.serveFeed(syndication.Atom))
	mux.HandleFunc("GET /blog/feed.rss", b.serveFeed(syndication.RSS))
	mux.HandleFunc("GET /blog/feed.json", b.serveFeed(syndication.JSONFeed))
	mux.HandleFunc("GET /blog/tags/{tag}", b.showTag)
	mux.HandleFunc("GET /blog/tags/{tag}/feed.atom", b.serveFeed(syndication.Atom))
	mux.HandleFunc("GET /blog/tags/{tag}/feed.rss", b.serveFeed(syndication.RSS))
	mux.HandleFunc("GET /blog/tags/{tag}/feed.json", b.serveFeed(syndication.JSONFeed))
	mux.HandleFunc("GET /blog/{slug}", b.showArticle)
	mux.HandleFunc("POST /webmention", b.receiveWebmention)

	mux.Handle("GET /blog/manage", owner(b.showManage))
	mux.Handle("GET /blog/new", owner(b.showNew))
	mux.Handle("POST /blog/new", owner(b.createArticle))
	mux.Handle("POST /blog/preview", owner(b.preview))
	mux.Handle("POST /blog/upload", owner(b.upload))
	mux.Handle("POST /blog/autosave", owner(b.autosave))
	// One pattern serves /blog/{slug}/edit, /delete and /replies: separate
	// literal patterns would collide with /blog/tags/{tag}. Only the
	// replies collection is public.
	actions := owner(b.articleAction)
	mux.HandleFunc("GET /blog/{slug}/{action}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("action") == "replies" {
			b.serveReplies(w, r)
			return
		}
		actions.ServeHTTP(w, r)
	})
	mux.Handle("POST /blog/{slug}/{action}", actions)
	mux.Handle("POST /blog/comments/{id}/{action}", owner(b.moderateComment))
}

// articleAction serves GET and POST of /blog/{slug}/edit and
// /blog/{slug}/delete.
func (b *Blog) articleAction(w http.ResponseWriter, r *http.Request) {
	switch r.PathValue("action") + " " + r.Method {
	case "edit GET":
		b.showEdit(w, r)
	case "edit POST":
		b.saveEdit(w, r)
	case "delete GET":
		b.confirmDelete(w, r)
	case "delete POST":
		b.deleteArticle(w, r)
	default:
		b.notFound(w, r)
	}
}

// pageFor fills the frame of a blog page.
func (b *Blog) pageFor(r *http.Request, title string) templates.Page {
	p := b.page(r, title)
	p.Section = "blog"
	return p
}

func (b *Blog) notFound(w http.ResponseWriter, r *http.Request) {
	templates.Render(w, r, http.StatusNotFound, templates.Message(b.pageFor(r, "Not found"), http.StatusNotFound,
		"Not found", "There is no post at this address."))
}

func (b *Blog) serverError(w http.ResponseWriter, r *http.Request, op string, err error) {
	logError(r, op, err)
	templates.Render(w, r, http.StatusInternalServerError, templates.Message(b.pageFor(r, "Something went wrong"),
		http.StatusInternalServerError, "Something went wrong", "The page could not be shown. Please try again."))
}

func (b *Blog) badRequest(w http.ResponseWriter, r *http.Request, status int, text string) {
	if wantsJSON(r) {
		jsonProblem(w, status, text)
		return
	}
	templates.Render(w, r, status, templates.Message(b.pageFor(r, "Request refused"), status, "Request refused", text))
}

// Queries runs reads; the composition root passes a cache of prepared
// statements, which saves the pure-Go SQLite re-parsing the same SQL on
// every page view.
type Queries interface {
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// plainQueries prepares every query afresh, as database/sql does.
type plainQueries struct{ db *sql.DB }

func (p plainQueries) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return p.db.QueryContext(ctx, q, args...)
}

func (p plainQueries) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return p.db.QueryRowContext(ctx, q, args...)
}
