package httpsig

import (
	"crypto"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

type cavageVectors struct {
	DigestCheck string `json:"digest_check"`
	Cases       []struct {
		Name            string   `json:"name"`
		KeyID           string   `json:"keyId"`
		Algorithm       string   `json:"algorithm"`
		Headers         []string `json:"headers"`
		Created         int64    `json:"created"`
		Expires         int64    `json:"expires"`
		Signature       string   `json:"signature"`
		SignatureHeader string   `json:"signature_header"`
		Verifies        bool     `json:"verifies"`
	} `json:"cases"`
}

// TestCavageAppendixC checks the draft's Appendix C signatures twice: the
// signature itself (verifies as the fixture says), and roost's policy on the
// whole request, which accepts only C.3, the one vector that signs the
// target and the digest of this POST.
func TestCavageAppendixC(t *testing.T) {
	var v cavageVectors
	readJSONFixture(t, &v, "cavage", "vectors.json")
	pub := readPublicKeyFixture(t, "cavage", "test-key-public.pem")
	base, body := readRequestFixture(t, "cavage", "request.http")

	if got := digestSHA256(body); got != v.DigestCheck {
		t.Errorf("digest of the example body = %s, want %s", got, v.DigestCheck)
	}
	if len(v.Cases) != 4 {
		t.Fatalf("vectors.json has %d cases, want 4", len(v.Cases))
	}
	signedAt := time.Date(2014, time.January, 5, 21, 31, 40, 0, time.UTC)
	// What roost's Verifier answers for each case, by name prefix.
	policy := map[string]error{
		"C.1 Default Test":                    ErrBadSignature, // no (request-target), no digest
		"C.2 Basic Test":                      ErrBadSignature, // a POST without digest signed
		"C.3 All Headers Test (as printed":    ErrBadSignature, // does not verify
		"C.3 All Headers Test (signing strin": nil,
	}
	for _, c := range v.Cases {
		t.Run(c.Name, func(t *testing.T) {
			header := c.SignatureHeader
			if header == "" {
				header = fmt.Sprintf(`keyId="%s",algorithm="%s",created=%d,expires=%d,headers="%s",signature="%s"`,
					c.KeyID, c.Algorithm, c.Created, c.Expires, strings.Join(c.Headers, " "), c.Signature)
			}
			p, err := parseCavage(header)
			if err != nil {
				t.Fatalf("parseCavage: %v", err)
			}
			if p.keyID != c.KeyID || strings.Join(p.headers, " ") != strings.Join(c.Headers, " ") {
				t.Errorf("parsed keyId %q headers %q, want %q %q", p.keyID, p.headers, c.KeyID, c.Headers)
			}
			r := base.Clone(t.Context())
			r.Header.Set("Signature", header)
			if err := checkCavage(r, p, pub); (err == nil) != c.Verifies {
				t.Errorf("signature check err = %v, fixture says verifies=%v", err, c.Verifies)
			}

			want, ok := errorForPrefix(policy, c.Name)
			if !ok {
				t.Fatalf("no expectation for case %q", c.Name)
			}
			keys := &keyTable{keys: map[string]crypto.PublicKey{"Test": pub}, owner: "https://example.com/test"}
			ver := Verifier{Resolve: keys.resolve, Now: func() time.Time { return signedAt }}
			got, err := ver.Verify(r, body)
			if !errors.Is(err, want) || (want == nil) != (err == nil) {
				t.Fatalf("Verify err = %v (%v), want %v", err, sentinel(err), want)
			}
			if want == nil && (got.KeyID != "Test" || got.Scheme != SchemeCavage || got.Owner != keys.owner) {
				t.Errorf("Verify = %+v", got)
			}
		})
	}
}

func errorForPrefix(m map[string]error, name string) (error, bool) {
	for prefix, err := range m {
		if strings.HasPrefix(name, prefix) {
			return err, true
		}
	}
	return nil, false
}
