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
	"time"
)

// keyBits is the size of the site's RSA key. Mastodon and every other major
// server use RSA-2048 for HTTP signatures; some refuse anything else.
const keyBits = 2048

// loadOrCreateKey reads the site's key pair, generating and storing it on
// first start. Two processes starting at once both generate a key, but only
// the first insert wins and both then read that one.
func loadOrCreateKey(ctx context.Context, db *sql.DB, now time.Time) (*rsa.PrivateKey, string, error) {
	key, pub, err := readKey(ctx, db)
	if err == nil {
		return key, pub, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, "", err
	}
	fresh, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, "", fmt.Errorf("generate key: %w", err)
	}
	privPEM, pubPEM, err := encodeKey(fresh)
	if err != nil {
		return nil, "", err
	}
	// The row may hold only the proof key so far (keys_proof.go).
	if _, err := db.ExecContext(ctx, `INSERT INTO site_key(id, private_pem, public_pem, created) VALUES(1, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET private_pem = excluded.private_pem, public_pem = excluded.public_pem,
			created = excluded.created WHERE site_key.private_pem = ''`, privPEM, pubPEM, now.Unix()); err != nil {
		return nil, "", fmt.Errorf("store key: %w", err)
	}
	return readKey(ctx, db)
}

func readKey(ctx context.Context, db *sql.DB) (*rsa.PrivateKey, string, error) {
	var privPEM, pubPEM string
	err := db.QueryRowContext(ctx, `SELECT private_pem, public_pem FROM site_key WHERE id = 1`).Scan(&privPEM, &pubPEM)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", fmt.Errorf("read key: %w", ErrNotFound)
	}
	if err != nil {
		return nil, "", fmt.Errorf("read key: %w", err)
	}
	if privPEM == "" { // only the proof key is made yet
		return nil, "", fmt.Errorf("read key: %w", ErrNotFound)
	}
	block, _ := pem.Decode([]byte(privPEM))
	if block == nil {
		return nil, "", errors.New("read key: stored private key is not PEM")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, "", fmt.Errorf("read key: %w", err)
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, "", errors.New("read key: stored key is not RSA")
	}
	return key, pubPEM, nil
}

// encodeKey writes the private key as PKCS#8 and the public key as
// SubjectPublicKeyInfo ("PUBLIC KEY"), the form peers expect in publicKeyPem.
func encodeKey(key *rsa.PrivateKey) (privPEM, pubPEM string, err error) {
	priv, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", fmt.Errorf("encode key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return "", "", fmt.Errorf("encode key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: priv})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})), nil
}
