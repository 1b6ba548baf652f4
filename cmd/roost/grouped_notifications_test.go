package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"roost/feed"
)

// TestGroupedNotificationsFromPeers: two sites follow alice and like her
// note; an app reading /api/v2/notifications sees one group of two likes
// and one of two follows, each naming both accounts.
func TestGroupedNotificationsFromPeers(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	carol := startTestSite(t, tn, "carol.test", "")
	ctx := context.Background()
	follow(t, bob, alice)
	follow(t, carol, alice)
	note, err := alice.feed.Create(ctx, feed.NoteInput{Text: "Like me twice", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	for _, peer := range []*testSite{bob, carol} {
		eventually(t, federationWait, "the note reaches "+peer.Host, homeShows(t, peer, "Like me twice"))
		if code := postForm(t, peer.Owner, peer.Base+"/home/like", url.Values{"object": {note.URL}}); code != http.StatusSeeOther {
			t.Fatalf("%s likes: %d", peer.Host, code)
		}
	}
	eventually(t, federationWait, "alice is told of both likes", func() bool { return len(notificationsAbout(t, alice, note.URL)) == 2 })

	token := passwordGrant(t, alice.site, testPassword)
	req := httptest.NewRequest(http.MethodGet, "/api/v2/notifications", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	alice.handler.ServeHTTP(rec, req)
	var res struct {
		Accounts []struct{ ID, Acct string }
		Statuses []struct{ ID string }
		Groups   []struct {
			Key      string   `json:"group_key"`
			Type     string   `json:"type"`
			Count    int      `json:"notifications_count"`
			Sample   []string `json:"sample_account_ids"`
			StatusID *string  `json:"status_id"`
		} `json:"notification_groups"`
	}
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &res) != nil {
		t.Fatalf("GET /api/v2/notifications: %d %s", rec.Code, rec.Body)
	}
	byType := map[string]int{}
	for _, g := range res.Groups {
		byType[g.Type]++
		if (g.Type == "favourite" || g.Type == "follow") && (g.Count != 2 || len(g.Sample) != 2) {
			t.Errorf("group %s: %d notifications, sample %v; want 2 and both accounts", g.Key, g.Count, g.Sample)
		}
		if g.Type == "favourite" && (g.StatusID == nil || *g.StatusID != strconv.FormatInt(note.ID, 10)) {
			t.Errorf("likes group names status %v, want %d", g.StatusID, note.ID)
		}
	}
	if byType["favourite"] != 1 || byType["follow"] != 1 {
		t.Errorf("groups by type %v, want one of likes and one of follows: %s", byType, rec.Body)
	}
	if len(res.Accounts) != 2 || len(res.Statuses) != 1 {
		t.Errorf("%d accounts and %d statuses, want bob and carol and the note", len(res.Accounts), len(res.Statuses))
	}
}
