package federation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Limits of the outbound client.
const (
	fetchTimeout    = 10 * time.Second
	maxResponseSize = 5 << 20
	maxRedirects    = 5
)

// acceptActivity is what roost asks for when it fetches ActivityStreams:
// both media types, because some servers only answer one of them.
const acceptActivity = `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

// ErrForbiddenAddress is returned when the SSRF guard refuses to connect.
var ErrForbiddenAddress = errors.New("refusing to connect to a private or loopback address")

// StatusError is a remote answer outside 2xx.
type StatusError struct {
	URL    string
	Status int
}

func (e *StatusError) Error() string { return fmt.Sprintf("%s answered %d", e.URL, e.Status) }

// Unwrap maps 404 and 410 onto the room's sentinel errors.
func (e *StatusError) Unwrap() error {
	switch e.Status {
	case http.StatusNotFound:
		return ErrNotFound
	case http.StatusGone:
		return ErrGone
	}
	return nil
}

// newClient builds the one client roost uses for everything remote.
func (s *Service) newClient() *http.Client {
	dialer := &net.Dialer{Timeout: fetchTimeout, KeepAlive: 30 * time.Second}
	if !s.cfg.AllowPrivate {
		// Control runs after DNS resolution, on the very address being
		// connected to, so a name that resolves to 127.0.0.1 (or changes
		// its answer between two lookups) is refused too.
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			return checkAddress(address)
		}
	}
	dial := dialer.DialContext
	if s.cfg.DialContext != nil {
		custom := s.cfg.DialContext
		dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := custom(ctx, network, addr)
			if err != nil || s.cfg.AllowPrivate {
				return conn, err
			}
			if err := checkAddress(conn.RemoteAddr().String()); err != nil {
				conn.Close()
				return nil, err
			}
			return conn, nil
		}
	}
	transport := &http.Transport{
		Proxy:                 nil, // a proxy would hide the address the guard must see
		DialContext:           dial,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   fetchTimeout,
		ResponseHeaderTimeout: fetchTimeout,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   fetchTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("stopped after %d redirects", maxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to %s: unsupported scheme", req.URL.Redacted())
			}
			// A signature names the host it was made for; another host gets
			// an unsigned request rather than a replayable one.
			if req.URL.Host != via[0].URL.Host {
				req.Header.Del("Signature")
				req.Header.Del("Signature-Input")
				req.Header.Del("Authorization")
			}
			// The new target's address is checked again by the dialer.
			return nil
		},
	}
}

// checkAddress refuses loopback, private, link-local, multicast and
// unspecified addresses (IPv4-mapped IPv6 forms included).
func checkAddress(hostport string) error {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %s is not an IP address", ErrForbiddenAddress, host)
	}
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || !ip.IsValid() {
		return fmt.Errorf("%w: %s", ErrForbiddenAddress, ip)
	}
	for _, p := range internalPrefixes {
		if p.Contains(ip) {
			return fmt.Errorf("%w: %s", ErrForbiddenAddress, ip)
		}
	}
	return nil
}

// internalPrefixes are ranges that are not private by netip's definition but
// reach inside a network all the same: carrier-grade NAT, "this network",
// IETF protocol assignments, benchmarking, and the IPv6 forms that embed an
// IPv4 address (NAT64, 6to4), which could carry a private one.
var internalPrefixes = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2002::/16"),
}

// Client is the guarded client, for fetching feeds and other plain HTTP
// resources. It does not sign; use Get for ActivityPub resources.
func (s *Service) Client() *http.Client { return s.client }

// Get fetches url with a GET signed by the instance actor (servers in
// authorized-fetch mode refuse unsigned ones) and returns the body, capped in size, and its media type.
// accept "" asks for ActivityStreams.
func (s *Service) Get(ctx context.Context, rawURL, accept string) (body []byte, contentType string, err error) {
	body, contentType, _, err = s.get(ctx, rawURL, accept)
	return body, contentType, err
}

// get is Get that also reports the final URL after redirects, which
// relative links in an HTML page are resolved against.
func (s *Service) get(ctx context.Context, rawURL, accept string) ([]byte, string, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, "", "", fmt.Errorf("get %q: not an http(s) URL", rawURL)
	}
	if accept == "" {
		accept = acceptActivity
	}
	header := http.Header{}
	header.Set("Accept", accept)
	header.Set("User-Agent", s.userAgent())
	// Fetches are the site's, not the owner's: signed as the instance actor.
	signer, err := s.fetchSigner(ctx)
	if err != nil {
		return nil, "", "", fmt.Errorf("get %s: %w", u.Redacted(), err)
	}
	resp, err := s.signedDo(ctx, signer, http.MethodGet, u.String(), nil, header)
	if err != nil {
		return nil, "", "", fmt.Errorf("get %s: %w", u.Redacted(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, "", "", fmt.Errorf("get: %w", &StatusError{URL: u.Redacted(), Status: resp.StatusCode})
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseSize+1))
	if err != nil {
		return nil, "", "", fmt.Errorf("get %s: %w", u.Redacted(), err)
	}
	if len(body) > maxResponseSize {
		return nil, "", "", fmt.Errorf("get %s: response larger than %d bytes", u.Redacted(), maxResponseSize)
	}
	return body, resp.Header.Get("Content-Type"), resp.Request.URL.String(), nil
}

func (s *Service) userAgent() string {
	return "roost/" + s.cfg.Version + " (+" + s.base + "/)"
}

// mediaType returns the lower-case media type of a Content-Type header,
// without parameters.
func mediaType(contentType string) string {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}
