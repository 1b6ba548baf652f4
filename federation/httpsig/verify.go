package httpsig

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Verifier checks the signatures of incoming requests. Resolve is required;
// a nil Now means time.Now.
type Verifier struct {
	Resolve KeyResolver
	Now     func() time.Time
}

// Verify checks r's signature against body, the request body the caller has
// already read (r.Body is not touched). It picks the scheme from the headers:
// a Signature-Input header means RFC 9421, otherwise a Signature header or an
// "Authorization: Signature ..." header means draft-cavage.
func (v *Verifier) Verify(r *http.Request, body []byte) (Verified, error) {
	if v.Resolve == nil {
		return Verified{}, fmt.Errorf("verify: %w: no key resolver configured", ErrBadSignature)
	}
	switch {
	case r.Header.Get(headerSignatureInput) != "":
		return v.verifyRFC9421(r, body)
	case r.Header.Get(headerSignature) != "":
		return v.verifyCavage(r, r.Header.Get(headerSignature), body)
	}
	if value, ok := authorizationSignature(r.Header.Get(headerAuthorization)); ok {
		return v.verifyCavage(r, value, body)
	}
	return Verified{}, fmt.Errorf("verify: %w", ErrNoSignature)
}

// Header names this package reads or writes.
const (
	headerSignature      = "Signature"
	headerSignatureInput = "Signature-Input"
	headerAuthorization  = "Authorization"
	headerDate           = "Date"
	headerHost           = "Host"
	headerDigest         = "Digest"
	headerContentDigest  = "Content-Digest"
)

// authorizationSignature returns the parameters of an
// "Authorization: Signature keyId=...,..." header, the form the draft's
// earliest versions used and a few implementations still send.
func authorizationSignature(value string) (string, bool) {
	const scheme = "signature "
	if len(value) <= len(scheme) || !strings.EqualFold(value[:len(scheme)], scheme) {
		return "", false
	}
	return strings.TrimSpace(value[len(scheme):]), true
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// checkWindow rejects a signing time outside [now-MaxAge, now+MaxSkew].
func (v *Verifier) checkWindow(signed time.Time) error {
	now := v.now()
	if now.Sub(signed) > MaxAge {
		return fmt.Errorf("%w: signed at %s, more than %s before %s", ErrStaleDate, signed.UTC().Format(time.RFC3339), MaxAge, now.UTC().Format(time.RFC3339))
	}
	if signed.Sub(now) > MaxSkew {
		return fmt.Errorf("%w: signed at %s, more than %s after %s", ErrStaleDate, signed.UTC().Format(time.RFC3339), MaxSkew, now.UTC().Format(time.RFC3339))
	}
	return nil
}

// withKey resolves keyID and runs check with the key. Keys rotate and
// resolvers cache, so when the cached key fails (or cannot be had) it asks
// once more with refresh=true and checks again. It returns the key's owner.
func (v *Verifier) withKey(ctx context.Context, keyID string, check func(crypto.PublicKey) error) (string, error) {
	pub, owner, err := v.Resolve(ctx, keyID, false)
	if err == nil {
		if err = check(pub); err == nil {
			return owner, nil
		}
	} else {
		err = fmt.Errorf("resolve key %q: %w", keyID, err)
	}
	fresh, freshOwner, ferr := v.Resolve(ctx, keyID, true)
	if ferr != nil {
		return "", fmt.Errorf("%w: %w; refresh key %q: %w", ErrBadSignature, err, keyID, ferr)
	}
	if pub != nil && sameKey(pub, fresh) {
		// The key did not rotate: a second check would fail the same way.
		return "", fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	if cerr := check(fresh); cerr != nil {
		return "", fmt.Errorf("%w: with refreshed key: %w", ErrBadSignature, cerr)
	}
	return freshOwner, nil
}

// sameKey reports whether two public keys are equal; every key type of the
// standard library has an Equal method.
func sameKey(a, b crypto.PublicKey) bool {
	eq, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(b)
}

// errUnsupportedKey is returned when a resolved key has a type that no
// accepted algorithm can use.
var errUnsupportedKey = errors.New("unsupported public key type")
