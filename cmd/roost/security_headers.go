package main

import (
	"net/http"
	"strings"
)

// contentSecurityPolicy is what every page works under: scripts and styles
// only from the site's own /static/ files (no inline script, no inline
// style), nothing may frame the site, and no plugin or <base> can redirect
// what the page loads. Images and media come from the site alone: remote
// avatars and attachments are shown through the media proxy, so no other
// server learns who reads what, and a remote image that escaped the proxy
// stays unloaded.
var contentSecurityPolicy = strings.Join([]string{
	"default-src 'self'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self' data: blob:",
	"media-src 'self' data: blob:",
	"connect-src 'self'",
	"font-src 'self'",
	"object-src 'none'",
	"base-uri 'none'",
	"frame-ancestors 'none'",
}, "; ")

// securityHeaders sets the headers that keep pages from being framed
// (clickjacking of the authorization page), keep browsers from guessing
// types, and keep the owner's reading out of other sites' logs. It sets them
// before the handler runs, so a handler that serves something stricter (the
// media proxy's sandbox policy) replaces them.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}
