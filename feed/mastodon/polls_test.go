package mastodon

import (
	"context"
	"net/url"
	"testing"
	"time"

	"roost/federation/vocab"
)

func TestPostStatusWithPoll(t *testing.T) {
	ta := newTestAPI(t, true)
	var s map[string]any
	ta.do(t, "POST", "/api/v1/statuses", ta.token, url.Values{"status": {"Tea or coffee?"},
		"poll[options][]": {"Tea", "Coffee"}, "poll[expires_in]": {"3600"}, "poll[multiple]": {"true"}}, 200, &s)
	poll, ok := s["poll"].(map[string]any)
	if !ok || poll["multiple"] != true || poll["expired"] != false || len(poll["options"].([]any)) != 2 || poll["voted"] != true {
		t.Fatalf("poll = %#v", s["poll"])
	}
	if len(ta.pub.got) != 1 {
		t.Fatalf("published %v", ta.pub.types())
	}
	obj := ta.pub.got[0].Object.(map[string]any)
	if obj["type"] != vocab.TypeQuestion || obj["anyOf"] == nil || obj["endTime"] == nil {
		t.Errorf("Create carries %v", obj)
	}
	var got map[string]any
	ta.do(t, "GET", "/api/v1/polls/"+s["id"].(string), ta.token, nil, 200, &got)
	if got["id"] != poll["id"] {
		t.Errorf("GET poll = %v", got)
	}
}

func TestPostStatusWithBadPoll(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
	}{
		{"one option", url.Values{"poll[options][]": {"Tea"}, "poll[expires_in]": {"3600"}}},
		{"too short", url.Values{"poll[options][]": {"Tea", "Coffee"}, "poll[expires_in]": {"60"}}},
		{"no expiry", url.Values{"poll[options][]": {"Tea", "Coffee"}}},
		{"long option", url.Values{"poll[options][]": {"Tea", "Coffee with milk and sugar and a biscuit on the side"}, "poll[expires_in]": {"3600"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ta := newTestAPI(t, true)
			tt.form.Set("status", "Tea or coffee?")
			var e map[string]any
			ta.do(t, "POST", "/api/v1/statuses", ta.token, tt.form, 422, &e)
			if e["error"] == "" {
				t.Error("no message")
			}
		})
	}
}

// storeRemotePoll keeps bob's Question in the feed room and lets the fake
// Remote find it.
func storeRemotePoll(t *testing.T, ta *testAPI, end time.Time) string {
	t.Helper()
	q := &vocab.Object{ID: "https://bob.test/q/1", Type: vocab.TypeQuestion, AttributedTo: bob.ID,
		ContentHTML: "<p>Tea or coffee?</p>", Published: end.Add(-time.Hour), To: []string{vocab.Public}, EndTime: end,
		Options: []vocab.PollOption{{Name: "Tea", Votes: 1}, {Name: "Coffee"}}}
	p, err := ta.feed.StorePost(context.Background(), q, bob)
	if err != nil {
		t.Fatal(err)
	}
	ta.remote.stored = append(ta.remote.stored, Post{ID: p.ID, ObjectID: q.ID, URL: q.ID, Author: bob,
		ContentHTML: q.ContentHTML, Visibility: "public", Created: p.Published})
	return idString(p.ID)
}

func TestVoteInRemotePoll(t *testing.T) {
	ta := newTestAPI(t, true)
	id := storeRemotePoll(t, ta, ta.api.cfg.Now().Add(time.Hour))
	var poll map[string]any
	ta.do(t, "POST", "/api/v1/polls/"+id+"/votes", ta.token, url.Values{"choices[]": {"1"}}, 200, &poll)
	if poll["voted"] != true || poll["own_votes"].([]any)[0].(float64) != 1 {
		t.Errorf("poll = %v", poll)
	}
	if len(ta.pub.got) != 1 {
		t.Fatalf("published %v", ta.pub.types())
	}
	obj := ta.pub.got[0].Object.(map[string]any)
	if ta.pub.got[0].Type != vocab.TypeCreate || obj["name"] != "Coffee" || obj["inReplyTo"] != "https://bob.test/q/1" {
		t.Errorf("vote = %v", obj)
	}
	if to := ta.pub.got[0].To; len(to) != 1 || to[0] != bob.ID {
		t.Errorf("vote to %v", to)
	}
	ta.do(t, "POST", "/api/v1/polls/"+id+"/votes", ta.token, url.Values{"choices[]": {"0"}}, 422, nil)
}

func TestVoteInClosedPoll(t *testing.T) {
	ta := newTestAPI(t, true)
	id := storeRemotePoll(t, ta, ta.api.cfg.Now().Add(-time.Minute))
	ta.do(t, "POST", "/api/v1/polls/"+id+"/votes", ta.token, url.Values{"choices[]": {"0"}}, 422, nil)
	if len(ta.pub.got) != 0 {
		t.Errorf("published %v", ta.pub.types())
	}
}
