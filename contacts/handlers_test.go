package contacts

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// post submits a form to the fixture's routes.
func (f *fixture) post(t *testing.T, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, req)
	return rec
}

// get fetches a page and parses it.
func (f *fixture) get(t *testing.T, path string, wantStatus int) *goquery.Document {
	t.Helper()
	rec := httptest.NewRecorder()
	f.mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != wantStatus {
		t.Fatalf("GET %s = %d, want %d: %s", path, rec.Code, wantStatus, rec.Body)
	}
	return parse(t, rec)
}

func parse(t *testing.T, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestFollowForm(t *testing.T) {
	f := newFixture(t)
	rec := f.post(t, "/contacts/follow", url.Values{"handle": {"@bob@example.social"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303: %s", rec.Code, rec.Body)
	}
	loc := rec.Header().Get("Location")
	if loc != "/contacts?followed="+url.QueryEscape(bob) {
		t.Fatalf("Location = %q", loc)
	}
	doc := f.get(t, loc, http.StatusOK)
	if got := doc.Find(`[data-testid=flash]`).Text(); got != "Follow request sent to Bob." {
		t.Errorf("flash = %q", got)
	}
	row := doc.Find(`[data-testid=contact-list] [data-testid=contact]`)
	if row.Length() != 1 || row.AttrOr("data-actor", "") != bob {
		t.Fatalf("list has %d rows", row.Length())
	}
	if row.Find(`[data-testid=state-pending]`).Length() != 1 {
		t.Error("the pending follow is not marked")
	}
	if row.Find(`.name`).Text() != "Bob" || row.Find(`.handle`).Text() != "@bob@example.social" {
		t.Errorf("row shows %q %q", row.Find(`.name`).Text(), row.Find(`.handle`).Text())
	}
	if src, _ := row.Find(`img.avatar-md`).Attr("src"); src != "https://example.social/avatars/bob.png" {
		t.Errorf("avatar src = %q", src)
	}
	if row.Find(`form[action="/contacts/unfollow"] button`).Text() != "Cancel request" {
		t.Error("no way to cancel the request")
	}
	if n := doc.Find(`[data-testid=tab-following] .count`).Text(); n != "1" {
		t.Errorf("following count = %q", n)
	}
	box := doc.Find(`form[data-testid=follow-box][action="/contacts/follow"][method=post]`)
	if box.Find(`input[name=handle]`).AttrOr("placeholder", "") != "@friend.com, @bob@example.social or a URL" {
		t.Error("follow box missing or without its placeholder")
	}
}

func TestFollowFormFailures(t *testing.T) {
	tests := []struct {
		name   string
		handle string
		status int
		check  func(*testing.T, *goquery.Document)
	}{
		{"missing", "", http.StatusBadRequest, func(t *testing.T, doc *goquery.Document) {
			if doc.Find(`[data-testid=follow-problem]`).Length() != 1 {
				t.Error("no problem shown")
			}
		}},
		{"unresolvable", "nobody.example", http.StatusUnprocessableEntity, func(t *testing.T, doc *goquery.Document) {
			problem := doc.Find(`[data-testid=follow-problem]`).Text()
			if !strings.Contains(problem, "nobody.example") {
				t.Errorf("problem %q does not name the input", problem)
			}
			steps := doc.Find(`[data-testid=tried] li`)
			if steps.Length() != 2 || !strings.Contains(steps.First().Text(), "WebFinger acct:nobody.example@nobody.example: 404") {
				t.Errorf("tried steps = %q", steps.Text())
			}
			if v := doc.Find(`input[name=handle]`).AttrOr("value", ""); v != "nobody.example" {
				t.Errorf("typed handle not kept: %q", v)
			}
		}},
		{"feeds only", "blog.example", http.StatusUnprocessableEntity, func(t *testing.T, doc *goquery.Document) {
			if href := doc.Find(`[data-testid=feeds] a`).AttrOr("href", ""); href != "https://blog.example/feed.xml" {
				t.Errorf("feed link = %q", href)
			}
		}},
		{"self", "@alice.example", http.StatusUnprocessableEntity, func(t *testing.T, doc *goquery.Document) {
			if !strings.Contains(doc.Find(`[data-testid=follow-problem]`).Text(), "your own account") {
				t.Error("no word about following oneself")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			form := url.Values{}
			if tt.handle != "" {
				form.Set("handle", tt.handle)
			}
			rec := f.post(t, "/contacts/follow", form)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			tt.check(t, parse(t, rec))
		})
	}
}

func TestRequestsTabApprove(t *testing.T) {
	f := newFixture(t)
	f.manual = true
	f.followMe(t, bob)
	doc := f.get(t, "/contacts?tab=requests", http.StatusOK)
	if doc.Find(`[data-testid=tab-requests]`).AttrOr("aria-current", "") != "page" {
		t.Error("requests tab not current")
	}
	row := doc.Find(`[data-testid=contact][data-actor="` + bob + `"]`)
	form := row.Find(`form[action="/contacts/approve"]`)
	if form.Length() != 1 || row.Find(`form[action="/contacts/reject"]`).Length() != 1 {
		t.Fatal("no approve and reject buttons")
	}
	back := form.Find(`input[name=back]`).AttrOr("value", "")
	rec := f.post(t, "/contacts/approve", url.Values{"actor": {bob}, "back": {back}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("approve = %d", rec.Code)
	}
	loc, _ := url.Parse(rec.Header().Get("Location"))
	if loc.Path != "/contacts" || loc.Query().Get("tab") != "requests" || loc.Query().Get("done") != "approved" {
		t.Errorf("Location = %s", loc)
	}
	if !f.c.IsFollower(context.Background(), bob) {
		t.Error("not approved")
	}
	doc = f.get(t, loc.String(), http.StatusOK)
	if got := doc.Find(`[data-testid=flash]`).Text(); got != "Bob now follows you." {
		t.Errorf("flash = %q", got)
	}
	if doc.Find(`[data-testid=empty]`).Length() != 1 {
		t.Error("the request is still listed")
	}
	if doc.Find(`[data-testid=tab-followers] .count`).Text() != "1" {
		t.Error("followers count not 1")
	}
}

func TestActionFormErrors(t *testing.T) {
	f := newFixture(t)
	if rec := f.post(t, "/contacts/unfollow", url.Values{}); rec.Code != http.StatusBadRequest {
		t.Errorf("no actor: %d", rec.Code)
	}
	if rec := f.post(t, "/contacts/unfollow", url.Values{"actor": {bob}}); rec.Code != http.StatusNotFound {
		t.Errorf("unfollow of nobody: %d", rec.Code)
	}
	if rec := f.post(t, "/contacts/block-domain", url.Values{"domain": {"two words"}}); rec.Code != http.StatusBadRequest {
		t.Errorf("bad domain: %d", rec.Code)
	}
	// A back address outside the contacts pages is ignored.
	f.following(t, "@bob@example.social")
	rec := f.post(t, "/contacts/unfollow", url.Values{"actor": {bob}, "back": {"https://evil.example/"}})
	if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, "/contacts?") {
		t.Errorf("redirected to %q", loc)
	}
}

func TestBlockedTab(t *testing.T) {
	f := newFixture(t)
	f.followMe(t, dave)
	if rec := f.post(t, "/contacts/block", url.Values{"actor": {dave}, "back": {"/contacts?tab=blocked"}, "confirm": {"yes"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("block = %d", rec.Code)
	}
	rec := f.post(t, "/contacts/block-domain", url.Values{"domain": {"spam.example"}})
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.Contains(loc, "tab=blocked") {
		t.Fatalf("block domain = %d to %q", rec.Code, loc)
	}
	doc := f.get(t, loc, http.StatusOK)
	if doc.Find(`[data-testid=contact][data-actor="`+dave+`"] form[action="/contacts/unblock"]`).Length() != 1 {
		t.Error("blocked account has no unblock button")
	}
	if got := strings.TrimSpace(doc.Find(`[data-testid=domain-blocks] .domain-list li span`).Text()); got != "spam.example" {
		t.Errorf("blocked domains = %q", got)
	}
	if doc.Find(`[data-testid=flash]`).Text() != "Domain blocked." {
		t.Errorf("flash = %q", doc.Find(`[data-testid=flash]`).Text())
	}
}

func TestContactPage(t *testing.T) {
	f := newFixture(t)
	f.following(t, "@bob@example.social")
	f.followMe(t, bob)
	view := "/contacts/view?actor=" + url.QueryEscape(bob)
	doc := f.get(t, view, http.StatusOK)
	page := doc.Find(`[data-testid=contact-page]`)
	if page.Find(`[data-testid=contact-name]`).Text() != "Bob" || page.Find(`[data-testid=contact-handle]`).Text() != "@bob@example.social" {
		t.Errorf("name/handle = %q %q", page.Find(`[data-testid=contact-name]`).Text(), page.Find(`[data-testid=contact-handle]`).Text())
	}
	if page.Find(`[data-testid=bio] a[href="https://example.social/tags/go"]`).Length() != 1 {
		t.Error("the bio's HTML was not rendered")
	}
	if page.Find(`[data-testid=fields] dt`).Text() != "Home" || page.Find(`[data-testid=fields] dd a`).AttrOr("href", "") != "https://bob.example" {
		t.Error("fields missing")
	}
	if page.Find(`[data-testid=state-following]`).Length() != 1 || page.Find(`[data-testid=state-follows-you]`).Length() != 1 {
		t.Error("relationship badges missing")
	}
	for _, action := range []string{"/contacts/unfollow", "/contacts/remove", "/contacts/block", "/contacts/block-domain"} {
		if page.Find(`[data-testid=actions] form[action="`+action+`"]`).Length() != 1 {
			t.Errorf("no %s button", action)
		}
	}

	rec := f.post(t, "/contacts/note", url.Values{"actor": {bob}, "note": {"Knows about <tomatoes>"}})
	loc, _ := url.Parse(rec.Header().Get("Location"))
	if rec.Code != http.StatusSeeOther || loc.Path != "/contacts/view" || loc.Query().Get("actor") != bob {
		t.Fatalf("note = %d to %s", rec.Code, loc)
	}
	doc = f.get(t, loc.String(), http.StatusOK)
	if got := doc.Find(`textarea[name=note]`).Text(); got != "Knows about <tomatoes>" {
		t.Errorf("note = %q", got)
	}
	if doc.Find(`[data-testid=flash]`).Text() != "Note saved." {
		t.Error("no flash after saving the note")
	}

	// Blocking from the contact page comes back to it.
	// The Block button asks first, saying what blocking does.
	back := doc.Find(`form[action="/contacts/block"] input[name=back]`).AttrOr("value", "")
	rec = f.post(t, "/contacts/block", url.Values{"actor": {bob}, "back": {back}})
	if rec.Code != http.StatusOK {
		t.Fatalf("block without confirming = %d", rec.Code)
	}
	confirm, err := goquery.NewDocumentFromReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	ask := confirm.Find(`[data-testid=block-confirm]`)
	if ask.Find("h1").Text() != "Block Bob?" || !strings.Contains(ask.Text(), "You stop following them and they stop following you") ||
		!strings.Contains(ask.Text(), "hidden") {
		t.Errorf("block confirm page = %q", ask.Text())
	}
	if !f.c.IsFollowing(context.Background(), bob) {
		t.Fatal("an unconfirmed block ended the follow")
	}
	form := ask.Find(`form[action="/contacts/block"]`)
	if form.Find(`input[name=confirm]`).AttrOr("value", "") != "yes" || form.Find(`input[name=back]`).AttrOr("value", "") != back ||
		form.Find(`input[type=checkbox]`).Length() != 0 {
		t.Error("the confirm form should be one Block button carrying the way back")
	}
	rec = f.post(t, "/contacts/block", url.Values{"actor": {bob}, "back": {back}, "confirm": {"yes"}})
	loc, _ = url.Parse(rec.Header().Get("Location"))
	if loc.Path != "/contacts/view" || loc.Query().Get("actor") != bob || loc.Query().Get("done") != "blocked" {
		t.Errorf("block from the page went to %s", loc)
	}
}

func TestContactPageOfStranger(t *testing.T) {
	f := newFixture(t)
	doc := f.get(t, "/contacts/view?actor="+url.QueryEscape(frank), http.StatusOK)
	if doc.Find(`[data-testid=contact-name]`).Text() != "Frank" {
		t.Error("a stranger's page was not fetched")
	}
	if doc.Find(`form[action="/contacts/follow"] input[name=handle]`).AttrOr("value", "") != frank {
		t.Error("no follow button for a stranger")
	}
	if doc.Find(`.avatar-blank`).Text() != "F" {
		t.Error("no initial for an account without avatar")
	}
	f.get(t, "/contacts/view?actor="+url.QueryEscape("https://gone.example/u"), http.StatusNotFound)
	f.get(t, "/contacts/view?actor=javascript:alert(1)", http.StatusBadRequest)
}
