package mastodon

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestOwnEditHistoryKeepsOriginal: after two edits of the owner's note, the
// history shows the first text, the second, and the current one.
func TestOwnEditHistoryKeepsOriginal(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, true)
	s := ta.post(t, "first words")
	id := s["id"].(string)
	ta.do(t, "PUT", "/api/v1/statuses/"+id, ta.token, map[string]any{"status": "second words", "spoiler_text": "cw"}, 200, nil)
	ta.do(t, "PUT", "/api/v1/statuses/"+id, ta.token, map[string]any{"status": "third words"}, 200, nil)
	var raw []json.RawMessage
	ta.do(t, "GET", "/api/v1/statuses/"+id+"/history", ta.token, nil, 200, &raw)
	if len(raw) != 3 {
		t.Fatalf("history has %d versions, want 3", len(raw))
	}
	var versions []StatusEdit
	for _, v := range raw {
		validate(t, c, "StatusEdit", v)
		var e StatusEdit
		json.Unmarshal(v, &e)
		versions = append(versions, e)
	}
	for i, want := range []string{"first words", "second words", "third words"} {
		if !strings.Contains(versions[i].Content, want) {
			t.Errorf("version %d: %q, want %q", i, versions[i].Content, want)
		}
	}
	if versions[1].SpoilerText != "cw" || !versions[1].Sensitive || versions[0].SpoilerText != "" {
		t.Errorf("content warnings of the versions: %+v", versions)
	}
	if versions[0].CreatedAt != s["created_at"] {
		t.Errorf("the first version is dated %s, the status %s", versions[0].CreatedAt, s["created_at"])
	}
	// A deleted note takes its earlier versions with it.
	ta.do(t, "DELETE", "/api/v1/statuses/"+id, ta.token, nil, 200, nil)
	nid, _ := parseID(id)
	if edits, err := ta.feed.NoteEdits(t.Context(), nid); err != nil || len(edits) != 0 {
		t.Errorf("after delete: %d earlier versions kept, %v", len(edits), err)
	}
}

// TestMarkersRefuseGarbage: a marker is a status or notification id; an app
// that sends anything else gets 422 and the marker stays.
func TestMarkersRefuseGarbage(t *testing.T) {
	ta := newTestAPI(t, true)
	ta.do(t, "POST", "/api/v1/markers", ta.token, url.Values{"home[last_read_id]": {"42"}}, 200, nil)
	for _, bad := range []url.Values{
		{"home[last_read_id]": {"<script>"}},
		{"notifications[last_read_id]": {"-5"}},
		{"home[last_read_id]": {"43"}, "notifications[last_read_id]": {"abc"}},
		{"home[last_read_id]": {"99999999999999999999999"}},
	} {
		ta.do(t, "POST", "/api/v1/markers", ta.token, bad, 422, nil)
	}
	var m map[string]map[string]any
	ta.do(t, "GET", "/api/v1/markers?timeline[]=home&timeline[]=notifications", ta.token, nil, 200, &m)
	if m["home"]["last_read_id"] != "42" || m["notifications"]["last_read_id"] != "0" {
		t.Errorf("markers after refused saves: %v", m)
	}
}

// TestRateLimitHeaders: the headers the CORS policy exposes are sent, from
// the token's own bucket.
func TestRateLimitHeaders(t *testing.T) {
	ta := newTestAPI(t, true)
	// The test clock moves a second a call: the bucket refills slowly.
	ta.api.limiter = newLimiter(0.001, 3)
	resp := ta.do(t, "GET", "/api/v1/timelines/home", ta.token, nil, 200, nil)
	if resp.Header.Get("X-RateLimit-Limit") != "3" || resp.Header.Get("X-RateLimit-Remaining") != "2" {
		t.Errorf("first request: limit %q remaining %q", resp.Header.Get("X-RateLimit-Limit"), resp.Header.Get("X-RateLimit-Remaining"))
	}
	reset, err := time.Parse(time.RFC3339, resp.Header.Get("X-RateLimit-Reset"))
	if err != nil || reset.IsZero() {
		t.Errorf("X-RateLimit-Reset %q: %v", resp.Header.Get("X-RateLimit-Reset"), err)
	}
	ta.do(t, "GET", "/api/v1/timelines/home", ta.token, nil, 200, nil)
	ta.do(t, "GET", "/api/v1/timelines/home", ta.token, nil, 200, nil)
	resp = ta.do(t, "GET", "/api/v1/timelines/home", ta.token, nil, 429, nil)
	if resp.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("refused request: remaining %q", resp.Header.Get("X-RateLimit-Remaining"))
	}
}

// TestRemoteCountsSkipBlocked: a remote profile shows what its server
// counts, but the site asks no server the owner blocked.
func TestRemoteCountsSkipBlocked(t *testing.T) {
	ta := newTestAPI(t, true)
	social := newFakeSocial(bob)
	ta.withSocial(social)
	var asked []string
	ta.api.cfg.Counts = func(_ context.Context, actorID string) (AccountCounts, error) {
		asked = append(asked, actorID)
		return AccountCounts{Followers: 10, Following: 20, Statuses: 30}, nil
	}
	ta.bobPost(snowflake(1_700_000_000_000), "<p>hi</p>", "public", nil)
	id := ta.bobAccountID(t)
	var acct Account
	ta.do(t, "GET", "/api/v1/accounts/"+id, ta.token, nil, 200, &acct)
	if acct.Followers != 10 || acct.Following != 20 || acct.Statuses != 30 || acct.LastStatusAt == nil {
		t.Errorf("bob's profile: %d %d %d %v", acct.Followers, acct.Following, acct.Statuses, acct.LastStatusAt)
	}
	// A stranger's request is answered without asking bob's server.
	asked = nil
	ta.do(t, "GET", "/api/v1/accounts/"+id, "", nil, 200, &acct)
	if len(asked) != 0 {
		t.Errorf("an anonymous profile view asked bob's server for counts: %v", asked)
	}
	social.blocked[bob.ID] = true
	asked = nil
	ta.do(t, "GET", "/api/v1/accounts/"+id, ta.token, nil, 200, &acct)
	if len(asked) != 0 || acct.Followers != 0 {
		t.Errorf("a blocked account's server was asked for counts: %v, followers %d", asked, acct.Followers)
	}
}
