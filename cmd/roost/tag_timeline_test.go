package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestTagTimelineShowsFederatedPosts: a public post with a hashtag from a
// followed roost site shows in the apps' tag timeline and in the public
// timeline with remote=true, as it does on a Mastodon server.
func TestTagTimelineShowsFederatedPosts(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	follow(t, alice, bob)
	at, bt := passwordGrant(t, alice.site, testPassword), passwordGrant(t, bob.site, testPassword)
	if code := apiJSON(t, bob, bt, "POST", "/api/v1/statuses", url.Values{"status": {"growing #RoostBar tomatoes"}}, nil); code != http.StatusOK {
		t.Fatalf("bob posts: %d", code)
	}
	shows := func(path string) func() bool {
		return func() bool {
			var list []struct {
				Content string
				Account struct{ Acct string }
			}
			apiJSON(t, alice, at, "GET", path, nil, &list)
			return len(list) == 1 && strings.Contains(list[0].Content, "tomatoes") && list[0].Account.Acct == "bob.test@bob.test"
		}
	}
	eventually(t, federationWait, "bob's post in alice's tag timeline", shows("/api/v1/timelines/tag/roostbar"))
	if !shows("/api/v1/timelines/public?remote=true")() {
		t.Error("bob's post is not in alice's public timeline with remote=true")
	}
}
