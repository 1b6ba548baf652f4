package access

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Wrong passwords are limited twice. Each address has a burst of
// loginBurst, then one a minute. All addresses together have a burst of
// globalBurst, then one a minute, so a hundred addresses guess no faster
// than one. The global pause cannot lock the owner out: a request from a
// logged-in session, from a browser that logged in before (the
// knownBrowserCookie) or from an address that gave the right password
// lately is checked under its address's budget alone.
const (
	globalBurst = 20
	// knownBrowserCookie marks a browser that has logged in: a long random
	// value whose digest is kept in trusted_logins.
	knownBrowserCookie = "roost_known"
	knownBrowserFor    = 365 * 24 * time.Hour
	knownAddressFor    = 30 * 24 * time.Hour
)

// CheckPasswordFrom checks the owner's password sent with r, under the
// limits of wrong passwords. It is for every place that takes the
// password: the login form, the account page, the Mastodon API's password
// grant. A right password makes r's address known.
func (h *Handler) CheckPasswordFrom(r *http.Request, password string) error {
	addr := clientAddress(r)
	trusted := h.trusted(r, addr)
	h.globalOnce.Do(func() { h.global = newGuard(globalBurst) })
	err := h.limiter(r).check(func() error {
		try := func() error { return h.Store.CheckPassword(r.Context(), password) }
		if trusted {
			return try()
		}
		return h.global.check(try)
	})
	if err == nil {
		h.Store.trust(r.Context(), "addr:"+addr, h.now())
	}
	return err
}

// trusted tells whether r comes from the owner's known places.
func (h *Handler) trusted(r *http.Request, addr string) bool {
	if h.IsOwner(r) {
		return true
	}
	now := h.now()
	if c, err := r.Cookie(knownBrowserCookie); err == nil && c.Value != "" &&
		h.Store.trustedSince(r.Context(), "browser:"+digest(c.Value), now.Add(-knownBrowserFor)) {
		return true
	}
	return h.Store.trustedSince(r.Context(), "addr:"+addr, now.Add(-knownAddressFor))
}

// rememberBrowser gives a browser that just logged in the cookie that keeps
// it trusted after it logs out.
func (h *Handler) rememberBrowser(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(knownBrowserCookie); err == nil && c.Value != "" {
		h.Store.trust(r.Context(), "browser:"+digest(c.Value), h.now())
		return
	}
	value := base64.RawURLEncoding.EncodeToString(randomBytes(32))
	h.Store.trust(r.Context(), "browser:"+digest(value), h.now())
	http.SetCookie(w, &http.Cookie{
		Name: knownBrowserCookie, Value: value, Path: "/", HttpOnly: true, Secure: h.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(knownBrowserFor.Seconds()),
	})
}

func clientAddress(r *http.Request) string {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return ip
}

// trust records that key (an address or a browser) gave the right password
// at now. Failing to record it only makes the next login slower under
// attack, so it is logged, not returned.
func (s *Store) trust(ctx context.Context, key string, now time.Time) {
	_, err := s.db.ExecContext(ctx, `INSERT INTO trusted_logins(key, last) VALUES(?, ?)
		ON CONFLICT(key) DO UPDATE SET last = excluded.last`, key, now.Unix())
	if err == nil {
		_, err = s.db.ExecContext(ctx, `DELETE FROM trusted_logins WHERE last < ?`, now.Add(-knownBrowserFor).Unix())
	}
	if err != nil {
		slog.Warn("remember a trusted login", "err", fmt.Errorf("trust: %w", err))
	}
}

func (s *Store) trustedSince(ctx context.Context, key string, since time.Time) bool {
	var last int64
	err := s.db.QueryRowContext(ctx, `SELECT last FROM trusted_logins WHERE key = ?`, key).Scan(&last)
	return err == nil && last >= since.Unix()
}
