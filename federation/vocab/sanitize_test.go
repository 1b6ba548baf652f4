package vocab

import (
	"strings"
	"testing"
)

func TestSanitizeHTMLRemovesHostileMarkup(t *testing.T) {
	tests := []struct {
		name, in string
		// gone must not appear in the output; kept must.
		gone []string
		kept []string
	}{
		{"script", `<p>hi<script>alert(1)</script></p>`, []string{"<script", "alert"}, []string{"<p>hi</p>"}},
		{"style", `<style>body{display:none}</style><p>x</p>`, []string{"<style", "display"}, []string{"<p>x</p>"}},
		{"inline style", `<p style="position:fixed">x</p>`, []string{"style", "fixed"}, []string{"<p>x</p>"}},
		{"iframe", `<iframe src="https://evil.example/"></iframe>ok`, []string{"<iframe", "evil"}, []string{"ok"}},
		{"img onerror", `<img src=x onerror="alert(1)">text`, []string{"<img", "onerror", "alert"}, []string{"text"}},
		{"event handler on allowed tag", `<a href="https://a.example/" onclick="steal()">l</a>`, []string{"onclick", "steal"}, []string{`href="https://a.example/"`}},
		{"javascript url", `<a href="javascript:alert(1)">x</a>`, []string{"javascript", "href"}, []string{"x"}},
		{"javascript url obfuscated", `<a href="jav&#x09;ascript:alert(1)">x</a>`, []string{"ascript", "href"}, []string{"x"}},
		{"data url", `<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>`, []string{"data:", "href"}, []string{"x"}},
		{"relative url", `<a href="/local/admin">x</a>`, []string{"href"}, []string{"x"}},
		{"form", `<form action="https://evil.example/"><input name="p"><button>go</button></form>`, []string{"<form", "<input", "<button", "evil"}, []string{"go"}},
		{"object and embed", `<object data="x.swf"></object><embed src="x.swf">`, []string{"<object", "<embed", "swf"}, nil},
		{"svg", `<svg><script>alert(1)</script></svg>`, []string{"<svg", "alert"}, nil},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=https://evil.example/">`, []string{"<meta", "evil"}, nil},
		{"unknown class", `<span class="h-card evil">x</span>`, []string{"evil", "class"}, []string{"<span>x</span>"}},
		{"id and data attributes", `<p id="login" data-x="1">x</p>`, []string{"id=", "data-x"}, []string{"<p>x</p>"}},
		{"image in content", `<p><img src="https://a.example/i.png" alt="a"></p>`, []string{"<img"}, []string{"<p></p>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := SanitizeHTML(tt.in)
			for _, g := range tt.gone {
				if strings.Contains(out, g) {
					t.Errorf("SanitizeHTML(%q) = %q still holds %q", tt.in, out, g)
				}
			}
			for _, k := range tt.kept {
				if !strings.Contains(out, k) {
					t.Errorf("SanitizeHTML(%q) = %q lost %q", tt.in, out, k)
				}
			}
		})
	}
}

func TestSanitizeHTMLKeepsPostMarkup(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs and breaks", `<p>a<br>b</p><p>c</p>`, `<p>a<br>b</p><p>c</p>`},
		{"emphasis", `<strong>s</strong><em>e</em><b>b</b><i>i</i><del>d</del><s>s</s><u>u</u>`, `<strong>s</strong><em>e</em><b>b</b><i>i</i><del>d</del><s>s</s><u>u</u>`},
		{"lists and quotes", `<ul><li>x</li></ul><ol><li>y</li></ol><blockquote>q</blockquote><pre><code>c</code></pre>`, `<ul><li>x</li></ul><ol><li>y</li></ol><blockquote>q</blockquote><pre><code>c</code></pre>`},
		{"headings", `<h2>t</h2>`, `<h2>t</h2>`},
		{"link gets rel and target", `<a href="https://a.example/">x</a>`, `<a href="https://a.example/" rel="nofollow noreferrer noopener" target="_blank">x</a>`},
		{"mailto link", `<a href="mailto:me@a.example">m</a>`, `<a href="mailto:me@a.example" rel="nofollow noreferrer">m</a>`},
		{"mention microformat", `<span class="h-card"><a href="https://a.example/@u" class="u-url mention">@<span>u</span></a></span>`,
			`<span class="h-card"><a href="https://a.example/@u" class="u-url mention" rel="nofollow noreferrer noopener" target="_blank">@<span>u</span></a></span>`},
		{"hashtag", `<a href="https://a.example/tags/x" class="mention hashtag" rel="tag">#<span>x</span></a>`,
			`<a href="https://a.example/tags/x" class="mention hashtag" rel="nofollow noreferrer noopener" target="_blank">#<span>x</span></a>`},
		{"shortened link", `<span class="invisible">https://</span><span class="ellipsis">a.example/long</span>`, `<span class="invisible">https://</span><span class="ellipsis">a.example/long</span>`},
		{"empty", ``, ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SanitizeHTML(tt.in); got != tt.want {
				t.Errorf("SanitizeHTML(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "  CW: spoilers ", "CW: spoilers"},
		{"paragraphs", "<p>one</p><p>two<br>three</p>", "one\n\ntwo\nthree"},
		{"entities", "<p>a &amp; b &lt;c&gt; &#39;d&#39;</p>", "a & b <c> 'd'"},
		{"mention", `<p><span class="h-card"><a href="https://a.example/@u">@<span>u</span></a></span> hi</p>`, "@u hi"},
		{"script dropped", "<p>x</p><script>alert(1)</script><style>p{}</style>", "x"},
		{"text with a less-than sign", "a < b", "a < b"},
		{"heart and ampersand", "I <3 cats & dogs", "I <3 cats & dogs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.in); got != tt.want {
				t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestHostileLinksDropped: links and images from remote documents that a
// browser would run (javascript:, data:) never come out of the parser.
func TestHostileLinksDropped(t *testing.T) {
	actor, err := ParseActor([]byte(`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://evil.example/u","type":"Person",
		"inbox":"https://evil.example/inbox","url":"javascript:alert(1)","icon":{"type":"Image","url":"data:image/svg+xml,<svg onload=alert(1)>"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if actor.URL != "" || actor.IconURL != "" {
		t.Errorf("actor kept a hostile url %q or icon %q", actor.URL, actor.IconURL)
	}
	obj, err := ParseObject([]byte(`{"id":"https://evil.example/n","type":"Note","attributedTo":"https://evil.example/u","content":"hi",
		"url":"javascript:alert(2)","tag":[{"type":"Mention","href":"javascript:alert(3)","name":"@x"}],
		"attachment":[{"type":"Document","mediaType":"image/png","url":"data:image/png;base64,AAAA"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if obj.URL != "" || len(obj.Attachments) != 0 || (len(obj.Tags) > 0 && obj.Tags[0].Href != "") {
		t.Errorf("object kept a hostile link: url %q tags %+v attachments %+v", obj.URL, obj.Tags, obj.Attachments)
	}
}
