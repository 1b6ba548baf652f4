package mastodon

import (
	"context"
	"net/url"
	"regexp"
	"testing"
	"time"
)

// TestMarksAreTheFeedRooms checks that the owner's favourites and bookmarks
// are one record with the web's: a like or bookmark made on the web shows
// in the API, and one made in the API shows on the web.
func TestMarksAreTheFeedRooms(t *testing.T) {
	ctx := context.Background()
	ta := newTestAPI(t, true)
	webID := ta.post(t, "marked on the web")["id"].(string)
	apiID := ta.post(t, "marked in an app")["id"].(string)
	web, _ := ta.feed.Get(ctx, mustID(t, webID))
	if err := ta.feed.Like(ctx, web.URL); err != nil {
		t.Fatal(err)
	}
	if err := ta.feed.Bookmark(ctx, web.URL); err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	ta.do(t, "GET", "/api/v1/statuses/"+webID, ta.token, nil, 200, &s)
	if s["favourited"] != true || s["bookmarked"] != true || s["reblogged"] != false {
		t.Errorf("web marks in the API: favourited=%v bookmarked=%v reblogged=%v", s["favourited"], s["bookmarked"], s["reblogged"])
	}

	for _, action := range []string{"favourite", "bookmark", "reblog"} {
		ta.do(t, "POST", "/api/v1/statuses/"+apiID+"/"+action, ta.token, nil, 200, nil)
	}
	p, err := ta.feed.Post(ctx, mustID(t, apiID))
	if err != nil || !p.Liked || !p.Bookmarked || !p.Boosted {
		t.Errorf("API marks on the web: %+v %v", p, err)
	}
	var n int
	if err := ta.api.db.QueryRow(`SELECT COUNT(*) FROM mastodon_marks`).Scan(&n); err != nil || n != 0 {
		t.Errorf("mastodon_marks has %d rows (%v), want none", n, err)
	}

	// Lists, most recently marked first, paged by Link.
	for _, path := range []string{"/api/v1/favourites", "/api/v1/bookmarks"} {
		var page []map[string]any
		resp := ta.do(t, "GET", path+"?limit=1", ta.token, nil, 200, &page)
		if len(page) != 1 || page[0]["id"] != apiID {
			t.Fatalf("%s first page %v", path, idsOf(page))
		}
		next := regexp.MustCompile(`<([^>]+)>; rel="next"`).FindStringSubmatch(resp.Header.Get("Link"))
		if next == nil {
			t.Fatalf("%s: no next link in %q", path, resp.Header.Get("Link"))
		}
		u, _ := url.Parse(next[1])
		ta.do(t, "GET", u.RequestURI(), ta.token, nil, 200, &page)
		if len(page) != 1 || page[0]["id"] != webID || page[0]["favourited"] != true {
			t.Errorf("%s second page %v", path, idsOf(page))
		}
	}

	ta.do(t, "POST", "/api/v1/statuses/"+webID+"/unbookmark", ta.token, nil, 200, &s)
	if p, _ := ta.feed.Post(ctx, mustID(t, webID)); p.Bookmarked || s["bookmarked"] != false {
		t.Errorf("unbookmark: web %v, API %v", p.Bookmarked, s["bookmarked"])
	}
}

// fakeArticles holds one blog article.
type fakeArticles struct{ ar Article }

func (f fakeArticles) Articles(context.Context, int, int64, int64) ([]Article, error) {
	return []Article{f.ar}, nil
}
func (f fakeArticles) ArticleIDs(context.Context, int, int64, int64) ([]int64, error) {
	return []int64{f.ar.ID}, nil
}
func (f fakeArticles) Article(_ context.Context, id int64) (Article, error) {
	if id == f.ar.ID {
		return f.ar, nil
	}
	return Article{}, ErrNotFound
}

// TestArticleMarksStayInTheTable checks that blog articles, which the feed
// room does not hold, are favourited and bookmarked through mastodon_marks
// and listed among the feed room's marks by time.
func TestArticleMarksStayInTheTable(t *testing.T) {
	ta := newTestAPI(t, true)
	before := ta.post(t, "bookmarked before")["id"].(string)
	ta.do(t, "POST", "/api/v1/statuses/"+before+"/bookmark", ta.token, nil, 200, nil)
	published := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	ar := Article{ID: newID(published), ObjectID: testBase + "/2024/04/post", URL: testBase + "/2024/04/post",
		Title: "Post", Published: published}
	ta.api.cfg.Articles = fakeArticles{ar}
	id := idString(ar.ID)
	for _, action := range []string{"favourite", "bookmark"} {
		var s map[string]any
		ta.do(t, "POST", "/api/v1/statuses/"+id+"/"+action, ta.token, nil, 200, &s)
		if s["favourited"] != true || s["bookmarked"] != (action == "bookmark") {
			t.Errorf("%s: %v", action, s)
		}
	}
	var n int
	if err := ta.api.db.QueryRow(`SELECT COUNT(*) FROM mastodon_marks WHERE status_id = ?`, ar.ID).Scan(&n); err != nil || n != 2 {
		t.Errorf("article marks in the table: %d (%v)", n, err)
	}
	after := ta.post(t, "bookmarked after")["id"].(string)
	ta.do(t, "POST", "/api/v1/statuses/"+after+"/bookmark", ta.token, nil, 200, nil)
	var list []map[string]any
	ta.do(t, "GET", "/api/v1/bookmarks", ta.token, nil, 200, &list)
	if got, want := idsOf(list), []string{after, id, before}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("bookmarks %v, want %v", got, want)
	}
	if list[1]["favourited"] != true || list[1]["bookmarked"] != true {
		t.Errorf("article flags %v", list[1])
	}
	ta.do(t, "GET", "/api/v1/favourites", ta.token, nil, 200, &list)
	if got := idsOf(list); len(got) != 1 || got[0] != id {
		t.Errorf("favourites %v", got)
	}
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	id, ok := parseID(s)
	if !ok {
		t.Fatalf("bad id %q", s)
	}
	return id
}
