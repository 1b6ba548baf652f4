// Package pushtest is a push service for tests: an HTTP server on loopback
// that holds a subscription's private keys, checks the VAPID signature of
// what it is sent and decrypts it (aes128gcm, RFC 8291), written here from
// the RFC rather than with the library that encrypts, so that a test
// proves the two agree.
package pushtest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Received is one message the service was sent.
type Received struct {
	Path string
	// Message is the decrypted JSON document.
	Message map[string]any
	// VAPIDKey is the public key the request was signed with (k=).
	VAPIDKey string
	Header   http.Header
}

// Service is the fake push service.
type Service struct {
	Server *httptest.Server
	priv   *ecdh.PrivateKey
	auth   []byte

	mu       sync.Mutex
	answer   int
	received []Received
	failures []error
	arrived  chan struct{}
}

// New starts a push service with a fresh key pair and auth secret.
func New(t testing.TB) *Service {
	t.Helper()
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{priv: priv, auth: make([]byte, 16), answer: http.StatusCreated, arrived: make(chan struct{}, 100)}
	rand.Read(s.auth)
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Server.Close)
	return s
}

// Keys are the subscription's keys as the Push API gives them to apps.
func (s *Service) Keys() (p256dh, auth string) {
	return base64.RawURLEncoding.EncodeToString(s.priv.PublicKey().Bytes()), base64.RawURLEncoding.EncodeToString(s.auth)
}

// Endpoint is the URL of a subscription at path.
func (s *Service) Endpoint(path string) string { return s.Server.URL + path }

// Answer sets the status the service answers from now on.
func (s *Service) Answer(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answer = status
}

// Received lists the messages that decrypted and verified.
func (s *Service) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Failures lists why requests were refused (bad signature, undecryptable).
func (s *Service) Failures() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.failures...)
}

// Wait blocks until a request arrives (verified or not) or timeout passes.
func (s *Service) Wait(timeout time.Duration) bool {
	select {
	case <-s.arrived:
		return true
	case <-time.After(timeout):
		return false
	}
}

func (s *Service) serve(w http.ResponseWriter, r *http.Request) {
	defer func() { s.arrived <- struct{}{} }()
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	rec, err := s.open(r, body)
	s.mu.Lock()
	answer := s.answer
	if err != nil {
		s.failures = append(s.failures, err)
		answer = http.StatusBadRequest
	} else {
		s.received = append(s.received, rec)
	}
	s.mu.Unlock()
	w.WriteHeader(answer)
}

func (s *Service) open(r *http.Request, body []byte) (Received, error) {
	rec := Received{Path: r.URL.Path, Header: r.Header.Clone()}
	if r.Method != http.MethodPost || r.Header.Get("Content-Encoding") != "aes128gcm" || r.Header.Get("TTL") == "" {
		return rec, fmt.Errorf("%s with Content-Encoding %q and TTL %q", r.Method, r.Header.Get("Content-Encoding"), r.Header.Get("TTL"))
	}
	key, err := verifyVAPID(r.Header.Get("Authorization"), "http://"+r.Host)
	if err != nil {
		return rec, err
	}
	rec.VAPIDKey = key
	plain, err := s.decrypt(body)
	if err != nil {
		return rec, err
	}
	if err := json.Unmarshal(plain, &rec.Message); err != nil {
		return rec, fmt.Errorf("message is not JSON: %w", err)
	}
	return rec, nil
}

// decrypt opens an aes128gcm body (RFC 8188 with the keys of RFC 8291):
// salt(16) rs(4) idlen(1) keyid(idlen) and one record.
func (s *Service) decrypt(body []byte) ([]byte, error) {
	if len(body) < 21 {
		return nil, errors.New("body too short")
	}
	salt, idlen := body[:16], int(body[20])
	rs := binary.BigEndian.Uint32(body[16:20])
	if len(body) < 21+idlen || rs < 18 {
		return nil, errors.New("bad header")
	}
	senderKey, record := body[21:21+idlen], body[21+idlen:]
	if len(record) > int(rs) {
		return nil, errors.New("more than one record")
	}
	sender, err := ecdh.P256().NewPublicKey(senderKey)
	if err != nil {
		return nil, fmt.Errorf("sender key: %w", err)
	}
	shared, err := s.priv.ECDH(sender)
	if err != nil {
		return nil, err
	}
	info := append([]byte("WebPush: info\x00"), s.priv.PublicKey().Bytes()...)
	info = append(info, senderKey...)
	ikm, err := hkdf.Key(sha256.New, shared, s.auth, string(info), 32)
	if err != nil {
		return nil, err
	}
	cek, err := hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: aes128gcm\x00", 16)
	if err != nil {
		return nil, err
	}
	nonce, err := hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: nonce\x00", 12)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, nonce, record, nil)
	if err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	// The last record ends with the delimiter 2 and zero padding.
	plain = bytes.TrimRight(plain, "\x00")
	if len(plain) == 0 || plain[len(plain)-1] != 2 {
		return nil, errors.New("no last-record delimiter")
	}
	return plain[:len(plain)-1], nil
}

// verifyVAPID checks an Authorization "vapid t=JWT, k=KEY" (RFC 8292):
// an ES256 token signed by KEY for the push service's origin, not expired.
func verifyVAPID(header, origin string) (string, error) {
	rest, ok := strings.CutPrefix(header, "vapid ")
	if !ok {
		return "", fmt.Errorf("authorization %q is not vapid", header)
	}
	var token, key string
	for part := range strings.SplitSeq(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			token = v
		case "k":
			key = v
		}
	}
	pub, err := base64.RawURLEncoding.DecodeString(key)
	if err != nil {
		return "", fmt.Errorf("vapid k: %w", err)
	}
	verifier, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), pub)
	if err != nil {
		return "", fmt.Errorf("vapid k: %w", err)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", errors.New("vapid t is not a JWT")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return "", errors.New("vapid signature is not ES256")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(verifier, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return "", errors.New("vapid signature does not verify")
	}
	claimsJSON, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", err
	}
	var claims struct {
		Aud string `json:"aud"`
		Exp int64  `json:"exp"`
		Sub string `json:"sub"`
	}
	if err := json.Unmarshal(claimsJSON, &claims); err != nil {
		return "", err
	}
	if claims.Aud != origin || claims.Exp < time.Now().Unix() || claims.Sub == "" {
		return "", fmt.Errorf("vapid claims %+v for %s", claims, origin)
	}
	return key, nil
}
