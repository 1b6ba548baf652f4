package main

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"roost/cmd/roost/database"
)

// missTTL is how long an unknown Host is answered 404 without asking the
// registry again; a site added meanwhile is served after at most this long.
const missTTL = 5 * time.Second

// provider serves every site of a PostgreSQL database on one listener, by
// the request's Host. A site is built on its first request (or when its
// background work falls due), from the registry, and kept: sites added
// while serving are picked up, and a site nobody visits costs nothing. The
// background work of every site is done by the provider's pools, a fixed
// number of workers whatever the number of sites (provider_work.go).
type provider struct {
	pg   *database.Postgres
	reg  registry
	base config
	opt  siteOptions
	life context.Context

	pools *providerPools

	mu         sync.Mutex
	sites      map[string]*providedSite
	misses     map[string]time.Time
	background sync.WaitGroup
}

// providedSite is a site being built or built; ready closes when s or err is set.
type providedSite struct {
	ready chan struct{}
	s     *site
	db    *sql.DB
	err   error
}

func newProvider(life context.Context, pg *database.Postgres, base config, opt siteOptions) (*provider, error) {
	reg, err := openRegistry(life, pg)
	if err != nil {
		return nil, err
	}
	p := &provider{pg: pg, reg: reg, base: base, opt: opt, life: life,
		sites: map[string]*providedSite{}, misses: map[string]time.Time{}}
	p.pools = p.newPools()
	return p, nil
}

// startBackground learns when each registered site's background work falls
// due and starts the pools, until life ends.
func (p *provider) startBackground(ctx context.Context) error {
	hosted, err := p.reg.list(ctx)
	if err != nil {
		return err
	}
	started := time.Now()
	withWork := p.scanDue(ctx, hosted)
	slog.Info("background work scheduled", "sites", len(hosted), "with_work", withWork,
		"took", time.Since(started).Round(time.Millisecond).String())
	p.pools.start(p.life, p.pg, &p.background)
	p.background.Go(func() { p.rescan(p.life) })
	return nil
}

func (p *provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s, err := p.site(requestDomain(r.Host))
	if err != nil {
		slog.Error("open hosted site", "host", r.Host, "err", err)
		http.Error(w, "site unavailable", http.StatusServiceUnavailable)
		return
	}
	if s == nil {
		http.NotFound(w, r)
		return
	}
	s.handler.ServeHTTP(w, r)
}

// requestDomain is the Host header's name, without port, lower case.
func requestDomain(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// site returns the running site of a domain, building it on first use; nil
// when no site has that domain.
func (p *provider) site(domain string) (*site, error) {
	p.mu.Lock()
	if e, ok := p.sites[domain]; ok {
		p.mu.Unlock()
		<-e.ready
		return e.s, e.err
	}
	if t, ok := p.misses[domain]; ok && time.Since(t) < missTTL {
		p.mu.Unlock()
		return nil, nil
	}
	e := &providedSite{ready: make(chan struct{})}
	p.sites[domain] = e
	p.mu.Unlock()

	e.s, e.db, e.err = p.build(domain)
	p.mu.Lock()
	if e.s == nil {
		delete(p.sites, domain) // asked again later: the site may be added or the database back
		if e.err == nil {
			p.misses[domain] = time.Now()
		}
	}
	p.mu.Unlock()
	close(e.ready)
	return e.s, e.err
}

// build opens a registered site's schema, builds it and starts its
// background work.
func (p *provider) build(domain string) (*site, *sql.DB, error) {
	if p.life.Err() != nil {
		return nil, nil, p.life.Err()
	}
	h, err := p.reg.get(p.life, domain)
	if errors.Is(err, errNoSuchSite) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	cfg := hostedConfig(p.base, h, p.base.DataDir)
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, nil, err
	}
	db, err := p.pg.Site(p.life, h.Schema, rooms()...)
	if err != nil {
		return nil, nil, err
	}
	s, err := newSite(p.life, cfg, db, p.opt)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	p.pools.connectPools(domain, s)
	slog.Info("serving hosted site", "url", h.URL)
	return s, db, nil
}

// built is every site built so far.
func (p *provider) built() []*providedSite {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []*providedSite
	for _, e := range p.sites {
		select {
		case <-e.ready:
			if e.s != nil {
				out = append(out, e)
			}
		default:
		}
	}
	return out
}

// closeStreams ends the open Mastodon streams of every site, before a
// graceful shutdown.
func (p *provider) closeStreams() {
	for _, e := range p.built() {
		e.s.api.CloseStreams()
	}
}

// wait returns when every site's background work has stopped (after life
// ended), and closes their handles.
func (p *provider) wait() {
	p.background.Wait()
	for _, e := range p.built() {
		e.s.stopHosted()
		e.db.Close()
	}
}

// runProvider is serve with a PostgreSQL --database: every hosted site on
// --listen, until ctx ends. TLS ends at a reverse proxy in front.
func runProvider(ctx context.Context, cfg config, stop context.CancelFunc) error {
	pg, err := database.OpenPostgres(ctx, cfg.Database)
	if err != nil {
		return err
	}
	defer pg.Close()
	life, endLife := context.WithCancel(context.Background())
	defer endLife()
	p, err := newProvider(life, pg, cfg, siteOptions{})
	if err != nil {
		return err
	}
	hosted, err := p.reg.list(ctx)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	if err := p.startBackground(ctx); err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	slog.Info("roost is serving hosted sites", "sites", len(hosted), "listen", ln.Addr().String(), "version", version)
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
		stop()
	}
	slog.Info("roost is stopping: finishing running requests", "grace", cfg.ShutdownGrace.String())
	p.closeStreams()
	shutdown, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		srv.Close()
	}
	endLife()
	p.wait()
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return nil
}
