package main

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"roost/feed"
)

// TestSiteTokensInMastodonAPI: the README offers `roost token create`
// tokens to scripts; the Mastodon API takes them with the scopes they were
// made with, and forgets them once revoked.
func TestSiteTokensInMastodonAPI(t *testing.T) {
	alice := startTestSite(t, newTestNet(), "alice.test", "")
	ctx := context.Background()
	_, secret, err := alice.access.Store.CreateToken(ctx, "script", "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if code, acct := apiCall(t, alice, secret, http.MethodGet, "/api/v1/accounts/verify_credentials", nil); code != http.StatusOK || acct["acct"] != "alice.test" {
		t.Errorf("verify_credentials with a site token: %d %v", code, acct)
	}
	if code, st := apiCall(t, alice, secret, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"from a script"}}); code != http.StatusOK || st["id"] == nil {
		t.Errorf("posting with the default scope (create): %d %v", code, st)
	}
	_, readOnly, err := alice.access.Store.CreateToken(ctx, "reader", "read", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := apiCall(t, alice, readOnly, http.MethodGet, "/api/v1/timelines/home", nil); code != http.StatusOK {
		t.Errorf("reading with a read token: %d", code)
	}
	if code, _ := apiCall(t, alice, readOnly, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"nope"}}); code != http.StatusForbidden {
		t.Errorf("posting with a read token: %d, want 403", code)
	}
	if code, _ := apiCall(t, alice, "roost_not-a-token", http.MethodGet, "/api/v1/timelines/home", nil); code != http.StatusUnauthorized {
		t.Errorf("an unknown token: %d, want 401", code)
	}
	tokens, err := alice.access.Store.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range tokens {
		if err := alice.access.Store.RevokeToken(ctx, tk.ID); err != nil {
			t.Fatal(err)
		}
	}
	alice.api.TokensRevoked()
	if code, _ := apiCall(t, alice, secret, http.MethodGet, "/api/v1/timelines/home", nil); code != http.StatusUnauthorized {
		t.Errorf("a revoked site token: %d, want 401", code)
	}
}

// TestSourcePrivacyFromEveryApp: apps send source[privacy] as a form
// (Mastodon.py), as JSON (masto.js, Ice Cubes) or as multipart with an
// avatar (Tusky); each way it becomes the site's default visibility.
func TestSourcePrivacyFromEveryApp(t *testing.T) {
	alice := startTestSite(t, newTestNet(), "alice.test", "")
	token := passwordGrant(t, alice.site, testPassword)
	send := func(body *bytes.Buffer, contentType string) int {
		req := httptest.NewRequest(http.MethodPatch, "/api/v1/accounts/update_credentials", body)
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		alice.handler.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := send(bytes.NewBufferString(`{"source":{"privacy":"unlisted"}}`), "application/json"); code != http.StatusOK {
		t.Fatalf("JSON: %d", code)
	}
	if got := alice.settings.Get().DefaultVisibility; got != feed.VisibilityUnlisted {
		t.Errorf("after JSON source.privacy=unlisted the default is %q", got)
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("source[privacy]", "private")
	mw.Close()
	if code := send(&b, mw.FormDataContentType()); code != http.StatusOK {
		t.Fatalf("multipart: %d", code)
	}
	if got := alice.settings.Get().DefaultVisibility; got != feed.VisibilityFollowers {
		t.Errorf("after multipart source[privacy]=private the default is %q", got)
	}
	if code, st := apiCall(t, alice, token, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"quiet"}}); code != http.StatusOK || st["visibility"] != "private" {
		t.Errorf("a status without a visibility after the change: %d %v", code, st["visibility"])
	}
	if code := send(bytes.NewBufferString(`{"source":{"privacy":"everyone"}}`), "application/json"); code != http.StatusUnprocessableEntity {
		t.Errorf("an unknown privacy: %d, want 422", code)
	}
}
