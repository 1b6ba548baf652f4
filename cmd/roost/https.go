package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// letsEncrypt is the default certificate authority.
const letsEncrypt = acme.LetsEncryptURL

// certificates gets and renews the site's certificate over ACME with
// autocert: HTTP-01 challenges are answered on --http-listen, TLS-ALPN-01
// on the TLS listener, and the account key and certificates are kept in
// the data folder, so a restart reuses them.
type certificates struct {
	manager *autocert.Manager
	host    string
}

func newCertificates(cfg config) (*certificates, error) {
	host := strings.TrimPrefix(cfg.BaseURL, "https://")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	client := &http.Client{Timeout: 30 * time.Second}
	if cfg.ACMECA != "" {
		pem, err := os.ReadFile(cfg.ACMECA)
		if err != nil {
			return nil, fmt.Errorf("--acme-ca: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--acme-ca %s: no PEM certificate in it", cfg.ACMECA)
		}
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, Proxy: http.ProxyFromEnvironment}
	}
	m := &autocert.Manager{
		Prompt: autocert.AcceptTOS,
		Cache:  autocert.DirCache(filepath.Join(cfg.DataDir, "acme")),
		Email:  cfg.ACMEEmail,
		Client: &acme.Client{DirectoryURL: cfg.ACMEDirectory, HTTPClient: client, UserAgent: "roost/" + version},
		// The CA's validation request may name the port in Host: only the
		// name counts.
		HostPolicy: func(_ context.Context, name string) error {
			if h, _, err := net.SplitHostPort(name); err == nil {
				name = h
			}
			if !strings.EqualFold(strings.TrimSuffix(name, "."), host) {
				return fmt.Errorf("%q is not this site's host %s", name, host)
			}
			return nil
		},
	}
	return &certificates{manager: m, host: host}, nil
}

// tlsConfig serves the certificate, logging why one could not be had.
func (c *certificates) tlsConfig() *tls.Config {
	cfg := c.manager.TLSConfig()
	get := cfg.GetCertificate
	cfg.GetCertificate = func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
		cert, err := get(hello)
		if err != nil && hello.ServerName != "" {
			slog.Warn("https: no certificate for the handshake", "name", hello.ServerName, "err", err)
		}
		return cert, err
	}
	return cfg
}

// httpHandler answers HTTP-01 challenges and sends everything else to the
// same address on HTTPS, with a permanent redirect that keeps the method.
func (c *certificates) httpHandler(base string) http.Handler {
	return c.manager.HTTPHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, base+r.URL.RequestURI(), http.StatusPermanentRedirect)
	}))
}

// obtain gets the certificate before the first visitor asks for it, and
// keeps trying with growing pauses while the CA refuses, saying why each
// time. Renewal is autocert's own, ahead of expiry.
func (c *certificates) obtain(ctx context.Context) {
	wait := 5 * time.Second
	for {
		cert, err := c.manager.GetCertificate(&tls.ClientHelloInfo{ServerName: c.host})
		if err == nil {
			if leaf, perr := x509.ParseCertificate(cert.Certificate[0]); perr == nil {
				slog.Info("https: certificate in use", "host", c.host, "issuer", leaf.Issuer.String(), "expires", leaf.NotAfter)
			}
			return
		}
		slog.Error("https: could not get a certificate, will try again", "host", c.host, "in", wait.String(), "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 10*time.Minute)
	}
}

// hsts tells browsers to come back over HTTPS only, on answers given over
// TLS: once a certificate is in use, the site stays on HTTPS.
func hsts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS != nil {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}
