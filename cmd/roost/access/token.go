package access

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrNotFound means no such token.
var ErrNotFound = errors.New("not found")

// DefaultTokenScope is what `roost token create` grants: everything a
// Micropub client or a script may do.
const DefaultTokenScope = "create update delete media read"

// Token describes a bearer token; the secret itself is shown once and kept
// only as a hash.
type Token struct {
	ID       int64
	Name     string
	Scope    string
	Created  time.Time
	LastUsed time.Time
}

// HasScope tells whether the token grants scope.
func (t Token) HasScope(scope string) bool {
	return slices.Contains(strings.Fields(t.Scope), scope)
}

// CreateToken makes a new token and returns its secret.
func (s *Store) CreateToken(ctx context.Context, name, scope string, now time.Time) (Token, string, error) {
	if name == "" {
		name = "token " + now.UTC().Format("2006-01-02 15:04")
	}
	if scope == "" {
		scope = DefaultTokenScope
	}
	secret := "roost_" + base64.RawURLEncoding.EncodeToString(randomBytes(32))
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO tokens(name, hash, scope, created) VALUES(?, ?, ?, ?) RETURNING id`,
		name, digest(secret), scope, now.Unix()).Scan(&id)
	if err != nil {
		return Token{}, "", fmt.Errorf("create token: %w", err)
	}
	return Token{ID: id, Name: name, Scope: scope, Created: now}, secret, nil
}

// Tokens lists every token, oldest first.
func (s *Store) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, scope, created, last_used FROM tokens ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var created, used int64
		if err := rows.Scan(&t.ID, &t.Name, &t.Scope, &created, &used); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		t.Created = time.Unix(created, 0)
		if used > 0 {
			t.LastUsed = time.Unix(used, 0)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken deletes a token; ErrNotFound when there is none with that id.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM tokens WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// VerifyToken finds the token whose secret this is.
func (s *Store) VerifyToken(ctx context.Context, secret string, now time.Time) (Token, error) {
	var t Token
	var created, used int64
	err := s.db.QueryRowContext(ctx, `SELECT id, name, scope, created, last_used FROM tokens WHERE hash = ?`,
		digest(secret)).Scan(&t.ID, &t.Name, &t.Scope, &created, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, ErrNotFound
	}
	if err != nil {
		return Token{}, fmt.Errorf("verify token: %w", err)
	}
	t.Created = time.Unix(created, 0)
	// Record use at most once a minute: a busy client should not turn every
	// read into a write.
	if now.Unix()-used > 60 {
		if _, err := s.db.ExecContext(ctx, `UPDATE tokens SET last_used = ? WHERE id = ?`, now.Unix(), t.ID); err != nil {
			return Token{}, fmt.Errorf("verify token: %w", err)
		}
		used = now.Unix()
	}
	t.LastUsed = time.Unix(used, 0)
	return t, nil
}

// RevokeSecret deletes the token whose secret this is (OAuth token
// revocation names the token, not its id); ErrNotFound when none.
func (s *Store) RevokeSecret(ctx context.Context, secret string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM tokens WHERE hash = ?`, digest(secret))
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
