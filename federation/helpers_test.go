package federation

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"database/sql"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"roost/cmd/roost/database"
	"roost/federation/httpsig"
	"roost/federation/vocab"
	"roost/templates/markdown"
)

// Keys are generated once per test binary: RSA-2048 generation is slow.
var (
	keysOnce sync.Once
	testKeys []*rsa.PrivateKey
)

func testKey(t testing.TB, i int) *rsa.PrivateKey {
	t.Helper()
	keysOnce.Do(func() {
		for range 3 {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			testKeys = append(testKeys, k)
		}
	})
	return testKeys[i]
}

// testNet maps host names to loopback listeners, as a resolver would.
// Only port 80 is mapped, so https attempts fail fast like on a host
// without TLS.
type testNet struct {
	mu    sync.Mutex
	hosts map[string]string
}

func newTestNet() *testNet { return &testNet{hosts: map[string]string{}} }

func (n *testNet) add(host string, srv *httptest.Server) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.hosts[host] = srv.Listener.Addr().String()
}

func (n *testNet) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	if net.ParseIP(host) != nil {
		return d.DialContext(ctx, network, addr)
	}
	n.mu.Lock()
	target, ok := n.hosts[host]
	n.mu.Unlock()
	if !ok || port != "80" {
		return nil, &net.OpError{Op: "dial", Net: network, Err: errConnRefused}
	}
	return d.DialContext(ctx, network, target)
}

type refusedError struct{}

func (refusedError) Error() string { return "connection refused (test network)" }

var errConnRefused = refusedError{}

// site is a federation Service under test at http://alice.test.
type site struct {
	*Service
	mux     *http.ServeMux
	running bool
}

// start runs the site's queues until the test ends, and waits for them to
// stop then.
func (s *site) start(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { s.Run(ctx); close(stopped) }()
	s.running = true
	t.Cleanup(func() { cancel(); <-stopped })
}

// waitInbox waits until every accepted activity has been processed or
// parked.
func (s *site) waitInbox(t testing.TB) {
	t.Helper()
	waitFor(t, 30*time.Second, "the inbox queue to drain", func() bool {
		var waiting int
		if err := s.cfg.DB.QueryRow(`SELECT COUNT(*) FROM inbox_queue WHERE state = 0`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		return waiting == 0
	})
}

func newTestSite(t testing.TB, net *testNet, opts ...func(*Config)) *site {
	t.Helper()
	db, err := database.OpenTemp(t.TempDir(), database.Room{Name: "federation", Steps: Migrations})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newTestSiteOn(t, db, net, opts...)
}

// newTestSiteOn builds a Service on an existing database (a restart).
func newTestSiteOn(t testing.TB, db *sql.DB, net *testNet, opts ...func(*Config)) *site {
	t.Helper()
	seedKey(t, db, testKey(t, 0))
	cfg := Config{
		DB: db, BaseURL: "http://alice.test", Version: "1.2.3", AllowPrivate: true,
		DialContext: net.dial, Now: time.Now, RetryBase: 20 * time.Millisecond, RenderBio: markdown.Render,
	}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	s.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	net.add("alice.test", srv)
	return &site{Service: s, mux: mux}
}

// seedKey stores a pre-generated key so the site does not generate one.
func seedKey(t testing.TB, db *sql.DB, key *rsa.PrivateKey) {
	t.Helper()
	priv, pub, err := encodeKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO site_key(id, private_pem, public_pem, created) VALUES(1, ?, ?, 0)
		ON CONFLICT(id) DO NOTHING`, priv, pub); err != nil {
		t.Fatal(err)
	}
	// The instance actor gets the same key: what matters to the tests is
	// that the site does not generate one.
	if _, err := db.Exec(`INSERT INTO instance_key(id, private_pem, public_pem) VALUES(1, ?, ?)
		ON CONFLICT(id) DO NOTHING`, priv, pub); err != nil {
		t.Fatal(err)
	}
}

func (s *site) get(t testing.TB, target, accept string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "http://alice.test"+target, nil)
	if accept != "" {
		r.Header.Set("Accept", accept)
	}
	w := httptest.NewRecorder()
	s.mux.ServeHTTP(w, r)
	return w
}

// received is one request a fake peer recorded.
type received struct {
	Path   string
	Header http.Header
	Body   []byte
}

// peer is a fake fediverse server on loopback: it serves actors with the
// given keys and records what arrives in its inboxes.
type peer struct {
	t      testing.TB
	base   string
	srv    *httptest.Server
	mu     sync.Mutex
	got    []received
	status func(path string, n int) int // answer to the n-th POST on path (from 1)
	counts map[string]int
	actors map[string]map[string]any
	extra  *http.ServeMux
}

func newPeer(t testing.TB, net *testNet, host string) *peer {
	t.Helper()
	p := &peer{t: t, base: "http://" + host, counts: map[string]int{}, actors: map[string]map[string]any{}, extra: http.NewServeMux()}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(p.srv.Close)
	net.add(host, p.srv)
	return p
}

// addActor publishes /users/name with the public half of key.
func (p *peer) addActor(name string, key *rsa.PrivateKey) string {
	_, pub, err := encodeKey(key)
	if err != nil {
		p.t.Fatal(err)
	}
	id := p.base + "/users/" + name
	p.mu.Lock()
	defer p.mu.Unlock()
	p.actors["/users/"+name] = map[string]any{
		"@context":          []any{vocab.ContextAS, vocab.ContextSecurity},
		"id":                id,
		"type":              vocab.TypePerson,
		"preferredUsername": name,
		"inbox":             id + "/inbox",
		"outbox":            id + "/outbox",
		"followers":         id + "/followers",
		"endpoints":         map[string]any{"sharedInbox": p.base + "/inbox"},
		"publicKey":         map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": pub},
	}
	return id
}

func (p *peer) setActorField(name, key string, v any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.actors["/users/"+name][key] = v
}

func (p *peer) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		body, _ := io.ReadAll(r.Body)
		p.mu.Lock()
		p.counts[r.URL.Path]++
		n := p.counts[r.URL.Path]
		status := http.StatusAccepted
		if p.status != nil {
			status = p.status(r.URL.Path, n)
		}
		if status >= 200 && status <= 299 {
			p.got = append(p.got, received{Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
		}
		p.mu.Unlock()
		w.WriteHeader(status)
		return
	}
	p.mu.Lock()
	p.counts[r.Method+" "+r.URL.Path]++
	doc, ok := p.actors[r.URL.Path]
	var body []byte
	if ok {
		body, _ = json.Marshal(doc)
	}
	p.mu.Unlock()
	if ok {
		w.Header().Set("Content-Type", vocab.ContentTypeActivity)
		w.Write(body)
		return
	}
	p.extra.ServeHTTP(w, r)
}

// fetches is how many GETs (and HEADs) path was asked for.
func (p *peer) fetches(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts["GET "+path] + p.counts["HEAD "+path]
}

// fetchesAll is how many GETs the peer served, on any path.
func (p *peer) fetchesAll() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for k, c := range p.counts {
		if strings.HasPrefix(k, "GET ") {
			n += c
		}
	}
	return n
}

// testClock is a clock that moves only when told, for limits that count time.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock { return &testClock{t: time.Now()} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (p *peer) received() []received {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]received(nil), p.got...)
}

// signedPost builds an inbox POST signed as keyID with key.
func signedPost(t testing.TB, target string, body []byte, keyID string, key *rsa.PrivateKey, now time.Time) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	r.Header.Set("Content-Type", vocab.ContentTypeActivity)
	signer := httpsig.Signer{KeyID: keyID, Key: key, Now: func() time.Time { return now }}
	if err := signer.Sign(r, body); err != nil {
		t.Fatal(err)
	}
	return r
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
