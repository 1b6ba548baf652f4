package templates

import (
	"context"
	"strconv"
	"strings"
)

// mediaProxyKey carries the site's media proxy through a request's context,
// as locationKey carries its time zone, so that every remote picture a page
// shows is loaded through the site and not from the remote server, which
// would learn the reader's address and reading times.
type mediaProxyKey struct{}

// WithMediaProxy returns a context whose pages show media URLs as proxy
// gives them (remote ones through the site, local ones as they are).
func WithMediaProxy(ctx context.Context, proxy func(string) string) context.Context {
	return context.WithValue(ctx, mediaProxyKey{}, proxy)
}

// mediaURL is the URL a page loads a remote avatar, header or attachment
// from: through the site's proxy when one is set.
func mediaURL(ctx context.Context, u string) string {
	if proxy, ok := ctx.Value(mediaProxyKey{}).(func(string) string); ok && proxy != nil {
		return proxy(u)
	}
	return u
}

// ImageVariant is a smaller copy of one of the site's own pictures: its URL
// and width, one candidate of an img's srcset.
type ImageVariant struct {
	URL   string
	Width int
}

// ImageVariants names the smaller copies of the site's own pictures from
// a picture's URL: squares of an avatar, narrower headers. Each returns nil
// for a picture that has none (a remote one, the default avatar).
type ImageVariants struct {
	Square, Wide func(url string) []ImageVariant
}

type imageVariantsKey struct{}

// WithImageVariants returns a context whose pages offer the variants in
// srcset, so a browser loads the smallest picture that is sharp at the
// size drawn.
func WithImageVariants(ctx context.Context, v ImageVariants) context.Context {
	return context.WithValue(ctx, imageVariantsKey{}, v)
}

func squareVariants(ctx context.Context, u string) []ImageVariant {
	if v, ok := ctx.Value(imageVariantsKey{}).(ImageVariants); ok && v.Square != nil {
		return v.Square(u)
	}
	return nil
}

func wideVariants(ctx context.Context, u string) []ImageVariant {
	if v, ok := ctx.Value(imageVariantsKey{}).(ImageVariants); ok && v.Wide != nil {
		return v.Wide(u)
	}
	return nil
}

// srcset is the srcset attribute of the variants.
func srcset(vs []ImageVariant) string {
	var b strings.Builder
	for i, v := range vs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(v.URL + " " + strconv.Itoa(v.Width) + "w")
	}
	return b.String()
}

// fallbackVariant is the src for browsers without srcset: the smallest
// variant at least px wide (twice the drawn size covers most screens).
func fallbackVariant(vs []ImageVariant, px int) string {
	for _, v := range vs {
		if v.Width >= px {
			return v.URL
		}
	}
	return vs[len(vs)-1].URL
}
