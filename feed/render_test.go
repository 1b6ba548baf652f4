package feed

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// fakeResolve knows two people; everything else fails to resolve.
func fakeResolve(_ context.Context, handle string) (string, string, error) {
	switch strings.ToLower(handle) {
	case "@bob@example.com":
		return "https://example.com/users/bob", "https://example.com/@bob", nil
	case "@friend.com":
		return "https://friend.com/actor", "https://friend.com/", nil
	case "@evil@bad.example":
		return "https://bad.example/users/evil", "javascript:alert(1)", nil
	}
	return "", "", errors.New("unknown")
}

func TestRenderText(t *testing.T) {
	const base = "https://alice.test"
	bobLink := `<span class="h-card"><a href="https://example.com/@bob" class="u-url mention">@<span>bob</span></a></span>`
	tests := []struct {
		name     string
		text     string
		want     string
		tags     []string
		mentions []string
	}{
		{"plain", "hello", "<p>hello</p>", nil, nil},
		{"paragraphs and breaks", "one\ntwo\n\n\nthree\r\nfour", "<p>one<br>two</p><p>three<br>four</p>", nil, nil},
		{"blank lines of spaces split paragraphs", "a\n  \nb", "<p>a</p><p>b</p>", nil, nil},
		{"script stays text", `<script>alert("x")</script>`, "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</p>", nil, nil},
		{"javascript scheme stays text", "javascript:alert(1)", "<p>javascript:alert(1)</p>", nil, nil},
		{"ampersands escaped", "fish & chips", "<p>fish &amp; chips</p>", nil, nil},
		{"link", "see https://example.com/a?b=1&c=2.",
			`<p>see <a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener noreferrer"><span class="invisible">https://</span>example.com/a?b=1&amp;c=2</a>.</p>`, nil, nil},
		{"quote ends a link", `https://example.com/"onmouseover="x`,
			`<p><a href="https://example.com/" rel="nofollow noopener noreferrer"><span class="invisible">https://</span>example.com/</a>&#34;onmouseover=&#34;x</p>`, nil, nil},
		{"long link shortened", "https://www.example.com/a/very/long/path/that/goes/on/and/on",
			`<p><a href="https://www.example.com/a/very/long/path/that/goes/on/and/on" rel="nofollow noopener noreferrer"><span class="invisible">https://www.</span><span class="ellipsis">example.com/a/very/long/path/t</span><span class="invisible">hat/goes/on/and/on</span></a></p>`, nil, nil},
		{"wikipedia parentheses kept", "(https://w.org/wiki/Go_(game))",
			`<p>(<a href="https://w.org/wiki/Go_(game)" rel="nofollow noopener noreferrer"><span class="invisible">https://</span>w.org/wiki/Go_(game)</a>)</p>`, nil, nil},
		{"hashtag", "I like #Go!",
			`<p>I like <a href="https://alice.test/tags/go" class="mention hashtag" rel="tag">#<span>Go</span></a>!</p>`, []string{"go"}, nil},
		{"unicode hashtag", "#Überraschung #日本語",
			`<p><a href="https://alice.test/tags/%C3%BCberraschung" class="mention hashtag" rel="tag">#<span>Überraschung</span></a> <a href="https://alice.test/tags/%E6%97%A5%E6%9C%AC%E8%AA%9E" class="mention hashtag" rel="tag">#<span>日本語</span></a></p>`,
			[]string{"überraschung", "日本語"}, nil},
		{"hashtag inside url is not a tag", "https://example.com/#section",
			`<p><a href="https://example.com/#section" rel="nofollow noopener noreferrer"><span class="invisible">https://</span>example.com/#section</a></p>`, nil, nil},
		{"digits only is not a tag", "issue #123 and a#b", "<p>issue #123 and a#b</p>", nil, nil},
		{"duplicate tags once", "#go #Go", `<p><a href="https://alice.test/tags/go" class="mention hashtag" rel="tag">#<span>go</span></a> <a href="https://alice.test/tags/go" class="mention hashtag" rel="tag">#<span>Go</span></a></p>`, []string{"go"}, nil},
		{"mention user at host", "hi @bob@example.com.", "<p>hi " + bobLink + ".</p>", nil, []string{"https://example.com/users/bob"}},
		{"domain mention", "@friend.com hello",
			`<p><span class="h-card"><a href="https://friend.com/" class="u-url mention">@<span>friend.com</span></a></span> hello</p>`, nil, []string{"https://friend.com/actor"}},
		{"unresolved mention stays text", "@nobody@nowhere.example and @bob", "<p>@nobody@nowhere.example and @bob</p>", nil, nil},
		{"email is not a mention", "mail bob@example.com", "<p>mail bob@example.com</p>", nil, nil},
		{"hostile profile url falls back to actor id", "@evil@bad.example",
			`<p><span class="h-card"><a href="https://bad.example/users/evil" class="u-url mention">@<span>evil</span></a></span></p>`, nil, []string{"https://bad.example/users/evil"}},
		{"same person twice, one mention", "@bob@example.com @BOB@example.com", "<p>" + bobLink + " " + `<span class="h-card"><a href="https://example.com/@bob" class="u-url mention">@<span>BOB</span></a></span></p>`, nil, []string{"https://example.com/users/bob"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renderText(context.Background(), base, fakeResolve, tt.text)
			if got.HTML != tt.want {
				t.Errorf("html\n got %s\nwant %s", got.HTML, tt.want)
			}
			if !reflect.DeepEqual(got.Tags, tt.tags) {
				t.Errorf("tags = %q, want %q", got.Tags, tt.tags)
			}
			var ids []string
			for _, m := range got.Mentions {
				ids = append(ids, m.ActorID)
			}
			if !reflect.DeepEqual(ids, tt.mentions) {
				t.Errorf("mentions = %q, want %q", ids, tt.mentions)
			}
		})
	}
}

func TestRenderWithoutResolver(t *testing.T) {
	got := renderText(context.Background(), "https://alice.test", nil, "@bob@example.com")
	if got.HTML != "<p>@bob@example.com</p>" || len(got.Mentions) != 0 {
		t.Errorf("got %q %v", got.HTML, got.Mentions)
	}
}
