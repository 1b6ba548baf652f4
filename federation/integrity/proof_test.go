package integrity

import (
	"crypto/ed25519"
	"errors"
	"testing"
	"time"
)

// The key of the test vectors of the W3C Data Integrity EdDSA cryptosuites
// specification (also used by FEP-8b32 and FEP-521a).
const (
	vectorSecret = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
	vectorPublic = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
	vectorTime   = "2023-02-24T23:36:38Z"
)

func vectorKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	key, err := DecodeSecretKey(vectorSecret)
	if err != nil {
		t.Fatal(err)
	}
	if got := EncodePublicKey(key.Public().(ed25519.PublicKey)); got != vectorPublic {
		t.Fatalf("public key of the vector's secret key = %s, want %s", got, vectorPublic)
	}
	return key
}

func mustDecode(t *testing.T, s string) map[string]any {
	t.Helper()
	doc, err := Decode([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// FEP-8b32's test vector: a Create signed by alice's key; the proof has no
// @context of its own. It was made before the cryptosuite put the
// document's @context into the signed proof configuration, so it verifies
// only by the older form, which Verify still accepts.
const fep8b32Unsigned = `{
	"@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1"],
	"type": "Create",
	"actor": "https://server.example/users/alice",
	"object": {"type": "Note", "content": "Hello world"}
}`

const fep8b32ProofValue = "z3sXaxjKs4M3BRicwWA9peyNPJvJqxtGsDmpt1jjoHCjgeUf71TRFz56osPSfDErszyLp5Ks1EhYSgpDaNM977Rg2"

func TestVerifyFEP8b32Vector(t *testing.T) {
	doc := mustDecode(t, fep8b32Unsigned)
	doc["proof"] = map[string]any{"type": ProofType, "cryptosuite": Cryptosuite, "proofPurpose": PurposeAssertion,
		"verificationMethod": "https://server.example/users/alice#ed25519-key", "created": vectorTime, "proofValue": fep8b32ProofValue}
	pub, _ := DecodePublicKey(vectorPublic)
	if err := Verify(doc, pub); err != nil {
		t.Fatalf("FEP-8b32's signed Create does not verify: %v", err)
	}
	doc["object"].(map[string]any)["content"] = "Goodbye world"
	if err := Verify(doc, pub); !errors.Is(err, ErrBadProof) {
		t.Errorf("edited Create: Verify = %v, want ErrBadProof", err)
	}
}

func TestSignProducesFEP8b32Proof(t *testing.T) {
	created, _ := time.Parse(time.RFC3339, vectorTime)
	signed, err := Sign(mustDecode(t, fep8b32Unsigned), vectorKey(t), "https://server.example/users/alice#ed25519-key", created)
	if err != nil {
		t.Fatal(err)
	}
	proof := signed["proof"].(map[string]any)
	want := map[string]any{"type": ProofType, "cryptosuite": Cryptosuite, "proofPurpose": PurposeAssertion,
		"verificationMethod": "https://server.example/users/alice#ed25519-key", "created": vectorTime}
	for k, v := range want {
		if proof[k] != v {
			t.Errorf("proof %s = %v, want %v", k, proof[k], v)
		}
	}
	if _, has := proof["@context"]; has {
		t.Error("the proof repeats the @context; FEP-8b32 proofs rely on the document's")
	}
	pub, _ := DecodePublicKey(vectorPublic)
	if err := Verify(signed, pub); err != nil {
		t.Errorf("verify own signature: %v", err)
	}
}

// The specification's own eddsa-jcs-2022 example: a credential whose proof
// repeats the document's @context.
const vcSigned = `{
	"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
	"id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
	"type": ["VerifiableCredential", "AlumniCredential"],
	"name": "Alumni Credential",
	"description": "A minimum viable example of an Alumni Credential.",
	"issuer": "https://vc.example/issuers/5678",
	"validFrom": "2023-01-01T00:00:00Z",
	"credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
	"proof": {
		"type": "DataIntegrityProof",
		"cryptosuite": "eddsa-jcs-2022",
		"created": "2023-02-24T23:36:38Z",
		"verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
		"proofPurpose": "assertionMethod",
		"@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
		"proofValue": "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"
	}
}`

// Signing the credential without its proof gives the specification's
// proofValue byte for byte: the proof configuration is signed under the
// document's @context, which here is also the proof's.
func TestSignReproducesSpecificationVector(t *testing.T) {
	doc := mustDecode(t, vcSigned)
	want := doc["proof"].(map[string]any)["proofValue"]
	delete(doc, "proof")
	created, _ := time.Parse(time.RFC3339, vectorTime)
	signed, err := Sign(doc, vectorKey(t), "did:key:"+vectorPublic+"#"+vectorPublic, created)
	if err != nil {
		t.Fatal(err)
	}
	if got := signed["proof"].(map[string]any)["proofValue"]; got != want {
		t.Errorf("proofValue = %v, want the specification's %v", got, want)
	}
}

func TestVerifySpecificationVector(t *testing.T) {
	pub, err := DecodePublicKey(vectorPublic)
	if err != nil {
		t.Fatal(err)
	}
	doc := mustDecode(t, vcSigned)
	if err := Verify(doc, pub); err != nil {
		t.Fatalf("the specification's example does not verify: %v", err)
	}
	p, err := ProofOf(doc)
	if err != nil || p.Purpose != PurposeAssertion || p.Created.Format(time.RFC3339) != vectorTime {
		t.Errorf("ProofOf = %+v, %v", p, err)
	}
}

func TestVerifyRefusesTampering(t *testing.T) {
	pub, _ := DecodePublicKey(vectorPublic)
	other, _, _ := ed25519.GenerateKey(nil)
	cases := map[string]struct {
		edit func(map[string]any)
		key  ed25519.PublicKey
		want error
	}{
		"content changed":     {func(d map[string]any) { d["name"] = "Forged Credential" }, pub, ErrBadProof},
		"created changed":     {func(d map[string]any) { d["proof"].(map[string]any)["created"] = "2024-01-01T00:00:00Z" }, pub, ErrBadProof},
		"other key":           {func(map[string]any) {}, other, ErrBadProof},
		"context swapped":     {func(d map[string]any) { d["@context"] = []any{"https://www.w3.org/ns/activitystreams"} }, pub, ErrBadProof},
		"no proof":            {func(d map[string]any) { delete(d, "proof") }, pub, ErrNoProof},
		"other suite":         {func(d map[string]any) { d["proof"].(map[string]any)["cryptosuite"] = "eddsa-rdfc-2022" }, pub, ErrNoProof},
		"value not multibase": {func(d map[string]any) { d["proof"].(map[string]any)["proofValue"] = "abc" }, pub, ErrMalformed},
		"created not a date":  {func(d map[string]any) { d["proof"].(map[string]any)["created"] = "yesterday" }, pub, ErrMalformed},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			doc := mustDecode(t, vcSigned)
			c.edit(doc)
			if err := Verify(doc, c.key); !errors.Is(err, c.want) {
				t.Errorf("Verify = %v, want %v", err, c.want)
			}
		})
	}
}

func TestMultikeyRoundTripAndRefusals(t *testing.T) {
	pub, _, _ := ed25519.GenerateKey(nil)
	enc := EncodePublicKey(pub)
	if enc[:4] != "z6Mk" {
		t.Errorf("an Ed25519 Multikey starts with z6Mk, got %s", enc)
	}
	back, err := DecodePublicKey(enc)
	if err != nil || !back.Equal(pub) {
		t.Fatalf("round trip: %v", err)
	}
	for _, bad := range []string{"", "6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "z0OIl", vectorSecret, "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"} {
		if _, err := DecodePublicKey(bad); !errors.Is(err, ErrMultibase) {
			t.Errorf("DecodePublicKey(%q) = %v, want ErrMultibase", bad, err)
		}
	}
}

func TestNumbersKeepTheirCanonicalForm(t *testing.T) {
	// Numbers go through canonicalisation as written, so a location's
	// coordinates sign and verify the same on both ends.
	key := vectorKey(t)
	doc := mustDecode(t, `{"@context":"https://www.w3.org/ns/activitystreams","type":"Note","location":{"longitude":-71.184902,"latitude":25.273962,"altitude":1e2}}`)
	signed, err := Sign(doc, key, "https://a.example/actor#ed25519-key", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := Encode(signed)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(mustDecode(t, string(raw)), key.Public().(ed25519.PublicKey)); err != nil {
		t.Errorf("re-read signed document does not verify: %v", err)
	}
}
