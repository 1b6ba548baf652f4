package mastodon

import (
	"context"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"roost/federation/vocab"
)

// A token made for pushes or for posting alone must not read the owner's
// private posts through the routes that also answer strangers.
func TestPublicRoutesRequireReadScopeFromTokens(t *testing.T) {
	ta := newTestAPI(t, true)
	var st map[string]any
	ta.do(t, "POST", "/api/v1/statuses", ta.token, url.Values{"status": {"private words"}, "visibility": {"direct"}}, 200, &st)
	id := st["id"].(string)
	for _, scopes := range []string{"push", "profile", "write:media", "write:statuses"} {
		tok := ta.passwordToken(t, scopes)
		for _, path := range []string{"/api/v1/statuses/" + id, "/api/v1/statuses/" + id + "/history",
			"/api/v1/statuses/" + id + "/context", "/api/v1/accounts/" + ownerAccountID + "/statuses"} {
			var body any
			resp := ta.do(t, "GET", path, tok, nil, 403, &body)
			resp.Body.Close()
		}
	}
	// A reading token still sees it, and strangers get nothing.
	ta.do(t, "GET", "/api/v1/statuses/"+id, ta.passwordToken(t, "read:statuses"), nil, 200, &st)
	var none map[string]any
	ta.do(t, "GET", "/api/v1/statuses/"+id, "", nil, 404, &none)
	var list []map[string]any
	ta.do(t, "GET", "/api/v1/accounts/"+ownerAccountID+"/statuses", "", nil, 200, &list)
	for _, s := range list {
		if strings.Contains(s["content"].(string), "private words") {
			t.Errorf("an anonymous request reads the direct post on the profile: %v", s)
		}
	}
}

// An anonymous lookup answers from what the site knows and never makes it
// fetch: otherwise anyone could aim the site's requests at any host.
func TestAnonymousLookupNeverResolvesRemotely(t *testing.T) {
	ta := newTestAPI(t, true)
	var calls atomic.Int32
	resolve := ta.api.cfg.Resolve
	ta.api.cfg.Resolve = func(ctx context.Context, in string) (*vocab.Actor, error) {
		calls.Add(1)
		return resolve(ctx, in)
	}
	var out map[string]any
	for _, acct := range []string{"@bob.test", "http://127.0.0.59:8059/users/x", "x@127.0.0.59:8059"} {
		ta.do(t, "GET", "/api/v1/accounts/lookup?acct="+url.QueryEscape(acct), "", nil, 404, &out)
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("anonymous lookups resolved remotely %d times", n)
	}
	ta.do(t, "GET", "/api/v1/accounts/lookup?acct=alice.test", "", nil, 200, &out)
	ta.do(t, "GET", "/api/v1/accounts/lookup?acct=@bob.test", ta.token, nil, 200, &out)
	if calls.Load() != 1 {
		t.Fatalf("the owner's lookup did not resolve")
	}
}
