package feed

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"roost/cmd/roost/database"
)

func searchIDs(t testing.TB, s *testSite, q SearchQuery) []int64 {
	t.Helper()
	hits, err := s.feed.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	return ids
}

// TestSearchFollowsRemotePosts: a post by someone else is found by the
// words of its text (not of its markup) as it arrives, as it is edited,
// and no more once deleted.
func TestSearchFollowsRemotePosts(t *testing.T) {
	ctx := context.Background()
	s := newRemoteSite(t, bobID)
	obj := publicNote("https://remote.test/notes/1", bobID, `<p>An <a href="https://remote.test/x" class="mention">okapi</a> at dawn</p>`, 1)
	mustCreated(t, s, obj, actor(bobID, "bob"))
	p, err := s.feed.PostByObjectID(ctx, obj.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, SearchQuery{Text: "okapi dawn"}); len(got) != 1 || got[0] != p.ID {
		t.Errorf("search okapi dawn: %v, want the post %d", got, p.ID)
	}
	for _, markup := range []string{"href", "mention", "class"} {
		if got := searchIDs(t, s, SearchQuery{Text: markup}); len(got) != 0 {
			t.Errorf("search %q finds the markup: %v", markup, got)
		}
	}
	if got := searchIDs(t, s, SearchQuery{Text: "okapi", OwnOnly: true}); len(got) != 0 {
		t.Errorf("the owner's notes only: %v", got)
	}
	if got := searchIDs(t, s, SearchQuery{Text: "okapi", AuthorID: bobID}); len(got) != 1 {
		t.Errorf("bob's posts only: %v", got)
	}

	edit := *obj
	edit.ContentHTML, edit.Updated = "<p>A tapir at dusk</p>", obj.Published.Add(time.Hour)
	if err := s.feed.PostUpdated(ctx, &edit, actor(bobID, "bob")); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, SearchQuery{Text: "okapi"}); len(got) != 0 {
		t.Errorf("the old text is still found: %v", got)
	}
	if got := searchIDs(t, s, SearchQuery{Text: "tapir"}); len(got) != 1 {
		t.Errorf("the edited text is not found: %v", got)
	}
	if err := s.feed.PostDeleted(ctx, obj.ID, bobID); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, SearchQuery{Text: "tapir"}); len(got) != 0 {
		t.Errorf("a deleted post is found: %v", got)
	}
}

// TestSearchIndexesRowsStoredBefore: the migration that makes the index
// fills it with the notes already there, and IndexMissing adds the posts.
func TestSearchIndexesRowsStoredBefore(t *testing.T) {
	ctx := context.Background()
	before := migrationsBefore(t, `CREATE VIRTUAL TABLE feed_search`)
	db, err := database.OpenTemp(t.TempDir(), database.Room{Name: "feed", Steps: before, Postgres: PostgresMigrations})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO notes(id, text, html, visibility, created) VALUES(10, 'an old note on quokkas', '', 'public', 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO posts(id, object_id, type, author, html, visibility, published)
		VALUES(11, 'https://remote.test/notes/9', 'Note', ?, '<p>an old <em>wombat</em> post</p>', 'public', 1)`, bobID); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := database.Migrate(ctx, db, database.Room{Name: "feed", Steps: Migrations, Postgres: PostgresMigrations}); err != nil {
		t.Fatal(err)
	}
	s := newTestSite(t, func(c *Config) {
		c.DB, c.Queries = db, database.NewStatements(db)
	})
	if got := searchIDs(t, s, SearchQuery{Text: "quokkas"}); len(got) != 1 || got[0] != 10 {
		t.Errorf("the old note: %v", got)
	}
	if err := s.feed.IndexMissing(ctx); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, SearchQuery{Text: "wombat"}); len(got) != 1 || got[0] != 11 {
		t.Errorf("the old post: %v", got)
	}
}

// TestSearchKeepsToVisibility: PublicOnly leaves out what not everyone may
// see; the snippet marks the match.
func TestSearchKeepsToVisibility(t *testing.T) {
	s := newTestSite(t)
	pub := s.mustCreate(t, NoteInput{Text: "a public <numbat>", Visibility: VisibilityPublic})
	s.mustCreate(t, NoteInput{Text: "a private numbat", Visibility: VisibilityFollowers})
	if got := searchIDs(t, s, SearchQuery{Text: "numbat"}); len(got) != 2 {
		t.Errorf("the owner finds %v, want both notes", got)
	}
	hits, err := s.feed.Search(context.Background(), SearchQuery{Text: "numbat", PublicOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].ID != pub.ID {
		t.Fatalf("public only: %+v", hits)
	}
	var marked []string
	for _, part := range hits[0].Snippet {
		if part.Match {
			marked = append(marked, part.Text)
		}
	}
	if strings.Join(marked, ",") != "numbat" {
		t.Errorf("snippet %+v marks %v", hits[0].Snippet, marked)
	}
}

func TestMatchExpression(t *testing.T) {
	for in, want := range map[string]string{
		"zebra":               `"zebra"*`,
		`  "quoted" OR NEAR(`: `"quoted" "OR" "NEAR"*`,
		"#tag @bob@b.test":    `"tag" "bob" "b" "test"*`,
		"***":                 "",
	} {
		if got := MatchExpression(in); got != want {
			t.Errorf("MatchExpression(%q) = %s, want %s", in, got, want)
		}
	}
}

// BenchmarkSearch runs one search over 100,000 posts of other people, of
// 30 words each drawn from a 20,000-word vocabulary with Zipf's law, as
// language is; the word searched for is in about 1% of them.
func BenchmarkSearch(b *testing.B) {
	s := newRemoteSite(b, bobID)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(rng, 1.1, 1, 19999)
	tx, err := s.feed.db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	const posts = 100000
	var text strings.Builder
	for i := range posts {
		text.Reset()
		text.WriteString("<p>")
		for range 30 {
			fmt.Fprintf(&text, "w%d ", zipf.Uint64())
		}
		if i%100 == 0 {
			text.WriteString("pangolin ")
		}
		text.WriteString("</p>")
		if _, err := tx.ExecContext(ctx, `INSERT INTO posts(id, object_id, type, author, html, visibility, published)
			VALUES(?, ?, 'Note', ?, ?, 'public', ?)`, i+1, fmt.Sprintf("https://remote.test/notes/%d", i), bobID, text.String(), i); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	// What a start costs: after the upgrade that brings the index (every
	// post missing), and afterwards (none missing).
	if _, err := s.feed.db.Exec(`DELETE FROM feed_search`); err != nil {
		b.Fatal(err)
	}
	for _, when := range []string{"every post missing", "none missing"} {
		start := time.Now()
		if err := s.feed.IndexMissing(ctx); err != nil {
			b.Fatal(err)
		}
		b.Logf("IndexMissing over %d posts, %s: %v", posts, when, time.Since(start))
	}
	q := SearchQuery{Text: "pangolin", Limit: 20}
	if got := searchIDs(b, s, q); len(got) != 20 {
		b.Fatalf("%d hits", len(got))
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.feed.Search(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}
