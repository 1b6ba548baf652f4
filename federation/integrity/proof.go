package integrity

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/gowebpki/jcs"
	"github.com/mr-tron/base58"
)

// Why a proof is refused. Each refusal wraps one of these, so that a caller
// can tell a document that carries no proof from one whose proof is bad.
var (
	ErrNoProof     = errors.New("document carries no eddsa-jcs-2022 proof")
	ErrMalformed   = errors.New("malformed proof")
	ErrBadProof    = errors.New("proof does not verify")
	errNotAnObject = errors.New("document is not a JSON object")
)

// Proof is what a document's proof claims: which key signed it, for what,
// and when.
type Proof struct {
	VerificationMethod string
	Purpose            string
	Created            time.Time
}

// Decode reads a JSON object keeping its numbers as they were written
// (json.Number), so that canonicalising it later sees the same values.
func Decode(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if doc == nil {
		return nil, errNotAnObject
	}
	return doc, nil
}

// Encode writes a document without escaping <, > and & (HTML content stays
// readable; the canonical form does not depend on it).
func Encode(doc map[string]any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// Sign returns a copy of doc with an eddsa-jcs-2022 proof made with key,
// which verificationMethod names (the Multikey's id). The proof carries no
// @context of its own: as FEP-8b32 has it, the document's @context (which
// should name ContextDataIntegrity) covers it, and it goes into the signed
// proof configuration.
func Sign(doc map[string]any, key ed25519.PrivateKey, verificationMethod string, created time.Time) (map[string]any, error) {
	if _, has := doc["proof"]; has {
		return nil, fmt.Errorf("sign: document already carries a proof")
	}
	options := map[string]any{
		"type":               ProofType,
		"cryptosuite":        Cryptosuite,
		"verificationMethod": verificationMethod,
		"proofPurpose":       PurposeAssertion,
		"created":            created.UTC().Format(time.RFC3339),
	}
	hash, err := hashData(doc, options, true)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	options["proofValue"] = "z" + base58.Encode(ed25519.Sign(key, hash))
	signed := make(map[string]any, len(doc)+1)
	for k, v := range doc {
		signed[k] = v
	}
	signed["proof"] = options
	return signed, nil
}

// ProofOf reads the document's eddsa-jcs-2022 proof without checking it.
func ProofOf(doc map[string]any) (Proof, error) {
	p, err := proofIn(doc)
	if err != nil {
		return Proof{}, err
	}
	vm, _ := p["verificationMethod"].(string)
	purpose, _ := p["proofPurpose"].(string)
	out := Proof{VerificationMethod: vm, Purpose: purpose}
	if created, ok := p["created"].(string); ok {
		t, err := time.Parse(time.RFC3339, created)
		if err != nil {
			return Proof{}, fmt.Errorf("%w: created %q is not a date-time", ErrMalformed, created)
		}
		out.Created = t
	}
	if vm == "" {
		return Proof{}, fmt.Errorf("%w: no verificationMethod", ErrMalformed)
	}
	return out, nil
}

// Verify checks the document's eddsa-jcs-2022 proof against pub (the key
// its verificationMethod names, which the caller has looked up), following
// the cryptosuite's verification algorithm.
func Verify(doc map[string]any, pub ed25519.PublicKey) error {
	p, err := proofIn(doc)
	if err != nil {
		return err
	}
	if _, err := ProofOf(doc); err != nil {
		return err
	}
	value, _ := p["proofValue"].(string)
	if value == "" || value[0] != 'z' {
		return fmt.Errorf("%w: proofValue is not base58btc multibase", ErrMalformed)
	}
	sig, err := base58.Decode(value[1:])
	if err != nil || len(sig) != ed25519.SignatureSize {
		return fmt.Errorf("%w: proofValue is not an Ed25519 signature", ErrMalformed)
	}
	unsecured := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "proof" {
			unsecured[k] = v
		}
	}
	options := make(map[string]any, len(p))
	for k, v := range p {
		if k != "proofValue" {
			options[k] = v
		}
	}
	if pc, has := options["@context"]; has {
		// A proof that names its own context signed the document under
		// that context, which the document's must begin with.
		if !startsWith(contextList(doc["@context"]), contextList(pc)) {
			return fmt.Errorf("%w: the document's @context does not begin with the proof's", ErrBadProof)
		}
		unsecured["@context"] = pc
	}
	hash, err := hashData(unsecured, options, true)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	if ed25519.Verify(pub, hash, sig) {
		return nil
	}
	if _, has := options["@context"]; !has {
		// Proofs made before the cryptosuite put the document's @context
		// into the proof configuration (FEP-8b32's first test vector, and
		// Mitra of that time) signed the configuration without it.
		legacy, err := hashData(unsecured, options, false)
		if err == nil && ed25519.Verify(pub, legacy, sig) {
			return nil
		}
	}
	return ErrBadProof
}

// proofIn finds the eddsa-jcs-2022 proof of a document: its proof, or the
// first such proof of a set.
func proofIn(doc map[string]any) (map[string]any, error) {
	var candidates []any
	switch p := doc["proof"].(type) {
	case nil:
		return nil, ErrNoProof
	case map[string]any:
		candidates = []any{p}
	case []any:
		candidates = p
	default:
		return nil, fmt.Errorf("%w: proof is neither an object nor a list", ErrMalformed)
	}
	for _, c := range candidates {
		m, ok := c.(map[string]any)
		if ok && m["type"] == ProofType && m["cryptosuite"] == Cryptosuite {
			return m, nil
		}
	}
	return nil, ErrNoProof
}

// hashData is the cryptosuite's hashing step: SHA-256 of the canonical
// proof configuration (the options, under the document's @context when
// withContext), then SHA-256 of the canonical document.
func hashData(unsecured, options map[string]any, withContext bool) ([]byte, error) {
	config := make(map[string]any, len(options)+1)
	for k, v := range options {
		config[k] = v
	}
	if c, has := unsecured["@context"]; has && withContext {
		config["@context"] = c
	} else {
		delete(config, "@context")
	}
	canonConfig, err := canonical(config)
	if err != nil {
		return nil, err
	}
	canonDoc, err := canonical(unsecured)
	if err != nil {
		return nil, err
	}
	c, d := sha256.Sum256(canonConfig), sha256.Sum256(canonDoc)
	return append(c[:], d[:]...), nil
}

// canonical is the RFC 8785 (JCS) form of v.
func canonical(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	out, err := jcs.Transform(raw)
	if err != nil {
		return nil, fmt.Errorf("canonicalize: %w", err)
	}
	return out, nil
}

// contextList is an @context as a list (a lone string or object is a list
// of one).
func contextList(c any) []any {
	switch x := c.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{c}
}

func startsWith(list, prefix []any) bool {
	if len(prefix) > len(list) {
		return false
	}
	for i := range prefix {
		if !reflect.DeepEqual(list[i], prefix[i]) {
			return false
		}
	}
	return true
}
