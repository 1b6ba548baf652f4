package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"roost/feed"
)

// Carol answers alice's note before bob follows anyone, so neither carol's
// server nor alice's (which forwards replies to her followers of the time)
// delivers the reply to him. Opening the thread of alice's note, bob's site
// reads alice's replies collection (embedded in her note, and served at
// its address) and fetches carol's reply from carol's server.
func TestReplyFromAThirdServerTravelsThroughTheRepliesCollection(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	carol := startTestSite(t, tn, "carol.test", "")
	ctx := context.Background()
	n, err := alice.feed.Create(ctx, feed.NoteInput{Text: "what grows in shade?", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	carolToken := passwordGrant(t, carol.site, testPassword)
	code, found := apiCall(t, carol, carolToken, http.MethodGet, "/api/v2/search?"+url.Values{"q": {n.URL}, "resolve": {"true"}}.Encode(), nil)
	statuses, _ := found["statuses"].([]any)
	if code != http.StatusOK || len(statuses) != 1 {
		t.Fatalf("carol looks up alice's note: %d %v", code, found)
	}
	code, reply := apiCall(t, carol, carolToken, http.MethodPost, "/api/v1/statuses", url.Values{
		"status": {"@alice.test@alice.test ferns, mostly"}, "in_reply_to_id": {statuses[0].(map[string]any)["id"].(string)},
		"visibility": {"public"}})
	if code != http.StatusOK {
		t.Fatalf("carol replies: %d %v", code, reply)
	}
	replyID := reply["uri"].(string)
	settled(t, carol, alice, bob)

	// Alice's note lists carol's reply in its embedded replies collection.
	req, _ := http.NewRequest(http.MethodGet, n.URL, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := bob.Owner.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var note struct {
		Replies struct {
			ID    string `json:"id"`
			First struct {
				Items []string `json:"items"`
			} `json:"first"`
		} `json:"replies"`
	}
	json.NewDecoder(resp.Body).Decode(&note)
	resp.Body.Close()
	if note.Replies.ID != n.URL+"/replies" || len(note.Replies.First.Items) != 1 || note.Replies.First.Items[0] != replyID {
		t.Fatalf("alice's note carries replies %+v, want carol's %s", note.Replies, replyID)
	}
	if _, err := bob.feed.PostByObjectID(ctx, replyID); err == nil {
		t.Fatal("carol's reply reached bob without the thread being opened")
	}

	body, code := page(t, bob.Owner, bob.Base+"/home/thread?"+url.Values{"object": {n.URL}}.Encode())
	if code != http.StatusOK || !strings.Contains(body, "ferns, mostly") {
		t.Fatalf("bob's thread view (%d) does not show carol's reply", code)
	}
	if _, err := bob.feed.PostByObjectID(ctx, replyID); err != nil {
		t.Errorf("carol's reply is not kept for the next view: %v", err)
	}
	// The reply is kept off bob's home timeline: he follows nobody.
	home, _ := page(t, bob.Owner, bob.Base+"/home")
	if strings.Contains(home, "ferns, mostly") {
		t.Error("a fetched reply appears on bob's home timeline")
	}
}
