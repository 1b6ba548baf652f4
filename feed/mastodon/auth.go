package mastodon

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// token is a verified access token.
type token struct {
	id     int64
	appID  int64
	scopes []string
	// owner is false for client_credentials tokens, which act for the app
	// alone and may not read or write the owner's data.
	owner bool
}

// scopeParents says which broad scopes grant a granular one. "follow" is the
// legacy scope that still covers follows, blocks and mutes.
func scopeGranted(granted []string, required string) bool {
	if required == "" {
		return true
	}
	if required == scopeProfile {
		// Mastodon 4.3's profile scope reads the owner's own account
		// alone; read and read:accounts cover it too.
		return slices.ContainsFunc(granted, func(g string) bool { return g == scopeProfile || g == "read" || g == "read:accounts" })
	}
	top, _, _ := strings.Cut(required, ":")
	for _, g := range granted {
		if g == required || g == top {
			return true
		}
		if g == "follow" {
			switch required {
			case "read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes":
				return true
			}
		}
	}
	return false
}

// scopeProfile lets an app read who the owner is (verify_credentials) and
// nothing else: "Sign in with Mastodon" asks for it alone.
const scopeProfile = "profile"

// knownScopes are accepted when an app registers or asks for authorization.
var knownScopes = map[string]bool{
	"read": true, "write": true, "follow": true, "push": true, "profile": true,
	"read:accounts": true, "read:blocks": true, "read:bookmarks": true, "read:favourites": true,
	"read:filters": true, "read:follows": true, "read:lists": true, "read:mutes": true,
	"read:notifications": true, "read:search": true, "read:statuses": true,
	"write:accounts": true, "write:blocks": true, "write:bookmarks": true, "write:conversations": true,
	"write:favourites": true, "write:filters": true, "write:follows": true, "write:lists": true,
	"write:media": true, "write:mutes": true, "write:notifications": true, "write:reports": true,
	"write:statuses": true,
}

// KnownScope tells whether s is a scope of the Mastodon API.
func KnownScope(s string) bool { return knownScopes[s] }

// parseScopes splits a scope string (space or plus separated, as apps
// send it); empty means "read", Mastodon's default.
func parseScopes(s string) ([]string, bool) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '+' || r == ',' })
	if len(fields) == 0 {
		return []string{"read"}, true
	}
	seen := map[string]bool{}
	var out []string
	for _, f := range fields {
		if !knownScopes[f] {
			return nil, false
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out, true
}

// subset tells whether every scope in asked is allowed by the app's scopes.
func subset(asked, allowed []string) bool {
	for _, s := range asked {
		if !scopeGranted(allowed, s) {
			return false
		}
	}
	return true
}

func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// bearer finds the token of a request: the Authorization header, or the
// access_token query parameter (streaming and some older apps).
func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return r.URL.Query().Get("access_token")
}

// tokenCache remembers verified tokens so that busy timelines do not read
// the token table on every request. A lookup that read the table before a
// revocation must not put the revoked token back after the cache was
// cleared, so every clear bumps gen and a lookup stores its result only
// when gen is still what it was before the lookup read the table.
//
// Entries also expire after tokenCacheTTL: a token revoked by another
// process on the same database (`roost passwd` while the site runs) stops
// working within that time.
type tokenCache struct {
	mu     sync.Mutex
	gen    uint64
	byHash map[string]cachedToken
}

type cachedToken struct {
	t       *token
	checked time.Time
}

const tokenCacheTTL = 5 * time.Second

// get returns a cached token and the generation to pass to put.
func (c *tokenCache) get(hash string) (*token, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byHash[hash]
	if !ok || time.Since(e.checked) > tokenCacheTTL {
		return nil, c.gen
	}
	return e.t, c.gen
}

// put stores a token read from the table during generation gen, unless the
// cache was cleared since.
func (c *tokenCache) put(hash string, t *token, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.byHash == nil {
		c.byHash = map[string]cachedToken{}
	}
	c.byHash[hash] = cachedToken{t: t, checked: time.Now()}
}

// clear forgets every token and starts a new generation.
func (c *tokenCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.byHash = nil
}

// lookupToken verifies a secret, from the cache when it can.
func (a *API) lookupToken(ctx context.Context, secret string) (*token, error) {
	h := hashSecret(secret)
	t, gen := a.tokens.get(h)
	if t != nil {
		return t, nil
	}
	t, err := a.tokenByHash(ctx, h)
	if errors.Is(err, ErrNotFound) && a.cfg.SiteToken != nil {
		t, err = a.siteToken(ctx, secret)
	}
	if err != nil {
		return nil, err
	}
	if a.afterTokenRead != nil {
		a.afterTokenRead()
	}
	a.tokens.put(h, t, gen)
	return t, nil
}

// siteToken verifies a token of `roost token create`, which the README
// offers to scripts: it acts for the owner with the scopes it was made with.
// Its id is negative so that its rate limit bucket is its own.
func (a *API) siteToken(ctx context.Context, secret string) (*token, error) {
	id, scopes, err := a.cfg.SiteToken(ctx, secret)
	if err != nil {
		return nil, err
	}
	return &token{id: -id, scopes: scopes, owner: true}, nil
}

// forgetTokens empties the token cache after a revocation.
func (a *API) forgetTokens() { a.tokens.clear() }

// TokensRevoked tells the API that tokens were revoked outside it (the
// owner changed the password): it forgets the ones it had verified.
func (a *API) TokensRevoked() { a.forgetTokens() }

// RevokeOwnerTokens revokes, in tx, every token that acts for the owner and
// every authorization code not yet exchanged, and returns how many tokens
// went. A password change calls it: whatever was obtained with the old
// password stops working. Tokens of apps acting for themselves
// (client_credentials) read nothing of the owner's and stay.
func RevokeOwnerTokens(ctx context.Context, tx *sql.Tx) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM mastodon_tokens WHERE owner = 1`)
	if err != nil {
		return 0, fmt.Errorf("revoke owner tokens: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM mastodon_codes`); err != nil {
		return 0, fmt.Errorf("revoke authorization codes: %w", err)
	}
	return res.RowsAffected()
}

// authenticate checks the token and the scope before calling h. With
// optional, a request without a token passes with t == nil.
func (a *API) authenticate(scope string, optional bool, h func(http.ResponseWriter, *http.Request, *token)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if t, ok := a.checkToken(w, r, scope, optional); ok {
			h(w, r, t)
		}
	})
}

// checkToken finds the request's token and checks its scope; false when
// it has answered the request with the error.
func (a *API) checkToken(w http.ResponseWriter, r *http.Request, scope string, optional bool) (*token, bool) {
	secret := bearer(r)
	if secret == "" {
		if optional {
			return nil, true
		}
		writeError(w, http.StatusUnauthorized, "The access token is invalid")
		return nil, false
	}
	t, err := a.lookupToken(r.Context(), secret)
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			fail(w, r, err)
			return nil, false
		}
		writeError(w, http.StatusUnauthorized, "The access token is invalid")
		return nil, false
	}
	if a.limiter != nil {
		now := a.cfg.Now()
		ok, remaining := a.limiter.allow(t.id, now)
		a.limiter.writeHeaders(w, now, remaining)
		if !ok {
			writeError(w, http.StatusTooManyRequests, "Too many requests")
			return nil, false
		}
	}
	if !optional && !t.owner {
		writeError(w, http.StatusUnprocessableEntity, "This method requires an authenticated user")
		return nil, false
	}
	if !scopeGranted(t.scopes, scope) {
		writeError(w, http.StatusForbidden, "This action is outside the authorized scopes")
		return nil, false
	}
	return t, true
}

// cors lets browser apps (Elk, Phanpy, Semaphore) call the API from any origin.
func (a *API) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !writeCORS(w, r) {
			next.ServeHTTP(w, r)
		}
	})
}

// writeCORS sets the headers browser apps need; true when the request was
// a preflight, answered with them.
func writeCORS(w http.ResponseWriter, r *http.Request) bool {
	hd := w.Header()
	hd.Set("Access-Control-Allow-Origin", "*")
	hd.Set("Access-Control-Expose-Headers", "Link, X-RateLimit-Reset, X-RateLimit-Limit, X-RateLimit-Remaining, X-Request-Id, Idempotency-Key")
	if r.Method != http.MethodOptions {
		return false
	}
	hd.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS")
	hd.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, Accept")
	hd.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
	return true
}

// endpoint is one API route: CORS, the token check, the handler and, for
// a write, the home timeline's cached pages cleared. It is one value per
// route rather than three closures, as a provider builds the API's some
// 200 routes for each of its sites.
type endpoint struct {
	a             *API
	scope         string
	public, write bool
	h             func(http.ResponseWriter, *http.Request, *token)
}

func (e *endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if writeCORS(w, r) {
		return
	}
	t, ok := e.a.checkToken(w, r, e.scope, e.public)
	if !ok {
		return
	}
	e.h(w, r, t)
	if e.write {
		e.a.homePages.clear()
	}
}

// limiter is a token bucket per access token.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	buckets map[int64]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate, burst float64) *limiter {
	return &limiter{rate: rate, burst: burst, buckets: map[int64]*bucket{}}
}

// allow takes one request from id's bucket and tells whether there was
// one to take, and how many are left.
func (l *limiter) allow(id int64, now time.Time) (bool, float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[id]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[id] = b
	}
	b.tokens += now.Sub(b.last).Seconds() * l.rate
	b.last = now
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	if b.tokens < 1 {
		return false, b.tokens
	}
	b.tokens--
	return true, b.tokens
}

// writeHeaders sends Mastodon's rate limit headers: the bucket's size,
// the whole requests left in it, and when it will be full again (Mastodon
// sends the end of its window; apps slow down as Remaining nears 0).
func (l *limiter) writeHeaders(w http.ResponseWriter, now time.Time, remaining float64) {
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(int(l.burst)))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(int(remaining), 0)))
	refill := time.Duration((l.burst - remaining) / l.rate * float64(time.Second))
	h.Set("X-RateLimit-Reset", now.Add(refill).UTC().Format("2006-01-02T15:04:05.000Z"))
}
