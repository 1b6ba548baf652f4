package mastodon

import (
	"encoding/json"
	"testing"
)

// TestStartupEndpoints checks the calls apps make when they start or open
// the about screen, each against the schema where it has an entity.
func TestStartupEndpoints(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, true)
	var inst map[string]any
	ta.do(t, "GET", "/api/v2/instance", "", nil, 200, &inst)
	if v, _ := inst["api_versions"].(map[string]any); v["mastodon"] != float64(2) {
		t.Errorf("api_versions: %v", inst["api_versions"])
	}
	var langs []map[string]string
	ta.do(t, "GET", "/api/v1/instance/languages", "", nil, 200, &langs)
	found := false
	for _, l := range langs {
		found = found || l["code"] == "en" && l["name"] == "English"
	}
	if !found || len(langs) < 100 {
		t.Errorf("languages: %d, English among them: %v", len(langs), found)
	}
	var tl map[string][]string
	ta.do(t, "GET", "/api/v1/instance/translation_languages", "", nil, 200, &tl)
	var blocks []any
	ta.do(t, "GET", "/api/v1/instance/domain_blocks", "", nil, 200, &blocks)
	for _, tc := range []struct{ path, schema string }{
		{"/api/v1/instance/privacy_policy", "PrivacyPolicy"},
		{"/api/v1/instance/extended_description", "ExtendedDescription"},
	} {
		var raw json.RawMessage
		ta.do(t, "GET", tc.path, "", nil, 200, &raw)
		validate(t, c, tc.schema, raw)
	}
}

// TestTrailingSlashes: Rails answers a path with a trailing slash as
// without it, and Mastodon.py asks for /api/v1/conversations/.
func TestTrailingSlashes(t *testing.T) {
	ta := newTestAPI(t, true)
	var list []any
	ta.do(t, "GET", "/api/v1/conversations/", ta.token, nil, 200, &list)
	ta.do(t, "GET", "/api/v1/timelines/home/", ta.token, nil, 200, &list)
	var inst map[string]any
	ta.do(t, "GET", "/api/v1/instance/", "", nil, 200, &inst)
	// The slash does not open a way around authentication or scopes.
	ta.do(t, "GET", "/api/v1/timelines/home/", "", nil, 401, nil)
	ta.do(t, "GET", "/api/v1/nothing-here/", ta.token, nil, 404, nil)
	ta.do(t, "GET", "/api/", ta.token, nil, 404, nil)
}

// TestProfileScope: Mastodon 4.3's profile scope reads the owner's account
// and nothing else; verify_credentials is a CredentialAccount with a role.
func TestProfileScope(t *testing.T) {
	c := loadSchemas(t)
	ta := newTestAPI(t, true)
	tok := ta.passwordToken(t, "profile")
	var raw json.RawMessage
	ta.do(t, "GET", "/api/v1/accounts/verify_credentials", tok, nil, 200, &raw)
	validate(t, c, "CredentialAccount", raw)
	ta.do(t, "GET", "/api/v1/timelines/home", tok, nil, 403, nil)
	ta.do(t, "GET", "/api/v1/notifications", tok, nil, 403, nil)
	ta.do(t, "GET", "/api/v1/accounts/verify_credentials", ta.token, nil, 200, &raw)
	validate(t, c, "CredentialAccount", raw)
}
