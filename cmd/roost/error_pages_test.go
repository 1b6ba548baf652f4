package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A wrong method and a failing handler give a browser the site's own page
// (navigation included), and a program the short answer.
func TestErrorPagesAreThemed(t *testing.T) {
	ts := startTestSite(t, newTestNet(), "alice.test", "")
	do := func(h http.Handler, method, path, accept string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, nil)
		req.Header.Set("Accept", accept)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	const browser = "text/html,application/xhtml+xml,*/*;q=0.8"
	rec := do(ts.handler, http.MethodDelete, "/login", browser)
	if rec.Code != http.StatusMethodNotAllowed || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") ||
		!strings.Contains(rec.Body.String(), "<nav") || !strings.Contains(rec.Body.String(), "Not allowed here") {
		t.Errorf("405 for a browser: %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	if rec := do(ts.handler, http.MethodDelete, "/login", "application/json"); rec.Code != http.StatusMethodNotAllowed || strings.Contains(rec.Body.String(), "<nav") {
		t.Errorf("405 for a program: %d %q", rec.Code, rec.Body.String())
	}

	failing := ts.errorPages(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/panic" {
			panic("broken handler")
		}
		http.Error(w, "database unavailable", http.StatusInternalServerError)
	}))
	for _, path := range []string{"/error", "/panic"} {
		rec := do(failing, http.MethodGet, path, browser)
		body := rec.Body.String()
		if rec.Code != http.StatusInternalServerError || !strings.Contains(body, "<nav") || !strings.Contains(body, "Something went wrong") ||
			strings.Contains(body, "database unavailable") {
			t.Errorf("%s for a browser: %d %q", path, rec.Code, body)
		}
	}
	if rec := do(failing, http.MethodGet, "/error", "*/*"); rec.Body.String() != "database unavailable\n" {
		t.Errorf("500 for a program: %q", rec.Body.String())
	}
}
