package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"roost/federation/vocab"
	"roost/feed"
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

// TestFedifyInterop federates a roost site with a server built on Fedify, a
// library nobody on this project wrote: each follows the other, posts arrive
// both ways, and each side verifies the other's signatures (Fedify signs
// with RFC 9421 first; roost signs with draft-cavage).
func TestFedifyInterop(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a Node.js peer")
	}
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	peer := startFedifyPeer(t, "peer.test", tn.Hosts())
	tn.add(peer.Host, peer.Addr)
	ctx := context.Background()

	// The peer follows alice: roost verifies Fedify's signature and accepts.
	peer.Follow(t, alice.fed.ActorID())
	eventually(t, federationWait, "alice accepts the Fedify peer", func() bool {
		return peer.State(t).Following[alice.fed.ActorID()] == "accepted"
	})
	if !alice.contacts.IsFollower(ctx, peer.ActorID) {
		t.Fatal("alice does not list the peer as a follower")
	}

	// Alice posts; Fedify verifies roost's signature and keeps the Create.
	n, err := alice.feed.Create(ctx, feed.NoteInput{Text: "Hello Fedify #interop", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "the peer receives alice's note", func() bool {
		for _, a := range peer.State(t).OfType("Create") {
			if a.Object.ID == n.URL && strings.Contains(a.Object.Content, "Hello Fedify") && a.Object.AttributedTo == alice.fed.ActorID() {
				return true
			}
		}
		return false
	})

	// Alice follows the peer by its actor URL (Fedify looks handles up over
	// https only, so the loopback test names the actor directly).
	if code := postForm(t, alice.Owner, alice.Base+"/contacts/follow", url.Values{"handle": {peer.ActorID}}); code != http.StatusSeeOther {
		t.Fatalf("follow the peer: %d", code)
	}
	eventually(t, federationWait, "the peer accepts alice", func() bool {
		return alice.contacts.IsFollowing(ctx, peer.ActorID)
	})
	peer.Post(t, "<p>Greetings from Fedify</p>")
	eventually(t, federationWait, "the peer's post reaches alice's home", homeShows(t, alice, "Greetings from Fedify"))

	// The peer quotes alice's note the way Mastodon 4.5 does (FEP-044f, in
	// Fedify's vocabulary): it reads her note's interactionPolicy, sends a
	// QuoteRequest, and fetches the QuoteAuthorization roost answers with.
	quoting, request := peer.Quote(t, n.URL, "<p>Fedify quotes alice</p>")
	var q peerQuote
	eventually(t, federationWait, "alice accepts the peer's quote", func() bool {
		q = peer.State(t).Quotes[request]
		return q.Status != "pending"
	})
	if q.Status != "accepted" || !strings.HasPrefix(q.Authorization, alice.Base+"/quote-authorizations/") {
		t.Fatalf("the peer's quote: %+v", q)
	}
	// Alice's note page lists the quote once its post arrives.
	obj, err := alice.fed.FetchObject(ctx, quoting)
	if err != nil {
		t.Fatal(err)
	}
	if obj.QuoteOf != n.URL || obj.QuoteAuthorization != q.Authorization {
		t.Errorf("the peer's note as roost reads it: quote %q, authorization %q", obj.QuoteOf, obj.QuoteAuthorization)
	}
	if err := alice.feed.PostCreated(ctx, obj, &vocab.Actor{ID: peer.ActorID}); err != nil {
		t.Fatal(err)
	}
	p, err := alice.feed.PostByObjectID(ctx, quoting)
	if err != nil || alice.feed.QuoteState(ctx, p) != feed.QuoteAccepted {
		t.Errorf("alice's copy of the peer's quote: %v %v", alice.feed.QuoteState(ctx, p), err)
	}
}
