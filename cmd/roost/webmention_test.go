package main

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// webPage is a plain web site on loopback whose one page can be changed,
// as a blog that edits or deletes its post.
type webPage struct {
	mu     sync.Mutex
	html   string
	status int
}

func (p *webPage) set(status int, html string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.status, p.html = status, html
}

func (p *webPage) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(p.status)
	_, _ = w.Write([]byte(p.html))
}

func TestWebmentionFromAPlainPageIsShownOnTheArticle(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	form := url.Values{"title": {"Gardening notes"}, "body": {"Tomatoes."}, "status": {"published"}, "kind": {"post"}}
	if code := postForm(t, alice.Owner, alice.Base+"/blog/new", form); code != http.StatusSeeOther {
		t.Fatalf("new post: %d", code)
	}
	article := alice.Base + "/blog/gardening-notes"
	visitor := alice.client(tn)

	// Discovery: the Link header and the <link> both name the endpoint.
	resp, err := visitor.Get(article)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if link := resp.Header.Get("Link"); !strings.Contains(link, `<`+alice.Base+`/webmention>; rel="webmention"`) {
		t.Fatalf("article Link header = %q", link)
	}
	if body, _ := page(t, visitor, article); !strings.Contains(body, `<link rel="webmention" href="`+alice.Base+`/webmention"`) {
		t.Fatal("the article page has no <link rel=webmention>")
	}

	web := &webPage{}
	web.set(http.StatusOK, `<!doctype html><html><body><article class="h-entry">
		<a class="u-in-reply-to" href="`+article+`">in reply to</a>
		<p class="p-author h-card"><a class="u-url p-name" href="http://fern.test/">Fern Feeds</a>
		<img class="u-photo" src="/me.png" alt=""></p>
		<div class="e-content">Lovely tomatoes! <script>alert(1)</script></div></article></body></html>`)
	tn.add("fern.test", serveLoopback(t, web))
	source := "http://fern.test/reply.html"

	send := func(source, target string) int {
		t.Helper()
		resp, err := visitor.PostForm(alice.Base+"/webmention", url.Values{"source": {source}, "target": {target}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send(source, alice.Base+"/blog/no-such-post"); code != http.StatusBadRequest {
		t.Fatalf("a target that is no post answered %d, want 400", code)
	}
	if code := send("ftp://fern.test/x", article); code != http.StatusBadRequest {
		t.Fatalf("a non-http source answered %d, want 400", code)
	}
	if code := send(source, article); code != http.StatusAccepted {
		t.Fatalf("webmention answered %d, want 202", code)
	}
	eventually(t, federationWait, "the web reply is shown on the article", func() bool {
		body, _ := page(t, visitor, article)
		return strings.Contains(body, "Lovely tomatoes!")
	})
	body, _ := page(t, visitor, article)
	for _, want := range []string{"A web reply", `href="http://fern.test/"`, "Fern Feeds"} {
		if !strings.Contains(body, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	if strings.Contains(body, "alert(1)") {
		t.Error("the source's script reached the article page")
	}

	// A re-sent Webmention updates the comment: now it is a like.
	web.set(http.StatusOK, `<div class="h-entry"><a class="u-like-of" href="`+article+`">liked</a>
		<a class="p-author h-card" href="http://fern.test/">Fern Feeds</a></div>`)
	send(source, article)
	eventually(t, federationWait, "the updated mention is shown as a like", func() bool {
		body, _ := page(t, visitor, article)
		return strings.Contains(body, "Liked this") && !strings.Contains(body, "Lovely tomatoes!")
	})

	// A source that no longer links to the article takes the comment away.
	web.set(http.StatusOK, `<p>Nothing to see.</p>`)
	send(source, article)
	eventually(t, federationWait, "the mention is removed", func() bool {
		body, _ := page(t, visitor, article)
		return !strings.Contains(body, "Fern Feeds")
	})
}
