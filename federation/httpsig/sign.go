package httpsig

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	cavage "github.com/go-fed/httpsig"
	rfc9421 "github.com/remitly-oss/httpsig-go"
)

// Signer signs outgoing requests with the site actor's RSA key. Now, when
// set, is the clock for the Date header (tests use it); nil means time.Now.
type Signer struct {
	KeyID string
	Key   *rsa.PrivateKey
	Now   func() time.Time
}

// labelRFC9421 is the label roost gives its RFC 9421 signature.
const labelRFC9421 = "sig1"

// Sign signs r with draft-cavage rsa-sha256 over
// "(request-target) host date digest" ("digest" only when there is a body or
// the request is a POST) and sets the Date, Host, Digest and Signature
// headers. body must be the exact bytes that will be sent.
func (s Signer) Sign(r *http.Request, body []byte) error {
	if err := s.prepare(r); err != nil {
		return fmt.Errorf("sign draft-cavage: %w", err)
	}
	headers := []string{requestTarget, "host", "date"}
	var digestBody []byte
	if needsDigest(r, body) {
		headers = append(headers, "digest")
		digestBody = append([]byte{}, body...) // go-fed adds a Digest only for a non-nil body
	}
	signer, _, err := cavage.NewSigner([]cavage.Algorithm{cavage.RSA_SHA256}, cavage.DigestSha256, headers, cavage.Signature, 0)
	if err != nil {
		return fmt.Errorf("sign draft-cavage: %w", err)
	}
	path, query, _ := strings.Cut(r.URL.RequestURI(), "?")
	view := cavageView(r, &url.URL{Path: path, RawQuery: query}, "")
	view.Header.Del(headerSignature)
	if err := signer.SignRequest(s.Key, s.KeyID, view, digestBody); err != nil {
		return fmt.Errorf("sign draft-cavage: %w", err)
	}
	// go-fed/httpsig labels every signature hs2019. The algorithm parameter
	// is not part of the signing string, and older peers only know
	// rsa-sha256, so name the algorithm that was actually used.
	signature := strings.Replace(view.Header.Get(headerSignature),
		`algorithm="`+algorithmHS2019+`"`, `algorithm="`+algorithmRSA256+`"`, 1)
	r.Header.Set(headerSignature, signature)
	if digestBody != nil {
		r.Header.Set(headerDigest, view.Header.Get(headerDigest))
	}
	return nil
}

// SignRFC9421 signs r with RFC 9421 (rsa-v1_5-sha256) over "@method"
// "@target-uri" and, when there is a body or the request is a POST,
// "content-digest"; it sets Content-Digest (sha-256), Signature-Input,
// Signature and Date. The signature carries created and keyid.
func (s Signer) SignRFC9421(r *http.Request, body []byte) error {
	if err := s.prepare(r); err != nil {
		return fmt.Errorf("sign rfc9421: %w", err)
	}
	fields := []string{componentMethod, componentTargetURI}
	if needsDigest(r, body) {
		fields = append(fields, componentDigest)
		r.Header.Set(headerContentDigest, contentDigestSHA256(body))
	}
	profile := rfc9421.SigningProfile{
		Algorithm: rfc9421.Algo_RSA_v1_5_sha256,
		Fields:    rfc9421.Fields(fields...),
		Metadata:  []rfc9421.Metadata{rfc9421.MetaCreated, rfc9421.MetaKeyID},
		Label:     labelRFC9421,
	}
	scheme := r.URL.Scheme
	if scheme == "" {
		scheme = "https"
	}
	view := rfc9421View(r, body, scheme)
	err := rfc9421.Sign(view, profile, rfc9421.SigningKey{Key: s.Key, MetaKeyID: s.KeyID})
	if err != nil {
		return fmt.Errorf("sign rfc9421: %w", err)
	}
	r.Header.Set(headerSignatureInput, view.Header.Get(headerSignatureInput))
	r.Header.Set(headerSignature, view.Header.Get(headerSignature))
	return nil
}

// prepare checks the signer, fills in Host and Date, and drops the headers
// of an earlier signature (a retried delivery is signed afresh).
func (s Signer) prepare(r *http.Request) error {
	if s.Key == nil || s.KeyID == "" {
		return errors.New("signer needs a KeyID and a Key")
	}
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	if r.Host == "" {
		return errors.New("request has no host")
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	r.Header.Set(headerHost, r.Host)
	r.Header.Set(headerDate, now().UTC().Format(http.TimeFormat))
	for _, h := range []string{headerSignature, headerSignatureInput, headerDigest, headerContentDigest} {
		r.Header.Del(h)
	}
	return nil
}

// needsDigest reports whether a request's body must be covered: whenever it
// has one, and always on POST, where peers demand a digest even for an
// empty body.
func needsDigest(r *http.Request, body []byte) bool {
	return len(body) > 0 || r.Method == http.MethodPost
}
