package access

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// knownCookie returns the known-browser cookie a login set.
func knownCookie(w interface{ Result() *http.Response }) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if c.Name == knownBrowserCookie {
			return c
		}
	}
	return nil
}

// Guesses from a hundred addresses are held to one global budget, and the
// owner still gets in from an address or a browser that logged in before,
// or from a live session.
func TestGlobalGuessLimitSparesTheOwner(t *testing.T) {
	s := newSite(t)
	s.setPassword(t)
	home := "192.0.2.50:1"
	w := s.postForm("/login", url.Values{"password": {goodPassword}}, home, nil)
	browser := knownCookie(w)
	session := sessionCookie(w)
	if w.Code != http.StatusSeeOther || browser == nil || !browser.HttpOnly {
		t.Fatalf("first login: %d, known-browser cookie %+v", w.Code, browser)
	}

	checked := 0
	for i := range 100 {
		addr := fmt.Sprintf("198.51.100.%d:1", i)
		for range loginBurst {
			w := s.postForm("/login", url.Values{"password": {"guess"}}, addr, nil)
			switch w.Code {
			case http.StatusUnauthorized:
				checked++
			case http.StatusTooManyRequests:
			default:
				t.Fatalf("guess from %s: %d", addr, w.Code)
			}
		}
	}
	if checked > globalBurst {
		t.Fatalf("%d passwords checked for 100 addresses, want at most %d", checked, globalBurst)
	}

	// A stranger with the right password waits like the rest...
	if w := s.postForm("/login", url.Values{"password": {goodPassword}}, "203.0.113.9:1", nil); w.Code != http.StatusTooManyRequests {
		t.Errorf("a new address during the attack: %d, want 429", w.Code)
	}
	// ...but the owner's known places do not.
	if w := s.postForm("/login", url.Values{"password": {goodPassword}}, home, nil); w.Code != http.StatusSeeOther {
		t.Errorf("the owner's address during the attack: %d, want 303", w.Code)
	}
	if w := s.postForm("/login", url.Values{"password": {goodPassword}}, "203.0.113.10:1", browser); w.Code != http.StatusSeeOther {
		t.Errorf("the owner's browser from a new address: %d, want 303", w.Code)
	}
	r, _ := http.NewRequest(http.MethodPost, "/api", nil)
	r.RemoteAddr = "203.0.113.11:1"
	r.AddCookie(session)
	if err := s.h.CheckPasswordFrom(r, goodPassword); err != nil {
		t.Errorf("a live session from a new address: %v", err)
	}
	// The owner's address still has its own budget of wrong passwords.
	for range loginBurst {
		s.postForm("/login", url.Values{"password": {"typo"}}, home, nil)
	}
	if w := s.postForm("/login", url.Values{"password": {goodPassword}}, home, nil); w.Code != http.StatusTooManyRequests {
		t.Errorf("the owner's address after its own %d typos: %d, want 429", loginBurst, w.Code)
	}
}

// A stranger's wrong guesses through the API's password grant do not spend
// the budget of the owner's address.
func TestStrangersGuessesDoNotLockTheOwnersGrant(t *testing.T) {
	s := newSite(t)
	s.setPassword(t)
	req := func(addr string) *http.Request {
		r, _ := http.NewRequest(http.MethodPost, "/oauth/token", nil)
		r.RemoteAddr = addr
		return r
	}
	for range 50 {
		s.h.CheckPasswordFrom(req("198.51.100.7:1"), "guess")
	}
	if err := s.h.CheckPasswordFrom(req("192.0.2.60:1"), goodPassword); err != nil {
		t.Fatalf("the owner's grant after a stranger's 50 guesses: %v", err)
	}
}
