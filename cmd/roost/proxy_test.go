package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// proxySite is a site whose reverse proxies are trusted.
func proxySite(t *testing.T, trusted ...string) http.Handler {
	t.Helper()
	ranges, err := parseProxyRanges(trusted)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db, err := openData(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := config{DataDir: dir, BaseURL: "http://alice.test", NoteLimit: 500, MaxUploadMB: 10, TrustedProxies: ranges}
	s, err := newSite(context.Background(), cfg, db, siteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s.handler
}

// wrongLogin sends a wrong password from remote, with the X-Forwarded-For
// a proxy (or a liar) added, and returns the answer's status.
func wrongLogin(h http.Handler, remote, forwardedFor string) int {
	req := httptest.NewRequest(http.MethodPost, "http://alice.test/login", strings.NewReader(url.Values{"password": {"guess"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = remote
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// TestTrustedProxyShowsTheRealClient: behind a trusted proxy, one visitor
// guessing passwords is paused without pausing the others.
func TestTrustedProxyShowsTheRealClient(t *testing.T) {
	h := proxySite(t, "127.0.0.1")
	for range 5 {
		wrongLogin(h, "127.0.0.1:5000", "203.0.113.5")
	}
	if code := wrongLogin(h, "127.0.0.1:5000", "203.0.113.5"); code != http.StatusTooManyRequests {
		t.Errorf("sixth wrong password from one visitor: %d, want 429", code)
	}
	if code := wrongLogin(h, "127.0.0.1:5000", "198.51.100.7"); code == http.StatusTooManyRequests {
		t.Error("another visitor behind the same proxy was paused too")
	}
}

// TestUntrustedForwardingHeadersAreIgnored: without a trusted proxy, a
// client cannot escape the limit by making up X-Forwarded-For.
func TestUntrustedForwardingHeadersAreIgnored(t *testing.T) {
	h := proxySite(t)
	for i := range 5 {
		wrongLogin(h, "192.0.2.9:4000", "203.0.113."+string(rune('1'+i)))
	}
	if code := wrongLogin(h, "192.0.2.9:4000", "198.51.100.7"); code != http.StatusTooManyRequests {
		t.Errorf("a made-up X-Forwarded-For escaped the limit: %d, want 429", code)
	}
}

func TestTrustedProxyHostAndScheme(t *testing.T) {
	ranges, err := parseProxyRanges([]string{"10.0.0.0/8, ::1"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := newTrustedProxies(ranges)
	if err != nil {
		t.Fatal(err)
	}
	var got *http.Request
	h := p.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r }))
	cases := []struct {
		name, remote                string
		header                      http.Header
		wantAddr, wantHost, wantURL string
	}{
		{"Forwarded", "10.1.2.3:80", http.Header{"Forwarded": {`for=198.51.100.1;proto=https;host="alice.test"`}},
			"198.51.100.1:0", "alice.test", "https"},
		{"X-Forwarded-*", "[::1]:80", http.Header{"X-Forwarded-For": {"198.51.100.2, 10.9.9.9"}, "X-Forwarded-Proto": {"https"},
			"X-Forwarded-Host": {"alice.test"}}, "198.51.100.2:0", "alice.test", "https"},
		{"not a proxy", "192.0.2.1:80", http.Header{"X-Forwarded-For": {"198.51.100.3"}, "X-Forwarded-Host": {"evil.test"}},
			"192.0.2.1:80", "127.0.0.1:8080", ""},
	}
	for _, c := range cases {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host, req.URL.Scheme, req.URL.Host = "127.0.0.1:8080", "", ""
		req.RemoteAddr, req.Header = c.remote, c.header
		h.ServeHTTP(httptest.NewRecorder(), req)
		if got.RemoteAddr != c.wantAddr || got.Host != c.wantHost || got.URL.Scheme != c.wantURL {
			t.Errorf("%s: client %s host %s scheme %q; want %s %s %q", c.name, got.RemoteAddr, got.Host, got.URL.Scheme,
				c.wantAddr, c.wantHost, c.wantURL)
		}
	}
	if _, err := parseProxyRanges([]string{"proxy.example"}); err == nil {
		t.Error("a host name was taken as a proxy range")
	}
}

func TestTrustedProxyFlag(t *testing.T) {
	c, err := parseServeConfig([]string{"--data", t.TempDir(), "--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[1].String() != "192.0.2.1/32" {
		t.Errorf("trusted proxies %v", c.TrustedProxies)
	}
	if _, err := parseServeConfig([]string{"--trusted-proxy", "10.0.0.0/33"}); err == nil {
		t.Error("a bad CIDR was accepted")
	}
}
