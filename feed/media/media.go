// Package media stores the images the owner uploads from the web editor,
// Micropub's media endpoint and the Mastodon client API, and serves them.
//
// Nothing uploaded is kept as sent. Every file is decoded from its content
// (never its name or declared type), re-encoded without its metadata (EXIF,
// GPS positions, camera serials, comments), turned upright according to its
// EXIF orientation, bounded in size, and written under a random name together
// with a small JPEG preview and a blurhash for clients that paint a
// placeholder while the image loads.
package media

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/sync/singleflight"
)

var (
	// ErrTooLarge means the upload is over the byte limit or its pixel
	// dimensions are beyond what the server is willing to decode. Callers
	// answer 413.
	ErrTooLarge = errors.New("media: file too large")
	// ErrTooManyPixels means the image's header declares dimensions beyond
	// MaxSourcePixels or MaxSourceSide. It wraps ErrTooLarge, so callers
	// that only know ErrTooLarge still answer 413.
	ErrTooManyPixels = fmt.Errorf("%w: image dimensions over the limit", ErrTooLarge)
	// ErrNotImage means the upload is not a JPEG, PNG, GIF or WebP image, or
	// is one that cannot be decoded. Callers answer 400 or 422.
	ErrNotImage = errors.New("media: not a supported image (JPEG, PNG, GIF or WebP)")
	// ErrNotFound means no stored media has that id or URL.
	ErrNotFound = errors.New("media: not found")
	// ErrDescriptionTooLong means the alt text exceeds MaxDescription
	// characters. Callers answer 422.
	ErrDescriptionTooLong = errors.New("media: description too long")
)

const (
	// DefaultMaxBytes is the upload limit when NewStore is given none.
	DefaultMaxBytes = 10 << 20
	// MaxSide is the longest side, in pixels, of a stored image; larger
	// uploads are scaled down.
	MaxSide = 4096
	// PreviewSide is the longest side, in pixels, of a preview.
	PreviewSide = 640
	// MaxDescription is the longest alt text in characters, the same limit
	// Mastodon applies, so that clients see the same behaviour here.
	MaxDescription = 1500

	// MaxSourcePixels bounds the decoded size of an upload. A PNG of a few
	// hundred kilobytes can declare 49 megapixels and take seconds and
	// hundreds of megabytes to decode and scale, so the dimensions are read
	// from the header and checked before decoding. 24 megapixels is a
	// full-frame camera's 6000×4000; phones save 12.
	MaxSourcePixels = 24_000_000
	// MaxSourceSide bounds either side of an upload, so that a panorama
	// strip under the pixel cap cannot ask for a huge resampling pass.
	MaxSourceSide = 12_000
	// concurrentSaves bounds how many uploads are decoded at once; each one
	// may hold a few hundred megabytes of pixels.
	concurrentSaves = 2
)

// Migrations is the media room's append-only schema history.
//
// Rows keep the random file stem and the extension rather than URLs, so
// that moving the site to another base URL does not break them.
var Migrations = []string{
	`CREATE TABLE media (
		id INTEGER PRIMARY KEY,
		name TEXT NOT NULL UNIQUE,
		ext TEXT NOT NULL,
		media_type TEXT NOT NULL,
		width INTEGER NOT NULL,
		height INTEGER NOT NULL,
		size INTEGER NOT NULL,
		blurhash TEXT NOT NULL,
		description TEXT NOT NULL DEFAULT '',
		focus_x REAL NOT NULL DEFAULT 0,
		focus_y REAL NOT NULL DEFAULT 0,
		created TEXT NOT NULL
	)`,
}

// Media is one stored image.
type Media struct {
	ID int64
	// URL and PreviewURL are absolute, under the site's base URL.
	URL, PreviewURL string
	MediaType       string
	Width, Height   int
	Blurhash        string
	Description     string
	// FocusX and FocusY are the focal point in Mastodon's convention: each
	// from -1 to 1, with (0,0) the centre and (1,1) the top-right corner.
	FocusX, FocusY float64
	Created        time.Time
	// Size is the stored file's length in bytes.
	Size int64
}

// PreviewSize is the pixel size of the preview, which Mastodon clients
// expect in an attachment's meta.small.
func (m Media) PreviewSize() (width, height int) {
	return fitSize(m.Width, m.Height, PreviewSide)
}

// Store keeps media rows in the database and files in a directory.
type Store struct {
	db       *sql.DB
	dir      string
	baseURL  string
	maxBytes int64
	slots    chan struct{}
	// making joins concurrent requests for a variant not made yet.
	making singleflight.Group
}

// NewStore returns a store that writes files into dir (created if missing),
// names them with URLs under baseURL and refuses uploads over maxBytes
// (DefaultMaxBytes when maxBytes is zero or less).
func NewStore(db *sql.DB, dir string, baseURL string, maxBytes int64) (*Store, error) {
	if db == nil {
		return nil, errors.New("new media store: no database")
	}
	if dir == "" {
		return nil, errors.New("new media store: no directory")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("new media store: %w", err)
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return &Store{
		db:       db,
		dir:      dir,
		baseURL:  strings.TrimRight(baseURL, "/"),
		maxBytes: maxBytes,
		slots:    make(chan struct{}, concurrentSaves),
	}, nil
}

// urlPrefix is where every file of the store is published.
func (s *Store) urlPrefix() string {
	return s.baseURL + "/media/"
}
