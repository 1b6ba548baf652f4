package federation

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"roost/cmd/roost/database"
	"roost/federation/vocab"
)

// A site keeps no key until it first federates; the key its actor
// document then shows is stored, so a restart (another Service on the same
// database) serves and signs with the same one.
func TestKeysMadeOnFirstUseAndKept(t *testing.T) {
	ctx := context.Background()
	db, err := database.OpenTemp(t.TempDir(), database.Room{Name: "federation", Steps: Migrations})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := Config{DB: db, BaseURL: "http://alice.test", Now: time.Now}
	s, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// Only the Ed25519 proof key, quick to make, is there from the start.
	var keys int
	if err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM site_key WHERE private_pem <> '') + (SELECT COUNT(*) FROM instance_key)`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if keys != 0 {
		t.Fatalf("a fresh site holds %d RSA keys before it federates", keys)
	}
	mux := http.NewServeMux()
	s.Routes(mux)
	actorKey := func(mux *http.ServeMux, path string) string {
		t.Helper()
		w := (&site{mux: mux}).get(t, path, vocab.ContentTypeActivity)
		if w.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
		}
		var doc struct {
			PublicKey struct {
				PublicKeyPem string `json:"publicKeyPem"`
			} `json:"publicKey"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || doc.PublicKey.PublicKeyPem == "" {
			t.Fatalf("GET %s: no public key (%v): %s", path, err, w.Body)
		}
		return doc.PublicKey.PublicKeyPem
	}
	owner, instance := actorKey(mux, "/actor"), actorKey(mux, instanceActorPath)
	if owner == instance {
		t.Error("the owner and the instance actor share a key")
	}
	signer, err := s.ownerSigner(ctx)
	if err != nil || signer.Key == nil {
		t.Fatalf("owner signer: %v", err)
	}

	again, err := New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux = http.NewServeMux()
	again.Routes(mux)
	if actorKey(mux, "/actor") != owner || actorKey(mux, instanceActorPath) != instance {
		t.Error("a restarted site shows other keys than it made")
	}
	signed, err := again.ownerSigner(ctx)
	if err != nil || !signed.Key.Equal(signer.Key) {
		t.Errorf("a restarted site signs with another key (%v)", err)
	}
}
