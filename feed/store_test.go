package feed

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCreateValidates(t *testing.T) {
	s := newTestSite(t, func(c *Config) { c.NoteLimit = 10 })
	img := Media{URL: testBase + "/media/x.png"}
	tests := []struct {
		name string
		in   NoteInput
		ok   bool
	}{
		{"empty", NoteInput{Text: "  \n "}, false},
		{"media only", NoteInput{Media: []Media{img}}, true},
		{"at the limit in runes", NoteInput{Text: "ééééééééé€"}, true},
		{"over the limit", NoteInput{Text: "12345678901"}, false},
		{"four images", NoteInput{Text: "x", Media: []Media{img, img, img, img}}, true},
		{"five images", NoteInput{Text: "x", Media: []Media{img, img, img, img, img}}, false},
		{"bad visibility", NoteInput{Text: "x", Visibility: "friends"}, false},
		{"reply to a javascript url", NoteInput{Text: "x", InReplyTo: "javascript:alert(1)"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.feed.Create(context.Background(), tt.in)
			var v *ValidationError
			if tt.ok && err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if !tt.ok && !errors.As(err, &v) {
				t.Fatalf("want a ValidationError, got %v", err)
			}
			if v != nil && v.Message == "" {
				t.Error("validation error without a message")
			}
		})
	}
}

func TestCreateAndGet(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	when := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	n := s.mustCreate(t, NoteInput{
		Text: "Hello #World @bob@example.com", ContentWarning: "greeting", Visibility: VisibilityUnlisted,
		InReplyTo: "https://example.com/notes/1", Language: "en", Created: when,
		Media: []Media{{URL: testBase + "/m/1.png", PreviewURL: testBase + "/m/1p.webp", MediaType: "image/png", Alt: "a cat", Width: 3, Height: 2, Blurhash: "xyz"}},
	})
	if n.URL != testBase+"/notes/"+formatID(n.ID) || !n.Created.Equal(when) {
		t.Errorf("url %s created %v", n.URL, n.Created)
	}
	if got := time.UnixMilli(n.ID >> 16); got.Equal(when) {
		t.Errorf("id carries the claimed creation time %v, not the time the note was stored", got)
	}
	got, err := s.feed.Get(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != n.Text || got.HTML != n.HTML || got.ContentWarning != "greeting" || got.Visibility != VisibilityUnlisted ||
		got.InReplyTo != "https://example.com/notes/1" || got.Language != "en" || !got.Created.Equal(when) || !got.Updated.IsZero() {
		t.Errorf("got %+v", got)
	}
	if len(got.Media) != 1 || got.Media[0] != n.Media[0] {
		t.Errorf("media %+v", got.Media)
	}
	if len(got.Tags) != 1 || got.Tags[0] != "world" {
		t.Errorf("tags %q", got.Tags)
	}
	if len(got.Mentions) != 1 || got.Mentions[0].ActorID != "https://example.com/users/bob" || got.Mentions[0].Handle != "@bob@example.com" {
		t.Errorf("mentions %+v", got.Mentions)
	}
	byURL, err := s.feed.ByURL(ctx, n.URL)
	if err != nil || byURL.ID != n.ID {
		t.Errorf("ByURL: %v %v", byURL.ID, err)
	}
	if _, err := s.feed.ByURL(ctx, "https://elsewhere.test/notes/1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("foreign url: %v", err)
	}
	if _, err := s.feed.Get(ctx, 12345); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing: %v", err)
	}
}

func TestVisibilityFilteringAndPaging(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	for i, v := range []string{VisibilityPublic, VisibilityUnlisted, VisibilityFollowers, VisibilityDirect, VisibilityPublic} {
		s.mustCreate(t, NoteInput{Text: v + strings.Repeat("!", i), Visibility: v})
	}
	count := func(notes []Note, err error) int {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(notes); i++ {
			if notes[i].ID >= notes[i-1].ID {
				t.Fatal("not newest first")
			}
		}
		return len(notes)
	}
	if n := count(s.feed.Notes(ctx, 20, 0, false)); n != 3 {
		t.Errorf("public+unlisted = %d, want 3", n)
	}
	if n := count(s.feed.Notes(ctx, 20, 0, true)); n != 5 {
		t.Errorf("all = %d, want 5", n)
	}
	if n := count(s.feed.publicNotes(ctx, 20, 0)); n != 2 {
		t.Errorf("public = %d, want 2", n)
	}
	first, _ := s.feed.Notes(ctx, 2, 0, true)
	rest, _ := s.feed.Notes(ctx, 20, first[1].ID, true)
	if len(first) != 2 || len(rest) != 3 || rest[0].ID >= first[1].ID {
		t.Errorf("paging: %d then %d", len(first), len(rest))
	}
}

func TestTagged(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	a := s.mustCreate(t, NoteInput{Text: "#Go is fun"})
	s.mustCreate(t, NoteInput{Text: "#rust"})
	s.mustCreate(t, NoteInput{Text: "#go unlisted", Visibility: VisibilityUnlisted})
	b := s.mustCreate(t, NoteInput{Text: "more #GO"})
	notes, err := s.feed.Tagged(ctx, "Go", 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 || notes[0].ID != b.ID || notes[1].ID != a.ID {
		t.Fatalf("tagged go: %+v", notes)
	}
	if err := s.feed.Delete(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	notes, _ = s.feed.Tagged(ctx, "go", 20, 0)
	if len(notes) != 1 {
		t.Errorf("deleted note still tagged: %d", len(notes))
	}
}

func TestUpdateAndDelete(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	n := s.mustCreate(t, NoteInput{Text: "first #one", Visibility: VisibilityFollowers})
	up, err := s.feed.Update(ctx, n.ID, NoteInput{Text: "second #two"})
	if err != nil {
		t.Fatal(err)
	}
	if up.Visibility != VisibilityFollowers || up.Updated.IsZero() || !strings.Contains(up.HTML, "second") {
		t.Errorf("updated %+v", up)
	}
	got, _ := s.feed.Get(ctx, n.ID)
	if got.Text != "second #two" || len(got.Tags) != 1 || got.Tags[0] != "two" || got.Updated.IsZero() {
		t.Errorf("after update %+v", got)
	}
	var v *ValidationError
	if _, err := s.feed.Update(ctx, n.ID, NoteInput{Text: "x", Visibility: VisibilityPublic}); !errors.As(err, &v) {
		t.Errorf("visibility change: %v", err)
	}
	if err := s.feed.Delete(ctx, n.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.feed.Get(ctx, n.ID); !errors.Is(err, ErrGone) {
		t.Errorf("after delete: %v", err)
	}
	if err := s.feed.Delete(ctx, n.ID); !errors.Is(err, ErrGone) {
		t.Errorf("second delete: %v", err)
	}
	if _, err := s.feed.Update(ctx, n.ID, NoteInput{Text: "x"}); !errors.Is(err, ErrGone) {
		t.Errorf("update after delete: %v", err)
	}
}
