package access

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeNext checks the login form's next parameter: whatever it says,
// the redirect that follows the login, read the way a browser reads a
// Location header, stays on this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{
		"/home", "/contacts/view?actor=https%3A%2F%2Fb.example%2Fu", "//evil.example/", "/\\evil.example",
		"https://evil.example/", "/\t/evil.example", "/%2F/evil.example", "\\\\evil.example", "/../../x", "",
		"javascript:alert(1)", "/\n/evil.example", " //evil.example",
	} {
		f.Add(s)
	}
	site, _ := url.Parse("https://alice.example/login")
	f.Fuzz(func(t *testing.T, next string) {
		rec := httptest.NewRecorder()
		http.Redirect(rec, httptest.NewRequest(http.MethodPost, "https://alice.example/login", nil), safeNext(next), http.StatusSeeOther)
		loc := rec.Header().Get("Location")
		target, err := site.Parse(browserURL(loc))
		if err != nil {
			return // a browser would not follow it either
		}
		if target.Scheme != "https" || target.Host != "alice.example" {
			t.Fatalf("next=%q redirects to %q, which a browser opens as %s", next, loc, target)
		}
	})
}

// browserURL is how the URL standard's parser sees a redirect target for a
// special scheme: leading and trailing C0 controls and spaces are trimmed,
// tabs and newlines anywhere are removed, and a backslash counts as a
// slash.
func browserURL(s string) string {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(s)
	return s
}
