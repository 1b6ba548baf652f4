package federation

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"roost/federation/vocab"
)

func TestOriginOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://bob.example/users/bob", "https://bob.example"},
		{"https://Bob.Example:443/x", "https://bob.example"},
		{"HTTP://bob.example:80/x", "http://bob.example"},
		{"https://bob.example./x", "https://bob.example"},
		{"https://bob.example:8443/x", "https://bob.example:8443"},
		{"https://bob.example@evil.example/x", "https://evil.example"},
		{"https://[::1]:443/x", "https://[::1]"},
		{"https://[::1]:8443/x", "https://[::1]:8443"},
		{"ftp://bob.example/x", ""},
		{"/users/bob", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := originOf(tt.in); got != tt.want {
			t.Errorf("originOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if SameOrigin("http://bob.example/a", "https://bob.example/a") {
		t.Error("http and https are one origin")
	}
}

// serveJSON publishes an ActivityStreams document at path on p.
func serveJSON(p *peer, path string, doc map[string]any) {
	p.extra.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", vocab.ContentTypeActivity)
		w.Write(mustJSON(p.t, doc))
	})
}

func noteSaying(id, author, content string) map[string]any {
	n := note(id, author)
	n["content"] = content
	return n
}

// forgeryNet is bob's honest server with one post, and evil.test, which
// serves posts in bob's name, a copy of bob's post under bob's id, a
// page pointing at bob's real post, and an open redirect on bob's server
// that leads to it.
type forgeryNet struct {
	network       *testNet
	bob, evil     *peer
	bobID, evilID string
	bobPost       string
}

func newForgeryNet(t *testing.T) *forgeryNet {
	f := &forgeryNet{network: newTestNet()}
	f.bob = newPeer(t, f.network, "bob.test")
	f.bobID = f.bob.addActor("bob", testKey(t, 1))
	f.evil = newPeer(t, f.network, "evil.test")
	f.evilID = f.evil.addActor("mallory", testKey(t, 2))
	f.bobPost = "http://bob.test/users/bob/statuses/1"
	serveJSON(f.bob, "/users/bob/statuses/1", noteSaying(f.bobPost, f.bobID, "<p>the real words</p>"))
	// Mastodon's web URL of a post serves the post (its id differs).
	serveJSON(f.bob, "/@bob/1", noteSaying(f.bobPost, f.bobID, "<p>the real words</p>"))
	// A post whose id is written with another case and the default port.
	serveJSON(f.bob, "/users/bob/statuses/2", noteSaying("http://BOB.test:80/users/bob/statuses/2", f.bobID, "<p>two</p>"))
	f.bob.extra.HandleFunc("/go", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	serveJSON(f.evil, "/notes/forged", noteSaying("http://evil.test/notes/forged", f.bobID, "<p>words bob never wrote</p>"))
	serveJSON(f.evil, "/notes/copy", noteSaying(f.bobPost, f.bobID, "<p>words bob never wrote</p>"))
	serveJSON(f.evil, "/notes/pointer", noteSaying(f.bobPost, f.bobID, "<p>words bob never wrote</p>"))
	serveJSON(f.evil, "/notes/own", noteSaying("http://evil.test/notes/own", f.evilID, "<p>mine</p>"))
	return f
}

// TestFetchObjectBelievesOnlyItsOrigin is the fetch every path shares (a
// boost by IRI, the remote-interaction page, a thread's missing posts,
// search): a post is what its own origin serves, by an author there.
func TestFetchObjectBelievesOnlyItsOrigin(t *testing.T) {
	f := newForgeryNet(t)
	s := newTestSite(t, f.network)
	tests := []struct {
		name, iri      string
		wantID, wantIn string // "" wantID: refused
	}{
		{"own post", f.bobPost, f.bobPost, "the real words"},
		{"web URL of a post", "http://bob.test/@bob/1", f.bobPost, "the real words"},
		{"id differing by case and default port", "http://bob.test/users/bob/statuses/2", "http://BOB.test:80/users/bob/statuses/2", "two"},
		{"post of a local author", "http://evil.test/notes/own", "http://evil.test/notes/own", "mine"},
		{"post in another server's name", "http://evil.test/notes/forged", "", ""},
		{"copy under the victim's id is fetched from the victim", "http://evil.test/notes/copy", f.bobPost, "the real words"},
		{"open redirect to a forged copy", "http://bob.test/go?to=http://evil.test/notes/copy", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := s.FetchObject(context.Background(), tt.iri)
			if tt.wantID == "" {
				if err == nil {
					t.Fatalf("accepted %s by %s: %q", o.ID, o.AttributedTo, o.ContentHTML)
				}
				if !errors.Is(err, errForeignOrigin) {
					t.Errorf("refused for another reason: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if o.ID != tt.wantID || !strings.Contains(o.ContentHTML, tt.wantIn) {
				t.Errorf("got %s %q, want %s with %q", o.ID, o.ContentHTML, tt.wantID, tt.wantIn)
			}
		})
	}
}

// boostRecorder notes which object each boost came with.
type boostRecorder struct {
	*recorder
	mu    sync.Mutex
	boost map[string]*vocab.Object // by activity id
	of    map[string]string        // activity id → boosted object id
}

func (b *boostRecorder) Announced(ctx context.Context, act, obj string, o *vocab.Object, from *vocab.Actor) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.boost[act], b.of[act] = o, obj
	return nil
}

func (b *boostRecorder) got(act string) (*vocab.Object, string, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o, ok := b.boost[act]
	return o, b.of[act], ok
}

// TestAnnounceCannotPutWordsInAnotherServersMouth: evil.test boosts posts
// it made up in bob's name, embedded or by IRI; the boost reaches the
// feed without them, while its own posts and bob's real one come through.
func TestAnnounceCannotPutWordsInAnotherServersMouth(t *testing.T) {
	f := newForgeryNet(t)
	site := newTestSite(t, f.network)
	rec := &boostRecorder{recorder: &recorder{}, boost: map[string]*vocab.Object{}, of: map[string]string{}}
	site.SetHandlers(rec, rec, rec, nil, gate{rec.recorder}, nil)
	site.start(t)

	e := f.evilID
	tests := []struct {
		name           string
		object         any
		wantID, wantIn string // "" wantID: recorded without an object
	}{
		{"embedded post in bob's name", noteSaying("http://evil.test/notes/9", f.bobID, "<p>lies</p>"), "", ""},
		{"post in bob's name by IRI", "http://evil.test/notes/forged", "", ""},
		{"embedded copy of bob's post", noteSaying(f.bobPost, f.bobID, "<p>lies</p>"), f.bobPost, "the real words"},
		{"pointer to bob's post", "http://evil.test/notes/pointer", f.bobPost, "the real words"},
		{"embedded own post", noteSaying("http://evil.test/notes/10", e, "<p>mine</p>"), "http://evil.test/notes/10", "mine"},
		{"bob's post by IRI", f.bobPost, f.bobPost, "the real words"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := e + "/boosts/" + string(rune('a'+i))
			body := mustJSON(t, map[string]any{"@context": vocab.ContextAS, "id": id, "type": "Announce", "actor": e,
				"object": tt.object, "to": []any{vocab.Public}})
			r := signedPost(t, "http://alice.test/inbox", body, e+"#main-key", testKey(t, 2), time.Now())
			w := httptestRecorder(site, r)
			if w != http.StatusAccepted {
				t.Fatalf("status %d", w)
			}
			site.waitInbox(t)
			o, of, ok := rec.got(id)
			switch {
			case !ok:
				t.Fatal("the boost was not recorded")
			case tt.wantID == "" && o != nil:
				t.Fatalf("boost came with %s by %s: %q", o.ID, o.AttributedTo, o.ContentHTML)
			case tt.wantID == "":
			case o == nil:
				t.Fatal("boost came without its object")
			case o.ID != tt.wantID || of != tt.wantID || !strings.Contains(o.ContentHTML, tt.wantIn):
				t.Errorf("boost of %s came with %s %q, want %s with %q", of, o.ID, o.ContentHTML, tt.wantID, tt.wantIn)
			}
		})
	}
}

// TestResolveDoesNotFollowAForgedAuthor: the follow box (and search) given
// the URL of a post evil.test made up in bob's name does not lead to bob.
func TestResolveDoesNotFollowAForgedAuthor(t *testing.T) {
	f := newForgeryNet(t)
	s := newTestSite(t, f.network)
	if res, err := s.Resolve(context.Background(), "http://evil.test/notes/forged"); err == nil {
		t.Fatalf("resolved to %v", res.Actor.ID)
	}
	res, err := s.Resolve(context.Background(), "http://evil.test/notes/pointer")
	if err != nil {
		t.Fatal(err)
	}
	if res.Actor.ID != f.bobID {
		t.Errorf("pointer to bob's post resolved to %s", res.Actor.ID)
	}
}

// httptestRecorder serves r on the site and returns the status.
func httptestRecorder(s *site, r *http.Request) int {
	w := httptest.NewRecorder()
	s.mux.ServeHTTP(w, r)
	return w.Code
}

// TestActorServedThroughAnOpenRedirectIsRefused: a redirect on bob's
// server to evil.test cannot make evil's document bob's actor (with evil's
// key), however the URL reached roost (a keyId, a link in a page).
func TestActorServedThroughAnOpenRedirectIsRefused(t *testing.T) {
	f := newForgeryNet(t)
	fake := f.evil.addActor("fake", testKey(t, 2))
	f.evil.setActorField("fake", "id", f.bobID)
	s := newTestSite(t, f.network)
	via := "http://bob.test/go?to=" + fake
	if a, err := s.FetchActor(context.Background(), via, false); err == nil {
		t.Fatalf("accepted %s from %s", a.ID, via)
	}
	a, err := s.FetchActor(context.Background(), f.bobID, false)
	if err != nil {
		t.Fatal(err)
	}
	if a.PublicKeyID != f.bobID+"#main-key" {
		t.Errorf("bob's key is now %s", a.PublicKeyID)
	}
}
