package federation

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"roost/federation/integrity"
	"roost/federation/vocab"
)

// A site made before object proofs has no Ed25519 key: it gets one at its
// next start, and keeps it from then on.
func TestProofKeyIsCreatedOnceAndKept(t *testing.T) {
	s := newTestSite(t, newTestNet())
	first := proofKeyOf(t, s)
	if len(first) != ed25519.PrivateKeySize {
		t.Fatalf("no Ed25519 key: %v", first)
	}
	again := newTestSiteOn(t, s.cfg.DB, newTestNet())
	if !proofKeyOf(t, again).Equal(first) {
		t.Error("a restart made a new proof key")
	}
	if _, err := s.cfg.DB.Exec(`UPDATE site_key SET proof_private_pem = '' WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	upgraded := newTestSiteOn(t, s.cfg.DB, newTestNet())
	if len(proofKeyOf(t, upgraded)) != ed25519.PrivateKeySize || proofKeyOf(t, upgraded).Equal(first) {
		t.Fatal("a site without a proof key did not get a new one")
	}
	if kept := newTestSiteOn(t, s.cfg.DB, newTestNet()); !proofKeyOf(t, kept).Equal(proofKeyOf(t, upgraded)) {
		t.Error("the key made at the upgrade was not stored")
	}
}

// Fedify and Mastodon-compatible servers add a Linked Data signature after
// the proof: the proof still verifies, and a changed document still fails.
func TestProofVerifiesUnderALaterLinkedDataSignature(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(nil)
	doc, _ := integrity.Decode([]byte(`{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/data-integrity/v1"],
		"id":"https://peer.example/notes/1/activity","type":"Create","actor":"https://peer.example/users/p",
		"object":{"id":"https://peer.example/notes/1","type":"Note","content":"hi"}}`))
	signed, err := integrity.Sign(doc, key, "https://peer.example/users/p#key-2", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	signed["signature"] = map[string]any{"type": "RsaSignature2017", "creator": "https://peer.example/users/p#main-key", "signatureValue": "AAAA"}
	pub := key.Public().(ed25519.PublicKey)
	if err := verifyDetached(signed, pub); err != nil {
		t.Errorf("proof under a later signature: %v", err)
	}
	signed["object"].(map[string]any)["content"] = "forged"
	if err := verifyDetached(signed, pub); err == nil {
		t.Error("a changed document verifies")
	}
}

// A proof's key may be a Multikey document of its own (FEP-521a), which
// must name the actor as its controller.
func TestProofKeyInItsOwnDocument(t *testing.T) {
	f := newInboxFixture(t)
	_, key, _ := ed25519.GenerateKey(nil)
	keyID := f.bobID + "/keys/1"
	controller := f.bobID
	f.bob.extra.HandleFunc("GET /users/bob/keys/1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", vocab.ContentTypeActivity)
		json.NewEncoder(w).Encode(map[string]any{"@context": integrity.ContextMultikey, "id": keyID, "type": integrity.TypeMultikey,
			"controller": controller, "publicKeyMultibase": integrity.EncodePublicKey(key.Public().(ed25519.PublicKey))})
	})
	body := signAs(t, createOf(note(f.bobID+"/statuses/30", f.bobID)), key, keyID)
	if err := f.site.verifyProof(context.Background(), body, f.bobID); err != nil {
		t.Errorf("proof by bob's own key document: %v", err)
	}
	controller = "http://bob.test/users/mallory"
	if err := f.site.verifyProof(context.Background(), body, f.bobID); err == nil {
		t.Error("a key controlled by someone else vouches for bob")
	}
}

// Forged proofs do not make the site fetch the named key each time: after
// one refetch in case the key rotated, the cached document answers.
func TestForgedProofsCostOneKeyFetch(t *testing.T) {
	f := newInboxFixture(t)
	_, forger, _ := ed25519.GenerateKey(nil)
	for i := range 5 {
		body := signAs(t, createOf(note(f.bobID+"/statuses/5"+string(rune('0'+i)), f.bobID)), forger, f.bobID+"#ed25519-key")
		if w := f.postRaw(t, body, f.bobID+"#main-key", f.bobKey, time.Now()); w.Code != http.StatusUnauthorized {
			t.Fatalf("forged proof %d: %d %s", i, w.Code, w.Body)
		}
	}
	// One fetch for the HTTP signature's key, one refetch for the proof's.
	if n := f.bob.fetches("/users/bob"); n > 2 {
		t.Errorf("bob's actor was fetched %d times for 5 forged proofs", n)
	}
}

// proofKeyOf is a test site's proof key, made if it has none yet.
func proofKeyOf(t testing.TB, s *site) ed25519.PrivateKey {
	t.Helper()
	key, err := s.proofKeys.get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return key
}
