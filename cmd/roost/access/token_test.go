package access

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"roost/cmd/roost/database"
	"strings"
	"testing"
	"time"
)

func TestCreateTokenSecretNotStored(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, db := newTestStore(t, dir)
	now := time.Date(2025, 5, 6, 7, 8, 0, 0, time.UTC)
	tok, secret, err := s.CreateToken(ctx, "phone", "create media", now)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "roost_") || len(secret) < 40 {
		t.Errorf("secret %q: want a long roost_ string", secret)
	}
	if tok.ID == 0 || tok.Name != "phone" || tok.Scope != "create media" || !tok.Created.Equal(now) {
		t.Errorf("token = %+v", tok)
	}
	_, other, err := s.CreateToken(ctx, "laptop", "", now)
	if err != nil {
		t.Fatal(err)
	}
	if other == secret {
		t.Fatal("two tokens share a secret")
	}

	// No column of the tokens table holds the secret or its random part.
	rows, err := db.Query(`SELECT id, name, hash, scope, created, last_used FROM tokens`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	random := strings.TrimPrefix(secret, "roost_")
	for rows.Next() {
		var cols [6]string
		if err := rows.Scan(&cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5]); err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			if strings.Contains(c, random) {
				t.Errorf("tokens row %v holds the secret", cols)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}

	// Nor do the bytes on disk (the main file and the write-ahead log); a
	// PostgreSQL server's files are its own, the rows above are what it keeps.
	if database.IsPostgres(db) {
		return
	}
	files, _ := filepath.Glob(filepath.Join(dir, "roost.db*"))
	if len(files) == 0 {
		t.Fatal("no database files found")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(random)) {
			t.Errorf("%s contains the token secret", filepath.Base(f))
		}
	}
}

func TestCreateTokenDefaults(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, t.TempDir())
	now := time.Date(2025, 5, 6, 7, 8, 0, 0, time.UTC)
	tok, _, err := s.CreateToken(ctx, "", "", now)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Name != "token 2025-05-06 07:08" {
		t.Errorf("default name = %q", tok.Name)
	}
	if tok.Scope != DefaultTokenScope {
		t.Errorf("default scope = %q, want %q", tok.Scope, DefaultTokenScope)
	}
}

func TestVerifyToken(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, t.TempDir())
	start := time.Date(2025, 5, 6, 7, 8, 0, 0, time.UTC)
	made, secret, err := s.CreateToken(ctx, "micropub", "create", start)
	if err != nil {
		t.Fatal(err)
	}
	// Each use is at an offset from start; lastUsed is what the token
	// should report afterwards: a use counts only if the recorded one is
	// more than a minute old.
	uses := []struct {
		at, lastUsed time.Duration
	}{
		{10 * time.Second, 10 * time.Second},
		{40 * time.Second, 10 * time.Second},
		{70 * time.Second, 10 * time.Second},
		{71 * time.Second, 71 * time.Second},
		{2 * time.Minute, 71 * time.Second},
		{time.Hour, time.Hour},
	}
	for _, u := range uses {
		got, err := s.VerifyToken(ctx, secret, start.Add(u.at))
		if err != nil {
			t.Fatalf("VerifyToken at +%v: %v", u.at, err)
		}
		if got.ID != made.ID || got.Name != "micropub" || got.Scope != "create" || !got.Created.Equal(start) {
			t.Errorf("VerifyToken at +%v = %+v, want token %+v", u.at, got, made)
		}
		want := start.Add(u.lastUsed)
		if !got.LastUsed.Equal(want) {
			t.Errorf("VerifyToken at +%v: LastUsed = +%v, want +%v", u.at, got.LastUsed.Sub(start), u.lastUsed)
		}
		list, err := s.Tokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || !list[0].LastUsed.Equal(want) {
			t.Errorf("after use at +%v: Tokens() = %+v, want LastUsed +%v", u.at, list, u.lastUsed)
		}
	}
}

func TestVerifyTokenUnknown(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, t.TempDir())
	now := time.Now()
	_, secret, err := s.CreateToken(ctx, "a", "", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "roost_", secret + "x", secret[:len(secret)-1], strings.ToUpper(secret)} {
		if _, err := s.VerifyToken(ctx, bad, now); !errors.Is(err, ErrNotFound) {
			t.Errorf("VerifyToken(%q) = %v, want ErrNotFound", bad, err)
		}
	}
}

func TestRevokeToken(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, t.TempDir())
	now := time.Now()
	keep, keepSecret, err := s.CreateToken(ctx, "keep", "", now)
	if err != nil {
		t.Fatal(err)
	}
	drop, dropSecret, err := s.CreateToken(ctx, "drop", "", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, drop.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyToken(ctx, dropSecret, now); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoked token verifies: %v", err)
	}
	if _, err := s.VerifyToken(ctx, keepSecret, now); err != nil {
		t.Errorf("revoking one token broke another: %v", err)
	}
	if err := s.RevokeToken(ctx, drop.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoking twice = %v, want ErrNotFound", err)
	}
	if err := s.RevokeToken(ctx, 9999); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoking unknown id = %v, want ErrNotFound", err)
	}
	list, err := s.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != keep.ID {
		t.Errorf("Tokens() = %+v, want only %q", list, keep.Name)
	}
}

func TestTokensOrder(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, t.TempDir())
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	names := []string{"first", "second", "third"}
	for i, n := range names {
		if _, _, err := s.CreateToken(ctx, n, "read", now.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.Tokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(names) {
		t.Fatalf("Tokens() has %d entries, want %d", len(list), len(names))
	}
	for i, tok := range list {
		if tok.Name != names[i] || !tok.Created.Equal(now.Add(time.Duration(i)*time.Hour)) || !tok.LastUsed.IsZero() {
			t.Errorf("Tokens()[%d] = %+v", i, tok)
		}
	}
}

func TestHasScope(t *testing.T) {
	tests := []struct {
		scope, ask string
		want       bool
	}{
		{DefaultTokenScope, "create", true},
		{DefaultTokenScope, "media", true},
		{DefaultTokenScope, "read", true},
		{"create update", "update", true},
		{"create  update", "update", true},
		{"create update", "delete", false},
		{"create update", "up", false},
		{"create update", "create update", false},
		{"create update", "", false},
		{"", "create", false},
		{"create", "Create", false},
	}
	for _, tt := range tests {
		if got := (Token{Scope: tt.scope}).HasScope(tt.ask); got != tt.want {
			t.Errorf("Token{Scope: %q}.HasScope(%q) = %v, want %v", tt.scope, tt.ask, got, tt.want)
		}
	}
}
