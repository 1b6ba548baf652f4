package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"roost/feed"
)

// apiStatuses reads a page of statuses from a site's Mastodon API.
func apiStatuses(t *testing.T, ts *testSite, token, path string) []map[string]any {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	var out []map[string]any
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &out) != nil {
		t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	return out
}

func hasContent(list []map[string]any, text string) bool {
	for _, s := range list {
		if c, _ := s["content"].(string); strings.Contains(c, text) {
			return true
		}
	}
	return false
}

// A post published a day ago and received now is new to an app that polls
// the home timeline with since_id or min_id: timeline ids are taken at
// arrival, not from the post's date.
func TestOldPostArrivingNowReachesPollingApps(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	follow(t, bob, alice)
	token := passwordGrant(t, bob.site, testPassword)
	ctx := context.Background()

	if _, err := bob.feed.Create(ctx, feed.NoteInput{Text: "bob was here first", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	seen := apiStatuses(t, bob, token, "/api/v1/timelines/home?limit=5")
	if len(seen) == 0 {
		t.Fatal("bob's home timeline is empty")
	}
	newest := seen[0]["id"].(string)

	yesterday := time.Now().Add(-24 * time.Hour)
	if _, err := alice.feed.Create(ctx, feed.NoteInput{Text: "written yesterday, sent today", Visibility: feed.VisibilityPublic, Created: yesterday}); err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "the post reaches bob's app with since_id", func() bool {
		return hasContent(apiStatuses(t, bob, token, "/api/v1/timelines/home?since_id="+newest), "written yesterday")
	})
	above := apiStatuses(t, bob, token, "/api/v1/timelines/home?limit=1&min_id="+newest)
	if len(above) != 1 || !hasContent(above, "written yesterday") {
		t.Fatalf("min_id=%s&limit=1 gave %v, want the post that arrived just after", newest, above)
	}
	created, _ := time.Parse(time.RFC3339, above[0]["created_at"].(string))
	if created.Sub(yesterday).Abs() > time.Second {
		t.Errorf("created_at %v, want the post's own date %v", created, yesterday)
	}
}
