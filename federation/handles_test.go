package federation

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"roost/federation/vocab"
)

// fingers is a peer's WebFinger endpoint: fixed answers by resource, and
// a count of the questions.
type fingers struct {
	t       testing.TB
	mu      sync.Mutex
	asked   int
	answers map[string]vocab.JRD
}

func serveFingers(p *peer) *fingers {
	f := &fingers{t: p.t, answers: map[string]vocab.JRD{}}
	p.extra.HandleFunc("/.well-known/webfinger", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.asked++
		jrd, ok := f.answers[r.URL.Query().Get("resource")]
		f.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/jrd+json")
		w.Write(mustJSON(f.t, jrd))
	})
	return f
}

// answer makes resource (an acct: URI) name subject and the actor self.
func (f *fingers) answer(resource, subject, self string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers[resource] = vocab.JRD{Subject: subject, Links: []vocab.JRDLink{
		{Rel: vocab.RelSelf, Type: vocab.ContentTypeActivity, Href: self}}}
}

func (f *fingers) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked
}

// TestHandleIsShownOnlyOnceWebFingerConfirmsIt: an actor is shown by the
// address it claims (FEP-2c59 webfinger) or preferredUsername@its host only
// when WebFinger at that address's host leads back to it.
func TestHandleIsShownOnlyOnceWebFingerConfirmsIt(t *testing.T) {
	network := newTestNet()
	bob := newPeer(t, network, "bob.test")
	bobID := bob.addActor("bob", testKey(t, 1))
	bob.setActorField("bob", "webfinger", "acct:bob@bob.test")
	bobFingers := serveFingers(bob)
	bobFingers.answer("acct:bob@bob.test", "acct:bob@bob.test", bobID)

	// Mastodon with handles on a shorter domain than its server: the
	// server's WebFinger gives the short address, which confirms itself.
	social := newPeer(t, network, "social.test")
	carolID := social.addActor("carol", testKey(t, 1))
	serveFingers(social).answer("acct:carol@social.test", "acct:carol@carol.test", carolID)
	serveFingers(newPeer(t, network, "carol.test")).answer("acct:carol@carol.test", "acct:carol@carol.test", carolID)

	evil := newPeer(t, network, "evil.test")
	evilFingers := serveFingers(evil)
	// Claims bob's address; its own is confirmed.
	mallory := evil.addActor("mallory", testKey(t, 2))
	evil.setActorField("mallory", "webfinger", "bob@bob.test")
	evilFingers.answer("acct:mallory@evil.test", "acct:mallory@evil.test", mallory)
	// Claims bob's address; WebFinger on evil.test does not know it.
	trudy := evil.addActor("trudy", testKey(t, 2))
	evil.setActorField("trudy", "webfinger", "acct:bob@bob.test")
	// Its own WebFinger answer names bob's address as the subject.
	oscar := evil.addActor("oscar", testKey(t, 2))
	evilFingers.answer("acct:oscar@evil.test", "acct:bob@bob.test", oscar)
	// Its preferredUsername is an address of its own making.
	eve := evil.addActor("eve", testKey(t, 2))
	evil.setActorField("eve", "preferredUsername", "bob@bob.test")

	s := newTestSite(t, network)
	tests := []struct{ name, id, want string }{
		{"claim confirmed", bobID, "bob@bob.test"},
		{"short domain confirmed by its own WebFinger", carolID, "carol@carol.test"},
		{"another server's address claimed", mallory, "mallory@evil.test"},
		{"another server's address claimed, nothing confirmed", trudy, ""},
		{"WebFinger subject on another server", oscar, ""},
		{"address as preferredUsername", eve, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := s.FetchActor(context.Background(), tt.id, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := a.Handle(); got != tt.want {
				t.Errorf("handle %q, want %q", got, tt.want)
			}
		})
	}

	// The follow box shows the same.
	res, err := s.Resolve(context.Background(), mallory)
	if err != nil {
		t.Fatal(err)
	}
	if h := res.Actor.Handle(); h != "mallory@evil.test" {
		t.Errorf("resolved actor's handle %q, want mallory@evil.test", h)
	}
}

// TestConfirmedHandleIsKept: a confirmed address is not asked about again
// on the next fetch, nor after a restart.
func TestConfirmedHandleIsKept(t *testing.T) {
	network := newTestNet()
	bob := newPeer(t, network, "bob.test")
	bobID := bob.addActor("bob", testKey(t, 1))
	fingers := serveFingers(bob)
	fingers.answer("acct:bob@bob.test", "acct:bob@bob.test", bobID)
	s := newTestSite(t, network)
	for range 3 {
		a, err := s.FetchActor(context.Background(), bobID, true)
		if err != nil {
			t.Fatal(err)
		}
		if a.Handle() != "bob@bob.test" {
			t.Fatalf("handle %q", a.Handle())
		}
	}
	if n := fingers.count(); n != 1 {
		t.Errorf("WebFinger asked %d times, want once", n)
	}
	restarted := newTestSiteOn(t, s.cfg.DB, network)
	a, err := restarted.FetchActor(context.Background(), bobID, false)
	if err != nil {
		t.Fatal(err)
	}
	if a.Handle() != "bob@bob.test" || fingers.count() != 1 {
		t.Errorf("after a restart: handle %q, WebFinger asked %d times", a.Handle(), fingers.count())
	}

	// A document that changes its claims is checked again.
	bob.setActorField("bob", "webfinger", "bob@elsewhere.test")
	a, err = s.FetchActor(context.Background(), bobID, true)
	if err != nil {
		t.Fatal(err)
	}
	if a.Handle() != "bob@bob.test" || fingers.count() != 2 {
		t.Errorf("after a new claim: handle %q, WebFinger asked %d times", a.Handle(), fingers.count())
	}
}
