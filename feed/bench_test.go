package feed

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"roost/federation/vocab"
)

// seedNotes writes n notes in one transaction (Create would commit each),
// every tenth with an image and a tag, every seventh for followers only.
func seedNotes(b *testing.B, s *testSite, n int) []int64 {
	b.Helper()
	ctx := context.Background()
	tx, err := s.feed.db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := make([]int64, 0, n)
	for i := range n {
		created := start.Add(time.Duration(i) * time.Minute)
		text := fmt.Sprintf("Note %d with a link https://example.com/%d and #tag%d", i, i, i%10)
		r := renderText(ctx, testBase, nil, text)
		note := Note{ID: idAt(created), Text: text, HTML: r.HTML, Visibility: VisibilityPublic, Tags: r.Tags, Created: created}
		if i%7 == 0 {
			note.Visibility = VisibilityFollowers
		}
		if i%10 == 0 {
			note.Media = []Media{{URL: testBase + "/m/x.png", PreviewURL: testBase + "/m/x.webp", Alt: "x", Width: 10, Height: 10}}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notes(id, text, html, visibility, created) VALUES(?, ?, ?, ?, ?)`,
			note.ID, note.Text, note.HTML, note.Visibility, created.Unix()); err != nil {
			b.Fatal(err)
		}
		if err := insertParts(ctx, tx, note); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, note.ID)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return ids
}

func BenchmarkNotePage(b *testing.B) {
	s := newTestSite(b)
	ids := seedNotes(b, s, 10000)
	path := "/notes/" + formatID(ids[len(ids)/2+1])
	b.ResetTimer()
	for b.Loop() {
		if rec := s.do(b, "GET", path, nil, false); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkNoteGet is the store read behind GET /notes/{id}, without the
// page: with ROOST_TEST_DATABASE=postgres it compares the engines.
func BenchmarkNoteGet(b *testing.B) {
	s := newTestSite(b)
	ids := seedNotes(b, s, 1000)
	ctx := context.Background()
	id := ids[len(ids)/2+1]
	b.ResetTimer()
	for b.Loop() {
		if n, err := s.feed.Get(ctx, id); err != nil || n.ID != id {
			b.Fatalf("get %d: %v", id, err)
		}
	}
}

func BenchmarkNotesIndex(b *testing.B) {
	s := newTestSite(b)
	ids := seedNotes(b, s, 10000)
	paths := []string{"/notes/", "/notes/?before=" + formatID(ids[len(ids)/2])}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if rec := s.do(b, "GET", paths[i%2], nil, false); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
		i++
	}
}

// seedHome writes posts by the given number of followed authors in one
// transaction, all on the home timeline: every fifth with an image, every
// third with a hashtag and a mention, every hundredth an article, and a
// boost entry every fiftieth.
func seedHome(b *testing.B, s *testSite, authors, posts int) []int64 {
	b.Helper()
	ctx := context.Background()
	tx, err := s.feed.db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for a := range authors {
		id := fmt.Sprintf("https://host%d.test/users/u%d", a%40, a)
		au := Author{ActorID: id, Name: fmt.Sprintf("User %d", a), Handle: fmt.Sprintf("@u%d@host%d.test", a, a%40),
			AvatarURL: id + "/avatar.png", ProfileURL: id}
		if err := s.feed.saveAuthor(ctx, tx, au); err != nil {
			b.Fatal(err)
		}
	}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := make([]int64, 0, posts)
	for i := range posts {
		author := fmt.Sprintf("https://host%d.test/users/u%d", (i%authors)%40, i%authors)
		p := Post{
			ID: idAt(start.Add(time.Duration(i) * time.Minute)), ObjectID: fmt.Sprintf("%s/statuses/%d", author, i),
			Type: vocab.TypeNote, Author: Author{ActorID: author},
			HTML:       fmt.Sprintf(`<p>Post number %d with <a href="https://example.com/%d">a link</a> and some words to make it look like a real post.</p>`, i, i),
			Visibility: VisibilityPublic, Published: start.Add(time.Duration(i) * time.Minute),
		}
		if i%100 == 0 {
			p.Type, p.Name, p.Summary = vocab.TypeArticle, fmt.Sprintf("Article %d", i), "A summary."
		}
		if i%5 == 0 {
			p.Media = []Media{{URL: author + "/media/x.jpg", MediaType: "image/jpeg", Alt: "a picture", Width: 800, Height: 600, Blurhash: "LEHV6n"}}
		}
		if i%3 == 0 {
			p.Tags = []string{"tag"}
			p.Mentions = []Mention{{ActorID: testActor, Handle: "@alice.test", Href: testActor}}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO posts(id, object_id, type, author, html, summary, name, visibility, published)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, p.ObjectID, p.Type, author, p.HTML, p.Summary, p.Name, p.Visibility, p.Published.Unix()); err != nil {
			b.Fatal(err)
		}
		if err := insertPostParts(ctx, tx, p); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO home(id, kind, item, actor_id) VALUES(?, ?, ?, ?)`, p.ID, homePost, p.ID, author); err != nil {
			b.Fatal(err)
		}
		if i%50 == 0 && i > 0 {
			booster := fmt.Sprintf("https://host%d.test/users/u%d", ((i+7)%authors)%40, (i+7)%authors)
			if _, err := tx.ExecContext(ctx, `INSERT INTO home(id, kind, item, actor_id) VALUES(?, ?, ?, ?)`,
				idAt(p.Published.Add(30*time.Second)), homeBoost, ids[i-10], booster); err != nil {
				b.Fatal(err)
			}
		}
		ids = append(ids, p.ID)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return ids
}

// BenchmarkHomeTimeline renders /home pages (the newest and one deep in
// the past) over 100,000 posts by 500 followed authors.
func BenchmarkHomeTimeline(b *testing.B) {
	s := newTestSite(b)
	ids := seedHome(b, s, 500, 100_000)
	paths := []string{"/home", "/home?before=" + formatID(ids[len(ids)/2])}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		rec := s.do(b, "GET", paths[i%2], nil, true)
		if rec.Code != http.StatusOK || rec.Body.Len() < 10_000 {
			b.Fatalf("status %d, %d bytes", rec.Code, rec.Body.Len())
		}
		i++
	}
}

// BenchmarkHomeTimelineParallel is the same load from as many goroutines
// as GOMAXPROCS: its ns/op is wall time per request, so 1e9/ns_op is the
// page's throughput in requests per second on this machine.
func BenchmarkHomeTimelineParallel(b *testing.B) {
	s := newTestSite(b)
	ids := seedHome(b, s, 500, 100_000)
	paths := []string{"/home", "/home?before=" + formatID(ids[len(ids)/2])}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if rec := s.do(b, "GET", paths[i%2], nil, true); rec.Code != http.StatusOK {
				b.Errorf("status %d", rec.Code)
				return
			}
			i++
		}
	})
}

// BenchmarkTimelineQuery reads the same pages as BenchmarkHomeTimeline
// without rendering them: the store's share of a home page.
func BenchmarkTimelineQuery(b *testing.B) {
	s := newTestSite(b)
	ids := seedHome(b, s, 500, 100_000)
	ctx := context.Background()
	befores := []int64{0, ids[len(ids)/2]}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		entries, err := s.feed.timeline(ctx, timelineQuery{limit: notesPerPage + 1, before: befores[i%2]})
		if err != nil || len(entries) != notesPerPage+1 {
			b.Fatalf("%d entries, %v", len(entries), err)
		}
		i++
	}
}

// idAt is the id a note stored at t would have had, for filling a database
// with history.
func idAt(t time.Time) int64 { return t.UnixMilli() << 16 }
