package feed

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"roost/federation/vocab"
)

const (
	feedURL  = "https://www.example.com/feed.xml"
	itemLink = "https://www.example.com/2025/gardens"
)

// feedSite is a followed web feed as cmd/roost describes it.
func feedSite() *vocab.Actor {
	return &vocab.Actor{ID: feedURL, Type: vocab.TypeService, Name: "Example Blog",
		URL: "https://www.example.com/", IconURL: "https://www.example.com/icon.png"}
}

// feedArticle is an item with a title, as a web feed's entry arrives.
func feedArticle(id, title string, minute int) *vocab.Object {
	return &vocab.Object{ID: id, Type: vocab.TypeArticle, AttributedTo: feedURL, Name: title,
		ContentHTML: "<p>Why I dig, at length.</p>", SummaryText: "Why I dig.", URL: itemLink,
		Published: time.Date(2025, 2, 1, 10, minute, 0, 0, time.UTC), To: []string{vocab.Public}}
}

func postForm(t *testing.T, s *testSite, path, object string) int {
	t.Helper()
	body := url.Values{"object": {object}}.Encode()
	return s.do(t, "POST", path, strings.NewReader(body), true, "Content-Type", "application/x-www-form-urlencoded").Code
}

func TestStoreFeedItemKeepRules(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, feedURL)
	item := feedArticle("https://www.example.com/?p=1", "On gardens", 1)
	if err := s.feed.StoreFeedItem(ctx, item, feedSite()); err != nil {
		t.Fatal(err)
	}
	other := feedArticle("https://unfollowed.test/?p=1", "Not followed", 2)
	other.AttributedTo = "https://unfollowed.test/feed"
	if err := s.feed.StoreFeedItem(ctx, other, &vocab.Actor{ID: other.AttributedTo, Type: vocab.TypeService}); err != nil {
		t.Fatal(err)
	}
	// A second delivery of the same item changes nothing.
	if err := s.feed.StoreFeedItem(ctx, item, feedSite()); err != nil {
		t.Fatal(err)
	}
	if n := storedCount(t, s); n != 1 {
		t.Fatalf("%d posts stored, want 1", n)
	}
	p, err := s.feed.PostByObjectID(ctx, FeedItemID(feedURL, item.ID))
	if err != nil || !p.FromFeed || p.Visibility != VisibilityPublic || p.Author.Name != "Example Blog" {
		t.Fatalf("stored item %+v, %v", p, err)
	}
	entries, err := s.feed.Timeline(ctx, 10, 0, 0)
	if err != nil || len(entries) != 1 || entries[0].Post.ObjectID != FeedItemID(feedURL, item.ID) {
		t.Errorf("home timeline: %+v, %v", entries, err)
	}
	// A post from the fediverse is not a feed item.
	mustCreated(t, s, publicNote("https://remote.test/notes/1", bobID, "<p>hi</p>", 3), actor(bobID, "Bob"))
	if p, _ := s.feed.PostByObjectID(ctx, "https://remote.test/notes/1"); p.FromFeed {
		t.Error("an ActivityPub post is marked as a feed item")
	}
}

func TestHomeShowsFeedItems(t *testing.T) {
	s := newRemoteSite(t, feedURL, bobID)
	item := feedArticle("https://www.example.com/?p=1", "On gardens", 1)
	if err := s.feed.StoreFeedItem(context.Background(), item, feedSite()); err != nil {
		t.Fatal(err)
	}
	mustCreated(t, s, publicNote("https://remote.test/notes/1", bobID, "<p>hi</p>", 2), actor(bobID, "Bob"))

	doc := parseHTML(t, s.do(t, "GET", "/home", nil, true))
	p := doc.Find(`[data-testid="post"][data-object="` + FeedItemID(feedURL, item.ID) + `"]`)
	if p.Length() != 1 {
		t.Fatalf("feed item not on /home: %q", doc.Text())
	}
	site := p.Find(`[data-testid="site"]`)
	if p.Find(`[data-testid="author"]`).Text() != "Example Blog" || p.Find("header img").AttrOr("src", "") != "https://www.example.com/icon.png" ||
		strings.Join(strings.Fields(site.Text()), " ") != "from example.com" || site.Find("a").AttrOr("href", "") != "https://www.example.com/" {
		t.Errorf("author block: %q", p.Find("header").Text())
	}
	if p.Find(`[data-testid="article-title"] a`).Text() != "On gardens" || p.Find(`[data-testid="article-summary"]`).Text() != "Why I dig." ||
		p.Find(`[data-testid="read-more"]`).AttrOr("href", "") != itemLink {
		t.Errorf("article: %q", p.Text())
	}
	if p.Find(`[data-testid="reply"]`).Length() != 0 || p.Find(`[data-testid="thread"]`).Length() != 0 {
		t.Error("a feed item offers a reply or a thread")
	}
	if p.Find(`form[data-testid="like"]`).Length() != 1 || p.Find(`form[data-testid="boost"]`).Length() != 1 {
		t.Errorf("feed item actions: %q", p.Find("footer").Text())
	}
	// Posts from the fediverse keep their reply link and handle.
	fedi := doc.Find(`[data-testid="post"][data-object="https://remote.test/notes/1"]`)
	if fedi.Find(`[data-testid="reply"]`).Length() != 1 || fedi.Find(`[data-testid="site"]`).Length() != 0 {
		t.Errorf("fediverse post: %q", fedi.Find("footer").Text())
	}
}

func TestBoostFeedItemSharesALinkNote(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, feedURL)
	item := feedArticle("https://www.example.com/?p=1", "On gardens", 1)
	if err := s.feed.StoreFeedItem(ctx, item, feedSite()); err != nil {
		t.Fatal(err)
	}
	if code := postForm(t, s, "/home/boost", FeedItemID(feedURL, item.ID)); code != http.StatusSeeOther {
		t.Fatalf("boost: %d", code)
	}
	postForm(t, s, "/home/boost", FeedItemID(feedURL, item.ID)) // a second press shares nothing more

	got := s.pub.all()
	if len(got) != 1 || got[0].activity.Type != vocab.TypeCreate || !got[0].audience.Followers || got[0].activity.To[0] != vocab.Public {
		t.Fatalf("published %+v", got)
	}
	obj, _ := got[0].activity.Object.(map[string]any)
	content, _ := obj["content"].(string)
	if !strings.Contains(content, "On gardens") || !strings.Contains(content, `href="`+itemLink+`"`) {
		t.Errorf("shared note content %q", content)
	}
	notes, err := s.feed.Notes(ctx, 10, 0, true)
	if err != nil || len(notes) != 1 || notes[0].Text != "On gardens\n\n"+itemLink || notes[0].Visibility != VisibilityPublic {
		t.Fatalf("notes %+v, %v", notes, err)
	}
	share := notes[0]
	doc := parseHTML(t, s.do(t, "GET", "/home", nil, true))
	p := doc.Find(`[data-testid="post"][data-object="` + FeedItemID(feedURL, item.ID) + `"]`)
	if p.Find(`form[data-testid="unboost"]`).Length() != 1 || !strings.HasPrefix(p.Find(`[data-testid="boosts"]`).Text(), "1 boost") {
		t.Errorf("after sharing: %q", p.Find("footer").Text())
	}
	if doc.Find(`[data-testid="post"][data-object="`+share.URL+`"]`).Length() != 1 {
		t.Error("the shared note is not on /home")
	}

	if code := postForm(t, s, "/home/unboost", FeedItemID(feedURL, item.ID)); code != http.StatusSeeOther {
		t.Fatalf("unboost: %d", code)
	}
	got = s.pub.all()
	if len(got) != 2 || got[1].activity.Type != vocab.TypeDelete {
		t.Fatalf("after unboost published %+v", got)
	}
	if tomb, _ := got[1].activity.Object.(map[string]any); tomb["id"] != share.URL {
		t.Errorf("delete names %v, want %s", got[1].activity.Object, share.URL)
	}
	if _, err := s.feed.Get(ctx, share.ID); !errors.Is(err, ErrGone) {
		t.Errorf("shared note after unboost: %v", err)
	}
	p2, err := s.feed.PostByObjectID(ctx, FeedItemID(feedURL, item.ID))
	if err != nil || p2.Boosted || p2.Boosts != 0 {
		t.Errorf("item after unboost: boosted %v, %d boosts, %v", p2.Boosted, p2.Boosts, err)
	}
}

func TestDeletingShareNoteUnboosts(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, feedURL)
	item := feedArticle("https://www.example.com/?p=1", "On gardens", 1)
	if err := s.feed.StoreFeedItem(ctx, item, feedSite()); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.Boost(ctx, FeedItemID(feedURL, item.ID)); err != nil {
		t.Fatal(err)
	}
	notes, _ := s.feed.Notes(ctx, 10, 0, true)
	if len(notes) != 1 {
		t.Fatalf("%d notes after sharing", len(notes))
	}
	if err := s.feed.Delete(ctx, notes[0].ID); err != nil {
		t.Fatal(err)
	}
	if p, _ := s.feed.PostByObjectID(ctx, FeedItemID(feedURL, item.ID)); p.Boosted || p.Boosts != 0 {
		t.Errorf("item still boosted after its note was deleted: %+v", p)
	}
	if err := s.feed.Unboost(ctx, FeedItemID(feedURL, item.ID)); err != nil {
		t.Errorf("unboost after the note went: %v", err)
	}
}

func TestLikeFeedItemStaysLocal(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, feedURL)
	item := feedArticle("https://www.example.com/?p=1", "On gardens", 1)
	if err := s.feed.StoreFeedItem(ctx, item, feedSite()); err != nil {
		t.Fatal(err)
	}
	if code := postForm(t, s, "/home/like", FeedItemID(feedURL, item.ID)); code != http.StatusSeeOther {
		t.Fatalf("like: %d", code)
	}
	p, err := s.feed.PostByObjectID(ctx, FeedItemID(feedURL, item.ID))
	if err != nil || !p.Liked || p.Likes != 1 {
		t.Fatalf("after like: %+v, %v", p, err)
	}
	postForm(t, s, "/home/unlike", FeedItemID(feedURL, item.ID))
	if p, _ := s.feed.PostByObjectID(ctx, FeedItemID(feedURL, item.ID)); p.Liked || p.Likes != 0 {
		t.Errorf("after unlike: liked %v, %d likes", p.Liked, p.Likes)
	}
	if got := s.pub.all(); len(got) != 0 {
		t.Errorf("liking a feed item published %+v", got)
	}
}

func TestShareText(t *testing.T) {
	long := strings.Repeat("word ", 200)
	tests := []struct {
		name, title, link string
		want              string
	}{
		{"title and link", "On gardens", itemLink, "On gardens\n\n" + itemLink},
		{"white space folded", "  On\n gardens ", itemLink, "On gardens\n\n" + itemLink},
		{"no title", "", itemLink, itemLink},
		{"long title shortened", long, itemLink, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shareText(tt.title, tt.link, DefaultNoteLimit)
			if tt.want != "" && got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > DefaultNoteLimit || !strings.HasSuffix(got, "\n\n"+tt.link) && tt.title != "" {
				t.Errorf("%d characters, %q", n, got)
			}
		})
	}
}
