package federation

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"roost/federation/vocab"
)

// serveWebFinger answers resource with a JRD pointing at actorID.
func serveWebFinger(p *peer, resource, actorID string) {
	p.extra.HandleFunc("/.well-known/webfinger", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("resource") != resource {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/jrd+json")
		w.Write(mustJSON(p.t, vocab.JRD{Subject: resource, Links: []vocab.JRDLink{
			{Rel: "self", Type: vocab.ContentTypeActivity, Href: actorID},
		}}))
	})
}

func servePage(p *peer, path, contentType, body string) {
	p.extra.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Write([]byte(body))
	})
}

func TestResolve(t *testing.T) {
	network := newTestNet()
	key := testKey(t, 1)

	bob := newPeer(t, network, "bob.test")
	bobID := bob.addActor("bob", key)
	serveWebFinger(bob, "acct:bob@bob.test", bobID)
	bob.extra.HandleFunc("/statuses/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", vocab.ContentTypeActivity)
		w.Write(mustJSON(t, note("http://bob.test/statuses/1", bobID)))
	})

	// Domain handle: acct:domain@domain.
	dom := newPeer(t, network, "dom.test")
	domID := dom.addActor("me", key)
	serveWebFinger(dom, "acct:dom.test@dom.test", domID)

	// Only the FEP-d556 form: resource=<site URL>.
	site := newPeer(t, network, "site.test")
	siteID := site.addActor("owner", key)
	serveWebFinger(site, "http://site.test/", siteID)

	// No WebFinger; the home page is the actor under content negotiation.
	neg := newPeer(t, network, "neg.test")
	negID := neg.addActor("root", key)
	neg.extra.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, negID, http.StatusFound)
	})

	// No WebFinger; the HTML page links its actor.
	blog := newPeer(t, network, "blog.test")
	blogID := blog.addActor("writer", key)
	servePage(blog, "/", "text/html; charset=utf-8", `<!doctype html><html><head><title>Blog</title>
		<link rel="alternate" type="application/activity+json" href="/users/writer">
		<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body></body></html>`)

	// Feeds only.
	feeds := newPeer(t, network, "feeds.test")
	servePage(feeds, "/", "text/html", `<html><head>
		<link rel="alternate" type="application/rss+xml" title="Posts" href="/rss.xml">
		<link rel="alternate" type="application/atom+xml" href="https://feeds.test/atom.xml">
		<link rel="stylesheet" href="/style.css">
		</head><body><link rel="alternate" type="application/rss+xml" href="/ignored.xml"></body></html>`)
	servePage(feeds, "/rss.xml", "application/rss+xml", `<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`)

	s := newTestSite(t, network)
	tests := []struct {
		input     string
		actor     string
		feeds     []string
		triedPart string // a step that must be listed
	}{
		{"@bob@bob.test", bobID, nil, "WebFinger acct:bob@bob.test"},
		{"bob@bob.test", bobID, nil, ""},
		{"acct:bob@bob.test", bobID, nil, ""},
		{"@dom.test", domID, nil, "WebFinger acct:dom.test@dom.test"},
		{"site.test", siteID, nil, "WebFinger http://site.test/"},
		{"neg.test", negID, nil, "GET http://neg.test/ as ActivityStreams"},
		{"@blog.test", blogID, nil, "ActivityStreams alternate link http://blog.test/users/writer"},
		{"feeds.test", "", []string{"http://feeds.test/rss.xml", "https://feeds.test/atom.xml"}, "feed links"},
		{"http://bob.test/users/bob", bobID, nil, ""},
		{"http://bob.test/statuses/1", bobID, nil, ""},
		{"http://feeds.test/rss.xml", "", []string{"http://feeds.test/rss.xml"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.input, func(t *testing.T) {
			res, err := s.Resolve(context.Background(), tt.input)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if res.Actor != nil {
				got = res.Actor.ID
			}
			if got != tt.actor {
				t.Errorf("actor %q, want %q", got, tt.actor)
			}
			var feedURLs []string
			for _, f := range res.Feeds {
				feedURLs = append(feedURLs, f.URL)
			}
			if strings.Join(feedURLs, " ") != strings.Join(tt.feeds, " ") {
				t.Errorf("feeds %v, want %v", feedURLs, tt.feeds)
			}
			if tt.triedPart != "" && !strings.Contains(strings.Join(res.Tried, "\n"), tt.triedPart) {
				t.Errorf("tried %q lacks %q", res.Tried, tt.triedPart)
			}
		})
	}
}

func TestResolveFailureNamesEverySteps(t *testing.T) {
	network := newTestNet()
	empty := newPeer(t, network, "empty.test")
	servePage(empty, "/", "text/html", "<html><head><title>nothing</title></head></html>")
	s := newTestSite(t, network)

	_, err := s.Resolve(context.Background(), "@empty.test")
	if !errors.Is(err, ErrUnresolvable) {
		t.Fatalf("err = %v", err)
	}
	for _, step := range []string{
		"WebFinger acct:empty.test@empty.test at https://empty.test",
		"WebFinger acct:empty.test@empty.test at http://empty.test",
		"WebFinger https://empty.test/",
		"WebFinger http://empty.test/",
		"GET https://empty.test/ as ActivityStreams",
		"GET http://empty.test/ as ActivityStreams: got an HTML page",
		"feed links in http://empty.test/: none",
	} {
		if !strings.Contains(err.Error(), step) {
			t.Errorf("error lacks %q:\n%v", step, err)
		}
	}
	for _, bad := range []string{"", "not a handle", "@", "user@", "ftp://x.test/"} {
		if _, err := s.Resolve(context.Background(), bad); err == nil {
			t.Errorf("Resolve(%q) succeeded", bad)
		}
	}
}

func TestHTMLAlternates(t *testing.T) {
	page := `<html><head><base href="https://x.test/blog/">
		<link rel="alternate feed" type="application/atom+xml" href="atom.xml" title="Atom">
		<link rel="alternate" type="application/feed+json" href="/feed.json">
		<link rel="alternate" type='application/ld+json; profile="https://www.w3.org/ns/activitystreams"' href="/actor">
		<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
		<link rel="icon" href="/favicon.ico"></head></html>`
	got := htmlAlternates([]byte(page), "https://x.test/")
	want := []string{"https://x.test/blog/atom.xml", "https://x.test/feed.json", "https://x.test/actor"}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i, l := range got {
		if l.URL != want[i] {
			t.Errorf("link %d = %s, want %s", i, l.URL, want[i])
		}
	}
	if got[0].Title != "Atom" || got[0].Type != "application/atom+xml" {
		t.Errorf("first link %+v", got[0])
	}
}
