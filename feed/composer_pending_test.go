package feed

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// A note refused for its text keeps the images chosen with it: they are
// stored, shown with their alt text, and posted when the form is sent
// again, unless removed.
func TestComposerKeepsChosenImagesOnAnError(t *testing.T) {
	s := newTestSite(t, func(c *Config) { c.NoteLimit = 5 })
	body, ct := multipartNote(t,
		map[string]string{"text": "far too long for five", "visibility": "public", "alt_0": "a red tulip", "alt_2": "a bee"},
		map[string]string{"media_0": "GIF89a tulip", "media_2": "GIF89a bee"})
	rec := s.do(t, "POST", "/notes", body, true, "Content-Type", ct)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("over the limit: %d", rec.Code)
	}
	doc := parseHTML(t, rec)
	if !strings.Contains(doc.Find(`[data-testid="problem"]`).Text(), "limit is 5") {
		t.Errorf("problem: %q", doc.Find(`[data-testid="problem"]`).Text())
	}
	pending := doc.Find(`[data-testid="pending-media"]`)
	if pending.Length() != 2 {
		t.Fatalf("%d pending images shown, want 2", pending.Length())
	}
	var urls, alts []string
	for i := range 2 {
		urls = append(urls, doc.Find(`input[name="pending_media_`+strconv.Itoa(i)+`"]`).AttrOr("value", ""))
		alts = append(alts, doc.Find(`input[name="pending_alt_`+strconv.Itoa(i)+`"]`).AttrOr("value", ""))
	}
	if alts[0] != "a red tulip" || alts[1] != "a bee" || urls[0] == "" || urls[1] == "" {
		t.Fatalf("pending images: %v %v", urls, alts)
	}
	if src := pending.First().Find("img").AttrOr("src", ""); !strings.HasSuffix(src, "-p.webp") {
		t.Errorf("the pending image shows %q, want its preview", src)
	}
	if got := doc.Find(`input[type="file"][name^="media_"]`).Length(); got != MaxMedia-2 {
		t.Errorf("%d file inputs left beside two pending images, want %d", got, MaxMedia-2)
	}
	if notes, _ := s.feed.Notes(context.Background(), 10, 0, true); len(notes) != 0 {
		t.Fatal("a note was made from a refused form")
	}

	// Sent again, shorter, with the bee removed and the tulip described
	// better: the note carries the tulip alone, nothing uploaded twice.
	body, ct = multipartNote(t, map[string]string{"text": "Tulip", "visibility": "public",
		"pending_media_0": urls[0], "pending_alt_0": "a red tulip in the rain",
		"pending_media_1": urls[1], "pending_alt_1": "a bee", "pending_remove_1": "1"}, nil)
	rec = s.do(t, "POST", "/notes", body, true, "Content-Type", ct)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("resubmit: %d %s", rec.Code, rec.Body.String())
	}
	notes, err := s.feed.Notes(context.Background(), 10, 0, true)
	if err != nil || len(notes) != 1 {
		t.Fatalf("notes after resubmit: %v %v", notes, err)
	}
	if m := notes[0].Media; len(m) != 1 || m[0].URL != urls[0] || m[0].Alt != "a red tulip in the rain" {
		t.Errorf("the note's media: %+v", m)
	}
	if len(s.saved) != 2 {
		t.Errorf("SaveImage ran %d times, want 2", len(s.saved))
	}

	// A pending image the site never stored is refused, not posted.
	body, ct = multipartNote(t, map[string]string{"text": "Hi", "visibility": "public",
		"pending_media_0": "https://elsewhere.example/x.gif"}, nil)
	rec = s.do(t, "POST", "/notes", body, true, "Content-Type", ct)
	if rec.Code != http.StatusBadRequest || !strings.Contains(parseHTML(t, rec).Find(`[data-testid="problem"]`).Text(), "no longer on the site") {
		t.Errorf("an unknown pending image: %d", rec.Code)
	}
}

// An image refused by the store is said in plain words, with the reason
// the store gives.
func TestComposerSaysWhyAPictureWasRefused(t *testing.T) {
	s := newTestSite(t)
	body, ct := multipartNote(t, map[string]string{"text": "hi"}, map[string]string{"media_0": "not an image"})
	rec := s.do(t, "POST", "/notes", body, true, "Content-Type", ct)
	want := "That picture could not be used: choose a JPEG, PNG, GIF or WebP file."
	if got := parseHTML(t, rec).Find(`[data-testid="problem"]`).Text(); rec.Code != http.StatusBadRequest || got != want {
		t.Errorf("%d %q, want %q", rec.Code, got, want)
	}
}

// An edit refused for its text keeps the image added to it, too.
func TestEditKeepsAddedImagesOnAnError(t *testing.T) {
	s := newTestSite(t, func(c *Config) { c.NoteLimit = 5 })
	body, ct := multipartNote(t, map[string]string{"text": "Bees", "visibility": "public", "alt_0": "a hive"},
		map[string]string{"media_0": "GIF89a hive"})
	if rec := s.do(t, "POST", "/notes", body, true, "Content-Type", ct); rec.Code != http.StatusSeeOther {
		t.Fatalf("create: %d", rec.Code)
	}
	notes, _ := s.feed.Notes(context.Background(), 1, 0, true)
	edit := "/notes/" + formatID(notes[0].ID) + "/edit"
	body, ct = multipartNote(t, map[string]string{"text": "Bees and more bees", "alt_0": "a bee"}, map[string]string{"media_0": "GIF89a bee"})
	rec := s.do(t, "POST", edit, body, true, "Content-Type", ct)
	doc := parseHTML(t, rec)
	if rec.Code != http.StatusBadRequest || doc.Find(`[data-testid="existing-media"]`).Length() != 1 || doc.Find(`[data-testid="pending-media"]`).Length() != 1 {
		t.Fatalf("refused edit: %d, %d existing, %d pending", rec.Code, doc.Find(`[data-testid="existing-media"]`).Length(),
			doc.Find(`[data-testid="pending-media"]`).Length())
	}
	u := doc.Find(`input[name="pending_media_0"]`).AttrOr("value", "")
	body, ct = multipartNote(t, map[string]string{"text": "Bees", "pending_media_0": u, "pending_alt_0": "a bee"}, nil)
	if rec := s.do(t, "POST", edit, body, true, "Content-Type", ct); rec.Code != http.StatusSeeOther {
		t.Fatalf("resubmitted edit: %d %s", rec.Code, rec.Body.String())
	}
	n, err := s.feed.Get(context.Background(), notes[0].ID)
	if err != nil || len(n.Media) != 2 || n.Media[0].Alt != "a hive" || n.Media[1].URL != u || n.Media[1].Alt != "a bee" {
		t.Errorf("the edited note's media: %+v %v", n.Media, err)
	}
}
