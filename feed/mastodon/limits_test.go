package mastodon

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// send posts a raw body and returns the status and the decoded JSON error.
func (ta *testAPI) send(t *testing.T, path, token, contentType string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", ta.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	text := readAll(resp)
	var e apiError
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal([]byte(text), &e); err != nil {
			t.Fatalf("%s: undecodable JSON %q", path, text)
		}
	}
	return resp.StatusCode, e.Error
}

// multipartFile builds a multipart body with one file of n bytes.
func multipartFile(t *testing.T, n int) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", "big.png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(bytes.Repeat([]byte{'x'}, n)); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), mw.FormDataContentType()
}

func TestBodyCaps(t *testing.T) {
	ta := newTestAPI(t, false)
	ta.owner = true
	const maxUpload = 4 << 10
	ta.api.cfg.MaxUploadBytes = maxUpload
	bigForm := []byte(url.Values{"client_id": {strings.Repeat("a", maxFormBody)}}.Encode())
	bigJSON, _ := json.Marshal(map[string]string{"status": strings.Repeat("a", maxBody)})
	hugeForm := []byte(url.Values{"status": {strings.Repeat("a", maxBody)}}.Encode())
	overUpload, overCT := multipartFile(t, maxUpload+uploadMargin+1)
	smallForm := []byte(url.Values{"app_id": {"999"}}.Encode())

	const form = "application/x-www-form-urlencoded"
	tests := []struct {
		name, path, token, contentType string
		body                           []byte
		status                         int
		jsonError                      string
	}{
		{"authorize form", "/oauth/authorize", "", form, bigForm, http.StatusRequestEntityTooLarge, ""},
		{"settings form", "/settings/apps/revoke", "", form, bigForm, http.StatusRequestEntityTooLarge, ""},
		{"small settings form", "/settings/apps/revoke", "", form, smallForm, http.StatusSeeOther, ""},
		{"JSON status", "/api/v1/statuses", ta.token, "application/json", bigJSON, http.StatusRequestEntityTooLarge, "Request entity too large"},
		{"form status", "/api/v1/statuses", ta.token, form, hugeForm, http.StatusRequestEntityTooLarge, "Request entity too large"},
		{"multipart upload", "/api/v2/media", ta.token, overCT, overUpload, http.StatusRequestEntityTooLarge, "Request entity too large"},
		{"multipart status", "/api/v1/statuses", ta.token, overCT, overUpload, http.StatusRequestEntityTooLarge, "Request entity too large"},
	}
	client := noRedirect()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", ta.srv.URL+tc.path, bytes.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.contentType)
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			text := readAll(resp)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, text)
			}
			if tc.jsonError == "" {
				return
			}
			var e apiError
			if err := json.Unmarshal([]byte(text), &e); err != nil || e.Error != tc.jsonError {
				t.Errorf("body %q, want the JSON error %q", text, tc.jsonError)
			}
		})
	}
}

// TestUploadUnderCapReachesTheStore checks that a file within the margin but
// over the media limit is refused by the store with its own 413, so the cap
// does not stand in for the store's check.
func TestUploadUnderCapReachesTheStore(t *testing.T) {
	ta := newTestAPI(t, false)
	ta.api.cfg.MaxUploadBytes = 4 << 10
	body, ct := multipartFile(t, 8<<10)
	status, msg := ta.send(t, "/api/v2/media", ta.token, ct, body)
	if status != http.StatusRequestEntityTooLarge && status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d (%q), want the store's refusal", status, msg)
	}
	if msg == "Request entity too large" {
		t.Errorf("the body cap answered a body under it")
	}
}

// TestRevokeDuringLookup revokes a token between the lookup's read of the
// table and its write to the cache; the token must stay revoked.
func TestRevokeDuringLookup(t *testing.T) {
	ta := newTestAPI(t, false)
	id, secret := ta.register(t, oob, "read")
	var tok map[string]any
	ta.do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}, 200, &tok)
	access := tok["access_token"].(string)

	revoked := false
	ta.api.afterTokenRead = func() {
		if revoked {
			return
		}
		revoked = true
		ta.do(t, "POST", "/oauth/revoke", "", url.Values{"client_id": {id}, "client_secret": {secret}, "token": {access}}, 200, nil)
	}
	// The request that began before the revocation is still answered.
	ta.do(t, "GET", "/api/v1/apps/verify_credentials", access, nil, 200, nil)
	if !revoked {
		t.Fatal("the hook did not run: the token came from the cache")
	}
	ta.api.afterTokenRead = nil
	ta.do(t, "GET", "/api/v1/apps/verify_credentials", access, nil, 401, nil)
}

func TestTokenCacheGenerations(t *testing.T) {
	var c tokenCache
	tok := &token{id: 1}
	_, gen := c.get("h")
	c.clear()
	c.put("h", tok, gen)
	if got, _ := c.get("h"); got != nil {
		t.Fatal("a token read before a clear was cached after it")
	}
	_, gen = c.get("h")
	c.put("h", tok, gen)
	if got, _ := c.get("h"); got != tok {
		t.Fatal("a token read in the current generation was not cached")
	}
	c.clear()
	if got, _ := c.get("h"); got != nil {
		t.Fatal("clear kept a token")
	}
}
