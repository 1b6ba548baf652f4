package cards

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// errUnreadable is a page that is no use for a card: not found, not HTML,
// too big. It is remembered like any other failure.
var errUnreadable = errors.New("cards: page unreadable")

// get fetches rawURL through the guarded client: GET only, within the
// timeout, a 200 answer of a type ok accepts, at most max bytes (a longer
// body is refused rather than cut, since what was cut may be the part that
// matters). It returns the body, its Content-Type and the URL it ended at
// after redirects.
func (c *Cards) get(ctx context.Context, rawURL, accept string, max int64, ok func(mediaType string) bool) ([]byte, string, *url.URL, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, "", nil, fmt.Errorf("get %s: %w", rawURL, err)
	}
	req.Header.Set("Accept", accept)
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	resp, err := c.cfg.Client.Do(req)
	if err != nil {
		return nil, "", nil, fmt.Errorf("get %s: %w", rawURL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, "", nil, fmt.Errorf("%w: %s answered %d", errUnreadable, rawURL, resp.StatusCode)
	}
	contentType := resp.Header.Get("Content-Type")
	mediaType, _, _ := mime.ParseMediaType(contentType)
	if !ok(mediaType) {
		return nil, "", nil, fmt.Errorf("%w: %s is %q", errUnreadable, rawURL, mediaType)
	}
	if resp.ContentLength > max {
		return nil, "", nil, fmt.Errorf("%w: %s is %d bytes", errUnreadable, rawURL, resp.ContentLength)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, "", nil, fmt.Errorf("get %s: %w", rawURL, err)
	}
	if int64(len(body)) > max {
		return nil, "", nil, fmt.Errorf("%w: %s is over %d bytes", errUnreadable, rawURL, max)
	}
	return body, contentType, resp.Request.URL, nil
}

func isHTML(mediaType string) bool {
	return mediaType == "text/html" || mediaType == "application/xhtml+xml"
}

// isImage accepts what a picture's server says it is loosely: the bytes
// decide (see Config.DescribeImage), and some servers call every file
// application/octet-stream.
func isImage(mediaType string) bool {
	return strings.HasPrefix(mediaType, "image/") || mediaType == "application/octet-stream"
}

func isOEmbedJSON(mediaType string) bool {
	return mediaType == "application/json" || mediaType == "application/json+oembed" || mediaType == "text/javascript"
}
