package mastodon

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// approveCode has the owner approve an authorization request and returns
// the code the app receives.
func approveCode(t *testing.T, ta *testAPI, form url.Values) string {
	t.Helper()
	resp, err := noRedirect().PostForm(ta.srv.URL+"/oauth/authorize", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	_, q, ok := strings.Cut(loc, "?")
	code := ""
	if ok {
		v, _ := url.ParseQuery(q)
		code = v.Get("code")
	}
	if resp.StatusCode != http.StatusFound || code == "" {
		t.Fatalf("approve: %d to %q, want a redirect with a code", resp.StatusCode, loc)
	}
	return code
}

// TestCodeExchangeBindsRedirectURI: a code whose authorization request
// named a redirect_uri is redeemed only by a token request that names the
// same one (RFC 6749 section 4.1.3); leaving it out or changing it is
// invalid_grant. A code issued without one still redeems without one.
func TestCodeExchangeBindsRedirectURI(t *testing.T) {
	ta := newTestAPI(t, false)
	ta.owner = true
	redirect := "https://app.example/callback"
	other := "myapp://callback"
	id, secret := ta.register(t, redirect+"\n"+other, "read")
	authorize := url.Values{"client_id": {id}, "redirect_uri": {redirect}, "scope": {"read"}}
	exchange := func(code string, redirectURI *string) url.Values {
		f := url.Values{"grant_type": {"authorization_code"}, "client_id": {id}, "client_secret": {secret}, "code": {code}}
		if redirectURI != nil {
			f.Set("redirect_uri", *redirectURI)
		}
		return f
	}

	var refused map[string]any
	ta.do(t, "POST", "/oauth/token", "", exchange(approveCode(t, ta, authorize), nil), http.StatusBadRequest, &refused)
	if refused["error"] != "invalid_grant" {
		t.Errorf("without redirect_uri: %v, want invalid_grant", refused)
	}
	ta.do(t, "POST", "/oauth/token", "", exchange(approveCode(t, ta, authorize), &other), http.StatusBadRequest, nil)
	ta.do(t, "POST", "/oauth/token", "", exchange(approveCode(t, ta, authorize), &redirect), http.StatusOK, nil)

	single, singleSecret := ta.register(t, redirect, "read")
	implicit := url.Values{"client_id": {single}, "scope": {"read"}}
	f := url.Values{"grant_type": {"authorization_code"}, "client_id": {single}, "client_secret": {singleSecret}}
	f.Set("code", approveCode(t, ta, implicit))
	ta.do(t, "POST", "/oauth/token", "", f, http.StatusOK, nil)
	f.Set("code", approveCode(t, ta, implicit))
	f.Set("redirect_uri", "https://elsewhere.example/")
	ta.do(t, "POST", "/oauth/token", "", f, http.StatusBadRequest, nil)
}

// TestRegisterAppRedirectSchemes: registration refuses redirect URIs that
// would run or embed content in the owner's browser, whatever their case,
// and keeps every kind that Mastodon apps use.
func TestRegisterAppRedirectSchemes(t *testing.T) {
	ta := newTestAPI(t, false)
	for _, bad := range []string{
		"javascript:alert(document.cookie)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
		"vbscript:msgbox(1)", "file:///etc/passwd", "https://app.example/cb\njavascript:alert(1)",
	} {
		var out map[string]any
		ta.do(t, "POST", "/api/v1/apps", "", url.Values{"client_name": {"App"}, "redirect_uris": {bad}, "scopes": {"read"}}, http.StatusUnprocessableEntity, &out)
		if msg, _ := out["error"].(string); !strings.Contains(msg, "redirect_uri") {
			t.Errorf("%q: error %v does not name redirect_uri", bad, out)
		}
	}
	for _, good := range []string{oob, "https://app.example/callback", "http://127.0.0.1:8000/cb", "http://localhost/cb",
		"myapp://callback", "com.example.App:/oauth?keep=1"} {
		ta.do(t, "POST", "/api/v1/apps", "", url.Values{"client_name": {"App"}, "redirect_uris": {good}, "scopes": {"read"}}, http.StatusOK, nil)
	}
}

// TestAuthorizeRefusesStoredScriptRedirect: an app stored with a
// javascript: redirect before registration refused it cannot have the
// owner's approval sent there.
func TestAuthorizeRefusesStoredScriptRedirect(t *testing.T) {
	ta := newTestAPI(t, false)
	ta.owner = true
	ap := app{Name: "Old", RedirectURIs: []string{"javascript:alert(1)"}, Scopes: []string{"read"}}
	if err := ta.api.createApp(context.Background(), &ap); err != nil {
		t.Fatal(err)
	}
	resp, err := noRedirect().PostForm(ta.srv.URL+"/oauth/authorize", url.Values{"client_id": {ap.ClientID}, "scope": {"read"}, "approve": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Errorf("approve for a javascript: redirect: %d to %q, want 400 and no redirect", resp.StatusCode, resp.Header.Get("Location"))
	}
}
