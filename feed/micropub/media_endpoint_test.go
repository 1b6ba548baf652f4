package micropub

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestUploadMedia(t *testing.T) {
	tests := []struct {
		name   string
		token  string
		fields url.Values
		alt    string
	}{
		{"media scope with alt", tokenAll, url.Values{"alt": {"A red square"}}, "A red square"},
		{"create scope, description field", tokenCreate, url.Values{"description": {"Described"}}, "Described"},
		{"post scope, token in the body", "", url.Values{"access_token": {tokenPost}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			w := f.do(postMultipart(t, "/micropub/media", tt.token, tt.fields, upload{"file", "square.png", pngMagic + "data"}))
			if w.Code != http.StatusCreated {
				t.Fatalf("status %d, want 201; body %s", w.Code, w.Body)
			}
			const want = testBase + "/media/1.png"
			if got := w.Header().Get("Location"); got != want {
				t.Errorf("Location %q, want %q", got, want)
			}
			var body map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body["url"] != want {
				t.Errorf("body %s, want the url %s", w.Body, want)
			}
			if !reflect.DeepEqual(f.media.saved, []string{tt.alt}) {
				t.Errorf("saved with alt %q, want %q", f.media.saved, tt.alt)
			}
		})
	}
}

func TestUploadMediaRejects(t *testing.T) {
	big := strings.Repeat("x", testMaxMedia+1<<20)
	tests := []struct {
		name   string
		req    func(t *testing.T) *http.Request
		status int
		code   string
		desc   string
	}{
		{"no token", func(t *testing.T) *http.Request {
			return postMultipart(t, "/micropub/media", "", nil, upload{"file", "a.png", pngMagic})
		}, 401, codeUnauthorized, "access token"},
		{"unknown token", func(t *testing.T) *http.Request {
			return postMultipart(t, "/micropub/media", "nope", nil, upload{"file", "a.png", pngMagic})
		}, 401, codeUnauthorized, "not valid"},
		{"token without media or create scope", func(t *testing.T) *http.Request {
			return postMultipart(t, "/micropub/media", tokenRead, nil, upload{"file", "a.png", pngMagic})
		}, 403, codeInsufficientScope, "media"},
		{"not multipart", func(*testing.T) *http.Request {
			r := postJSON(tokenAll, `{}`)
			r.URL.Path = "/micropub/media"
			return r
		}, 400, codeInvalidRequest, "multipart"},
		{"no file field", func(t *testing.T) *http.Request {
			return postMultipart(t, "/micropub/media", tokenAll, nil, upload{"photo", "a.png", pngMagic})
		}, 400, codeInvalidRequest, `"file"`},
		{"two files", func(t *testing.T) *http.Request {
			return postMultipart(t, "/micropub/media", tokenAll, nil, upload{"file", "a.png", pngMagic}, upload{"file", "b.png", pngMagic})
		}, 400, codeInvalidRequest, "one file"},
		{"not an image", func(t *testing.T) *http.Request {
			return postMultipart(t, "/micropub/media", tokenAll, nil, upload{"file", "a.txt", "plain text"})
		}, 400, codeInvalidRequest, "not an image"},
		{"over the limit, refused by the media store", func(t *testing.T) *http.Request {
			return postMultipart(t, "/micropub/media", tokenAll, nil, upload{"file", "a.png", pngMagic + strings.Repeat("x", testMaxMedia)})
		}, 413, codeInvalidRequest, "the image is larger than 1 MB"},
		{"body over the cap", func(t *testing.T) *http.Request {
			return postMultipart(t, "/micropub/media", tokenAll, nil, upload{"file", "a.png", pngMagic + big})
		}, 413, codeInvalidRequest, "the image is larger than 1 MB"},
		{"chunked body over the cap", func(t *testing.T) *http.Request {
			r := postMultipart(t, "/micropub/media", tokenAll, nil, upload{"file", "a.png", pngMagic + big})
			r.ContentLength = -1
			return r
		}, 413, codeInvalidRequest, "the image is larger than 1 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture()
			e := wantError(t, f.do(tt.req(t)), tt.status, tt.code)
			if !strings.Contains(e.Description, tt.desc) {
				t.Errorf("description %q does not mention %q", e.Description, tt.desc)
			}
			if n := f.media.count(); n != 0 {
				t.Errorf("%d files saved", n)
			}
		})
	}
}

func TestUploadMediaWithoutSaver(t *testing.T) {
	mux := http.NewServeMux()
	(&Handler{Publisher: newFakePublisher(), CheckToken: checkToken, BaseURL: testBase}).Routes(mux)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, postMultipart(t, "/micropub/media", tokenAll, nil, upload{"file", "a.png", pngMagic}))
	wantError(t, w, http.StatusNotFound, codeInvalidRequest)
}
