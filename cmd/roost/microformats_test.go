package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"roost/feed"
)

// mf2Page fetches a page as an IndieWeb reader would and returns its DOM.
func mf2Page(t *testing.T, c *http.Client, u string) *goquery.Document {
	t.Helper()
	body, code := page(t, c, u)
	if code != http.StatusOK {
		t.Fatalf("%s: %d", u, code)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// mf2Value is a property's value by the microformats2 rules roost's pages
// use: a link's href, a data or time element's value/datetime, else text.
func mf2Value(s *goquery.Selection) string {
	for _, k := range []string{"href", "src", "value", "datetime"} {
		if v, ok := s.Attr(k); ok {
			return v
		}
	}
	return strings.TrimSpace(s.Text())
}

func TestPagesCarryMicroformats(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	form := url.Values{"title": {"Seed swap"}, "body": {"Bring *beans*."}, "tags": {"garden"}, "status": {"published"}, "kind": {"post"}}
	if code := postForm(t, alice.Owner, alice.Base+"/blog/new", form); code != http.StatusSeeOther {
		t.Fatalf("new post: %d", code)
	}
	if _, err := alice.feed.Create(context.Background(), feed.NoteInput{Text: "sprouts today", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	reader := alice.client(tn)

	card := mf2Page(t, reader, alice.Base+"/").Find(".h-card").First()
	if card.Find(".p-name").Length() == 0 || mf2Value(card.Find(".u-url").First()) != alice.Base+"/" {
		t.Errorf("front page h-card lacks p-name or u-url of the site: %q", mf2Value(card.Find(".u-url").First()))
	}

	index := mf2Page(t, reader, alice.Base+"/blog/").Find(".h-feed").First()
	entry := index.Find(".h-entry").First()
	if got := strings.TrimSpace(entry.Find(".p-name").Text()); got != "Seed swap" {
		t.Errorf("blog index h-entry p-name = %q", got)
	}
	if mf2Value(entry.Find(".u-url")) != "/blog/seed-swap" || mf2Value(entry.Find(".dt-published")) == "" {
		t.Error("blog index h-entry lacks u-url or dt-published")
	}
	if index.Find(".p-author.h-card").Length() == 0 {
		t.Error("blog index h-feed names no author")
	}

	article := mf2Page(t, reader, alice.Base+"/blog/seed-swap").Find(".h-entry").First()
	checks := map[string]string{
		".p-name":          "Seed swap",
		".u-url":           alice.Base + "/blog/seed-swap",
		".p-author.h-card": alice.Base + "/",
	}
	for sel, want := range checks {
		if got := mf2Value(article.Find(sel).First()); got != want {
			t.Errorf("article %s = %q, want %q", sel, got, want)
		}
	}
	if got := strings.TrimSpace(article.Find(".p-category").First().Text()); got != "#garden" {
		t.Errorf("article p-category = %q", got)
	}
	if got := article.Find(".e-content em").Text(); got != "beans" {
		t.Errorf("article e-content emphasis = %q", got)
	}
	if mf2Value(article.Find(".dt-published").First()) == "" {
		t.Error("article has no dt-published")
	}

	note := mf2Page(t, reader, alice.Base+"/notes/").Find(".h-feed .h-entry").First()
	if !strings.Contains(note.Find(".e-content").Text(), "sprouts today") || note.Find(".p-author.h-card .p-name").Length() == 0 {
		t.Error("notes list h-entry lacks e-content or p-author h-card")
	}
}
