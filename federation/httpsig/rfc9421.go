package httpsig

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	sfv "github.com/dunglas/httpsfv"
	rfc9421 "github.com/remitly-oss/httpsig-go"
)

// RFC 9421 derived component names roost cares about.
const (
	componentMethod    = "@method"
	componentTargetURI = "@target-uri"
	componentPath      = "@path"
	componentAuthority = "@authority"
	componentDigest    = "content-digest"
)

// maxLabels bounds how many signatures of one request are tried.
const maxLabels = 4

// signatureInput is one labelled entry of a Signature-Input header.
type signatureInput struct {
	label      string
	components []string
	keyID      string
	alg        string
	created    int64 // zero when absent
	expires    int64 // zero when absent
}

// parseSignatureInputs parses the Signature-Input dictionary, in order.
func parseSignatureInputs(values []string) ([]signatureInput, error) {
	dict, err := sfv.UnmarshalDictionary(values)
	if err != nil {
		return nil, fmt.Errorf("malformed Signature-Input: %w", err)
	}
	var inputs []signatureInput
	for _, label := range dict.Names() {
		member, _ := dict.Get(label)
		list, ok := member.(sfv.InnerList)
		if !ok {
			return nil, fmt.Errorf("Signature-Input %q is not an inner list", label)
		}
		in := signatureInput{label: label}
		for _, item := range list.Items {
			name, ok := item.Value.(string)
			if !ok {
				return nil, fmt.Errorf("Signature-Input %q has a non-string component", label)
			}
			in.components = append(in.components, name)
		}
		if v, ok := list.Params.Get("keyid"); ok {
			in.keyID, _ = v.(string)
		}
		if v, ok := list.Params.Get("alg"); ok {
			in.alg, _ = v.(string)
		}
		if v, ok := list.Params.Get("created"); ok {
			in.created, _ = v.(int64)
		}
		if v, ok := list.Params.Get("expires"); ok {
			in.expires, _ = v.(int64)
		}
		inputs = append(inputs, in)
	}
	return inputs, nil
}

// checkCoverage is the RFC 9421 counterpart of the draft-cavage rules: a
// keyid, a created time, the method and target covered, content-digest
// covered on POST and the authority covered on GET.
func (in signatureInput) checkCoverage(method string) error {
	has := func(c string) bool { return slices.Contains(in.components, c) }
	switch {
	case in.keyID == "":
		return errors.New("keyid parameter missing")
	case in.created == 0:
		return errors.New("created parameter missing")
	case !has(componentMethod) || !(has(componentTargetURI) || has(componentPath)):
		return errors.New("@method and @target-uri (or @path) must be covered")
	case method == http.MethodPost && !has(componentDigest):
		return errors.New("content-digest must be covered on a POST request")
	case (method == http.MethodGet || method == http.MethodHead) && !(has(componentTargetURI) || has(componentAuthority)):
		return errors.New("@target-uri or @authority must be covered on a GET request")
	}
	return nil
}

// verifyRFC9421 verifies an RFC 9421 signature. A request may carry several
// (RFC 9421 section 4.3); the first one that passes is taken.
func (v *Verifier) verifyRFC9421(r *http.Request, body []byte) (Verified, error) {
	if len(r.Header.Values(headerSignature)) == 0 {
		return Verified{}, fmt.Errorf("verify rfc9421: %w: Signature-Input without Signature", ErrBadSignature)
	}
	inputs, err := parseSignatureInputs(r.Header.Values(headerSignatureInput))
	if err != nil || len(inputs) == 0 {
		return Verified{}, fmt.Errorf("verify rfc9421: %w: %w", ErrBadSignature, err)
	}
	if values := r.Header.Values(headerContentDigest); len(values) > 0 {
		if err := checkContentDigest(values, body); err != nil {
			return Verified{}, fmt.Errorf("verify rfc9421: %w", err)
		}
	}
	var firstErr error
	for _, in := range inputs[:min(len(inputs), maxLabels)] {
		verified, err := v.verifyLabel(r, body, in)
		if err == nil {
			return verified, nil
		}
		if firstErr == nil {
			firstErr = fmt.Errorf("verify rfc9421 %q: %w", in.label, err)
		}
	}
	return Verified{}, firstErr
}

func (v *Verifier) verifyLabel(r *http.Request, body []byte, in signatureInput) (Verified, error) {
	if err := in.checkCoverage(r.Method); err != nil {
		return Verified{}, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if err := v.checkWindow(time.Unix(in.created, 0)); err != nil {
		return Verified{}, err
	}
	if in.expires != 0 && v.now().After(time.Unix(in.expires, 0)) {
		return Verified{}, fmt.Errorf("%w: signature expired at %d", ErrStaleDate, in.expires)
	}
	owner, err := v.withKey(r.Context(), in.keyID, func(pub crypto.PublicKey) error {
		return checkRFC9421(r, body, in, pub)
	})
	if err != nil {
		return Verified{}, err
	}
	return Verified{KeyID: in.keyID, Owner: owner, Scheme: SchemeRFC9421}, nil
}

// rfc9421Algorithms lists the algorithms to try for a key. RFC 9421 lets the
// key alone determine the algorithm; for RSA that is ambiguous, so without an
// alg parameter both RSA algorithms are tried, PKCS#1 v1.5 first as the
// fediverse uses it.
func rfc9421Algorithms(alg string, pub crypto.PublicKey) ([]rfc9421.Algorithm, error) {
	var candidates []rfc9421.Algorithm
	switch k := pub.(type) {
	case *rsa.PublicKey:
		candidates = []rfc9421.Algorithm{rfc9421.Algo_RSA_v1_5_sha256, rfc9421.Algo_RSA_PSS_SHA512}
	case *ecdsa.PublicKey:
		switch k.Curve.Params().Name {
		case "P-256":
			candidates = []rfc9421.Algorithm{rfc9421.Algo_ECDSA_P256_SHA256}
		case "P-384":
			candidates = []rfc9421.Algorithm{rfc9421.Algo_ECDSA_P384_SHA384}
		}
	case ed25519.PublicKey:
		candidates = []rfc9421.Algorithm{rfc9421.Algo_ED25519}
	}
	if len(candidates) == 0 {
		return nil, fmt.Errorf("%w %T", errUnsupportedKey, pub)
	}
	if alg == "" {
		return candidates, nil
	}
	if slices.Contains(candidates, rfc9421.Algorithm(alg)) {
		return []rfc9421.Algorithm{rfc9421.Algorithm(alg)}, nil
	}
	return nil, fmt.Errorf("algorithm %q does not fit a %T key", alg, pub)
}

// checkRFC9421 checks one labelled signature cryptographically with
// remitly-oss/httpsig-go; roost's own rules were applied before.
func checkRFC9421(r *http.Request, body []byte, in signatureInput, pub crypto.PublicKey) error {
	algs, err := rfc9421Algorithms(in.alg, pub)
	if err != nil {
		return err
	}
	// A reverse proxy hides the scheme the sender put into @target-uri; both
	// name the same resource on this host, so both are accepted.
	schemes := []string{"https"}
	if slices.Contains(in.components, componentTargetURI) {
		schemes = append(schemes, "http")
	}
	profile := rfc9421.VerifyProfile{SignatureLabel: in.label, DisableTimeEnforcement: true}
	for _, alg := range algs {
		keys := fixedKey{keyID: in.keyID, spec: rfc9421.KeySpec{KeyID: in.keyID, Algo: alg, PubKey: pub}}
		for _, scheme := range schemes {
			if _, err = rfc9421.Verify(rfc9421View(r, body, scheme), keys, profile); err == nil {
				return nil
			}
		}
	}
	return err
}

// rfc9421View is the request as remitly-oss/httpsig-go v1.2.0 should see it.
// That version reads @path from URL.Path and builds @target-uri as
// scheme://Host + URL.RawPath + URL.RawQuery, taking the scheme from
// whether TLS is set. So the view carries the escaped path in both fields,
// the '?' at the end of RawPath, and a TLS marker for https.
func rfc9421View(r *http.Request, body []byte, scheme string) *http.Request {
	view := r.Clone(r.Context())
	if view.Host == "" {
		view.Host = r.URL.Host
	}
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	view.URL.Path = path
	view.URL.RawPath = path
	if r.URL.RawQuery != "" {
		view.URL.RawPath += "?"
	}
	view.TLS = nil
	if scheme == "https" {
		view.TLS = &tls.ConnectionState{}
	}
	view.Body = io.NopCloser(bytes.NewReader(body))
	return view
}

// fixedKey hands the already resolved key to the library.
type fixedKey struct {
	keyID string
	spec  rfc9421.KeySpec
}

func (f fixedKey) FetchByKeyID(_ context.Context, _ http.Header, keyID string) (rfc9421.KeySpecer, error) {
	if keyID != f.keyID {
		return nil, fmt.Errorf("unexpected keyid %q", keyID)
	}
	return f.spec, nil
}

func (f fixedKey) Fetch(context.Context, http.Header, rfc9421.MetadataProvider) (rfc9421.KeySpecer, error) {
	return nil, errors.New("signature without keyid")
}
