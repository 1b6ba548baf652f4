package main

import (
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"roost/feed"
)

// TestOwnerFlowsInTheBrowser walks the owner's main flows in Chromium at a
// desktop and a phone width, with JavaScript on and off, through the forms
// a person uses: sign in, write a note, like and boost a post on /home and reply to
// it, look at contacts, notifications and search, change the display name,
// publish an article, sign out. After each step it checks what the page shows.
func TestOwnerFlowsInTheBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		clientMissing(t, "this test needs Debian's chromium (apt-get install chromium)")
	}
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	follow(t, alice, bob)
	follow(t, bob, alice)
	ctx := newBrowserFor(t, 3*time.Minute, chromium, chromedp.Flag("host-resolver-rules", "MAP alice.test:80 "+alice.Addr))

	for _, width := range []int64{1280, 390} {
		for _, js := range []bool{true, false} {
			run := fmt.Sprintf("%dpx, JavaScript %s", width, map[bool]string{true: "on", false: "off"}[js])
			mark := strings.NewReplacer(" ", "-", ",", "").Replace(run)
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
				b := &flowBrowser{t: t, ctx: ctx, base: alice.Base}

				b.open("/login")
				b.fill("#password", testPassword)
				b.submit(`form[action="/login"] button[type="submit"]`)
				b.shows("signed in", "Log out")

				note := "Tulips at dawn " + mark
				b.open("/write")
				b.fill("#note-text", note)
				// The composer's script counts characters: it runs only when
				// scripts do, so this tells the two walks apart.
				if counted := strings.Contains(b.text("main"), "characters left"); counted != js {
					t.Errorf("the character counter is shown: %v, with JavaScript on: %v", counted, js)
				}
				b.submit(`main form button[type="submit"]`)
				b.present("the new note's page", `[data-testid="note-page"]`)
				if got := b.text(`[data-testid="note-page"]`); !strings.Contains(got, note) {
					t.Errorf("after posting, the page shows %q", got)
				}

				bobNote := "Roses from bob " + mark
				bn, err := bob.feed.Create(context.Background(), feed.NoteInput{Text: bobNote, Visibility: feed.VisibilityPublic})
				if err != nil {
					t.Fatal(err)
				}
				eventually(t, federationWait, "bob's note reaches alice's home", homeShows(t, alice, bobNote))
				b.open("/home")
				b.shows("home", bobNote)
				b.submit(fmt.Sprintf(`form[data-testid="like"]:has(input[value=%q]) button`, bn.URL))
				// With JavaScript the like may be sent in place; either way
				// the post then says it is liked.
				b.present("the like", fmt.Sprintf(`form[data-testid="unlike"]:has(input[value=%q]) button`, bn.URL))
				if got := b.text(fmt.Sprintf(`form[data-testid="unlike"]:has(input[value=%q]) button`, bn.URL)); got != "Liked" {
					t.Errorf("the liked post's button says %q", got)
				}
				eventually(t, federationWait, "alice's like is counted on bob's note", func() bool {
					n, err := bob.feed.Get(context.Background(), bn.ID)
					return err == nil && n.Likes == 1
				})

				b.submit(fmt.Sprintf(`form[data-testid="boost"]:has(input[value=%q]) button`, bn.URL))
				b.present("the boost", fmt.Sprintf(`form[data-testid="unboost"]:has(input[value=%q]) button`, bn.URL))
				eventually(t, federationWait, "alice's boost is counted on bob's note", func() bool {
					n, err := bob.feed.Get(context.Background(), bn.ID)
					return err == nil && n.Boosts == 1
				})

				b.submit(fmt.Sprintf(`a[data-testid="reply"][href=%q]`, "/write?reply_to="+url.QueryEscape(bn.URL)))
				reply := "Lovely roses " + mark
				b.fill("#note-text", reply)
				b.submit(`main form button[type="submit"]`)
				b.present("the reply's page", `[data-testid="note-page"]`)
				if got := b.text(`[data-testid="note-page"]`); !strings.Contains(got, reply) || !strings.Contains(got, "Replying to") {
					t.Errorf("the reply's page shows %q", got)
				}

				b.open("/contacts")
				b.shows("contacts", "@bob.test@bob.test")
				b.open("/notifications")
				b.shows("notifications", "followed you")
				b.open("/search?q=dawn")
				b.shows("search results", note)

				name := "Alice " + mark
				b.open("/settings/profile")
				b.do("clear the name", chromedp.Clear("#name"))
				b.fill("#name", name)
				b.submit(`form[action="/settings/profile"] button[type="submit"]`)
				b.shows("the saved profile", "Saved.")
				b.open("/")
				b.shows("the front page with the new name", name)

				title := "On tulips " + mark
				b.open("/blog/new")
				b.fill("#title", title)
				b.fill("#body", "Plant them *deep* in autumn.")
				b.submit(`main form button[type="submit"]:not([formaction])`)
				b.present("the published article", `[data-testid="blog-article"] h1`)
				b.shows("the published article", "Plant them deep in autumn.")
				if got := b.text(`[data-testid="blog-article"] h1`); got != title {
					t.Errorf("the article's heading is %q, want %q", got, title)
				}
				b.open("/blog/")
				b.shows("the blog index", title)

				b.submit(`form[action="/logout"] button`)
				b.shows("signed out", "Log in")
				b.open("/write")
				b.shows("the login page for a signed-out visitor", "Password")
			})
		}
	}
}

// flowBrowser drives one tab through pages of a site, failing the test on
// the first step that does not work.
type flowBrowser struct {
	t    *testing.T
	ctx  context.Context
	base string
}

func (b *flowBrowser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func (b *flowBrowser) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path))
}

func (b *flowBrowser) fill(sel, value string) {
	b.t.Helper()
	b.do("fill "+sel, chromedp.WaitVisible(sel), chromedp.SendKeys(sel, value))
}

func (b *flowBrowser) submit(sel string) {
	b.t.Helper()
	b.do("click "+sel, chromedp.WaitVisible(sel), chromedp.Click(sel))
}

// present waits until an element matching sel is on the page.
func (b *flowBrowser) present(what, sel string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitReady(sel)); err != nil {
		b.t.Fatalf("%s: no %s on the page: %v", what, sel, err)
	}
}

// text is what the first element matching sel shows.
func (b *flowBrowser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(sel))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// shows waits until the page's text holds want: a click may load a new
// page or change this one in place.
func (b *flowBrowser) shows(what, want string) {
	b.t.Helper()
	var got string
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s, err := chromedp.Run(b.ctx, chromedp.Text("body"))
		if err == nil && strings.Contains(s, want) {
			return
		}
		got = s
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("%s: the page does not show %q; it shows:\n%s", what, want, got)
}
