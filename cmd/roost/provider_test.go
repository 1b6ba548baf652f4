package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"roost/cmd/roost/access"
	"roost/feed"
)

// startProvider adds the given domains to the test PostgreSQL and serves
// them all from one provider on one listener, as serve --database does.
// The sites are returned once built, their owners logged in.
func startProvider(t *testing.T, tn *testNet, domains ...string) (*provider, []*testSite) {
	t.Helper()
	pg := testPostgres(t)
	ctx := context.Background()
	data := t.TempDir()
	reg, err := openRegistry(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range domains {
		if err := addSite(ctx, pg, reg, data, d, "http://"+d, io.Discard); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { removeSite(context.Background(), pg, reg, data, d, true, nil, io.Discard) })
	}
	life, endLife := context.WithCancel(context.Background())
	p, err := newProvider(life, pg, config{DataDir: data, AllowPrivate: true, NoteLimit: 500, MaxUploadMB: 10},
		siteOptions{DialContext: tn.dial, RetryBase: 200 * time.Millisecond, CardTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.startBackground(ctx); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close(); endLife(); p.wait() })
	var sites []*testSite
	for _, d := range domains {
		tn.add(d, ln.Addr().String())
		s, err := p.site(d)
		if err != nil || s == nil {
			t.Fatalf("provider builds %s: %v", d, err)
		}
		if err := s.access.Store.SetPassword(ctx, testPassword); err != nil {
			t.Fatal(err)
		}
		ts := &testSite{site: s, Host: d, Base: "http://" + d, Addr: ln.Addr().String()}
		ts.Owner = ts.client(tn)
		ts.login(t)
		sites = append(sites, ts)
	}
	return p, sites
}

// bearer sends a request with a token through the provider, by Host.
func bearer(t *testing.T, c *http.Client, method, u, token string, form url.Values) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Two sites in one process on one PostgreSQL federate with each other like
// two servers, and neither can read the other's private data: not through
// the Mastodon API with its own token, not with the other's token or
// session cookie, not through search.
func TestProviderSitesFederateAndStayApart(t *testing.T) {
	tn := newTestNet()
	p, sites := startProvider(t, tn, "pa.test", "pb.test")
	a, b := sites[0], sites[1]
	ctx := context.Background()

	follow(t, b, a)
	if !a.contacts.IsFollower(ctx, b.fed.ActorID()) {
		t.Fatal("pa.test does not list pb.test as a follower")
	}
	if _, err := a.feed.Create(ctx, feed.NoteInput{Text: "Public hello from pa", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "pa's note reaches pb's home", homeShows(t, b, "Public hello from pa"))
	secret, err := a.feed.Create(ctx, feed.NoteInput{Text: "Private diary of pa", Visibility: feed.VisibilityDirect})
	if err != nil {
		t.Fatal(err)
	}
	settled(t, a, b)

	anon := a.client(tn)
	tokenA, tokenB := passwordGrant(t, a.site, testPassword), passwordGrant(t, b.site, testPassword)
	if code, body := bearer(t, anon, "GET", a.Base+"/api/v1/accounts/verify_credentials", tokenA, nil); code != http.StatusOK || !strings.Contains(body, `"pa.test"`) {
		t.Fatalf("pa's token on pa: %d %s", code, body)
	}
	if code, _ := bearer(t, anon, "GET", b.Base+"/api/v1/accounts/verify_credentials", tokenA, nil); code != http.StatusUnauthorized {
		t.Errorf("pa's Mastodon token on pb: %d, want 401", code)
	}
	if code, _ := bearer(t, anon, "GET", b.Base+"/api/v1/timelines/home", tokenA, nil); code != http.StatusUnauthorized {
		t.Errorf("pa's Mastodon token reads pb's home timeline: %d, want 401", code)
	}
	if code, _ := bearer(t, anon, "POST", b.Base+"/api/v1/statuses", tokenA, url.Values{"status": {"forged"}}); code != http.StatusUnauthorized {
		t.Errorf("pa's Mastodon token posts on pb: %d, want 401", code)
	}
	_, siteTokenA, err := a.access.Store.CreateToken(ctx, "script", access.DefaultTokenScope, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := bearer(t, anon, "POST", b.Base+"/micropub", siteTokenA, url.Values{"h": {"entry"}, "content": {"forged"}}); code != http.StatusUnauthorized && code != http.StatusForbidden {
		t.Errorf("pa's Micropub token accepted by pb: %d", code)
	}

	// pb's owner, with pb's own token, sees pa's public note and nothing private.
	for _, path := range []string{"/api/v1/timelines/home", "/api/v1/conversations", "/api/v1/notifications"} {
		code, body := bearer(t, anon, "GET", b.Base+path, tokenB, nil)
		if code != http.StatusOK {
			t.Fatalf("pb GET %s: %d %s", path, code, body)
		}
		if strings.Contains(body, "Private diary") {
			t.Errorf("pb's %s shows pa's direct note: %s", path, body)
		}
	}
	if _, body := bearer(t, anon, "GET", a.Base+"/api/v1/statuses/"+strconv.FormatInt(secret.ID, 10), tokenA, nil); !strings.Contains(body, "Private diary") {
		t.Errorf("pa's own API does not show its direct note: %s", body)
	}

	// pa's session cookie opens pa's owner pages, not pb's.
	var session *http.Cookie
	for _, c := range a.Owner.Jar.Cookies(&url.URL{Scheme: "http", Host: a.Host}) {
		if c.Name == access.CookieName {
			session = c
		}
	}
	if session == nil {
		t.Fatal("pa's owner has no session cookie")
	}
	req, _ := http.NewRequest("GET", b.Base+"/home", nil)
	req.AddCookie(session)
	resp, err := anon.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Error("pa's session cookie opens pb's /home")
	}

	// Each site answers WebFinger for its own owner only.
	if _, code := page(t, anon, b.Base+"/.well-known/webfinger?resource=acct:pa.test@pa.test"); code != http.StatusNotFound {
		t.Errorf("pb answers WebFinger for pa: %d", code)
	}
	// A Host no site has is a plain 404; a site added later is served.
	tn.add("pc.test", a.Addr)
	if _, code := page(t, anon, "http://pc.test/healthz"); code != http.StatusNotFound {
		t.Errorf("unknown Host: %d, want 404", code)
	}
	if len(p.built()) != 2 {
		t.Errorf("%d sites built, want 2", len(p.built()))
	}
}
