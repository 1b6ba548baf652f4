package mastodon

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestAuthorizationCodeWithPKCE(t *testing.T) {
	ta := newTestAPI(t, false)
	redirect := "com.example.App:/callback?keep=1"
	id, _ := ta.register(t, redirect, "read write")
	verifier := "a-long-enough-verifier-for-the-pkce-check-0123456789"
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])
	q := url.Values{"client_id": {id}, "redirect_uri": {redirect}, "scope": {"read write"}, "response_type": {"code"},
		"state": {"xyz"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}

	resp, err := noRedirect().Get(ta.srv.URL + "/oauth/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "/login?next=") {
		t.Fatalf("logged out authorize: %d %q", resp.StatusCode, loc)
	}
	ta.owner = true
	resp, err = http.Get(ta.srv.URL + "/oauth/authorize?" + q.Encode())
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("authorize page: %v %v", resp.StatusCode, err)
	}
	q.Del("response_type")
	resp, err = noRedirect().PostForm(ta.srv.URL+"/oauth/authorize", q)
	if err != nil {
		t.Fatal(err)
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "com.example.App:/callback?keep=1&code=") || !strings.HasSuffix(loc, "&state=xyz") {
		t.Fatalf("redirect %q", loc)
	}
	code, _ := url.QueryUnescape(strings.TrimSuffix(strings.SplitN(loc, "code=", 2)[1], "&state=xyz"))

	form := url.Values{"grant_type": {"authorization_code"}, "client_id": {id}, "code": {code}, "redirect_uri": {redirect}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("code_verifier", "wrong")
	ta.do(t, "POST", "/oauth/token", "", bad, 400, nil)

	// The failed attempt used the code up: a code works once.
	id2, _ := ta.register(t, redirect, "read write")
	_ = id2
	resp, _ = noRedirect().PostForm(ta.srv.URL+"/oauth/authorize", q)
	loc = resp.Header.Get("Location")
	code, _ = url.QueryUnescape(strings.TrimSuffix(strings.SplitN(loc, "code=", 2)[1], "&state=xyz"))
	form.Set("code", code)
	form.Set("code_verifier", verifier)
	var tok map[string]any
	ta.do(t, "POST", "/oauth/token", "", map[string]string{"grant_type": "authorization_code", "client_id": id, "code": code,
		"redirect_uri": redirect, "code_verifier": verifier}, 200, &tok)
	if tok["token_type"] != "Bearer" || tok["scope"] != "read write" {
		t.Fatalf("token %v", tok)
	}
	if _, ok := tok["created_at"].(float64); !ok {
		t.Fatalf("created_at is not a number: %v", tok["created_at"])
	}
	ta.do(t, "GET", "/api/v1/accounts/verify_credentials", tok["access_token"].(string), nil, 200, nil)
}

func TestAuthorizationCodeOOB(t *testing.T) {
	ta := newTestAPI(t, false)
	ta.owner = true
	id, secret := ta.register(t, oob, "read")
	resp, err := http.PostForm(ta.srv.URL+"/oauth/authorize", url.Values{"client_id": {id}, "redirect_uri": {oob}, "scope": {"read"}})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("oob approve: %v", err)
	}
	body := readAll(resp)
	i := strings.Index(body, `data-testid="oauth-code-value"`)
	if i < 0 {
		t.Fatalf("no code shown: %s", body)
	}
	start := strings.LastIndex(body[:i], `value="`) + len(`value="`)
	code := body[start : start+strings.IndexByte(body[start:], '"')]
	var tok map[string]any
	ta.do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "client_id": {id},
		"client_secret": {secret}, "code": {code}, "redirect_uri": {oob}}, 200, &tok)
}

func TestPasswordGrant(t *testing.T) {
	ta := newTestAPI(t, false)
	id, secret := ta.register(t, oob, "read write")
	for _, tc := range []struct {
		user, pass string
		want       int
	}{
		{"alice.test", "correct horse", 200},
		{"alice.test@alice.test", "correct horse", 200},
		{"@alice.test", "correct horse", 200},
		{"alice.test", "wrong", 400},
		{"someone", "correct horse", 400},
	} {
		var out map[string]any
		ta.do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"password"}, "client_id": {id}, "client_secret": {secret},
			"username": {tc.user}, "password": {tc.pass}}, tc.want, &out)
		if tc.want == 400 && out["error"] != "invalid_grant" {
			t.Errorf("%s: error %v", tc.user, out["error"])
		}
	}
}

func TestClientCredentialsAndRevoke(t *testing.T) {
	ta := newTestAPI(t, false)
	id, secret := ta.register(t, oob, "read")
	var tok map[string]any
	ta.do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}, 200, &tok)
	app := tok["access_token"].(string)
	ta.do(t, "GET", "/api/v1/apps/verify_credentials", app, nil, 200, nil)
	// An app token does not speak for the owner.
	ta.do(t, "GET", "/api/v1/accounts/verify_credentials", app, nil, 422, nil)
	ta.do(t, "POST", "/oauth/revoke", "", url.Values{"client_id": {id}, "client_secret": {secret}, "token": {app}}, 200, nil)
	ta.do(t, "GET", "/api/v1/apps/verify_credentials", app, nil, 401, nil)
}

func TestScopesAndCORS(t *testing.T) {
	ta := newTestAPI(t, false)
	readOnly := ta.passwordToken(t, "read")
	ta.do(t, "GET", "/api/v1/timelines/home", readOnly, nil, 200, nil)
	var e map[string]string
	ta.do(t, "POST", "/api/v1/statuses", readOnly, map[string]string{"status": "hi"}, 403, &e)
	if e["error"] != "This action is outside the authorized scopes" {
		t.Errorf("error %q", e["error"])
	}
	granular := ta.passwordToken(t, "read:statuses write:media")
	ta.do(t, "GET", "/api/v1/timelines/home", granular, nil, 200, nil)
	ta.do(t, "GET", "/api/v1/notifications", granular, nil, 403, nil)
	ta.do(t, "GET", "/api/v1/timelines/home", "", nil, 401, nil)
	ta.do(t, "GET", "/api/v1/timelines/home", "nonsense", nil, 401, nil)

	req, _ := http.NewRequest("OPTIONS", ta.srv.URL+"/api/v1/statuses", nil)
	req.Header.Set("Origin", "https://elk.zone")
	req.Header.Set("Access-Control-Request-Headers", "authorization,idempotency-key")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	h := resp.Header
	if h.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(h.Get("Access-Control-Allow-Headers"), "Idempotency-Key") ||
		!strings.Contains(h.Get("Access-Control-Expose-Headers"), "Link") {
		t.Errorf("preflight headers %v", h)
	}
	var meta map[string]any
	ta.do(t, "GET", "/.well-known/oauth-authorization-server", "", nil, 200, &meta)
	if m := meta["code_challenge_methods_supported"].([]any); len(m) != 1 || m[0] != "S256" {
		t.Errorf("metadata %v", meta)
	}
}

func TestRateLimit(t *testing.T) {
	l := newLimiter(1, 2)
	now := testNow()
	allowed := func(at time.Time) bool { ok, _ := l.allow(1, at); return ok }
	first, second, third := allowed(now), allowed(now), allowed(now)
	if !first || !second || third {
		t.Fatal("burst of 2 not enforced")
	}
	if !allowed(now.Add(1500 * 1e6)) {
		t.Fatal("bucket did not refill")
	}
}
