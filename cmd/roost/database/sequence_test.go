package database

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func TestSequenceNeverGoesBackwards(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "seq.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	if _, err := db.Exec(`CREATE TABLE things(id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	// A row stored by a process whose clock ran a day ahead.
	ahead := time.Now().Add(24*time.Hour).UnixMilli() << 16
	if _, err := db.Exec(`INSERT INTO things(id) VALUES(?)`, ahead); err != nil {
		t.Fatal(err)
	}
	clock := time.Now()
	seq, err := NewSequence(ctx, db, func() time.Time { return clock }, `SELECT MAX(id) FROM things`, `SELECT MAX(id) FROM things WHERE 0`)
	if err != nil {
		t.Fatal(err)
	}
	prev := ahead
	for i := range 1000 {
		if i == 500 {
			clock = clock.Add(-time.Hour) // the clock steps back
		}
		id := seq.Next()
		if id <= prev {
			t.Fatalf("id %d after %d: went backwards", id, prev)
		}
		prev = id
	}
}

func TestSequenceFollowsTheClock(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "seq.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	seq, err := NewSequence(context.Background(), db, func() time.Time { return at })
	if err != nil {
		t.Fatal(err)
	}
	if got := time.UnixMilli(seq.Next() >> 16).UTC(); !got.Equal(at) {
		t.Fatalf("id reads as %v, want %v", got, at)
	}
}
