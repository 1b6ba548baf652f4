package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// An address no room serves gets a page in the site's own look for a
// browser, and a short answer for anything else.
func TestUnknownAddressesGetAThemedPage(t *testing.T) {
	ts := startTestSite(t, newTestNet(), "alice.test", "")
	get := func(path, accept string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept", accept)
		rec := httptest.NewRecorder()
		ts.handler.ServeHTTP(rec, req)
		return rec
	}
	for _, path := range []string{"/no-such-page", "/blog/2026/01/old-permalink/feed", "/wp-login.php"} {
		rec := get(path, "text/html,application/xhtml+xml,*/*;q=0.8")
		body := rec.Body.String()
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Header().Get("Content-Type"), "text/html") ||
			!strings.Contains(body, "<main") || !strings.Contains(body, "There is nothing at this address") {
			t.Errorf("%s: %d %q, want the site's own 404 page", path, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
	if rec := get("/no-such-page", "*/*"); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "<nav") {
		t.Errorf("a client that takes anything (curl): %d, want the themed page", rec.Code)
	}
	if rec := get("/no-such-page", "application/activity+json"); rec.Code != http.StatusNotFound || strings.Contains(rec.Body.String(), "<main") {
		t.Errorf("a peer asking for an unknown address: %d %q", rec.Code, rec.Body.String())
	}
	// Addresses that exist are not caught by it.
	if rec := get("/", "text/html"); rec.Code != http.StatusOK {
		t.Errorf("front page: %d", rec.Code)
	}
	if rec := get("/api/v1/no-such-endpoint", "application/json"); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "error") {
		t.Errorf("unknown API endpoint: %d %q, want Mastodon's JSON error", rec.Code, rec.Body.String())
	}
}
