package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"roost/feed"
)

// TestRemoteProfileAddress: /@user@host, as Mastodon users type it, leads
// the owner to that person's page in the contacts book.
func TestRemoteProfileAddress(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	resp, err := bob.Owner.Get(bob.Base + "/@alice.test")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := "/contacts/view?actor=" + url.QueryEscape(alice.fed.ActorID())
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("GET /@alice.test: %d to %q, want %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	if body, code := page(t, bob.Owner, bob.Base+want); code != http.StatusOK || !strings.Contains(body, "alice.test") {
		t.Errorf("contact page: %d", code)
	}
	if _, code := page(t, bob.Owner, bob.Base+"/@nobody@nowhere.invalid"); code != http.StatusNotFound {
		t.Errorf("unknown account: %d, want 404", code)
	}
	visitor := bob.client(tn)
	if _, code := page(t, visitor, bob.Base+"/@alice.test"); code != http.StatusUnauthorized && code != http.StatusSeeOther {
		t.Errorf("a visitor got %d for a profile address, want the login wall", code)
	}
}

// TestBlocksBothWays: a block ends the follow both ways and drops what the
// blocked account sends; a domain block does the same for a whole server,
// including what arrived before it.
func TestBlocksBothWays(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	ctx := context.Background()
	follow(t, bob, alice)
	follow(t, alice, bob)

	if _, err := bob.feed.Create(ctx, feed.NoteInput{Text: "Before the block", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "alice sees bob's note", homeShows(t, alice, "Before the block"))

	if code := postForm(t, alice.Owner, alice.Base+"/contacts/block", url.Values{"actor": {bob.fed.ActorID()}, "confirm": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("block: %d", code)
	}
	if alice.contacts.IsFollower(ctx, bob.fed.ActorID()) || alice.contacts.IsFollowing(ctx, bob.fed.ActorID()) {
		t.Error("alice still follows or is followed by bob after blocking him")
	}
	eventually(t, federationWait, "bob learns of the block and drops the follows", func() bool {
		return !bob.contacts.IsFollowing(ctx, alice.fed.ActorID()) && !bob.contacts.IsFollower(ctx, alice.fed.ActorID())
	})
	if homeShows(t, alice, "Before the block")() {
		t.Error("alice's home still shows the blocked account's post")
	}

	// What bob sends now is dropped at alice's door, even when it names her.
	if _, err := bob.feed.Create(ctx, feed.NoteInput{Text: "After the block @alice.test", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	settled(t, bob)
	if body, _ := page(t, alice.Owner, alice.Base+"/notifications"); strings.Contains(body, "After the block") {
		t.Error("a mention from a blocked account reached alice")
	}

	// A domain block covers every account on the server.
	carol := startTestSite(t, tn, "carol.test", "")
	follow(t, carol, alice)
	if code := postForm(t, carol.Owner, carol.Base+"/contacts/block-domain", url.Values{"domain": {"alice.test"}}); code != http.StatusSeeOther {
		t.Fatalf("block domain: %d", code)
	}
	if carol.contacts.IsFollowing(ctx, alice.fed.ActorID()) {
		t.Error("carol still follows alice after blocking her domain")
	}
	if _, err := alice.feed.Create(ctx, feed.NoteInput{Text: "Hello carol?", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	settled(t, alice)
	if homeShows(t, carol, "Hello carol?")() {
		t.Error("a post from a blocked domain reached carol")
	}
}
