package feed

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"roost/federation/vocab"
)

// checkTimeline compares every entry of the home timeline with what Post,
// which reads one status on its own through other queries, says of it, so
// that the page query and its content cache cannot drift from the store.
// It returns the entries.
func checkTimeline(t *testing.T, s *testSite) []Entry {
	t.Helper()
	ctx := context.Background()
	entries, err := s.feed.Timeline(ctx, 40, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		want, err := s.feed.Post(ctx, e.Post.ID)
		if err != nil {
			t.Fatalf("Post(%d): %v", e.Post.ID, err)
		}
		if !reflect.DeepEqual(e.Post, want) {
			t.Errorf("entry %d differs from Post:\n got %+v\nwant %+v", e.ID, e.Post, want)
		}
	}
	return entries
}

// findEntry returns the entry showing objectID (a boost when boost is set).
func findEntry(entries []Entry, objectID string, boost bool) (Entry, bool) {
	for _, e := range entries {
		if e.Post.ObjectID == objectID && (e.BoostedBy != nil) == boost {
			return e, true
		}
	}
	return Entry{}, false
}

func TestTimelineMatchesStoreAcrossWrites(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID, carolID)
	rich := publicNote("https://remote.test/notes/rich", bobID, "<p>a cat :blob:</p>", 1)
	rich.Attachments = []vocab.Attachment{
		{URL: "https://remote.test/a.jpg", MediaType: "image/jpeg", Name: "first", Blurhash: "LEHV6n", Width: 4, Height: 3, Type: vocab.TypeImage},
		{URL: "https://remote.test/b.jpg", MediaType: "image/jpeg", Name: "second", Type: vocab.TypeImage},
	}
	rich.Tags = []vocab.Tag{
		{Type: vocab.TypeHashtag, Name: "#cats", Href: "https://remote.test/tags/cats"},
		{Type: vocab.TypeMention, Name: "@alice@alice.test", Href: testActor},
		{Type: vocab.TypeEmoji, Name: ":blob:", IconURL: "https://remote.test/blob.png"},
	}
	mustCreated(t, s, rich, actor(bobID, "Bob"))
	plain := publicNote("https://other.test/notes/plain", carolID, "<p>plain</p>", 2)
	mustCreated(t, s, plain, actor(carolID, "Carol"))
	// Carol boosts Bob's post: the post shows twice, once as a boost.
	if err := s.feed.Announced(ctx, carolID+"/boosts/1", rich.ID, rich, actor(carolID, "Carol")); err != nil {
		t.Fatal(err)
	}
	own := s.mustCreate(t, NoteInput{Text: "my #garden today", Visibility: VisibilityPublic,
		Media: []Media{{URL: testBase + "/media/g.png", PreviewURL: testBase + "/media/g.webp", Alt: "beans", Width: 8, Height: 6}}})
	if err := s.feed.Like(ctx, rich.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.Liked(ctx, daveID+"/likes/1", own.URL, actor(daveID, "Dave")); err != nil {
		t.Fatal(err)
	}

	entries := checkTimeline(t, s)
	if len(entries) != 4 {
		t.Fatalf("%d entries, want 4", len(entries))
	}
	first, _ := findEntry(entries, rich.ID, false)
	if p := first.Post; len(p.Media) != 2 || p.Media[1].Alt != "second" || len(p.Tags) != 1 || len(p.Mentions) != 1 ||
		len(p.Emojis) != 1 || !p.Liked || p.Likes != 1 {
		t.Errorf("rich post: %+v", p)
	}
	if b, ok := findEntry(entries, rich.ID, true); !ok || b.BoostedBy.ActorID != carolID || b.BoostedBy.Name != "Carol" {
		t.Errorf("boost entry: %+v", b)
	}
	if e, _ := findEntry(entries, own.URL, false); !e.Post.Local || e.Post.Likes != 1 || len(e.Post.Media) != 1 {
		t.Errorf("own note: %+v", e.Post)
	}

	// The page above filled the content cache; every write that changes
	// content must show on the next page, and counts must stay current.
	edited := *rich
	edited.ContentHTML, edited.Attachments, edited.Tags = "<p>an edited cat</p>", nil, nil
	edited.Updated = rich.Published.Add(time.Hour)
	if err := s.feed.PostUpdated(ctx, &edited, actor(bobID, "Bobby")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.feed.Update(ctx, own.ID, NoteInput{Text: "my #beans now"}); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.Unlike(ctx, rich.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.Boost(ctx, own.URL); err != nil {
		t.Fatal(err)
	}
	entries = checkTimeline(t, s)
	for _, boost := range []bool{false, true} {
		e, _ := findEntry(entries, rich.ID, boost)
		if p := e.Post; !strings.Contains(p.HTML, "edited") || len(p.Media) != 0 || len(p.Emojis) != 0 ||
			p.Liked || p.Author.Name != "Bobby" {
			t.Errorf("edited post (boost %v): %+v", boost, p)
		}
	}
	if e, _ := findEntry(entries, own.URL, false); e.Post.Text != "my #beans now" || !slices.Equal(e.Post.Tags, []string{"beans"}) ||
		len(e.Post.Media) != 0 || !e.Post.Boosted {
		t.Errorf("edited note: %+v", e.Post)
	}

	if err := s.feed.PostDeleted(ctx, rich.ID, bobID); err != nil {
		t.Fatal(err)
	}
	if err := s.feed.Delete(ctx, own.ID); err != nil {
		t.Fatal(err)
	}
	entries = checkTimeline(t, s)
	if len(entries) != 1 || entries[0].Post.ObjectID != plain.ID {
		t.Errorf("after the deletes: %+v", entries)
	}
}

func TestContentCacheDropsStaleLoads(t *testing.T) {
	c := newContentCache()
	gen := c.generation()
	c.forget(1) // an edit commits while a page is reading
	c.put(gen, []Post{{ID: 1, HTML: "old"}})
	if _, ok := c.get(1); ok {
		t.Error("content read before an edit was cached after it")
	}
	c.put(c.generation(), []Post{{ID: 1, HTML: "new", Tags: []string{"a"}}})
	p, ok := c.get(1)
	if !ok || p.HTML != "new" {
		t.Fatalf("get = %+v, %v", p, ok)
	}
	p.Tags[0] = "changed"
	if q, _ := c.get(1); q.Tags[0] != "a" {
		t.Error("a caller's change reached the cache")
	}
	for i := range maxCachedPosts + 10 {
		c.put(c.generation(), []Post{{ID: int64(i + 2)}})
	}
	if n := len(c.posts); n > maxCachedPosts {
		t.Errorf("%d cached, bound %d", n, maxCachedPosts)
	}
}
