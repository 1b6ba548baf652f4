package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// publishArticle writes a published post from the owner's editor and
// returns its URL.
func publishArticle(t *testing.T, ts *testSite, title, body string) string {
	t.Helper()
	form := url.Values{"title": {title}, "body": {body}, "status": {"published"}, "kind": {"post"}}
	if code := postForm(t, ts.Owner, ts.Base+"/blog/new", form); code != http.StatusSeeOther {
		t.Fatalf("new post %q: %d", title, code)
	}
	var slug string
	if err := ts.db.QueryRow(`SELECT slug FROM articles WHERE title = ?`, title).Scan(&slug); err != nil {
		t.Fatal(err)
	}
	return ts.Base + "/blog/" + slug
}

func editArticle(t *testing.T, ts *testSite, articleURL, title, body string) {
	t.Helper()
	form := url.Values{"title": {title}, "body": {body}, "status": {"published"}, "kind": {"post"}}
	if code := postForm(t, ts.Owner, articleURL+"/edit", form); code != http.StatusSeeOther {
		t.Fatalf("edit %s: %d", articleURL, code)
	}
}

// Alice's article links to Bob's: Bob's article shows Alice's mention. When
// she edits the link away, Bob checks her page again and takes it down;
// when she deletes the article, the same. Her notes do as her articles.
func TestWebmentionSentBetweenRoostSites(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	bobs := publishArticle(t, bob, "Raised beds", "How I built them.")
	visitor := bob.client(tn)
	shows := func(what string) func() bool {
		return func() bool {
			body, _ := page(t, visitor, bobs)
			return strings.Contains(body, what)
		}
	}

	alices := publishArticle(t, alice, "Garden links", "Bob wrote [a fine piece on raised beds]("+bobs+"). Also [mine](/blog/).")
	eventually(t, federationWait, "Bob's article shows Alice's mention", shows(`href="`+alices+`"`))
	body, _ := page(t, visitor, bobs)
	if !strings.Contains(body, "Mentioned this") || !strings.Contains(body, "a fine piece on raised beds") {
		t.Error("Bob's article does not show the mention with Alice's text")
	}
	var ownSends int
	if err := alice.db.QueryRow(`SELECT COUNT(*) FROM webmention_sends WHERE target LIKE 'http://alice.test%'`).Scan(&ownSends); err != nil || ownSends != 0 {
		t.Errorf("Alice queued %d Webmentions to her own site (%v)", ownSends, err)
	}

	editArticle(t, alice, alices, "Garden links", "Nothing to link today.")
	eventually(t, federationWait, "the mention is gone after the edit", func() bool { return !shows(`href="` + alices + `"`)() })

	editArticle(t, alice, alices, "Garden links", "Back to [the beds of Bob]("+bobs+").")
	eventually(t, federationWait, "the mention is back", shows("the beds of Bob"))
	if code := postForm(t, alice.Owner, alices+"/delete", url.Values{"confirm": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("delete: %d", code)
	}
	eventually(t, federationWait, "the mention is gone after the delete", func() bool { return !shows(`href="` + alices + `"`)() })

	// A public note sends too, and its delete takes the mention down.
	note := postNote(t, alice, "Read this: "+bobs)
	eventually(t, federationWait, "Bob's article shows the note's mention", shows(`href="`+note+`"`))
	if code := postForm(t, alice.Owner, note+"/delete", url.Values{"confirm": {"yes"}}); code != http.StatusSeeOther {
		t.Fatalf("delete note: %d", code)
	}
	eventually(t, federationWait, "the note's mention is gone after its delete", func() bool { return !shows(`href="` + note + `"`)() })
}

// endpointLog is a web site on loopback whose pages advertise Webmention
// endpoints that answer as told, recording what they receive.
type endpointLog struct {
	mu       sync.Mutex
	received map[string][]url.Values // by endpoint path
	failures int                     // how many times /flaky still answers 500
}

func (e *endpointLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/flaky-page":
		w.Header().Set("Link", `</flaky>; rel="webmention"`)
		io.WriteString(w, "<p>a page</p>")
		return
	case "/refusing-page":
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<html><head><link rel="webmention" href="/refuse?from=head"></head></html>`)
		return
	case "/plain-page":
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, `<p>no endpoint here</p>`)
		return
	}
	if r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	_ = r.ParseForm()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.received == nil {
		e.received = map[string][]url.Values{}
	}
	e.received[r.URL.Path] = append(e.received[r.URL.Path], r.PostForm)
	switch {
	case r.URL.Path == "/refuse" && r.URL.Query().Get("from") == "head":
		http.Error(w, "no", http.StatusBadRequest)
	case r.URL.Path == "/flaky" && e.failures > 0:
		e.failures--
		http.Error(w, "down", http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusAccepted)
	}
}

func (e *endpointLog) got(path string) []url.Values {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]url.Values(nil), e.received[path]...)
}

// An endpoint that answers 500 is asked again until it accepts; one that
// answers 400 is not asked again. Notes send Webmentions too, but not to
// the accounts they mention, which hear of them by ActivityPub.
func TestWebmentionSendRetriesAndGivesUp(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	startTestSite(t, tn, "bob.test", "")
	web := &endpointLog{failures: 2}
	tn.add("web.test", serveLoopback(t, web))

	article := publishArticle(t, alice, "Reading list",
		"[One](http://web.test/flaky-page), [two](http://web.test/refusing-page), [three](http://web.test/plain-page#top).")
	eventually(t, federationWait, "the flaky endpoint is asked until it accepts", func() bool { return len(web.got("/flaky")) == 3 })
	for _, form := range web.got("/flaky") {
		if form.Get("source") != article || form.Get("target") != "http://web.test/flaky-page" {
			t.Errorf("the endpoint received %v", form)
		}
	}
	eventually(t, federationWait, "the refusing endpoint is asked", func() bool { return len(web.got("/refuse")) > 0 })
	time.Sleep(2 * time.Second) // several retry periods of the test sites
	if n := len(web.got("/refuse")); n != 1 {
		t.Errorf("the endpoint that answered 400 was asked %d times", n)
	}
	if n := len(web.got("/flaky")); n != 3 {
		t.Errorf("the endpoint that accepted was asked %d times in all", n)
	}

	status := postNote(t, alice, "Hello @bob.test, see http://web.test/flaky-page")
	eventually(t, federationWait, "the note's Webmention arrives", func() bool {
		for _, form := range web.got("/flaky") {
			if form.Get("source") == status {
				return true
			}
		}
		return false
	})
	var toBob int
	if err := alice.db.QueryRow(`SELECT COUNT(*) FROM webmention_sends WHERE target LIKE 'http://bob.test%'`).Scan(&toBob); err != nil || toBob != 0 {
		t.Errorf("Alice queued %d Webmentions to the account she mentioned (%v)", toBob, err)
	}
}

// postNote posts a public note from the composer and returns
// its URL.
func postNote(t *testing.T, ts *testSite, text string) string {
	t.Helper()
	if code := postForm(t, ts.Owner, ts.Base+"/notes", url.Values{"text": {text}, "visibility": {"public"}}); code != http.StatusSeeOther {
		t.Fatalf("post note: %d", code)
	}
	var id int64
	if err := ts.db.QueryRow(`SELECT id FROM notes WHERE author = '' ORDER BY id DESC LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return ts.site.feed.NoteURL(id)
}

// A site that may not reach private addresses sends no Webmention to a
// page on one, and does not try again.
func TestWebmentionSendGoesThroughTheGuard(t *testing.T) {
	tn := newTestNet()
	guarded := startTestSite(t, tn, "guarded.test", "", func(c *config) { c.AllowPrivate = false })
	web := &endpointLog{}
	tn.add("web.test", serveLoopback(t, web))
	publishArticle(t, guarded, "Inside", "[a page inside](http://web.test/flaky-page)")
	var lastError string
	eventually(t, federationWait, "the send is given up", func() bool {
		return guarded.db.QueryRow(`SELECT last_error FROM webmention_sends WHERE done = 1`).Scan(&lastError) == nil
	})
	if !strings.Contains(lastError, "refusing to connect") {
		t.Errorf("last error %q, want the guard's refusal", lastError)
	}
	if n := len(web.got("/flaky")); n != 0 {
		t.Errorf("the guarded site reached a loopback endpoint %d times", n)
	}
}
