package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

// sendWebmention posts source and target to a site's endpoint.
func sendWebmention(t *testing.T, c *http.Client, ts *testSite, source, target string) int {
	t.Helper()
	resp, err := c.PostForm(ts.Base+"/webmention", url.Values{"source": {source}, "target": {target}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

var deleteButton = regexp.MustCompile(`action="(/blog/comments/\d+/delete)"`)

// A web page replies to one of the owner's notes: the note page advertises
// the endpoint, shows the reply, holds it for approval when the site holds
// comments, and the owner can delete it.
func TestWebmentionToANoteIsShownUnderIt(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	note := postNote(t, alice, "Which tomatoes grow best on a balcony?")
	visitor := alice.client(tn)
	resp, err := visitor.Get(note)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if link := resp.Header.Get("Link"); !strings.Contains(link, `<`+alice.Base+`/webmention>; rel="webmention"`) {
		t.Fatalf("note Link header = %q", link)
	}

	web := &webPage{}
	web.set(http.StatusOK, `<article class="h-entry"><a class="u-in-reply-to" href="`+note+`">re</a>
		<a class="p-author h-card" href="http://fern.test/">Fern Feeds</a>
		<div class="e-content">Cherry tomatoes, always.</div></article>`)
	tn.add("fern.test", serveLoopback(t, web))
	if code := sendWebmention(t, visitor, alice, "http://fern.test/reply", note); code != http.StatusAccepted {
		t.Fatalf("webmention to a note answered %d", code)
	}
	if code := sendWebmention(t, visitor, alice, "http://fern.test/reply", alice.Base+"/notes/99999"); code != http.StatusBadRequest {
		t.Fatalf("webmention to a note that does not exist answered %d", code)
	}
	eventually(t, federationWait, "the web reply is shown under the note", func() bool {
		body, _ := page(t, visitor, note)
		return strings.Contains(body, "Cherry tomatoes, always.") && strings.Contains(body, "A web reply")
	})

	if body, _ := page(t, alice.Owner, alice.Base+"/notifications"); !strings.Contains(body, "Cherry tomatoes, always.") {
		t.Error("the owner was not notified of the web reply")
	}

	// Held for approval, as comments on articles are.
	settings := alice.settings.Get()
	settings.HoldComments = true
	if err := alice.settings.Save(context.Background(), settings); err != nil {
		t.Fatal(err)
	}
	web.set(http.StatusOK, `<div class="h-entry"><a class="u-like-of" href="`+note+`">liked</a>
		<a class="p-author h-card" href="http://fern.test/">Fern Feeds</a></div>`)
	if code := sendWebmention(t, visitor, alice, "http://fern.test/like", note); code != http.StatusAccepted {
		t.Fatalf("second webmention answered %d", code)
	}
	eventually(t, federationWait, "the owner sees the like awaiting approval", func() bool {
		body, _ := page(t, alice.Owner, note)
		return strings.Contains(body, "Liked this") && strings.Contains(body, "Awaiting approval")
	})
	if body, _ := page(t, visitor, note); strings.Contains(body, "Liked this") {
		t.Error("a held like is shown to visitors")
	}

	body, _ := page(t, alice.Owner, note)
	m := deleteButton.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the owner has no delete button under the web reply")
	}
	if code := postForm(t, alice.Owner, alice.Base+m[1], url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("delete: %d", code)
	}
	if body, _ := page(t, visitor, note); strings.Contains(body, "Cherry tomatoes, always.") {
		t.Error("the deleted web reply is still shown")
	}
}

// countingPage counts the fetches of a webPage.
type countingPage struct {
	*webPage
	hits atomic.Int32
}

func (c *countingPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.hits.Add(1)
	c.webPage.ServeHTTP(w, r)
}

// A Webmention whose source was down when it arrived is still checked
// after the site restarts.
func TestPendingWebmentionSurvivesARestart(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	article := publishArticle(t, alice, "Seedlings", "Started today.")
	web := &countingPage{webPage: &webPage{}}
	web.set(http.StatusServiceUnavailable, "down for maintenance")
	tn.add("fern.test", serveLoopback(t, web))
	if code := sendWebmention(t, alice.client(tn), alice, "http://fern.test/post", article); code != http.StatusAccepted {
		t.Fatalf("webmention answered %d", code)
	}
	eventually(t, federationWait, "the source is tried", func() bool { return web.hits.Load() > 0 })

	alice = restartTestSite(t, tn, alice)
	web.set(http.StatusOK, `<div class="h-entry"><p class="e-content">My seedlings too, see <a href="`+article+`">Alice</a>.</p></div>`)
	eventually(t, federationWait, "the mention is shown after the restart", func() bool {
		body, _ := page(t, alice.client(tn), article)
		return strings.Contains(body, "My seedlings too")
	})
}
