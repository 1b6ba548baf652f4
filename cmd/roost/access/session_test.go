package access

import (
	"context"
	"testing"
	"time"
)

func TestSessionLifetime(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, t.TempDir())
	start := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	id, err := s.NewSession(ctx, start)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		id   string
		at   time.Time
		want bool
	}{
		{"at once", id, start, true},
		{"a week later", id, start.Add(7 * 24 * time.Hour), true},
		{"a second before the end", id, start.Add(SessionLifetime - time.Second), true},
		{"at the end", id, start.Add(SessionLifetime), false},
		{"long after", id, start.Add(2 * SessionLifetime), false},
		{"empty id", "", start, false},
		{"unknown id", "not-a-session", start, false},
		{"id with a byte more", id + "A", start, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.SessionValid(ctx, tt.id, tt.at); got != tt.want {
				t.Errorf("SessionValid at %v = %v, want %v", tt.at.Sub(start), got, tt.want)
			}
		})
	}
}

func TestSessionIDsDifferAndAreStoredHashed(t *testing.T) {
	ctx := context.Background()
	s, db := newTestStore(t, t.TempDir())
	now := time.Now()
	a, err := s.NewSession(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.NewSession(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if a == b || len(a) < 40 {
		t.Fatalf("session ids %q and %q: want two long, different secrets", a, b)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sessions WHERE id_hash IN (?, ?)`, a, b).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Error("session ids are stored in the clear")
	}
}

func TestEndSession(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(t, t.TempDir())
	now := time.Now()
	phone, err := s.NewSession(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	laptop, err := s.NewSession(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EndSession(ctx, phone); err != nil {
		t.Fatal(err)
	}
	if s.SessionValid(ctx, phone, now) {
		t.Error("ended session is still valid")
	}
	if !s.SessionValid(ctx, laptop, now) {
		t.Error("ending one session ended another")
	}
	// Ending an unknown or already ended session is harmless (double logout).
	for _, id := range []string{phone, "", "unknown"} {
		if err := s.EndSession(ctx, id); err != nil {
			t.Errorf("EndSession(%q) = %v", id, err)
		}
	}
}

func TestNewSessionForgetsExpired(t *testing.T) {
	ctx := context.Background()
	s, db := newTestStore(t, t.TempDir())
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.NewSession(ctx, start); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NewSession(ctx, start.Add(SessionLifetime+time.Hour)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sessions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("%d session rows after the first expired, want 1", n)
	}
}
