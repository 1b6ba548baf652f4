package micropub

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestAuthentication(t *testing.T) {
	note := url.Values{"h": {"entry"}, "content": {"hi"}}
	tests := []struct {
		name   string
		req    func(t *testing.T) *http.Request
		status int
		code   string
		scope  string // for insufficient_scope
	}{
		{"form without token", func(*testing.T) *http.Request { return postForm("", note) }, 401, codeUnauthorized, ""},
		{"JSON without token", func(*testing.T) *http.Request {
			return postJSON("", `{"type":["h-entry"],"properties":{"content":["hi"]}}`)
		}, 401, codeUnauthorized, ""},
		{"broken JSON without token", func(*testing.T) *http.Request { return postJSON("", `{`) }, 401, codeUnauthorized, ""},
		{"empty POST without token", func(*testing.T) *http.Request {
			return httptest.NewRequest(http.MethodPost, "/micropub", nil)
		}, 401, codeUnauthorized, ""},
		{"multipart without token", func(t *testing.T) *http.Request {
			return postMultipart(t, "/micropub", "", note, upload{"photo", "a.png", pngMagic})
		}, 401, codeUnauthorized, ""},
		{"unknown token in the header", func(*testing.T) *http.Request { return postForm("nope", note) }, 401, codeUnauthorized, ""},
		{"unknown token in the body", func(*testing.T) *http.Request {
			return postForm("", url.Values{"content": {"hi"}, "access_token": {"nope"}})
		}, 401, codeUnauthorized, ""},
		{"Basic credentials", func(*testing.T) *http.Request {
			r := postForm("", note)
			r.SetBasicAuth("owner", "secret")
			return r
		}, 401, codeUnauthorized, ""},
		{"empty bearer", func(*testing.T) *http.Request {
			r := postForm("", note)
			r.Header.Set("Authorization", "Bearer ")
			return r
		}, 401, codeUnauthorized, ""},
		{"token in header and body", func(*testing.T) *http.Request {
			return postForm(tokenAll, url.Values{"content": {"hi"}, "access_token": {tokenAll}})
		}, 400, codeInvalidRequest, ""},
		{"create without the create scope", func(*testing.T) *http.Request { return postForm(tokenRead, note) }, 403, codeInsufficientScope, ScopeCreate},
		{"update without the update scope", func(*testing.T) *http.Request {
			return postJSON(tokenPost, `{"action":"update","url":"https://example.com/notes/1","replace":{"content":["x"]}}`)
		}, 403, codeInsufficientScope, ScopeUpdate},
		{"delete without the delete scope", func(*testing.T) *http.Request {
			return postForm(tokenCreate, url.Values{"action": {"delete"}, "url": {"https://example.com/notes/1"}})
		}, 403, codeInsufficientScope, ScopeDelete},
		{"upload with a read-only token", func(t *testing.T) *http.Request {
			return postMultipart(t, "/micropub", tokenRead, note, upload{"photo", "a.png", pngMagic})
		}, 403, codeInsufficientScope, ScopeCreate},
		{"query without token", func(*testing.T) *http.Request {
			return httptest.NewRequest(http.MethodGet, "/micropub?q=config", nil)
		}, 401, codeUnauthorized, ""},
		{"query with an unknown token", func(*testing.T) *http.Request {
			r := httptest.NewRequest(http.MethodGet, "/micropub?q=config", nil)
			setToken(r, "nope")
			return r
		}, 401, codeUnauthorized, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			w := f.do(tt.req(t))
			e := wantError(t, w, tt.status, tt.code)
			if e.Scope != tt.scope {
				t.Errorf("scope %q, want %q", e.Scope, tt.scope)
			}
			if tt.status == 401 && !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without a Bearer challenge: %q", w.Header().Get("WWW-Authenticate"))
			}
			if len(f.pub.created)+len(f.pub.updated)+len(f.pub.deleted) != 0 || f.media.count() != 0 {
				t.Errorf("refused request reached the publisher or the media store")
			}
		})
	}
}

func TestScopes(t *testing.T) {
	tests := []struct {
		scopes []string
		need   string
		ok     bool
	}{
		{[]string{"create"}, ScopeCreate, true},
		{[]string{"post"}, ScopeCreate, true},
		{[]string{"post"}, ScopeUpdate, false},
		{normalizeScopes([]string{"read update"}), ScopeUpdate, true},
		{[]string{"read"}, ScopeMedia, false},
		{nil, ScopeDelete, false},
	}
	for _, tt := range tests {
		if got := hasScope(tt.scopes, tt.need); got != tt.ok {
			t.Errorf("hasScope(%q, %q) = %v, want %v", tt.scopes, tt.need, got, tt.ok)
		}
	}
}
