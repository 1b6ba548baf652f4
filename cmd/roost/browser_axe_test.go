package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"roost/blog"
	"roost/feed"
)

// The accessibility suite: every main page, at a desktop and a phone width,
// in the light and the dark scheme, is checked by axe-core (the engine
// behind most accessibility audits) inside Chromium. A critical or serious
// finding fails the test: those are the ones that keep someone using a
// screen reader, the keyboard only or low vision from using the page.

const axeDir = "testdata/axe"

var axeInstall sync.Mutex

// axeSource returns axe-core's script, running npm ci in testdata/axe first
// when it is not installed; package-lock.json pins the version.
func axeSource(t *testing.T) string {
	t.Helper()
	requireNode(t)
	axeInstall.Lock()
	defer axeInstall.Unlock()
	script := filepath.Join(axeDir, "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(script); err != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = axeDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", axeDir, err, out)
		}
	}
	b, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// axeFinding is one rule a page breaks, as axe reports it.
type axeFinding struct {
	ID, Impact, Help string
	Nodes            []struct {
		Target         []any
		FailureSummary string
	}
}

// runAxe checks the loaded page with axe, which the test adds to every
// document through the DevTools protocol: the site's
// Content-Security-Policy would block a script tag. WCAG A and AA rules and
// axe's best practices are run.
func runAxe(ctx context.Context) ([]axeFinding, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[[]axeFinding](`axe.run(document, {
		resultTypes: ["violations"],
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}
	}).then(r => r.violations)`, chromedp.EvalAwaitPromise))
}

// a11yPage is a page the suite visits, by what it is and its path.
type a11yPage struct{ name, path string }

// a11ySite starts alice's site with something on every page: a note and a
// reply to it (a thread), an article, a follow of bob and bob's note on her
// home, a group, a notification. It returns the pages to check.
func a11ySite(t *testing.T) (*testSite, []a11yPage) {
	t.Helper()
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	ctx := context.Background()
	follow(t, alice, bob)
	follow(t, bob, alice)
	if _, err := bob.feed.Create(ctx, feed.NoteInput{Text: "Bob's garden is in bloom #gardening", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	first, err := alice.feed.Create(ctx, feed.NoteInput{Text: "Planting tulips today #gardening", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := alice.feed.Create(ctx, feed.NoteInput{Text: "They came up!", Visibility: feed.VisibilityPublic, InReplyTo: first.URL})
	if err != nil {
		t.Fatal(err)
	}
	article, err := alice.blog.Create(ctx, blog.ArticleInput{Title: "Notes on tulips", Body: "Plant them *deep*.\n\n## When\n\nIn autumn.", Summary: "How to plant tulips"})
	if err != nil {
		t.Fatal(err)
	}
	draft, err := alice.blog.Create(ctx, blog.ArticleInput{Title: "Bulbs for spring", Draft: true, Tags: []string{"gardening"},
		Body: "Plant *crocus* first, then tulips.\n\n## Where\n\n- under the apple tree\n- along the path\n\n> Deep enough that the squirrels give up."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := alice.contacts.CreateGroup(ctx, "Gardeners"); err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "bob's note reaches alice's home", homeShows(t, alice, "in bloom"))
	path := func(u string) string {
		p, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		return p.Path
	}
	return alice, []a11yPage{
		{"front", "/"},
		{"blog", "/blog/"},
		{"article", path(article.URL)},
		{"note", path(first.URL)},
		{"reply", path(reply.URL)},
		{"thread", "/home/thread?" + url.Values{"object": {reply.URL}}.Encode()},
		{"home", "/home"},
		{"notes", "/notes/"},
		{"contacts", "/contacts"},
		{"contact", "/contacts/view?" + url.Values{"actor": {bob.fed.ActorID()}}.Encode()},
		{"groups", "/contacts/groups"},
		{"notifications", "/notifications"},
		{"search", "/search?q=tulips"},
		{"write", "/write"},
		{"editor", "/blog/" + draft.Slug + "/edit"},
		{"settings", "/settings"},
		{"settings-profile", "/settings/profile"},
		{"settings-site", "/settings/site"},
		{"settings-data", "/settings/data"},
		{"settings-account", "/settings/account"},
		{"404", "/no/such/page"},
	}
}

// TestMainPagesPassAxe runs axe on every main page at 1280 and 390 px,
// light and dark, signed in as the owner (the login page signed out).
// With ROOST_SCREENSHOTS=dir it also saves a full-page screenshot of each.
func TestMainPagesPassAxe(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		clientMissing(t, "this test needs Debian's chromium (apt-get install chromium)")
	}
	source := axeSource(t)
	ts, pages := a11ySite(t)
	shots := os.Getenv("ROOST_SCREENSHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx := newBrowserFor(t, 4*time.Minute, chromium, chromedp.Flag("host-resolver-rules", "MAP alice.test:80 "+ts.Addr))
	// axe comes with every page the browser loads from here on.
	_, err = chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: source})
	if err != nil {
		t.Fatal(err)
	}

	check := func(width int64, scheme string, p a11yPage) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(ts.Base+p.path)); err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		// axe counts a missing h1 as moderate, but a screen reader user
		// finds where the page starts by it.
		if h1, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("h1").length`)); err != nil || h1 != 1 {
			t.Errorf("%s (%s) has %d h1 headings, want 1 (%v)", p.name, p.path, h1, err)
		}
		findings, err := runAxe(ctx)
		if err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		for _, f := range findings {
			if f.Impact != "critical" && f.Impact != "serious" {
				continue
			}
			var where []string
			for i, n := range f.Nodes {
				if i == 3 {
					where = append(where, fmt.Sprintf("and %d more", len(f.Nodes)-3))
					break
				}
				where = append(where, fmt.Sprintf("%v: %s", n.Target, strings.ReplaceAll(n.FailureSummary, "\n", " ")))
			}
			t.Errorf("%s (%s) at %dpx, %s: %s %s (%s)\n\t%s", p.name, p.path, width, scheme, f.Impact, f.ID, f.Help, strings.Join(where, "\n\t"))
		}
		if shots != "" {
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot %s: %v", p.path, err)
			}
			name := fmt.Sprintf("%s-%d-%s.png", p.name, width, scheme)
			if err := os.WriteFile(filepath.Join(shots, name), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}

	for _, width := range []int64{1280, 390} {
		for _, scheme := range []string{"light", "dark"} {
			height := int64(900)
			if width < 600 {
				height = 844
			}
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
				t.Fatal(err)
			}
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
			if err != nil {
				t.Fatal(err)
			}
			// Signed out first: the login page as a visitor sees it.
			if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
				t.Fatal(err)
			}
			check(width, scheme, a11yPage{"login", "/login"})
			loggedIn(t, ctx, ts, ts.Host)
			for _, p := range pages {
				check(width, scheme, p)
			}
		}
	}
}
