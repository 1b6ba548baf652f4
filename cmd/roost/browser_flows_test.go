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

// TestProfileMenuAndContactsInTheBrowser looks at what a visitor and the
// owner see of the profile and the contacts book, at 1280 and 390 px with
// JavaScript on and off: the header icon and the avatar load small variants
// of the avatar, the handle reads @alice.test with the long form to copy,
// the menu's pages fit one row on a phone (behind "More"), the contacts
// tabs fit one row, a group is renamed from its Rename disclosure, a name
// on /home opens the contact page, and the notification badge clears once
// /notifications is open.
func TestProfileMenuAndContactsInTheBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		clientMissing(t, "this test needs Debian's chromium (apt-get install chromium)")
	}
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	follow(t, alice, bob)
	follow(t, bob, alice)
	dressProfile(t, alice)
	// A photo weighs what a phone's picture does, for the measurement.
	if code, body := uploadProfilePictures(t, alice, map[string][]byte{"avatar": photo(t, 400, 400)}); code != 303 {
		t.Fatalf("avatar: %d %s", code, body)
	}
	pr, err := alice.profiles.Get(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	_, avatar := fetchBytes(t, alice.client(tn), pr.AvatarURL)
	_, header := fetchBytes(t, alice.client(tn), pr.HeaderURL)
	if _, err := alice.feed.Create(t.Context(), feed.NoteInput{Text: "My own note, not a group's", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
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

				// A visitor's front page.
				b.open("/")
				b.present("the profile", `[data-testid=profile] img.avatar`)
				b.waitFor("the pictures to load", `String([...document.images].every(i => i.complete))`)
				icon := b.eval(`document.querySelector(".site-header img.avatar-sm").currentSrc`)
				big := b.eval(`document.querySelector("[data-testid=profile] img.avatar").currentSrc`)
				if !strings.Contains(icon, ".s48.") && !strings.Contains(icon, ".s96.") {
					t.Errorf("the header icon loads %s, want the 48 or 96 px variant", icon)
				}
				if !strings.Contains(big, ".s96.") && !strings.Contains(big, ".s192.") {
					t.Errorf("the profile avatar loads %s, want the 96 or 192 px variant", big)
				}
				weight := b.eval(`String(performance.getEntriesByType("resource").filter(e => e.initiatorType === "img").reduce((n, e) => n + e.encodedBodySize, 0))`)
				// Before variants the page loaded the avatar and the header
				// themselves.
				t.Logf("images of the front page: %s bytes; the avatar and header themselves: %d + %d bytes", weight, len(avatar), len(header))

				if got := b.text(`[data-testid=profile] [data-testid=handle]`); got != "@alice.test" {
					t.Errorf("the profile's handle reads %q", got)
				}
				if got := b.text(`[data-testid=long-handle] code`); got != "@alice.test@alice.test" {
					t.Errorf("the long handle reads %q", got)
				}
				clipboard := b.eval(`String(!!navigator.clipboard)`) == "true"
				shown := b.eval(`String(!document.querySelector("button[data-copy]").hidden)`) == "true"
				if shown != (js && clipboard) {
					t.Errorf("the Copy button shows: %v (scripts %v, clipboard %v)", shown, js, clipboard)
				}

				// The menu's pages: in the row on a wide screen, behind
				// "More" on a phone, and one row there.
				if width > 600 {
					b.present("the About link", `.site-header li.nav-page a[href^="/blog/about"]`)
					if v := b.eval(`String(document.querySelector(".site-header li.nav-page").offsetParent !== null)`); v != "true" {
						t.Error("the About link is hidden on a wide screen")
					}
				} else {
					if v := b.eval(`String(document.querySelector(".site-header li.nav-page").offsetParent === null)`); v != "true" {
						t.Error("the menu's pages sit in the phone's row instead of behind More")
					}
					if rows := b.eval(`String(new Set([...document.querySelectorAll(".site-header nav > ul > li")].filter(li => li.offsetParent !== null).map(li => Math.round(li.getBoundingClientRect().top))).size)`); rows != "1" {
						t.Errorf("the visitor's menu takes %s rows on a phone, want one", rows)
					}
					b.submit(`.nav-more summary`)
					b.submit(`.nav-more a[href^="/blog/about"]`)
					b.shows("the About page", "What this page is about.")
				}

				// The owner's contacts book.
				loggedIn(t, ctx, alice, alice.Host)
				b.open("/contacts")
				b.present("the tabs", `[data-testid=tabs]`)
				if rows := b.eval(`String(new Set([...document.querySelectorAll("[data-testid=tabs] a")].map(a => Math.round(a.getBoundingClientRect().top))).size)`); rows != "1" {
					t.Errorf("the contacts tabs sit on %s rows: %s", rows, b.eval(`[...document.querySelectorAll("[data-testid=tabs] a")].map(a => Math.round(a.getBoundingClientRect().width)).join(" ") + " in " + document.querySelector("[data-testid=tabs]").clientWidth`))
				}
				if width > 600 && b.eval(`(t => String(t.scrollWidth <= t.clientWidth))(document.querySelector("[data-testid=tabs]"))`) != "true" {
					t.Errorf("the contacts tabs do not all fit a wide screen: %s", b.eval(`(t => t.scrollWidth + " > " + t.clientWidth)(document.querySelector("[data-testid=tabs]"))`))
				}
				if w := b.eval(`String(Math.round(document.querySelector("[data-testid=search] button").getBoundingClientRect().width))`); b.eval(`String(`+w+` <= 160)`) != "true" {
					t.Errorf("the search button is %s px wide, stretched", w)
				}

				group := "Gardeners " + mark
				if _, err := alice.contacts.CreateGroup(t.Context(), group); err != nil {
					t.Fatal(err)
				}
				b.open("/contacts/groups")
				row := fmt.Sprintf(`[data-testid=group][data-group=%q]`, group)
				b.present("the group", row)
				if v := b.eval(fmt.Sprintf(`String(document.querySelector(%q).checkVisibility())`, row+` input[name=title]`)); v != "false" {
					t.Error("the rename box is open before Rename is clicked")
				}
				b.submit(row + ` summary`)
				renamed := "Growers " + mark
				b.do("clear the group's name", chromedp.Clear(row+` input[name=title]`))
				b.fill(row+` input[name=title]`, renamed)
				b.submit(row + ` form[action="/contacts/groups/rename"] button`)
				b.present("the renamed group", fmt.Sprintf(`[data-testid=group][data-group=%q]`, renamed))

				// A name on /home leads to the contact page.
				bobNote := "Hello from bob " + mark
				if _, err := bob.feed.Create(t.Context(), feed.NoteInput{Text: "@alice.test@alice.test " + bobNote, Visibility: feed.VisibilityPublic}); err != nil {
					t.Fatal(err)
				}
				eventually(t, federationWait, "bob's mention reaches alice", homeShows(t, alice, bobNote))
				b.open("/home")
				b.present("the unread badge", `.site-header .badge`)
				sel := `[data-testid=post] [data-testid=author][href^="/contacts/view"]`
				b.present("a link to bob's contact page", sel)
				b.submit(sel)
				b.present("bob's contact page", `[data-testid=contact-handle]`)
				if got := b.text(`[data-testid=contact-handle]`); got != "@bob.test@bob.test" {
					t.Errorf("the author's name opened the page of %q", got)
				}

				// The badge clears when the notifications are open, and
				// stays cleared.
				b.open("/notifications")
				b.shows("notifications", "mentioned you")
				if n := b.eval(`String(document.querySelectorAll(".site-header .badge").length)`); n != "0" {
					t.Error("the unread badge is still shown on /notifications")
				}
				b.open("/home")
				if n := b.eval(`String(document.querySelectorAll(".site-header .badge").length)`); n != "0" {
					t.Error("the unread badge is back after visiting /notifications")
				}
			})
		}
	}
}
