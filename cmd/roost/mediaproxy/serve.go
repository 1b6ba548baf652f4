package mediaproxy

import (
	"errors"
	"log/slog"
	"net/http"
)

// ServeHTTP answers GET and HEAD /media/proxy/{mac}/{src}: from the cache
// when a fresh copy is there, otherwise fetched once (concurrent requests
// for the same file wait for the same fetch) and then cached.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	src, ok := p.source(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	entry, err := p.cache.open(src, p.cfg.Now().Add(-p.cfg.MaxAge))
	if err != nil {
		if status, failed := p.remembered(src); failed {
			http.Error(w, http.StatusText(status), status)
			return
		}
		// The fetch outlives the request that started it: another visitor
		// may be waiting for it, and a finished fetch fills the cache.
		_, err, _ = p.flight.Do(src, func() (any, error) { return nil, p.fetch(src) })
		if err == nil {
			entry, err = p.cache.open(src, p.cfg.Now().Add(-p.cfg.MaxAge))
		}
	}
	if err != nil {
		status := http.StatusBadGateway
		var refused *refusedError
		if errors.As(err, &refused) {
			status = refused.status
		}
		slog.Info("media proxy: not served", "url", src, "status", status, "err", err)
		p.remember(src, status)
		http.Error(w, http.StatusText(status), status)
		return
	}
	defer entry.Close()
	h := w.Header()
	h.Set("Content-Type", entry.contentType)
	// The bytes are someone else's: the browser must take them for the
	// type we sniffed and nothing else, and never run them as a document.
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, "", entry.fetched, entry.body)
}
