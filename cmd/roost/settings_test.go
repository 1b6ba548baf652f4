package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestSettingsPages: /settings lists every section, and the account page
// changes the password as the owner expects: a wrong current password or
// two different new ones change nothing; a change keeps this browser
// logged in, logs out the others, revokes the apps' tokens and says so.
func TestSettingsPages(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	body, code := page(t, alice.Owner, alice.Base+"/settings")
	for _, want := range []string{`href="/settings/profile"`, `href="/settings/account"`, `href="/settings/site"`, `href="/settings/apps"`, `href="/settings/data"`} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("/settings (%d) lacks %q", code, want)
		}
	}
	if _, code := page(t, alice.client(tn), alice.Base+"/settings"); code == http.StatusOK {
		t.Error("a visitor sees /settings")
	}
	body, _ = page(t, alice.Owner, alice.Base+"/settings/account")
	if !strings.Contains(body, "@alice.test") {
		t.Errorf("the account page does not show the handle:\n%s", body)
	}

	other := alice.client(tn)
	if resp, err := other.PostForm(alice.Base+"/login", url.Values{"password": {testPassword}}); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second browser login: %v", err)
	}
	appToken := passwordGrant(t, alice.site, testPassword)

	change := func(current, next, again string) *http.Response {
		t.Helper()
		resp, err := alice.Owner.PostForm(alice.Base+"/settings/account", url.Values{"current": {current}, "password": {next}, "password2": {again}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	const newPassword = "a brand new passphrase"
	if resp := change("not it at all", newPassword, newPassword); resp.StatusCode != http.StatusForbidden {
		t.Errorf("wrong current password: %d", resp.StatusCode)
	}
	if resp := change(testPassword, newPassword, newPassword+"!"); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("different new passwords: %d", resp.StatusCode)
	}
	if err := alice.access.Store.CheckPassword(context.Background(), testPassword); err != nil {
		t.Fatalf("a refused change changed the password: %v", err)
	}
	resp := change(testPassword, newPassword, newPassword)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "changed=1") {
		t.Fatalf("change: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	body, code = page(t, alice.Owner, alice.Base+resp.Header.Get("Location"))
	if code != http.StatusOK || !strings.Contains(body, "Password changed. 1 other sessions ended and 1 app tokens revoked") {
		t.Errorf("after the change (%d) the page says:\n%s", code, body)
	}
	if _, code := page(t, other, alice.Base+"/settings"); code == http.StatusOK {
		t.Error("the other browser is still logged in")
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/accounts/verify_credentials", nil)
	req.Header.Set("Authorization", "Bearer "+appToken)
	alice.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("the app's token still works: %d", rec.Code)
	}
	if err := alice.access.Store.CheckPassword(context.Background(), newPassword); err != nil {
		t.Errorf("the new password does not work: %v", err)
	}
}
