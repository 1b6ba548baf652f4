package main

import (
	"net/http"
	"path/filepath"

	"roost/cmd/roost/mediaproxy"
	"roost/templates"
)

// newMediaProxy builds the proxy that remote avatars, headers and
// attachments are shown through, with its key and cache in the data
// directory and the federation room's guarded client to fetch with.
func (s *site) newMediaProxy(client *http.Client) (*mediaproxy.Proxy, error) {
	secret, err := mediaproxy.LoadSecret(filepath.Join(s.cfg.DataDir, "media-proxy.key"))
	if err != nil {
		return nil, err
	}
	return mediaproxy.New(mediaproxy.Config{
		Client: client, Dir: filepath.Join(s.cfg.DataDir, "media-cache"), BaseURL: s.cfg.BaseURL, Secret: secret,
		MaxCacheBytes: int64(s.cfg.MediaCacheMB) << 20, UserAgent: "roost/" + version + " (+" + s.cfg.BaseURL + "/)",
	})
}

// withMediaProxy lets every page show remote media through the proxy.
func (s *site) withMediaProxy(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(templates.WithMediaProxy(r.Context(), s.mediaProxy.URL)))
	})
}
