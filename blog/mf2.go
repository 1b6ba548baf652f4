package blog

import (
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// mention is what a Webmention's source page says about the target, read
// from its microformats2 h-entry.
type mention struct {
	Kind                           string // reply, like, repost or mention
	AuthorName, AuthorURL, Photo   string
	ContentHTML, URL, PublishedRaw string
}

// The kinds of Webmention, as stored in comments.webmention.
const (
	mentionReply   = "reply"
	mentionLike    = "like"
	mentionRepost  = "repost"
	mentionMention = "mention"
)

// readMention parses the parts of microformats2 a Webmention needs: the
// first h-entry, its in-reply-to / like-of / repost-of, e-content, u-url,
// dt-published and its p-author h-card. Properties of nested
// microformats (a quoted h-cite, the author's h-card) are not the entry's.
func readMention(doc *goquery.Document, source *url.URL, target string) mention {
	m := mention{Kind: mentionMention, URL: source.String()}
	entry := doc.Find(".h-entry").First()
	if entry.Length() == 0 {
		return m
	}
	root := entry.Get(0)
	switch {
	case propLinksTo(entry, root, "u-in-reply-to", source, target):
		m.Kind = mentionReply
	case propLinksTo(entry, root, "u-like-of", source, target):
		m.Kind = mentionLike
	case propLinksTo(entry, root, "u-repost-of", source, target):
		m.Kind = mentionRepost
	}
	if c := props(entry, root, "e-content").First(); c.Length() > 0 {
		m.ContentHTML, _ = c.Html()
	} else if c := props(entry, root, "p-content").First(); c.Length() > 0 {
		m.ContentHTML = html.EscapeString(strings.TrimSpace(c.Text()))
	}
	if u := props(entry, root, "u-url").First(); u.Length() > 0 {
		m.URL = resolve(source, urlValue(u))
	}
	if d := props(entry, root, "dt-published").First(); d.Length() > 0 {
		m.PublishedRaw = strings.TrimSpace(d.AttrOr("datetime", d.Text()))
	}
	if a := props(entry, root, "p-author").First(); a.Length() > 0 {
		m.AuthorName, m.AuthorURL, m.Photo = readCard(a, source)
	}
	return m
}

// readCard reads name, url and photo of an h-card, or of a plain p-author
// (its text, and its href when it is a link).
func readCard(card *goquery.Selection, source *url.URL) (name, link, photo string) {
	if !hasClass(card.Get(0), "h-card") {
		return strings.TrimSpace(card.Text()), resolve(source, card.AttrOr("href", "")), ""
	}
	root := card.Get(0)
	name = strings.TrimSpace(card.Text())
	if n := propsOrSelf(card, root, "p-name"); n.Length() > 0 {
		name = strings.TrimSpace(n.First().AttrOr("alt", n.First().Text()))
	}
	if u := propsOrSelf(card, root, "u-url"); u.Length() > 0 {
		link = resolve(source, urlValue(u.First()))
	} else if href, ok := card.Attr("href"); ok && (root.Data == "a" || root.Data == "area") {
		// The implied u-url of <a class="h-card" href="...">.
		link = resolve(source, href)
	}
	if p := propsOrSelf(card, root, "u-photo"); p.Length() > 0 {
		photo = resolve(source, urlValue(p.First()))
	}
	return name, link, photo
}

// props are the elements below root carrying class whose nearest
// microformat root is root itself.
func props(sel *goquery.Selection, root *html.Node, class string) *goquery.Selection {
	return sel.Find("." + class).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return nearestRoot(s.Get(0).Parent) == root
	})
}

// propsOrSelf also counts root itself (`<a class="p-author h-card u-url">`).
func propsOrSelf(sel *goquery.Selection, root *html.Node, class string) *goquery.Selection {
	if hasClass(root, class) {
		return sel
	}
	return props(sel, root, class)
}

func propLinksTo(sel *goquery.Selection, root *html.Node, class string, source *url.URL, target string) bool {
	found := false
	props(sel, root, class).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		v := urlValue(s)
		if c := s.Find(".u-url").First(); hasClass(s.Get(0), "h-cite") && c.Length() > 0 {
			v = urlValue(c)
		}
		found = sameURL(resolve(source, v), target)
		return !found
	})
	return found
}

// nearestRoot walks up to the closest element with an h-* class.
func nearestRoot(n *html.Node) *html.Node {
	for ; n != nil; n = n.Parent {
		if n.Type != html.ElementNode {
			continue
		}
		for _, c := range strings.Fields(attr(n, "class")) {
			if strings.HasPrefix(c, "h-") {
				return n
			}
		}
	}
	return nil
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// urlValue is a u-* property's value per the microformats2 parsing rules.
func urlValue(s *goquery.Selection) string {
	for _, k := range []string{"href", "src", "data", "poster"} {
		if v, ok := s.Attr(k); ok {
			return v
		}
	}
	if v, ok := s.Attr("value"); ok {
		return v
	}
	return strings.TrimSpace(s.Text())
}

func resolve(base *url.URL, ref string) string {
	if ref == "" {
		return ""
	}
	u, err := base.Parse(strings.TrimSpace(ref))
	if err != nil {
		return ""
	}
	return u.String()
}

// sameURL compares two URLs ignoring the fragment and a trailing slash.
func sameURL(a, b string) bool {
	norm := func(s string) string {
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = s[:i]
		}
		return strings.TrimSuffix(s, "/")
	}
	return a != "" && norm(a) == norm(b)
}

// linksTo tells whether the page links to target anywhere (the Webmention
// spec's verification: a link, an image, a media source).
func linksTo(doc *goquery.Document, source *url.URL, target string) bool {
	found := false
	doc.Find("a[href], link[href], img[src], video[src], audio[src], source[src]").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		v := s.AttrOr("href", s.AttrOr("src", ""))
		found = sameURL(resolve(source, v), target)
		return !found
	})
	return found
}
