package vocab

import (
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
)

// policy is roost's one policy for HTML that comes from other servers. It
// keeps the markup Mastodon-compatible servers produce for posts and
// profiles (paragraphs, links, mention and hashtag microformats, the spans
// that shorten long links) and removes everything that could run code,
// load something, or restyle the page. Images inside content are dropped:
// media arrive as attachments, where roost can show them with alt text and
// behind content warnings.
var policy = newPolicy()

// allowedClasses are the class lists that Mastodon-style servers give links
// and spans: h-card and u-url wrap mentions, invisible and ellipsis shorten
// long URLs, quote-inline marks the fallback text of a quote.
var allowedClasses = regexp.MustCompile(`^\s*(?:(?:h-card|u-url|mention|hashtag|invisible|ellipsis|quote-inline)\s*)+$`)

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "ul", "ol", "li", "blockquote", "pre", "code",
		"strong", "em", "b", "i", "del", "s", "u", "h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("class").Matching(allowedClasses).OnElements("a", "span")
	p.AllowElements("span")

	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(false)
	p.RequireParseableURLs(true)
	// Links leave the site: no referrer, no window.opener, no endorsement.
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
}

// SanitizeHTML cleans HTML from another server with roost's one policy.
// Everything remote goes through it once, when it arrives.
func SanitizeHTML(s string) string {
	if s == "" {
		return ""
	}
	return strings.TrimSpace(policy.Sanitize(s))
}

// PlainText renders HTML as plain text for notifications, titles and
// content warnings: tags are removed, entities decoded, paragraphs and line
// breaks become newlines, and the contents of script and style are dropped.
func PlainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return strings.TrimSpace(collapseBlankLines(b.String()))
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "template", "iframe", "noscript":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case "br":
				b.WriteByte('\n')
			case "p", "div", "blockquote", "li", "h1", "h2", "h3", "h4", "h5", "h6", "pre":
				if tt == html.EndTagToken {
					b.WriteString("\n\n")
				}
			}
		}
	}
}

// collapseBlankLines keeps at most one empty line between paragraphs.
func collapseBlankLines(s string) string {
	for strings.Contains(s, "\n\n\n") {
		s = strings.ReplaceAll(s, "\n\n\n", "\n\n")
	}
	return s
}
