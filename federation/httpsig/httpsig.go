// Package httpsig is roost's HTTP-signature layer for ActivityPub: it signs
// outgoing requests and verifies incoming ones.
//
// Two schemes are spoken. draft-cavage-http-signatures (the `Signature`
// header with keyId/algorithm/headers/signature) is what the fediverse runs
// on today; RFC 9421 HTTP Message Signatures (`Signature-Input` plus
// `Signature`) is what newer servers send when a peer knows it. The
// cryptography and the signing strings come from github.com/go-fed/httpsig
// (draft-cavage) and github.com/remitly-oss/httpsig-go (RFC 9421). Neither
// library enforces what a public inbox needs, so this package adds the
// checks around them: which components must be signed, the Date or created
// window, the body digest, and refetching a rotated key once.
//
// Every error returned by Verifier.Verify matches one of ErrNoSignature,
// ErrBadSignature, ErrStaleDate or ErrDigestMismatch under errors.Is, and
// every one of them means the same thing to the caller: answer 401, so that
// peers which "double-knock" retry with the other scheme.
package httpsig

import (
	"context"
	"crypto"
	"errors"
	"time"
)

// Scheme names reported in Verified.Scheme.
const (
	SchemeCavage  = "draft-cavage"
	SchemeRFC9421 = "rfc9421"
)

// The window Mastodon accepts for a request's Date (draft-cavage) or created
// parameter (RFC 9421): twelve hours of delivery retries and queueing in the
// past, one hour of clock skew in the future. Peers tune their retries to it.
const (
	MaxAge  = 12 * time.Hour
	MaxSkew = time.Hour
)

// Errors returned by Verifier.Verify, wrapped with detail; test with errors.Is.
var (
	// ErrNoSignature: the request carries no signature at all.
	ErrNoSignature = errors.New("httpsig: request is not signed")
	// ErrBadSignature: the signature is malformed, signs too little, uses an
	// unsupported algorithm, its key cannot be resolved, or it does not verify.
	ErrBadSignature = errors.New("httpsig: signature does not verify")
	// ErrStaleDate: Date (or created) is missing, unparsable or outside the window.
	ErrStaleDate = errors.New("httpsig: signature date outside the accepted window")
	// ErrDigestMismatch: the Digest or Content-Digest header does not match the body.
	ErrDigestMismatch = errors.New("httpsig: body digest mismatch")
)

// KeyResolver returns the public key for keyID and the URL of the actor that
// owns it. refresh=true asks to bypass any cache: keys rotate, so the
// verifier calls again once with refresh=true when verification fails.
type KeyResolver func(ctx context.Context, keyID string, refresh bool) (pub crypto.PublicKey, ownerActorID string, err error)

// Verified describes a request whose signature verified.
type Verified struct {
	KeyID  string // the keyId / keyid the signer named
	Owner  string // the actor that owns the key, as the KeyResolver reported it
	Scheme string // SchemeCavage or SchemeRFC9421
}
