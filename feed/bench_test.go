package feed

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"
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
		note := Note{ID: newID(created), Text: text, HTML: r.HTML, Visibility: VisibilityPublic, Tags: r.Tags, Created: created}
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
