package media

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// noise is a picture no encoder can shrink much, so a variant with fewer
// pixels must come out smaller.
func noise(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(r.UintN(256))
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	return img
}

// get asks the store's handler for a path and returns the answer.
func get(t *testing.T, s *Store, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("GET /media/{name}", s)
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	return rec
}

func TestSquareVariantsAreSmallSquaresInTheImagesFormat(t *testing.T) {
	s := newTestStore(t, 0)
	photo := save(t, s, encodeJPEG(t, noise(600, 400)))
	drawn := save(t, s, encodePNG(t, noise(400, 400)))
	for _, tt := range []struct {
		m        Media
		wantType string
	}{{photo, "image/jpeg"}, {drawn, "image/png"}} {
		variants := s.SquareVariants(tt.m.URL)
		if len(variants) != len(SquareSides) {
			t.Fatalf("%d variants of %s, want %d", len(variants), tt.m.URL, len(SquareSides))
		}
		original := len(fileOf(t, s, tt.m.URL))
		for _, v := range variants {
			rec := get(t, s, strings.TrimPrefix(v.URL, testBase))
			if rec.Code != 200 {
				t.Fatalf("GET %s: %d %s", v.URL, rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != tt.wantType {
				t.Errorf("%s is %s, want %s", v.URL, ct, tt.wantType)
			}
			cfg, format := decodeConfigOf(t, rec.Body.Bytes())
			want := min(v.Width, 400)
			if cfg.Width != want || cfg.Height != want {
				t.Errorf("%s (%s) is %d×%d, want %d×%d", v.URL, format, cfg.Width, cfg.Height, want, want)
			}
			if v.Width < 400 && rec.Body.Len() >= original {
				t.Errorf("%s is %d bytes, the image itself %d", v.URL, rec.Body.Len(), original)
			}
			if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
				t.Errorf("%s Cache-Control %q", v.URL, cc)
			}
			etag := rec.Header().Get("ETag")
			if etag == "" {
				t.Fatalf("%s has no ETag", v.URL)
			}
			if again := get(t, s, strings.TrimPrefix(v.URL, testBase), "If-None-Match", etag); again.Code != http.StatusNotModified {
				t.Errorf("revalidating %s answered %d, want 304", v.URL, again.Code)
			}
		}
	}
}

func TestWideVariantsKeepTheProportions(t *testing.T) {
	s := newTestStore(t, 0)
	header := save(t, s, encodeJPEG(t, gradient(2000, 600)))
	for _, v := range s.WideVariants(header.URL) {
		rec := get(t, s, strings.TrimPrefix(v.URL, testBase))
		if rec.Code != 200 {
			t.Fatalf("GET %s: %d", v.URL, rec.Code)
		}
		cfg, _ := decodeConfigOf(t, rec.Body.Bytes())
		if cfg.Width != v.Width || cfg.Height != v.Width*600/2000 {
			t.Errorf("%s is %d×%d, want %d×%d", v.URL, cfg.Width, cfg.Height, v.Width, v.Width*600/2000)
		}
	}
	// A header narrower than a variant is not enlarged.
	narrow := save(t, s, encodePNG(t, gradient(500, 100)))
	rec := get(t, s, strings.TrimPrefix(s.WideVariants(narrow.URL)[1].URL, testBase))
	if cfg, _ := decodeConfigOf(t, rec.Body.Bytes()); cfg.Width != 500 || cfg.Height != 100 {
		t.Errorf("the 1500 variant of a 500×100 header is %d×%d", cfg.Width, cfg.Height)
	}
}

func TestTransparentAvatarVariantStaysTransparent(t *testing.T) {
	s := newTestStore(t, 0)
	img := image.NewNRGBA(image.Rect(0, 0, 200, 200))
	img.Set(100, 100, color.NRGBA{255, 0, 0, 255})
	m := save(t, s, encodePNG(t, img))
	rec := get(t, s, strings.TrimPrefix(s.SquareVariants(m.URL)[0].URL, testBase))
	out, _, err := image.Decode(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, a := out.At(0, 0).RGBA(); a != 0 {
		t.Errorf("the corner of a transparent avatar's variant has alpha %d, want 0", a)
	}
}

func TestVariantsOnlyOfStoredImagesAndKnownSizes(t *testing.T) {
	s := newTestStore(t, 0)
	m := save(t, s, encodeJPEG(t, gradient(100, 100)))
	stem := strings.TrimSuffix(strings.TrimPrefix(m.URL, testBase+"/media/"), ".jpg")
	for _, path := range []string{
		"/media/" + stem + ".s50.jpg",               // not a size that exists
		"/media/" + stem + ".s096.jpg",              // not the spelling of one
		"/media/" + stem + ".x96.jpg",               // not a kind
		"/media/" + stem + ".s96.png",               // the image is a JPEG
		"/media/abcdefghijklmnopqrstuvwxyz.s96.jpg", // no such image
		"/media/" + stem + ".preview.s96.jpg",
	} {
		if rec := get(t, s, path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, rec.Code)
		}
	}
	for _, u := range []string{"https://elsewhere.example/media/" + stem + ".jpg", "/static/avatar.svg", m.PreviewURL} {
		if v := s.SquareVariants(u); v != nil {
			t.Errorf("variants of %s: %v, want none", u, v)
		}
	}
	// The path form of a URL gives path-form variants.
	if v := s.SquareVariants("/media/" + stem + ".jpg"); len(v) == 0 || !strings.HasPrefix(v[0].URL, "/media/") {
		t.Errorf("variants of the path form: %v", v)
	}
}

func TestCorruptImageMakesNoVariant(t *testing.T) {
	s := newTestStore(t, 0)
	m := save(t, s, encodeJPEG(t, gradient(100, 100)))
	name := strings.TrimPrefix(m.URL, testBase+"/media/")
	if err := os.WriteFile(filepath.Join(s.dir, name), []byte("\xff\xd8\xffnot really a jpeg"), 0o644); err != nil {
		t.Fatal(err)
	}
	v := s.SquareVariants(m.URL)[0]
	rec := get(t, s, strings.TrimPrefix(v.URL, testBase))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "could not be made smaller") {
		t.Errorf("a variant of a corrupt image answered %d %q", rec.Code, rec.Body)
	}
	if _, err := os.Stat(filepath.Join(s.dir, v.URL[strings.LastIndex(v.URL, "/")+1:])); err == nil {
		t.Error("a variant file was written for a corrupt image")
	}
}

func TestMakeVariantsAheadAndDeleteRemovesThem(t *testing.T) {
	s := newTestStore(t, 0)
	m := save(t, s, encodeJPEG(t, gradient(300, 300)))
	if err := s.MakeVariants(m.URL, false); err != nil {
		t.Fatal(err)
	}
	if err := s.MakeVariants(m.URL, true); err != nil {
		t.Fatal(err)
	}
	files, err := readDir(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 + len(SquareSides) + len(WideWidths); len(files) != want {
		t.Fatalf("%d files after making variants, want %d: %v", len(files), want, files)
	}
	if err := s.Delete(context.Background(), m.ID); err != nil {
		t.Fatal(err)
	}
	assertNoFiles(t, s)
}
