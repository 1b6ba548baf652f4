package federation

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// schemePeer is an inbox that records the signature scheme of each POST;
// when cavageOnly it refuses RFC 9421 signatures with 401, as servers that
// only know draft-cavage do.
type schemePeer struct {
	mu         sync.Mutex
	cavageOnly bool
	seen       []string
}

func (p *schemePeer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	scheme := schemeCavage
	if r.Header.Get("Signature-Input") != "" {
		scheme = schemeRFC9421
	}
	if scheme == schemeCavage && !strings.Contains(r.Header.Get("Signature"), `keyId="`) {
		scheme = "unsigned"
	}
	p.mu.Lock()
	p.seen = append(p.seen, scheme)
	p.mu.Unlock()
	if p.cavageOnly && scheme != schemeCavage {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func (p *schemePeer) schemes() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.seen, ",")
}

// TestDeliveryDoubleKnocks: deliveries are signed with RFC 9421 first; a
// server that refuses it gets the same POST signed with draft-cavage at
// once, and later deliveries go to it with draft-cavage only, while a
// server that accepts RFC 9421 keeps getting it.
func TestDeliveryDoubleKnocks(t *testing.T) {
	net := newTestNet()
	s := newTestSite(t, net)
	old, modern := &schemePeer{cavageOnly: true}, &schemePeer{}
	for host, h := range map[string]http.Handler{"old.test": old, "modern.test": modern} {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		net.add(host, srv)
	}
	ctx := context.Background()
	doc := []byte(`{"type":"Create","id":"http://alice.test/activities/1"}`)
	for i := 0; i < 2; i++ {
		for _, inbox := range []string{"http://old.test/inbox", "http://modern.test/inbox"} {
			status, err := s.post(ctx, inbox, doc)
			if err != nil || status != http.StatusAccepted {
				t.Fatalf("post %s: %d, %v", inbox, status, err)
			}
		}
	}
	if got := old.schemes(); got != "rfc9421,cavage,cavage" {
		t.Errorf("cavage-only server saw %s, want rfc9421,cavage,cavage", got)
	}
	if got := modern.schemes(); got != "rfc9421,rfc9421" {
		t.Errorf("RFC 9421 server saw %s, want rfc9421,rfc9421", got)
	}
}
