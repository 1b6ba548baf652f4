package blog

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

func TestIndexPagination(t *testing.T) {
	f := newFixture(t)
	start := f.clock.Now().Add(-time.Hour)
	for i := range 12 {
		f.create(t, ArticleInput{Title: fmt.Sprintf("Post %02d", i), Summary: fmt.Sprintf("Summary %02d", i), PublishedAt: start.Add(time.Duration(i) * time.Minute)})
	}
	f.create(t, ArticleInput{Title: "Hidden draft", Draft: true})

	w := f.get(t, "/blog/", false)
	wantStatus(t, w, http.StatusOK)
	doc := parse(t, w)
	items := doc.Find(`[data-testid="blog-index"] [data-testid="blog-summary"]`)
	if items.Length() != 10 {
		t.Fatalf("%d posts on the first page, want 10", items.Length())
	}
	if first := items.First().Find("h2 a"); first.Text() != "Post 11" {
		t.Errorf("first post %q", first.Text())
	}
	if !strings.Contains(items.First().Text(), "Summary 11") {
		t.Errorf("summary missing: %q", items.First().Text())
	}
	if strings.Contains(doc.Text(), "Hidden draft") {
		t.Error("draft listed")
	}
	for _, typ := range []string{"application/atom+xml", "application/rss+xml", "application/feed+json"} {
		link := doc.Find(`head link[rel="alternate"][type="` + typ + `"]`)
		href, _ := link.Attr("href")
		if link.Length() != 1 || !strings.HasPrefix(href, testBase+"/blog/feed.") {
			t.Errorf("alternate %s: %d links, href %q", typ, link.Length(), href)
		}
	}
	older, ok := doc.Find(`[data-testid="older"]`).Attr("href")
	if !ok {
		t.Fatal("no Older posts link")
	}
	w = f.get(t, older, false)
	wantStatus(t, w, http.StatusOK)
	doc = parse(t, w)
	items = doc.Find(`[data-testid="blog-summary"]`)
	if items.Length() != 2 || items.First().Find("h2 a").Text() != "Post 01" {
		t.Errorf("second page: %d posts, first %q", items.Length(), items.First().Find("h2 a").Text())
	}
	if doc.Find(`[data-testid="older"]`).Length() != 0 {
		t.Error("Older posts link on the last page")
	}
	wantStatus(t, f.get(t, "/blog/?before=abc", false), http.StatusBadRequest)
}

func TestArticlePage(t *testing.T) {
	f := newFixture(t)
	a := f.create(t, ArticleInput{Title: "Hello <World>", Body: "Some **bold** words.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))", Tags: []string{"Go"}})
	page := f.create(t, ArticleInput{Title: "About", Body: "About me.", Page: true})
	ctx := context.Background()
	if _, err := f.blog.AddComment(ctx, Comment{ObjectID: "https://remote.example/notes/1", InReplyTo: a.URL, AuthorID: "https://remote.example/users/bob",
		AuthorName: "Bob", AuthorHandle: "@bob@remote.example", AuthorURL: "https://remote.example/@bob", AuthorAvatar: "https://remote.example/bob.png",
		ContentHTML: "<p>Nice post</p>", URL: "https://remote.example/@bob/1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.blog.AddComment(ctx, Comment{ObjectID: "https://other.example/n/2", InReplyTo: "https://remote.example/notes/1",
		AuthorID: "https://other.example/carol", AuthorName: "Carol", ContentHTML: "<p>Agreed</p>"}); err != nil {
		t.Fatal(err)
	}

	w := f.get(t, "/blog/"+a.Slug, false)
	wantStatus(t, w, http.StatusOK)
	doc := parse(t, w)
	art := doc.Find(`[data-testid="blog-article"]`)
	if got := art.Find("h1").Text(); got != "Hello <World>" {
		t.Errorf("title %q", got)
	}
	content := art.Find(`[data-testid="blog-content"]`)
	if html, _ := content.Html(); !strings.Contains(html, "<strong>bold</strong>") || strings.Contains(html, "script") || strings.Contains(html, "javascript") {
		t.Errorf("content %s", html)
	}
	if art.Find("time").First().AttrOr("datetime", "") != "2025-03-14T12:00:00Z" {
		t.Errorf("date %q", art.Find("time").First().AttrOr("datetime", ""))
	}
	if art.Find(`.tags a[href="/blog/tags/go"]`).Length() != 1 {
		t.Error("tag link missing")
	}
	top := art.Find(`[data-testid="blog-comments"] > ol > li`)
	if top.Length() != 1 || !strings.Contains(top.Text(), "Bob") || top.Find(`img.avatar-md`).AttrOr("src", "") != "https://remote.example/bob.png" {
		t.Errorf("top-level comments: %d %q", top.Length(), top.Text())
	}
	if top.Find(`a[href="https://remote.example/@bob/1"]`).Length() != 1 {
		t.Error("no link to the original reply")
	}
	if reply := top.Find(`ol [data-testid="blog-comment"]`); reply.Length() != 1 || !strings.Contains(reply.Text(), "Agreed") {
		t.Errorf("threaded reply missing: %q", top.Text())
	}
	if doc.Find(`[data-testid="edit-link"]`).Length() != 0 {
		t.Error("edit link shown to a visitor")
	}
	if doc.Find(`[data-testid="edit-link"]`).Length() != 0 {
		t.Error("edit link shown to a visitor")
	}
	if parse(t, f.get(t, "/blog/"+a.Slug, true)).Find(`[data-testid="edit-link"]`).Length() != 1 {
		t.Error("no edit link for the owner")
	}

	doc = parse(t, f.get(t, "/blog/"+page.Slug, false))
	if doc.Find(`[data-testid="blog-comments"]`).Length() != 0 || doc.Find(`.meta time`).Length() != 0 {
		t.Error("a page shows a date or comments")
	}
	if !strings.Contains(doc.Find(`[data-testid="blog-content"]`).Text(), "About me.") {
		t.Error("page content missing")
	}
}

func TestHiddenArticles(t *testing.T) {
	f := newFixture(t)
	draft := f.create(t, ArticleInput{Title: "Draft", Draft: true})
	later := f.create(t, ArticleInput{Title: "Later", PublishedAt: f.clock.Now().Add(time.Hour)})
	for _, a := range []Article{draft, later} {
		wantStatus(t, f.get(t, "/blog/"+a.Slug, false), http.StatusNotFound)
		w := f.get(t, "/blog/"+a.Slug, true)
		wantStatus(t, w, http.StatusOK)
		if parse(t, w).Find(`[data-testid="blog-status"]`).Length() != 1 {
			t.Errorf("%s: no status label for the owner", a.Title)
		}
	}
	f.clock.Add(2 * time.Hour)
	wantStatus(t, f.get(t, "/blog/"+later.Slug, false), http.StatusOK)
}

func TestNotFound(t *testing.T) {
	f := newFixture(t)
	w := f.get(t, "/blog/no-such-post", false)
	wantStatus(t, w, http.StatusNotFound)
	if parse(t, w).Find(`[data-testid="message"] h1`).Text() != "Not found" {
		t.Error("404 is not the themed message page")
	}
	wantStatus(t, f.get(t, "/blog/no-such-post/edit", true), http.StatusNotFound)
	wantStatus(t, f.get(t, "/blog/x/unknown", true), http.StatusNotFound)
}

func TestEditorRequiresOwner(t *testing.T) {
	f := newFixture(t)
	a := f.create(t, ArticleInput{Title: "Mine"})
	for _, c := range []struct{ method, path string }{
		{"GET", "/blog/manage"}, {"GET", "/blog/new"}, {"POST", "/blog/new"}, {"POST", "/blog/preview"},
		{"POST", "/blog/upload"}, {"GET", "/blog/" + a.Slug + "/edit"}, {"POST", "/blog/" + a.Slug + "/edit"},
		{"GET", "/blog/" + a.Slug + "/delete"}, {"POST", "/blog/" + a.Slug + "/delete"},
	} {
		w := f.do(t, c.method, c.path, "application/x-www-form-urlencoded", strings.NewReader("title=x&confirm=yes"), false)
		if w.Code != http.StatusUnauthorized {
			t.Errorf("%s %s by a visitor: %d", c.method, c.path, w.Code)
		}
	}
	if _, err := f.blog.Get(context.Background(), a.ID); err != nil {
		t.Errorf("a visitor changed the article: %v", err)
	}
}

func TestCreateEditFlow(t *testing.T) {
	f := newFixture(t)
	w := f.get(t, "/blog/new", true)
	wantStatus(t, w, http.StatusOK)
	doc := parse(t, w)
	for _, name := range []string{"title", "body", "slug", "tags", "summary", "published"} {
		field := doc.Find(`[data-testid="blog-editor"] [name="` + name + `"]`)
		id, _ := field.Attr("id")
		if field.Length() != 1 || doc.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("field %s missing or unlabelled", name)
		}
	}
	if doc.Find(`[data-testid="publish"]`).AttrOr("value", "") != "published" || doc.Find(`[data-testid="save-draft"]`).AttrOr("value", "") != "draft" {
		t.Error("a new post has no Publish and Save draft buttons")
	}
	if doc.Find(`textarea.body[name="body"]`).Length() != 1 ||
		doc.Find(`input[type="radio"][name="kind"]`).Length() != 2 || doc.Find(`input[type="datetime-local"]`).Length() != 1 {
		t.Error("editor lacks body, status, kind or time inputs")
	}

	form := url.Values{"title": {"My First Post"}, "body": {"Hello *there*."}, "tags": {"Go, Web"}, "status": {"published"}, "kind": {"post"}}
	w = f.postForm(t, "/blog/new", form.Encode())
	wantStatus(t, w, http.StatusSeeOther)
	loc := w.Header().Get("Location")
	if loc != "/blog/my-first-post" {
		t.Fatalf("redirect to %q", loc)
	}
	doc = parse(t, f.get(t, loc, false))
	if doc.Find("h1").Text() != "My First Post" || !strings.Contains(doc.Find(`[data-testid="blog-content"]`).Text(), "Hello there.") {
		t.Errorf("new post page: %q", doc.Find("main").Text())
	}

	// Edit: the form shows what was saved; saving a new slug moves the page.
	doc = parse(t, f.get(t, "/blog/my-first-post/edit", true))
	if doc.Find(`input[type="radio"][name="status"]`).Length() != 2 {
		t.Error("the edit form has no status choice")
	}
	if doc.Find(`[name="title"]`).AttrOr("value", "") != "My First Post" || doc.Find(`[name="tags"]`).AttrOr("value", "") != "Go, Web" {
		t.Error("edit form not filled")
	}
	form.Set("slug", "first")
	form.Set("title", "Renamed")
	form.Set("status", "draft")
	w = f.postForm(t, "/blog/my-first-post/edit", form.Encode())
	wantStatus(t, w, http.StatusSeeOther)
	if w.Header().Get("Location") != "/blog/first" {
		t.Errorf("edit redirect to %q", w.Header().Get("Location"))
	}
	wantStatus(t, f.get(t, "/blog/first", false), http.StatusNotFound) // now a draft
	manage := parse(t, f.get(t, "/blog/manage", true))
	if s := manage.Find(`[data-testid="manage-status"]`).Text(); s != "Draft" {
		t.Errorf("manage status %q", s)
	}
}

func TestCreateRefusals(t *testing.T) {
	f := newFixture(t)
	form := url.Values{"title": {""}, "body": {"What I typed"}, "tags": {"a, b"}}
	w := f.postForm(t, "/blog/new", form.Encode())
	wantStatus(t, w, http.StatusUnprocessableEntity)
	doc := parse(t, w)
	if doc.Find(`[data-testid="problem"]`).Text() != "A title is required." || doc.Find(`textarea[name="body"]`).Text() != "What I typed" ||
		doc.Find(`[name="tags"]`).AttrOr("value", "") != "a, b" {
		t.Errorf("refusal page: %q", doc.Find(`[data-testid="blog-editor"]`).Text())
	}
	wantStatus(t, f.postForm(t, "/blog/new", "title=x&status=maybe"), http.StatusBadRequest)
	wantStatus(t, f.postForm(t, "/blog/new", "title=x&published=yesterday"), http.StatusUnprocessableEntity)
	wantStatus(t, f.postForm(t, "/blog/new", "title=%zz"), http.StatusBadRequest)
	big := "title=x&body=" + strings.Repeat("a", 2<<20)
	wantStatus(t, f.postForm(t, "/blog/new", big), http.StatusRequestEntityTooLarge)
	if n, _ := f.blog.All(context.Background()); len(n) != 0 {
		t.Errorf("refused forms saved %d articles", len(n))
	}
}

func TestScheduleFromForm(t *testing.T) {
	f := newFixture(t)
	when := f.clock.Now().Add(3 * time.Hour).Format(publishLayout)
	w := f.postForm(t, "/blog/new", url.Values{"title": {"Soon"}, "body": {"x"}, "published": {when}}.Encode())
	wantStatus(t, w, http.StatusSeeOther)
	if doc := parse(t, f.get(t, "/blog/manage", true)); doc.Find(`[data-testid="manage-status"]`).Text() != "Scheduled" {
		t.Errorf("manage: %q", doc.Find(`[data-testid="manage-row"]`).Text())
	}
	if len(f.sent.types()) != 0 {
		t.Error("scheduled post federated early")
	}
}

func TestPreview(t *testing.T) {
	f := newFixture(t)
	form := url.Values{"title": {"Draft"}, "body": {"# Heading\n\n**strong** <img src=x onerror=alert(1)>"}, "original": {""}}
	w := f.postForm(t, "/blog/preview", form.Encode())
	wantStatus(t, w, http.StatusOK)
	doc := parse(t, w)
	prev := doc.Find(`[data-testid="blog-preview"] .content`)
	html, _ := prev.Html()
	if !strings.Contains(html, "<strong>strong</strong>") || !strings.Contains(html, "<h1>Heading</h1>") || strings.Contains(html, "onerror") {
		t.Errorf("preview %s", html)
	}
	if doc.Find(`textarea[name="body"]`).Text() != form.Get("body") || doc.Find(`[data-testid="blog-editor"] form`).AttrOr("action", "") != "/blog/new" {
		t.Error("preview lost the form")
	}
	if n, _ := f.blog.All(context.Background()); len(n) != 0 {
		t.Error("preview saved an article")
	}
	// Previewing an edit keeps the form aimed at the article.
	doc = parse(t, f.postForm(t, "/blog/preview", "title=x&body=y&original=some-post"))
	if doc.Find(`[data-testid="blog-editor"] form`).AttrOr("action", "") != "/blog/some-post/edit" {
		t.Errorf("preview of an edit posts to %q", doc.Find(`[data-testid="blog-editor"] form`).AttrOr("action", ""))
	}
}

func TestDeleteConfirmation(t *testing.T) {
	f := newFixture(t)
	a := f.create(t, ArticleInput{Title: "Doomed"})
	doc := parse(t, f.get(t, "/blog/doomed/delete", true))
	if doc.Find(`[data-testid="blog-delete"] input[type="checkbox"][name="confirm"]`).Length() != 1 {
		t.Fatal("no confirmation checkbox")
	}
	wantStatus(t, f.postForm(t, "/blog/doomed/delete", ""), http.StatusBadRequest)
	if _, err := f.blog.Get(context.Background(), a.ID); err != nil {
		t.Fatalf("deleted without confirmation: %v", err)
	}
	w := f.postForm(t, "/blog/doomed/delete", "confirm=yes")
	wantStatus(t, w, http.StatusSeeOther)
	if w.Header().Get("Location") != "/blog/manage" {
		t.Errorf("redirect to %q", w.Header().Get("Location"))
	}
	wantStatus(t, f.get(t, "/blog/doomed", false), http.StatusGone)
	wantStatus(t, f.get(t, "/blog/doomed/edit", true), http.StatusNotFound)
}

func multipartForm(t *testing.T, fields map[string]string, file []byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if file != nil {
		fw, err := mw.CreateFormFile("image", "cat.png")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(file)
	}
	_ = mw.Close()
	return mw.FormDataContentType(), &buf
}

func TestUpload(t *testing.T) {
	f := newFixture(t)
	ct, body := multipartForm(t, map[string]string{"title": "Cats", "body": "Look:", "alt": "A [grey] cat"}, []byte("\x89PNG fake"))
	w := f.do(t, "POST", "/blog/upload", ct, body, true)
	wantStatus(t, w, http.StatusOK)
	doc := parse(t, w)
	want := "Look:\n\n![A \\[grey\\] cat](<" + testBase + "/media/cat 1.png>)\n"
	if got := doc.Find(`textarea[name="body"]`).Text(); got != want {
		t.Errorf("body after upload %q, want %q", got, want)
	}
	if len(f.saved) != 1 || f.saved[0] != "A [grey] cat" {
		t.Errorf("SaveImage got %v", f.saved)
	}
	// The inserted Markdown renders as the image.
	html, _ := render(want)
	if !strings.Contains(html, `src="`+testBase+`/media/cat%201.png"`) || !strings.Contains(html, `alt="A [grey] cat"`) {
		t.Errorf("inserted markdown renders as %s", html)
	}

	f.imageErr = fmt.Errorf("save: %w", ErrImageTooLarge)
	ct, body = multipartForm(t, map[string]string{"title": "Cats", "body": "Look:"}, []byte("x"))
	w = f.do(t, "POST", "/blog/upload", ct, body, true)
	wantStatus(t, w, http.StatusRequestEntityTooLarge)
	if doc := parse(t, w); !strings.Contains(doc.Find(`[data-testid="problem"]`).Text(), "too large") || doc.Find(`textarea[name="body"]`).Text() != "Look:" {
		t.Error("too-large refusal lost the message or the text")
	}
	f.imageErr = fmt.Errorf("save: %w", ErrNotAnImage)
	ct, body = multipartForm(t, map[string]string{"title": "Cats"}, []byte("x"))
	wantStatus(t, f.do(t, "POST", "/blog/upload", ct, body, true), http.StatusUnsupportedMediaType)

	ct, body = multipartForm(t, map[string]string{"title": "Cats"}, nil)
	wantStatus(t, f.do(t, "POST", "/blog/upload", ct, body, true), http.StatusBadRequest)

	ct, body = multipartForm(t, map[string]string{"title": "Cats"}, bytes.Repeat([]byte("x"), maxUploadBytes+1))
	wantStatus(t, f.do(t, "POST", "/blog/upload", ct, body, true), http.StatusRequestEntityTooLarge)
}

func TestTagPage(t *testing.T) {
	f := newFixture(t)
	f.create(t, ArticleInput{Title: "Tagged", Tags: []string{"go"}})
	f.create(t, ArticleInput{Title: "Untagged"})
	w := f.get(t, "/blog/tags/Go", false)
	wantStatus(t, w, http.StatusOK)
	doc := parse(t, w)
	if items := doc.Find(`[data-testid="blog-summary"] h2`); items.Length() != 1 || items.Text() != "Tagged" {
		t.Errorf("tag page lists %q", items.Text())
	}
	if href := doc.Find(`head link[type="application/atom+xml"]`).AttrOr("href", ""); href != testBase+"/blog/tags/go/feed.atom" {
		t.Errorf("tag feed link %q", href)
	}
	if doc.Find(`head link[rel="alternate"]`).Length() != 3 {
		t.Error("tag page should advertise three feeds")
	}
}

// The buttons of a new post decide whether it is published or kept as a
// draft only the owner sees.
func TestSaveDraftOrPublish(t *testing.T) {
	f := newFixture(t)
	w := f.postForm(t, "/blog/new", url.Values{"title": {"Half done"}, "body": {"Notes for later"}, "action": {"draft"}}.Encode())
	wantStatus(t, w, http.StatusSeeOther)
	wantStatus(t, f.get(t, "/blog/half-done", false), http.StatusNotFound)
	wantStatus(t, f.get(t, "/blog/half-done", true), http.StatusOK)
	if len(f.sent.types()) != 0 {
		t.Errorf("a draft was sent to followers: %v", f.sent.types())
	}
	w = f.postForm(t, "/blog/new", url.Values{"title": {"Ready"}, "body": {"All of it"}, "action": {"published"}}.Encode())
	wantStatus(t, w, http.StatusSeeOther)
	wantStatus(t, f.get(t, "/blog/ready", false), http.StatusOK)
	wantStatus(t, f.postForm(t, "/blog/new", "title=x&body=y&action=later"), http.StatusBadRequest)

	// Schedule needs the time; with it, the post waits for it.
	w = f.postForm(t, "/blog/new", url.Values{"title": {"Soon"}, "body": {"x"}, "action": {"schedule"}}.Encode())
	wantStatus(t, w, http.StatusUnprocessableEntity)
	if got := parse(t, w).Find(`[data-testid="problem"]`).Text(); !strings.Contains(got, "publish time") {
		t.Errorf("problem = %q", got)
	}
	when := f.clock.Now().Add(time.Hour).Format(publishLayout)
	w = f.postForm(t, "/blog/new", url.Values{"title": {"Soon"}, "body": {"x"}, "action": {"schedule"}, "published": {when}}.Encode())
	wantStatus(t, w, http.StatusSeeOther)
	wantStatus(t, f.get(t, "/blog/soon", false), http.StatusNotFound)
}

// A slug typed into the editor that another post has is refused, and the
// form comes back with everything typed; nothing is renamed behind the
// owner's back.
func TestDuplicateSlugRefused(t *testing.T) {
	f := newFixture(t)
	first := f.create(t, ArticleInput{Title: "Garden", Slug: "garden"})
	form := url.Values{"title": {"Garden, again"}, "body": {"A long text I must not lose"}, "slug": {"garden"}, "tags": {"plants"}, "action": {"published"}}
	w := f.postForm(t, "/blog/new", form.Encode())
	wantStatus(t, w, http.StatusUnprocessableEntity)
	doc := parse(t, w)
	if got := doc.Find(`[data-testid="problem"]`).Text(); !strings.Contains(got, "already taken") {
		t.Errorf("problem = %q", got)
	}
	if doc.Find(`textarea[name="body"]`).Text() != "A long text I must not lose" || doc.Find(`[name="title"]`).AttrOr("value", "") != "Garden, again" ||
		doc.Find(`[name="slug"]`).AttrOr("value", "") != "garden" || doc.Find(`[name="tags"]`).AttrOr("value", "") != "plants" {
		t.Errorf("the form lost what was typed: %q", doc.Find(`[data-testid="blog-editor"]`).Text())
	}
	// Moving another post onto the slug is refused the same way.
	other := f.create(t, ArticleInput{Title: "Other"})
	form.Set("slug", "Garden")
	w = f.postForm(t, "/blog/"+other.Slug+"/edit", form.Encode())
	wantStatus(t, w, http.StatusUnprocessableEntity)
	if list, _ := f.blog.All(context.Background()); len(list) != 2 {
		t.Errorf("%d articles, want the two saved ones", len(list))
	}
	if a, err := f.blog.BySlug(context.Background(), "garden"); err != nil || a.ID != first.ID {
		t.Errorf("garden is now %+v, %v", a, err)
	}
	// Without a typed slug the title's slug still gets a number.
	w = f.postForm(t, "/blog/new", url.Values{"title": {"Garden"}, "body": {"x"}}.Encode())
	wantStatus(t, w, http.StatusSeeOther)
	if w.Header().Get("Location") != "/blog/garden-2" {
		t.Errorf("redirect to %q", w.Header().Get("Location"))
	}
}

// Publishing nothing is refused with a word; a draft may start empty.
func TestEmptyBodyRefused(t *testing.T) {
	f := newFixture(t)
	w := f.postForm(t, "/blog/new", url.Values{"title": {"Only a title"}, "body": {"  \n "}, "action": {"published"}}.Encode())
	wantStatus(t, w, http.StatusUnprocessableEntity)
	doc := parse(t, w)
	if got := doc.Find(`[data-testid="problem"]`).Text(); !strings.Contains(got, "The text is empty") {
		t.Errorf("problem = %q", got)
	}
	if doc.Find(`[name="title"]`).AttrOr("value", "") != "Only a title" {
		t.Error("the title was lost")
	}
	if list, _ := f.blog.All(context.Background()); len(list) != 0 {
		t.Errorf("an empty post was saved: %+v", list)
	}
	w = f.postForm(t, "/blog/new", url.Values{"title": {"Only a title"}, "action": {"draft"}}.Encode())
	wantStatus(t, w, http.StatusSeeOther)
}
