package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// Pages, styles, scripts and API answers reach a browser compressed, in
// the encoding it asked for; images go as they are.
func TestResponsesAreCompressed(t *testing.T) {
	ts := startTestSite(t, newTestNet(), "alice.test", "")
	get := func(path, encodings string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept", "text/html,*/*;q=0.8")
		if encodings != "" {
			req.Header.Set("Accept-Encoding", encodings)
		}
		rec := httptest.NewRecorder()
		ts.handler.ServeHTTP(rec, req)
		return rec
	}
	decode := map[string]func(io.Reader) (io.Reader, error){
		"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
	}
	for _, c := range []struct{ path, want string }{
		{"/", "<main"}, {"/static/style.css", "{"}, {"/static/editor.js", "addEventListener"}, {"/api/v1/instance", `"uri"`},
	} {
		plain := get(c.path, "")
		if plain.Code != http.StatusOK || plain.Header().Get("Content-Encoding") != "" {
			t.Fatalf("%s without Accept-Encoding: %d %q", c.path, plain.Code, plain.Header().Get("Content-Encoding"))
		}
		for enc, reader := range decode {
			rec := get(c.path, enc)
			if got := rec.Header().Get("Content-Encoding"); got != enc {
				t.Errorf("%s with Accept-Encoding %s: Content-Encoding %q", c.path, enc, got)
				continue
			}
			if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s: Vary %q", c.path, rec.Header().Get("Vary"))
			}
			t.Logf("%s: %d bytes plain, %d in %s", c.path, plain.Body.Len(), rec.Body.Len(), enc)
			if rec.Body.Len() >= plain.Body.Len() {
				t.Errorf("%s in %s: %d bytes, plain %d", c.path, enc, rec.Body.Len(), plain.Body.Len())
			}
			r, err := reader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(r)
			if err != nil || !strings.Contains(string(body), c.want) {
				t.Errorf("%s in %s decodes to %d bytes (%v), want %q in it", c.path, enc, len(body), err, c.want)
			}
		}
	}
	if rec := get("/static/avatar.png", "gzip, br"); rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "" {
		t.Errorf("a PNG: %d, Content-Encoding %q, want it sent as it is", rec.Code, rec.Header().Get("Content-Encoding"))
	}
}

// Server-sent events still arrive one by one, uncompressed, when the
// client would accept gzip.
func TestStreamingIsNotHeldBackByCompression(t *testing.T) {
	ts := startTestSite(t, newTestNet(), "alice.test", "")
	token := passwordGrant(t, ts.site, testPassword)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+ts.Addr+"/api/v1/streaming/user?access_token="+token, nil)
	req.Host = ts.Host
	req.Header.Set("Accept-Encoding", "gzip, br")
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("stream: %d, Content-Encoding %q", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || line != ":)\n" {
		t.Errorf("first line of the stream: %q, %v", line, err)
	}
}
