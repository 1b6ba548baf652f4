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
	text := plainText(fragment)
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

// plainText walks the fragment's tokens and joins its text.
func plainText(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	var b strings.Builder
	skip := 0 // depth inside elements whose text is not prose
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
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
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if skipped(string(name)) && skip > 0 {
				skip--
			}
			if blockLevel(string(name)) {
				b.WriteByte(' ')
			}
		case html.SelfClosingTagToken:
			name, _ := z.TagName()
			if string(name) == "br" {
				b.WriteByte(' ')
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

func blockLevel(tag string) bool {
	switch tag {
	case "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
		"blockquote", "pre", "table", "tr", "td", "th", "br", "hr", "section", "article":
		return true
	}
	return false
}
