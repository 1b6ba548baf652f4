package federation

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"roost/federation/integrity"
	"roost/federation/vocab"
)

// Object integrity proofs (FEP-8b32): every activity the owner publishes
// carries an eddsa-jcs-2022 proof made with the owner's Ed25519 key, and a
// proof on an incoming activity is checked against the key its author
// publishes. Unlike an HTTP signature, a proof stays with the document, so
// it still says who wrote an activity that a third server forwards.

// errProofRefused is wrapped by every refusal of a proof.
var errProofRefused = errors.New("object integrity proof refused")

// signActivity adds the owner's proof to a marshalled activity, naming the
// Data Integrity context that defines it.
func (s *Service) signActivity(doc []byte) ([]byte, error) {
	m, err := integrity.Decode(doc)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	m["@context"] = withContext(m["@context"], vocab.ContextDataIntegrity)
	key, err := s.proofKeys.get(context.Background())
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	signed, err := integrity.Sign(m, key, s.ProofKeyID(), s.now())
	if err != nil {
		return nil, err
	}
	return integrity.Encode(signed)
}

// withContext adds iri to an @context after the security context (or at
// the end of the IRIs), unless it is there already.
func withContext(ctx any, iri string) any {
	list := contextList(ctx)
	if slices.Contains(list, any(iri)) {
		return ctx
	}
	at := len(list)
	for i, c := range list {
		if _, isIRI := c.(string); !isIRI {
			at = i
			break
		}
	}
	if i := slices.Index(list, any(vocab.ContextSecurity)); i >= 0 {
		at = i + 1
	}
	return slices.Insert(slices.Clone(list), at, any(iri))
}

func contextList(ctx any) []any {
	switch x := ctx.(type) {
	case nil:
		return nil
	case []any:
		return x
	}
	return []any{ctx}
}

// mayCarryProof tells cheaply whether a body may hold a proof, so that the
// many activities without one are not decoded a second time.
func mayCarryProof(body []byte) bool {
	return bytes.Contains(body, []byte(`"proof"`))
}

// verifyProof checks the eddsa-jcs-2022 proof of a document said to be
// author's. It returns integrity.ErrNoProof (wrapped) when there is none,
// and an error wrapping errProofRefused when the proof is not author's or
// does not verify (or a *keyFetchLimitedError when the key could not be
// fetched yet). The key is the one author publishes in assertionMethod,
// or a Multikey document on author's origin that names author as its
// controller; a proof that fails with a stored key is tried once more
// with the key fetched anew, since keys rotate.
func (s *Service) verifyProof(ctx context.Context, body []byte, author string) error {
	doc, err := integrity.Decode(body)
	if err != nil {
		return fmt.Errorf("%w: %v", errProofRefused, err)
	}
	return s.verifyProofOf(ctx, doc, author)
}

// verifyProofOf is verifyProof of a decoded document (its numbers as
// json.Number, as integrity.Decode and vocab's Raw keep them).
func (s *Service) verifyProofOf(ctx context.Context, doc map[string]any, author string) error {
	p, err := integrity.ProofOf(doc)
	if errors.Is(err, integrity.ErrNoProof) {
		return err
	}
	if err != nil {
		return fmt.Errorf("%w: %v", errProofRefused, err)
	}
	if p.Purpose != integrity.PurposeAssertion {
		return fmt.Errorf("%w: purpose %q, not %s", errProofRefused, p.Purpose, integrity.PurposeAssertion)
	}
	if !SameOrigin(p.VerificationMethod, author) {
		return fmt.Errorf("%w: key %s is not on the origin of %s", errProofRefused, p.VerificationMethod, author)
	}
	for _, refresh := range []bool{false, true} {
		pub, err := s.proofKeyOf(ctx, p.VerificationMethod, author, refresh)
		if limited := (*keyFetchLimitedError)(nil); errors.As(err, &limited) {
			return err
		}
		if err != nil {
			if refresh {
				return fmt.Errorf("%w: %v", errProofRefused, err)
			}
			continue
		}
		if err = verifyDetached(doc, pub); err == nil {
			return nil
		}
		if refresh || !errors.Is(err, integrity.ErrBadProof) {
			return fmt.Errorf("%w: %v", errProofRefused, err)
		}
	}
	return fmt.Errorf("%w: key %s not found", errProofRefused, p.VerificationMethod)
}

// proofKeyOf finds the public key keyID names, when author controls it:
// from the cached actor when it publishes the key, else from the author's
// server, which is asked no more often than for signers' keys (see
// key_fetches.go): a forged proof must not cost a fetch each.
func (s *Service) proofKeyOf(ctx context.Context, keyID, author string, refresh bool) (ed25519.PublicKey, error) {
	docURL, _, _ := strings.Cut(keyID, "#")
	if docURL == author && !refresh {
		if a, ok := s.cachedActor(ctx, author); ok {
			if pub, err := assertionKey(a, keyID, author); err == nil {
				return pub, nil
			}
		}
	}
	now := s.now()
	if err := s.keyFetches.admit(keyID, now); err != nil {
		if a, ok := s.cachedActor(ctx, author); ok && docURL == author && errors.Is(err, errFetchedJustNow) {
			return assertionKey(a, keyID, author)
		}
		return nil, fmt.Errorf("proof key %s: %w", keyID, err)
	}
	pub, err := s.fetchProofKey(ctx, keyID, docURL, author)
	s.keyFetches.fetched(keyID, now, err)
	return pub, err
}

// fetchProofKey asks the key's server: the author's actor document when the
// key is one of its fragments, else the key's own document.
func (s *Service) fetchProofKey(ctx context.Context, keyID, docURL, author string) (ed25519.PublicKey, error) {
	if docURL == author {
		a, err := s.FetchActor(ctx, author, true)
		if err != nil {
			return nil, err
		}
		return assertionKey(a, keyID, author)
	}
	// A key of its own (FEP-521a allows a Multikey document apart from the
	// actor): believed when its origin, the actor's, says the actor
	// controls it.
	body, _, err := s.Get(ctx, docURL, "")
	if err != nil {
		return nil, err
	}
	var key struct {
		ID                 string `json:"id"`
		Type               string `json:"type"`
		Controller         string `json:"controller"`
		PublicKeyMultibase string `json:"publicKeyMultibase"`
	}
	if err := json.Unmarshal(body, &key); err != nil {
		return nil, fmt.Errorf("key %s: %w", keyID, err)
	}
	if key.ID != keyID || key.Type != integrity.TypeMultikey || key.Controller != author {
		return nil, fmt.Errorf("key document %s is not a Multikey %s controlled by %s", docURL, keyID, author)
	}
	return integrity.DecodePublicKey(key.PublicKeyMultibase)
}

// assertionKey is the key keyID among the actor's assertionMethod keys.
func assertionKey(a *vocab.Actor, keyID, author string) (ed25519.PublicKey, error) {
	for _, k := range a.AssertionKeys {
		if k.ID != keyID {
			continue
		}
		if k.Controller != author {
			return nil, fmt.Errorf("key %s is controlled by %s, not by %s", keyID, k.Controller, author)
		}
		return integrity.DecodePublicKey(k.PublicKeyMultibase)
	}
	return nil, fmt.Errorf("%s publishes no assertion key %s", author, keyID)
}

// verifyDetached verifies a document's proof as it stands, and else without
// its Linked Data signature: Fedify and Mastodon-compatible servers sign the
// document with an RsaSignature2017 "signature" after its proof was made,
// so the proof covers the document without it.
func verifyDetached(doc map[string]any, pub ed25519.PublicKey) error {
	err := integrity.Verify(doc, pub)
	if _, signed := doc["signature"]; err == nil || !signed || !errors.Is(err, integrity.ErrBadProof) {
		return err
	}
	detached := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "signature" {
			detached[k] = v
		}
	}
	return integrity.Verify(detached, pub)
}

// provenEmbedded returns the object embedded in an activity when it carries
// a valid proof by its own author, on the author's origin: then it is
// believed whoever relays it (a boost), without asking its server. nil
// otherwise.
func (s *Service) provenEmbedded(ctx context.Context, act *vocab.Activity) *vocab.Object {
	raw, ok := act.Raw["object"].(map[string]any)
	obj := act.Object
	if !ok || obj == nil || raw["proof"] == nil || obj.AttributedTo == "" || !SameOrigin(obj.ID, obj.AttributedTo) {
		return nil
	}
	if err := s.verifyProofOf(ctx, raw, obj.AttributedTo); err != nil {
		slog.Info("inbox: proof of embedded object refused", "activity", act.ID, "object", obj.ID, "err", err)
		return nil
	}
	return obj
}
