package blog

import (
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

func TestFeedsReadBack(t *testing.T) {
	f := newFixture(t)
	first := f.clock.Now().Add(-2 * time.Hour)
	f.create(t, ArticleInput{Title: "Older", Body: "First *post*.", Tags: []string{"go"}, PublishedAt: first})
	f.create(t, ArticleInput{Title: "Newer", Body: "Second post with `code`.", PublishedAt: first.Add(time.Hour)})
	f.create(t, ArticleInput{Title: "About", Page: true})
	f.create(t, ArticleInput{Title: "Draft", Draft: true})
	f.create(t, ArticleInput{Title: "Future", PublishedAt: f.clock.Now().Add(time.Hour)})

	for _, path := range []string{"/blog/feed.atom", "/blog/feed.rss", "/blog/feed.json"} {
		t.Run(path, func(t *testing.T) {
			w := f.get(t, path, false)
			wantStatus(t, w, 200)
			feed, err := gofeed.NewParser().ParseString(w.Body.String())
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if !strings.Contains(feed.Title, "Alice") {
				t.Errorf("feed title %q", feed.Title)
			}
			if len(feed.Items) != 2 {
				var titles []string
				for _, it := range feed.Items {
					titles = append(titles, it.Title)
				}
				t.Fatalf("items %v, want Newer and Older only", titles)
			}
			newer, older := feed.Items[0], feed.Items[1]
			if newer.Title != "Newer" || older.Title != "Older" {
				t.Errorf("titles %q, %q", newer.Title, older.Title)
			}
			if older.Link != testBase+"/blog/older" {
				t.Errorf("link %q", older.Link)
			}
			if older.PublishedParsed == nil || !older.PublishedParsed.Equal(first) {
				t.Errorf("published %v, want %v", older.PublishedParsed, first)
			}
			if !strings.Contains(older.Content, "<em>post</em>") && !strings.Contains(older.Description, "<em>post</em>") {
				t.Errorf("full content missing: %q / %q", older.Content, older.Description)
			}
			if !strings.Contains(newer.Content+newer.Description, "<code>code</code>") {
				t.Errorf("content of the newer post: %q", newer.Content)
			}
		})
	}
	w := f.get(t, "/blog/tags/go/feed.json", false)
	wantStatus(t, w, 200)
	feed, err := gofeed.NewParser().ParseString(w.Body.String())
	if err != nil || len(feed.Items) != 1 || feed.Items[0].Title != "Older" {
		t.Errorf("tag feed: %v %+v", err, feed)
	}
}
