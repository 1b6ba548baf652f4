package syndication

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
)

// ServeFeed writes feed in format f as an HTTP response, with conditional
// request support. Feed readers poll every few minutes, most of them with
// If-None-Match or If-Modified-Since, so a 304 saves the site from sending
// the same document again.
//
// The ETag is a hash of the body, so it changes whenever any byte does,
// including an edit that kept the feed's date. Last-Modified is the feed's
// update time (or its newest entry's). When both validators are sent,
// If-None-Match decides, as RFC 9110 requires.
func ServeFeed(w http.ResponseWriter, r *http.Request, f Format, feed Feed, selfURL string) {
	var body bytes.Buffer
	if err := Write(&body, f, feed, selfURL); err != nil {
		slog.ErrorContext(r.Context(), "serve feed", "format", f.Extension(), "url", selfURL, "err", err)
		http.Error(w, "feed unavailable", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType())
	h.Set("ETag", bodyETag(body.Bytes()))
	// ServeContent does the validator comparisons (weak comparison for
	// If-None-Match, second precision for dates), answers HEAD without a
	// body, and leaves Last-Modified out for a zero time.
	http.ServeContent(w, r, "", feedUpdated(feed), bytes.NewReader(body.Bytes()))
}

// bodyETag is a strong entity tag derived from the body. Half of a SHA-256
// is far more than enough to tell versions of one feed apart.
func bodyETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
}
