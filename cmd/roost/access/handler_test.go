package access

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"roost/templates"
)

// site is a Handler wired to a real database, with the owner-only page
// /home behind RequireOwner and a recorder for the name chosen at set-up.
type site struct {
	h   *Handler
	mux *http.ServeMux

	mu    sync.Mutex
	names []string
}

func newSite(t *testing.T) *site {
	t.Helper()
	store, _ := newTestStore(t, t.TempDir())
	s := &site{}
	s.h = &Handler{
		Store: store,
		Page: func(r *http.Request, title string) templates.Page {
			return templates.Page{Site: templates.Site{Name: "Test Owner"}, Title: title}
		},
		SetOwnerName: func(ctx context.Context, name string) error {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.names = append(s.names, name)
			return nil
		},
	}
	s.mux = http.NewServeMux()
	s.h.Routes(s.mux)
	s.mux.Handle("GET /home", s.h.RequireOwner(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("owner page"))
	})))
	s.mux.Handle("POST /home", s.h.RequireOwner(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("owner post"))
	})))
	return s
}

func (s *site) serve(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	s.mux.ServeHTTP(w, r)
	return w
}

// postForm sends a form from addr (host:port), with cookie if not nil.
func (s *site) postForm(path string, form url.Values, addr string, cookie *http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if addr != "" {
		r.RemoteAddr = addr
	}
	if cookie != nil {
		r.AddCookie(cookie)
	}
	return s.serve(r)
}

// get sends a GET as a browser would, with cookie if not nil.
func (s *site) get(path string, cookie *http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	if cookie != nil {
		r.AddCookie(cookie)
	}
	return s.serve(r)
}

func sessionCookie(w *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if c.Name == CookieName {
			return c
		}
	}
	return nil
}

func (s *site) setPassword(t *testing.T) {
	t.Helper()
	if err := s.h.Store.SetPassword(context.Background(), goodPassword); err != nil {
		t.Fatal(err)
	}
}

// login logs in with the right password and returns the session cookie.
func (s *site) login(t *testing.T) *http.Cookie {
	t.Helper()
	w := s.postForm("/login", url.Values{"password": {goodPassword}}, "", nil)
	c := sessionCookie(w)
	if w.Code != http.StatusSeeOther || c == nil {
		t.Fatalf("login: status %d, cookie %v", w.Code, c)
	}
	return c
}

func TestLoginCookie(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run(map[bool]string{false: "http", true: "https"}[secure], func(t *testing.T) {
			s := newSite(t)
			s.h.Secure = secure
			s.setPassword(t)
			w := s.postForm("/login", url.Values{"password": {goodPassword}}, "", nil)
			if w.Code != http.StatusSeeOther {
				t.Fatalf("status %d, want 303", w.Code)
			}
			c := sessionCookie(w)
			if c == nil {
				t.Fatal("no session cookie")
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != secure || c.Path != "/" {
				t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Secure=%v, Path=/", c, secure)
			}
			if c.MaxAge != int(SessionLifetime.Seconds()) {
				t.Errorf("cookie MaxAge %d, want %d", c.MaxAge, int(SessionLifetime.Seconds()))
			}
			if !s.h.Store.SessionValid(context.Background(), c.Value, time.Now()) {
				t.Error("cookie value is not a live session")
			}
		})
	}
}

func TestLoginNext(t *testing.T) {
	tests := []struct {
		next, want string
	}{
		{"", "/home"},
		{"/notifications", "/notifications"},
		{"/blog/a-post?edit=1#top", "/blog/a-post?edit=1#top"},
		{"https://evil.example/", "/home"},
		{"http://evil.example/home", "/home"},
		{"//evil.example", "/home"},
		{"//evil.example/home", "/home"},
		{`/\evil.example`, "/home"},
		{"javascript:alert(1)", "/home"},
		{"home", "/home"},
		// Browsers drop tabs and newlines and read "\" as "/".
		{"/\t/evil.example", "/home"},
		{"/\n/evil.example", "/home"},
	}
	s := newSite(t)
	s.setPassword(t)
	for _, tt := range tests {
		w := s.postForm("/login", url.Values{"password": {goodPassword}, "next": {tt.next}}, "", nil)
		if w.Code != http.StatusSeeOther {
			t.Errorf("next=%q: status %d, want 303", tt.next, w.Code)
			continue
		}
		if got := w.Header().Get("Location"); got != tt.want {
			t.Errorf("next=%q: redirected to %q, want %q", tt.next, got, tt.want)
		}
	}
}

func TestLoginFormCarriesSafeNext(t *testing.T) {
	s := newSite(t)
	tests := []struct {
		query, want string
	}{
		{"?next=%2Fcontacts", `value="/contacts"`},
		{"?next=%2F%2Fevil.example", `value="/home"`},
		{"", `value="/home"`},
	}
	for _, tt := range tests {
		w := s.get("/login"+tt.query, nil)
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, `data-testid="login"`) {
			t.Errorf("GET /login%s: status %d, no login form", tt.query, w.Code)
		}
		if !strings.Contains(body, tt.want) || strings.Contains(body, "evil.example") {
			t.Errorf("GET /login%s: form does not carry %s", tt.query, tt.want)
		}
	}
}

func TestLoginWrongPassword(t *testing.T) {
	tests := []struct {
		name     string
		password string
		setFirst bool
	}{
		{"wrong", "not the password", true},
		{"empty", "", true},
		{"none set yet", goodPassword, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			if tt.setFirst {
				s.setPassword(t)
			}
			w := s.postForm("/login", url.Values{"password": {tt.password}, "next": {"/contacts"}}, "", nil)
			if w.Code != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", w.Code)
			}
			if sessionCookie(w) != nil {
				t.Error("a wrong password got a session cookie")
			}
			body := w.Body.String()
			if !strings.Contains(body, `data-testid="login"`) || !strings.Contains(body, "not right") {
				t.Error("401 page is not the login form with a message")
			}
			if !strings.Contains(body, `value="/contacts"`) {
				t.Error("401 page lost the next page")
			}
		})
	}
}

func TestLoginRateLimit(t *testing.T) {
	s := newSite(t)
	s.setPassword(t)
	const guesser, owner = "198.51.100.7:40000", "203.0.113.9:50000"
	wrong := url.Values{"password": {"guess"}}
	right := url.Values{"password": {goodPassword}}
	for i := range 5 {
		if w := s.postForm("/login", wrong, guesser, nil); w.Code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: status %d, want 401", i+1, w.Code)
		}
	}
	// The limit is per address, not per port.
	w := s.postForm("/login", right, "198.51.100.7:40001", nil)
	if w.Code != http.StatusTooManyRequests {
		t.Fatalf("6th attempt with the right password: status %d, want 429", w.Code)
	}
	if sessionCookie(w) != nil {
		t.Error("a rate-limited attempt got a session cookie")
	}
	if w.Header().Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if !strings.Contains(w.Body.String(), `data-testid="login"`) {
		t.Error("429 page is not the login form")
	}
	if w := s.postForm("/login", right, owner, nil); w.Code != http.StatusSeeOther || sessionCookie(w) == nil {
		t.Errorf("another address: status %d, want 303 with a cookie", w.Code)
	}
}

func TestLoginRightPasswordsAreNotLimited(t *testing.T) {
	s := newSite(t)
	s.setPassword(t)
	for i := range 8 {
		if w := s.postForm("/login", url.Values{"password": {goodPassword}}, "192.0.2.50:1", nil); w.Code != http.StatusSeeOther {
			t.Fatalf("login %d: status %d, want 303", i+1, w.Code)
		}
	}
}

func TestLoginLargeBody(t *testing.T) {
	s := newSite(t)
	s.setPassword(t)
	bodies := map[string]string{
		"long password": "password=" + strings.Repeat("a", 70<<10),
		"many fields":   strings.Repeat("x=1&", 20<<10) + "password=" + url.QueryEscape(goodPassword),
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := s.serve(r)
			if w.Code != http.StatusBadRequest && w.Code != http.StatusRequestEntityTooLarge {
				t.Errorf("status %d, want 400 or 413", w.Code)
			}
			if sessionCookie(w) != nil {
				t.Error("oversized body logged in")
			}
		})
	}
}

func TestLogout(t *testing.T) {
	s := newSite(t)
	s.setPassword(t)
	old := s.login(t)
	other := s.login(t)
	if w := s.get("/home", old); w.Code != http.StatusOK {
		t.Fatalf("before logout: status %d, want 200", w.Code)
	}
	w := s.postForm("/logout", nil, "", old)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/" {
		t.Errorf("logout: status %d to %q, want 303 to /", w.Code, w.Header().Get("Location"))
	}
	if c := sessionCookie(w); c == nil || c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("logout cookie %+v: want it cleared", c)
	}
	// A client that keeps sending the old cookie is no longer the owner.
	if w := s.get("/home", old); w.Code != http.StatusSeeOther {
		t.Errorf("old cookie after logout: status %d, want a redirect to log in", w.Code)
	}
	if w := s.get("/home", other); w.Code != http.StatusOK {
		t.Errorf("another session after logout: status %d, want 200", w.Code)
	}
	// Logging out without a session is harmless.
	if w := s.postForm("/logout", nil, "", nil); w.Code != http.StatusSeeOther {
		t.Errorf("logout without a session: status %d, want 303", w.Code)
	}
}

// TestLimitersForgetIdleAddresses: the addresses remembered for failed
// logins stay bounded; one still paused is kept.
func TestLimitersForgetIdleAddresses(t *testing.T) {
	h := &Handler{}
	paused := h.limiter(&http.Request{RemoteAddr: "192.0.2.1:1"})
	for range loginBurst {
		paused.check(func() error { return ErrWrongPassword })
	}
	for i := range maxLimiters + 10 {
		h.limiter(&http.Request{RemoteAddr: fmt.Sprintf("10.%d.%d.%d:1", i>>16&255, i>>8&255, i&255)})
	}
	if n := h.limiterCount.Load(); n > maxLimiters {
		t.Errorf("%d addresses remembered, want at most %d", n, maxLimiters)
	}
	if g := h.limiter(&http.Request{RemoteAddr: "192.0.2.1:1"}); g != paused {
		t.Error("a paused address was forgotten")
	}
}
