// Package integrity signs and verifies ActivityPub documents with object
// integrity proofs (FEP-8b32): W3C Data Integrity proofs of the
// eddsa-jcs-2022 cryptosuite, an Ed25519 signature over the RFC 8785
// canonical form of the document. Keys are published as Multikey
// (FEP-521a). A proof travels inside the document, so it still proves who
// wrote an activity when a third server forwards it.
package integrity

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/mr-tron/base58"
)

// Names of the vocabulary, as FEP-8b32 and FEP-521a write them.
const (
	ProofType            = "DataIntegrityProof"
	Cryptosuite          = "eddsa-jcs-2022"
	PurposeAssertion     = "assertionMethod"
	TypeMultikey         = "Multikey"
	ContextDataIntegrity = "https://w3id.org/security/data-integrity/v1"
	ContextMultikey      = "https://w3id.org/security/multikey/v1"
)

// The multicodec prefixes (unsigned varints) that say what a multibase key
// holds: ed25519-pub is 0xed, ed25519-priv 0x1300.
var (
	ed25519PubPrefix  = []byte{0xed, 0x01}
	ed25519PrivPrefix = []byte{0x80, 0x26}
)

// ErrMultibase is wrapped by every refusal of an encoded key or value.
var ErrMultibase = errors.New("not a base58btc multibase Ed25519 value")

// EncodePublicKey writes an Ed25519 public key as publicKeyMultibase: "z"
// (base58btc) then the ed25519-pub multicodec prefix and the 32 key bytes.
func EncodePublicKey(pub ed25519.PublicKey) string {
	return "z" + base58.Encode(append(bytes.Clone(ed25519PubPrefix), pub...))
}

// DecodePublicKey reads a publicKeyMultibase value.
func DecodePublicKey(s string) (ed25519.PublicKey, error) {
	raw, err := decodeMultibase(s, ed25519PubPrefix, ed25519.PublicKeySize)
	if err != nil {
		return nil, fmt.Errorf("public key: %w", err)
	}
	return ed25519.PublicKey(raw), nil
}

// DecodeSecretKey reads a secretKeyMultibase value (the 32-byte seed after
// the ed25519-priv prefix), the form test vectors give keys in.
func DecodeSecretKey(s string) (ed25519.PrivateKey, error) {
	seed, err := decodeMultibase(s, ed25519PrivPrefix, ed25519.SeedSize)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

func decodeMultibase(s string, prefix []byte, size int) ([]byte, error) {
	if len(s) < 2 || s[0] != 'z' {
		return nil, ErrMultibase
	}
	raw, err := base58.Decode(s[1:])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMultibase, err)
	}
	if !bytes.HasPrefix(raw, prefix) || len(raw) != len(prefix)+size {
		return nil, fmt.Errorf("%w: wrong multicodec prefix or length", ErrMultibase)
	}
	return raw[len(prefix):], nil
}
