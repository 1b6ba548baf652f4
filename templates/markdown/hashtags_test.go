package markdown

import (
	"net/url"
	"strings"
	"testing"
)

func TestLinkHashtags(t *testing.T) {
	tagURL := func(tag string) string { return "https://alice.test/tags/" + url.PathEscape(strings.ToLower(tag)) }
	for _, c := range []struct{ name, in, want string }{
		{"word", "<p>I like #Gardening &amp; tea</p>",
			`<p>I like <a href="https://alice.test/tags/gardening" class="mention hashtag" rel="tag">#<span>Gardening</span></a> &amp; tea</p>`},
		{"start and two", "<p>#one and (#two)</p>",
			`<p><a href="https://alice.test/tags/one" class="mention hashtag" rel="tag">#<span>one</span></a> and (<a href="https://alice.test/tags/two" class="mention hashtag" rel="tag">#<span>two</span></a>)</p>`},
		{"inside a link", `<p><a href="https://x.test/#top">#top</a></p>`, `<p><a href="https://x.test/#top">#top</a></p>`},
		{"inside code", "<p><code>#include</code> C# #1</p>", "<p><code>#include</code> C# #1</p>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := LinkHashtags(c.in, tagURL); got != c.want {
				t.Errorf("LinkHashtags(%q)\n got %s\nwant %s", c.in, got, c.want)
			}
		})
	}
}
