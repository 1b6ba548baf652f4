package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestIndieAuthSignsInAndGivesMicropubATokenThatCanBeRevoked(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	app := alice.client(tn) // another site, signing the owner in

	// Discovery from the domain.
	front, _ := page(t, app, alice.Base+"/")
	m := regexp.MustCompile(`<link rel="indieauth-metadata" href="([^"]+)"`).FindStringSubmatch(front)
	if m == nil {
		t.Fatal("the front page advertises no indieauth-metadata")
	}
	body, code := page(t, app, m[1])
	var meta map[string]any
	if err := json.Unmarshal([]byte(body), &meta); err != nil || code != http.StatusOK {
		t.Fatalf("metadata %d: %v", code, err)
	}
	if meta["issuer"] != alice.Base+"/" || meta["code_challenge_methods_supported"].([]any)[0] != "S256" {
		t.Fatalf("metadata = %v", meta)
	}
	authz, tokenURL := meta["authorization_endpoint"].(string), meta["token_endpoint"].(string)

	const clientID, redirect = "http://app.test/", "http://app.test/callback"
	verifier := "a-long-random-verifier-of-the-client-0123456789"
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])

	// getCode walks the owner through the consent page and returns the code.
	getCode := func(scopes ...string) string {
		t.Helper()
		q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirect}, "state": {"s1"},
			"code_challenge": {challenge}, "code_challenge_method": {"S256"}, "scope": {"profile create"}, "me": {alice.Base + "/"}}
		consent, code := page(t, alice.Owner, authz+"?"+q.Encode())
		if code != http.StatusOK || !strings.Contains(consent, "Sign in to app.test") {
			t.Fatalf("consent page %d", code)
		}
		form := url.Values{"client_id": {clientID}, "redirect_uri": {redirect}, "state": {"s1"},
			"code_challenge": {challenge}, "scope": scopes, "decision": {"allow"}}
		resp, err := alice.Owner.PostForm(alice.Base+"/indieauth/consent", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		back, err := url.Parse(resp.Header.Get("Location"))
		if err != nil || resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(back.String(), redirect) ||
			back.Query().Get("state") != "s1" || back.Query().Get("code") == "" {
			t.Fatalf("consent answered %d to %q", resp.StatusCode, back)
		}
		return back.Query().Get("code")
	}
	redeem := func(endpoint, code, verifier string) (int, map[string]any) {
		t.Helper()
		resp, err := app.PostForm(endpoint, url.Values{"grant_type": {"authorization_code"}, "code": {code},
			"client_id": {clientID}, "redirect_uri": {redirect}, "code_verifier": {verifier}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}

	// A consent page is only for the owner.
	if _, code := page(t, app, authz+"?response_type=code"); code == http.StatusOK {
		t.Fatal("a stranger saw the consent page")
	}

	// Sign-in only: the profile.
	if code, out := redeem(authz, getCode("profile"), verifier); code != http.StatusOK || out["me"] != alice.Base+"/" ||
		out["profile"].(map[string]any)["url"] != alice.Base+"/" {
		t.Fatalf("profile redemption %d: %v", code, out)
	}

	// A wrong verifier is refused, and burns the code.
	c := getCode("profile", "create")
	if code, out := redeem(tokenURL, c, "not-the-verifier-at-all-0123456789abcdefgh"); code != http.StatusBadRequest || out["error"] != "invalid_grant" {
		t.Fatalf("wrong verifier: %d %v", code, out)
	}
	if code, _ := redeem(tokenURL, c, verifier); code != http.StatusBadRequest {
		t.Fatalf("a code was redeemed twice: %d", code)
	}

	code, out := redeem(tokenURL, getCode("profile", "create"), verifier)
	token, _ := out["access_token"].(string)
	if code != http.StatusOK || token == "" || out["scope"] != "create" || out["me"] != alice.Base+"/" {
		t.Fatalf("token redemption %d: %v", code, out)
	}

	post := func(token string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, alice.Base+"/micropub",
			strings.NewReader(url.Values{"h": {"entry"}, "content": {"signed in with my domain"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := app.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(token); code != http.StatusCreated && code != http.StatusAccepted {
		t.Fatalf("micropub with the IndieAuth token: %d", code)
	}
	if code, _ := apiCall(t, alice, token, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"from an app"}}); code != http.StatusOK {
		t.Fatalf("Mastodon API with the IndieAuth token: %d", code)
	}
	if notes, _ := page(t, app, alice.Base+"/notes/"); !strings.Contains(notes, "signed in with my domain") {
		t.Fatal("the Micropub note is not on the notes page")
	}

	resp, err := app.PostForm(meta["revocation_endpoint"].(string), url.Values{"token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if code := post(token); code != http.StatusUnauthorized && code != http.StatusForbidden {
		t.Fatalf("micropub with a revoked token: %d", code)
	}
	if code, _ := apiCall(t, alice, token, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"again"}}); code != http.StatusUnauthorized {
		t.Fatalf("Mastodon API with a revoked token: %d", code)
	}

	// The owner sees the sign-in among the apps and can revoke it there.
	_, out = redeem(tokenURL, getCode("create"), verifier)
	second, _ := out["access_token"].(string)
	apps, _ := page(t, alice.Owner, alice.Base+"/settings/apps")
	if !strings.Contains(apps, "IndieAuth: "+clientID) {
		t.Fatal("/settings/apps does not list the IndieAuth sign-in")
	}
	ids := regexp.MustCompile(`name="app_id" value="(token-\d+)"`).FindAllStringSubmatch(apps, -1)
	if len(ids) == 0 {
		t.Fatal("no revoke form for the IndieAuth token")
	}
	if code := postForm(t, alice.Owner, alice.Base+"/settings/apps/revoke", url.Values{"app_id": {ids[len(ids)-1][1]}}); code != http.StatusSeeOther {
		t.Fatalf("revoke from settings: %d", code)
	}
	if code := post(second); code != http.StatusUnauthorized && code != http.StatusForbidden {
		t.Fatalf("micropub with a token revoked in settings: %d", code)
	}
}
