package mediaproxy

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"
)

// fetchTimeout bounds one fetch as a whole, headers and body, on top of the
// client's own timeouts: a server that trickles its answer is cut off.
const fetchTimeout = 30 * time.Second

// refusedError is a remote answer the proxy will not pass on, with the
// status the visitor gets for it.
type refusedError struct {
	status int
	reason string
}

func (e *refusedError) Error() string { return e.reason }

// fetch downloads src into the cache, refusing what is too large or is not
// an image, audio or video by its bytes.
func (p *Proxy) fetch(src string) error {
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return &refusedError{http.StatusNotFound, "not a URL"}
	}
	req.Header.Set("Accept", "image/*, video/*, audio/*")
	if p.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", p.cfg.UserAgent)
	}
	resp, err := p.cfg.Client.Do(req)
	if err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fetch: remote answered %d", resp.StatusCode)
	}
	if resp.ContentLength > p.cfg.MaxBytes {
		return &refusedError{http.StatusBadGateway, fmt.Sprintf("remote announces %d bytes", resp.ContentLength)}
	}
	w, err := p.cache.create(src)
	if err != nil {
		return err
	}
	defer w.abort()
	n, err := io.Copy(w, io.LimitReader(resp.Body, p.cfg.MaxBytes+1))
	if err != nil {
		return fmt.Errorf("fetch: read body: %w", err)
	}
	if n > p.cfg.MaxBytes {
		return &refusedError{http.StatusBadGateway, fmt.Sprintf("body longer than %d bytes", p.cfg.MaxBytes)}
	}
	contentType, ok := servable(w.head())
	if !ok {
		return &refusedError{http.StatusUnsupportedMediaType, "not an image, audio or video: " + contentType}
	}
	return w.commit(contentType)
}

// servableImages are the image types browsers and apps show. SVG is left
// out on purpose: it is a document that can carry script.
var servableImages = map[string]bool{
	"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true,
	"image/avif": true, "image/heic": true, "image/heif": true, "image/bmp": true,
	"image/x-icon": true, "image/vnd.microsoft.icon": true, "image/jxl": true,
}

// servable names the type of a file by its first bytes and says whether
// the proxy serves it.
func servable(head []byte) (string, bool) {
	t := mimetype.Detect(head)
	mt := t.String()
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	switch {
	case servableImages[mt]:
		return mt, true
	case strings.HasPrefix(mt, "audio/"), strings.HasPrefix(mt, "video/"):
		return mt, true
	case mt == "application/ogg":
		// An Ogg container whose codec the sniffer could not name.
		return "audio/ogg", true
	}
	return mt, false
}
