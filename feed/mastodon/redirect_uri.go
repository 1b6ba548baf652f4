package mastodon

import (
	"net/url"
	"strings"
)

// forbiddenRedirectSchemes run or embed content instead of handing the
// code to an app: a javascript: redirect would run an attacker's script on
// this site's origin with the owner's session, and data:, vbscript:,
// file: and the like are never an app's callback. Mastodon refuses the
// same three scripting schemes (Doorkeeper's forbid_redirect_uri); the
// rest are refused for good measure.
var forbiddenRedirectSchemes = map[string]bool{
	"javascript": true, "data": true, "vbscript": true, "file": true,
	"about": true, "blob": true, "filesystem": true, "view-source": true,
}

// checkRedirectURI returns what is wrong with an app's redirect URI, or ""
// when it is one Mastodon accepts too: urn:ietf:wg:oauth:2.0:oob, https,
// http (loopback for native apps, but Mastodon allows any host) and custom
// app schemes such as myapp://callback or com.example.app:/oauth.
func checkRedirectURI(raw string) string {
	if raw == oob {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return "redirect_uri must be an absolute URI"
	}
	// url.Parse lower-cases the scheme, so JavaScript: is caught too.
	if forbiddenRedirectSchemes[strings.ToLower(u.Scheme)] {
		return "redirect_uri must not use the " + u.Scheme + ": scheme"
	}
	return ""
}
