package federation

import (
	"context"
	"crypto/ed25519"
	"crypto/rsa"
	"database/sql"
	"sync"
	"time"

	"roost/federation/httpsig"
)

// An RSA-2048 key takes tens of milliseconds of CPU to generate and a few
// kilobytes once parsed. A provider creating a thousand sites would spend
// minutes generating keys that many of its sites need only when they first
// federate, and would hold them in memory for sites nobody reads. So each
// key pair is read from the database, or generated and stored, the first
// time a signature or an actor document needs it, and kept from then on.

// lazyKey is one of the site's key pairs, loaded on first use.
type lazyKey struct {
	load func(ctx context.Context) (*rsa.PrivateKey, string, error)

	mu  sync.Mutex
	key *rsa.PrivateKey
	pub string
}

// get returns the key pair, loading or generating it the first time. The
// work outlives the request that asked: a cancelled request must not throw
// away a key half made, nor leave the next one to start again.
func (k *lazyKey) get(ctx context.Context) (*rsa.PrivateKey, string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, k.pub, nil
	}
	key, pub, err := k.load(context.WithoutCancel(ctx))
	if err != nil {
		return nil, "", err
	}
	k.key, k.pub = key, pub
	return key, pub, nil
}

func ownerKey(db *sql.DB, now func() time.Time) *lazyKey {
	return &lazyKey{load: func(ctx context.Context) (*rsa.PrivateKey, string, error) {
		return loadOrCreateKey(ctx, db, now())
	}}
}

func instanceKey(db *sql.DB) *lazyKey {
	return &lazyKey{load: func(ctx context.Context) (*rsa.PrivateKey, string, error) {
		return loadOrCreateInstanceKey(ctx, db)
	}}
}

// ownerPublicKey is the owner's public key, PEM, for the actor document.
func (s *Service) ownerPublicKey(ctx context.Context) (string, error) {
	_, pub, err := s.ownerKeys.get(ctx)
	return pub, err
}

// ownerSigner signs as the owner: deliveries.
func (s *Service) ownerSigner(ctx context.Context) (httpsig.Signer, error) {
	key, _, err := s.ownerKeys.get(ctx)
	return httpsig.Signer{KeyID: s.KeyID(), Key: key, Now: s.cfg.Now}, err
}

// fetchSigner signs as the instance actor: the site's fetches.
func (s *Service) fetchSigner(ctx context.Context) (httpsig.Signer, error) {
	key, _, err := s.instanceKeys.get(ctx)
	return httpsig.Signer{KeyID: s.InstanceKeyID(), Key: key, Now: s.cfg.Now}, err
}

// proofKey is the owner's Ed25519 key, which signs object integrity
// proofs. Unlike the RSA keys it is read (or made: tens of microseconds)
// when the site is built: proofs are signed inside the transactions that
// publish, where SQLite could not also write a new key.
type proofKey struct {
	db *sql.DB

	mu  sync.Mutex
	key ed25519.PrivateKey
}

func (k *proofKey) get(ctx context.Context) (ed25519.PrivateKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, nil
	}
	key, err := loadOrCreateProofKey(context.WithoutCancel(ctx), k.db)
	if err != nil {
		return nil, err
	}
	k.key = key
	return key, nil
}
