package markdown

import (
	"bytes"
	"html"
	"regexp"
	"strings"

	xhtml "golang.org/x/net/html"
)

// hashtag is a # after the start or a space or opening punctuation,
// followed by letters, digits or underscores: "#fediverse" but not the
// "#" of "C#" or of a URL fragment.
var hashtag = regexp.MustCompile(`(^|[\s(\[])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)`)

// LinkHashtags links the #hashtags in the text of rendered HTML to
// tagURL(tag) (the local tag page), leaving text inside links, code and
// preformatted blocks alone. The input is HTML that Render produced; the
// output keeps it sanitized, since only escaped text and links to tagURL
// are added.
func LinkHashtags(src string, tagURL func(tag string) string) string {
	if !strings.Contains(src, "#") {
		return src
	}
	var out bytes.Buffer
	z := xhtml.NewTokenizer(strings.NewReader(src))
	skip := 0 // depth inside a, code or pre
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			return out.String()
		case xhtml.StartTagToken, xhtml.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "a", "code", "pre":
				if tt == xhtml.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			}
			out.Write(z.Raw())
		case xhtml.TextToken:
			raw := string(z.Raw())
			if skip > 0 || !strings.Contains(raw, "#") {
				out.WriteString(raw)
				continue
			}
			text := html.UnescapeString(raw)
			last := 0
			for _, m := range hashtag.FindAllStringSubmatchIndex(text, -1) {
				tagStart, tagEnd := m[4], m[5]
				out.WriteString(html.EscapeString(text[last : tagStart-1]))
				tag := text[tagStart:tagEnd]
				out.WriteString(`<a href="` + html.EscapeString(tagURL(tag)) + `" class="mention hashtag" rel="tag">#<span>` +
					html.EscapeString(tag) + `</span></a>`)
				last = tagEnd
			}
			out.WriteString(html.EscapeString(text[last:]))
		default:
			out.Write(z.Raw())
		}
	}
}
