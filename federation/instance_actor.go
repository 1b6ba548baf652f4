package federation

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"database/sql"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"roost/federation/vocab"
)

// The instance actor is the site itself, not its owner: an Application with
// a key of its own that signs every fetch the site makes, as Mastodon's
// instance actor does. Peers in authorized-fetch mode answer only signed
// fetches, and the site should not sign as the owner when it looks up a
// stranger's key or a post someone boosted. Its document is served to
// anyone, signed or not: a peer verifying one of the site's fetches must be
// able to get the key without a signature of its own, or two servers that
// both require signatures would wait on each other for ever.

// instanceActorPath is where the instance actor lives.
const instanceActorPath = "/actor/instance"

// instanceUsername is the instance actor's preferredUsername. Mastodon and
// GoToSocial name theirs after the domain, but on a roost site the domain is
// the owner's default username.
const instanceUsername = "instance.actor"

// InstanceActorID is the site's instance actor.
func (s *Service) InstanceActorID() string { return s.base + instanceActorPath }

// InstanceKeyID names the instance actor's key, the keyId of the site's fetches.
func (s *Service) InstanceKeyID() string { return s.InstanceActorID() + "#main-key" }

// serveInstanceActor writes the instance actor's document.
func (s *Service) serveInstanceActor(w http.ResponseWriter, r *http.Request) {
	_, pub, err := s.instanceKeys.get(r.Context())
	if err != nil {
		slog.Error("serve instance actor", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "actor unavailable")
		return
	}
	doc, err := vocab.MarshalActor(vocab.OutActor{
		ID: s.InstanceActorID(), Type: vocab.TypeApplication, PreferredUsername: instanceUsername,
		Name: s.host, URL: s.ProfileURL(), Inbox: s.SharedInboxURL(), SharedInbox: s.SharedInboxURL(),
		PublicKeyPEM: pub, ManuallyApprovesFollowers: true,
	})
	if err != nil {
		slog.Error("serve instance actor", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "actor unavailable")
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeActivityJSON(w, http.StatusOK, doc)
}

// loadOrCreateInstanceKey reads the instance actor's key pair, generating
// and storing it on first start (the first of two racing inserts wins).
func loadOrCreateInstanceKey(ctx context.Context, db *sql.DB) (*rsa.PrivateKey, string, error) {
	key, pub, err := readInstanceKey(ctx, db)
	if !errors.Is(err, ErrNotFound) {
		return key, pub, err
	}
	fresh, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, "", fmt.Errorf("generate instance key: %w", err)
	}
	privPEM, pubPEM, err := encodeKey(fresh)
	if err != nil {
		return nil, "", err
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO instance_key(id, private_pem, public_pem) VALUES(1, ?, ?)
		ON CONFLICT(id) DO NOTHING`, privPEM, pubPEM); err != nil {
		return nil, "", fmt.Errorf("store instance key: %w", err)
	}
	return readInstanceKey(ctx, db)
}

func readInstanceKey(ctx context.Context, db *sql.DB) (*rsa.PrivateKey, string, error) {
	var privPEM, pubPEM string
	err := db.QueryRowContext(ctx, `SELECT private_pem, public_pem FROM instance_key WHERE id = 1`).Scan(&privPEM, &pubPEM)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("read instance key: %w", ErrNotFound)
	}
	if err != nil {
		return nil, "", fmt.Errorf("read instance key: %w", err)
	}
	block, _ := pem.Decode([]byte(privPEM))
	if block == nil {
		return nil, "", errors.New("read instance key: not PEM")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, "", fmt.Errorf("read instance key: %w", err)
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, "", errors.New("read instance key: not RSA")
	}
	return key, pubPEM, nil
}
