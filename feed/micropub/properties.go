package micropub

import (
	"net/url"
	"slices"
	"strings"
	"time"
)

// Property names of an h-entry that the endpoint reads and writes
// (microformats2 h-entry and the Micropub extensions).
const (
	propName           = "name"
	propContent        = "content"
	propSummary        = "summary"
	propCategory       = "category"
	propPhoto          = "photo"
	propPublished      = "published"
	propInReplyTo      = "in-reply-to"
	propPostStatus     = "post-status"
	propVisibility     = "visibility"
	propContentWarning = "content-warning"
	// Commands are written like properties with an mp- prefix (Micropub
	// "Reserved Properties"). Some clients send visibility and the content warning
	// as commands too.
	cmdSlug           = "mp-slug"
	cmdVisibility     = "mp-visibility"
	cmdContentWarning = "mp-content-warning"
)

const (
	statusDraft     = "draft"
	statusPublished = "published"
)

// properties is an entry in microformats2 shape: every value is a list of
// strings or objects (decoded JSON maps).
type properties map[string][]any

func (p properties) add(name string, v any) { p[name] = append(p[name], v) }

// first returns the first value of name as trimmed text; objects give their
// "value" member.
func (p properties) first(names ...string) string {
	for _, name := range names {
		for _, v := range p[name] {
			if s := strings.TrimSpace(valueText(v)); s != "" {
				return s
			}
		}
	}
	return ""
}

// valueText is the text of a value: a string, or an object's "value".
func valueText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		if s, ok := v["value"].(string); ok {
			return s
		}
	}
	return ""
}

// entryFromProperties builds the entry a Publisher receives. kind decides
// how HTML content is turned into the stored text.
func entryFromProperties(p properties, kind string) (Entry, error) {
	e := Entry{
		Name:           p.first(propName),
		Summary:        p.first(propSummary),
		Slug:           p.first(cmdSlug),
		InReplyTo:      p.first(propInReplyTo),
		ContentWarning: p.first(propContentWarning, cmdContentWarning),
	}
	var err error
	if e.Content, err = contentText(p[propContent], kind); err != nil {
		return Entry{}, err
	}
	e.Categories = categories(p[propCategory])
	if e.Photos, err = photos(p[propPhoto]); err != nil {
		return Entry{}, err
	}
	switch status := strings.ToLower(p.first(propPostStatus)); status {
	case "", statusPublished:
	case statusDraft:
		e.Draft = true
	default:
		return Entry{}, invalidRequest("post-status must be draft or published, not %q", status)
	}
	switch v := strings.ToLower(p.first(propVisibility, cmdVisibility)); v {
	case "", VisibilityPublic, VisibilityUnlisted, VisibilityPrivate:
		e.Visibility = v
	default:
		return Entry{}, invalidRequest("visibility must be public, unlisted or private, not %q", v)
	}
	if s := p.first(propPublished); s != "" {
		if e.Published, err = parseTime(s); err != nil {
			return Entry{}, err
		}
	}
	if e.InReplyTo != "" && !isWebURL(e.InReplyTo) {
		return Entry{}, invalidRequest("in-reply-to must be an http or https URL")
	}
	return e, nil
}

// requireContent refuses an entry with nothing to show. Uploads count as
// photos; they are saved only once the rest of the request is valid.
func requireContent(e Entry, uploads int) error {
	if strings.TrimSpace(e.Content) == "" && len(e.Photos)+uploads == 0 {
		return invalidRequest("a post needs content or a photo")
	}
	return nil
}

// contentText reads the content property: a string, or an object with html
// (converted to Markdown for articles, to text for notes), markdown or value.
func contentText(values []any, kind string) (string, error) {
	if len(values) == 0 {
		return "", nil
	}
	switch v := values[0].(type) {
	case string:
		return strings.TrimSpace(v), nil
	case map[string]any:
		if s, ok := v["html"].(string); ok {
			if kind == KindArticle {
				return htmlToMarkdown(s), nil
			}
			return htmlToText(s), nil
		}
		for _, key := range []string{"markdown", "value"} {
			if s, ok := v[key].(string); ok {
				return strings.TrimSpace(s), nil
			}
		}
	}
	return "", invalidRequest(`content must be a string or an object with "html" or "markdown"`)
}

// categories returns the tags: trimmed, without '#', without repeats.
// Objects (nested h-cards for person tags) are not tags here and are skipped.
func categories(values []any) []string {
	var out []string
	for _, v := range values {
		s, ok := v.(string)
		if !ok {
			continue
		}
		s = strings.TrimPrefix(strings.TrimSpace(s), "#")
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// photos reads photo URLs, given as strings or as {"value": url, "alt": text}.
func photos(values []any) ([]Photo, error) {
	var out []Photo
	for _, v := range values {
		var ph Photo
		switch v := v.(type) {
		case string:
			ph.URL = strings.TrimSpace(v)
		case map[string]any:
			ph.URL, _ = v["value"].(string)
			if ph.URL == "" {
				ph.URL, _ = v["url"].(string)
			}
			ph.URL = strings.TrimSpace(ph.URL)
			alt, _ := v["alt"].(string)
			ph.Alt = strings.TrimSpace(alt)
		}
		if ph.URL == "" {
			continue
		}
		if !isWebURL(ph.URL) {
			return nil, invalidRequest("photo must be an http or https URL")
		}
		out = append(out, ph)
	}
	return out, nil
}

// timeLayouts are the forms of published accepted: RFC 3339, and the
// variants microformats2 parsers produce (no seconds, no colon in the zone).
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z0700",
	"2006-01-02 15:04:05Z07:00",
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, invalidRequest("published must be an RFC 3339 date-time such as 2024-05-01T09:30:00Z, not %q", s)
}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// propertiesFromEntry is the inverse of entryFromProperties, for q=source
// and for applying updates. The slug is kept as its command so an update
// does not lose it; sourceProperties leaves commands out.
func propertiesFromEntry(e Entry) properties {
	p := properties{}
	set := func(name, v string) {
		if v != "" {
			p[name] = []any{v}
		}
	}
	set(propName, e.Name)
	set(propContent, e.Content)
	set(propSummary, e.Summary)
	set(cmdSlug, e.Slug)
	set(propInReplyTo, e.InReplyTo)
	set(propVisibility, e.Visibility)
	set(propContentWarning, e.ContentWarning)
	for _, c := range e.Categories {
		p.add(propCategory, c)
	}
	for _, ph := range e.Photos {
		if ph.Alt == "" {
			p.add(propPhoto, ph.URL)
		} else {
			p.add(propPhoto, map[string]any{"value": ph.URL, "alt": ph.Alt})
		}
	}
	if e.Draft {
		set(propPostStatus, statusDraft)
	} else {
		set(propPostStatus, statusPublished)
	}
	if !e.Published.IsZero() {
		set(propPublished, e.Published.Format(time.RFC3339))
	}
	return p
}

// sourceProperties is what q=source shows: the properties without
// commands, restricted to the names asked for when there are any.
func sourceProperties(p properties, only []string) properties {
	out := properties{}
	for name, values := range p {
		if strings.HasPrefix(name, "mp-") || (len(only) > 0 && !slices.Contains(only, name)) {
			continue
		}
		out[name] = values
	}
	return out
}
