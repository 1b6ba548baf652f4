package micropub

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

func TestHTMLToMarkdown(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs", "<p>One</p>\n<p>Two</p>", "One\n\nTwo"},
		{"bare text", "just text", "just text"},
		{"emphasis keeps spaces outside", "<p>a<strong> bold </strong>b <em>it</em> <del>gone</del></p>", "a **bold** b *it* ~~gone~~"},
		{"line break", "<p>one<br>two</p>", "one  \ntwo"},
		{"heading", "<h3>Part <i>one</i></h3><p>x</p>", "### Part *one*\n\nx"},
		{"link", `<p>see <a href="https://x.example/a b">the page</a></p>`, "see [the page](https://x.example/a%20b)"},
		{"autolink", `<a href="https://x.example/">https://x.example/</a>`, "<https://x.example/>"},
		{"javascript link keeps its text", `<a href="javascript:alert(1)">click</a>`, "click"},
		{"image", `<p><img src="https://cdn.example/a.jpg" alt="A [cat]"></p>`, `![A \[cat\]](https://cdn.example/a.jpg)`},
		{"image with a data URL", `<img src="data:image/png;base64,AAAA" alt="dot">`, "dot"},
		{"lists", "<ul><li>a</li><li>b<ol start=\"3\"><li>c</li></ol></li></ul>", "- a\n- b\n\n  3. c"},
		{"quote", "<blockquote><p>q1</p><p>q2</p></blockquote>", "> q1\n>\n> q2"},
		{"code block with language", `<pre><code class="language-go">if a < b {` + "\n\t`x`\n" + `}</code></pre>`, "```go\nif a < b {\n\t`x`\n}\n```"},
		{"inline code", "<p>run <code>go test</code> and <code>a`b</code></p>", "run `go test` and ``a`b``"},
		{"markdown characters are literal", "<p>2*3 = 6, a_b, [x], &lt;b&gt;, &amp;amp;</p>", `2\*3 = 6, a\_b, \[x\], \<b\>, \&amp;`},
		{"line starts that would be syntax", "<p># not a heading</p><p>1. not a list</p><p>- nor this</p>", "\\# not a heading\n\n1\\. not a list\n\n\\- nor this"},
		{"script and style dropped", "<p>a<script>alert(1)</script><style>p{}</style>b</p>", "ab"},
		{"raw HTML comment dropped", "<p>a<!-- hidden -->b</p>", "ab"},
		{"whitespace collapses", "<p>  lots \n\n of   space </p>", "lots of space"},
		{"table", "<table><tr><th>a</th><th>b</th></tr><tr><td>1|2</td><td>3</td></tr></table>", "| a | b |\n| --- | --- |\n| 1\\|2 | 3 |"},
		{"rule", "<p>a</p><hr><p>b</p>", "a\n\n---\n\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToMarkdown(tt.in); got != tt.want {
				t.Errorf("htmlToMarkdown(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs and breaks", "<p>one<br>two</p><p>three</p>", "one\ntwo\n\nthree"},
		{"no markup characters added", "<p><b>bold</b> *stars* <code>x</code></p>", "bold *stars* x"},
		{"link with other text", `<a href="https://x.example/">a page</a>`, "a page (https://x.example/)"},
		{"link with its URL as text", `<a href="https://x.example/">https://x.example/</a>`, "https://x.example/"},
		{"mention and hashtag links", `<a href="https://x.example/@bob">@bob</a> <a href="https://x.example/tags/go">#go</a>`, "@bob #go"},
		{"javascript link", `<a href="javascript:alert(1)">click</a>`, "click"},
		{"image alt", `<img src="https://cdn.example/a.jpg" alt="a cat">`, "a cat"},
		{"list", "<ul><li>a</li><li>b</li></ul>", "- a\n- b"},
		{"quote loses its marker", "<blockquote>quoted</blockquote>", "quoted"},
		{"entities decoded", "<p>a &amp; b &lt;3</p>", "a & b <3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToText(tt.in); got != tt.want {
				t.Errorf("htmlToText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// The Markdown must mean what the HTML meant once the blog renders it with
// goldmark and GFM, raw HTML disabled.
func TestHTMLToMarkdownRenders(t *testing.T) {
	in := `<h2>Title</h2><p>Some <strong>bold</strong>, <em>slanted</em> and <a href="https://x.example/">linked</a> words; ` +
		`2*3 &lt;b&gt; a_b_c.</p><ul><li>one</li><li>two</li></ul><blockquote><p>quoted</p></blockquote>` +
		`<pre><code class="language-go">x := 1</code></pre><p># hash</p>`
	md := htmlToMarkdown(in)
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(md), &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"<h2>Title</h2>", "<strong>bold</strong>", "<em>slanted</em>", `<a href="https://x.example/">linked</a>`,
		"2*3 &lt;b&gt; a_b_c.", "<li>one</li>", "<blockquote>\n<p>quoted</p>", `<code class="language-go">x := 1`, "<p># hash</p>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered Markdown lacks %q\nmarkdown:\n%s\nhtml:\n%s", want, md, got)
		}
	}
	if strings.Contains(got, "raw HTML omitted") {
		t.Errorf("converted Markdown contains raw HTML:\n%s", md)
	}
}
