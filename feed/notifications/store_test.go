package notifications_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"roost/cmd/roost/database"
	"roost/feed"
	"roost/feed/notifications"
)

// newStore opens a database with the feed room's schema, which is where
// the notifications table is created.
func newStore(t *testing.T) *notifications.Store {
	t.Helper()
	db, err := database.OpenTemp(t.TempDir(), database.Room{Name: "feed", Steps: feed.Migrations, Postgres: feed.PostgresMigrations})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return notifications.NewStore(db)
}

func ids(t *testing.T, s *notifications.Store, q notifications.Query) []int64 {
	t.Helper()
	page, err := s.Page(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, r := range page {
		out = append(out, r.ID)
	}
	return out
}

func TestOncePerEvent(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	at := time.Unix(1700000000, 0)
	add := func(id int64, typ, text string) bool {
		t.Helper()
		added, err := s.Add(ctx, nil, notifications.Record{ID: id, Type: typ, ActorID: "https://b.test/bob",
			ObjectID: "https://b.test/p/1", Text: text, Created: at})
		if err != nil {
			t.Fatal(err)
		}
		return added
	}
	if !add(1, notifications.Mention, "hi") {
		t.Fatal("first mention not added")
	}
	// A reply that also mentions the owner is the same event.
	if add(2, notifications.Reply, "hi") {
		t.Error("reply after a mention of the same post notified twice")
	}
	if !add(3, notifications.Update, "v1") || !add(4, notifications.Update, "v2") {
		t.Fatal("edits not recorded")
	}
	// The later edit takes the earlier one's place, with its new id.
	if got := ids(t, s, notifications.Query{Limit: 10}); len(got) != 2 || got[0] != 4 || got[1] != 1 {
		t.Errorf("page = %v, want [4 1]", got)
	}
	if _, err := s.Add(ctx, nil, notifications.Record{ID: 5, Type: "poke"}); err == nil {
		t.Error("unknown type accepted")
	}
}

// TestPaging pins the Mastodon bounds: max_id and since_id give the newest
// rows between them, min_id the rows just above it; both newest first.
func TestPaging(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for id := int64(1); id <= 6; id++ {
		r := notifications.Record{ID: id, Type: notifications.Follow, ActorID: "https://b.test/" + string(rune('a'+id)), Created: time.Unix(id, 0)}
		if _, err := s.Add(ctx, nil, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		name string
		q    notifications.Query
		want []int64
	}{
		{"newest", notifications.Query{Limit: 2}, []int64{6, 5}},
		{"max_id", notifications.Query{Limit: 2, Before: 5}, []int64{4, 3}},
		{"since_id", notifications.Query{Limit: 2, After: 2}, []int64{6, 5}},
		{"min_id", notifications.Query{Limit: 2, After: 2, Oldest: true}, []int64{4, 3}},
		{"types", notifications.Query{Limit: 2, Types: []string{notifications.Mention}}, nil},
	} {
		if got := ids(t, s, c.q); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
