package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"roost/feed"
)

// TestFedifyObjectProofs checks object integrity proofs (FEP-8b32) both
// ways with Fedify. The Fedify peer replies to alice's note; its server
// delivers the reply to alice only, and alice's site forwards it to bob,
// who follows alice: bob's site takes the reply as the peer's on the
// Fedify-made proof alone, the HTTP signature being alice's. And Fedify
// verifies the proof of an activity alice published, and refuses it once
// edited.
func TestFedifyObjectProofs(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Node.js peer")
	}
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	peer := startFedifyPeer(t, "peer.test", tn.Hosts())
	tn.add(peer.Host, peer.Addr)
	ctx := context.Background()
	follow(t, bob, alice)

	n, err := alice.feed.Create(ctx, feed.NoteInput{Text: "Who else signs their posts?", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "alice's note reaches bob", homeShows(t, bob, "Who else signs"))
	reply := peer.Reply(t, "<p>Fedify does, with Ed25519</p>", n.URL, alice.fed.ActorID())

	eventually(t, federationWait, "the Fedify reply, forwarded by alice, is in bob's store", func() bool {
		var one int
		return bob.db.QueryRow(`SELECT 1 FROM posts WHERE object_id = ?`, reply).Scan(&one) == nil
	})
	var forwardedBy string
	if err := bob.db.QueryRow(`SELECT forwarded_by FROM inbox_queue WHERE actor = ?`, peer.ActorID).Scan(&forwardedBy); err != nil {
		t.Fatalf("bob's inbox has no activity of the peer's: %v", err)
	}
	if forwardedBy != "" {
		t.Errorf("bob asked the peer's server instead of trusting its proof (forwarded by %s)", forwardedBy)
	}

	// Fedify checks the proof of alice's Create against the key her actor
	// publishes in assertionMethod.
	var doc string
	if err := alice.db.QueryRow(`SELECT document FROM activities WHERE id LIKE ?`, n.URL+"#create-%").Scan(&doc); err != nil {
		t.Fatal(err)
	}
	if ok, why := peer.VerifyProof(t, json.RawMessage(doc)); !ok {
		t.Errorf("Fedify does not verify the proof of alice's Create: %s\n%s", why, doc)
	}
	forged := strings.Replace(doc, "Who else signs", "Nobody signs", 1)
	if forged == doc {
		t.Fatal("the note's text is not in the activity")
	}
	if ok, _ := peer.VerifyProof(t, json.RawMessage(forged)); ok {
		t.Error("Fedify verifies a proof after the content was changed")
	}
}
