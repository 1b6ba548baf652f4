package federation

import (
	"fmt"
	"net/http"
	"testing"

	"roost/federation/vocab"
)

func TestCollections(t *testing.T) {
	var followers []string
	for i := range 45 {
		followers = append(followers, fmt.Sprintf("http://bob.test/users/u%d", i))
	}
	s := newTestSite(t, newTestNet(), func(c *Config) {
		c.Audience = audience{inboxes: followers}
		c.Outbox = fixedOutbox{n: 21}
	})
	tests := []struct {
		path, typ  string
		total      int
		items      int
		next, prev string
	}{
		{"/actor/followers", vocab.TypeOrderedCollection, 45, 0, "", ""},
		{"/actor/followers?page=1", vocab.TypeOrderedCollectionPage, 45, 20, "http://alice.test/actor/followers?page=2", ""},
		{"/actor/followers?page=3", vocab.TypeOrderedCollectionPage, 45, 5, "", "http://alice.test/actor/followers?page=2"},
		{"/actor/following", vocab.TypeOrderedCollection, 3, 0, "", ""},
		{"/actor/outbox", vocab.TypeOrderedCollection, 21, 0, "", ""},
		{"/actor/outbox?page=2", vocab.TypeOrderedCollectionPage, 21, 1, "", "http://alice.test/actor/outbox?page=1"},
		{"/actor/featured", vocab.TypeOrderedCollection, 0, 0, "", ""},
	}
	for _, tt := range tests {
		w := s.get(t, tt.path, vocab.ContentTypeActivity)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != vocab.ContentTypeActivity {
			t.Fatalf("%s: %d %s", tt.path, w.Code, w.Header().Get("Content-Type"))
		}
		c, err := vocab.ParseCollection(w.Body.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if c.Type != tt.typ || c.TotalItems != tt.total || len(c.Items) != tt.items || c.Next != tt.next || c.Prev != tt.prev {
			t.Errorf("%s: type %s total %d items %d next %q prev %q", tt.path, c.Type, c.TotalItems, len(c.Items), c.Next, c.Prev)
		}
		if tt.typ == vocab.TypeOrderedCollection && tt.path != "/actor/featured" && c.First != "http://alice.test"+tt.path+"?page=1" {
			t.Errorf("%s: first %q", tt.path, c.First)
		}
	}
	if w := s.get(t, "/actor/followers?page=0", ""); w.Code != http.StatusBadRequest {
		t.Errorf("page=0: %d", w.Code)
	}
	// Without a wired room, collections are empty rather than broken.
	bare := newTestSite(t, newTestNet())
	w := bare.get(t, "/actor/followers", "")
	if c, err := vocab.ParseCollection(w.Body.Bytes()); err != nil || c.TotalItems != 0 {
		t.Errorf("unwired followers: %v %+v", err, c)
	}
}
