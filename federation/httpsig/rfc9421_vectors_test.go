package httpsig

import (
	"bufio"
	"bytes"
	"crypto"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	rfc9421 "github.com/remitly-oss/httpsig-go"
)

type rfc9421Vector struct {
	Label          string `json:"label"`
	Alg            string `json:"alg"`
	KeyID          string `json:"keyid"`
	SignatureBase  string `json:"signature_base"`
	SignatureInput string `json:"signature_input"`
	Signature      string `json:"signature"`
	SignatureValue string `json:"signature_value_b64"`
	Verifies       bool   `json:"verifies"`
}

// rfc9421Fixtures loads the vectors by label and the Appendix B public keys.
func rfc9421Fixtures(t *testing.T) (map[string]rfc9421Vector, map[string]crypto.PublicKey) {
	t.Helper()
	var file struct {
		Vectors []rfc9421Vector `json:"vectors"`
	}
	readJSONFixture(t, &file, "rfc9421", "vectors.json")
	vectors := map[string]rfc9421Vector{}
	for _, v := range file.Vectors {
		vectors[v.Label] = v
	}
	keys := map[string]crypto.PublicKey{}
	for _, id := range []string{"test-key-rsa", "test-key-rsa-pss", "test-key-ecc-p256", "test-key-ed25519"} {
		keys[id] = readPublicKeyFixture(t, "rfc9421", id+".pub.pem")
	}
	return vectors, keys
}

// proxiedRequest is the request of RFC 9421 section 4.3 as the origin
// receives it, carrying the given signatures (sig1 and/or proxy_sig).
func proxiedRequest(t *testing.T, vectors map[string]rfc9421Vector, labels ...string) (*http.Request, []byte) {
	r, body := readRequestFixture(t, "rfc9421", "test-request.http")
	r.Host = "origin.host.internal.example"
	r.Header.Set("Date", "Tue, 20 Apr 2021 02:07:56 GMT")
	r.Header.Set("Forwarded", "for=192.0.2.123;host=example.com;proto=https")
	var inputs, sigs []string
	for _, label := range labels {
		v := vectors[label]
		input, sig := v.SignatureInput, v.Signature
		if label == "proxy_sig" { // the RFC prints this one only inside its signature base
			_, params, _ := strings.Cut(v.SignatureBase, `"@signature-params": `)
			input, sig = label+"="+params, label+"=:"+v.SignatureValue+":"
		}
		inputs, sigs = append(inputs, input), append(sigs, sig)
	}
	r.Header.Set("Signature-Input", strings.Join(inputs, ", "))
	r.Header.Set("Signature", strings.Join(sigs, ", "))
	return r, body
}

// TestRFC9421Vectors runs the Appendix B and section 4.3 request signatures
// through the Verifier. Each signature verifies cryptographically as the
// fixture says; roost's policy then accepts those that cover the method,
// target and body digest of the POST (B.2.3, 4.3 sig1, 4.3 proxy_sig) and
// refuses the ones that do not.
func TestRFC9421Vectors(t *testing.T) {
	vectors, keys := rfc9421Fixtures(t)
	tests := []struct {
		label string
		keyID string
		want  error
	}{
		{"sig-b21", "test-key-rsa-pss", ErrBadSignature},    // covers no component at all
		{"sig-b22", "test-key-rsa-pss", ErrBadSignature},    // no @method
		{"sig-b23", "test-key-rsa-pss", nil},                // rsa-pss-sha512, full coverage
		{"sig-b26", "test-key-ed25519", ErrBadSignature},    // POST without content-digest
		{"sig1", "test-key-ecc-p256", nil},                  // ecdsa-p256-sha256
		{"proxy_sig", "test-key-rsa", nil},                  // rsa-v1_5-sha256 with alg and expires
		{"sig1+proxy_sig", "test-key-rsa", nil},             // sig1 broken by the proxy, proxy_sig good
		{"sig-b23@stale", "test-key-rsa-pss", ErrStaleDate}, // created 13 hours ago
		{"proxy_sig@expired", "test-key-rsa", ErrStaleDate},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			name, variant, _ := strings.Cut(tc.label, "@")
			labels := strings.Split(name, "+")
			v := vectors[labels[0]]
			r, body := readRequestFixture(t, "rfc9421", "test-request.http")
			if strings.Contains(name, "proxy_sig") {
				r, body = proxiedRequest(t, vectors, labels...)
			} else {
				r.Header.Set("Signature-Input", v.SignatureInput)
				r.Header.Set("Signature", v.Signature)
			}
			inputs, err := parseSignatureInputs(r.Header.Values("Signature-Input"))
			if err != nil {
				t.Fatalf("parse Signature-Input: %v", err)
			}
			last := inputs[len(inputs)-1]
			if variant == "" {
				// The signature itself, before any policy.
				if err := checkRFC9421(r, body, last, keys[last.keyID]); err != nil {
					t.Fatalf("signature %s does not verify: %v", last.label, err)
				}
			}
			now := time.Unix(last.created+5, 0)
			switch variant {
			case "stale":
				now = time.Unix(last.created, 0).Add(MaxAge + time.Hour)
			case "expired":
				now = time.Unix(last.expires+1, 0)
			}
			kt := &keyTable{keys: keys, owner: "https://example.com/actor"}
			got, err := (&Verifier{Resolve: kt.resolve, Now: func() time.Time { return now }}).Verify(r, body)
			if tc.want != nil {
				if !errors.Is(err, tc.want) {
					t.Fatalf("Verify err = %v (%v), want %v", err, sentinel(err), tc.want)
				}
				t.Logf("rejected: %v", err)
				return
			}
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got != (Verified{KeyID: tc.keyID, Owner: kt.owner, Scheme: SchemeRFC9421}) {
				t.Errorf("Verify = %+v", got)
			}
		})
	}
}

// TestRFC9421TamperedVector changes what B.2.3 covers and expects a refusal.
func TestRFC9421TamperedVector(t *testing.T) {
	vectors, keys := rfc9421Fixtures(t)
	v := vectors["sig-b23"]
	tamper := map[string]func(r *http.Request){
		"method":    func(r *http.Request) { r.Method = http.MethodPut },
		"authority": func(r *http.Request) { r.Host = "evil.example" },
		"path":      func(r *http.Request) { r.URL.Path = "/bar" },
		"query":     func(r *http.Request) { r.URL.RawQuery = "param=Value&Pet=cat" },
	}
	for name, change := range tamper {
		t.Run(name, func(t *testing.T) {
			r, body := readRequestFixture(t, "rfc9421", "test-request.http")
			r.Header.Set("Signature-Input", v.SignatureInput)
			r.Header.Set("Signature", v.Signature)
			change(r)
			kt := &keyTable{keys: keys}
			ver := Verifier{Resolve: kt.resolve, Now: func() time.Time { return time.Unix(1618884473, 0) }}
			_, err := ver.Verify(r, body)
			if !errors.Is(err, ErrBadSignature) {
				t.Fatalf("Verify err = %v, want ErrBadSignature", err)
			}
			t.Logf("rejected: %v", err)
		})
	}
}

// TestRFC9421LibraryOnlyVectors checks the two vectors roost never accepts
// on an inbox but the library can verify: B.2.4 signs a response, B.2.5 uses
// a shared HMAC secret.
func TestRFC9421LibraryOnlyVectors(t *testing.T) {
	vectors, keys := rfc9421Fixtures(t)
	profile := rfc9421.VerifyProfile{DisableTimeEnforcement: true}

	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(readFixture(t, "rfc9421", "test-response.http"))), nil)
	if err != nil {
		t.Fatalf("parse response: %v", err)
	}
	b24 := vectors["sig-b24"]
	// The RFC's printed response carries a Content-Digest that matches
	// neither its body nor the B.2.4 signature base; the base's value does
	// match the body, so the response is given that one.
	for line := range strings.SplitSeq(b24.SignatureBase, "\n") {
		if value, ok := strings.CutPrefix(line, `"content-digest": `); ok {
			resp.Header.Set("Content-Digest", value)
		}
	}
	resp.Header.Set("Signature-Input", b24.SignatureInput)
	resp.Header.Set("Signature", b24.Signature)
	profile.SignatureLabel = b24.Label
	spec := rfc9421.KeySpec{KeyID: b24.KeyID, Algo: rfc9421.Algorithm(b24.Alg), PubKey: keys[b24.KeyID]}
	if _, err := rfc9421.VerifyResponse(resp, fixedKey{keyID: b24.KeyID, spec: spec}, profile); err != nil {
		t.Errorf("B.2.4 response signature: %v", err)
	}

	secret, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(readFixture(t, "rfc9421", "test-shared-secret.b64"))))
	if err != nil {
		t.Fatalf("shared secret: %v", err)
	}
	r, body := readRequestFixture(t, "rfc9421", "test-request.http")
	r.Body = io.NopCloser(bytes.NewReader(body)) // the library re-reads it for Content-Digest
	b25 := vectors["sig-b25"]
	r.Header.Set("Signature-Input", b25.SignatureInput)
	r.Header.Set("Signature", b25.Signature)
	profile.SignatureLabel = b25.Label
	spec = rfc9421.KeySpec{KeyID: b25.KeyID, Algo: rfc9421.Algo_HMAC_SHA256, Secret: secret}
	if _, err := rfc9421.Verify(r, fixedKey{keyID: b25.KeyID, spec: spec}, profile); err != nil {
		t.Errorf("B.2.5 HMAC signature: %v", err)
	}
	// roost itself refuses the HMAC vector: it covers neither method nor target.
	kt := &keyTable{keys: keys}
	ver := Verifier{Resolve: kt.resolve, Now: func() time.Time { return time.Unix(1618884473, 0) }}
	if _, err := ver.Verify(r, body); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Verify(B.2.5) err = %v, want ErrBadSignature", err)
	}
}
