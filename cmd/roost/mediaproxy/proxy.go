// Package mediaproxy serves remote avatars, headers and attachments through
// the site, so that a page or a client app showing them does not tell every
// remote server the owner's address and when they read (GoToSocial and
// Mastodon do the same).
//
// The site rewrites each remote media URL to /media/proxy/MAC/SOURCE, where
// SOURCE is the remote URL and MAC an HMAC of it under a key only the site
// knows: the route fetches only URLs the site itself handed out, so it is not
// an open proxy. What it fetches goes through the site's SSRF-guarded client,
// is capped in size, sniffed (only images, audio and video are served, as the
// type the bytes show, never the type the remote claims) and kept in a disk
// cache bounded in size and age.
package mediaproxy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Defaults of Config.
const (
	DefaultMaxBytes      = 40 << 20 // Mastodon's limit for a video attachment is about this size
	DefaultMaxCacheBytes = 1 << 30  // the whole cache
	DefaultMaxAge        = 7 * 24 * time.Hour
	// failureMemory is how long a URL that could not be fetched (or was
	// refused) is answered from memory, so a hanging or lying server is
	// asked once, not once per page view.
	failureMemory = 10 * time.Minute
	maxFailures   = 4096
)

// Route is the pattern the proxy is mounted at.
const Route = "GET /media/proxy/{mac}/{src}"

// pathPrefix is what every proxied URL starts with, after the site's origin.
const pathPrefix = "/media/proxy/"

// Config is what the composition root hands the proxy.
type Config struct {
	// Client fetches remote media; the site's guarded client, which
	// refuses private addresses and times out.
	Client *http.Client
	// Dir is the cache directory (created if missing).
	Dir string
	// BaseURL is the site's origin; URLs on it are not proxied.
	BaseURL string
	// Secret keys the HMAC that signs proxied URLs (see LoadSecret).
	Secret []byte
	// MaxBytes caps one remote file; MaxCacheBytes the whole cache; MaxAge
	// is how long a cached copy is served before it is fetched again.
	MaxBytes, MaxCacheBytes int64
	MaxAge                  time.Duration
	UserAgent               string
	Now                     func() time.Time
}

// Proxy is the media proxy: it mints proxied URLs and serves them.
type Proxy struct {
	cfg    Config
	origin string
	cache  *diskCache
	flight singleflight.Group

	mu       sync.Mutex
	failures map[string]failure
}

// failure is a remembered refusal: the status the client gets and until when.
type failure struct {
	status int
	until  time.Time
}

// New builds the proxy and opens its cache.
func New(cfg Config) (*Proxy, error) {
	if cfg.Client == nil || len(cfg.Secret) < 16 {
		return nil, errors.New("mediaproxy: a client and a secret of at least 16 bytes are needed")
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("mediaproxy: base URL %q is not an origin", cfg.BaseURL)
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultMaxBytes
	}
	if cfg.MaxCacheBytes <= 0 {
		cfg.MaxCacheBytes = DefaultMaxCacheBytes
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = DefaultMaxAge
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cache, err := openDiskCache(cfg.Dir, cfg.MaxCacheBytes)
	if err != nil {
		return nil, err
	}
	return &Proxy{cfg: cfg, origin: u.Scheme + "://" + u.Host, cache: cache, failures: map[string]failure{}}, nil
}

// URL is what a page or an API entity shows for a media URL: local and
// relative URLs as they are, a remote http(s) URL through the proxy, and
// anything else (javascript:, data:, garbage) as nothing.
func (p *Proxy) URL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	if strings.HasPrefix(raw, "/") && !strings.HasPrefix(raw, "//") {
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	if strings.EqualFold(u.Scheme+"://"+u.Host, p.origin) {
		return raw
	}
	return p.origin + pathPrefix + p.mac(raw) + "/" + base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// Proxied reports whether u is a URL this proxy minted.
func (p *Proxy) Proxied(u string) bool { return strings.HasPrefix(u, p.origin+pathPrefix) }

// mac signs a source URL; 128 bits of HMAC-SHA256 are plenty for a URL
// nobody can guess a signature for without the key.
func (p *Proxy) mac(src string) string {
	m := hmac.New(sha256.New, p.cfg.Secret)
	m.Write([]byte(src))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// source checks a request's MAC and returns the remote URL it names.
func (p *Proxy) source(r *http.Request) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(r.PathValue("src"))
	if err != nil {
		return "", false
	}
	src := string(raw)
	if !hmac.Equal([]byte(p.mac(src)), []byte(r.PathValue("mac"))) {
		return "", false
	}
	return src, true
}

// remembered returns the status of a recent failure for src, if any.
func (p *Proxy) remembered(src string) (int, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, ok := p.failures[src]
	if !ok || p.cfg.Now().After(f.until) {
		return 0, false
	}
	return f.status, true
}

func (p *Proxy) remember(src string, status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.failures) >= maxFailures {
		p.failures = map[string]failure{}
	}
	p.failures[src] = failure{status: status, until: p.cfg.Now().Add(failureMemory)}
}
