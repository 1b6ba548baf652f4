package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Excerpt returns the first n characters (runes) of the text of an HTML
// fragment, cut at a word boundary and ended with an ellipsis when it was
// shortened. It is meant for summaries and meta descriptions, so it is plain
// text: tags are dropped, entities decoded, whitespace collapsed, and the
// text of script, style and footnote references left out.
func Excerpt(fragment string, n int) string {
	if n <= 0 {
		return ""
	}
	return shorten(plainText(fragment, false), n)
}

// ExcerptLines is Excerpt for a listing: paragraphs and list items stay on
// lines of their own (items marked with a bullet), so that a list does not
// read as one run-on sentence. Show it with white-space: pre-line.
func ExcerptLines(fragment string, n int) string {
	if n <= 0 {
		return ""
	}
	return shorten(plainText(fragment, true), n)
}

// shorten cuts text to n runes at a word boundary, with an ellipsis.
func shorten(text string, n int) string {
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	runes := []rune(text)
	cut := n
	// Step back to the last space so no word is cut in half, unless the
	// text has no space early enough (a long URL, CJK text).
	for i := n; i > n/2; i-- {
		if unicode.IsSpace(runes[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(runes[:cut]), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r)
	}) + "…"
}

// plainText walks the fragment's tokens and joins its text, on one line or,
// with lines set, one line per block.
func plainText(fragment string, lines bool) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	var b strings.Builder
	skip := 0 // depth inside elements whose text is not prose
	brk := byte(' ')
	if lines {
		brk = '\n'
	}
	for {
		switch z.Next() {
		case html.ErrorToken:
			if !lines {
				return strings.Join(strings.Fields(b.String()), " ")
			}
			var out []string
			for _, l := range strings.Split(b.String(), "\n") {
				if l = strings.Join(strings.Fields(l), " "); l != "" && l != "•" {
					out = append(out, l)
				}
			}
			if len(out) > maxExcerptLines {
				out = append(out[:maxExcerptLines], "…")
			}
			return strings.Join(out, "\n")
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			if skipped(string(name)) {
				skip++
			}
			if blockLevel(string(name)) {
				b.WriteByte(cellBreak(string(name), brk))
			}
			if lines && string(name) == "li" {
				b.WriteString("• ")
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if skipped(string(name)) && skip > 0 {
				skip--
			}
			if blockLevel(string(name)) {
				b.WriteByte(cellBreak(string(name), brk))
			}
		case html.SelfClosingTagToken:
			name, _ := z.TagName()
			if string(name) == "br" {
				b.WriteByte(brk)
			}
		}
	}
}

// skipped elements hold text a reader of the summary should not see:
// code that is not prose and footnote markers ("1") that read as noise.
func skipped(tag string) bool {
	switch tag {
	case "script", "style", "sup", "template":
		return true
	}
	return false
}

// maxExcerptLines keeps a listing's excerpt to a few lines however short
// they are.
const maxExcerptLines = 6

// cellBreak keeps a table row's cells on one line: only the row breaks it.
func cellBreak(tag string, brk byte) byte {
	if tag == "td" || tag == "th" {
		return ' '
	}
	return brk
}

func blockLevel(tag string) bool {
	switch tag {
	case "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
		"blockquote", "pre", "table", "tr", "td", "th", "br", "hr", "section", "article":
		return true
	}
	return false
}
