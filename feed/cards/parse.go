package cards

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html/charset"
)

// Lengths Mastodon keeps of a card's texts (it cuts titles and
// descriptions longer than these).
const (
	maxTitle       = 250
	maxDescription = 1000
)

// page is what an HTML page says about itself.
type page struct {
	card Card
	// oEmbed is the page's oEmbed (JSON) discovery link, "".
	oEmbed string
}

// parsePage reads OpenGraph, Twitter-card and plain HTML meta from body, in
// the charset the Content-Type or the page itself names. base is the URL
// the page was fetched from, which relative links are resolved against.
func parsePage(body []byte, contentType string, base *url.URL) (page, error) {
	r, err := charset.NewReader(bytes.NewReader(body), contentType)
	if err != nil {
		return page{}, fmt.Errorf("%w: charset: %v", errUnreadable, err)
	}
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		return page{}, fmt.Errorf("%w: %v", errUnreadable, err)
	}
	m := metaOf(doc)
	c := Card{Type: TypeLink, URL: base.String()}
	// A page may name its canonical address, on its own site only (as
	// Mastodon has it): a card must not link somewhere else than the post.
	if u := absoluteURL(base, m.first("og:url")); u != "" && sameOrigin(u, base) {
		c.URL = u
	}
	c.Title = m.first("og:title", "twitter:title")
	if c.Title == "" {
		c.Title = strings.TrimSpace(doc.Find("head title").First().Text())
	}
	c.Title = clip(oneLine(c.Title), maxTitle)
	c.Description = clip(oneLine(m.first("og:description", "twitter:description", "description")), maxDescription)
	c.ProviderName = oneLine(m.first("og:site_name", "application-name"))
	c.Image = absoluteURL(base, m.first("og:image:secure_url", "og:image:url", "og:image", "twitter:image", "twitter:image:src"))
	if c.Image != "" {
		c.Width, c.Height = atoi(m.first("og:image:width")), atoi(m.first("og:image:height"))
		c.ImageDescription = clip(oneLine(m.first("og:image:alt", "twitter:image:alt")), maxDescription)
	}
	// article:author is a profile URL by the OpenGraph spec, a name in
	// practice as often.
	author := m.first("article:author", "author", "twitter:creator")
	if u := absoluteURL(base, author); u != "" && strings.Contains(author, "://") {
		c.AuthorURL = u
	} else {
		c.AuthorName = oneLine(author)
	}
	if t, err := time.Parse(time.RFC3339, m.first("article:published_time", "og:published_time")); err == nil {
		c.PublishedAt = t.UTC()
	}
	lang, _ := doc.Find("html").First().Attr("lang")
	c.Language = languageTag(lang)
	p := page{card: c}
	doc.Find(`link[rel~="alternate"]`).EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if t, _ := s.Attr("type"); strings.EqualFold(strings.TrimSpace(t), "application/json+oembed") {
			href, _ := s.Attr("href")
			p.oEmbed = absoluteURL(base, href)
			return false
		}
		return true
	})
	return p, nil
}

// meta is a page's <meta> values by property or name, first one kept.
type meta map[string]string

func metaOf(doc *goquery.Document) meta {
	m := meta{}
	doc.Find("meta").Each(func(_ int, s *goquery.Selection) {
		content, ok := s.Attr("content")
		if !ok {
			return
		}
		for _, attr := range []string{"property", "name"} {
			if k, ok := s.Attr(attr); ok {
				k = strings.ToLower(strings.TrimSpace(k))
				if _, seen := m[k]; !seen && strings.TrimSpace(content) != "" {
					m[k] = strings.TrimSpace(content)
				}
			}
		}
	})
	return m
}

func (m meta) first(keys ...string) string {
	for _, k := range keys {
		if v := m[k]; v != "" {
			return v
		}
	}
	return ""
}

// absoluteURL resolves ref against base and keeps it only if it is http(s).
func absoluteURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := base.Parse(ref)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

func sameOrigin(u string, base *url.URL) bool {
	p, err := url.Parse(u)
	return err == nil && p.Scheme == base.Scheme && strings.EqualFold(p.Host, base.Host)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 100000 {
		return 0
	}
	return n
}

// languageTag keeps the primary subtag of a BCP 47 tag ("en" of "en-GB"),
// as Mastodon reports languages.
func languageTag(lang string) string {
	primary, _, _ := strings.Cut(strings.TrimSpace(lang), "-")
	primary = strings.ToLower(primary)
	if len(primary) < 2 || len(primary) > 3 {
		return ""
	}
	for _, r := range primary {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return primary
}
