// Package syndication writes the site's feeds for readers that do not speak
// ActivityPub: Atom 1.0, RSS 2.0 and JSON Feed 1.1, all from one typed view
// model. The blog, the notes and the combined "everything" feed build a Feed
// and hand it to Write or ServeFeed; nothing here knows where the entries
// came from.
//
// The three formats carry the same text: invalid XML characters are removed
// from every string before any format is written, so a reader that follows
// the site in two formats sees the same thing.
package syndication

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// Feed is the view model of one feed.
type Feed struct {
	Title       string
	Description string
	// SiteURL is the absolute URL of the HTML page the feed belongs to.
	SiteURL string
	// FeedURL is the feed's own absolute URL, the same for every format; it
	// becomes the Atom feed id. The URL of the format being written is the
	// selfURL argument of Write.
	FeedURL    string
	AuthorName string
	AuthorURL  string
	IconURL    string
	Language   string
	// Updated is when anything in the feed last changed. When zero, the
	// newest entry's time is used.
	Updated time.Time
	Entries []Entry
}

// Entry is one post in a feed.
type Entry struct {
	// ID is a stable absolute URL: the Atom id, the RSS guid and the JSON
	// Feed id.
	ID  string
	URL string
	// Title may be empty (notes have none).
	Title string
	// ContentHTML is the full HTML content, already sanitized.
	ContentHTML string
	// Summary is optional plain text.
	Summary   string
	Published time.Time
	Updated   time.Time
	Tags      []string
	// Image is an optional image URL.
	Image string
}

// Format names one of the feed formats.
type Format int

// The formats Write knows.
const (
	Atom Format = iota
	RSS
	JSONFeed
)

// ErrUnknownFormat is returned for a Format value outside the constants.
var ErrUnknownFormat = errors.New("unknown feed format")

// ContentType is the media type to serve the format with.
func (f Format) ContentType() string {
	switch f {
	case Atom:
		return "application/atom+xml; charset=utf-8"
	case RSS:
		return "application/rss+xml; charset=utf-8"
	case JSONFeed:
		return "application/feed+json; charset=utf-8"
	}
	return "application/octet-stream"
}

// Extension is the file extension, without the dot, that the site uses in
// the format's URL.
func (f Format) Extension() string {
	switch f {
	case Atom:
		return "atom"
	case RSS:
		return "rss"
	case JSONFeed:
		return "json"
	}
	return ""
}

// Write writes feed to w in format f. selfURL is the absolute URL this
// document is served at; readers use it to find the feed again.
func Write(w io.Writer, f Format, feed Feed, selfURL string) error {
	feed = cleanFeed(feed)
	selfURL = cleanXML(selfURL)
	var err error
	switch f {
	case Atom:
		err = writeAtom(w, feed, selfURL)
	case RSS:
		err = writeRSS(w, feed, selfURL)
	case JSONFeed:
		err = writeJSONFeed(w, feed, selfURL)
	default:
		return fmt.Errorf("syndication: write format %d: %w", int(f), ErrUnknownFormat)
	}
	if err != nil {
		return fmt.Errorf("syndication: write %s: %w", f.Extension(), err)
	}
	return nil
}
