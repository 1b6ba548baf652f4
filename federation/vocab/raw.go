package vocab

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// node is one JSON object of a document, read without a schema. Its methods
// accept every shape the fediverse uses for a property: a plain string, an
// object with "id" or "href", or an array of those.
type node map[string]any

// Errors that the Parse functions wrap, so callers can tell a broken peer
// from a document they merely do not handle.
var (
	ErrMalformed = errors.New("malformed JSON")
	ErrNotObject = errors.New("document is not a JSON object")
	ErrNoID      = errors.New("missing id")
	ErrNoType    = errors.New("missing type")
	ErrNoActor   = errors.New("missing actor")
)

// decode reads one JSON object. Numbers stay json.Number so that large
// integers (totalItems, poll counts) are not rounded.
func decode(data []byte) (node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, ErrNotObject
	}
	return node(m), nil
}

// str returns a property that should be a single string. Arrays yield their
// first string; anything else yields "".
func (n node) str(key string) string { return firstString(n[key]) }

func firstString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && s != "" {
				return s
			}
		}
	}
	return ""
}

// id returns the identifier a property points at, whether it is written as
// an IRI, as an embedded object or link, or as an array of them.
func (n node) id(key string) string { return idOf(n[key]) }

func idOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if s, ok := x["id"].(string); ok && s != "" {
			return s
		}
		if s, ok := x["href"].(string); ok {
			return s
		}
	case []any:
		for _, e := range x {
			if s := idOf(e); s != "" {
				return s
			}
		}
	}
	return ""
}

// ids returns every identifier in a property that may be single or plural.
func (n node) ids(key string) []string { return idsOf(n[key]) }

func idsOf(v any) []string {
	var out []string
	for _, e := range list(v) {
		if s := idOf(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// list turns a property into a slice: JSON-LD compaction writes a
// one-element array as the bare element, so every plural property may arrive
// as a single value.
func list(v any) []any {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return x
	default:
		return []any{x}
	}
}

// nodes returns the embedded objects of a property, skipping bare IRIs.
func (n node) nodes(key string) []node {
	var out []node
	for _, e := range list(n[key]) {
		if m, ok := e.(map[string]any); ok {
			out = append(out, node(m))
		}
	}
	return out
}

// child returns the first embedded object of a property, or nil.
func (n node) child(key string) node {
	ns := n.nodes(key)
	if len(ns) == 0 {
		return nil
	}
	return ns[0]
}

// types returns the type names of the node. JSON-LD allows "type" to be an
// array, which some servers use to add their own subtype.
func (n node) types() []string {
	var out []string
	for _, e := range list(n["type"]) {
		if s, ok := e.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// typ returns the node's type: the first one roost knows, else the first.
func (n node) typ() string {
	ts := n.types()
	for _, t := range ts {
		if actorTypes[t] || objectTypes[t] || activityTypes[t] || collectionTypes[t] {
			return t
		}
	}
	if len(ts) > 0 {
		return ts[0]
	}
	return ""
}

// hasType reports whether any of the node's types is t.
func (n node) hasType(t string) bool { return slices.Contains(n.types(), t) }

// bool reads a boolean; a few servers write "true" as a string.
func (n node) bool(key string) bool {
	switch x := n[key].(type) {
	case bool:
		return x
	case string:
		b, _ := strconv.ParseBool(x)
		return b
	}
	return false
}

// int reads an integer that may be a number or a numeric string.
func (n node) int(key string) int {
	switch x := n[key].(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		if f, err := x.Float64(); err == nil {
			return int(f)
		}
	case float64:
		return int(x)
	case string:
		i, _ := strconv.Atoi(x)
		return i
	}
	return 0
}

// timeLayouts are the xsd:dateTime spellings seen in the wild; Lemmy adds
// microseconds, some servers omit the zone.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999"}

// time reads an xsd:dateTime; unparseable values read as the zero time.
func (n node) time(key string) time.Time {
	s := n.str(key)
	if s == "" {
		return time.Time{}
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// text reads a natural-language property such as content, summary or name.
// When the plain property is missing, the language map (contentMap,
// summaryMap, nameMap) is used instead, which is all some servers send.
func (n node) text(key string) string {
	if s := n.str(key); s != "" {
		return s
	}
	m, ok := n[key+"Map"].(map[string]any)
	if !ok || len(m) == 0 {
		return ""
	}
	// Prefer an undetermined or English entry, then the first by language
	// tag, so the choice is stable.
	for _, lang := range []string{"und", "en"} {
		if s, ok := m[lang].(string); ok && s != "" {
			return s
		}
	}
	langs := make([]string, 0, len(m))
	for k := range m {
		langs = append(langs, k)
	}
	sort.Strings(langs)
	for _, k := range langs {
		if s, ok := m[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// WebURL keeps a link only when it is an absolute http(s) URL. Remote
// documents can carry javascript: or data: URLs in url, icon or href, and
// those must never reach a page as a link or an image. Nor must a URL
// longer than maxURLBytes, which no real server writes.
func WebURL(s string) string {
	if len(s) > maxURLBytes {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return s
}

// link picks the URL a human should open from a `url` or `href` property.
// PeerTube lists the watch page among streams and torrents, so the entry of
// type text/html wins; otherwise the first plain IRI or link without a media
// type; otherwise the first entry.
func linkOf(v any) string {
	entries := list(v)
	var first, untyped string
	for _, e := range entries {
		href, mediaType := "", ""
		switch x := e.(type) {
		case string:
			href = x
		case map[string]any:
			l := node(x)
			href = l.str("href")
			if href == "" {
				href = linkOf(l["url"])
			}
			mediaType = mediaTypeOf(l)
		}
		if href == "" {
			continue
		}
		if first == "" {
			first = href
		}
		if strings.HasPrefix(mediaType, MediaTypeHTML) {
			return href
		}
		if mediaType == "" && untyped == "" {
			untyped = href
		}
	}
	if untyped != "" {
		return untyped
	}
	return first
}

// imageURL reads an icon or image property: an Image object (whose url may
// itself be a link or an array), an array of images, or a bare URL.
func imageURL(v any) string {
	for _, e := range list(v) {
		switch x := e.(type) {
		case string:
			return x
		case map[string]any:
			img := node(x)
			if u := linkOf(img["url"]); u != "" {
				return u
			}
			if h := img.str("href"); h != "" {
				return h
			}
		}
	}
	return ""
}

// mediaTypeOf reads a Link's or a Document's media type. Funkwhale and a
// few others write it as "mimeType".
func mediaTypeOf(n node) string {
	if mt := n.str("mediaType"); mt != "" {
		return mt
	}
	return n.str("mimeType")
}
