package feed

import (
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

func TestNotesFeeds(t *testing.T) {
	s := newTestSite(t)
	when := time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)
	pub := s.mustCreate(t, NoteInput{Text: "feed me #tea", Created: when,
		Media: []Media{{URL: testBase + "/m/pic.png", Alt: "a teapot"}}})
	s.mustCreate(t, NoteInput{Text: "not in feeds", Visibility: VisibilityUnlisted})
	for _, ext := range []string{"atom", "rss", "json"} {
		t.Run(ext, func(t *testing.T) {
			rec := s.do(t, "GET", "/notes/feed."+ext, nil, false)
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			feed, err := gofeed.NewParser().ParseString(rec.Body.String())
			if err != nil {
				t.Fatal(err)
			}
			if len(feed.Items) != 1 {
				t.Fatalf("items: %d", len(feed.Items))
			}
			item := feed.Items[0]
			content := item.Content
			if content == "" {
				content = item.Description
			}
			if !strings.Contains(content, "feed me") || !strings.Contains(content, `alt="a teapot"`) {
				t.Errorf("content %q", content)
			}
			if item.Link != pub.URL {
				t.Errorf("link %q", item.Link)
			}
			if item.PublishedParsed == nil || !item.PublishedParsed.Equal(when) {
				t.Errorf("published %v", item.PublishedParsed)
			}
		})
	}
}

func TestSiteFeedMergesArticles(t *testing.T) {
	s := newTestSite(t, func(c *Config) {
		c.Articles = fakeArticles{{ID: testBase + "/blog/new", Title: "Newest article", URL: testBase + "/blog/new", HTML: "<p>long</p>",
			Published: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
			{ID: testBase + "/blog/old", Title: "Old article", URL: testBase + "/blog/old", HTML: "<p>old</p>",
				Published: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}
	})
	s.mustCreate(t, NoteInput{Text: "middle note", Created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	s.mustCreate(t, NoteInput{Text: "hidden", Visibility: VisibilityFollowers})
	for _, ext := range []string{"atom", "rss", "json"} {
		rec := s.do(t, "GET", "/feed."+ext, nil, false)
		feed, err := gofeed.NewParser().ParseString(rec.Body.String())
		if err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		var links []string
		for _, it := range feed.Items {
			links = append(links, it.Link)
		}
		if len(feed.Items) != 3 || feed.Items[0].Title != "Newest article" || !strings.Contains(feed.Items[1].Content+feed.Items[1].Description, "middle note") ||
			feed.Items[2].Link != testBase+"/blog/old" {
			t.Errorf("%s: items %q", ext, links)
		}
	}
}
