package main

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/realclientip/realclientip-go"
)

// trustedProxies rewrites a request that comes through one of the owner's
// reverse proxies so that the rest of the site sees the visitor: the client
// address (the login limiter and the rate limits count by it), the host
// (signatures of incoming activities cover it) and the scheme. The
// forwarding headers are believed only from the listed ranges; from
// anywhere else they are ignored, since anyone can send them.
type trustedProxies struct {
	ranges []net.IPNet
	// client finds the rightmost address that is not a trusted proxy, in
	// Forwarded first, then X-Forwarded-For.
	client realclientip.Strategy
}

// parseProxyRanges reads CIDRs or single addresses (a single address is
// the one proxy at that address).
func parseProxyRanges(values []string) ([]net.IPNet, error) {
	var out []net.IPNet
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			if !strings.Contains(part, "/") {
				addr, err := netip.ParseAddr(part)
				if err != nil {
					return nil, fmt.Errorf("--trusted-proxy %q: want a CIDR such as 10.0.0.0/8 or an address", part)
				}
				part = netip.PrefixFrom(addr, addr.BitLen()).String()
			}
			_, n, err := net.ParseCIDR(part)
			if err != nil {
				return nil, fmt.Errorf("--trusted-proxy %q: want a CIDR such as 10.0.0.0/8 or an address", part)
			}
			out = append(out, *n)
		}
	}
	return out, nil
}

func newTrustedProxies(ranges []net.IPNet) (*trustedProxies, error) {
	if len(ranges) == 0 {
		return nil, nil
	}
	forwarded, err := realclientip.NewRightmostTrustedRangeStrategy("Forwarded", ranges)
	if err != nil {
		return nil, err
	}
	xff, err := realclientip.NewRightmostTrustedRangeStrategy("X-Forwarded-For", ranges)
	if err != nil {
		return nil, err
	}
	return &trustedProxies{ranges: ranges, client: realclientip.NewChainStrategy(forwarded, xff)}, nil
}

// wrap applies the forwarding headers of trusted proxies to requests
// before next sees them. Without trusted proxies it is next itself.
func (p *trustedProxies) wrap(next http.Handler) http.Handler {
	if p == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.trusts(r.RemoteAddr) {
			p.apply(r)
		}
		next.ServeHTTP(w, r)
	})
}

func (p *trustedProxies) trusts(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range p.ranges {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// apply takes the client, host and scheme the nearest proxy reports.
func (p *trustedProxies) apply(r *http.Request) {
	if ip := p.client.ClientIP(r.Header, r.RemoteAddr); ip != "" {
		r.RemoteAddr = net.JoinHostPort(ip, "0")
	}
	if host := nearest(r, "host", "X-Forwarded-Host"); host != "" {
		r.Host = host
	}
	if proto := strings.ToLower(nearest(r, "proto", "X-Forwarded-Proto")); proto == "http" || proto == "https" {
		r.URL.Scheme = proto
	}
}

// nearest is what the proxy nearest to roost said of key: in the last
// element of Forwarded (RFC 7239), else the last value of the X-Forwarded
// header.
func nearest(r *http.Request, key, header string) string {
	if fwd := r.Header.Values("Forwarded"); len(fwd) > 0 {
		elements := strings.Split(fwd[len(fwd)-1], ",")
		for pair := range strings.SplitSeq(elements[len(elements)-1], ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if ok && strings.EqualFold(k, key) {
				return strings.Trim(v, `"`)
			}
		}
	}
	if vals := r.Header.Values(header); len(vals) > 0 {
		parts := strings.Split(vals[len(vals)-1], ",")
		return strings.TrimSpace(parts[len(parts)-1])
	}
	return ""
}
