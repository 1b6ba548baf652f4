package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"roost/feed"
)

// TestWelcomeGuide: the first-run guide checks off what the owner has
// done, offers the follow box and the server name for apps, and stays in
// the menu until dismissed.
func TestWelcomeGuide(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	body, code := page(t, alice.Owner, alice.Base+"/welcome")
	if code != http.StatusOK || strings.Count(body, `data-done="false"`) != 3 || !strings.Contains(body, `action="/contacts/follow"`) ||
		!strings.Contains(body, "<code>alice.test</code>") {
		t.Fatalf("fresh guide (%d):\n%s", code, body)
	}
	if _, err := alice.feed.Create(context.Background(), feed.NoteInput{Text: "hello", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	body, _ = page(t, alice.Owner, alice.Base+"/welcome")
	if strings.Count(body, `data-done="true"`) != 1 {
		t.Errorf("the first note is not checked off:\n%s", body)
	}
	if home, _ := page(t, alice.Owner, alice.Base+"/notes/"); !strings.Contains(home, `href="/welcome"`) {
		t.Error("the guide is not in the owner's menu")
	}
	resp, err := alice.Owner.Post(alice.Base+"/welcome/dismiss", "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dismiss: %d", resp.StatusCode)
	}
	if home, _ := page(t, alice.Owner, alice.Base+"/notes/"); strings.Contains(home, `href="/welcome"`) {
		t.Error("the guide is still in the menu after dismissing it")
	}
	if _, code := page(t, alice.client(tn), alice.Base+"/welcome"); code == http.StatusOK {
		t.Error("a visitor sees the guide")
	}
}
