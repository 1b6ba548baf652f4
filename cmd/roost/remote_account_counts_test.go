package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"roost/feed"
)

// TestRemoteAccountCounts: an app showing a remote profile shows the
// counts the account's server reports and when it last posted, and the
// owner's familiar followers are the mutual follows. Once fetched, the
// counts also come with the account of each of bob's statuses.
func TestRemoteAccountCounts(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	ctx := context.Background()
	follow(t, alice, bob)
	follow(t, bob, alice)
	for _, text := range []string{"bob's first", "bob's second"} {
		if _, err := bob.feed.Create(ctx, feed.NoteInput{Text: text, Visibility: feed.VisibilityPublic}); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, federationWait, "alice.test has bob's posts", homeShows(t, alice, "bob&#39;s second"))
	token := passwordGrant(t, alice.site, testPassword)

	code, acct := apiCall(t, alice, token, http.MethodGet, "/api/v1/accounts/lookup?acct="+url.QueryEscape("bob.test@bob.test"), nil)
	if code != http.StatusOK {
		t.Fatalf("lookup: %d %v", code, acct)
	}
	if acct["followers_count"] != float64(1) || acct["following_count"] != float64(1) || acct["statuses_count"] != float64(2) {
		t.Errorf("bob's counts: followers %v following %v statuses %v, want 1 1 2",
			acct["followers_count"], acct["following_count"], acct["statuses_count"])
	}
	if acct["last_status_at"] != time.Now().UTC().Format("2006-01-02") {
		t.Errorf("bob's last_status_at %v", acct["last_status_at"])
	}
	// Once fetched, the counts come with bob's statuses too.
	req, _ := http.NewRequest(http.MethodGet, "/api/v1/timelines/home", nil)
	home := apiArray(t, alice, token, req)
	if len(home) == 0 {
		t.Fatal("empty home timeline")
	}
	if a, _ := home[0]["account"].(map[string]any); a["followers_count"] != float64(1) || a["statuses_count"] != float64(2) {
		t.Errorf("the account of bob's status: %v", a)
	}
	id := acct["id"].(string)
	code, byID := apiCall(t, alice, token, http.MethodGet, "/api/v1/accounts/"+id, nil)
	if code != http.StatusOK || byID["followers_count"] != float64(1) || byID["statuses_count"] != float64(2) || byID["last_status_at"] == nil {
		t.Errorf("GET /api/v1/accounts/%s: %d %v", id, code, byID)
	}

	req, _ = http.NewRequest(http.MethodGet, "/api/v1/accounts/familiar_followers?id[]=1&id[]="+id, nil)
	list := apiArray(t, alice, token, req)
	if len(list) != 2 || list[0]["id"] != "1" || list[1]["id"] != id {
		t.Fatalf("familiar_followers: %v", list)
	}
	mine, _ := list[0]["accounts"].([]any)
	if len(mine) != 1 || mine[0].(map[string]any)["id"] != id {
		t.Errorf("the owner's familiar followers: %v, want bob", mine)
	}
	if theirs, _ := list[1]["accounts"].([]any); theirs == nil || len(theirs) != 0 {
		t.Errorf("bob's familiar followers: %v, want an empty list", list[1]["accounts"])
	}
}

// apiArray sends req to the site's API with token and decodes an array.
func apiArray(t *testing.T, ts *testSite, token string, req *http.Request) []map[string]any {
	t.Helper()
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	var out []map[string]any
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &out) != nil {
		t.Fatalf("%s %s: %d %s", req.Method, req.URL, rec.Code, rec.Body)
	}
	return out
}
