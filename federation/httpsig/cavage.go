package httpsig

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	cavage "github.com/go-fed/httpsig"
)

// Pseudo-headers and algorithm names of draft-cavage-http-signatures.
const (
	requestTarget   = "(request-target)"
	algorithmRSA256 = "rsa-sha256"
	// hs2019 hides the algorithm: the verifier derives it from the key. With
	// an RSA key every implementation in the fediverse means
	// RSASSA-PKCS1-v1_5 with SHA-256, so that is what it means here.
	algorithmHS2019 = "hs2019"
)

// cavageParams are the parameters of a draft-cavage Signature header.
type cavageParams struct {
	keyID     string
	algorithm string   // lower case; empty when absent
	headers   []string // lower case, in signing order
	signature string
	created   string // decimal seconds, for the (created) pseudo-header
	expires   string // decimal seconds, for the (expires) pseudo-header
}

// parseCavage parses `keyId="...",algorithm="...",headers="...",signature="..."`.
// It refuses duplicated parameters, so that no two parsers can disagree on
// which headers were signed.
func parseCavage(value string) (cavageParams, error) {
	seen := map[string]string{}
	rest := strings.TrimSpace(value)
	for rest != "" {
		name, after, ok := strings.Cut(rest, "=")
		if !ok {
			return cavageParams{}, fmt.Errorf("parameter without value in %q", rest)
		}
		name = strings.ToLower(strings.TrimSpace(name))
		var val string
		if strings.HasPrefix(after, `"`) {
			end := strings.IndexByte(after[1:], '"')
			if end < 0 {
				return cavageParams{}, fmt.Errorf("unterminated quoted value for %q", name)
			}
			val, rest = after[1:1+end], after[2+end:]
		} else {
			val, rest, _ = strings.Cut(after, ",")
			rest = "," + rest
		}
		if _, dup := seen[name]; dup {
			return cavageParams{}, fmt.Errorf("parameter %q given twice", name)
		}
		seen[name] = strings.TrimSpace(val)
		rest = strings.TrimSpace(rest)
		if rest != "" && !strings.HasPrefix(rest, ",") {
			return cavageParams{}, fmt.Errorf("expected ',' before %q", rest)
		}
		rest = strings.TrimSpace(strings.TrimPrefix(rest, ","))
	}
	p := cavageParams{
		keyID:     seen["keyid"],
		algorithm: strings.ToLower(seen["algorithm"]),
		signature: seen["signature"],
		created:   seen["created"],
		expires:   seen["expires"],
		// The draft's default when headers is absent is the Date header alone.
		headers: []string{"date"},
	}
	if h, ok := seen["headers"]; ok {
		p.headers = strings.Fields(strings.ToLower(h))
	}
	if p.keyID == "" || p.signature == "" || len(p.headers) == 0 {
		return cavageParams{}, fmt.Errorf("keyId, signature and headers must not be empty")
	}
	for _, n := range []string{p.created, p.expires} {
		if _, err := strconv.ParseUint(n, 10, 63); n != "" && err != nil {
			return cavageParams{}, fmt.Errorf("created/expires %q is not a number", n)
		}
	}
	return p, nil
}

// canonical renders the parameters back in the one form go-fed/httpsig
// parses unambiguously (it splits on ',' and ' ' without regard to quoting).
func (p cavageParams) canonical() string {
	var b strings.Builder
	fmt.Fprintf(&b, `keyId="%s",algorithm="%s",`, p.keyID, p.algorithm)
	if p.created != "" {
		fmt.Fprintf(&b, "created=%s,", p.created)
	}
	if p.expires != "" {
		fmt.Fprintf(&b, "expires=%s,", p.expires)
	}
	fmt.Fprintf(&b, `headers="%s",signature="%s"`, strings.Join(p.headers, " "), p.signature)
	return b.String()
}

// checkCoverage enforces what a signature must cover before any key is
// fetched. Mastodon's rules: Date signed (to bound replay), the target signed
// (so a signature is not reusable on another path), Digest signed on POST
// (so the body is covered), Host signed on GET (so it is not reusable on
// another server).
func (p cavageParams) checkCoverage(method string) error {
	if p.algorithm != "" && p.algorithm != algorithmRSA256 && p.algorithm != algorithmHS2019 {
		return fmt.Errorf("unsupported algorithm %q", p.algorithm)
	}
	required := []string{"date", requestTarget}
	switch method {
	case http.MethodPost:
		required = append(required, "digest")
	case http.MethodGet, http.MethodHead:
		required = append(required, "host")
	}
	for _, h := range required {
		if !slices.Contains(p.headers, h) {
			return fmt.Errorf("%s must be signed on a %s request", h, method)
		}
	}
	return nil
}

// verifyCavage verifies a draft-cavage signature whose parameters are value.
func (v *Verifier) verifyCavage(r *http.Request, value string, body []byte) (Verified, error) {
	p, err := parseCavage(value)
	if err != nil {
		return Verified{}, fmt.Errorf("verify draft-cavage: %w: %w", ErrBadSignature, err)
	}
	if err := p.checkCoverage(r.Method); err != nil {
		return Verified{}, fmt.Errorf("verify draft-cavage: %w: %w", ErrBadSignature, err)
	}
	for _, h := range p.headers {
		pseudo := strings.HasPrefix(h, "(")
		if !pseudo && h != "host" && len(r.Header.Values(h)) == 0 {
			return Verified{}, fmt.Errorf("verify draft-cavage: %w: signed header %q is missing", ErrBadSignature, h)
		}
	}
	date, err := http.ParseTime(r.Header.Get(headerDate))
	if err != nil {
		return Verified{}, fmt.Errorf("verify draft-cavage: %w: invalid Date %q", ErrStaleDate, r.Header.Get(headerDate))
	}
	if err := v.checkWindow(date); err != nil {
		return Verified{}, fmt.Errorf("verify draft-cavage: %w", err)
	}
	if d := r.Header.Get(headerDigest); d != "" {
		if err := checkDigest(d, body); err != nil {
			return Verified{}, fmt.Errorf("verify draft-cavage: %w", err)
		}
	}
	owner, err := v.withKey(r.Context(), p.keyID, func(pub crypto.PublicKey) error {
		return checkCavage(r, p, pub)
	})
	if err != nil {
		return Verified{}, fmt.Errorf("verify draft-cavage: %w", err)
	}
	return Verified{KeyID: p.keyID, Owner: owner, Scheme: SchemeCavage}, nil
}

// cavageAlgorithm maps the algorithm parameter and the key to go-fed's name.
func cavageAlgorithm(param string, pub crypto.PublicKey) (cavage.Algorithm, error) {
	switch pub.(type) {
	case *rsa.PublicKey:
		return cavage.RSA_SHA256, nil
	case ed25519.PublicKey:
		if param == algorithmHS2019 || param == "" {
			return cavage.ED25519, nil
		}
		return "", fmt.Errorf("algorithm %q with an Ed25519 key", param)
	}
	return "", fmt.Errorf("%w %T", errUnsupportedKey, pub)
}

// checkCavage checks the signature cryptographically with go-fed/httpsig.
// (request-target) is built from r.URL.RequestURI(); when that has a query
// and fails, the path alone is tried, because some senders sign the path
// without the query and Mastodon accepts that.
func checkCavage(r *http.Request, p cavageParams, pub crypto.PublicKey) error {
	algo, err := cavageAlgorithm(p.algorithm, pub)
	if err != nil {
		return err
	}
	path, query, _ := strings.Cut(r.URL.RequestURI(), "?")
	targets := []*url.URL{{Path: path, RawQuery: query}}
	if query != "" {
		targets = append(targets, &url.URL{Path: path})
	}
	for _, target := range targets {
		ver, verr := cavage.NewVerifier(cavageView(r, target, p.canonical()))
		if verr != nil {
			return verr
		}
		if err = ver.Verify(pub, algo); err == nil {
			return nil
		}
	}
	return err
}

// cavageView is the request as go-fed/httpsig should see it: the target as
// given (go-fed writes URL.Path verbatim, so the escaped path goes there),
// Host from r.Host (Go moves it out of the header map), and only the
// canonical Signature header.
func cavageView(r *http.Request, target *url.URL, signature string) *http.Request {
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Del(headerAuthorization)
	h.Set(headerSignature, signature)
	h.Set(headerHost, r.Host)
	return &http.Request{Method: r.Method, URL: target, Host: r.Host, Header: h}
}
