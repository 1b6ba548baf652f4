package federation

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"database/sql"
	"encoding/pem"
	"errors"
	"fmt"
)

// loadOrCreateProofKey reads the owner's Ed25519 key, which signs object
// integrity proofs, and generates it when the site has none yet (a new
// site, or one created before proofs). It is stored in the row of the RSA
// key, so that backing up or moving one moves both; the row is made here
// when the RSA keys (made on first use) are not yet. Two processes starting
// at once both generate a key; the first write wins and both read that.
func loadOrCreateProofKey(ctx context.Context, db *sql.DB) (ed25519.PrivateKey, error) {
	key, err := readProofKey(ctx, db)
	if !errors.Is(err, ErrNotFound) {
		return key, err
	}
	_, fresh, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate proof key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(fresh)
	if err != nil {
		return nil, fmt.Errorf("encode proof key: %w", err)
	}
	text := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	if _, err := db.ExecContext(ctx, `INSERT INTO site_key(id, private_pem, public_pem, created, proof_private_pem)
		VALUES(1, '', '', 0, ?) ON CONFLICT(id) DO UPDATE SET proof_private_pem = excluded.proof_private_pem
		WHERE site_key.proof_private_pem = ''`, text); err != nil {
		return nil, fmt.Errorf("store proof key: %w", err)
	}
	return readProofKey(ctx, db)
}

// readProofKey returns the stored key, ErrNotFound when there is none yet.
func readProofKey(ctx context.Context, db *sql.DB) (ed25519.PrivateKey, error) {
	var text string
	err := db.QueryRowContext(ctx, `SELECT proof_private_pem FROM site_key WHERE id = 1`).Scan(&text)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read proof key: %w", ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read proof key: %w", err)
	}
	if text == "" {
		return nil, fmt.Errorf("read proof key: %w", ErrNotFound)
	}
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, errors.New("read proof key: stored key is not PEM")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("read proof key: %w", err)
	}
	key, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, errors.New("read proof key: stored key is not Ed25519")
	}
	return key, nil
}
