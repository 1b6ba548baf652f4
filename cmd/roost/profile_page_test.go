package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestProfilePageShowsEverything: what the owner fills in through an app
// is what a visitor sees on "/": every profile field with its value, the
// header image, and the bio's hashtags linked to the site's tag pages.
func TestProfilePageShowsEverything(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	token := passwordGrant(t, alice.site, testPassword)
	code, _ := apiCall(t, alice, token, http.MethodPatch, "/api/v1/accounts/update_credentials", url.Values{
		"note":                       {"Growing things. #Gardening"},
		"fields_attributes[0][name]": {"Website"}, "fields_attributes[0][value]": {"https://alice.example/"},
		"fields_attributes[1][name]": {"Pronouns"}, "fields_attributes[1][value]": {"she/her"},
		"fields_attributes[2][name]": {"Location"}, "fields_attributes[2][value]": {"Lisbon"},
	})
	if code != http.StatusOK {
		t.Fatalf("update_credentials: %d", code)
	}
	ctx := context.Background()
	pr, err := alice.profiles.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pr.HeaderURL = alice.Base + "/media/header-test.png"
	if err := alice.profiles.Save(ctx, pr); err != nil {
		t.Fatal(err)
	}

	visitor := alice.client(tn)
	body, code := page(t, visitor, alice.Base+"/")
	if code != http.StatusOK {
		t.Fatalf("GET /: %d", code)
	}
	for _, want := range []string{
		`<dt>Website</dt>`, `<a class="u-url" rel="me" href="https://alice.example/">https://alice.example/</a>`,
		`<dt>Pronouns</dt>`, `<dd>she/her</dd>`,
		`<dt>Location</dt>`, `<dd>Lisbon</dd>`,
		`<img class="profile-header" src="http://alice.test/media/header-test.png"`,
		`<a href="http://alice.test/tags/gardening" class="mention hashtag" rel="tag">#<span>Gardening</span></a>`,
		`data-testid="remote-follow"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the front page lacks %s", want)
		}
	}
	if owner, _ := page(t, alice.Owner, alice.Base+"/"); strings.Contains(owner, `data-testid="remote-follow"`) {
		t.Error("the signed-in owner is offered to follow themselves")
	}
}

// TestRemoteFollowRedirects: a visitor types their handle into the front
// page's follow box and is sent to their own server's follow page for the
// owner, found through WebFinger; a handle nobody answers for brings the
// page back with a reason.
func TestRemoteFollowRedirects(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	visitor := alice.client(tn)

	resp, err := visitor.PostForm(alice.Base+"/remote-follow", url.Values{"handle": {"@bob.test@bob.test"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := bob.Base + "/authorize_interaction?uri=" + url.QueryEscape(alice.fed.ActorID())
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Fatalf("remote follow: %d to %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}

	for _, handle := range []string{"nobody@nowhere.invalid", "not a handle", ""} {
		resp, err := visitor.PostForm(alice.Base+"/remote-follow", url.Values{"handle": {handle}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body := string(b)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="follow-problem"`) {
			t.Errorf("handle %q: %d, want 422 with the reason on the front page", handle, resp.StatusCode)
		}
	}
}
