package federation

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"

	"roost/federation/httpsig"
)

// Signature schemes a peer may accept.
const (
	schemeRFC9421 = "rfc9421"
	schemeCavage  = "cavage"
)

// signatureSchemes remembers, per host, which signature scheme its server
// accepted. Unknown hosts get RFC 9421 first ("double-knocking"): a server
// that refuses it is asked again with draft-cavage, and remembered.
type signatureSchemes struct {
	mu     sync.Mutex
	byHost map[string]string
}

func (m *signatureSchemes) get(host string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.byHost[host]; ok {
		return s
	}
	return schemeRFC9421
}

func (m *signatureSchemes) set(host, scheme string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.byHost == nil {
		m.byHost = map[string]string{}
	}
	m.byHost[host] = scheme
}

// signedDo sends a request signed by signer, with the scheme the host is
// known to accept. When a first RFC 9421 attempt is refused as unsigned or
// badly signed (400, 401, or 403), the request is sent once more with a
// draft-cavage signature, and the host's scheme is remembered either way.
// header is applied to each attempt.
func (s *Service) signedDo(ctx context.Context, signer httpsig.Signer, method, target string, body []byte, header http.Header) (*http.Response, error) {
	send := func(scheme string) (*http.Response, error) {
		var rd io.Reader
		if body != nil {
			rd = bytes.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, method, target, rd)
		if err != nil {
			return nil, err
		}
		for k, v := range header {
			req.Header[k] = v
		}
		if scheme == schemeRFC9421 {
			err = signer.SignRFC9421(req, body)
		} else {
			err = signer.Sign(req, body)
		}
		if err != nil {
			return nil, err
		}
		return s.client.Do(req)
	}
	host := hostOf(target)
	scheme := s.sigSchemes.get(host)
	resp, err := send(scheme)
	if err != nil || scheme != schemeRFC9421 {
		return resp, err
	}
	if !refusesSignature(resp.StatusCode) {
		s.sigSchemes.set(host, schemeRFC9421)
		return resp, nil
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp, err = send(schemeCavage)
	if err == nil && !refusesSignature(resp.StatusCode) {
		s.sigSchemes.set(host, schemeCavage)
	}
	return resp, err
}

// refusesSignature reports whether an answer may mean "I cannot verify
// this signature": servers that only know draft-cavage answer an RFC 9421
// request with one of these.
func refusesSignature(status int) bool {
	return status == http.StatusUnauthorized || status == http.StatusBadRequest || status == http.StatusForbidden
}

// hostOf is the lower-case host[:port] of a URL.
func hostOf(target string) string {
	rest := target
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return strings.ToLower(rest)
}
