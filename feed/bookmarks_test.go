package feed

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// postValues sends an owner's form and returns the response.
func postValues(t *testing.T, s *testSite, path string, form url.Values) (int, string) {
	t.Helper()
	rec := s.do(t, "POST", path, strings.NewReader(form.Encode()), true, "Content-Type", "application/x-www-form-urlencoded")
	return rec.Code, rec.Header().Get("Location")
}

// postByObject finds a post on a page by its object id.
func postByObject(doc *goquery.Document, id string) *goquery.Selection {
	return doc.Find(`[data-testid="post"][data-object="` + id + `"]`)
}

func TestBookmarksFromTheWeb(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID)
	first := publicNote("https://remote.test/notes/1", bobID, "<p>first</p>", 1)
	second := publicNote("https://remote.test/notes/2", bobID, "<p>second</p>", 2)
	mustCreated(t, s, first, actor(bobID, "Bob"))
	mustCreated(t, s, second, actor(bobID, "Bob"))
	own := s.mustCreate(t, NoteInput{Text: "my own note", Visibility: VisibilityPublic})
	published := len(s.pub.all())

	if rec := s.do(t, "GET", "/home/bookmarks", nil, false); rec.Code != http.StatusUnauthorized {
		t.Fatalf("visitor got %d", rec.Code)
	}
	if n := parseHTML(t, s.do(t, "GET", "/home/bookmarks", nil, true)).Find(`[data-testid="empty"]`).Length(); n != 1 {
		t.Error("an empty Bookmarks page says nothing")
	}

	// The owner's note is bookmarked first, the older post second: the
	// page lists them by the time of the bookmark.
	thread := "/home/thread?" + url.Values{"object": {first.ID}}.Encode()
	steps := []struct{ object, back, want string }{
		{own.URL, "", "/home"},
		{first.ID, thread, thread},
		{first.ID, "https://evil.test/", "/home"}, // twice is a no-op; foreign backs are refused
	}
	for _, st := range steps {
		code, loc := postValues(t, s, "/home/bookmark", url.Values{"object": {st.object}, "back": {st.back}})
		if code != http.StatusSeeOther || loc != st.want {
			t.Errorf("bookmark %s back %q: %d to %q, want %q", st.object, st.back, code, loc, st.want)
		}
	}
	if code, _ := postValues(t, s, "/home/bookmark", url.Values{"object": {"https://remote.test/notes/none"}}); code != http.StatusNotFound {
		t.Errorf("bookmark of an unknown post: %d", code)
	}

	doc := parseHTML(t, s.do(t, "GET", "/home/bookmarks", nil, true))
	var listed []string
	doc.Find(`[data-testid="post"]`).Each(func(_ int, p *goquery.Selection) { listed = append(listed, p.AttrOr("data-object", "")) })
	if strings.Join(listed, " ") != first.ID+" "+own.URL {
		t.Errorf("bookmarks page lists %q", listed)
	}
	if back := postByObject(doc, first.ID).Find(`form[data-testid="unbookmark"] input[name="back"]`).AttrOr("value", ""); back != "/home/bookmarks" {
		t.Errorf("bookmarks page forms go back to %q", back)
	}

	home := parseHTML(t, s.do(t, "GET", "/home", nil, true))
	for _, c := range []struct {
		object string
		marked bool
	}{{first.ID, true}, {own.URL, true}, {second.ID, false}} {
		p := postByObject(home, c.object)
		un := p.Find(`form[data-testid="unbookmark"]`)
		if got := un.Length() == 1; got != c.marked || p.Find(`form[data-testid="bookmark"]`).Length() == un.Length() {
			t.Errorf("%s on /home: bookmarked %v, want %v", c.object, got, c.marked)
		}
		if c.marked && (strings.TrimSpace(un.Find("button").Text()) != "Bookmarked" || un.AttrOr("action", "") != "/home/unbookmark") {
			t.Errorf("%s: unbookmark form %q to %q", c.object, un.Find("button").Text(), un.AttrOr("action", ""))
		}
	}
	focus := parseHTML(t, s.do(t, "GET", thread, nil, true)).Find(`[data-testid="focus"]`)
	if strings.TrimSpace(focus.Find(`form[data-testid="unbookmark"] button`).Text()) != "Bookmarked" {
		t.Error("the thread page does not show the bookmark")
	}

	among, err := s.feed.BookmarkedAmong(ctx, []int64{own.ID, postID(t, s, first.ID), postID(t, s, second.ID)})
	if err != nil || len(among) != 2 || !among[own.ID] || !among[postID(t, s, first.ID)] {
		t.Errorf("bookmarked among: %v, %v", among, err)
	}

	// Paging is by the bookmark, then a deleted note drops out.
	page, err := s.feed.Bookmarked(ctx, 1, 0)
	if err != nil || len(page) != 1 || page[0].Post.ObjectID != first.ID || !page[0].Post.Bookmarked {
		t.Fatalf("first page: %+v, %v", page, err)
	}
	if next, err := s.feed.Bookmarked(ctx, 1, page[0].ID); err != nil || len(next) != 1 || next[0].Post.ObjectID != own.URL {
		t.Errorf("second page: %+v, %v", next, err)
	}
	if got := s.pub.all(); len(got) != published {
		t.Errorf("bookmarks published %d activities: %+v", len(got)-published, got[published:])
	}
	if err := s.feed.Delete(ctx, own.ID); err != nil {
		t.Fatal(err)
	}
	published = len(s.pub.all()) // the delete is published, unbookmarking is not

	if code, loc := postValues(t, s, "/home/unbookmark", url.Values{"object": {first.ID}, "back": {"/home/bookmarks"}}); code != http.StatusSeeOther || loc != "/home/bookmarks" {
		t.Errorf("unbookmark: %d to %q", code, loc)
	}
	if all, err := s.feed.Bookmarked(ctx, 20, 0); err != nil || len(all) != 0 {
		t.Errorf("after unbookmark and delete: %+v, %v", all, err)
	}
	if p, err := s.feed.PostByObjectID(ctx, first.ID); err != nil || p.Bookmarked {
		t.Errorf("post after unbookmark: bookmarked %v, %v", p.Bookmarked, err)
	}
	home = parseHTML(t, s.do(t, "GET", "/home", nil, true))
	if postByObject(home, first.ID).Find(`form[data-testid="bookmark"]`).Length() != 1 {
		t.Error("/home still shows the bookmark")
	}
	if got := s.pub.all(); len(got) != published {
		t.Errorf("unbookmark published %d activities: %+v", len(got)-published, got[published:])
	}
}

func TestBookmarkOfDeletedPost(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID)
	post := publicNote("https://remote.test/notes/1", bobID, "<p>soon gone</p>", 1)
	mustCreated(t, s, post, actor(bobID, "Bob"))
	if err := s.feed.PostDeleted(ctx, post.ID, bobID); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.Bookmark(ctx, post.ID); !errors.Is(err, ErrGone) && !errors.Is(err, ErrNotFound) {
		t.Errorf("bookmark of a deleted post: %v", err)
	}
	if err := s.feed.Unbookmark(ctx, post.ID); err != nil {
		t.Errorf("unbookmark of a deleted post: %v", err)
	}
}

func postID(t *testing.T, s *testSite, objectID string) int64 {
	t.Helper()
	p, err := s.feed.PostByObjectID(context.Background(), objectID)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}
