package syndication

import (
	"net/url"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// titleExcerptRunes is how long an Atom title made from a note's content may
// be. Readers show it in a list, so a line's worth is enough.
const titleExcerptRunes = 80

// isXMLChar reports whether r may appear in an XML 1.0 document (the Char
// production of the XML spec). Everything else, C0 controls in particular,
// makes strict parsers reject the whole feed, and escaping does not help:
// &#1; is just as forbidden as the raw byte.
func isXMLChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= utf8.MaxRune:
		return true
	}
	return false
}

// cleanXML drops characters XML cannot carry and bytes that are not UTF-8.
// It returns s itself when there is nothing to drop, which is the usual case.
func cleanXML(s string) string {
	clean := true
	for i, r := range s {
		if !isXMLChar(r) || (r == utf8.RuneError && isInvalidByte(s, i)) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, r := range s {
		if !isXMLChar(r) || (r == utf8.RuneError && isInvalidByte(s, i)) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isInvalidByte tells a real U+FFFD in s apart from a byte that does not
// decode, both of which range reports as utf8.RuneError.
func isInvalidByte(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 1
}

// cleanFeed returns a copy of feed with every string passed through
// cleanXML. The caller's slices are not modified.
func cleanFeed(feed Feed) Feed {
	feed.Title = cleanXML(feed.Title)
	feed.Description = cleanXML(feed.Description)
	feed.SiteURL = cleanXML(feed.SiteURL)
	feed.FeedURL = cleanXML(feed.FeedURL)
	feed.AuthorName = cleanXML(feed.AuthorName)
	feed.AuthorURL = cleanXML(feed.AuthorURL)
	feed.IconURL = cleanXML(feed.IconURL)
	feed.Language = cleanXML(feed.Language)
	entries := make([]Entry, len(feed.Entries))
	for i, e := range feed.Entries {
		e.ID = cleanXML(e.ID)
		e.URL = cleanXML(e.URL)
		e.Title = cleanXML(e.Title)
		e.ContentHTML = cleanXML(e.ContentHTML)
		e.Summary = cleanXML(e.Summary)
		e.Image = cleanXML(e.Image)
		if e.Tags != nil {
			tags := make([]string, 0, len(e.Tags))
			for _, t := range e.Tags {
				if t = strings.TrimSpace(cleanXML(t)); t != "" {
					tags = append(tags, t)
				}
			}
			e.Tags = tags
		}
		entries[i] = e
	}
	feed.Entries = entries
	return feed
}

// blockElements are the tags whose boundaries separate words, so that
// "<p>one</p><p>two</p>" reads "one two" rather than "onetwo".
var blockElements = map[string]bool{
	"p": true, "br": true, "div": true, "li": true, "ul": true, "ol": true,
	"blockquote": true, "pre": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "hr": true, "figure": true,
	"figcaption": true, "tr": true, "td": true, "th": true,
}

// entryTitle is the title readers list an entry under. A note has none, so
// its content warning stands in (the reader must not show what the author
// put behind it), else the first words of its text.
func entryTitle(e Entry) string {
	if e.Title != "" {
		return e.Title
	}
	if e.Summary != "" {
		return truncateWords(e.Summary, titleExcerptRunes)
	}
	return plainExcerpt(e.ContentHTML, titleExcerptRunes)
}

// plainExcerpt turns HTML into one line of plain text of at most limit runes,
// cut at a word boundary and marked with an ellipsis when shortened. Atom
// requires a title on every entry, and a note has none, so its first words
// stand in.
func plainExcerpt(content string, limit int) string {
	var b, alts strings.Builder
	z := html.NewTokenizer(strings.NewReader(content))
	skip := 0 // depth inside script/style, whose text is not prose
	for {
		switch z.Next() {
		case html.ErrorToken:
			text := strings.Join(strings.Fields(b.String()), " ")
			if text == "" {
				text = strings.Join(strings.Fields(alts.String()), " ")
			}
			return truncateWords(text, limit)
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "img":
				// An image-only note still deserves a title; its alt
				// text is the author's own description. Next to text it
				// would only run on from the words.
				if alt := attr(z, "alt"); alt != "" {
					alts.WriteString(" " + alt + " ")
				}
			}
			if blockElements[string(name)] {
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if n := string(name); n == "script" || n == "style" {
				skip = max(skip-1, 0)
			} else if blockElements[n] {
				b.WriteByte(' ')
			}
		}
	}
}

// attr returns the value of the named attribute of the current tag.
func attr(z *html.Tokenizer, name string) string {
	for {
		key, val, more := z.TagAttr()
		if string(key) == name {
			return string(val)
		}
		if !more {
			return ""
		}
	}
}

// truncateWords shortens s to at most limit runes, preferring to cut at a
// space, and appends an ellipsis when it cut.
func truncateWords(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	if limit < 2 {
		return "…"
	}
	runes := []rune(s)
	cut := string(runes[:limit-1])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:.") + "…"
}

// imageType guesses an image's media type from its URL's extension. Only
// formats browsers display are listed; anything else gives "", and the
// writers leave the type out rather than claim a wrong one.
func imageType(imageURL string) string {
	u, err := url.Parse(imageURL)
	if err != nil {
		return ""
	}
	switch strings.ToLower(path.Ext(u.Path)) {
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".svg":
		return "image/svg+xml"
	}
	return ""
}

// entryPublished is when the entry first appeared, falling back to its
// update time.
func entryPublished(e Entry) time.Time {
	if e.Published.IsZero() {
		return e.Updated
	}
	return e.Published
}

// entryUpdated is when the entry last changed, falling back to its
// publication time.
func entryUpdated(e Entry) time.Time {
	if e.Updated.IsZero() {
		return e.Published
	}
	return e.Updated
}

// entryLink is the page a reader opens for the entry.
func entryLink(e Entry) string {
	if e.URL == "" {
		return e.ID
	}
	return e.URL
}

// entryID is the entry's stable identifier.
func entryID(e Entry) string {
	if e.ID == "" {
		return e.URL
	}
	return e.ID
}

// feedUpdated is feed.Updated, or the newest entry's time when that is zero.
// It stays zero for an empty feed without a date, and the writers decide
// what a format needs then.
func feedUpdated(feed Feed) time.Time {
	if !feed.Updated.IsZero() {
		return feed.Updated
	}
	var newest time.Time
	for _, e := range feed.Entries {
		if t := entryUpdated(e); t.After(newest) {
			newest = t
		}
	}
	return newest
}

// rfc3339 formats t in UTC for Atom and JSON Feed, "" for the zero time.
// Seconds are enough for a feed and keep the output byte-stable.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// rfc1123 formats t for RSS, which uses the RFC 822 date syntax with a
// four-digit year; "" for the zero time.
func rfc1123(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC1123Z)
}
