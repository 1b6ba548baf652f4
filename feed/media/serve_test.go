package media

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServeHTTP(t *testing.T) {
	s := newTestStore(t, 0)
	jpg := save(t, s, encodeJPEG(t, gradient(32, 32)))
	pic := save(t, s, encodePNG(t, gradient(32, 32)))
	// Things in the directory the store did not create must stay private,
	// as must the database next to it.
	if err := os.WriteFile(filepath.Join(s.dir, ".upload-1234"), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.dir, "notes.txt"), []byte("private"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := func(url string) string { return strings.TrimPrefix(url, testBase) }

	mux := http.NewServeMux()
	mux.Handle("GET /media/{name}", s)

	tests := []struct {
		name     string
		path     string
		wantCode int
		wantType string
		wantBody []byte
	}{
		{"jpeg", path(jpg.URL), 200, "image/jpeg", fileOf(t, s, jpg.URL)},
		{"jpeg preview", path(jpg.PreviewURL), 200, "image/jpeg", fileOf(t, s, jpg.PreviewURL)},
		{"png", path(pic.URL), 200, "image/png", fileOf(t, s, pic.URL)},
		{"png preview", path(pic.PreviewURL), 200, "image/jpeg", fileOf(t, s, pic.PreviewURL)},
		{"wrong extension", strings.TrimSuffix(path(jpg.URL), ".jpg") + ".png", 404, "", nil},
		{"unknown name", "/media/abcdefghijklmnopqrstuvwxyz.jpg", 404, "", nil},
		{"database", "/media/../t.db", 404, "", nil},
		{"encoded traversal", "/media/..%2ft.db", 404, "", nil},
		{"temporary file", "/media/.upload-1234", 404, "", nil},
		{"other file", "/media/notes.txt", 404, "", nil},
		{"empty", "/media/", 404, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Straight to the handler, so that the mux's path cleaning
			// cannot hide a traversal the handler would have allowed.
			direct := httptest.NewRecorder()
			s.ServeHTTP(direct, httptest.NewRequest(http.MethodGet, tt.path, nil))
			routed := httptest.NewRecorder()
			mux.ServeHTTP(routed, httptest.NewRequest(http.MethodGet, tt.path, nil))

			for via, rec := range map[string]*httptest.ResponseRecorder{"direct": direct, "mux": routed} {
				if tt.wantCode != 200 {
					if rec.Code == 200 {
						t.Errorf("%s: served %q", via, rec.Body.String())
					}
					continue
				}
				if rec.Code != 200 {
					t.Fatalf("%s: status %d", via, rec.Code)
				}
				h := rec.Header()
				if got := h.Get("Content-Type"); got != tt.wantType {
					t.Errorf("%s: Content-Type %q, want %q", via, got, tt.wantType)
				}
				if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("%s: X-Content-Type-Options %q", via, got)
				}
				if got := h.Get("Cache-Control"); !strings.Contains(got, "immutable") || !strings.Contains(got, "max-age=31536000") {
					t.Errorf("%s: Cache-Control %q", via, got)
				}
				if !bytes.Equal(rec.Body.Bytes(), tt.wantBody) {
					t.Errorf("%s: body differs from the stored file", via)
				}
			}
			if tt.wantCode == 404 && direct.Code != 404 {
				t.Errorf("direct: status %d, want 404", direct.Code)
			}
		})
	}
}

func TestServeHTTPMethods(t *testing.T) {
	s := newTestStore(t, 0)
	m := save(t, s, encodeJPEG(t, gradient(16, 16)))
	path := strings.TrimPrefix(m.URL, testBase)

	head := httptest.NewRecorder()
	s.ServeHTTP(head, httptest.NewRequest(http.MethodHead, path, nil))
	if head.Code != 200 || head.Body.Len() != 0 || head.Header().Get("Content-Type") != "image/jpeg" {
		t.Errorf("HEAD: %d, %d body bytes, type %q", head.Code, head.Body.Len(), head.Header().Get("Content-Type"))
	}

	post := httptest.NewRecorder()
	s.ServeHTTP(post, httptest.NewRequest(http.MethodPost, path, strings.NewReader("x")))
	if post.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405", post.Code)
	}

	// Browsers revalidate with the ETag they were given.
	req := httptest.NewRequest(http.MethodGet, path, nil)
	first := httptest.NewRecorder()
	s.ServeHTTP(first, req)
	req.Header.Set("If-None-Match", first.Header().Get("ETag"))
	again := httptest.NewRecorder()
	s.ServeHTTP(again, req)
	if first.Header().Get("ETag") == "" || again.Code != http.StatusNotModified {
		t.Errorf("revalidation: ETag %q, status %d", first.Header().Get("ETag"), again.Code)
	}
}
