package main

import (
	"testing"
	"time"
)

// TestFedifyPeerSelfCheck makes sure the Fedify peer itself works (two of
// them follow each other and exchange a post) before it is used to judge
// roost.
func TestFedifyPeerSelfCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Node.js peers")
	}
	a := startFedifyPeer(t, "peer.test", nil)
	b := startFedifyPeer(t, "peer2.test", map[string]string{"peer.test": a.Addr})
	a.MapHost(t, "peer2.test", b.Addr)
	a.Follow(t, b.ActorID)
	eventually(t, 15*time.Second, "peer2 accepts the follow", func() bool {
		return a.State(t).Following[b.ActorID] == "accepted"
	})
	id := b.Post(t, "<p>hello</p>")
	eventually(t, 15*time.Second, "the Create reaches the follower", func() bool {
		c := a.State(t).OfType("Create")
		return len(c) == 1 && c[0].Object.ID == id && c[0].Object.Content == "<p>hello</p>" && c[0].Object.AttributedTo == b.ActorID
	})
}
