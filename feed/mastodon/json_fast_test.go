package mastodon

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"roost/federation/vocab"
	"roost/feed"
)

// TestFastStatusJSONMatchesEncodingJSON checks the hand-written encoder
// against encoding/json on statuses with every kind of field set, so that a
// field added to Status or Account but not to the encoder fails here.
func TestFastStatusJSONMatchesEncodingJSON(t *testing.T) {
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
	list[1].Account.Limited = true
	list[1].Account.LastStatusAt = strPtr("2024-01-01")
	list[1].Poll = map[string]any{"id": "1"}

	want, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	writeStatuses(rec, list)
	var a, b any
	if err := json.Unmarshal(want, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &b); err != nil {
		t.Fatalf("fast output is not JSON: %v\n%s", err, rec.Body)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("fast encoder differs\n got %s\nwant %s", rec.Body, want)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestAppendStringEscapes(t *testing.T) {
	for _, s := range []string{"", "plain", "\"\\\n\r\t\x00\x1f", "<&>", "é😀", "bad\xffutf8", "\u2028\u2029"} {
		var got string
		if err := json.Unmarshal(appendString(nil, s), &got); err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		want, _ := json.Marshal(s)
		var w string
		_ = json.Unmarshal(want, &w)
		if got != w {
			t.Errorf("%q: got %q, want %q", s, got, w)
		}
	}
}
