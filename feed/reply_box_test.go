package feed

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The reply box shows the post it answers and starts with its author's
// handle.
func TestReplyBoxShowsParent(t *testing.T) {
	s := newTestSite(t)
	bobID := "https://bob.example/users/bob"
	parent := publicNote("https://bob.example/notes/1177", bobID, "<p>What are you growing?</p>", 1)
	if _, err := s.feed.StorePost(context.Background(), parent, actor(bobID, "bob")); err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, s.do(t, http.MethodGet, "/write?reply_to="+url.QueryEscape(parent.ID), nil, true))
	if got := doc.Find(`[data-testid="reply-parent"] .content`).Text(); got != "What are you growing?" {
		t.Errorf("parent shown: %q", got)
	}
	text := doc.Find(`textarea[name="text"]`).Text()
	if !strings.HasPrefix(text, "@bob@") || doc.Find(`input[name="in_reply_to"]`).AttrOr("value", "") != parent.ID {
		t.Errorf("reply box starts %q", text)
	}
	// A parent roost never saw is still answered, only linked.
	doc = parseHTML(t, s.do(t, http.MethodGet, "/write?reply_to="+url.QueryEscape("https://nowhere.example/n/1"), nil, true))
	if doc.Find(`[data-testid="reply-parent"]`).Length() != 0 || doc.Find(`input[name="in_reply_to"]`).Length() != 1 {
		t.Error("an unknown parent broke the reply box")
	}
}
