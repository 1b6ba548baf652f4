package main

import (
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// config is every setting of the site, parsed once from flags and ROOST_*
// environment variables and passed down as values.
type config struct {
	DataDir string
	// Database is empty (or sqlite:) for the SQLite file in DataDir, or a
	// postgres:// URL of a database holding many sites.
	Database     string
	BaseURL      string // without a trailing slash
	Listen       string
	AllowPrivate bool
	// RequireSignedFetch answers ActivityPub GETs only when signed by a
	// server that is not blocked (authorized fetch).
	RequireSignedFetch bool
	NoteLimit          int
	MaxUploadMB        int
	// MediaCacheMB bounds the disk cache of proxied remote media.
	MediaCacheMB int
	// APIRateLimit is requests per second per Mastodon API token; 0 is no limit.
	APIRateLimit float64
	// InboxBudget scales the inbox's per-actor and per-server budgets
	// (federation.DefaultInboxBudget); 0 turns them off.
	InboxBudget float64
	// ShutdownGrace is how long SIGTERM waits for running requests.
	ShutdownGrace time.Duration
	// TrustedProxies are the reverse proxies whose forwarding headers
	// (Forwarded, X-Forwarded-For/Proto/Host) are believed.
	TrustedProxies []net.IPNet
	// TLS is "auto" (an https URL gets its certificate over ACME) or "off"
	// (plain HTTP on Listen: TLS ends at a reverse proxy).
	TLS string
	// HTTPListen answers ACME's HTTP-01 challenges and redirects the rest
	// to HTTPS, when roost serves TLS itself.
	HTTPListen string
	// ACMEDirectory, ACMECA (a PEM file trusted for the ACME server) and
	// ACMEEmail configure the certificate authority.
	ACMEDirectory, ACMECA, ACMEEmail string
	// Pprof is a loopback address serving Go's runtime profiles, or empty.
	Pprof string
}

// servesTLS says whether roost terminates TLS itself.
func (c config) servesTLS() bool {
	return strings.HasPrefix(c.BaseURL, "https://") && c.TLS != "off"
}

// envDefault reads ROOST_NAME, falling back to def.
func envDefault(name, def string) string {
	if v, ok := os.LookupEnv("ROOST_" + name); ok {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(envDefault(name, "")); err == nil {
		return v
	}
	return def
}

func envFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(envDefault(name, ""), 64); err == nil {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(envDefault(name, "")); err == nil {
		return v
	}
	return def
}

func envBool(name string) bool {
	v, _ := strconv.ParseBool(envDefault(name, "false"))
	return v
}

// dataFlag adds --data, which every command that opens the database takes.
func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", envDefault("DATA", "./roost-data"), "data directory: the SQLite file and media (ROOST_DATA)")
}

func parseServeConfig(args []string) (config, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var c config
	data := dataFlag(fs)
	dbURL := databaseFlag(fs)
	fs.StringVar(&c.BaseURL, "url", envDefault("URL", "http://localhost:8080"), "the site's public base URL (ROOST_URL)")
	fs.StringVar(&c.Listen, "listen", envDefault("LISTEN", ""), "address to listen on; default: the URL's host and port (ROOST_LISTEN)")
	fs.BoolVar(&c.AllowPrivate, "allow-private", envBool("ALLOW_PRIVATE"), "allow fetching from loopback and private addresses, for tests and home networks (ROOST_ALLOW_PRIVATE)")
	fs.BoolVar(&c.RequireSignedFetch, "require-signed-fetch", envBool("REQUIRE_SIGNED_FETCH"), "serve ActivityPub documents only to requests signed by a server that is not blocked, as GoToSocial and Mastodon's secure mode do; web pages stay public (ROOST_REQUIRE_SIGNED_FETCH)")
	fs.IntVar(&c.NoteLimit, "note-limit", envInt("NOTE_LIMIT", 500), "the longest note, in characters (ROOST_NOTE_LIMIT)")
	fs.IntVar(&c.MaxUploadMB, "max-upload-mb", envInt("MAX_UPLOAD_MB", 10), "the largest image upload, in MB (ROOST_MAX_UPLOAD_MB)")
	fs.IntVar(&c.MediaCacheMB, "media-cache-mb", envInt("MEDIA_CACHE_MB", 1024), "the most disk the cache of remote avatars and attachments may use, in MB (ROOST_MEDIA_CACHE_MB)")
	fs.Float64Var(&c.APIRateLimit, "api-rate-limit", envFloat("API_RATE_LIMIT", 30), "Mastodon API requests per second per token, bursts of ten times that; 0 turns the limit off (ROOST_API_RATE_LIMIT)")
	fs.Float64Var(&c.InboxBudget, "inbox-budget", envFloat("INBOX_BUDGET", 1), "scales how many activities one account (30 at once, then 1/s; 120 and 4/s for accounts you follow) and one server (600 at once, then 40/s) may deliver before the inbox answers 429; 0 turns the budgets off (ROOST_INBOX_BUDGET)")
	fs.DurationVar(&c.ShutdownGrace, "shutdown-grace", envDuration("SHUTDOWN_GRACE", 30*time.Second), "on SIGTERM, how long running requests may take to finish before the site stops (ROOST_SHUTDOWN_GRACE)")
	fs.StringVar(&c.TLS, "tls", envDefault("TLS", "auto"), "auto: an https --url gets and renews its certificate over ACME; off: plain HTTP on --listen, for TLS ending at a reverse proxy (ROOST_TLS)")
	fs.StringVar(&c.HTTPListen, "http-listen", envDefault("HTTP_LISTEN", ":80"), "with TLS: address answering ACME HTTP-01 challenges and redirecting to HTTPS (ROOST_HTTP_LISTEN)")
	fs.StringVar(&c.ACMEDirectory, "acme-directory", envDefault("ACME_DIRECTORY", letsEncrypt), "the ACME directory URL of the certificate authority (ROOST_ACME_DIRECTORY)")
	fs.StringVar(&c.ACMECA, "acme-ca", envDefault("ACME_CA", ""), "a PEM bundle trusted when talking to the ACME server, besides the system's (ROOST_ACME_CA)")
	fs.StringVar(&c.ACMEEmail, "acme-email", envDefault("ACME_EMAIL", ""), "contact address given to the certificate authority for expiry notices (ROOST_ACME_EMAIL)")
	fs.StringVar(&c.Pprof, "pprof", envDefault("PPROF", ""), "a loopback address (127.0.0.1:6060) serving Go's runtime profiles under /debug/pprof/, for measuring a busy server; off when empty (ROOST_PPROF)")
	var proxies []string
	if v := envDefault("TRUSTED_PROXY", ""); v != "" {
		proxies = append(proxies, v)
	}
	fs.Func("trusted-proxy", "a reverse proxy's address or CIDR whose X-Forwarded-*/Forwarded headers are believed; repeatable (ROOST_TRUSTED_PROXY, comma-separated)", func(v string) error {
		proxies = append(proxies, v)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	c.DataDir = *data
	c.Database = *dbURL
	if _, err := isSQLite(c.Database); err != nil {
		return config{}, err
	}
	ranges, err := parseProxyRanges(proxies)
	if err != nil {
		return config{}, err
	}
	c.TrustedProxies = ranges
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return config{}, fmt.Errorf("--url %q: want an absolute http(s) URL such as https://example.com", c.BaseURL)
	}
	if u.Path != "" && u.Path != "/" {
		return config{}, fmt.Errorf("--url %q: roost serves the whole domain, so the URL cannot have a path", c.BaseURL)
	}
	c.BaseURL = u.Scheme + "://" + u.Host
	if c.TLS != "auto" && c.TLS != "off" {
		return config{}, fmt.Errorf("--tls %q: want auto or off", c.TLS)
	}
	if c.Listen == "" {
		c.Listen = defaultListen(u)
		if c.servesTLS() {
			c.Listen = ":443"
		}
	}
	if c.NoteLimit < 1 || c.MaxUploadMB < 1 {
		return config{}, fmt.Errorf("--note-limit and --max-upload-mb must be positive")
	}
	return c, nil
}

// defaultListen listens where the URL points: its host and port, or the
// scheme's port.
func defaultListen(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// domain is the site's host name without a port: the owner's default username.
func (c config) domain() string {
	u, _ := url.Parse(c.BaseURL)
	return strings.ToLower(u.Hostname())
}
