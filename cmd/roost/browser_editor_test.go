package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"roost/blog"
)

// TestEditorsInTheBrowser writes in the blog editor and the note composer
// at 1280 and 390 px, with JavaScript on and off. With it: the live preview
// sits beside the text on the wide screen and behind a Preview toggle on the
// phone, a new post is saved as a draft when the text loses focus, "Upload
// and insert" puts the image at the cursor without a reload, leaving a
// published post with unsaved changes asks first while saving does not,
// and the composer's Post button is disabled over the limit. Without it the
// same buttons post the form, and a note refused for its length keeps the
// image chosen with it.
func TestEditorsInTheBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		clientMissing(t, "this test needs Debian's chromium (apt-get install chromium)")
	}
	alice := startTestSite(t, newTestNet(), "alice.test", "")
	picture := filepath.Join(t.TempDir(), "crocus.png")
	var pic bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 60, 40))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	if err := png.Encode(&pic, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(picture, pic.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := newBrowserFor(t, 4*time.Minute, chromium, chromedp.Flag("host-resolver-rules", "MAP alice.test:80 "+alice.Addr))
	// Script errors are kept in the page, so a failing step can name them.
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__errors = []; addEventListener("error", (e) => window.__errors.push(String(e.message)));`}); err != nil {
		t.Fatal(err)
	}
	// Dialogs (the warning before leaving) are seen here and dismissed from
	// another goroutine: the listener must not run commands itself.
	dialogs := make(chan cdppage.DialogType, 4)
	if err := chromedp.Listen(ctx, func(ev any) {
		if d, ok := ev.(*cdppage.EventJavascriptDialogOpening); ok {
			select {
			case dialogs <- d.Type:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}

	for _, width := range []int64{1280, 390} {
		for _, js := range []bool{true, false} {
			run := fmt.Sprintf("%dpx, JavaScript %s", width, map[bool]string{true: "on", false: "off"}[js])
			t.Run(run, func(t *testing.T) {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900)); err != nil {
					t.Fatal(err)
				}
				if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !js}); err != nil {
					t.Fatal(err)
				}
				if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
					t.Fatal(err)
				}
				loggedIn(t, ctx, alice, alice.Host)
				b := &flowBrowser{t: t, ctx: ctx, base: alice.Base}
				mark := fmt.Sprintf("%d %v", width, js)
				if js {
					editorWithScript(t, b, alice, width, picture, mark, dialogs)
					composerWithScript(t, b)
				} else {
					editorWithoutScript(t, b, picture, mark)
					composerWithoutScript(t, b, alice, picture, mark)
				}
			})
		}
	}
}

func editorWithScript(t *testing.T, b *flowBrowser, alice *testSite, width int64, picture, mark string, dialogs chan cdppage.DialogType) {
	b.open("/blog/new")
	b.present("the editor", `[data-testid="blog-editor"]`)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("script errors on the last page: %s", b.eval(`JSON.stringify(window.__errors)`))
		}
	})
	if width >= 1100 {
		b.soon("the live preview", chromedp.WaitVisible(`#live-preview`))
		b.soon("the Preview button hidden", chromedp.WaitNotVisible(`[data-testid="preview-button"]`))
		beside := b.eval(`document.getElementById("live-preview").getBoundingClientRect().left >= document.getElementById("body").getBoundingClientRect().right`)
		if beside != "true" {
			t.Error("the live preview is not beside the text")
		}
	} else {
		if b.eval(`document.getElementById("live-preview").hidden`) != "true" {
			t.Error("the preview is shown on a phone before it is asked for")
		}
		b.submit(`[data-testid="preview-button"]`)
		b.soon("the preview below the text", chromedp.WaitVisible(`#live-preview`))
		if b.eval(`document.getElementById("live-preview").getBoundingClientRect().top >= document.getElementById("body").getBoundingClientRect().bottom`) != "true" {
			t.Error("the phone's preview is not below the text")
		}
		if got := b.eval(`document.querySelector('[data-testid="preview-button"]').getAttribute("aria-expanded")`); got != "true" {
			t.Errorf("the Preview toggle says aria-expanded=%s", got)
		}
	}
	title := "Bulbs " + mark
	b.fill("#title", title)
	b.fill("#body", "Plant *crocus* first.")
	b.waitFor("the live preview of the text", `document.querySelector("#live-preview em")?.textContent === "crocus"`)

	// Leaving the text saves a draft, and the editor moves to it.
	b.do("leave the text", chromedp.Focus("#tags"))
	b.waitFor("the autosave", `document.getElementById("autosave-status").textContent.startsWith("Draft saved")`)
	slug := blog.Slugify(title)
	if loc := b.eval(`location.pathname`); loc != "/blog/"+slug+"/edit" {
		t.Errorf("after the autosave the editor is at %s", loc)
	}
	// Leaving the title may have saved a first draft already; the text's
	// own save follows.
	eventually(t, 10*time.Second, "the draft holds the text", func() bool {
		a, err := alice.blog.BySlug(context.Background(), slug)
		return err == nil && a.Draft && a.Body == "Plant *crocus* first."
	})

	// The image goes where the cursor is, and the page stays.
	b.eval(`(() => { window.stayed = true; document.getElementById("body").setSelectionRange(6, 6); return "" })()`)
	b.do("choose the image", chromedp.SetUploadFiles("#image", []string{picture}))
	b.fill("#alt", "A crocus")
	b.submit(`[data-testid="upload-insert"]`)
	b.waitFor("the inserted image", `document.getElementById("body").value.includes("![A crocus]")`)
	if got := b.eval(`document.getElementById("body").value`); !strings.HasPrefix(got, "Plant ![A crocus](<") || !strings.HasSuffix(got, ">)*crocus* first.") {
		t.Errorf("the text after inserting: %q", got)
	}
	if b.eval(`String(window.stayed)`) != "true" {
		t.Error("Upload and insert reloaded the page")
	}
	b.waitFor("the preview of the image", `!!document.querySelector('#live-preview img[alt="A crocus"]')`)

	// Publishing from the autosaved draft asks nothing and publishes it.
	b.submit(`[data-testid="publish"]`)
	b.present("the published article", `[data-testid="blog-article"] img[alt="A crocus"]`)
	if a, err := alice.blog.BySlug(context.Background(), slug); err != nil || a.Draft {
		t.Fatalf("after Publish: %+v %v", a, err)
	}

	// A published post is not saved as it is typed: leaving it asks first.
	b.open("/blog/" + slug + "/edit")
	b.fill("#body", " More soon.")
	b.do("leave the text", chromedp.Focus("#tags"))
	drain(dialogs)
	go func() {
		// The warning holds the navigation until it is answered: stay.
		select {
		case typ := <-dialogs:
			dialogs <- typ
			_, _ = chromedp.Call(b.ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
		case <-time.After(5 * time.Second):
		}
	}()
	leave, cancel := context.WithTimeout(b.ctx, 3*time.Second)
	_ = chromedp.Do(leave, chromedp.Navigate(b.base+"/blog/"))
	cancel()
	time.Sleep(300 * time.Millisecond)
	select {
	case typ := <-dialogs:
		if typ != cdppage.DialogTypeBeforeunload {
			t.Errorf("leaving showed a %s dialog", typ)
		}
	default:
		t.Error("leaving a published post with unsaved changes did not ask")
	}
	if loc := b.eval(`location.pathname`); loc != "/blog/"+slug+"/edit" {
		t.Errorf("after staying the browser is at %s", loc)
	}
	if a, _ := alice.blog.BySlug(context.Background(), slug); strings.Contains(a.Body, "More soon") {
		t.Error("the published post was saved without its Save button")
	}
	b.submit(`main form button[type="submit"]:not([formaction]):not([data-testid])`)
	b.present("the saved article", `[data-testid="blog-article"]`)
	b.shows("the saved article", "More soon.")
}

func composerWithScript(t *testing.T, b *flowBrowser) {
	b.open("/write")
	b.present("the composer", "#note-text")
	b.eval(`(() => { const t = document.getElementById("note-text"); t.value = "x".repeat(501); t.dispatchEvent(new Event("input")); return "" })()`)
	post := `document.querySelector('[data-testid="note-form"] button[type="submit"]')`
	if b.eval(post+`.disabled`) != "true" {
		t.Error("the Post button is enabled over the limit")
	}
	if got := b.text(".counter"); got != "1 characters over the limit" {
		t.Errorf("the counter says %q", got)
	}
	if live := b.eval(`document.querySelector(".counter").getAttribute("aria-live")`); live != "polite" {
		t.Errorf("the counter is aria-live=%s", live)
	}
	b.eval(`(() => { const t = document.getElementById("note-text"); t.value = "x".repeat(500); t.dispatchEvent(new Event("input")); return "" })()`)
	if b.eval(post+`.disabled`) != "false" {
		t.Error("the Post button stays disabled at the limit")
	}
}

func editorWithoutScript(t *testing.T, b *flowBrowser, picture, mark string) {
	b.open("/blog/new")
	b.present("the editor", `[data-testid="blog-editor"]`)
	b.present("the Preview button", `[data-testid="preview-button"]`)
	if hidden, _ := chromedp.Run(b.ctx, chromedp.AttributeValue(`#live-preview`, "hidden")); !hidden.Exists {
		t.Error("the live preview panel is shown without script")
	}
	b.fill("#title", "Plain "+mark)
	b.fill("#body", "Plant *crocus* first.")
	b.submit(`[data-testid="preview-button"]`)
	b.present("the preview page", `[data-testid="blog-preview"] em`)
	if got := b.text(`[data-testid="blog-preview"] em`); got != "crocus" {
		t.Errorf("the preview shows %q", got)
	}
	b.do("choose the image", chromedp.SetUploadFiles("#image", []string{picture}))
	b.fill("#alt", "A crocus")
	b.submit(`[data-testid="upload-insert"]`)
	b.shows("the upload", "Image uploaded and added to the end of the text.")
	if got, _ := chromedp.Run(b.ctx, chromedp.Value("#body")); !strings.HasPrefix(got, "Plant *crocus* first.\n\n![A crocus](<") {
		t.Errorf("the text after the upload: %q", got)
	}
}

func composerWithoutScript(t *testing.T, b *flowBrowser, alice *testSite, picture, mark string) {
	b.open("/write")
	b.present("the composer", "#note-text")
	b.fill("#note-text", strings.Repeat("y", 501))
	b.do("open the images", chromedp.Click(`details.add-images summary`))
	b.do("choose the image", chromedp.SetUploadFiles("#media-0", []string{picture}))
	b.fill("#alt-0", "A crocus "+mark)
	b.submit(`[data-testid="note-form"] button[type="submit"]`)
	b.present("the refusal", `[data-testid="problem"]`)
	b.shows("the refusal", "the limit is 500")
	b.present("the kept image", `[data-testid="pending-media"] img`)
	if alt, _ := chromedp.Run(b.ctx, chromedp.Value(`#pending-alt-0`)); alt != "A crocus "+mark {
		t.Errorf("the kept image's description is %q", alt)
	}
	b.do("shorten the note", chromedp.Clear("#note-text"))
	b.fill("#note-text", "Crocus "+mark)
	b.submit(`[data-testid="note-form"] button[type="submit"]`)
	b.present("the note with the image", `[data-testid="note-page"] img[alt="A crocus `+mark+`"]`)
}

// soon is do with a deadline, for steps that wait for the page.
func (b *flowBrowser) soon(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval runs a script expression in the page and gives its value as text.
func (b *flowBrowser) eval(expr string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return fmt.Sprint(v)
}

// waitFor waits until a script expression is true in the page.
func (b *flowBrowser) waitFor(what, expr string) {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && v {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("%s: %s never held", what, expr)
}

func drain(c chan cdppage.DialogType) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
}
