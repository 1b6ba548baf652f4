package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func apiStatus(ts *testSite, token string) int {
	req := httptest.NewRequest(http.MethodGet, "/api/v1/accounts/verify_credentials", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	return rec.Code
}

// Changing the password signs the owner out everywhere: app tokens
// obtained with the old password stop working, whether the change is made
// by `roost passwd` while the site runs or inside the site.
func TestPasswordChangeRevokesAppTokens(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	token := passwordGrant(t, alice.site, testPassword)
	if code := apiStatus(alice, token); code != http.StatusOK {
		t.Fatalf("token before the change: %d", code)
	}

	// `roost passwd` from another process on the same data.
	in := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(in, []byte("a brand new password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	stdin, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var out bytes.Buffer
	if err := runPasswd([]string{"--data", alice.Data}, stdin, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "1 app tokens revoked") {
		t.Errorf("passwd told the owner %q, want how many app tokens were revoked", out.String())
	}
	eventually(t, 2*tokenCacheWait, "the old token is refused by the running site", func() bool {
		return apiStatus(alice, token) == http.StatusUnauthorized
	})

	// Inside the site the change takes effect at once.
	token = passwordGrant(t, alice.site, "a brand new password")
	revoked, err := alice.access.Store.ChangePassword(context.Background(), "yet another password")
	if err != nil || revoked.Tokens != 1 {
		t.Fatalf("ChangePassword revoked %+v (%v), want one token", revoked, err)
	}
	if code := apiStatus(alice, token); code != http.StatusUnauthorized {
		t.Errorf("token after the change: %d, want 401", code)
	}
}

// tokenCacheWait bounds how long a running site keeps trusting a token it
// verified before another process revoked it.
const tokenCacheWait = 6 * time.Second
