package micropub

import (
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Clients such as Quill send rich content as {"html": "..."}. The blog
// stores Markdown and renders it without raw HTML (raw HTML is dropped, by
// design), and notes are plain text, so HTML content is converted here:
// to Markdown for articles, to text for notes. Only structure survives;
// attributes other than link targets, image sources and alt text are
// dropped, and links that are not http, https or mailto keep only their
// text.

// htmlToMarkdown converts an HTML fragment to Markdown.
func htmlToMarkdown(s string) string {
	return convertHTML(s, false)
}

// htmlToText converts an HTML fragment to plain text with paragraphs
// separated by blank lines.
func htmlToText(s string) string {
	return convertHTML(s, true)
}

func convertHTML(s string, plain bool) string {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		// The tokenizer only fails on read errors, which a string reader
		// does not have; fall back to the text as given.
		return strings.TrimSpace(s)
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	c := converter{plain: plain}
	return strings.Join(c.blocks(root), "\n\n")
}

type converter struct{ plain bool }

// skipped elements contribute nothing, not even their text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Template: true, atom.Head: true,
	atom.Iframe: true, atom.Object: true, atom.Noscript: true, atom.Button: true,
	atom.Form: true, atom.Input: true, atom.Select: true, atom.Textarea: true,
}

var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Main: true, atom.Aside: true, atom.Nav: true, atom.Figure: true,
	atom.Figcaption: true, atom.Blockquote: true, atom.Ul: true, atom.Ol: true, atom.Pre: true,
	atom.Hr: true, atom.Table: true, atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Details: true,
	atom.Summary: true, atom.Address: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
}

// blocks renders the children of n as a list of blocks; inline content
// between block elements forms paragraphs.
func (c converter) blocks(n *html.Node) []string {
	var out []string
	var para strings.Builder
	flush := func() {
		if t := c.paragraph(para.String()); t != "" {
			out = append(out, t)
		}
		para.Reset()
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && blockElements[ch.DataAtom] {
			flush()
			if b := c.block(ch); b != "" {
				out = append(out, b)
			}
			continue
		}
		c.inline(&para, ch)
	}
	flush()
	return out
}

// paragraph trims a run of inline text and, in Markdown, escapes what
// would start a heading, list or rule at the beginning of a line.
func (c converter) paragraph(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		l = strings.TrimLeft(l, " ")
		if !c.plain {
			l = escapeLineStart(l)
		}
		lines[i] = l
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

var orderedMarker = regexp.MustCompile(`^(\d+)([.)])`)

func escapeLineStart(l string) string {
	if m := orderedMarker.FindStringSubmatch(l); m != nil {
		return m[1] + `\` + l[len(m[1]):]
	}
	if l != "" && strings.ContainsRune("#-+=", rune(l[0])) {
		return `\` + l
	}
	return l
}

func (c converter) block(n *html.Node) string {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		text := c.inlineText(n)
		if c.plain || text == "" {
			return text
		}
		level := int(n.Data[1] - '0')
		return strings.Repeat("#", level) + " " + strings.ReplaceAll(text, "\n", " ")
	case atom.Blockquote:
		inner := strings.Join(c.blocks(n), "\n\n")
		if c.plain || inner == "" {
			return inner
		}
		return prefixLines(inner, "> ", "> ")
	case atom.Ul, atom.Ol:
		return c.list(n)
	case atom.Pre:
		return c.pre(n)
	case atom.Hr:
		if c.plain {
			return ""
		}
		return "---"
	case atom.Table:
		return c.table(n)
	}
	return strings.Join(c.blocks(n), "\n\n")
}

func (c converter) list(n *html.Node) string {
	var items []string
	num := 1
	if start, err := strconv.Atoi(attr(n, "start")); err == nil && start >= 0 {
		num = start
	}
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || li.DataAtom != atom.Li {
			continue
		}
		marker := "- "
		if n.DataAtom == atom.Ol {
			marker = strconv.Itoa(num) + ". "
			num++
		}
		body := strings.Join(c.blocks(li), "\n\n")
		items = append(items, prefixLines(body, marker, strings.Repeat(" ", len(marker))))
	}
	return strings.Join(items, "\n")
}

func (c converter) pre(n *html.Node) string {
	text := strings.TrimRight(textContent(n), "\n")
	if c.plain {
		return text
	}
	lang := ""
	if code := n.FirstChild; code != nil && code.DataAtom == atom.Code {
		for _, class := range strings.Fields(attr(code, "class")) {
			if l, ok := strings.CutPrefix(class, "language-"); ok {
				lang = l
			}
		}
	}
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	return fence + lang + "\n" + text + "\n" + fence
}

// table renders a GFM table; its first row is the header row.
func (c converter) table(n *html.Node) string {
	var rows [][]string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			if ch.DataAtom != atom.Tr {
				walk(ch)
				continue
			}
			var row []string
			for cell := ch.FirstChild; cell != nil; cell = cell.NextSibling {
				if cell.DataAtom == atom.Td || cell.DataAtom == atom.Th {
					text := strings.ReplaceAll(c.inlineText(cell), "\n", " ")
					if !c.plain {
						text = strings.ReplaceAll(text, "|", `\|`)
					}
					row = append(row, text)
				}
			}
			rows = append(rows, row)
		}
	}
	walk(n)
	if len(rows) == 0 {
		return ""
	}
	var lines []string
	for i, row := range rows {
		if c.plain {
			lines = append(lines, strings.Join(row, " | "))
			continue
		}
		lines = append(lines, "| "+strings.Join(row, " | ")+" |")
		if i == 0 {
			lines = append(lines, "|"+strings.Repeat(" --- |", len(row)))
		}
	}
	return strings.Join(lines, "\n")
}

func prefixLines(s, first, rest string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		if l == "" {
			p = strings.TrimRight(p, " ")
		}
		lines[i] = p + l
	}
	return strings.Join(lines, "\n")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Br {
			b.WriteString("\n")
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(n)
	return b.String()
}
