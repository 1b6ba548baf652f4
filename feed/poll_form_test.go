package feed

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The composer makes the same poll the Mastodon API makes: its choices,
// multiple choice and how long it is open.
func TestPollFromTheComposer(t *testing.T) {
	s := newTestSite(t)
	doc := parseHTML(t, s.do(t, http.MethodGet, "/write", nil, true))
	if doc.Find(`[data-testid="poll-composer"] input[name="poll_option_3"]`).Length() != 1 ||
		doc.Find(`select[name="poll_duration"] option[selected]`).AttrOr("value", "") != "86400" {
		t.Fatal("the composer has no poll part with four choices and a day as the default")
	}
	post := func(form url.Values) *http.Response {
		rec := s.do(t, http.MethodPost, "/notes", strings.NewReader(form.Encode()), true, "Content-Type", "application/x-www-form-urlencoded")
		return rec.Result()
	}
	// One choice is no poll: refused, and what was typed comes back.
	rec := s.do(t, http.MethodPost, "/notes", strings.NewReader(url.Values{"text": {"Tea or coffee?"}, "poll_option_0": {"Tea"},
		"poll_duration": {"3600"}}.Encode()), true, "Content-Type", "application/x-www-form-urlencoded")
	if rec.Code < 400 || rec.Code >= 500 {
		t.Fatalf("a one-choice poll answered %d", rec.Code)
	}
	doc = parseHTML(t, rec)
	if !strings.Contains(doc.Find(`[data-testid="problem"]`).Text(), "more than one") ||
		doc.Find(`input[name="poll_option_0"]`).AttrOr("value", "") != "Tea" ||
		doc.Find(`select[name="poll_duration"] option[selected]`).AttrOr("value", "") != "3600" {
		t.Errorf("refusal: %q", doc.Find(`[data-testid="poll-composer"]`).Text())
	}

	form := url.Values{"text": {"Tea or coffee?"}, "visibility": {"public"}, "poll_option_0": {"Tea"}, "poll_option_1": {" Coffee "},
		"poll_option_2": {""}, "poll_multiple": {"1"}, "poll_duration": {"3600"}}
	res := post(form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("posting a poll: %d", res.StatusCode)
	}
	id, ok := parseID(strings.TrimPrefix(res.Header.Get("Location"), "/notes/"))
	if !ok {
		t.Fatalf("redirect to %q", res.Header.Get("Location"))
	}
	n, err := s.feed.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	p := n.Poll
	if p == nil || len(p.Options) != 2 || p.Options[0].Title != "Tea" || p.Options[1].Title != "Coffee" || !p.Multiple {
		t.Fatalf("stored poll %+v", p)
	}
	if d := p.ExpiresAt.Sub(n.Created); d < 59*time.Minute || d > 61*time.Minute {
		t.Errorf("poll open for %v, want an hour", d)
	}
	page := parseHTML(t, s.do(t, http.MethodGet, "/notes/"+formatID(id), nil, false))
	if got := page.Find(`[data-testid="poll"]`).Text(); !strings.Contains(got, "Tea") || !strings.Contains(got, "Coffee") {
		t.Errorf("note page poll: %q", got)
	}
}
