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

// sendRaw posts a body as it is and returns the status and the response text.
func (ta *testAPI) sendRaw(t *testing.T, path, token, contentType string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", ta.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := noRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, readAll(resp)
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
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, text := ta.sendRaw(t, tc.path, tc.token, tc.contentType, tc.body)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %s", status, tc.status, text)
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

// TestUploadUnderCapReachesTheStore checks that a body over the announced
// upload limit but within the margin is not cut by the cap: the media store
// reads it and gives its own verdict (here: not an image).
func TestUploadUnderCapReachesTheStore(t *testing.T) {
	ta := newTestAPI(t, false)
	ta.api.cfg.MaxUploadBytes = 4 << 10
	body, ct := multipartFile(t, 8<<10)
	status, text := ta.sendRaw(t, "/api/v2/media", ta.token, ct, body)
	var e apiError
	if err := json.Unmarshal([]byte(text), &e); err != nil {
		t.Fatalf("not a JSON error: %q", text)
	}
	if status != http.StatusUnprocessableEntity || !strings.Contains(e.Error, "File type not supported") {
		t.Fatalf("status %d %q, want the store's refusal of a file that is not an image", status, e.Error)
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
