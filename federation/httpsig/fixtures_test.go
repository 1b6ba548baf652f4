package httpsig

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// fixturesDir holds the shared HTTP-signature test vectors, beside the
// repository root.
const fixturesDir = "../../../shared/fixtures/httpsig"

// fixture returns the path of a fixture file. Without the fixtures folder
// the test is skipped, except in CI where it must fail.
func fixture(t testing.TB, parts ...string) string {
	t.Helper()
	if _, err := os.Stat(fixturesDir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared fixtures missing at %s: %v", fixturesDir, err)
		}
		t.Skipf("shared fixtures not found at %s; skipping vector test", fixturesDir)
	}
	return filepath.Join(append([]string{fixturesDir}, parts...)...)
}

func readFixture(t testing.TB, parts ...string) []byte {
	t.Helper()
	data, err := os.ReadFile(fixture(t, parts...))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return data
}

func readJSONFixture(t testing.TB, v any, parts ...string) {
	t.Helper()
	if err := json.Unmarshal(readFixture(t, parts...), v); err != nil {
		t.Fatalf("decode %v: %v", parts, err)
	}
}

func readPublicKeyFixture(t testing.TB, parts ...string) crypto.PublicKey {
	t.Helper()
	pub, err := ParsePublicKeyPEM(string(readFixture(t, parts...)))
	if err != nil {
		t.Fatalf("public key %v: %v", parts, err)
	}
	return pub
}

// readRequestFixture parses a raw HTTP/1.1 request file into a server-side
// request (as net/http hands it to a handler) and its body.
func readRequestFixture(t testing.TB, parts ...string) (*http.Request, []byte) {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(readFixture(t, parts...))))
	if err != nil {
		t.Fatalf("parse request %v: %v", parts, err)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("read body %v: %v", parts, err)
	}
	return r, body
}

// keyTable is a KeyResolver over fixed keys that records the refresh flag of
// every call.
type keyTable struct {
	keys  map[string]crypto.PublicKey
	owner string
	calls []bool
}

func (k *keyTable) resolve(_ context.Context, keyID string, refresh bool) (crypto.PublicKey, string, error) {
	k.calls = append(k.calls, refresh)
	pub, ok := k.keys[keyID]
	if !ok {
		return nil, "", errors.New("unknown key")
	}
	return pub, k.owner, nil
}

// sentinel names the package error err matches, for readable failures.
func sentinel(err error) error {
	for _, s := range []error{ErrNoSignature, ErrBadSignature, ErrStaleDate, ErrDigestMismatch} {
		if errors.Is(err, s) {
			return s
		}
	}
	return err
}
