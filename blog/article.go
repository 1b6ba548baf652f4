package blog

import (
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"roost/templates/markdown"
)

// Article is a post or a page as the rest of roost sees it.
type Article struct {
	ID                            int64
	Slug, Title, Body, HTML       string
	Summary                       string
	Tags                          []string
	Draft                         bool
	Page                          bool
	PublishedAt, Created, Updated time.Time
	Likes, Boosts                 int
	// URL is the article's page; ObjectID is its ActivityStreams id, which is
	// the URL it was first saved under and does not follow later slug edits.
	URL      string
	ObjectID string
	// excerpt, when set, is the Description already worked out (listings
	// for the apps take it from the blog's excerpt cache).
	excerpt string
}

// Description is the summary, or an excerpt of the content when the owner
// wrote none: for index pages and meta descriptions.
func (a Article) Description() string {
	if a.Summary != "" {
		return a.Summary
	}
	if a.excerpt != "" {
		return a.excerpt
	}
	return markdown.Excerpt(a.HTML, 280)
}

// ListExcerpt is the summary, or an excerpt of the content that keeps its
// paragraphs and list items on lines of their own: for index pages.
func (a Article) ListExcerpt() string {
	if a.Summary != "" {
		return a.Summary
	}
	return markdown.ExcerptLines(a.HTML, 280)
}

// Due reports whether a published article's time has come.
func (a Article) Due(now time.Time) bool { return !a.PublishedAt.After(now) }

// ArticleInput is what the owner (or Micropub) writes.
type ArticleInput struct {
	Title, Body, Summary, Slug string
	Tags                       []string
	Draft, Page                bool
	// PublishedAt zero means now; a future time schedules the article.
	PublishedAt time.Time
	// Quiet stores a new article without sending it to followers: an
	// import of posts written long ago.
	Quiet bool
	// ExactSlug refuses a Slug another article has instead of adding -2:
	// the owner typed it and would not notice the page moved elsewhere.
	ExactSlug bool
}

// ErrSlugTaken is a slug, typed as such, that another article already has.
var ErrSlugTaken = &ValidationError{"slug", "This address is already taken. Choose a different slug."}

// ErrNotFound is returned when no (live) article or comment matches.
var ErrNotFound = errors.New("blog: not found")

// ErrGone is returned for an article that existed and was deleted.
var ErrGone = errors.New("blog: gone")

// ValidationError is a problem with what the owner typed; Message is safe to
// show them.
type ValidationError struct {
	Field, Message string
}

func (e *ValidationError) Error() string { return e.Message }

// Limits on what the editor accepts.
const (
	maxTitle   = 300
	maxSummary = 2000
	maxBody    = 512 << 10
	maxTags    = 30
	maxTagLen  = 64
	maxSlugLen = 80
)

// validate checks the input and returns it cleaned (tags normalized, text
// trimmed).
func validate(in ArticleInput) (ArticleInput, error) {
	in.Title = strings.TrimSpace(in.Title)
	in.Summary = strings.TrimSpace(in.Summary)
	in.Slug = strings.TrimSpace(in.Slug)
	switch {
	case in.Title == "":
		return in, &ValidationError{"title", "A title is required."}
	case utf8.RuneCountInString(in.Title) > maxTitle:
		return in, &ValidationError{"title", "The title is too long (300 characters at most)."}
	case utf8.RuneCountInString(in.Summary) > maxSummary:
		return in, &ValidationError{"summary", "The summary is too long (2,000 characters at most)."}
	case !in.Draft && strings.TrimSpace(in.Body) == "":
		return in, &ValidationError{"body", "The text is empty. Write something, or save it as a draft."}
	case len(in.Body) > maxBody:
		return in, &ValidationError{"body", "The text is too long (512 KiB at most)."}
	case !utf8.ValidString(in.Title + in.Body + in.Summary + in.Slug):
		return in, &ValidationError{"body", "The text is not valid UTF-8."}
	}
	if in.Slug != "" && Slugify(in.Slug) == "" {
		return in, &ValidationError{"slug", "The slug needs at least one letter or digit."}
	}
	in.Tags = NormalizeTags(in.Tags)
	if len(in.Tags) > maxTags {
		return in, &ValidationError{"tags", "Too many tags (30 at most)."}
	}
	return in, nil
}

// asciiFold maps letters that Unicode decomposition does not reduce to ASCII.
var asciiFold = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'ø': "o", 'Ø': "o", 'œ': "oe", 'Œ': "oe",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'þ': "th", 'ı': "i",
}

// Slugify makes a URL path segment from a title: lower case, accents
// removed, anything else that is not a letter or digit becomes a hyphen.
// Non-Latin scripts vanish, so the caller must handle an empty result.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // combining accents left by the decomposition
		}
		if f, ok := asciiFold[r]; ok {
			b.WriteString(f)
			hyphen = false
			continue
		}
		r = unicode.ToLower(r)
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			hyphen = false
			continue
		}
		if !hyphen && b.Len() > 0 {
			b.WriteByte('-')
			hyphen = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if len(out) > maxSlugLen {
		out = strings.TrimRight(out[:maxSlugLen], "-")
	}
	return out
}

// reservedSlugs are path segments the blog's own routes use.
var reservedSlugs = map[string]bool{
	"manage": true, "new": true, "preview": true, "upload": true, "autosave": true, "tags": true, "feed": true,
}

// NormalizeTags trims, drops a leading '#', joins inner spaces with hyphens
// and removes duplicates (whatever their case) and empties, keeping the
// author's spelling and order. TagKey is what tags are matched by.
func NormalizeTags(tags []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range tags {
		t = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(t), "#"))
		t = strings.Join(strings.FieldsFunc(t, func(r rune) bool {
			return unicode.IsSpace(r) || r == '/' || r == '?' || r == '#' || r == '%'
		}), "-")
		if utf8.RuneCountInString(t) > maxTagLen {
			t = string([]rune(t)[:maxTagLen])
		}
		if t == "" || seen[TagKey(t)] {
			continue
		}
		seen[TagKey(t)] = true
		out = append(out, t)
	}
	return out
}

// TagKey is the case-insensitive form of a tag: tag pages and their
// addresses use it, so #GardenDiary and #gardendiary are one tag.
func TagKey(t string) string { return strings.ToLower(t) }

// SplitTags reads the editor's comma-separated tag field.
func SplitTags(field string) []string {
	return NormalizeTags(strings.Split(field, ","))
}
