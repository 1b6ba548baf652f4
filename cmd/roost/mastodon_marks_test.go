package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"roost/federation/vocab"
	"roost/feed"
)

// TestMarksSharedWithTheWeb checks, through the real adapter, that a like
// or bookmark made on the web shows in the API and the other way round,
// and that the API's lists are the feed room's.
func TestMarksSharedWithTheWeb(t *testing.T) {
	ctx := context.Background()
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	token := apiToken(t, alice.site)
	call := func(method, path string, out any) http.Header {
		t.Helper()
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(method, path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		alice.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), out) != nil {
			t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
		return rec.Header()
	}
	bobActor := &vocab.Actor{ID: "https://bob.test/users/bob", Type: vocab.TypePerson, PreferredUsername: "bob"}
	remote, err := alice.feed.StorePost(ctx, &vocab.Object{ID: "https://bob.test/notes/1", Type: vocab.TypeNote,
		AttributedTo: bobActor.ID, ContentHTML: "<p>hi</p>", Published: time.Now(), To: []string{vocab.Public}}, bobActor)
	if err != nil {
		t.Fatal(err)
	}
	note, err := alice.feed.Create(ctx, feed.NoteInput{Text: "mine", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	noteID := strconv.FormatInt(note.ID, 10)

	// On the web: a like and a bookmark of bob's post.
	if err := alice.feed.Like(ctx, remote.ObjectID); err != nil {
		t.Fatal(err)
	}
	if err := alice.feed.Bookmark(ctx, remote.ObjectID); err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	call(http.MethodGet, "/api/v1/statuses/"+strconv.FormatInt(remote.ID, 10), &s)
	if s["favourited"] != true || s["bookmarked"] != true {
		t.Errorf("web marks in the API: %v %v", s["favourited"], s["bookmarked"])
	}

	// In the API: a favourite and a bookmark of the owner's note.
	call(http.MethodPost, "/api/v1/statuses/"+noteID+"/favourite", &s)
	call(http.MethodPost, "/api/v1/statuses/"+noteID+"/bookmark", &s)
	if p, err := alice.feed.Post(ctx, note.ID); err != nil || !p.Liked || !p.Bookmarked {
		t.Errorf("API marks on the web: liked=%v bookmarked=%v %v", p.Liked, p.Bookmarked, err)
	}

	for _, path := range []string{"/api/v1/favourites", "/api/v1/bookmarks"} {
		var list []map[string]any
		h := call(http.MethodGet, path+"?limit=1", &list)
		if len(list) != 1 || list[0]["id"] != noteID || !strings.Contains(h.Get("Link"), "max_id=") {
			t.Fatalf("%s: %v Link %q", path, list, h.Get("Link"))
		}
		next := h.Get("Link")[1:strings.Index(h.Get("Link"), ">")]
		call(http.MethodGet, next[strings.Index(next, "/api/"):], &list)
		if len(list) != 1 || list[0]["id"] != strconv.FormatInt(remote.ID, 10) {
			t.Errorf("%s second page: %v", path, list)
		}
	}
}
