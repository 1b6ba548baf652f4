package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"roost/federation"
	"roost/federation/httpsig"
	"roost/feed"
)

func signedFetchMode(c *config) { c.RequireSignedFetch = true }

const activityJSON = "application/activity+json"

// Alice runs in authorized-fetch mode. Strangers get 401 for her notes and
// collections and only her key from her actor; a peer's signed fetch is
// answered; a blocked domain's signed fetch is refused; her pages stay public.
func TestSignedFetchAnswersOnlySignedPeers(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "", signedFetchMode)
	bob := startTestSite(t, tn, "bob.test", "")
	carol := startTestSite(t, tn, "carol.test", "")
	ctx := context.Background()
	n, err := alice.feed.Create(ctx, feed.NoteInput{Text: "Signed readers only", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	stranger := alice.client(tn)

	for _, u := range []string{n.URL, alice.fed.OutboxURL(), alice.fed.FollowersURL(), alice.fed.FollowingURL()} {
		if status, _, body := getBytes(t, stranger, u, "Accept", activityJSON); status != http.StatusUnauthorized {
			t.Errorf("unsigned GET %s: %d %s, want 401", u, status, body)
		}
	}
	// Forged: bob's key id, another key.
	forger, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, n.URL, nil)
	req.Header.Set("Accept", activityJSON)
	if err := (httpsig.Signer{KeyID: bob.fed.InstanceKeyID(), Key: forger}).Sign(req, nil); err != nil {
		t.Fatal(err)
	}
	if resp, err := stranger.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged signature: %v %v, want 401", resp.StatusCode, err)
	}

	// The actor without a signature: the key and the inbox, not the profile.
	for _, u := range []string{alice.fed.ActorID(), alice.Base + "/"} {
		status, _, body := getBytes(t, stranger, u, "Accept", activityJSON)
		var doc map[string]any
		json.Unmarshal(body, &doc)
		if status != http.StatusOK || doc["publicKey"] == nil || doc["inbox"] == nil {
			t.Fatalf("unsigned GET %s: %d %s, want the key-only actor", u, status, body)
		}
		for _, hidden := range []string{"name", "summary", "followers", "following", "icon", "url"} {
			if _, ok := doc[hidden]; ok {
				t.Errorf("unsigned GET %s shows %q", u, hidden)
			}
		}
	}
	if status, _, body := getBytes(t, stranger, alice.fed.InstanceActorID(), "Accept", activityJSON); status != http.StatusOK ||
		!strings.Contains(string(body), `"Application"`) || !strings.Contains(string(body), "publicKeyPem") {
		t.Errorf("instance actor without a signature: %d %s", status, body)
	}
	if body, status := page(t, stranger, n.URL); status != http.StatusOK || !strings.Contains(body, "Signed readers only") {
		t.Errorf("the note's web page: %d", status)
	}

	// A peer's fetches are signed by its instance actor and answered in full.
	obj, err := bob.fed.FetchObject(ctx, n.URL)
	if err != nil || !strings.Contains(obj.ContentHTML, "Signed readers only") {
		t.Fatalf("bob's signed fetch of the note: %v", err)
	}
	a, err := bob.fed.FetchActor(ctx, alice.fed.ActorID(), true)
	if err != nil || a.Followers == "" || a.Name == "" {
		t.Errorf("bob's signed fetch of the actor: %+v %v, want the whole document", a, err)
	}

	if _, err := alice.contacts.BlockDomain(ctx, "carol.test"); err != nil {
		t.Fatal(err)
	}
	_, err = carol.fed.FetchObject(ctx, n.URL)
	var se *federation.StatusError
	if !errors.As(err, &se) || se.Status != http.StatusForbidden {
		t.Errorf("a blocked domain's signed fetch: %v, want 403", err)
	}
}

// Two sites that both require signatures follow each other, receive each
// other's posts and fetch them.
func TestSignedFetchSitesFederate(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "", signedFetchMode)
	bob := startTestSite(t, tn, "bob.test", "", signedFetchMode)
	ctx := context.Background()

	follow(t, bob, alice)
	follow(t, alice, bob)
	n, err := alice.feed.Create(ctx, feed.NoteInput{Text: "Hello, careful bob", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "alice's note reaches bob's home", homeShows(t, bob, "Hello, careful bob"))
	if _, err := bob.feed.Create(ctx, feed.NoteInput{Text: "Hello, careful alice", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "bob's note reaches alice's home", homeShows(t, alice, "Hello, careful alice"))
	if obj, err := bob.fed.FetchObject(ctx, n.URL); err != nil || !strings.Contains(obj.ContentHTML, "careful bob") {
		t.Errorf("bob fetches alice's note: %v", err)
	}
	if a, err := bob.fed.FetchActor(ctx, alice.fed.ActorID(), true); err != nil || a.Followers == "" {
		t.Errorf("bob fetches alice's whole actor: %v", err)
	}
}

func TestRequireSignedFetchFlag(t *testing.T) {
	if c, err := parseServeConfig([]string{"--data", t.TempDir()}); err != nil || c.RequireSignedFetch {
		t.Errorf("default: %v %v, want off", c.RequireSignedFetch, err)
	}
	if c, err := parseServeConfig([]string{"--data", t.TempDir(), "--require-signed-fetch"}); err != nil || !c.RequireSignedFetch {
		t.Errorf("--require-signed-fetch: %v %v", c.RequireSignedFetch, err)
	}
	t.Setenv("ROOST_REQUIRE_SIGNED_FETCH", "true")
	if c, err := parseServeConfig([]string{"--data", t.TempDir()}); err != nil || !c.RequireSignedFetch {
		t.Errorf("ROOST_REQUIRE_SIGNED_FETCH=true: %v %v", c.RequireSignedFetch, err)
	}
}
