package mastodon

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"roost/federation/vocab"
	"roost/feed"
)

// richStatuses renders statuses with every kind of field set: text and
// application, media, mentions, tags, a poll, a card, a filter match, a
// reblog, a limited account, and strings that need escaping.
func richStatuses(t testing.TB) []Status {
	t.Helper()
	ta := newTestAPI(t, true)
	ctx := context.Background()
	n, err := ta.feed.Create(ctx, feed.NoteInput{Text: "Hi @bob@bob.test #tag <b>&</b> \"quoted\" \\ tab\t é 😀 \u2028",
		ContentWarning: "cw", Language: "en", Media: []feed.Media{{URL: testBase + "/media/a.png", MediaType: "image/png",
			Alt: "alt", Width: 4, Height: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	carol := &vocab.Actor{ID: "https://carol.test/u/c", PreferredUsername: "c\x01", Name: "Ca\xffrol", Bot: true,
		Fields: []vocab.Field{{Name: "site", ValueHTML: "<a href=\"https://c.test\">c</a>"}}, Published: time.Unix(5, 0)}
	remote := Post{ID: 77, ObjectID: "https://carol.test/n/1", Author: carol, ContentHTML: "<p>line\nbreak</p>",
		Visibility: feed.VisibilityFollowers, InReplyTo: n.URL, Created: testNow(), Edited: testNow().Add(time.Hour),
		Media:    []feed.Media{{URL: "https://carol.test/v.mp4", MediaType: "video/mp4"}},
		Mentions: []feed.Mention{{ActorID: bob.ID, Handle: "@bob@bob.test"}}, Likes: 3, Boosts: 2, Replies: 1, Favourited: true, Bookmarked: true}
	boost := Post{ID: 78, Author: bob, Created: testNow(), Reblog: &remote}
	list, err := ta.api.newRenderer(ctx).statuses([]Post{noteToPost(n), remote, boost})
	if err != nil {
		t.Fatal(err)
	}
	text := "source"
	list[0].Text = &text
	list[0].Application = &appRef{Name: "App"}
	list[0].Card = map[string]any{"url": "https://c.test/", "title": "C", "image": nil}
	list[1].Account.Limited = true
	list[1].Account.LastStatusAt = strPtr("2024-01-01")
	votes := 2
	list[1].Poll = &Poll{ID: "77", Options: []PollOption{{Title: "yes", VotesCount: &votes}}, Emojis: []any{}, OwnVotes: []int{}}
	list[1].Filtered = []FilterResult{{Filter: FilterHead{ID: "1", Title: "spoilers", Context: []string{"home"}, FilterAction: "warn"},
		KeywordMatches: []string{"line"}}}
	return list
}

// TestStatusJSONMatchesEncodingJSON checks that the answers apps get decode
// to exactly what encoding/json makes of the entities' struct tags: same
// field names, null where encoding/json writes null, absent where it omits.
func TestStatusJSONMatchesEncodingJSON(t *testing.T) {
	list := richStatuses(t)
	want, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	writeJSON(rec, http.StatusOK, list)
	var a, b any
	if err := json.Unmarshal(want, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, rec.Body)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("answer differs from encoding/json\n got %s\nwant %s", rec.Body, want)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
}

// BenchmarkEncodeStatusPage encodes a page of 20 statuses as the timelines
// answer it, without the database: the encoder's share of a timeline.
func BenchmarkEncodeStatusPage(b *testing.B) {
	rich := richStatuses(b)
	page := make([]Status, 20)
	for i := range page {
		page[i] = rich[i%len(rich)]
	}
	b.ReportAllocs()
	for b.Loop() {
		writeJSON(httptest.NewRecorder(), http.StatusOK, page)
	}
}
