package cards

import "testing"

func TestFirstLinkSkipsMentionsHashtagsMediaAndTheSite(t *testing.T) {
	const site = "https://alice.test"
	for _, tc := range []struct {
		name, html string
		skip       []string
		want       string
	}{
		{"plain link", `<p>see <a href="https://news.example/a">x</a></p>`, nil, "https://news.example/a"},
		{"first of two", `<a href="https://one.example/">1</a> <a href="https://two.example/">2</a>`, nil, "https://one.example/"},
		{"mastodon mention", `<span class="h-card"><a href="https://bob.test/@bob" class="u-url mention">@bob</a></span> <a href="https://news.example/">n</a>`, nil, "https://news.example/"},
		{"mastodon hashtag", `<a href="https://bob.test/tags/x" class="mention hashtag" rel="nofollow">#x</a>`, nil, ""},
		{"mention by its href", `<a href="https://bob.test/@bob">@bob</a>`, []string{"https://bob.test/@bob"}, ""},
		{"image file", `<a href="https://cdn.example/cat.JPG">cat</a>`, nil, ""},
		{"video file", `<a href="https://cdn.example/v.mp4?x=1">v</a>`, nil, ""},
		{"the site itself", `<a href="https://alice.test/notes/1">mine</a>`, nil, ""},
		{"not http", `<a href="mailto:a@b.example">mail</a> <a href="ftp://x.example/">f</a>`, nil, ""},
		{"credentials in the URL", `<a href="https://user:pw@x.example/">x</a>`, nil, ""},
		{"fragment dropped", `<a href="https://news.example/a#top">x</a>`, nil, "https://news.example/a"},
		{"no links", `<p>nothing</p>`, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := FirstLink(tc.html, site, tc.skip...); got != tc.want {
				t.Errorf("FirstLink = %q, want %q", got, tc.want)
			}
		})
	}
}
