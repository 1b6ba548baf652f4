package access

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRequireOwnerWithoutSession(t *testing.T) {
	tests := []struct {
		name     string
		method   string
		target   string
		accept   string
		cookie   *http.Cookie
		status   int
		location string
	}{
		{"browser page", http.MethodGet, "/home", "text/html,application/xhtml+xml", nil, http.StatusSeeOther, "/login?next=%2Fhome"},
		{"browser page with query", http.MethodGet, "/home?tab=mentions&page=2", "text/html", nil, http.StatusSeeOther, "/login?next=%2Fhome%3Ftab%3Dmentions%26page%3D2"},
		{"browser with a stale cookie", http.MethodGet, "/home", "text/html", &http.Cookie{Name: CookieName, Value: "forged"}, http.StatusSeeOther, "/login?next=%2Fhome"},
		{"script GET", http.MethodGet, "/home", "application/json", nil, http.StatusUnauthorized, ""},
		{"no Accept", http.MethodGet, "/home", "", nil, http.StatusUnauthorized, ""},
		{"browser form POST", http.MethodPost, "/home", "text/html", nil, http.StatusUnauthorized, ""},
	}
	s := newSite(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, nil)
			if tt.accept != "" {
				r.Header.Set("Accept", tt.accept)
			}
			if tt.cookie != nil {
				r.AddCookie(tt.cookie)
			}
			w := s.serve(r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			if got := w.Header().Get("Location"); got != tt.location {
				t.Errorf("Location %q, want %q", got, tt.location)
			}
			if strings.Contains(w.Body.String(), "owner p") {
				t.Error("the owner page leaked")
			}
		})
	}
}

func TestRequireOwnerWithSession(t *testing.T) {
	s := newSite(t)
	s.setPassword(t)
	c := s.login(t)
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		r := httptest.NewRequest(method, "/home", nil)
		r.AddCookie(c)
		w := s.serve(r)
		if w.Code != http.StatusOK || !strings.HasPrefix(w.Body.String(), "owner p") {
			t.Errorf("%s /home with a session: status %d, body %q", method, w.Code, w.Body.String())
		}
	}
}

func TestRequireOwnerSessionExpires(t *testing.T) {
	s := newSite(t)
	s.setPassword(t)
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	s.h.Now = func() time.Time { return now }
	c := s.login(t)
	if w := s.get("/home", c); w.Code != http.StatusOK {
		t.Fatalf("fresh session: status %d", w.Code)
	}
	now = now.Add(SessionLifetime + time.Minute)
	if w := s.get("/home", c); w.Code != http.StatusSeeOther {
		t.Errorf("expired session: status %d, want a redirect to log in", w.Code)
	}
}

func TestSetupBadCode(t *testing.T) {
	s := newSite(t)
	if _, err := s.h.Store.NewSetupCode(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"", "?code=", "?code=wrong"} {
		if w := s.get("/setup"+q, nil); w.Code != http.StatusForbidden {
			t.Errorf("GET /setup%s: status %d, want 403", q, w.Code)
		}
	}
	w := s.postForm("/setup", url.Values{"code": {"wrong"}, "name": {"Eve"}, "password": {goodPassword}, "password2": {goodPassword}}, "", nil)
	if w.Code != http.StatusForbidden {
		t.Errorf("POST /setup with a wrong code: status %d, want 403", w.Code)
	}
	if len(s.names) != 0 {
		t.Errorf("a wrong code set the name to %q", s.names)
	}
	if has, _ := s.h.Store.HasPassword(context.Background()); has {
		t.Error("a wrong code set the password")
	}
}

func TestSetupFormProblems(t *testing.T) {
	tests := []struct {
		name      string
		owner     string
		password  string
		password2 string
		message   string
	}{
		{"mismatched passwords", "Ada", goodPassword, goodPassword + "!", "differ"},
		{"short password", "Ada", "short", "short", "at least 10"},
		{"no name", "", goodPassword, goodPassword, "give a name"},
		{"blank name", "   ", goodPassword, goodPassword, "give a name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t)
			ctx := context.Background()
			code, err := s.h.Store.NewSetupCode(ctx)
			if err != nil {
				t.Fatal(err)
			}
			w := s.postForm("/setup", url.Values{"code": {code}, "name": {tt.owner},
				"password": {tt.password}, "password2": {tt.password2}}, "", nil)
			if w.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", w.Code)
			}
			body := w.Body.String()
			if !strings.Contains(body, `data-testid="setup"`) || !strings.Contains(body, tt.message) {
				t.Errorf("400 page is not the set-up form saying %q", tt.message)
			}
			// The form keeps the code and the name so the owner can correct it.
			if !strings.Contains(body, `value="`+code+`"`) {
				t.Error("the form lost the set-up code")
			}
			if tt.owner != "" && !strings.Contains(body, `value="`+strings.TrimSpace(tt.owner)+`"`) {
				t.Error("the form lost the name")
			}
			if sessionCookie(w) != nil || len(s.names) != 0 {
				t.Errorf("a rejected form logged in or set the name (%q)", s.names)
			}
			if has, _ := s.h.Store.HasPassword(ctx); has {
				t.Error("a rejected form set the password")
			}
			if !s.h.Store.SetupCodeValid(ctx, code) {
				t.Error("a rejected form used up the set-up code")
			}
		})
	}
}

func TestSetup(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	code, err := s.h.Store.NewSetupCode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := s.get("/setup?code="+url.QueryEscape(code), nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `data-testid="setup"`) {
		t.Fatalf("GET /setup with the code: status %d, no form", w.Code)
	}
	w = s.postForm("/setup", url.Values{"code": {code}, "name": {"  Ada Lovelace "},
		"password": {goodPassword}, "password2": {goodPassword}}, "", nil)
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/welcome" {
		t.Fatalf("POST /setup: status %d to %q, want 303 to the first-run guide", w.Code, w.Header().Get("Location"))
	}
	if len(s.names) != 1 || s.names[0] != "Ada Lovelace" {
		t.Errorf("names set: %q, want [Ada Lovelace]", s.names)
	}
	if err := s.h.Store.CheckPassword(ctx, goodPassword); err != nil {
		t.Errorf("the chosen password does not work: %v", err)
	}
	c := sessionCookie(w)
	if c == nil || !c.HttpOnly {
		t.Fatalf("set-up did not log in: cookie %+v", c)
	}
	if w := s.get("/home", c); w.Code != http.StatusOK {
		t.Errorf("the set-up session does not reach owner pages: status %d", w.Code)
	}
	// The link is used up, both for showing the form and for posting it.
	if w := s.get("/setup?code="+url.QueryEscape(code), nil); w.Code != http.StatusForbidden {
		t.Errorf("GET /setup with the used code: status %d, want 403", w.Code)
	}
	w = s.postForm("/setup", url.Values{"code": {code}, "name": {"Mallory"},
		"password": {"another password"}, "password2": {"another password"}}, "", nil)
	if w.Code != http.StatusForbidden {
		t.Errorf("POST /setup with the used code: status %d, want 403", w.Code)
	}
	if err := s.h.Store.CheckPassword(ctx, "another password"); !errors.Is(err, ErrWrongPassword) {
		t.Error("a used code changed the password")
	}
	if len(s.names) != 1 {
		t.Errorf("a used code changed the name: %q", s.names)
	}
}

func TestSetupOlderLinkRefused(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	old, err := s.h.Store.NewSetupCode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.h.Store.NewSetupCode(ctx); err != nil {
		t.Fatal(err)
	}
	if w := s.get("/setup?code="+url.QueryEscape(old), nil); w.Code != http.StatusForbidden {
		t.Errorf("GET /setup with a replaced code: status %d, want 403", w.Code)
	}
}
