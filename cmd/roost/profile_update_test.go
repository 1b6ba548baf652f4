package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"roost/federation/httpsig"
	"roost/federation/vocab"
	"roost/feed"
)

// fakePeer is a small fediverse server on the test network: one actor
// whose document the test may change, inboxes that record what arrives,
// and signed deliveries as that actor.
type fakePeer struct {
	t      *testing.T
	base   string
	id     string
	key    *rsa.PrivateKey
	client *http.Client

	mu   sync.Mutex
	doc  map[string]any
	got  []peerPost
	seen int // of got, for since
}

// peerPost is one POST the peer received.
type peerPost struct {
	Path string
	Body map[string]any
}

func startFakePeer(t *testing.T, tn *testNet, host, name string) *fakePeer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tn.add(host, ln.Addr().String())
	return serveFakePeer(t, ln, "http://"+host, name,
		&http.Client{Transport: &http.Transport{DialContext: tn.dial}, Timeout: 10 * time.Second})
}

// startLoopbackPeer is a fake peer known by its loopback address, which a
// roost child process can reach too.
func startLoopbackPeer(t *testing.T, name string) *fakePeer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serveFakePeer(t, ln, "http://"+ln.Addr().String(), name, &http.Client{Timeout: 10 * time.Second})
}

func serveFakePeer(t *testing.T, ln net.Listener, base, name string, client *http.Client) *fakePeer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	p := &fakePeer{t: t, base: base, key: key, client: client}
	p.id = p.base + "/users/" + name
	p.doc = map[string]any{
		"@context":          []any{vocab.ContextAS, vocab.ContextSecurity},
		"id":                p.id,
		"type":              vocab.TypePerson,
		"preferredUsername": name,
		"inbox":             p.id + "/inbox",
		"outbox":            p.id + "/outbox",
		"followers":         p.id + "/followers",
		"endpoints":         map[string]any{"sharedInbox": p.base + "/inbox"},
		"publicKey": map[string]any{"id": p.id + "#main-key", "owner": p.id,
			"publicKeyPem": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))},
	}
	srv := &http.Server{Handler: http.HandlerFunc(p.serve), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return p
}

func (p *fakePeer) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r.Method == http.MethodPost {
		var body map[string]any
		raw, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(raw, &body); err != nil {
			http.Error(w, "not JSON", http.StatusBadRequest)
			return
		}
		p.got = append(p.got, peerPost{Path: r.URL.Path, Body: body})
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if r.URL.Path != strings.TrimPrefix(p.id, p.base) {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", vocab.ContentTypeActivity)
	json.NewEncoder(w).Encode(p.doc)
}

// set changes a property of the actor document.
func (p *fakePeer) set(key string, v any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.doc[key] = v
}

func (p *fakePeer) document() map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out map[string]any
	b, _ := json.Marshal(p.doc)
	json.Unmarshal(b, &out)
	return out
}

// since lists the POSTs received after the previous call.
func (p *fakePeer) since() []peerPost {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := append([]peerPost(nil), p.got[p.seen:]...)
	p.seen = len(p.got)
	return out
}

// received lists every POST so far.
func (p *fakePeer) received() []peerPost {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]peerPost(nil), p.got...)
}

// send delivers an activity, signed as the peer's actor, to an inbox.
func (p *fakePeer) send(inbox string, activity map[string]any) {
	p.t.Helper()
	status, err := p.trySend(inbox, activity)
	if err != nil {
		p.t.Fatal(err)
	}
	if status != http.StatusAccepted {
		p.t.Fatalf("%s to %s: status %d", activity["type"], inbox, status)
	}
}

// trySend delivers like send and returns the answer's status; it may be
// called from any goroutine.
func (p *fakePeer) trySend(inbox string, activity map[string]any) (int, error) {
	activity["@context"] = vocab.ContextAS
	activity["actor"] = p.id
	body, err := json.Marshal(activity)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", vocab.ContentTypeActivity)
	signer := httpsig.Signer{KeyID: p.id + "#main-key", Key: p.key, Now: time.Now}
	if err := signer.Sign(req, body); err != nil {
		return 0, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestRemoteProfileUpdate: a followed follower on another server renames
// itself and moves to a new inbox, and tells with Update(Person). The next
// delivery goes to the new inbox, and the home timeline and the contact
// page show the new name.
func TestRemoteProfileUpdate(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	pat := startFakePeer(t, tn, "pat.test", "pat")
	pat.set("name", "Pat Original")
	ctx := context.Background()

	// Alice follows pat, who accepts; pat follows alice back.
	if code := postForm(t, alice.Owner, alice.Base+"/contacts/follow", url.Values{"handle": {pat.id}}); code != http.StatusSeeOther {
		t.Fatalf("follow pat: %d", code)
	}
	var followID string
	eventually(t, federationWait, "alice's Follow reaches pat", func() bool {
		for _, got := range pat.received() {
			if got.Body["type"] == vocab.TypeFollow {
				followID, _ = got.Body["id"].(string)
				return true
			}
		}
		return false
	})
	pat.send(alice.fed.SharedInboxURL(), map[string]any{"id": pat.id + "/accepts/1", "type": vocab.TypeAccept, "object": followID})
	pat.send(alice.fed.InboxURL(), map[string]any{"id": pat.id + "/follows/1", "type": vocab.TypeFollow, "object": alice.fed.ActorID()})
	eventually(t, federationWait, "alice and pat follow each other", func() bool {
		return alice.contacts.IsFollowing(ctx, pat.id) && alice.contacts.IsFollower(ctx, pat.id)
	})
	pat.send(alice.fed.SharedInboxURL(), map[string]any{"id": pat.id + "/statuses/1/activity", "type": vocab.TypeCreate,
		"object": map[string]any{"id": pat.id + "/statuses/1", "type": vocab.TypeNote, "attributedTo": pat.id,
			"content": "<p>Hello from pat</p>", "published": time.Now().UTC().Format(time.RFC3339),
			"to": []any{vocab.Public}, "cc": []any{pat.id + "/followers"}}})
	eventually(t, federationWait, "pat's note shows on alice's home under pat's name", func() bool {
		return homeShows(t, alice, "Hello from pat")() && homeShows(t, alice, "Pat Original")()
	})

	// Pat moves to an inbox of its own (no shared inbox any more) and
	// takes a new name.
	newInbox := pat.id + "/new-inbox"
	pat.set("name", "Pat Renamed")
	pat.set("inbox", newInbox)
	pat.set("endpoints", map[string]any{})
	pat.since()
	pat.send(alice.fed.SharedInboxURL(), map[string]any{"id": pat.id + "#updates/1", "type": vocab.TypeUpdate,
		"object": pat.document(), "to": []any{vocab.Public}})
	// Alice's inbox answers at once and processes the Update after.
	settled(t, alice)

	if _, err := alice.feed.Create(ctx, feed.NoteInput{Text: "After the move", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	var arrived []peerPost
	eventually(t, federationWait, "alice's next note reaches pat's new inbox", func() bool {
		arrived = append(arrived, pat.since()...)
		for _, got := range arrived {
			if got.Path == "/users/pat/new-inbox" && got.Body["type"] == vocab.TypeCreate {
				return true
			}
		}
		return false
	})
	for _, got := range arrived {
		if got.Path != "/users/pat/new-inbox" {
			t.Errorf("after the Update, a %v went to the old inbox %s", got.Body["type"], got.Path)
		}
	}

	eventually(t, federationWait, "alice's home shows pat's new name", homeShows(t, alice, "Pat Renamed"))
	if homeShows(t, alice, "Pat Original")() {
		t.Error("alice's home still shows pat's old name")
	}
	body, code := page(t, alice.Owner, alice.Base+"/contacts/view?actor="+url.QueryEscape(pat.id))
	if code != http.StatusOK || !strings.Contains(body, "Pat Renamed") || strings.Contains(body, "Pat Original") {
		t.Errorf("pat's contact page (status %d) does not show the new name", code)
	}
}
