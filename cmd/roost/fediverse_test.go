package main

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// testNet maps host names of test sites to their loopback listeners, so that
// several roost sites (and other peers) federate in one process without DNS.
type testNet struct {
	mu    sync.Mutex
	hosts map[string]string // "alice.test:80" -> "127.0.0.1:PORT"
}

func newTestNet() *testNet { return &testNet{hosts: map[string]string{}} }

func (n *testNet) add(host, addr string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.hosts[host+":80"] = addr
}

// Hosts lists name -> address for peers that need the same map.
func (n *testNet) Hosts() map[string]string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := map[string]string{}
	for k, v := range n.hosts {
		out[strings.TrimSuffix(k, ":80")] = v
	}
	return out
}

func (n *testNet) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	n.mu.Lock()
	if mapped, ok := n.hosts[addr]; ok {
		addr = mapped
	}
	n.mu.Unlock()
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

// testSite is one roost site running in the test process.
type testSite struct {
	*site
	Host   string
	Base   string
	Addr   string
	Owner  *http.Client // carries the owner's session cookie
	Data   string
	cancel context.CancelFunc
	srv    *http.Server
	once   sync.Once
	// background is closed when the site's background work has stopped.
	background chan struct{}
}

const testPassword = "test password 1234"

// startTestSite runs a roost site named host (e.g. "alice.test") on a
// loopback listener, reachable from the other sites by that name; configure
// changes its settings before it starts.
func startTestSite(t *testing.T, tn *testNet, host string, dataDir string, configure ...func(*config)) *testSite {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	ctx, cancel := context.WithCancel(context.Background())
	db, err := openData(ctx, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := config{DataDir: dataDir, BaseURL: "http://" + host, AllowPrivate: true, NoteLimit: 500, MaxUploadMB: 10}
	for _, c := range configure {
		c(&cfg)
	}
	// Retries come quickly in tests, where a peer is down for a moment only.
	// A page that hangs gives up its card quickly in tests.
	s, err := newSite(ctx, cfg, db, siteOptions{DialContext: tn.dial, RetryBase: 200 * time.Millisecond, CardTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.access.Store.SetPassword(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tn.add(host, ln.Addr().String())
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	background := make(chan struct{})
	go func() { s.run(ctx); close(background) }()
	ts := &testSite{site: s, Host: host, Base: cfg.BaseURL, Addr: ln.Addr().String(), Data: dataDir, cancel: cancel, srv: srv, background: background}
	ts.Owner = ts.client(tn)
	ts.login(t)
	t.Cleanup(ts.stop)
	return ts
}

func (ts *testSite) stop() {
	ts.once.Do(func() {
		ts.cancel()
		ts.srv.Close()
		<-ts.background
		ts.db.Close()
	})
}

// restartTestSite stops a site and starts it again on the same data, as
// after a crash or an upgrade.
func restartTestSite(t *testing.T, tn *testNet, ts *testSite) *testSite {
	t.Helper()
	ts.stop()
	return startTestSite(t, tn, ts.Host, ts.Data)
}

// client returns an HTTP client that reaches test sites by name.
func (ts *testSite) client(tn *testNet) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar:       jar,
		Transport: &http.Transport{DialContext: tn.dial},
		Timeout:   20 * time.Second,
		// Keep redirects visible to the tests that check post/redirect/get.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func (ts *testSite) login(t *testing.T) {
	t.Helper()
	resp, err := ts.Owner.PostForm(ts.Base+"/login", url.Values{"password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login on %s: %d", ts.Host, resp.StatusCode)
	}
}

// settled waits until every site has worked through its queues: processed
// what it received and sent all it published. What has not arrived by then
// is not coming.
func settled(t *testing.T, sites ...*testSite) {
	t.Helper()
	for _, ts := range sites {
		eventually(t, federationWait, ts.Host+" has worked through its queues", func() bool {
			done, err := ts.fed.Settled(context.Background())
			return err == nil && done
		})
	}
}

// eventually retries cond until it holds or the time is up.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: not within %s", what, within)
}
