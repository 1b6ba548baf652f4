package access

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes), which
// costs tens of milliseconds on a small server: slow for guessing, quick
// enough for a person logging in.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashing bounds concurrent argon2 computations.
var hashing = make(chan struct{}, 2)

// MinPasswordLength is the shortest password the owner may choose.
const MinPasswordLength = 10

// ErrWrongPassword means the password did not match (or none is set).
var ErrWrongPassword = errors.New("wrong password")

func hashPassword(password string) string {
	salt := randomBytes(16)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemory, argonTime, argonThreads, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// checkPassword compares against an encoded argon2id hash, reading the
// parameters from the hash so that they can be raised later.
func checkPassword(encoded, password string) bool {
	// Each check takes 19 MiB; two at a time keeps a flood of guesses from
	// exhausting memory.
	hashing <- struct{}{}
	defer func() { <-hashing }()
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	// A hash edited by hand could carry parameters argon2 panics on.
	if len(want) == 0 || t < 1 || p < 1 || mem < 8*uint32(p) {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return b
}

// SetPassword replaces the owner's password and ends every login session and
// the set-up link, so a changed password locks out whoever had the old one.
func (s *Store) SetPassword(ctx context.Context, password string) error {
	_, err := s.ChangePassword(ctx, password)
	return err
}

// Revoked counts what a password change ended.
type Revoked struct {
	Sessions, Tokens int64
}

// ChangePassword sets the password and, in the same transaction, ends
// every web session and revokes every app token obtained before: whoever
// learned the old password (or a device that kept a session) loses access
// with it. Tokens made with `roost token create` for scripts stay, as
// personal access tokens do elsewhere; they are revoked one by one.
func (s *Store) ChangePassword(ctx context.Context, password string) (Revoked, error) {
	var out Revoked
	if len([]rune(password)) < MinPasswordLength {
		return out, fmt.Errorf("set password: the password must have at least %d characters", MinPasswordLength)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return out, fmt.Errorf("set password: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO owner_secret(id, password_hash, setup_code_hash) VALUES(1, ?, '')
		ON CONFLICT(id) DO UPDATE SET password_hash = excluded.password_hash, setup_code_hash = ''`, hashPassword(password)); err != nil {
		return out, fmt.Errorf("set password: %w", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions`)
	if err != nil {
		return out, fmt.Errorf("set password: %w", err)
	}
	out.Sessions, _ = res.RowsAffected()
	if s.RevokeTokens != nil {
		if out.Tokens, err = s.RevokeTokens(ctx, tx); err != nil {
			return out, fmt.Errorf("set password: revoke app tokens: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return out, fmt.Errorf("set password: %w", err)
	}
	if s.PasswordChanged != nil {
		s.PasswordChanged()
	}
	return out, nil
}

// HasPassword tells whether the owner has set a password yet.
func (s *Store) HasPassword(ctx context.Context) (bool, error) {
	var h string
	err := s.db.QueryRowContext(ctx, `SELECT password_hash FROM owner_secret WHERE id = 1`).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("has password: %w", err)
	}
	return h != "", nil
}

// CheckPassword returns ErrWrongPassword unless password is the owner's.
func (s *Store) CheckPassword(ctx context.Context, password string) error {
	var h string
	err := s.db.QueryRowContext(ctx, `SELECT password_hash FROM owner_secret WHERE id = 1`).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && h == "") {
		return ErrWrongPassword
	}
	if err != nil {
		return fmt.Errorf("check password: %w", err)
	}
	if !checkPassword(h, password) {
		return ErrWrongPassword
	}
	return nil
}

// NewSetupCode makes the one-time code of the set-up link, replacing any
// earlier one. Only its hash is stored.
func (s *Store) NewSetupCode(ctx context.Context) (string, error) {
	code := base64.RawURLEncoding.EncodeToString(randomBytes(24))
	_, err := s.db.ExecContext(ctx, `INSERT INTO owner_secret(id, setup_code_hash) VALUES(1, ?)
		ON CONFLICT(id) DO UPDATE SET setup_code_hash = excluded.setup_code_hash`, digest(code))
	if err != nil {
		return "", fmt.Errorf("new setup code: %w", err)
	}
	return code, nil
}

// SetupCodeValid tells whether code is the current, unused set-up code.
func (s *Store) SetupCodeValid(ctx context.Context, code string) bool {
	if code == "" {
		return false
	}
	var h string
	err := s.db.QueryRowContext(ctx, `SELECT setup_code_hash FROM owner_secret WHERE id = 1`).Scan(&h)
	return err == nil && h != "" && subtle.ConstantTimeCompare([]byte(h), []byte(digest(code))) == 1
}
