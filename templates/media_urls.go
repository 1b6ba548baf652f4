package templates

import "context"

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
