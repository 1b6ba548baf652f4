package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"roost/blog"
	"roost/feed"
)

// TestOwnerProfileMergesNotesAndArticles walks the owner's profile in an app
// page by page with max_id, where notes and articles interleave and where
// the newest articles alone fill a page: every post shows once, newest first.
func TestOwnerProfileMergesNotesAndArticles(t *testing.T) {
	ctx := context.Background()
	alice := startTestSite(t, newTestNet(), "alice.test", "")
	token := apiToken(t, alice.site)
	var want []string // newest last
	note := func(text string) {
		n, err := alice.feed.Create(ctx, feed.NoteInput{Text: text, Visibility: feed.VisibilityPublic})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, strconv.FormatInt(n.ID, 10))
	}
	article := func(title string) {
		a, err := alice.blog.Create(ctx, blog.ArticleInput{Title: title, Body: "Body of " + title})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, strconv.FormatInt(a.ID, 10))
	}
	note("n1")
	article("a1")
	note("n2")
	note("n3")
	article("a2")
	article("a3")
	article("a4")

	var got []string
	path := "/api/v1/accounts/1/statuses?limit=2"
	for range 10 {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		alice.handler.ServeHTTP(rec, req)
		var page []struct{ ID string }
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &page) != nil {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		if len(page) == 0 {
			break
		}
		for _, s := range page {
			got = append(got, s.ID)
		}
		path = fmt.Sprintf("/api/v1/accounts/1/statuses?limit=2&max_id=%s", page[len(page)-1].ID)
	}
	if len(got) != len(want) {
		t.Fatalf("profile shows %v, want %d posts", got, len(want))
	}
	for i, id := range got {
		if id != want[len(want)-1-i] {
			t.Fatalf("profile order %v, want newest first of %v", got, want)
		}
	}
}
