// Package micropub implements the W3C Micropub Recommendation
// (https://www.w3.org/TR/micropub/), so that the owner can write blog
// articles and microfeed notes from any Micropub client with a bearer token.
//
// The package knows nothing about how posts are stored. It turns the three
// request syntaxes Micropub allows (form-encoded, multipart and JSON) into one
// Entry and hands it to a Publisher that the composition root builds from the
// blog and feed rooms: an entry with a name becomes an article, one without
// becomes a note, following the Post Type Discovery convention Micropub
// clients rely on.
package micropub

import (
	"context"
	"errors"
	"io"
	"time"
)

// Kinds of post a Publisher stores, as returned by Publisher.Source.
const (
	KindArticle = "article"
	KindNote    = "note"
)

// Visibility values an Entry may carry. The empty string means public.
const (
	VisibilityPublic   = "public"
	VisibilityUnlisted = "unlisted"
	VisibilityPrivate  = "private"
)

// Scopes a token needs. Micropub names them after the action; older
// clients still ask for the single IndieAuth scope "post", which counts as
// create.
const (
	ScopeCreate = "create"
	ScopeUpdate = "update"
	ScopeDelete = "delete"
	ScopeMedia  = "media"
	scopePost   = "post"
)

// DefaultMaxMedia is the upload limit when Handler.MaxMedia is zero.
const DefaultMaxMedia = 10 << 20

var (
	// ErrNotFound is returned by a Publisher when no post has the URL.
	ErrNotFound = errors.New("micropub: post not found")
	// ErrTooLarge is wrapped by a MediaSaver when the file is over the limit.
	ErrTooLarge = errors.New("micropub: file too large")
	// ErrNotImage is wrapped by a MediaSaver when the file is not an image
	// the site can store.
	ErrNotImage = errors.New("micropub: not a supported image")
	// ErrInvalid is wrapped by a Publisher's validation errors. Their
	// message is shown to the client, so it must say what to fix and
	// nothing internal.
	ErrInvalid = errors.New("invalid entry")
)

// Photo is an image attached to an entry.
type Photo struct {
	URL, Alt string
}

// Entry is one post as a Micropub client describes it.
type Entry struct {
	Name    string
	Content string // Markdown for articles, plain text for notes
	Summary string
	Slug    string // the mp-slug command
	// Categories are tags, without a leading '#'.
	Categories []string
	Photos     []Photo
	Draft      bool      // post-status=draft
	Published  time.Time // zero means now
	InReplyTo  string
	// Visibility is "public", "unlisted" or "private"; "" means public.
	Visibility string
	// ContentWarning comes from the content-warning property (or the
	// mp-content-warning command some clients send). A note's summary is
	// not read as a warning: in microformats it is a summary.
	ContentWarning string
}

// Publisher stores the posts. The composition root adapts the blog and feed
// rooms to it.
type Publisher interface {
	// CreateArticle is called when the entry has a name, CreateNote
	// otherwise. Both return the absolute URL of the new post.
	CreateArticle(ctx context.Context, e Entry) (url string, err error)
	CreateNote(ctx context.Context, e Entry) (url string, err error)
	// Source returns the entry at url and its kind (KindArticle or
	// KindNote), or ErrNotFound.
	Source(ctx context.Context, url string) (e Entry, kind string, err error)
	// Update stores e, the full entry after the client's changes.
	Update(ctx context.Context, url string, e Entry) error
	// Delete removes the post at url, or returns ErrNotFound.
	Delete(ctx context.Context, url string) error
}

// MediaSaver stores an uploaded file and returns its public URL. Its errors
// wrap ErrTooLarge or ErrNotImage when the file is the problem, and
// ErrInvalid (with a message for the client) when the alt text is.
type MediaSaver func(ctx context.Context, r io.Reader, alt string) (url string, err error)

// TokenChecker returns the scopes of a bearer token, or an error when the
// token is unknown, expired or revoked.
type TokenChecker func(ctx context.Context, bearer string) (scopes []string, err error)

// Handler serves the Micropub endpoint and its media endpoint.
type Handler struct {
	Publisher  Publisher
	SaveMedia  MediaSaver // nil: no media endpoint, no uploads
	CheckToken TokenChecker
	// BaseURL is the site's absolute URL without a trailing slash; it
	// makes the endpoint URLs and Location headers absolute.
	BaseURL string
	// MaxMedia is the largest file accepted, in bytes.
	MaxMedia int64
}

// Routes mounts the endpoint on mux.
func (h *Handler) Routes(mux Mux) {
	mux.HandleFunc("POST /micropub", h.serve(h.handlePost))
	mux.HandleFunc("GET /micropub", h.serve(h.handleQuery))
	mux.HandleFunc("POST /micropub/media", h.serve(h.uploadMedia))
}

func (h *Handler) maxMedia() int64 {
	if h.MaxMedia > 0 {
		return h.MaxMedia
	}
	return DefaultMaxMedia
}
