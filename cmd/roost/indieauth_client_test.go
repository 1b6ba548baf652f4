package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// A client's page names it on the consent page, and a redirect_uri on
// another host is allowed only when the client lists it: as a JSON client
// metadata document or as rel=redirect_uri links beside an h-app.
func TestIndieAuthReadsWhatTheClientSaysOfItself(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Host + r.URL.Path {
		case "jsonapp.test/":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"client_id": "http://jsonapp.test/", "client_name": "Quill Notes", "client_uri": "http://jsonapp.test/about",
				"logo_uri": "javascript:alert(1)", "redirect_uris": ["http://login.jsonapp.test/back"]}`)
		case "htmlapp.test/":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<html><head><link rel="redirect_uri" href="http://elsewhere.test/cb"></head>
				<body><div class="h-app"><img class="u-logo" src="/logo.png" alt=""><a class="u-url p-name" href="/">Indigenous Reader</a></div></body></html>`)
		case "liar.test/":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"client_id": "http://someone-else.test/", "client_name": "Not Me", "redirect_uris": ["http://evil.test/cb"]}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	for _, h := range []string{"jsonapp.test", "htmlapp.test", "liar.test"} {
		tn.add(h, srv.Listener.Addr().String())
	}
	consent := func(clientID, redirect string) (string, int) {
		t.Helper()
		q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirect}, "state": {"s"},
			"code_challenge": {"abc"}, "code_challenge_method": {"S256"}, "scope": {"profile"}}
		return page(t, alice.Owner, alice.Base+"/indieauth/auth?"+q.Encode())
	}

	body, code := consent("http://jsonapp.test/", "http://login.jsonapp.test/back")
	if code != http.StatusOK || !strings.Contains(body, "Sign in to Quill Notes") || !strings.Contains(body, `href="http://jsonapp.test/about"`) ||
		!strings.Contains(body, "login.jsonapp.test") {
		t.Errorf("consent for the JSON client: %d, named %v", code, strings.Contains(body, "Quill Notes"))
	}
	if strings.Contains(body, "javascript:") {
		t.Error("a javascript: logo reached the page")
	}
	body, code = consent("http://htmlapp.test/", "http://elsewhere.test/cb")
	if code != http.StatusOK || !strings.Contains(body, "Sign in to Indigenous Reader") || !strings.Contains(body, `class="client-logo"`) {
		t.Errorf("consent for the h-app client: %d", code)
	}
	if _, code := consent("http://htmlapp.test/", "http://unlisted.test/cb"); code != http.StatusBadRequest {
		t.Errorf("a redirect the client does not list: %d, want 400", code)
	}
	if _, code := consent("http://liar.test/", "http://evil.test/cb"); code != http.StatusBadRequest {
		t.Errorf("a document naming another client_id opened a foreign redirect: %d, want 400", code)
	}
	// A client with no page at all still signs in on its own host.
	if body, code := consent("http://nopage.test/", "http://nopage.test/cb"); code != http.StatusOK || !strings.Contains(body, "Sign in to nopage.test") {
		t.Errorf("a client without a page: %d", code)
	}
}

// Codes are kept in the database by their hash: what one process issued
// another redeems, and a copy of the database holds no usable code.
func TestIndieAuthCodesAreStoredHashed(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	form := url.Values{"client_id": {"http://app.test/"}, "redirect_uri": {"http://app.test/cb"}, "state": {"s"},
		"code_challenge": {"abc"}, "scope": {"profile"}, "decision": {"allow"}}
	resp, err := alice.Owner.PostForm(alice.Base+"/indieauth/consent", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, _ := url.Parse(resp.Header.Get("Location"))
	code := back.Query().Get("code")
	if code == "" {
		t.Fatalf("no code in %q", back)
	}
	var stored int
	if err := alice.db.QueryRow(`SELECT COUNT(*) FROM indieauth_codes WHERE code_hash <> ?`, code).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("stored codes (not in clear) = %d, %v", stored, err)
	}
	got, err := alice.access.Store.TakeAuthCode(context.Background(), code, time.Now())
	if err != nil || got.ClientID != "http://app.test/" || len(got.Scopes) != 1 {
		t.Fatalf("take = %+v, %v", got, err)
	}
	if _, err := alice.access.Store.TakeAuthCode(context.Background(), code, time.Now()); err == nil {
		t.Error("a code was redeemed twice")
	}
}
