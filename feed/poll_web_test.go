package feed

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// TestPollOnTheWeb: a remote poll on /home offers a vote form; voting goes
// out and the page then shows the results with the owner's choice; the
// owner's own poll shows its results on the note page.
func TestPollOnTheWeb(t *testing.T) {
	s, clock := newPollSite(t, "https://bob.test/actor")
	mustCreated(t, s, remoteQuestion(clock.now().Add(time.Hour), 1, 2), actor("https://bob.test/actor", "bob"))
	page := func(path string) *goquery.Document {
		rec := s.do(t, http.MethodGet, path, nil, true)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		doc, err := goquery.NewDocumentFromReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	poll := page("/home").Find(`[data-testid="poll"]`)
	if poll.Find(`form[action="/home/vote"] input[type=radio]`).Length() != 2 {
		t.Fatalf("no vote form on /home: %s", poll.Text())
	}
	id, _ := poll.Find(`input[name=id]`).Attr("value")
	item := poll.Find(`input[name=item]`).AttrOr("value", "")
	if item == "" || item != poll.AttrOr("id", "") {
		t.Errorf("the vote form returns to %q, the poll is %q", item, poll.AttrOr("id", ""))
	}
	form := url.Values{"id": {id}, "choice": {"1"}, "back": {"/home"}, "item": {item}}
	rec := s.do(t, http.MethodPost, "/home/vote", strings.NewReader(form.Encode()), true, "Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/home#"+item {
		t.Fatalf("vote: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if got := s.pub.all(); len(got) != 1 || got[0].activity.Object.(map[string]any)["name"] != "Coffee" {
		t.Errorf("the vote was not sent: %+v", got)
	}
	poll = page("/home").Find(`[data-testid="poll"]`)
	if poll.Find("form").Length() != 0 || !strings.Contains(poll.Text(), "(your vote)") || !strings.Contains(poll.Text(), "75%") {
		t.Errorf("results after voting: %q", poll.Text())
	}
	rec = s.do(t, http.MethodPost, "/home/vote", strings.NewReader(form.Encode()), true, "Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("second vote: %d, want 422", rec.Code)
	}

	n := s.mustCreate(t, pollNote(false))
	own := page("/notes/" + formatID(n.ID)).Find(`[data-testid="poll"]`)
	if own.Length() != 1 || own.Find("form").Length() != 0 || own.Find(".poll-results li").Length() < 2 {
		t.Errorf("own poll on its page: %q", own.Text())
	}
}
