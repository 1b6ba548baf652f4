package micropub

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// inline renders n as inline content into b.
func (c converter) inline(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		text := collapseSpace(n.Data)
		if !c.plain {
			text = escapeMarkdown(text)
		}
		b.WriteString(text)
		return
	case html.ElementNode, html.DocumentNode:
	default:
		return
	}
	if skipped[n.DataAtom] {
		return
	}
	switch n.DataAtom {
	case atom.Br:
		if c.plain {
			b.WriteString("\n")
		} else {
			// Two trailing spaces are a hard line break in CommonMark.
			b.WriteString("  \n")
		}
	case atom.Strong, atom.B:
		c.emphasis(b, n, "**")
	case atom.Em, atom.I:
		c.emphasis(b, n, "*")
	case atom.Del, atom.S, atom.Strike:
		c.emphasis(b, n, "~~")
	case atom.Code:
		c.code(b, n)
	case atom.A:
		c.link(b, n)
	case atom.Img:
		c.image(b, n)
	default:
		if blockElements[n.DataAtom] {
			// A block inside inline content (a div in a link) still
			// separates words.
			b.WriteString(" ")
			defer b.WriteString(" ")
		}
		c.children(b, n)
	}
}

func (c converter) children(b *strings.Builder, n *html.Node) {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.inline(b, ch)
	}
}

// inlineText renders n's children as one line.
func (c converter) inlineText(n *html.Node) string {
	var b strings.Builder
	c.children(&b, n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// emphasis wraps n's content in marker. CommonMark only sees emphasis when
// the markers touch the text, so surrounding spaces move outside.
func (c converter) emphasis(b *strings.Builder, n *html.Node, marker string) {
	var inner strings.Builder
	c.children(&inner, n)
	s := inner.String()
	trimmed := strings.TrimSpace(s)
	if c.plain || trimmed == "" {
		b.WriteString(s)
		return
	}
	lead := s[:len(s)-len(strings.TrimLeft(s, " \n"))]
	trail := s[len(strings.TrimRight(s, " \n")):]
	b.WriteString(lead + marker + trimmed + marker + trail)
}

var backtickRun = regexp.MustCompile("`+")

// code writes inline code with a fence longer than any backtick run inside.
func (c converter) code(b *strings.Builder, n *html.Node) {
	text := strings.ReplaceAll(textContent(n), "\n", " ")
	if c.plain || text == "" {
		b.WriteString(text)
		return
	}
	longest := 0
	for _, run := range backtickRun.FindAllString(text, -1) {
		longest = max(longest, len(run))
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(text, "`") || strings.HasSuffix(text, "`") {
		text = " " + text + " "
	}
	b.WriteString(fence + text + fence)
}

func (c converter) link(b *strings.Builder, n *html.Node) {
	var inner strings.Builder
	c.children(&inner, n)
	text := strings.TrimSpace(inner.String())
	href := strings.TrimSpace(attr(n, "href"))
	if href == "" || !safeLink(href) {
		b.WriteString(inner.String())
		return
	}
	if c.plain {
		switch {
		case text == "" || text == href:
			b.WriteString(href)
		case strings.HasPrefix(text, "@"), strings.HasPrefix(text, "#"), strings.Contains(href, text):
			// Mentions, hashtags and shortened URLs read well alone.
			b.WriteString(text)
		default:
			b.WriteString(text + " (" + href + ")")
		}
		return
	}
	if text == "" || text == escapeMarkdown(href) {
		b.WriteString("<" + escapeURL(href) + ">")
		return
	}
	b.WriteString("[" + text + "](" + escapeURL(href) + ")")
}

func (c converter) image(b *strings.Builder, n *html.Node) {
	alt := collapseSpace(strings.TrimSpace(attr(n, "alt")))
	src := strings.TrimSpace(attr(n, "src"))
	if c.plain {
		b.WriteString(alt)
		return
	}
	if !isWebURL(src) {
		b.WriteString(escapeMarkdown(alt))
		return
	}
	b.WriteString("![" + escapeMarkdown(alt) + "](" + escapeURL(src) + ")")
}

// safeLink accepts web and mail links, and relative ones; javascript:,
// data: and other schemes keep only their text.
func safeLink(href string) bool {
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https", "mailto":
		return true
	case "":
		return !strings.HasPrefix(href, "//")
	}
	return false
}

var urlEscaper = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")

func escapeURL(u string) string { return urlEscaper.Replace(u) }

var spaceRun = regexp.MustCompile(`[ \t\n\r\f]+`)

// collapseSpace applies HTML's rule that a run of white space is one space.
func collapseSpace(s string) string { return spaceRun.ReplaceAllString(s, " ") }

var (
	markdownEscaper = strings.NewReplacer(
		`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
		`<`, `\<`, `>`, `\>`, `~`, `\~`,
	)
	entityLike = regexp.MustCompile(`&(#?[0-9A-Za-z]+;)`)
)

// escapeMarkdown makes text from HTML read literally in Markdown: emphasis
// and link characters, angle brackets (which would start raw HTML, dropped
// by the renderer) and ampersands that would form an entity.
func escapeMarkdown(s string) string {
	return entityLike.ReplaceAllString(markdownEscaper.Replace(s), `\&$1`)
}
