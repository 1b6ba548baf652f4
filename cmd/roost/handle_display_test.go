package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// The owner's handle is shown as the bare domain, which always finds
// them, with the long form beside it to select or copy, on the profile
// and on /settings/account; a note of theirs carries the short one too.
func TestOwnersHandleShortWithLongToCopy(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	token := passwordGrant(t, alice.site, testPassword)
	if code, _ := apiCall(t, alice, token, http.MethodPost, "/api/v1/statuses", map[string][]string{"status": {"hello"}}); code != http.StatusOK {
		t.Fatalf("post: %d", code)
	}
	for _, tt := range []struct {
		name   string
		client *http.Client
		path   string
	}{
		{"profile", alice.client(tn), "/"},
		{"account settings", alice.Owner, "/settings/account"},
	} {
		body, code := page(t, tt.client, alice.Base+tt.path)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", tt.name, code)
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(doc.Find(`[data-testid=handle]`).First().Text()); got != "@alice.test" {
			t.Errorf("%s: handle %q, want @alice.test", tt.name, got)
		}
		long := doc.Find(`[data-testid=long-handle]`)
		if got := long.Find("code").Text(); got != "@alice.test@alice.test" {
			t.Errorf("%s: long handle %q, want @alice.test@alice.test", tt.name, got)
		}
		btn := long.Find(`button[data-copy]`)
		if btn.AttrOr("data-copy", "") != "@alice.test@alice.test" || btn.AttrOr("type", "") != "button" {
			t.Errorf("%s: copy button %v", tt.name, btn.Nodes)
		}
		// Without scripts there is nothing to click: the button waits
		// hidden until copy.js finds a clipboard.
		if _, hidden := btn.Attr("hidden"); !hidden {
			t.Errorf("%s: the copy button shows without scripts", tt.name)
		}
		if doc.Find(`script[src="/static/copy.js"]`).Length() != 1 {
			t.Errorf("%s: copy.js not loaded", tt.name)
		}
	}
	body, _ := page(t, alice.client(tn), alice.Base+"/notes/")
	if !strings.Contains(body, "@alice.test</span>") || strings.Contains(body, ">@alice.test@alice.test<") {
		t.Error("the owner's notes do not show the short handle")
	}
}
