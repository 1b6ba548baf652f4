package federation

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Feed media types a site may advertise with <link rel="alternate">.
const (
	feedRSS  = "application/rss+xml"
	feedAtom = "application/atom+xml"
	feedJSON = "application/feed+json"
)

var feedTypes = map[string]bool{feedRSS: true, feedAtom: true, feedJSON: true}

// htmlAlternates returns the <link rel="alternate"> elements of a page's
// head with their hrefs made absolute. Only links whose type is an
// ActivityStreams or feed type are kept.
func htmlAlternates(page []byte, pageURL string) []FeedLink {
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil
	}
	var out []FeedLink
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Body:
				// Alternates belong in the head; stop before the content.
				return out
			case atom.Base:
				if href := attr(z, hasAttr, "href"); href != "" {
					if b, err := base.Parse(href); err == nil {
						base = b
					}
				}
			case atom.Link:
				if l, ok := alternateLink(z, hasAttr, base); ok {
					out = append(out, l)
				}
			}
		}
	}
}

func alternateLink(z *html.Tokenizer, hasAttr bool, base *url.URL) (FeedLink, bool) {
	var rel, typ, href, title string
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		switch string(k) {
		case "rel":
			rel = strings.ToLower(string(v))
		case "type":
			typ = string(v)
		case "href":
			href = strings.TrimSpace(string(v))
		case "title":
			title = strings.TrimSpace(string(v))
		}
	}
	if href == "" || !hasToken(rel, "alternate") {
		return FeedLink{}, false
	}
	mt := mediaType(typ)
	if !feedTypes[mt] && !isActivityType(typ) {
		return FeedLink{}, false
	}
	abs, err := base.Parse(href)
	if err != nil || (abs.Scheme != "http" && abs.Scheme != "https") {
		return FeedLink{}, false
	}
	if feedTypes[mt] {
		typ = mt
	}
	return FeedLink{URL: abs.String(), Type: typ, Title: title}, true
}

func attr(z *html.Tokenizer, hasAttr bool, name string) string {
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		if string(k) == name {
			return strings.TrimSpace(string(v))
		}
	}
	return ""
}

// hasToken reports whether a space-separated rel list contains tok.
func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if f == tok {
			return true
		}
	}
	return false
}

// feedTypeOf recognises a fetched document that is itself a feed.
func feedTypeOf(mt string, body []byte) string {
	if feedTypes[mt] {
		return mt
	}
	head := body[:min(len(body), 1024)]
	switch {
	case mt == "application/json" && bytes.Contains(head, []byte("jsonfeed.org/version")):
		return feedJSON
	case strings.HasSuffix(mt, "xml") && bytes.Contains(head, []byte("<rss")):
		return feedRSS
	case strings.HasSuffix(mt, "xml") && bytes.Contains(head, []byte("<feed")):
		return feedAtom
	}
	return ""
}
