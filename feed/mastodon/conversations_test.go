package mastodon

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"roost/federation/vocab"
)

// TestConversationsMatchSchema: a direct message that arrives and the
// owner's own direct post to someone else are two conversations, each a
// valid Conversation entity, newest first; the one that arrived names its
// sender and is unread.
func TestConversationsMatchSchema(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, false)
	ta.api.cfg.Remote = FeedRemote(ta.feed)
	ctx := context.Background()
	dm := &vocab.Object{ID: "https://bob.test/notes/dm1", Type: vocab.TypeNote, AttributedTo: bob.ID,
		ContentHTML: "<p>psst</p>", To: []string{testBase + "/actor"},
		Tags: []vocab.Tag{{Type: vocab.TypeMention, Href: testBase + "/actor", Name: "@alice.test@alice.test"}}}
	if err := ta.feed.PostCreated(ctx, dm, bob); err != nil {
		t.Fatal(err)
	}
	var own map[string]any
	ta.do(t, "POST", "/api/v1/statuses", ta.token, url.Values{"status": {"@bob@bob.test a secret"}, "visibility": {"direct"}}, 200, &own)
	ta.do(t, "POST", "/api/v1/statuses", ta.token, url.Values{"status": {"in the open"}}, 200, nil)

	resp := ta.do(t, "GET", "/api/v1/conversations?limit=1", ta.token, nil, 200, nil)
	if resp.Header.Get("Link") == "" {
		t.Error("conversations page without a Link header")
	}
	var list []json.RawMessage
	ta.do(t, "GET", "/api/v1/conversations", ta.token, nil, 200, &list)
	if len(list) != 2 {
		t.Fatalf("conversations: %d, want 2", len(list))
	}
	for _, raw := range list {
		validate(t, c, "Conversation", raw)
	}
	var first struct {
		Unread     bool
		Accounts   []struct{ Acct string }
		LastStatus struct{ ID string } `json:"last_status"`
	}
	json.Unmarshal(list[0], &first)
	if first.LastStatus.ID != own["id"] || first.Unread {
		t.Errorf("the owner's direct post: %s", list[0])
	}
	var second struct {
		Unread   bool
		Accounts []struct{ Acct string }
	}
	json.Unmarshal(list[1], &second)
	if !second.Unread || len(second.Accounts) != 1 || second.Accounts[0].Acct != "bob@bob.test" {
		t.Errorf("the direct message that arrived: %s", list[1])
	}
}

// TestDirectStreamCarriesConversations: an app subscribed to the direct
// stream hears of a new direct status as its conversation.
func TestDirectStreamCarriesConversations(t *testing.T) {
	ta := newTestAPI(t, false)
	ta.api.cfg.Remote = FeedRemote(ta.feed)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ta.srv.URL, "http")+"/api/v1/streaming?stream=direct&access_token="+ta.token, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	for i := 0; i < 50 && !subscribed(ta.api, "direct"); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	var posted map[string]any
	ta.do(t, "POST", "/api/v1/statuses", ta.token, url.Values{"status": {"for your eyes"}, "visibility": {"direct"}}, 200, &posted)
	_, data, err := c.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ev Event
	var conv struct {
		LastStatus struct{ ID string } `json:"last_status"`
	}
	if json.Unmarshal(data, &ev) != nil || json.Unmarshal([]byte(ev.Payload), &conv) != nil {
		t.Fatalf("event %s", data)
	}
	if ev.Event != "conversation" || ev.Stream[0] != "direct" || conv.LastStatus.ID != posted["id"] {
		t.Errorf("event %s", data)
	}
}
