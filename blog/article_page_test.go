package blog

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// An article page credits its author, links the posts around it and tells
// link previews what it is.
func TestArticleShareMetaAndNeighbours(t *testing.T) {
	f := newFixture(t)
	first := f.create(t, ArticleInput{Title: "First", Body: "The start."})
	middle := f.create(t, ArticleInput{Title: "Middle", Body: "Seeds & soil.\n\n![Tomato rows](/media/tomatoes.jpg)", Summary: "All about seeds."})
	last := f.create(t, ArticleInput{Title: "Last", Body: "The end."})
	f.create(t, ArticleInput{Title: "Later draft", Body: "x", Draft: true})

	doc := parse(t, f.get(t, "/blog/"+middle.Slug, false))
	meta := func(attr, name string) string {
		return doc.Find(`head meta[`+attr+`="`+name+`"]`).AttrOr("content", "")
	}
	want := map[string]string{
		"og:type": "article", "og:title": "Middle", "og:description": "All about seeds.",
		"og:url": testBase + "/blog/middle", "og:image": testBase + "/media/tomatoes.jpg",
	}
	for k, v := range want {
		if got := meta("property", k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if got := meta("name", "twitter:card"); got != "summary_large_image" {
		t.Errorf("twitter:card = %q", got)
	}
	byline := doc.Find(`[data-testid="byline"] a[rel="author"]`)
	if byline.Text() != "Alice" || byline.AttrOr("href", "") != "/" {
		t.Errorf("author line %q -> %q", byline.Text(), byline.AttrOr("href", ""))
	}
	prev, next := doc.Find(`[data-testid="previous"]`), doc.Find(`[data-testid="next"]`)
	if prev.AttrOr("href", "") != "/blog/"+first.Slug || !strings.Contains(prev.Text(), "First") {
		t.Errorf("previous = %q -> %q", prev.Text(), prev.AttrOr("href", ""))
	}
	if next.AttrOr("href", "") != "/blog/"+last.Slug || !strings.Contains(next.Text(), "Last") {
		t.Errorf("next = %q -> %q", next.Text(), next.AttrOr("href", ""))
	}

	// The newest post has no next one (the draft is not shown), and without
	// an image the card is the small one.
	doc = parse(t, f.get(t, "/blog/"+last.Slug, false))
	if doc.Find(`[data-testid="next"]`).Length() != 0 {
		t.Errorf("next after the newest post: %q", doc.Find(`[data-testid="next"]`).Text())
	}
	if doc.Find(`meta[name="twitter:card"]`).AttrOr("content", "") != "summary" {
		t.Error("an article without an image has no small card")
	}
	if !strings.Contains(doc.Find(`meta[property="og:description"]`).AttrOr("content", ""), "The end.") {
		t.Error("the description is not the excerpt")
	}
}

// The index keeps a list's items apart in the excerpt.
func TestIndexExcerptKeepsListItems(t *testing.T) {
	f := newFixture(t)
	f.create(t, ArticleInput{Title: "Shopping", Body: "Buy:\n\n- eggs\n- flour\n- milk"})
	w := f.get(t, "/blog/", false)
	wantStatus(t, w, http.StatusOK)
	got := parse(t, w).Find(`[data-testid="excerpt"]`).Text()
	if got != "Buy:\n• eggs\n• flour\n• milk" {
		t.Errorf("excerpt = %q", got)
	}
}

// Tags are shown as the author wrote them, in their order, and link to the
// one tag page whatever the case.
func TestTagsKeepSpellingAndOrder(t *testing.T) {
	f := newFixture(t)
	a := f.create(t, ArticleInput{Title: "Beds", Tags: SplitTags("Zucchini, GardenDiary, apples")})
	tags := parse(t, f.get(t, "/blog/"+a.Slug, false)).Find(`[data-testid="blog-article"] .tags a`)
	var got []string
	tags.Each(func(_ int, s *goquery.Selection) { got = append(got, s.Text()+" "+s.AttrOr("href", "")) })
	want := []string{"#Zucchini /blog/tags/zucchini", "#GardenDiary /blog/tags/gardendiary", "#apples /blog/tags/apples"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("tags %q, want %q", got, want)
	}
	doc := parse(t, f.get(t, "/blog/tags/GARDENDIARY", false))
	if doc.Find(`[data-testid="blog-summary"]`).Length() != 1 {
		t.Error("the tag page does not match the tag whatever its case")
	}
}
