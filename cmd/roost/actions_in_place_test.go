package main

import (
	"context"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"roost/feed"
)

// With JavaScript, liking a post far down /home updates that post where
// it is: the count changes, the page neither reloads nor scrolls.
func TestLikeInPlaceKeepsTheScroll(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		clientMissing(t, "this test needs Debian's chromium (apt-get install chromium)")
	}
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	follow(t, alice, bob)
	for i := range 12 {
		if _, err := bob.feed.Create(context.Background(), feed.NoteInput{Text: fmt.Sprintf("Note from Bob number %d", i), Visibility: feed.VisibilityPublic}); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, federationWait, "alice sees bob's notes", homeShows(t, alice, "Note from Bob number 0"))

	ctx := newBrowser(t, chromium, chromedp.WindowSize(1000, 700), chromedp.Flag("host-resolver-rules", "MAP alice.test:80 "+alice.Addr))
	loggedIn(t, ctx, alice, alice.Host)
	if err := chromedp.Do(ctx, chromedp.Navigate(alice.Base+"/home"), chromedp.WaitVisible(`[data-testid="post"]`)); err != nil {
		t.Fatal(err)
	}
	// The oldest note is the last post on the page, well below the fold.
	const target = `[...document.querySelectorAll('[data-testid="post"]')].at(-1)`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__marker = 1; `+target+`.scrollIntoView(); window.scrollBy(0, -100); true`)); err != nil {
		t.Fatal(err)
	}
	before, err := chromedp.Run(ctx, chromedp.Evaluate[float64]("window.scrollY"))
	if err != nil || before < 200 {
		t.Fatalf("the page did not scroll (%v, %v): too few posts?", before, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](target+`.querySelector('form[data-testid="like"] button').click(); true`)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		liked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](target+`.querySelector('[data-testid="likes"]').textContent.startsWith("1 like") && `+
			target+`.querySelector('form[data-testid="unlike"]') !== null`))
		if err == nil && liked {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the post did not turn liked in place (%v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	after, err := chromedp.Run(ctx, chromedp.Evaluate[float64]("window.scrollY"))
	if err != nil || after != before {
		t.Errorf("scroll moved from %v to %v (%v)", before, after, err)
	}
	same, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("window.__marker === 1 && location.hash === ''"))
	if err != nil || !same {
		t.Errorf("the page was reloaded or navigated (%v)", err)
	}
}
