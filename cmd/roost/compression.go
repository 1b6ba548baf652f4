package main

import (
	"net/http"
	"strings"
	"sync"

	"github.com/CAFxX/httpcompression"
)

// compressedTypes are the text formats worth compressing. Images, video
// and audio are already compressed, so they are left out on purpose.
var compressedTypes = []string{
	"text/html", "text/css", "text/javascript", "text/plain", "text/xml", "text/csv",
	"application/javascript", "application/json", "application/activity+json",
	"application/ld+json", "application/jrd+json", "application/xrd+xml",
	"application/xml", "application/atom+xml", "application/rss+xml",
	"application/manifest+json", "image/svg+xml",
}

// compressResponses gzips or brotli-compresses text responses for clients
// that accept it (adding Vary: Accept-Encoding). Streaming endpoints are
// passed through untouched: the compressor buffers small writes until it
// knows the size, which would hold back server-sent events, and a
// WebSocket upgrade must reach the real connection.
func compressResponses(next http.Handler) http.Handler {
	compressed := compressor()(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isStreaming(r) {
			next.ServeHTTP(w, r)
			return
		}
		compressed.ServeHTTP(w, r)
	})
}

// compressor is built once per process: each adapter keeps its own pools
// of brotli, zstd and gzip encoders, some 2 MiB for a brotli one once used,
// which a provider serving a thousand sites would otherwise hold a
// thousand times.
var compressor = sync.OnceValue(func() func(http.Handler) http.Handler {
	compress, err := httpcompression.DefaultAdapter(httpcompression.ContentTypes(compressedTypes, false))
	if err != nil {
		// Only a bad option list fails, which is fixed in this file.
		panic(err)
	}
	return compress
})

func isStreaming(r *http.Request) bool {
	return strings.HasPrefix(r.URL.Path, "/api/v1/streaming") ||
		r.Header.Get("Upgrade") != "" ||
		strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}
