package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// runServe runs the site until SIGINT or SIGTERM.
func runServe(args []string) error {
	cfg, err := parseServeConfig(args)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopProfiling, err := startProfiling(cfg.Pprof)
	if err != nil {
		return err
	}
	defer stopProfiling()
	if sqlite, _ := isSQLite(cfg.Database); !sqlite {
		return runProvider(ctx, cfg, stop)
	}

	db, err := openData(ctx, cfg.DataDir)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := newSite(ctx, cfg, db, siteOptions{})
	if err != nil {
		return err
	}
	if err := s.announceSetup(ctx, os.Stdout); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads from slow phones
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	served := make(chan error, 2)
	servers := []*http.Server{srv}
	if cfg.servesTLS() {
		certs, err := newCertificates(cfg)
		if err != nil {
			return err
		}
		httpLn, err := net.Listen("tcp", cfg.HTTPListen)
		if err != nil {
			return fmt.Errorf("listen on %s (--http-listen, for ACME and the redirect to HTTPS): %w", cfg.HTTPListen, err)
		}
		redirect := &http.Server{Handler: certs.httpHandler(cfg.BaseURL), ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, IdleTimeout: time.Minute}
		servers = append(servers, redirect)
		srv.Handler = hsts(s.handler)
		srv.TLSConfig = certs.tlsConfig()
		ln = tls.NewListener(ln, srv.TLSConfig)
		go func() { served <- redirect.Serve(httpLn) }()
		go certs.obtain(ctx)
		slog.Info("roost answers ACME challenges and redirects to HTTPS", "listen", httpLn.Addr().String(), "acme", cfg.ACMEDirectory)
	}
	background := make(chan struct{})
	go func() { s.run(ctx); close(background) }()
	go func() { served <- srv.Serve(ln) }()
	slog.Info("roost is serving", "url", cfg.BaseURL, "listen", ln.Addr().String(), "data", cfg.DataDir, "version", version)

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
		stop() // a listener failed: stop the background work too
	}
	for _, extra := range servers[1:] {
		extra.Close() // redirects and challenges need no grace
	}
	stopGracefully(srv, s, cfg.ShutdownGrace)
	<-background // the workers finish what they hold; the rest stays queued
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	slog.Info("roost stopped")
	return nil // the deferred Close shuts the database after everything above
}

// stopGracefully stops accepting connections and waits up to grace for the
// requests under way (an upload from a phone, a post being saved) to
// finish. Open streams of the Mastodon API would hold it for the whole
// grace, so they are ended first; apps reconnect to the next process.
func stopGracefully(srv *http.Server, s *site, grace time.Duration) {
	slog.Info("roost is stopping: finishing running requests", "grace", grace.String())
	s.api.CloseStreams()
	shutdown, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		slog.Warn("requests still running at the end of the grace period were cut", "err", err)
		srv.Close()
	}
}
