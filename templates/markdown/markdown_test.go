package markdown

import (
	"strings"
	"testing"
)

func TestRenderHostileInputIsInert(t *testing.T) {
	tests := []struct {
		name, src string
		// banned must not appear (case-insensitive) in the output.
		banned []string
		// want must appear, when set: what of the input survives as text.
		want string
	}{
		{"script block", "<script>alert(1)</script>\n\nhello", []string{"<script", "alert(1)"}, "<p>hello</p>"},
		{"inline script", "hi <script>alert(1)</script> there", []string{"<script"}, "hi"},
		{"img onerror", `<img src=x onerror=alert(1)>`, []string{"onerror", "<img"}, ""},
		{"javascript link", "[x](javascript:alert(1))", []string{"javascript:"}, "<p>x</p>"},
		{"mixed case scheme", "[x](JaVaScRiPt:alert(1))", []string{"javascript:"}, "<p>x</p>"},
		{"javascript image", "![a](javascript:alert(1))", []string{"javascript:"}, `alt="a"`},
		{"data url link", "[x](data:text/html;base64,PHNjcmlwdD4=)", []string{"data:"}, "<p>x</p>"},
		{"iframe", `<iframe src="https://evil.example/"></iframe>`, []string{"<iframe", "evil.example"}, ""},
		{"raw html block", "<div onclick=\"steal()\">\nraw\n</div>", []string{"onclick", "<div", "steal"}, ""},
		{"javascript autolink", "<javascript:alert(1)>", []string{`href="javascript`}, ""},
		{"style attribute", `<p style="background:url(javascript:x)">x</p>`, []string{"style=", "javascript"}, ""},
		{"html comment kept out", "<!-- secret -->", []string{"secret", "<!--"}, ""},
		{"object embed", `<object data="x.swf"></object><embed src="x">`, []string{"<object", "<embed"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(tt.src)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			lower := strings.ToLower(got)
			for _, b := range tt.banned {
				if strings.Contains(lower, strings.ToLower(b)) {
					t.Errorf("output contains %q:\n%s", b, got)
				}
			}
			if tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, got)
			}
		})
	}
}

func TestRenderFeatures(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"gfm table", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<th>a</th>", "<td>2</td>"}},
		{"strikethrough", "~~gone~~", []string{"<del>gone</del>"}},
		{"autolink", "see https://example.org/x now", []string{`<a href="https://example.org/x">https://example.org/x</a>`}},
		{"task list", "- [x] done\n- [ ] todo", []string{`type="checkbox"`, "disabled", "checked"}},
		{"footnote", "claim[^1]\n\n[^1]: source", []string{
			`<sup id="fnref:1">`, `href="#fn:1"`, `class="footnote-ref"`, `<li id="fn:1">`, `href="#fnref:1"`, `role="doc-endnotes"`,
		}},
		{"typographer", `"quoted" -- and... 'single'`, []string{"“quoted”", "–", "…", "‘single’"}},
		{"highlighted code", "```go\npackage main\n\nfunc main() {}\n```", []string{
			`<pre class="chroma">`, `<span class="kn">package</span>`, `<span class="kd">func</span>`,
		}},
		{"plain link kept", "[roost](https://example.org/)", []string{`<a href="https://example.org/">roost</a>`}},
		{"relative link kept", "[about](/blog/about)", []string{`href="/blog/about"`}},
		{"image kept", "![a cat](https://example.org/cat.png)", []string{`<img src="https://example.org/cat.png" alt="a cat">`}},
		{"escaped text", "1 < 2 & 3 > 2", []string{"1 &lt; 2 &amp; 3 &gt; 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(tt.src)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			if strings.Contains(got, "style=") {
				t.Errorf("inline styles in output:\n%s", got)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name, html string
		n          int
		want       string
	}{
		{"short stays", "<p>Hello <em>world</em>.</p>", 50, "Hello world."},
		{"paragraphs joined", "<p>One.</p><p>Two.</p>", 50, "One. Two."},
		{"entities decoded", "<p>Fish &amp; chips</p>", 50, "Fish & chips"},
		{"cut at word", "<p>The quick brown fox jumps over the lazy dog</p>", 20, "The quick brown fox…"},
		{"trailing punctuation dropped", "<p>Alpha, beta, gamma, delta</p>", 12, "Alpha, beta…"},
		{"no space to cut at", "<p>" + strings.Repeat("x", 30) + "</p>", 10, strings.Repeat("x", 10) + "…"},
		{"runes not bytes", "<p>ééééé ééééé</p>", 5, "ééééé…"},
		{"script ignored", "<p>a</p><script>evil()</script><p>b</p>", 50, "a b"},
		{"footnote marker ignored", `<p>claim<sup id="fnref:1"><a href="#fn:1">1</a></sup> here</p>`, 50, "claim here"},
		{"zero length", "<p>x</p>", 0, ""},
		{"empty", "", 10, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Excerpt(tt.html, tt.n); got != tt.want {
				t.Errorf("Excerpt(%q, %d) = %q, want %q", tt.html, tt.n, got, tt.want)
			}
		})
	}
}

// Column alignment survives sanitizing, without a style attribute.
func TestTableAlignment(t *testing.T) {
	got, err := Render("| Item | Price |\n|:-----|------:|\n| Tea | 3.50 |\n")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, `<td align="right">3.50</td>`) || !strings.Contains(got, `<th align="left">Item</th>`) || strings.Contains(got, "style") {
		t.Errorf("table = %s", got)
	}
}

func TestExcerptLines(t *testing.T) {
	tests := []struct{ name, html, want string }{
		{"list items apart", "<p>Shopping:</p><ul><li>eggs</li><li>flour</li></ul>", "Shopping:\n• eggs\n• flour"},
		{"paragraphs apart", "<p>One.</p><p>Two <em>words</em>.</p>", "One.\nTwo words."},
		{"line break", "<p>a<br>b</p>", "a\nb"},
		{"empty item dropped", "<ul><li></li><li>x</li></ul>", "• x"},
		{"table row on one line", "<table><tr><th>Item</th><th>Price</th></tr><tr><td>Tea</td><td>3.50</td></tr></table>", "Item Price\nTea 3.50"},
		{"a few lines at most", "<p>1</p><p>2</p><p>3</p><p>4</p><p>5</p><p>6</p><p>7</p>", "1\n2\n3\n4\n5\n6\n…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExcerptLines(tt.html, 280); got != tt.want {
				t.Errorf("ExcerptLines(%q) = %q, want %q", tt.html, got, tt.want)
			}
		})
	}
}

const benchSource = "# A post\n\nSome *emphasis*, a [link](https://example.org/) and \"quotes\".\n\n" +
	"| a | b |\n|---|---|\n| 1 | 2 |\n\n```go\nfunc main() {\n\tprintln(\"hi\")\n}\n```\n\nA claim[^1].\n\n[^1]: A source.\n"

func BenchmarkRender(b *testing.B) {
	src := strings.Repeat(benchSource, 10)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Render(src); err != nil {
			b.Fatal(err)
		}
	}
}
