package feed

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

type fakeArticles []ArticleSummary

func (a fakeArticles) LatestArticles(_ context.Context, n int) ([]ArticleSummary, error) {
	return a[:min(n, len(a))], nil
}

func TestFrontPage(t *testing.T) {
	s := newTestSite(t, func(c *Config) {
		c.Profile = func(context.Context) (Owner, error) {
			return Owner{Name: "Alice Liddell", Handle: "@alice.test", BioHTML: "<p>Down the <em>rabbit</em> hole</p>",
				AvatarURL: testBase + "/avatar.png", Fields: []Field{{Name: "Code", Value: "https://code.example/alice"}, {Name: "bad", Value: "javascript:x"}}}, nil
		}
		c.Articles = fakeArticles{{Title: "On tea", URL: testBase + "/blog/on-tea", Published: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}}
	})
	s.mustCreate(t, NoteInput{Text: "a public note"})
	s.mustCreate(t, NoteInput{Text: "an unlisted note", Visibility: VisibilityUnlisted})
	s.mustCreate(t, NoteInput{Text: "for followers", Visibility: VisibilityFollowers})

	rec := s.do(t, "GET", "/", nil, false)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	doc := parseHTML(t, rec)
	profile := doc.Find(`[data-testid="profile"]`)
	if got := profile.Find("h1").Text(); got != "Alice Liddell" {
		t.Errorf("name %q", got)
	}
	if profile.Find(`[data-testid="bio"] em`).Text() != "rabbit" || profile.Find("img.avatar").AttrOr("src", "") != testBase+"/avatar.png" {
		t.Error("bio or avatar missing")
	}
	// Both fields show; only the web address is a link, the other stays text.
	if links := profile.Find(`[data-testid="fields"] a`); links.Length() != 1 || links.AttrOr("href", "") != "https://code.example/alice" {
		t.Errorf("field links: %d", links.Length())
	}
	if dd := profile.Find(`[data-testid="fields"] dd`); dd.Length() != 2 || dd.Eq(1).Text() != "javascript:x" {
		t.Errorf("field values: %d %q", dd.Length(), dd.Text())
	}
	notes := doc.Find(`[data-testid="notes"] [data-testid="note"]`)
	if notes.Length() != 1 || !strings.Contains(notes.Text(), "a public note") {
		t.Errorf("front page notes: %d %q", notes.Length(), notes.Text())
	}
	if doc.Find(`[data-testid="articles"] a[href="`+testBase+`/blog/on-tea"]`).Text() != "On tea" {
		t.Error("article missing")
	}
	if doc.Find(`link[rel="micropub"]`).AttrOr("href", "") != testBase+"/micropub" {
		t.Error("micropub link missing")
	}
	for _, ext := range []string{"atom", "rss", "json"} {
		if doc.Find(`link[rel="alternate"][href="`+testBase+`/feed.`+ext+`"]`).Length() != 1 {
			t.Errorf("feed %s not advertised", ext)
		}
	}
}

func TestNotesIndexPaging(t *testing.T) {
	s := newTestSite(t)
	for i := range 25 {
		s.mustCreate(t, NoteInput{Text: fmt.Sprintf("note number %d", i)})
	}
	s.mustCreate(t, NoteInput{Text: "secret", Visibility: VisibilityDirect})
	doc := parseHTML(t, s.do(t, "GET", "/notes/", nil, false))
	cards := doc.Find(`[data-testid="note"]`)
	if cards.Length() != 20 || !strings.Contains(cards.First().Text(), "note number 24") {
		t.Fatalf("first page: %d notes, first %q", cards.Length(), cards.First().Find(".content").Text())
	}
	if strings.Contains(doc.Text(), "secret") {
		t.Error("direct note listed")
	}
	if doc.Find(`link[rel="alternate"][href="`+testBase+`/notes/feed.atom"]`).Length() != 1 {
		t.Error("notes feed not advertised")
	}
	older, ok := doc.Find(`[data-testid="older"]`).Attr("href")
	if !ok || !strings.HasPrefix(older, "/notes/?before=") {
		t.Fatalf("older link %q", older)
	}
	doc = parseHTML(t, s.do(t, "GET", older, nil, false))
	cards = doc.Find(`[data-testid="note"]`)
	if cards.Length() != 5 || !strings.Contains(cards.Last().Text(), "note number 0") {
		t.Errorf("second page: %d", cards.Length())
	}
	if doc.Find(`[data-testid="older"]`).Length() != 0 {
		t.Error("older link on the last page")
	}
}

func TestNotePageVisibility(t *testing.T) {
	s := newTestSite(t)
	followers := s.mustCreate(t, NoteInput{Text: "only friends", Visibility: VisibilityFollowers})
	direct := s.mustCreate(t, NoteInput{Text: "psst", Visibility: VisibilityDirect})
	unlisted := s.mustCreate(t, NoteInput{Text: "quiet", Visibility: VisibilityUnlisted})
	tests := []struct {
		note  Note
		owner bool
		want  int
	}{
		{followers, false, http.StatusNotFound},
		{followers, true, http.StatusOK},
		{direct, false, http.StatusNotFound},
		{direct, true, http.StatusOK},
		{unlisted, false, http.StatusOK},
	}
	for _, tt := range tests {
		rec := s.do(t, "GET", "/notes/"+formatID(tt.note.ID), nil, tt.owner)
		if rec.Code != tt.want {
			t.Errorf("%s owner=%v: %d, want %d", tt.note.Visibility, tt.owner, rec.Code, tt.want)
		}
		if rec.Code == http.StatusNotFound && strings.Contains(rec.Body.String(), tt.note.Text) {
			t.Errorf("404 page shows the note")
		}
	}
	if rec := s.do(t, "GET", "/notes/nonsense", nil, false); rec.Code != http.StatusNotFound {
		t.Errorf("bad id: %d", rec.Code)
	}
}

func TestNotePageContent(t *testing.T) {
	s := newTestSite(t)
	n := s.mustCreate(t, NoteInput{
		Text: "spoilers ahead", ContentWarning: "film plot", InReplyTo: "https://example.com/notes/9",
		Media: []Media{{URL: testBase + "/m/full.png", PreviewURL: testBase + "/m/small.webp", Alt: "a still", Width: 4, Height: 3}},
	})
	doc := parseHTML(t, s.do(t, "GET", "/notes/"+formatID(n.ID), nil, false))
	cw := doc.Find(`details[data-testid="cw"]`)
	if cw.Find("summary").Text() != "film plot" || !strings.Contains(cw.Find(".content").Text(), "spoilers ahead") {
		t.Errorf("cw: %q", cw.Text())
	}
	img := cw.Find(`[data-testid="media"] a img`)
	if img.AttrOr("src", "") != testBase+"/m/small.webp" || img.AttrOr("alt", "") != "a still" ||
		img.Parent().AttrOr("href", "") != testBase+"/m/full.png" {
		t.Errorf("image: %v", img.Nodes)
	}
	if doc.Find(`[data-testid="reply-to"] a`).AttrOr("href", "") != "https://example.com/notes/9" {
		t.Error("reply-to link missing")
	}
	if doc.Find(`[data-testid="likes"]`).Text() != "0 likes" || doc.Find(`[data-testid="boosts"]`).Text() != "0 boosts" {
		t.Error("counts missing")
	}
	if doc.Find(`a[href$="/edit"]`).Length() != 0 {
		t.Error("visitor sees the edit link")
	}
}

func TestTagPage(t *testing.T) {
	s := newTestSite(t)
	s.mustCreate(t, NoteInput{Text: "about #Cats"})
	s.mustCreate(t, NoteInput{Text: "about #dogs"})
	doc := parseHTML(t, s.do(t, "GET", "/tags/cats", nil, false))
	cards := doc.Find(`[data-testid="note"]`)
	if cards.Length() != 1 || !strings.Contains(cards.Text(), "about") || doc.Find("h1").Text() != "#cats" {
		t.Errorf("tag page: %d %q", cards.Length(), doc.Find("h1").Text())
	}
	if cards.Find(`a.hashtag[href="`+testBase+`/tags/cats"]`).Length() != 1 {
		t.Error("hashtag link missing")
	}
}

func TestOwnerRoutesNeedOwner(t *testing.T) {
	s := newTestSite(t)
	n := s.mustCreate(t, NoteInput{Text: "x"})
	id := formatID(n.ID)
	for _, r := range []struct{ method, path string }{
		{"GET", "/write"}, {"POST", "/notes"}, {"GET", "/notes/" + id + "/edit"},
		{"POST", "/notes/" + id + "/edit"}, {"GET", "/notes/" + id + "/delete"}, {"POST", "/notes/" + id + "/delete"},
	} {
		if rec := s.do(t, r.method, r.path, strings.NewReader(""), false); rec.Code != http.StatusUnauthorized {
			t.Errorf("%s %s: %d", r.method, r.path, rec.Code)
		}
	}
	if _, err := s.feed.Get(context.Background(), n.ID); err != nil {
		t.Errorf("note touched: %v", err)
	}
}

func TestComposer(t *testing.T) {
	s := newTestSite(t)
	s.mustCreate(t, NoteInput{Text: "an earlier note", Visibility: VisibilityDirect})
	doc := parseHTML(t, s.do(t, "GET", "/write?reply_to="+url.QueryEscape("https://example.com/notes/5"), nil, true))
	form := doc.Find(`[data-testid="note-form"] form`)
	if form.AttrOr("action", "") != "/notes" || form.Find(`textarea[name="text"]`).AttrOr("data-limit", "") != "500" {
		t.Error("composer form")
	}
	if form.Find(`input[name="in_reply_to"]`).AttrOr("value", "") != "https://example.com/notes/5" {
		t.Error("reply_to not kept")
	}
	if form.Find(`input[type="file"]`).Length() != 4 || form.Find(`input[name="alt_3"]`).Length() != 1 {
		t.Error("image inputs")
	}
	if form.Find(`select[name="visibility"] option`).Length() != 4 || form.Find(`input[name="content_warning"]`).Length() != 1 {
		t.Error("visibility or cw field")
	}
	if doc.Find(`script[src="/static/editor.js"]`).Length() != 1 {
		t.Error("editor script missing")
	}
	recent := doc.Find(`[data-testid="recent"] [data-testid="note"]`)
	if recent.Length() != 1 || recent.Find(`a[href$="/edit"]`).Length() != 1 || recent.Find(`form[method="get"][action$="/delete"]`).Length() != 1 {
		t.Error("recent notes with edit and delete")
	}
}

// multipartNote builds a composer submission with files.
func multipartNote(t *testing.T, fields map[string]string, files map[string]string) (*bytes.Buffer, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for k, v := range files {
		fw, err := mw.CreateFormFile(k, k+".gif")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(v))
	}
	mw.Close()
	return &body, mw.FormDataContentType()
}

func TestCreateEditDeleteThroughForms(t *testing.T) {
	s := newTestSite(t)
	body, ct := multipartNote(t,
		map[string]string{"text": "Posted from the #web", "content_warning": "", "visibility": "public", "alt_1": "a dot"},
		map[string]string{"media_1": "GIF89a...", "media_0": ""})
	rec := s.do(t, "POST", "/notes", body, true, "Content-Type", ct)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("create: %d %s", rec.Code, rec.Body.String())
	}
	loc := rec.Header().Get("Location")
	doc := parseHTML(t, s.do(t, "GET", loc, nil, false))
	if !strings.Contains(doc.Find(".content").Text(), "Posted from the #web") {
		t.Fatalf("note page: %q", doc.Find("main").Text())
	}
	if doc.Find(`[data-testid="media"] img`).AttrOr("alt", "") != "a dot" {
		t.Error("uploaded image missing")
	}
	id := strings.TrimPrefix(loc, "/notes/")

	// Edit: change the text, the image's alt text, add nothing.
	form := url.Values{"text": {"Edited text"}, "keep_alt_0": {"a red dot"}}
	rec = s.do(t, "POST", loc+"/edit", strings.NewReader(form.Encode()), true, "Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != loc {
		t.Fatalf("edit: %d", rec.Code)
	}
	doc = parseHTML(t, s.do(t, "GET", loc, nil, false))
	if !strings.Contains(doc.Find(".content").Text(), "Edited text") || doc.Find(`[data-testid="media"] img`).AttrOr("alt", "") != "a red dot" {
		t.Errorf("after edit: %q", doc.Find("main").Text())
	}
	if !strings.Contains(doc.Find("footer").Text(), "edited") {
		t.Error("edit not marked")
	}
	editDoc := parseHTML(t, s.do(t, "GET", loc+"/edit", nil, true))
	if editDoc.Find(`textarea[name="text"]`).Text() != "Edited text" || editDoc.Find(`input[type="file"]`).Length() != 3 {
		t.Error("edit form")
	}

	// Delete: the page without JavaScript asks first.
	confirm := parseHTML(t, s.do(t, "GET", loc+"/delete", nil, true))
	if confirm.Find("h1").Text() != "Delete this note?" || confirm.Find(`form[action="/notes/`+id+`/delete"] button.danger`).Length() != 1 {
		t.Error("delete confirmation")
	}
	// The note page's delete form only opens that page: a bare POST to it
	// (a double click, a replayed form) shows the question again.
	page := parseHTML(t, s.do(t, "GET", loc, nil, true))
	if page.Find(`form[action="/notes/`+id+`/delete"]`).AttrOr("method", "") != "get" {
		t.Error("the note page's delete form should open the confirm page")
	}
	rec = s.do(t, "POST", loc+"/delete", strings.NewReader(""), true, "Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != http.StatusOK || parseHTML(t, rec).Find("h1").Text() != "Delete this note?" {
		t.Errorf("unconfirmed delete POST: %d", rec.Code)
	}
	if rec := s.do(t, "GET", loc, nil, false); rec.Code != http.StatusOK {
		t.Fatalf("an unconfirmed POST deleted the note: %d", rec.Code)
	}
	if confirm.Find(`input[type="checkbox"]`).Length() != 0 || confirm.Find(`input[name="confirm"][value="yes"]`).Length() != 1 {
		t.Error("the confirm page should be one button, no checkbox")
	}
	rec = s.do(t, "POST", loc+"/delete", strings.NewReader("confirm=yes"), true, "Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d", rec.Code)
	}
	if rec := s.do(t, "GET", loc, nil, false); rec.Code != http.StatusGone {
		t.Errorf("deleted note page: %d", rec.Code)
	}
}

func TestCreateProblemsKeepTheForm(t *testing.T) {
	s := newTestSite(t, func(c *Config) { c.NoteLimit = 5 })
	form := url.Values{"text": {"far too long"}, "content_warning": {"cw kept"}, "visibility": {"followers"}}
	rec := s.do(t, "POST", "/notes", strings.NewReader(form.Encode()), true, "Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d", rec.Code)
	}
	doc := parseHTML(t, rec)
	if doc.Find(`textarea[name="text"]`).Text() != "far too long" || doc.Find(`input[name="content_warning"]`).AttrOr("value", "") != "cw kept" ||
		doc.Find(`option[value="followers"]`).AttrOr("selected", "no") == "no" {
		t.Error("form not kept")
	}
	if !strings.Contains(doc.Find(`[data-testid="problem"]`).Text(), "limit is 5") {
		t.Errorf("problem: %q", doc.Find(`[data-testid="problem"]`).Text())
	}

	body, ct := multipartNote(t, map[string]string{"text": "hi"}, map[string]string{"media_0": "not an image"})
	if rec := s.do(t, "POST", "/notes", body, true, "Content-Type", ct); rec.Code != http.StatusBadRequest {
		t.Errorf("not an image: %d", rec.Code)
	}

	big := newTestSite(t, func(c *Config) { c.MaxUploadBytes = 1024 })
	body, ct = multipartNote(t, map[string]string{"text": "hi"}, map[string]string{"media_0": "GIF89a" + strings.Repeat("x", 4096)})
	if rec := big.do(t, "POST", "/notes", body, true, "Content-Type", ct); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversize: %d", rec.Code)
	}
	if notes, _ := big.feed.Notes(context.Background(), 10, 0, true); len(notes) != 0 {
		t.Error("a note was made from a rejected form")
	}
}
