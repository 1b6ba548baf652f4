package httpsig

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	sfv "github.com/dunglas/httpsfv"
)

// digestSHA256 is the value of an RFC 3230 Digest header for body, the form
// draft-cavage peers sign: "SHA-256=<base64>".
func digestSHA256(body []byte) string {
	sum := sha256.Sum256(body)
	return "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
}

// contentDigestSHA256 is the value of an RFC 9530 Content-Digest header for
// body, a structured-field dictionary: "sha-256=:<base64>:".
func contentDigestSHA256(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
}

// sumFor hashes body with the named algorithm, or returns nil for an
// algorithm this package does not accept.
func sumFor(algorithm string, body []byte) []byte {
	switch strings.ToLower(algorithm) {
	case "sha-256":
		sum := sha256.Sum256(body)
		return sum[:]
	case "sha-512":
		sum := sha512.Sum512(body)
		return sum[:]
	}
	return nil
}

// checkDigest checks an RFC 3230 Digest header ("SHA-256=..., SHA-512=...")
// against body. At least one SHA-256 or SHA-512 entry must be present, and
// every such entry must match; other algorithms (MD5, SHA) are ignored.
func checkDigest(header string, body []byte) error {
	known := 0
	for entry := range strings.SplitSeq(header, ",") {
		algorithm, value, ok := strings.Cut(strings.TrimSpace(entry), "=")
		if !ok {
			return fmt.Errorf("%w: malformed Digest entry %q", ErrDigestMismatch, entry)
		}
		want := sumFor(algorithm, body)
		if want == nil {
			continue
		}
		known++
		given, err := base64.StdEncoding.DecodeString(value)
		if err != nil || subtle.ConstantTimeCompare(given, want) != 1 {
			return fmt.Errorf("%w: computed %s %s, given %s", ErrDigestMismatch, algorithm,
				base64.StdEncoding.EncodeToString(want), value)
		}
	}
	if known == 0 {
		return fmt.Errorf("%w: Digest has no SHA-256 or SHA-512 entry", ErrDigestMismatch)
	}
	return nil
}

// checkContentDigest checks RFC 9530 Content-Digest header values against
// body, with the same rule as checkDigest: sha-256 and sha-512 entries count,
// at least one is required, all must match.
func checkContentDigest(values []string, body []byte) error {
	dict, err := sfv.UnmarshalDictionary(values)
	if err != nil {
		return fmt.Errorf("%w: malformed Content-Digest: %w", ErrDigestMismatch, err)
	}
	known := 0
	for _, algorithm := range dict.Names() {
		want := sumFor(algorithm, body)
		if want == nil {
			continue
		}
		known++
		member, _ := dict.Get(algorithm)
		item, ok := member.(sfv.Item)
		if !ok {
			return fmt.Errorf("%w: Content-Digest %s is not a byte sequence", ErrDigestMismatch, algorithm)
		}
		given, ok := item.Value.([]byte)
		if !ok || subtle.ConstantTimeCompare(given, want) != 1 {
			return fmt.Errorf("%w: Content-Digest %s does not match the body", ErrDigestMismatch, algorithm)
		}
	}
	if known == 0 {
		return fmt.Errorf("%w: Content-Digest has no sha-256 or sha-512 entry", ErrDigestMismatch)
	}
	return nil
}
