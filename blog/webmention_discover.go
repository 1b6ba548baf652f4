package blog

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/html"

	"roost/federation"
)

// maxTargetSize caps how much of a linked page is read when looking for
// its Webmention endpoint; the <link> is in the head, well inside it.
const maxTargetSize = 1 << 20

// errNoEndpoint: the linked page does not accept Webmentions, which is
// the common case and not a failure worth retrying.
var errNoEndpoint = fmt.Errorf("no Webmention endpoint advertised")

// discoverEndpoint finds target's Webmention endpoint as the spec's
// section 3.1.2 says: the first HTTP Link header with rel=webmention, else
// the first <link> or <a> element with rel=webmention in document order
// (comments and escaped text are not elements), resolved against the URL
// the page was finally served from. An empty href names the page itself;
// the endpoint's query string is kept.
func discoverEndpoint(ctx context.Context, client *http.Client, userAgent, target string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return "", fmt.Errorf("discover %s: %w", target, err)
	}
	req.Header.Set("Accept", "text/html, application/xhtml+xml;q=0.9, */*;q=0.1")
	req.Header.Set("User-Agent", userAgent)
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("discover: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return "", &federation.StatusError{URL: target, Status: resp.StatusCode}
	}
	base := resp.Request.URL
	if ref, ok := linkHeaderRel(resp.Header.Values("Link"), "webmention"); ok {
		return resolveEndpoint(base, ref)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/html" && mt != "application/xhtml+xml" {
		return "", errNoEndpoint
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTargetSize))
	if err != nil {
		return "", fmt.Errorf("discover %s: %w", target, err)
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("discover %s: %w", target, err)
	}
	if ref, ok := htmlRel(doc, "webmention"); ok {
		return resolveEndpoint(base, ref)
	}
	return "", errNoEndpoint
}

func resolveEndpoint(base *url.URL, ref string) (string, error) {
	u, err := base.Parse(strings.TrimSpace(ref))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("endpoint %q is not an http(s) URL", ref)
	}
	u.Fragment = ""
	return u.String(), nil
}

// htmlRel is the href of the first <link> or <a> whose rel list holds rel.
// An element without href is skipped (webmention.rocks test 20).
func htmlRel(doc *html.Node, rel string) (string, bool) {
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || (n.Data != "link" && n.Data != "a") {
			continue
		}
		var href, rels string
		hasHref := false
		for _, a := range n.Attr {
			switch a.Key {
			case "href":
				href, hasHref = a.Val, true
			case "rel":
				rels = a.Val
			}
		}
		if hasHref && hasRel(rels, rel) {
			return href, true
		}
	}
	return "", false
}

// hasRel reports whether a space-separated rel list names rel, in any case.
func hasRel(list, rel string) bool {
	for _, r := range strings.Fields(list) {
		if strings.EqualFold(r, rel) {
			return true
		}
	}
	return false
}

// linkHeaderRel is the target of the first link with rel among Link header
// values (RFC 8288): several headers, several comma-separated links in one,
// rel quoted or not, in any case, possibly with several values.
func linkHeaderRel(values []string, rel string) (string, bool) {
	for _, v := range values {
		for _, l := range parseLinkHeader(v) {
			if hasRel(l.rel, rel) {
				return l.target, true
			}
		}
	}
	return "", false
}

type headerLink struct{ target, rel string }

// parseLinkHeader splits one Link header value into its links. A URL
// between < and > may hold commas and semicolons; a quoted parameter value
// may hold commas too.
func parseLinkHeader(v string) []headerLink {
	var out []headerLink
	for {
		start := strings.IndexByte(v, '<')
		if start < 0 {
			return out
		}
		end := strings.IndexByte(v[start:], '>')
		if end < 0 {
			return out
		}
		l := headerLink{target: v[start+1 : start+end]}
		v = v[start+end+1:]
		// Parameters run to the next comma outside quotes.
		params, rest := splitUnquoted(v, ',')
		for _, p := range strings.Split(params, ";") {
			name, value, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(name), "rel") {
				l.rel = strings.Trim(strings.TrimSpace(value), `"`)
			}
		}
		out = append(out, l)
		v = rest
	}
}

// splitUnquoted cuts s at the first sep that is not inside double quotes.
func splitUnquoted(s string, sep byte) (before, after string) {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case s[i] == sep && !quoted:
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}
