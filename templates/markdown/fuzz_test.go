package markdown

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// renderedElements are the elements goldmark writes for Markdown with the
// extensions roost enables. Raw HTML in the source is replaced by a
// comment, so any other element in the output is raw HTML that got through.
var renderedElements = map[string]bool{
	"p": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"em": true, "strong": true, "del": true, "a": true, "img": true, "code": true, "pre": true,
	"blockquote": true, "ul": true, "ol": true, "li": true, "hr": true, "br": true,
	"table": true, "thead": true, "tbody": true, "tr": true, "th": true, "td": true,
	"input": true, "sup": true, "section": true, "div": true, "span": true,
}

// FuzzRender checks that rendered Markdown carries no raw HTML, no script
// or style, no event handlers and no links or images to anything but web,
// mail and relative addresses, whatever the source.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"# Title\n\nSome *emphasis*, **strong**, ~~gone~~ and `code`.\n\n- [ ] task\n- [x] done\n",
		"| a | b |\n|---|---|\n| 1 | 2 |\n\nA footnote[^1].\n\n[^1]: The note.\n",
		"```go\nfunc main() {}\n```\n\n> quote\n\n![alt](https://a.example/i.png \"t\")",
		"<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))",
		"[x](JaVaScRiPt:alert(1)) <javascript:alert(1)> [y](data:text/html,x) <div onclick=\"x\">\nraw\n</div>",
		"[a](<java\tscript:alert(1)>) [b]( vbscript:x ) ![c](\x01javascript:x) <b>bold</b> <!-- c -->",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out, err := Render(src)
		if err != nil {
			return
		}
		z := html.NewTokenizer(strings.NewReader(out))
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				return
			}
			if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
				continue
			}
			tok := z.Token()
			if !renderedElements[tok.Data] {
				t.Fatalf("element <%s> in the output of %q:\n%s", tok.Data, src, out)
			}
			for _, a := range tok.Attr {
				if strings.HasPrefix(a.Key, "on") || a.Key == "style" || a.Key == "srcdoc" || a.Key == "formaction" {
					t.Fatalf("attribute %s in the output of %q:\n%s", a.Key, src, out)
				}
				if (a.Key == "href" || a.Key == "src") && !safeURL(a.Val) {
					t.Fatalf("%s=%q in the output of %q:\n%s", a.Key, a.Val, src, out)
				}
			}
		}
	})
}

// safeURL reports whether a browser would open v as a web, mail or
// relative address; it drops tabs and newlines first, as browsers do.
func safeURL(v string) bool {
	v = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(v)
	v = strings.TrimLeft(v, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	u, err := url.Parse(v)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https", "mailto":
		return true
	}
	return false
}
