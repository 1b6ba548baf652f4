package access

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// AuthCode is an IndieAuth authorization code's grant: what the owner
// allowed, to which client, for which PKCE challenge.
type AuthCode struct {
	ClientID, RedirectURI, Challenge string
	Scopes                           []string
	Expires                          time.Time
}

// ErrNoSuchCode is TakeAuthCode's answer for a code that is unknown,
// already redeemed or expired.
var ErrNoSuchCode = errors.New("no such authorization code")

func codeHash(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// SaveAuthCode stores a code's grant under the code's hash (a copy of the
// database gives no usable code), dropping the expired ones.
func (s *Store) SaveAuthCode(ctx context.Context, code string, c AuthCode, now time.Time) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM indieauth_codes WHERE expires < ?`, now.UnixMilli()); err != nil {
		return fmt.Errorf("prune authorization codes: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO indieauth_codes (code_hash, client_id, redirect_uri, challenge, scopes, expires)
		VALUES (?, ?, ?, ?, ?, ?)`, codeHash(code), c.ClientID, c.RedirectURI, c.Challenge,
		strings.Join(c.Scopes, " "), c.Expires.UnixMilli()); err != nil {
		return fmt.Errorf("save authorization code: %w", err)
	}
	return tx.Commit()
}

// TakeAuthCode redeems a code: it is deleted whatever comes next, so each
// code is tried once, even by two processes at the same moment.
func (s *Store) TakeAuthCode(ctx context.Context, code string, now time.Time) (AuthCode, error) {
	var c AuthCode
	var scopes string
	var expires int64
	err := s.db.QueryRowContext(ctx, `DELETE FROM indieauth_codes WHERE code_hash = ?
		RETURNING client_id, redirect_uri, challenge, scopes, expires`, codeHash(code)).
		Scan(&c.ClientID, &c.RedirectURI, &c.Challenge, &scopes, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return AuthCode{}, ErrNoSuchCode
	}
	if err != nil {
		return AuthCode{}, fmt.Errorf("take authorization code: %w", err)
	}
	c.Scopes, c.Expires = strings.Fields(scopes), time.UnixMilli(expires)
	if now.After(c.Expires) {
		return AuthCode{}, ErrNoSuchCode
	}
	return c, nil
}
