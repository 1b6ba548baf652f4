package feed

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roost/federation/vocab"
)

// TestObjectTypesOnHome stores a PeerTube video, a Mobilizon event and a
// Funkwhale track and checks /home shows each with its name as a bold
// title, its text, its media and a link to the original.
func TestObjectTypesOnHome(t *testing.T) {
	if _, err := os.Stat(fixturesDir); err != nil {
		t.Skipf("shared fixtures folder %s is absent; skipping", fixturesDir)
	}
	s := newTestSite(t, func(c *Config) { c.Follows = func(context.Context, string) bool { return true } })
	ctx := context.Background()
	docs := map[string][]byte{}
	for _, name := range []string{"peertube/video.json", "mobilizon/event.json"} {
		data, err := os.ReadFile(filepath.Join(fixturesDir, "activitypub", name))
		if err != nil {
			t.Fatal(err)
		}
		docs[name] = data
	}
	docs["funkwhale"] = []byte(`{"type": "Audio", "id": "https://tunes.example/uploads/1",
		"name": "Night Drive", "attributedTo": "https://tunes.example/actors/comfy",
		"to": "https://www.w3.org/ns/activitystreams#Public", "published": "2024-01-05T10:00:00Z",
		"url": [{"type": "Link", "mimeType": "audio/ogg", "href": "https://tunes.example/listen/1.ogg"},
			{"type": "Link", "mimeType": "text/html", "href": "https://tunes.example/tracks/1"}]}`)
	want := map[string]struct{ title, text, media, link string }{
		"peertube/video.json":  {"Mesa, Wayland", "squarespace.com", "video/", "https://tilvids.com/videos/watch/e7946124-7b72-4ad7-9d22-844a84bb2de1"},
		"mobilizon/event.json": {"Caledonian scottish dance class", "posh ceilidh", "image/jpeg", "https://rendezvous.nomagic.uk/events/b81c0531-a57c-497d-93ba-af0f8b255498"},
		"funkwhale":            {"Night Drive", "", "audio/ogg", "https://tunes.example/tracks/1"},
	}
	for name, data := range docs {
		obj, err := vocab.ParseObject(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := s.feed.PostCreated(ctx, obj, &vocab.Actor{ID: obj.AttributedTo}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p, err := s.feed.PostByObjectID(ctx, obj.ID)
		if err != nil {
			t.Fatalf("%s: not stored: %v", name, err)
		}
		w := want[name]
		if len(p.Media) == 0 || !strings.HasPrefix(p.Media[0].MediaType, w.media) {
			t.Errorf("%s: media = %+v, want %s", name, p.Media, w.media)
		}
		rec := s.do(t, "GET", "/home/thread?object="+obj.ID, nil, true)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: thread status %d", name, rec.Code)
		}
		post := parseHTML(t, rec).Find(`[data-testid="post"]`).First()
		if title := post.Find(".content strong").First().Text(); !strings.Contains(title, w.title) {
			t.Errorf("%s: title %q, want %q", name, title, w.title)
		}
		if !strings.Contains(post.Find(".content").Text(), w.text) {
			t.Errorf("%s: text %q missing", name, w.text)
		}
		if post.Find(`a[href="`+w.link+`"]`).Length() == 0 {
			t.Errorf("%s: no link to the original %s", name, w.link)
		}
	}
}

// TestPollQuestionNameAndNoEnd stores a poll as Smithereen sends it: the
// question in name, no end time. The thread shows the question and no
// end date, and the poll reads back without one.
func TestPollQuestionNameAndNoEnd(t *testing.T) {
	s := newTestSite(t, func(c *Config) { c.Follows = func(context.Context, string) bool { return true } })
	obj, err := vocab.ParseObject([]byte(`{"type": "Question", "id": "https://smithereen.example/posts/7",
		"attributedTo": "https://smithereen.example/users/1", "name": "Tea or coffee?",
		"content": "<p>Settle this for us.</p>", "to": ["https://www.w3.org/ns/activitystreams#Public"],
		"oneOf": [{"type": "Note", "name": "Tea", "replies": {"type": "Collection", "totalItems": 1}},
			{"type": "Note", "name": "Coffee", "replies": {"type": "Collection", "totalItems": 0}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	mustCreated(t, s, obj, &vocab.Actor{ID: obj.AttributedTo})
	p, err := s.feed.PostByObjectID(context.Background(), obj.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Poll == nil || !p.Poll.ExpiresAt.IsZero() {
		t.Fatalf("poll = %+v, want one without an end", p.Poll)
	}
	rec := s.do(t, "GET", "/home/thread?object="+obj.ID, nil, true)
	post := parseHTML(t, rec).Find(`[data-testid="post"]`).First()
	if got := post.Find(".content strong").First().Text(); got != "Tea or coffee?" {
		t.Errorf("question shown as %q", got)
	}
	text := post.Text()
	if strings.Contains(text, "ends") || strings.Contains(text, "0001") {
		t.Errorf("poll without an end shows one: %q", strings.Join(strings.Fields(text), " "))
	}
	if !strings.Contains(text, "1 person voted") {
		t.Errorf("voter count missing: %q", strings.Join(strings.Fields(text), " "))
	}
}
