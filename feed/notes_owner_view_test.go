package feed

import (
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// The owner finds their followers-only notes on /notes/, marked as such;
// visitors do not, and direct messages stay out of the list for both.
func TestNotesIndexShowsFollowersOnlyToOwner(t *testing.T) {
	s := newTestSite(t)
	s.mustCreate(t, NoteInput{Text: "hello world"})
	s.mustCreate(t, NoteInput{Text: "for my followers", Visibility: VisibilityFollowers})
	s.mustCreate(t, NoteInput{Text: "just for bob", Visibility: VisibilityDirect})

	owner := parseHTML(t, s.do(t, "GET", "/notes/", nil, true)).Find(`[data-testid="note"]`)
	if owner.Length() != 2 || !strings.Contains(owner.First().Text(), "for my followers") {
		t.Fatalf("owner sees %d notes: %q", owner.Length(), owner.Text())
	}
	if got := owner.First().Find(`[data-testid="visibility"]`).Text(); got != VisibilityFollowers {
		t.Errorf("followers-only note marked %q", got)
	}
	visitor := parseHTML(t, s.do(t, "GET", "/notes/", nil, false))
	if n := visitor.Find(`[data-testid="note"]`).Length(); n != 1 || strings.Contains(visitor.Text(), "for my followers") {
		t.Errorf("a visitor sees %d notes: %q", n, visitor.Find(`main`).Text())
	}
	if strings.Contains(owner.Text(), "just for bob") {
		t.Error("a direct message is listed on /notes/")
	}
}

// A reply names whom it answers, linked to the post it answers, rather
// than printing the parent's URL.
func TestReplyNamesTheParentsAuthor(t *testing.T) {
	s := newTestSite(t)
	bobID := "https://bob.example/users/bob"
	parent := publicNote("https://bob.example/notes/1177", bobID, "<p>What are you growing?</p>", 1)
	if _, err := s.feed.StorePost(context.Background(), parent, actor(bobID, "bob")); err != nil {
		t.Fatal(err)
	}
	s.mustCreate(t, NoteInput{Text: "Tomatoes, mostly.", InReplyTo: parent.ID})
	unknown := "https://nowhere.example/notes/5"
	s.mustCreate(t, NoteInput{Text: "A reply to something unseen", InReplyTo: unknown})
	own := s.mustCreate(t, NoteInput{Text: "a thread starts"})
	last := s.mustCreate(t, NoteInput{Text: "and goes on", InReplyTo: own.URL})

	doc := parseHTML(t, s.do(t, "GET", "/notes/", nil, false))
	byText := map[string]string{}
	doc.Find(`[data-testid="note"]`).Each(func(_ int, n *goquery.Selection) {
		a := n.Find(`[data-testid="reply-to"] a`)
		byText[strings.TrimSpace(n.Find(".content").Text())] = a.Text() + " -> " + a.AttrOr("href", "")
	})
	want := map[string]string{
		"Tomatoes, mostly.":           "@bob -> " + parent.ID,
		"A reply to something unseen": "a post on nowhere.example -> " + unknown,
		"and goes on":                 "@alice.test -> " + own.URL,
	}
	for text, w := range want {
		if byText[text] != w {
			t.Errorf("%q: replying to %q, want %q", text, byText[text], w)
		}
	}
	// The note's own page says the same.
	page := parseHTML(t, s.do(t, "GET", "/notes/"+formatID(last.ID), nil, false))
	if got := strings.Join(strings.Fields(page.Find(`[data-testid="reply-to"]`).Text()), " "); got != "Replying to @alice.test" {
		t.Errorf("note page: %q", got)
	}
}
