package main

import (
	"context"
	"log/slog"
	"net/http"

	"roost/feed/media"
	"roost/templates"
)

// withImageVariants lets every page offer the smaller copies of the site's
// own pictures (the owner's avatar and header) in srcset.
func (s *site) withImageVariants(next http.Handler) http.Handler {
	v := templates.ImageVariants{
		Square: func(u string) []templates.ImageVariant { return asTemplateVariants(s.media.SquareVariants(u)) },
		Wide:   func(u string) []templates.ImageVariant { return asTemplateVariants(s.media.WideVariants(u)) },
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(templates.WithImageVariants(r.Context(), v)))
	})
}

func asTemplateVariants(vs []media.Variant) []templates.ImageVariant {
	if len(vs) == 0 {
		return nil
	}
	out := make([]templates.ImageVariant, len(vs))
	for i, v := range vs {
		out[i] = templates.ImageVariant{URL: v.URL, Width: v.Width}
	}
	return out
}

// makeProfileVariants makes the variants of a new avatar or header right
// after the upload, so that the next page view does not wait for them; one
// that fails here is made when first asked for.
func (s *site) makeProfileVariants(ctx context.Context, url string, header bool) {
	if err := s.media.MakeVariants(url, header); err != nil {
		slog.Warn("profile picture variants", "url", url, "err", err)
	}
}
