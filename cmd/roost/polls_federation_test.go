package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"roost/feed"
)

// apiPoll reads a poll from a site's Mastodon API.
func apiPoll(t *testing.T, ts *testSite, token, id string) map[string]any {
	t.Helper()
	code, poll := apiCall(t, ts, token, http.MethodGet, "/api/v1/polls/"+id, nil)
	if code != http.StatusOK {
		t.Fatalf("GET poll %s on %s: %d %v", id, ts.Host, code, poll)
	}
	return poll
}

// optionVotes lists the votes_count of each option of an API poll.
func optionVotes(poll map[string]any) []int {
	var out []int
	options, _ := poll["options"].([]any)
	for _, o := range options {
		n, _ := o.(map[string]any)["votes_count"].(float64)
		out = append(out, int(n))
	}
	return out
}

// Bob (a follower) and carol (who is not) vote in alice's multiple-choice
// poll; bob's two choices reach alice one after the other and both count.
// When the poll ends, alice's site publishes it closed, with the final
// counts, to followers and voters: both see it ended and cannot vote.
func TestPollVotesArriveInOrderAndTheCloseIsPublished(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	carol := startTestSite(t, tn, "carol.test", "")
	follow(t, bob, alice)
	ctx := context.Background()
	n, err := alice.feed.Create(ctx, feed.NoteInput{Text: "Which seeds?", Visibility: feed.VisibilityPublic,
		Poll: &feed.PollInput{Options: []string{"kale", "leeks", "beans"}, ExpiresIn: 10 * time.Minute, Multiple: true}})
	if err != nil {
		t.Fatal(err)
	}
	bobToken, carolToken := passwordGrant(t, bob.site, testPassword), passwordGrant(t, carol.site, testPassword)

	var bobPoll string
	eventually(t, federationWait, "alice's poll reaches bob", func() bool {
		for _, s := range apiStatuses(t, bob, bobToken, "/api/v1/timelines/home?limit=5") {
			if p, ok := s["poll"].(map[string]any); ok && s["uri"] == n.URL {
				bobPoll = p["id"].(string)
			}
		}
		return bobPoll != ""
	})
	code, found := apiCall(t, carol, carolToken, http.MethodGet, "/api/v2/search?"+url.Values{"q": {n.URL}, "resolve": {"true"}}.Encode(), nil)
	statuses, _ := found["statuses"].([]any)
	if code != http.StatusOK || len(statuses) != 1 {
		t.Fatalf("carol looks up alice's poll: %d %v", code, found)
	}
	carolPoll := statuses[0].(map[string]any)["poll"].(map[string]any)["id"].(string)

	if code, body := apiCall(t, bob, bobToken, http.MethodPost, "/api/v1/polls/"+bobPoll+"/votes",
		url.Values{"choices[]": {"0", "2"}}); code != http.StatusOK {
		t.Fatalf("bob votes: %d %v", code, body)
	}
	if code, body := apiCall(t, carol, carolToken, http.MethodPost, "/api/v1/polls/"+carolPoll+"/votes",
		url.Values{"choices[]": {"1"}}); code != http.StatusOK {
		t.Fatalf("carol votes: %d %v", code, body)
	}
	settled(t, bob, carol, alice)
	poll, err := alice.feed.Poll(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := []int{poll.Options[0].Votes, poll.Options[1].Votes, poll.Options[2].Votes}; got[0] != 1 || got[1] != 1 || got[2] != 1 || poll.VotersCount != 2 {
		t.Fatalf("alice counts %v from %d voters, want one vote for each option from 2", got, poll.VotersCount)
	}
	// Bob's choices arrived in the order he made them, one after the other.
	rows, err := alice.db.Query(`SELECT dedupe_key FROM inbox_queue WHERE actor = ? ORDER BY id`, bob.Base+"/actor")
	if err != nil {
		t.Fatal(err)
	}
	var votes []string
	for rows.Next() {
		var key string
		rows.Scan(&key)
		if strings.Contains(key, "#votes/") {
			votes = append(votes, key)
		}
	}
	rows.Close()
	if len(votes) != 2 || !strings.Contains(votes[0], "-0#create") || !strings.Contains(votes[1], "-2#create") {
		t.Errorf("bob's votes arrived as %q, want choice 0 then choice 2", votes)
	}

	// The poll ends.
	if _, err := alice.db.Exec(`UPDATE note_polls SET expires_at = ? WHERE note_id = ?`, time.Now().Add(-time.Second).Unix(), n.ID); err != nil {
		t.Fatal(err)
	}
	if err := alice.feed.ClosePolls(ctx); err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct {
		site  *testSite
		token string
		id    string
	}{{bob, bobToken, bobPoll}, {carol, carolToken, carolPoll}} {
		eventually(t, federationWait, v.site.Host+" sees the poll closed", func() bool {
			return apiPoll(t, v.site, v.token, v.id)["expired"] == true
		})
		p := apiPoll(t, v.site, v.token, v.id)
		if got := optionVotes(p); len(got) != 3 || got[0] != 1 || got[1] != 1 || got[2] != 1 || p["voters_count"] != float64(2) {
			t.Errorf("%s shows counts %v from %v voters, want the final 1, 1, 1 from 2", v.site.Host, got, p["voters_count"])
		}
	}
	// A vote after the end is refused on the voter's own site.
	dave := startTestSite(t, tn, "dave.test", "")
	daveToken := passwordGrant(t, dave.site, testPassword)
	_, found = apiCall(t, dave, daveToken, http.MethodGet, "/api/v2/search?"+url.Values{"q": {n.URL}, "resolve": {"true"}}.Encode(), nil)
	if statuses, _ := found["statuses"].([]any); len(statuses) == 1 {
		p := statuses[0].(map[string]any)["poll"].(map[string]any)
		if p["expired"] != true {
			t.Errorf("the poll fetched after its end shows expired = %v", p["expired"])
		}
	} else {
		t.Errorf("dave looks up the ended poll: %v", found)
	}

	// The Question served at the note's address says it is closed.
	req, _ := http.NewRequest(http.MethodGet, n.URL, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := bob.Owner.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var q map[string]any
	json.NewDecoder(resp.Body).Decode(&q)
	resp.Body.Close()
	if q["type"] != "Question" || q["closed"] == nil || q["closed"] != q["endTime"] {
		t.Errorf("alice's Question: type %v, closed %v, endTime %v", q["type"], q["closed"], q["endTime"])
	}
}
