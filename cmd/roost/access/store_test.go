package access

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"roost/cmd/roost/database"
)

// newTestStore gives each test a database file of its own in dir.
func newTestStore(t *testing.T, dir string) (*Store, *sql.DB) {
	t.Helper()
	db, err := database.OpenTemp(dir, database.Room{Name: "access", Steps: Migrations})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return NewStore(db), db
}

const goodPassword = "correct horse battery"

func TestSetPasswordLength(t *testing.T) {
	tests := []struct {
		name     string
		password string
		ok       bool
	}{
		{"empty", "", false},
		{"nine ASCII", "123456789", false},
		{"nine runes in eighteen bytes", strings.Repeat("é", 9), false},
		{"ten ASCII", "1234567890", true},
		{"ten runes", strings.Repeat("é", 10), true},
		{"long", goodPassword, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := newTestStore(t, t.TempDir())
			err := s.SetPassword(ctx, tt.password)
			if (err == nil) != tt.ok {
				t.Fatalf("SetPassword(%q) = %v, want ok=%v", tt.password, err, tt.ok)
			}
			has, err := s.HasPassword(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if has != tt.ok {
				t.Errorf("HasPassword = %v after SetPassword(%q), want %v", has, tt.password, tt.ok)
			}
		})
	}
}

func TestSetPasswordRejectedKeepsOld(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, t.TempDir())
	if err := s.SetPassword(ctx, goodPassword); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPassword(ctx, "short"); err == nil {
		t.Fatal("short password accepted")
	}
	if err := s.CheckPassword(ctx, goodPassword); err != nil {
		t.Errorf("old password stopped working after a rejected change: %v", err)
	}
}

func TestCheckPassword(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, t.TempDir())
	if err := s.CheckPassword(ctx, goodPassword); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("with no password set: CheckPassword = %v, want ErrWrongPassword", err)
	}
	if err := s.CheckPassword(ctx, ""); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("with no password set: CheckPassword(\"\") = %v, want ErrWrongPassword", err)
	}
	// A set-up code creates the row with an empty hash; that is still "no password".
	if _, err := s.NewSetupCode(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.CheckPassword(ctx, ""); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("with only a set-up code: CheckPassword(\"\") = %v, want ErrWrongPassword", err)
	}
	if err := s.SetPassword(ctx, goodPassword); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		password string
		want     error
	}{
		{goodPassword, nil},
		{"correct horse battery ", ErrWrongPassword},
		{"Correct horse battery", ErrWrongPassword},
		{"", ErrWrongPassword},
		{"something else entirely", ErrWrongPassword},
	}
	for _, tt := range tests {
		if err := s.CheckPassword(ctx, tt.password); !errors.Is(err, tt.want) {
			t.Errorf("CheckPassword(%q) = %v, want %v", tt.password, err, tt.want)
		}
	}
}

func TestPasswordStoredAsArgon2id(t *testing.T) {
	ctx := context.Background()
	s, db := newTestStore(t, t.TempDir())
	hashes := map[string]bool{}
	for range 2 {
		if err := s.SetPassword(ctx, goodPassword); err != nil {
			t.Fatal(err)
		}
		var h string
		if err := db.QueryRow(`SELECT password_hash FROM owner_secret WHERE id = 1`).Scan(&h); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Errorf("stored hash %q is not argon2id with the expected parameters", h)
		}
		if strings.Contains(h, goodPassword) {
			t.Errorf("stored hash %q contains the password", h)
		}
		hashes[h] = true
	}
	if len(hashes) != 2 {
		t.Error("the same password hashed twice gave the same hash: no random salt")
	}
}

func TestSetPasswordEndsSessions(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, t.TempDir())
	now := time.Now()
	if err := s.SetPassword(ctx, goodPassword); err != nil {
		t.Fatal(err)
	}
	id, err := s.NewSession(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if !s.SessionValid(ctx, id, now) {
		t.Fatal("new session is not valid")
	}
	if err := s.SetPassword(ctx, "a brand new password"); err != nil {
		t.Fatal(err)
	}
	if s.SessionValid(ctx, id, now) {
		t.Error("session survived a password change")
	}
	if err := s.CheckPassword(ctx, goodPassword); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("old password still works after a change: %v", err)
	}
}

func TestSetupCode(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, t.TempDir())
	if s.SetupCodeValid(ctx, "") || s.SetupCodeValid(ctx, "anything") {
		t.Fatal("a set-up code is valid before any was made")
	}
	first, err := s.NewSetupCode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !s.SetupCodeValid(ctx, first) {
		t.Fatal("fresh set-up code is not valid")
	}
	second, err := s.NewSetupCode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first == second {
		t.Fatal("two set-up codes are equal")
	}
	checks := []struct {
		code string
		want bool
	}{
		{first, false},
		{second, true},
		{"", false},
		{second + "x", false},
	}
	for _, c := range checks {
		if got := s.SetupCodeValid(ctx, c.code); got != c.want {
			t.Errorf("SetupCodeValid(%q) = %v, want %v", c.code, got, c.want)
		}
	}
	if err := s.SetPassword(ctx, goodPassword); err != nil {
		t.Fatal(err)
	}
	if s.SetupCodeValid(ctx, second) {
		t.Error("set-up code still valid after the password was set")
	}
	// A later set-up link (roost passwd lost) must not wipe the password.
	third, err := s.NewSetupCode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !s.SetupCodeValid(ctx, third) {
		t.Error("set-up code made after a password is not valid")
	}
	if err := s.CheckPassword(ctx, goodPassword); err != nil {
		t.Errorf("making a set-up code cleared the password: %v", err)
	}
}

func TestSetupCodeStoredHashed(t *testing.T) {
	ctx := context.Background()
	s, db := newTestStore(t, t.TempDir())
	code, err := s.NewSetupCode(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var h string
	if err := db.QueryRow(`SELECT setup_code_hash FROM owner_secret`).Scan(&h); err != nil {
		t.Fatal(err)
	}
	if h == "" || strings.Contains(h, code) {
		t.Errorf("set-up code stored as %q, want a hash of %q", h, code)
	}
}
