package blog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// autosave posts the editor's fields the way its script does.
func (f *fixture) autosave(t *testing.T, form url.Values) (int, map[string]string) {
	t.Helper()
	w := f.do(t, "POST", "/blog/autosave", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), true,
		"Accept", "application/json")
	var out map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("autosave answered %d %q: %v", w.Code, w.Body.String(), err)
	}
	return w.Code, out
}

func TestAutosaveKeepsANewPostAsADraft(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// The status a button would send is ignored: autosave never publishes.
	code, out := f.autosave(t, url.Values{"title": {"Spring garden"}, "body": {"Dig the *beds*."}, "action": {"published"}})
	if code != http.StatusOK || out["slug"] != "spring-garden" || out["action"] != "/blog/spring-garden/edit" || out["saved"] == "" {
		t.Fatalf("first autosave: %d %v", code, out)
	}
	a, err := f.blog.BySlug(ctx, "spring-garden")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Draft || a.Body != "Dig the *beds*." {
		t.Errorf("after autosave: draft %v, body %q", a.Draft, a.Body)
	}

	// The next save names the draft it made and updates it, even with the
	// Published radio chosen.
	code, out = f.autosave(t, url.Values{"original": {"spring-garden"}, "title": {"Spring garden"}, "body": {"Dig the beds deep."},
		"status": {"published"}})
	if code != http.StatusOK || out["slug"] != "spring-garden" {
		t.Fatalf("second autosave: %d %v", code, out)
	}
	all, err := f.blog.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || !all[0].Draft || all[0].Body != "Dig the beds deep." {
		t.Fatalf("after two autosaves: %+v", all)
	}
	if got := f.sent.types(); len(got) != 0 {
		t.Errorf("autosave sent %v to followers", got)
	}
	if w := f.get(t, "/blog/spring-garden", false); w.Code != http.StatusNotFound {
		t.Errorf("the autosaved draft is public: %d", w.Code)
	}

	// Publishing is the owner's button, through the editor the draft moved to.
	w := f.postForm(t, out["action"], url.Values{"original": {"spring-garden"}, "title": {"Spring garden"}, "body": {"Dig the beds deep."},
		"action": {"published"}}.Encode())
	wantStatus(t, w, http.StatusSeeOther)
	if a, _ := f.blog.BySlug(ctx, "spring-garden"); a.Draft {
		t.Error("Publish after autosave left a draft")
	}
}

func TestAutosaveRefusesPublishedPostsAndBadInput(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	pub := f.create(t, ArticleInput{Title: "Out there", Body: "As published."})
	code, out := f.autosave(t, url.Values{"original": {pub.Slug}, "title": {"Out there"}, "body": {"Half-typed change"}})
	if code != http.StatusConflict || !strings.Contains(out["error"], "press Save") {
		t.Errorf("autosave of a published post: %d %v", code, out)
	}
	if a, _ := f.blog.BySlug(ctx, pub.Slug); a.Body != "As published." || a.Draft {
		t.Errorf("the published post changed: draft %v, body %q", a.Draft, a.Body)
	}

	code, out = f.autosave(t, url.Values{"body": {"No title yet"}})
	if code != http.StatusUnprocessableEntity || out["error"] != "A title is required." {
		t.Errorf("autosave without a title: %d %v", code, out)
	}
	code, out = f.autosave(t, url.Values{"title": {"Taken"}, "slug": {pub.Slug}, "body": {"x"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(out["error"], "already taken") {
		t.Errorf("autosave with a taken slug: %d %v", code, out)
	}
	code, _ = f.autosave(t, url.Values{"original": {"no-such-post"}, "title": {"Gone"}})
	if code != http.StatusNotFound {
		t.Errorf("autosave of a missing post: %d", code)
	}
	if all, _ := f.blog.All(ctx); len(all) != 1 {
		t.Errorf("refused autosaves stored %d articles", len(all))
	}
	w := f.do(t, "POST", "/blog/autosave", "application/x-www-form-urlencoded", strings.NewReader("title=Sneaky"), false,
		"Accept", "application/json")
	if w.Code != http.StatusUnauthorized {
		t.Errorf("a visitor's autosave answered %d", w.Code)
	}
}

func TestEditorOffersAutosaveOnlyForDrafts(t *testing.T) {
	f := newFixture(t)
	pub := f.create(t, ArticleInput{Title: "Live post"})
	draft := f.create(t, ArticleInput{Title: "Quiet draft", Draft: true})
	for path, want := range map[string]bool{"/blog/new": true, "/blog/" + draft.Slug + "/edit": true, "/blog/" + pub.Slug + "/edit": false} {
		doc := parse(t, f.get(t, path, true))
		editor := doc.Find(`[data-testid="blog-editor"]`)
		if _, on := editor.Attr("data-autosave"); on != want {
			t.Errorf("%s: autosave %v, want %v", path, on, want)
		}
		if said := editor.Find(`[data-testid="no-autosave"]`).Length() == 1; said == want {
			t.Errorf("%s: the editor says it does not autosave: %v", path, said)
		}
		if doc.Find(`script[src="/static/blog_editor.js"][defer]`).Length() != 1 {
			t.Errorf("%s does not load the editor's script", path)
		}
		if p := editor.Find(`[data-testid="live-preview"]`); p.Length() != 1 || p.AttrOr("hidden", "no") == "no" {
			t.Errorf("%s: the live preview panel is missing or shown without script", path)
		}
		// A draft, new or saved, has Publish and Save draft; a published
		// post has Save, with the status to take it back to a draft.
		drafting := editor.Find(`[data-testid="publish"]`).Length() == 1 && editor.Find(`[data-testid="save-draft"]`).Length() == 1
		hasStatus := editor.Find(`input[name="status"]`).Length() == 2
		if drafting != want || hasStatus == want {
			t.Errorf("%s: publish and save-draft buttons %v, status radios %v", path, drafting, hasStatus)
		}
	}
}

func TestLivePreviewRendersWhatPublishingStores(t *testing.T) {
	f := newFixture(t)
	body := "# Beds\n\nSome **bold** words.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n| a | b |\n|--:|:--|\n| 1 | 2 |"
	w := f.do(t, "POST", "/blog/preview", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"body": {body}}.Encode()), true,
		"Accept", "application/json")
	wantStatus(t, w, http.StatusOK)
	var out map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	a := f.create(t, ArticleInput{Title: "Beds", Body: body})
	if out["html"] != a.HTML {
		t.Errorf("preview\n%s\npublished\n%s", out["html"], a.HTML)
	}
	if strings.Contains(out["html"], "<script") || strings.Contains(out["html"], "javascript:") || !strings.Contains(out["html"], "<strong>bold</strong>") {
		t.Errorf("preview not rendered and sanitised: %s", out["html"])
	}
	// Without the script the same endpoint still shows the whole editor.
	w = f.postForm(t, "/blog/preview", url.Values{"title": {"Beds"}, "body": {body}}.Encode())
	wantStatus(t, w, http.StatusOK)
	if got := parse(t, w).Find(`[data-testid="blog-preview"] strong`).Text(); got != "bold" {
		t.Errorf("the plain preview page shows %q", got)
	}
}

// refusal is a SaveImage error that carries the plain words of the site's
// limits, as the composition root's does.
type refusal struct {
	kind   error
	reason string
}

func (e *refusal) Error() string  { return e.kind.Error() + ": " + e.reason }
func (e *refusal) Unwrap() error  { return e.kind }
func (e *refusal) Reason() string { return e.reason }

func TestUploadAndInsertAnswersTheMarkdown(t *testing.T) {
	f := newFixture(t)
	ct, body := multipartForm(t, map[string]string{"alt": "A [grey] cat"}, []byte("\x89PNG fake"))
	w := f.do(t, "POST", "/blog/upload", ct, body, true, "Accept", "application/json")
	wantStatus(t, w, http.StatusOK)
	var out map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out["url"] != testBase+"/media/cat 1.png" || out["markdown"] != "![A \\[grey\\] cat](<"+testBase+"/media/cat 1.png>)" {
		t.Errorf("upload answered %v", out)
	}

	for _, c := range []struct {
		err    error
		status int
		want   string
	}{
		{fmt.Errorf("save: %w", &refusal{ErrImageTooLarge, "it is larger than 10 MB; choose a JPEG, PNG, GIF or WebP file under 10 MB"}),
			http.StatusRequestEntityTooLarge, "That picture could not be used: it is larger than 10 MB; choose a JPEG, PNG, GIF or WebP file under 10 MB."},
		{fmt.Errorf("save: %w", ErrNotAnImage), http.StatusUnsupportedMediaType,
			"That picture could not be used: choose a JPEG, PNG, GIF or WebP file."},
		{errors.New("disk full"), http.StatusInternalServerError, "The image could not be saved. Please try again."},
	} {
		f.imageErr = c.err
		ct, body = multipartForm(t, map[string]string{"alt": "x"}, []byte("x"))
		w = f.do(t, "POST", "/blog/upload", ct, body, true, "Accept", "application/json")
		var problem map[string]string
		_ = json.Unmarshal(w.Body.Bytes(), &problem)
		if w.Code != c.status || problem["error"] != c.want {
			t.Errorf("%v: %d %q, want %d %q", c.err, w.Code, problem["error"], c.status, c.want)
		}
	}
	f.imageErr = nil
	ct, body = multipartForm(t, nil, bytes.Repeat([]byte("x"), maxUploadBytes+1))
	w = f.do(t, "POST", "/blog/upload", ct, body, true, "Accept", "application/json")
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "That picture could not be used: it is too large.") {
		t.Errorf("an upload over the request cap: %d %s", w.Code, w.Body.String())
	}
	ct, body = multipartForm(t, nil, nil)
	w = f.do(t, "POST", "/blog/upload", ct, body, true, "Accept", "application/json")
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Choose an image file") {
		t.Errorf("upload without a file: %d %s", w.Code, w.Body.String())
	}
}
