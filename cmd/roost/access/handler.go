package access

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"roost/templates"
)

// CookieName is the owner's session cookie.
const CookieName = "roost_session"

// Handler serves /login, /logout and /setup and guards owner pages.
type Handler struct {
	Store *Store
	// Secure marks the cookie Secure; true when the site is served over https.
	Secure bool
	// Page returns the frame of a page for this request (site name, owner state).
	Page func(r *http.Request, title string) templates.Page
	// SetOwnerName stores the name chosen on the set-up page.
	SetOwnerName func(ctx context.Context, name string) error
	// Handles lists the addresses others type to find the owner, for the
	// account page.
	Handles func(ctx context.Context) []string
	Now     func() time.Time

	limiters     sync.Map // client IP -> *guard, for failed logins
	limiterCount atomic.Int64
	// global is the budget of wrong passwords shared by all addresses
	// (guesses.go).
	global     *guard
	globalOnce sync.Once
}

// guard counts wrong passwords: a burst of them, then one a minute. Checks
// under one guard take turns, so that parallel guesses cannot all pass the
// budget check before the first of them is counted.
type guard struct {
	mu  sync.Mutex
	lim *rate.Limiter
}

// idle tells whether the guard's budget is whole again, so forgetting it
// changes nothing.
func (g *guard) idle(burst int) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.lim.Tokens() >= float64(burst)
}

func newGuard(burst int) *guard {
	return &guard{lim: rate.NewLimiter(rate.Every(time.Minute), burst)}
}

// check runs try unless the budget is spent (ErrTooManyGuesses), and
// spends one attempt when try says the password was wrong.
func (g *guard) check(try func() error) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.lim.Tokens() < 1 {
		return ErrTooManyGuesses
	}
	err := try()
	if errors.Is(err, ErrWrongPassword) {
		g.lim.Allow()
	}
	return err
}

// Routes registers the access pages.
func (h *Handler) Routes(mux Mux) {
	mux.HandleFunc("GET /login", h.showLogin)
	mux.HandleFunc("POST /login", h.login)
	mux.HandleFunc("POST /logout", h.logout)
	mux.HandleFunc("GET /setup", h.showSetup)
	mux.HandleFunc("POST /setup", h.setup)
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// IsOwner tells whether the request carries a live owner session.
func (h *Handler) IsOwner(r *http.Request) bool {
	c, err := r.Cookie(CookieName)
	return err == nil && h.Store.SessionValid(r.Context(), c.Value, h.now())
}

// RequireOwner lets only the owner through. Browsers asking for a page are
// sent to the login form and come back afterwards; everything else gets 401.
func (h *Handler) RequireOwner(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h.IsOwner(r) {
			next.ServeHTTP(w, r)
			return
		}
		if r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		http.Error(w, "log in first", http.StatusUnauthorized)
	})
}

func (h *Handler) showLogin(w http.ResponseWriter, r *http.Request) {
	templates.Render(w, r, http.StatusOK, templates.LoginForm(h.Page(r, "Log in"), safeNext(r.URL.Query().Get("next")), ""))
}

// limiter allows a burst of 5 wrong passwords, then one a minute per
// address: enough for a person who mistypes, too slow for guessing.
func (h *Handler) limiter(r *http.Request) *guard {
	ip := clientAddress(r)
	if g, ok := h.limiters.Load(ip); ok {
		return g.(*guard)
	}
	g, loaded := h.limiters.LoadOrStore(ip, newGuard(loginBurst))
	if !loaded && h.limiterCount.Add(1) > maxLimiters {
		h.pruneLimiters()
	}
	return g.(*guard)
}

const (
	loginBurst = 5
	// maxLimiters bounds the addresses remembered: past it, the ones whose
	// budget has refilled (nothing to remember) are forgotten.
	maxLimiters = 4096
)

func (h *Handler) pruneLimiters() {
	h.limiters.Range(func(ip, g any) bool {
		if g.(*guard).idle(loginBurst) {
			h.limiters.Delete(ip)
			h.limiterCount.Add(-1)
		}
		return true
	})
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "could not read the form", http.StatusBadRequest)
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	err := h.CheckPasswordFrom(r, r.PostForm.Get("password"))
	if errors.Is(err, ErrTooManyGuesses) {
		w.Header().Set("Retry-After", "60")
		templates.Render(w, r, http.StatusTooManyRequests, templates.LoginForm(h.Page(r, "Log in"), next, "Too many wrong passwords. Wait a minute and try again."))
		return
	}
	if err != nil {
		if err != ErrWrongPassword {
			slog.Error("login", "err", err)
		}
		templates.Render(w, r, http.StatusUnauthorized, templates.LoginForm(h.Page(r, "Log in"), next, "That password is not right."))
		return
	}
	h.rememberBrowser(w, r)
	h.startSession(w, r, next)
}

// ErrTooManyGuesses means password checks are paused after many wrong ones.
var ErrTooManyGuesses = errors.New("too many wrong passwords, try again in a minute")

func (h *Handler) startSession(w http.ResponseWriter, r *http.Request, next string) {
	id, err := h.Store.NewSession(r.Context(), h.now())
	if err != nil {
		slog.Error("login", "err", err)
		http.Error(w, "could not log in, try again", http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: id, Path: "/", HttpOnly: true, Secure: h.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(SessionLifetime.Seconds()),
	})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(CookieName); err == nil {
		if err := h.Store.EndSession(r.Context(), c.Value); err != nil {
			slog.Error("logout", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", HttpOnly: true, Secure: h.Secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (h *Handler) showSetup(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("code")
	if !h.Store.SetupCodeValid(r.Context(), code) {
		templates.Render(w, r, http.StatusForbidden, templates.Message(h.Page(r, "Set-up link used"), http.StatusForbidden,
			"This set-up link does not work", "It was used already or it is not the latest one. Run `roost passwd` to set the password instead."))
		return
	}
	templates.Render(w, r, http.StatusOK, templates.SetupForm(h.Page(r, "Set up"), code, "", ""))
}

func (h *Handler) setup(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "could not read the form", http.StatusBadRequest)
		return
	}
	f := r.PostForm
	code, name := f.Get("code"), strings.TrimSpace(f.Get("name"))
	if !h.Store.SetupCodeValid(r.Context(), code) {
		templates.Render(w, r, http.StatusForbidden, templates.Message(h.Page(r, "Set-up link used"), http.StatusForbidden,
			"This set-up link does not work", "It was used already or it is not the latest one."))
		return
	}
	problem := ""
	switch {
	case name == "":
		problem = "Please give a name."
	case len([]rune(f.Get("password"))) < MinPasswordLength:
		problem = "The password needs at least 10 characters."
	case f.Get("password") != f.Get("password2"):
		problem = "The two passwords differ."
	}
	if problem != "" {
		templates.Render(w, r, http.StatusBadRequest, templates.SetupForm(h.Page(r, "Set up"), code, name, problem))
		return
	}
	if err := h.SetOwnerName(r.Context(), name); err != nil {
		slog.Error("setup", "err", err)
		http.Error(w, "could not save, try again", http.StatusInternalServerError)
		return
	}
	if err := h.Store.SetPassword(r.Context(), f.Get("password")); err != nil {
		slog.Error("setup", "err", err)
		http.Error(w, "could not save, try again", http.StatusInternalServerError)
		return
	}
	// The first-run guide comes next.
	h.startSession(w, r, "/welcome")
}

// safeNext keeps redirects after login on this site.
func safeNext(next string) string { return templates.LocalPath(next, "/home") }
