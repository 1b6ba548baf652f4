package contacts

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestContactPageRecentPosts(t *testing.T) {
	f := newFixture(t)
	outbox := bob + "/outbox"
	f.net.actors[bob].Outbox = outbox
	docs := map[string]string{
		outbox: `{"@context": "https://www.w3.org/ns/activitystreams", "id": "` + outbox + `", "type": "OrderedCollection",
			"totalItems": 3, "first": "` + outbox + `?page=true"}`,
		outbox + "?page=true": `{"@context": "https://www.w3.org/ns/activitystreams", "id": "` + outbox + `?page=true",
			"type": "OrderedCollectionPage", "orderedItems": [
			{"id": "` + bob + `/statuses/2/activity", "type": "Create", "actor": "` + bob + `", "published": "2025-02-02T10:00:00Z",
			 "object": {"id": "` + bob + `/statuses/2", "type": "Note", "attributedTo": "` + bob + `",
			  "url": "https://example.social/@bob/2", "content": "<p>Tomatoes <script>x()</script>are up</p>",
			  "published": "2025-02-02T10:00:00Z"}},
			{"id": "` + bob + `/statuses/1/activity", "type": "Announce", "actor": "` + bob + `",
			 "object": "https://other.example/notes/9", "published": "2025-02-01T10:00:00Z"}]}`,
	}
	calls := 0
	f.c.fetchJSON = func(_ context.Context, u string) ([]byte, error) {
		calls++
		if d, ok := docs[u]; ok {
			return []byte(d), nil
		}
		return nil, fmt.Errorf("fetch %s: not found", u)
	}
	view := "/contacts/view?actor=" + url.QueryEscape(bob)
	doc := f.get(t, view, http.StatusOK)
	posts := doc.Find(`[data-testid=recent-posts] [data-testid=post]`)
	if posts.Length() != 2 {
		t.Fatalf("%d posts", posts.Length())
	}
	if got := posts.First().Find(`.content`).Text(); got != "Tomatoes are up" {
		t.Errorf("first post = %q", got)
	}
	if !strings.Contains(posts.Eq(1).Text(), "Boosted") {
		t.Errorf("boost = %q", posts.Eq(1).Text())
	}
	// A second view within minutes reads the cache.
	f.get(t, view, http.StatusOK)
	if calls != 2 {
		t.Errorf("%d fetches, want 2", calls)
	}
	f.advance(10 * time.Minute)
	f.get(t, view, http.StatusOK)
	if calls != 4 {
		t.Errorf("%d fetches after the cache expired, want 4", calls)
	}

	// An outbox that cannot be read leaves a word, not an error page.
	f.net.actors[carol].Outbox = carol + "/outbox"
	doc = f.get(t, "/contacts/view?actor="+url.QueryEscape(carol), http.StatusOK)
	if !strings.Contains(doc.Find(`[data-testid=recent-posts]`).Text(), "could not be fetched") {
		t.Error("no word about the failed fetch")
	}
}

// A note with a content warning is shown collapsed behind the warning, as
// the home timeline shows it, not in full under the warning as a title.
func TestContactPageCollapsesContentWarning(t *testing.T) {
	f := newFixture(t)
	outbox := bob + "/outbox"
	f.net.actors[bob].Outbox = outbox
	page := `{"@context": "https://www.w3.org/ns/activitystreams", "id": "` + outbox + `", "type": "OrderedCollection",
		"orderedItems": [
		{"id": "` + bob + `/statuses/3/activity", "type": "Create", "actor": "` + bob + `",
		 "object": {"id": "` + bob + `/statuses/3", "type": "Note", "attributedTo": "` + bob + `",
		  "summary": "Spoilers for the finale", "content": "<p>The butler did it</p>", "published": "2025-02-03T10:00:00Z"}},
		{"id": "` + bob + `/articles/1/activity", "type": "Create", "actor": "` + bob + `",
		 "object": {"id": "` + bob + `/articles/1", "type": "Article", "attributedTo": "` + bob + `", "name": "Garden diary",
		  "summary": "What grew this year", "content": "<p>Beans.</p>", "published": "2025-02-02T10:00:00Z"}}]}`
	f.c.fetchJSON = func(_ context.Context, u string) ([]byte, error) {
		if u == outbox {
			return []byte(page), nil
		}
		return nil, fmt.Errorf("fetch %s: not found", u)
	}
	doc := f.get(t, "/contacts/view?actor="+url.QueryEscape(bob), http.StatusOK)
	posts := doc.Find(`[data-testid=recent-posts] [data-testid=post]`)
	if posts.Length() != 2 {
		t.Fatalf("%d posts", posts.Length())
	}
	cw := posts.First().Find(`details[data-testid=cw]`)
	if got := cw.Find(`summary`).Text(); got != "Spoilers for the finale" {
		t.Errorf("warning = %q", got)
	}
	if got := cw.Find(`.content`).Text(); got != "The butler did it" {
		t.Errorf("post behind the warning = %q", got)
	}
	if _, open := cw.Attr("open"); open {
		t.Error("the warning starts open")
	}
	if posts.First().Find(`h3`).Length() != 0 {
		t.Errorf("the warning is also a title: %q", posts.First().Find(`h3`).Text())
	}
	article := posts.Eq(1)
	if article.Find(`details`).Length() != 0 || article.Find(`h3`).Text() != "Garden diary" {
		t.Errorf("article = %q", article.Text())
	}
}
