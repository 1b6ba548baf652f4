package feed

import (
	"context"
	"errors"
	"strings"
	"testing"

	"roost/cmd/roost/database"
)

// TestFeedItemCannotSquatAFediversePost: a followed web feed gives an item
// the guid of a post on another server. The real post still arrives, shows
// as bob's, and bob's Delete removes it; the feed item stays, and is not
// stored twice when the feed is polled again.
func TestFeedItemCannotSquatAFediversePost(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, feedURL, bobID)
	realID := "https://remote.test/notes/1"
	squat := feedArticle(realID, "Not bob's", 1)
	if err := s.feed.StoreFeedItem(ctx, squat, feedSite()); err != nil {
		t.Fatal(err)
	}
	mustCreated(t, s, publicNote(realID, bobID, "<p>the real post</p>", 2), actor(bobID, "Bob"))
	p, err := s.feed.PostByObjectID(ctx, realID)
	if err != nil || p.FromFeed || p.Author.ActorID != bobID || p.HTML != "<p>the real post</p>" {
		t.Fatalf("the real post: %+v, %v", p, err)
	}
	if err := s.feed.PostDeleted(ctx, realID, bobID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.feed.PostByObjectID(ctx, realID); !errors.Is(err, ErrGone) {
		t.Errorf("after bob's Delete: %v", err)
	}
	if err := s.feed.StoreFeedItem(ctx, squat, feedSite()); err != nil {
		t.Fatal(err)
	}
	item, err := s.feed.PostByObjectID(ctx, FeedItemID(feedURL, realID))
	if err != nil || !item.FromFeed || item.Name != "Not bob's" {
		t.Errorf("the feed item: %+v, %v", item, err)
	}
	if n := storedCount(t, s); n != 2 {
		t.Errorf("%d posts stored, want the item and the deleted post", n)
	}
}

// TestFeedItemIDsMigrate: items stored under their bare guid before feed
// items had ids of their own are moved to FeedItemID, with the owner's
// bookmark and like of them; fediverse posts keep their ids.
func TestFeedItemIDsMigrate(t *testing.T) {
	ctx := context.Background()
	before := migrationsBefore(t, `UPDATE reactions SET object_id = (SELECT 'feed-item:'`)
	db, err := database.OpenTemp(t.TempDir(), database.Room{Name: "feed", Steps: before, Postgres: PostgresMigrations})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	guid := "https://remote.test/notes/1"
	for _, q := range []string{
		`INSERT INTO posts(id, object_id, type, author, visibility, published, conversation, source)
			VALUES(1, '` + guid + `', 'Article', '` + feedURL + `', 'public', 0, '` + guid + `', 'feed')`,
		`INSERT INTO posts(id, object_id, type, author, visibility, published, source)
			VALUES(2, 'https://remote.test/notes/2', 'Note', '` + bobID + `', 'public', 0, 'activitypub')`,
		`INSERT INTO bookmarks(id, object_id, item, created) VALUES(1, '` + guid + `', 1, 0)`,
		`INSERT INTO reactions(activity_id, kind, object_id, actor_id, created) VALUES('like-1', 'like', '` + guid + `', '` + testActor + `', 0)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := database.Migrate(ctx, db, database.Room{Name: "feed", Steps: Migrations, Postgres: PostgresMigrations}); err != nil {
		t.Fatal(err)
	}
	want := FeedItemID(feedURL, guid)
	var item, conversation, other, bookmark, liked string
	for q, v := range map[string]*string{
		`SELECT object_id FROM posts WHERE id = 1`:                     &item,
		`SELECT conversation FROM posts WHERE id = 1`:                  &conversation,
		`SELECT object_id FROM posts WHERE id = 2`:                     &other,
		`SELECT object_id FROM bookmarks WHERE id = 1`:                 &bookmark,
		`SELECT object_id FROM reactions WHERE activity_id = 'like-1'`: &liked,
	} {
		if err := db.QueryRow(q).Scan(v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if item != want || conversation != want || bookmark != want || liked != want || other != "https://remote.test/notes/2" {
		t.Errorf("after migrating: item %q, conversation %q, bookmark %q, like %q, fediverse post %q",
			item, conversation, bookmark, liked, other)
	}
}

// migrationsBefore is the feed's schema up to the step that starts with
// prefix, to test that step on rows stored before it.
func migrationsBefore(t *testing.T, prefix string) []string {
	t.Helper()
	for i, step := range Migrations {
		if strings.HasPrefix(step, prefix) {
			return Migrations[:i]
		}
	}
	t.Fatalf("no migration starts with %q", prefix)
	return nil
}
