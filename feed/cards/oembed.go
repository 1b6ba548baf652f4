package cards

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"

	xhtml "golang.org/x/net/html"
)

// maxOEmbedBytes caps an oEmbed answer, which is a few hundred bytes.
const maxOEmbedBytes = 64 << 10

// oEmbed is an oEmbed answer (oembed.com, section 2.3.4). Sizes are
// numbers by the spec and strings on some providers.
type oEmbed struct {
	Type         string          `json:"type"`
	Title        string          `json:"title"`
	AuthorName   string          `json:"author_name"`
	AuthorURL    string          `json:"author_url"`
	ProviderName string          `json:"provider_name"`
	ProviderURL  string          `json:"provider_url"`
	URL          string          `json:"url"`
	HTML         string          `json:"html"`
	Width        json.RawMessage `json:"width"`
	Height       json.RawMessage `json:"height"`
	ThumbnailURL string          `json:"thumbnail_url"`
}

func parseOEmbed(body []byte) (oEmbed, error) {
	var o oEmbed
	if err := json.Unmarshal(body, &o); err != nil {
		return o, fmt.Errorf("%w: oEmbed: %v", errUnreadable, err)
	}
	return o, nil
}

// mergeOEmbed lays what the oEmbed answer says over the page's card, as
// Mastodon does: the oEmbed type, and for a video or rich card the player,
// rebuilt as one iframe (or dropped, leaving a link card).
func mergeOEmbed(c Card, o oEmbed, base *url.URL) Card {
	set := func(dst *string, v string) {
		if v = oneLine(v); v != "" {
			*dst = v
		}
	}
	set(&c.Title, clip(o.Title, maxTitle))
	set(&c.AuthorName, o.AuthorName)
	set(&c.AuthorURL, absoluteURL(base, o.AuthorURL))
	set(&c.ProviderName, o.ProviderName)
	set(&c.ProviderURL, absoluteURL(base, o.ProviderURL))
	set(&c.Image, absoluteURL(base, o.ThumbnailURL))
	w, h := sizeOf(o.Width), sizeOf(o.Height)
	switch o.Type {
	case TypePhoto:
		if u := absoluteURL(base, o.URL); u != "" {
			c.Type, c.EmbedURL, c.Width, c.Height = TypePhoto, u, w, h
		}
	case TypeVideo, TypeRich:
		if frame := iframeOf(o.HTML, w, h); frame != "" {
			c.Type, c.HTML, c.Width, c.Height = o.Type, frame, w, h
		}
	}
	return c
}

func sizeOf(raw json.RawMessage) int {
	return atoi(strings.Trim(string(raw), `"`))
}

// iframeOf finds the player of an oEmbed answer and writes it anew: one
// iframe with an https source, its size, and nothing else the provider
// sent (no scripts, no event handlers, no other elements). Apps show it in
// their web views; the site's own pages do not show it at all.
func iframeOf(fragment string, w, h int) string {
	z := xhtml.NewTokenizer(strings.NewReader(fragment))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return ""
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "iframe" || !hasAttr {
				continue
			}
			for {
				k, v, more := z.TagAttr()
				if string(k) == "src" {
					u, err := url.Parse(string(v))
					if err != nil || u.Scheme != "https" || u.Host == "" {
						return ""
					}
					return `<iframe src="` + html.EscapeString(u.String()) + `" width="` + strconv.Itoa(w) +
						`" height="` + strconv.Itoa(h) + `" frameborder="0" allowfullscreen="true"></iframe>`
				}
				if !more {
					return ""
				}
			}
		}
	}
}
