package feed

import (
	"context"
	"sync"
	"testing"
	"time"

	"roost/federation/vocab"
)

const (
	bobID   = "https://remote.test/users/bob"
	carolID = "https://other.test/users/carol"
	daveID  = "https://else.test/users/dave"
)

// followSet is the owner's following list as the contacts room would
// answer it.
type followSet struct {
	mu  sync.Mutex
	ids map[string]bool
}

func (s *followSet) follows(_ context.Context, id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ids[id]
}

// newRemoteSite is a test site where the owner follows the given actors.
func newRemoteSite(t testing.TB, following ...string) *testSite {
	t.Helper()
	set := &followSet{ids: map[string]bool{}}
	for _, id := range following {
		set.ids[id] = true
	}
	return newTestSite(t, func(c *Config) { c.Follows = set.follows })
}

func actor(id, name string) *vocab.Actor {
	return &vocab.Actor{
		ID: id, Type: vocab.TypePerson, PreferredUsername: name, Name: name,
		URL: id + "/profile", IconURL: id + "/avatar.png", Followers: id + "/followers",
	}
}

// publicNote is a public Note by author, published at the given minute of
// a fixed day.
func publicNote(id, author, html string, minute int) *vocab.Object {
	return &vocab.Object{
		ID: id, Type: vocab.TypeNote, AttributedTo: author, ContentHTML: html,
		Published: time.Date(2025, 2, 1, 10, minute, 0, 0, time.UTC),
		To:        []string{vocab.Public}, Cc: []string{author + "/followers"},
	}
}

func mustCreated(t testing.TB, s *testSite, obj *vocab.Object, from *vocab.Actor) {
	t.Helper()
	if err := s.feed.PostCreated(context.Background(), obj, from); err != nil {
		t.Fatalf("post created %s: %v", obj.ID, err)
	}
}

func storedCount(t testing.TB, s *testSite) int {
	t.Helper()
	var n int
	if err := s.feed.db.QueryRow(`SELECT COUNT(*) FROM posts`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
