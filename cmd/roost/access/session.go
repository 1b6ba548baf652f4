package access

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"
)

// SessionLifetime is how long a login lasts without logging in again.
const SessionLifetime = 30 * 24 * time.Hour

// digest is how secrets (session ids, tokens, set-up codes) are stored: they
// are long random strings, so a fast hash is enough to make a leaked database
// useless for logging in.
func digest(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewSession starts a login session and returns its secret id for the cookie.
func (s *Store) NewSession(ctx context.Context, now time.Time) (string, error) {
	id := base64.RawURLEncoding.EncodeToString(randomBytes(32))
	_, err := s.db.ExecContext(ctx, `INSERT INTO sessions(id_hash, created, expires) VALUES(?, ?, ?)`,
		digest(id), now.Unix(), now.Add(SessionLifetime).Unix())
	if err != nil {
		return "", fmt.Errorf("new session: %w", err)
	}
	// Forget expired sessions while we are here; there are only ever a few.
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires < ?`, now.Unix()); err != nil {
		return "", fmt.Errorf("new session: %w", err)
	}
	return id, nil
}

// SessionValid tells whether id names a live session.
func (s *Store) SessionValid(ctx context.Context, id string, now time.Time) bool {
	if id == "" {
		return false
	}
	var expires int64
	err := s.db.QueryRowContext(ctx, `SELECT expires FROM sessions WHERE id_hash = ?`, digest(id)).Scan(&expires)
	return err == nil && expires > now.Unix()
}

// EndSession logs a session out.
func (s *Store) EndSession(ctx context.Context, id string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = ?`, digest(id)); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}
