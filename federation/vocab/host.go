package vocab

import (
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/idna"
)

// hostProfile maps a host name as a resolver would before looking it up
// (case folded, Unicode to its punycode A-label), without refusing the
// underscores that some real servers' names carry.
var hostProfile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false))

// CanonicalHost is a host name in the one form in which roost compares
// hosts (blocks, origins, handles): lower case, punycode, no trailing dot,
// no port, IP addresses in their standard form. Without it
// "Evil.Example." or "еvil.example" in Cyrillic would slip past a block on
// evil.example. A name that does not map is only lowercased, so a check
// against it still fails closed rather than matching nothing at all.
func CanonicalHost(host string) string {
	h := strings.TrimSpace(host)
	if hostOnly, _, err := net.SplitHostPort(h); err == nil {
		h = hostOnly
	}
	h = strings.TrimSuffix(strings.Trim(h, "[]"), ".")
	if ip := net.ParseIP(h); ip != nil {
		return ip.String()
	}
	if a, err := hostProfile.ToASCII(h); err == nil && a != "" {
		return strings.TrimSuffix(a, ".")
	}
	return strings.ToLower(h)
}

// URLHost is the CanonicalHost of a URL, or "" when it has none.
func URLHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return CanonicalHost(u.Hostname())
}
