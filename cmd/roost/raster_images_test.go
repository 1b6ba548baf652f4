package main

import (
	"image"
	_ "image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestAppsGetRasterImages: every default image the API gives (the owner's
// avatar and header, their static versions, the instance thumbnail) is a
// PNG that decodes, as native apps draw no SVG.
func TestAppsGetRasterImages(t *testing.T) {
	alice := startTestSite(t, newTestNet(), "alice.test", "")
	token := passwordGrant(t, alice.site, testPassword)
	var acct map[string]any
	if code := apiJSON(t, alice, token, "GET", "/api/v1/accounts/verify_credentials", nil, &acct); code != http.StatusOK {
		t.Fatalf("verify_credentials: %d", code)
	}
	var v1, v2 map[string]any
	apiJSON(t, alice, token, "GET", "/api/v1/instance", nil, &v1)
	apiJSON(t, alice, token, "GET", "/api/v2/instance", nil, &v2)
	thumb, _ := v2["thumbnail"].(map[string]any)
	images := map[string]any{
		"avatar": acct["avatar"], "avatar_static": acct["avatar_static"], "header": acct["header"], "header_static": acct["header_static"],
		"v1 thumbnail": v1["thumbnail"], "v2 thumbnail": thumb["url"],
	}
	for name, v := range images {
		u, _ := v.(string)
		pu, err := url.Parse(u)
		if err != nil || !strings.HasPrefix(u, alice.Base+"/") {
			t.Errorf("%s: %q is not on the site", name, u)
			continue
		}
		rec := httptest.NewRecorder()
		alice.handler.ServeHTTP(rec, httptest.NewRequest("GET", pu.RequestURI(), nil))
		ct := rec.Header().Get("Content-Type")
		if _, format, err := image.Decode(rec.Body); rec.Code != http.StatusOK || ct != "image/png" || err != nil || format != "png" {
			t.Errorf("%s %s: %d %s, decodes as %q (%v)", name, u, rec.Code, ct, format, err)
		}
	}
}
