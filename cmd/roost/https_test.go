package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHTTPSFromPebble runs Debian's pebble (the Let's Encrypt test CA) on
// loopback and roost against it: roost must get a certificate by itself,
// with the HTTP-01 challenge validated for real, serve HTTPS with HSTS and
// send plain HTTP to HTTPS.
func TestHTTPSFromPebble(t *testing.T) {
	pebble, err1 := exec.LookPath("pebble")
	dns, err2 := exec.LookPath("pebble-challtestsrv")
	if err1 != nil || err2 != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pebble and pebble-challtestsrv (Debian package pebble) are needed under CI")
		}
		t.Skip("pebble not found: install the Debian package pebble")
	}
	if testing.Short() {
		t.Skip("builds the binary and starts a CA")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "roost")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	caAddr, mgmtAddr, dnsAddr, dnsMgmt := freeLoopbackAddr(t), freeLoopbackAddr(t), freeLoopbackAddr(t), freeLoopbackAddr(t)
	httpsAddr, httpAddr := freeLoopbackAddr(t), freeLoopbackAddr(t)
	_, httpPort, _ := net.SplitHostPort(httpAddr)
	_, httpsPort, _ := net.SplitHostPort(httpsAddr)

	// The CA's own listener needs a certificate, which the package lacks.
	certFile, keyFile := filepath.Join(dir, "ca-listener.pem"), filepath.Join(dir, "ca-listener.key")
	writeListenerCert(t, certFile, keyFile)
	config := filepath.Join(dir, "pebble.json")
	os.WriteFile(config, fmt.Appendf(nil, `{"pebble": {"listenAddress": %q, "managementListenAddress": %q,
		"certificate": %q, "privateKey": %q, "httpPort": %s, "tlsPort": %s, "ocspResponderURL": "",
		"externalAccountBindingRequired": false}}`, caAddr, mgmtAddr, certFile, keyFile, httpPort, httpsPort), 0o600)

	// A fake DNS that answers 127.0.0.1 for every name, so that the CA
	// finds roost.test on loopback.
	startCommand(t, exec.Command(dns, "-dns01", dnsAddr, "-http01", "", "-https01", "", "-tlsalpn01", "",
		"-management", dnsMgmt, "-defaultIPv4", "127.0.0.1", "-defaultIPv6", ""))
	ca := exec.Command(pebble, "-config", config, "-dnsserver", dnsAddr)
	ca.Env = append(os.Environ(), "PEBBLE_VA_NOSLEEP=1")
	startCommand(t, ca)

	listenerPEM, _ := os.ReadFile(certFile)
	toCA := clientTrusting(t, listenerPEM, "")
	waitUntil(t, 20*time.Second, "pebble", func() bool {
		resp, err := toCA.Get("https://" + caAddr + "/dir")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == http.StatusOK
	})
	// Pebble makes a new root at every start.
	resp, err := toCA.Get("https://" + mgmtAddr + "/roots/0")
	if err != nil {
		t.Fatal(err)
	}
	root, _ := io.ReadAll(resp.Body)
	resp.Body.Close()

	began := time.Now()
	startCommand(t, exec.Command(bin, "serve", "--data", filepath.Join(dir, "data"), "--url", "https://roost.test",
		"--listen", httpsAddr, "--http-listen", httpAddr, "--acme-directory", "https://"+caAddr+"/dir",
		"--acme-ca", certFile, "--acme-email", "owner@roost.test", "--allow-private"))
	site := clientTrusting(t, root, httpsAddr)
	var answer *http.Response
	waitUntil(t, 60*time.Second, "HTTPS with a certificate from pebble", func() bool {
		resp, err := site.Get("https://roost.test/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		answer = resp
		return resp.StatusCode == http.StatusOK
	})
	t.Logf("HTTPS with a pebble certificate %s after roost started", time.Since(began).Round(100*time.Millisecond))
	if issuer := answer.TLS.PeerCertificates[0].Issuer.CommonName; !strings.Contains(issuer, "Pebble") {
		t.Errorf("certificate issued by %q", issuer)
	}
	if h := answer.Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
		t.Errorf("no HSTS over HTTPS: %q", h)
	}

	req, _ := http.NewRequest(http.MethodGet, "http://"+httpAddr+"/notes/?x=1", nil)
	req.Host = "roost.test"
	resp, err = (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != "https://roost.test/notes/?x=1" {
		t.Errorf("plain HTTP answered %d → %q, want 308 to the same URL on https", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// startCommand runs cmd until the test ends.
func startCommand(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	log := filepath.Join(t.TempDir(), filepath.Base(cmd.Path)+".log")
	out, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		out.Close()
		if t.Failed() {
			b, _ := os.ReadFile(log)
			t.Logf("%s:\n%s", filepath.Base(cmd.Path), b)
		}
	})
}

// clientTrusting trusts the PEM roots given; with addr, it dials there
// whatever the URL's host.
func clientTrusting(t *testing.T, roots []byte, addr string) *http.Client {
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(roots) {
		t.Fatalf("no certificate in %q", roots)
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	if addr != "" {
		tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}
	}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

func writeListenerCert(t *testing.T, certFile, keyFile string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
}
