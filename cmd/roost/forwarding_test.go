package main

import (
	"context"
	"strings"
	"testing"

	"roost/feed"
)

// Carol replies to alice's note. Bob follows alice but not carol, so
// carol's server does not deliver to him: alice's site forwards the reply
// to her followers (ActivityPub inbox forwarding), signed by alice, with
// carol's object proof inside, and bob's site takes it as carol's and
// shows it in the thread of alice's note.
func TestThirdServersReplyReachesFollowersThroughForward(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	carol := startTestSite(t, tn, "carol.test", "")
	ctx := context.Background()
	follow(t, bob, alice)
	follow(t, carol, alice)

	n, err := alice.feed.Create(ctx, feed.NoteInput{Text: "What are you sowing this spring?", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "alice's note reaches bob", homeShows(t, bob, "What are you sowing"))
	eventually(t, federationWait, "alice's note reaches carol", homeShows(t, carol, "What are you sowing"))
	if _, err := carol.feed.Create(ctx, feed.NoteInput{Text: "Broad beans, as every year", Visibility: feed.VisibilityPublic, InReplyTo: n.URL}); err != nil {
		t.Fatal(err)
	}

	token := passwordGrant(t, bob.site, testPassword)
	var noteID string
	for _, s := range apiStatuses(t, bob, token, "/api/v1/timelines/home") {
		if c, _ := s["content"].(string); strings.Contains(c, "What are you sowing") {
			noteID, _ = s["id"].(string)
		}
	}
	if noteID == "" {
		t.Fatal("alice's note is not in bob's home timeline")
	}
	eventually(t, federationWait, "carol's reply in bob's copy of the thread", func() bool {
		_, ctxDoc := apiCall(t, bob, token, "GET", "/api/v1/statuses/"+noteID+"/context", nil)
		descendants, _ := ctxDoc["descendants"].([]any)
		for _, d := range descendants {
			s, _ := d.(map[string]any)
			acct, _ := s["account"].(map[string]any)
			if c, _ := s["content"].(string); strings.Contains(c, "Broad beans") && strings.Contains(acct["acct"].(string), "carol.test") {
				return true
			}
		}
		return false
	})
	// Bob's site took the reply on carol's proof: it is filed under carol,
	// as delivered by alice's site, not as a forward to check with carol.
	var forwardedBy string
	if err := bob.db.QueryRow(`SELECT forwarded_by FROM inbox_queue WHERE actor = ?`, carol.fed.ActorID()).Scan(&forwardedBy); err != nil {
		t.Fatalf("bob's inbox has no activity of carol's: %v", err)
	}
	if forwardedBy != "" {
		t.Errorf("bob checked carol's reply with her server (forwarded by %s): her proof should have sufficed", forwardedBy)
	}
	// The reply belongs to the thread, not to bob's home: he follows
	// alice, not carol.
	if homeShows(t, bob, "Broad beans")() {
		t.Error("carol's reply shows in bob's home timeline, though he does not follow her")
	}
	settled(t, alice, bob, carol)
}
