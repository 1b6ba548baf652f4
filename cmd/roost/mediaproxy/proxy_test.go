package mediaproxy

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// remote is a fake media server: honest files, a liar and a firehose.
type remote struct {
	*httptest.Server
	hits atomic.Int64
}

func pngBytes(t *testing.T, w int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, w))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func newRemote(t *testing.T) *remote {
	t.Helper()
	img := pngBytes(t, 4)
	big := pngBytes(t, 64)
	rm := &remote{}
	mux := http.NewServeMux()
	mux.HandleFunc("/avatar.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(img)
	})
	mux.HandleFunc("/big.png", func(w http.ResponseWriter, r *http.Request) { w.Write(big) })
	mux.HandleFunc("/liar.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		io.WriteString(w, "<!doctype html><html><body><script>alert(document.cookie)</script></body></html>")
	})
	mux.HandleFunc("/drawing.svg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		io.WriteString(w, `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)
	})
	mux.HandleFunc("/endless.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(img[:16])
		chunk := make([]byte, 32<<10)
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	rm.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rm.hits.Add(1)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(rm.Close)
	return rm
}

type site struct {
	*httptest.Server
	proxy *Proxy
	now   time.Time
}

func newSite(t *testing.T, cfg Config) *site {
	t.Helper()
	s := &site{now: time.Unix(1_700_000_000, 0)}
	mux := http.NewServeMux()
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	cfg.Client = http.DefaultClient
	cfg.BaseURL = s.URL
	cfg.Secret = []byte("0123456789abcdef0123456789abcdef")
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir()
	}
	cfg.Now = func() time.Time { return s.now }
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.proxy = p
	mux.Handle(Route, p)
	return s
}

func get(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func TestURLProxiesOnlyRemoteHTTP(t *testing.T) {
	s := newSite(t, Config{})
	for _, local := range []string{"", "/media/x.png", s.URL + "/media/x.png"} {
		if got := s.proxy.URL(local); got != local {
			t.Errorf("URL(%q) = %q, want it unchanged", local, got)
		}
	}
	for _, bad := range []string{"javascript:alert(1)", "data:image/png;base64,AAAA", "//evil.example/x.png", "ftp://host/x"} {
		if got := s.proxy.URL(bad); got != "" {
			t.Errorf("URL(%q) = %q, want nothing", bad, got)
		}
	}
	got := s.proxy.URL("https://remote.example/a.png")
	if !strings.HasPrefix(got, s.URL+"/media/proxy/") || strings.Contains(got, "remote.example") {
		t.Errorf("remote URL became %q", got)
	}
}

func TestServesRemoteImageWithSafeHeadersAndCaches(t *testing.T) {
	rm := newRemote(t)
	s := newSite(t, Config{})
	u := s.proxy.URL(rm.URL + "/avatar.png")
	resp, body := get(t, u)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, pngBytes(t, 4)) {
		t.Fatalf("status %d, %d bytes", resp.StatusCode, len(body))
	}
	for h, want := range map[string]string{
		"Content-Type":            "image/png",
		"X-Content-Type-Options":  "nosniff",
		"Content-Security-Policy": "default-src 'none'; sandbox",
		"Cache-Control":           "public, max-age=86400",
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	get(t, u)
	if n := rm.hits.Load(); n != 1 {
		t.Errorf("remote asked %d times for one file, want once (cached)", n)
	}
	// Once the cached copy is older than MaxAge it is fetched again.
	s.now = s.now.Add(DefaultMaxAge + time.Hour)
	os.Chtimes(s.proxy.cache.path(rm.URL+"/avatar.png"), s.now.Add(-DefaultMaxAge-time.Minute), s.now.Add(-DefaultMaxAge-time.Minute))
	if resp, _ := get(t, u); resp.StatusCode != http.StatusOK || rm.hits.Load() != 2 {
		t.Errorf("expired copy: status %d, remote asked %d times, want 200 and twice", resp.StatusCode, rm.hits.Load())
	}
}

func TestRefusesURLsItDidNotSign(t *testing.T) {
	rm := newRemote(t)
	s := newSite(t, Config{})
	u := s.proxy.URL(rm.URL + "/avatar.png")
	other := s.proxy.URL(rm.URL + "/big.png")
	// The MAC of one URL with the source of another: an open proxy attempt.
	forged := u[:strings.LastIndex(u, "/")] + other[strings.LastIndex(other, "/"):]
	if resp, _ := get(t, forged); resp.StatusCode != http.StatusNotFound {
		t.Errorf("forged URL: status %d, want 404", resp.StatusCode)
	}
	if rm.hits.Load() != 0 {
		t.Error("a forged URL reached the remote server")
	}
}

func TestRefusesWhatIsNotMedia(t *testing.T) {
	rm := newRemote(t)
	s := newSite(t, Config{})
	for _, path := range []string{"/liar.png", "/drawing.svg"} {
		resp, body := get(t, s.proxy.URL(rm.URL+path))
		if resp.StatusCode != http.StatusUnsupportedMediaType || bytes.Contains(body, []byte("<script")) {
			t.Errorf("%s: status %d, body %q; want 415 and none of it", path, resp.StatusCode, body)
		}
	}
	// The refusal is remembered: the liar is not asked again at once.
	before := rm.hits.Load()
	get(t, s.proxy.URL(rm.URL+"/liar.png"))
	if rm.hits.Load() != before {
		t.Error("a refused URL was fetched again right away")
	}
}

func TestCapsEndlessBody(t *testing.T) {
	rm := newRemote(t)
	dir := t.TempDir()
	s := newSite(t, Config{MaxBytes: 1 << 20, Dir: dir})
	resp, body := get(t, s.proxy.URL(rm.URL+"/endless.png"))
	if resp.StatusCode != http.StatusBadGateway || len(body) > 1024 {
		t.Errorf("endless body: status %d, %d bytes; want 502", resp.StatusCode, len(body))
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Errorf("the cut-off body left %d files in the cache", len(files))
	}
}

func TestCacheStaysUnderItsBound(t *testing.T) {
	rm := newRemote(t)
	bigSize := int64(len(pngBytes(t, 64)) + headerSize)
	s := newSite(t, Config{MaxCacheBytes: bigSize + bigSize/2})
	get(t, s.proxy.URL(rm.URL+"/big.png"))
	s.now = s.now.Add(time.Second)
	os.Chtimes(s.proxy.cache.path(rm.URL+"/big.png"), s.now.Add(-time.Hour), s.now.Add(-time.Hour))
	get(t, s.proxy.URL(rm.URL+"/avatar.png"))
	get(t, s.proxy.URL(rm.URL+"/big.png")+"") // refetched: evicted as the oldest
	files, _ := s.proxy.cache.files()
	var total int64
	for _, f := range files {
		total += f.size
	}
	if total > s.proxy.cfg.MaxCacheBytes {
		t.Errorf("cache holds %d bytes, bound %d", total, s.proxy.cfg.MaxCacheBytes)
	}
	if rm.hits.Load() != 3 {
		t.Errorf("remote asked %d times, want 3 (the evicted file fetched again)", rm.hits.Load())
	}
}
