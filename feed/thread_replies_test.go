package feed

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"roost/federation/vocab"
)

// collectionServer serves replies collections and pages by IRI, counting
// the requests.
type collectionServer struct {
	docs  map[string][]byte
	calls int
}

func (c *collectionServer) fetch(ctx context.Context, id string) (*vocab.Collection, error) {
	c.calls++
	doc, ok := c.docs[id]
	if !ok {
		return nil, fmt.Errorf("fetch collection %s: %w", id, ErrNotFound)
	}
	return vocab.ParseCollection(doc)
}

// A post from Mastodon or GoToSocial arrives with its replies collection
// embedded, the first page holding no items and naming the next one.
// Opening its thread reads those pages and fetches the replies listed
// there from their own servers; an item that answers another post is not
// kept.
func TestThreadFetchesRepliesFromTheCollection(t *testing.T) {
	for _, file := range []string{"mastodon/note-attachment-blurhash-mention.json", "gotosocial/note-with-mentions.json"} {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(fixturesDir, "activitypub", file))
			if err != nil {
				t.Skipf("fixture: %v", err)
			}
			root, err := vocab.ParseObject(data)
			if err != nil {
				t.Fatal(err)
			}
			var raw struct {
				Replies struct {
					First struct {
						Next string `json:"next"`
					} `json:"first"`
				} `json:"replies"`
			}
			json.Unmarshal(data, &raw)
			next := raw.Replies.First.Next
			if root.RepliesID == "" || next == "" {
				t.Fatalf("fixture replies %q, next %q", root.RepliesID, next)
			}
			fetcher := newFakeFetcher()
			reply := publicNote("https://other.test/notes/r1", "https://other.test/users/dana", "<p>from a third server</p>", 5)
			reply.InReplyTo = root.ID
			decoy := publicNote("https://other.test/notes/decoy", "https://other.test/users/dana", "<p>about something else</p>", 6)
			decoy.InReplyTo = "https://other.test/notes/elsewhere"
			fetcher.objects[reply.ID], fetcher.objects[decoy.ID] = reply, decoy
			var embedded map[string]any
			var whole map[string]any
			json.Unmarshal(data, &whole)
			embedded, _ = whole["replies"].(map[string]any)
			collection, _ := json.Marshal(embedded)
			page, _ := json.Marshal(map[string]any{"id": next, "type": "CollectionPage", "partOf": root.RepliesID,
				"items": []any{reply.ID, map[string]any{"id": decoy.ID, "type": "Note"}}})
			server := &collectionServer{docs: map[string][]byte{root.RepliesID: collection, next: page}}
			s := newTestSite(t, fetcher.configure, func(c *Config) {
				c.FetchCollection = server.fetch
				c.Follows = func(context.Context, string) bool { return true }
			})
			mustCreated(t, s, root, actor(root.AttributedTo, "author"))

			rec := s.do(t, "GET", "/home/thread?object="+url.QueryEscape(root.ID), nil, true)
			if !strings.Contains(rec.Body.String(), "from a third server") {
				t.Fatalf("the thread does not show the reply from the collection (%d)", rec.Code)
			}
			if _, err := s.feed.PostByObjectID(context.Background(), decoy.ID); err == nil {
				t.Error("a listed post that answers something else was kept")
			}
			// A second view soon after reads the stored reply, not the
			// collection again.
			calls := server.calls
			rec = s.do(t, "GET", "/home/thread?object="+url.QueryEscape(root.ID), nil, true)
			if !strings.Contains(rec.Body.String(), "from a third server") || server.calls != calls {
				t.Errorf("second view: reply shown %v, collection read %d more times",
					strings.Contains(rec.Body.String(), "from a third server"), server.calls-calls)
			}
		})
	}
}

// A collection on another server than its post is not believed, and a
// thread view stays within its fetch budget however many replies a
// collection lists.
func TestThreadReplyFetchesAreBounded(t *testing.T) {
	fetcher := newFakeFetcher()
	root := publicNote("https://remote.test/notes/root", "https://remote.test/users/ann", "<p>root</p>", 1)
	root.RepliesID = "https://remote.test/notes/root/replies"
	var items []any
	for i := range 60 {
		r := publicNote(fmt.Sprintf("https://remote.test/notes/r%d", i), "https://remote.test/users/ann", "<p>r</p>", i%60)
		r.InReplyTo = root.ID
		fetcher.objects[r.ID] = r
		items = append(items, r.ID)
	}
	doc, _ := json.Marshal(map[string]any{"id": root.RepliesID, "type": "Collection", "totalItems": len(items),
		"first": map[string]any{"type": "CollectionPage", "items": items}})
	server := &collectionServer{docs: map[string][]byte{root.RepliesID: doc}}
	s := newTestSite(t, fetcher.configure, func(c *Config) {
		c.FetchCollection = server.fetch
		c.Follows = func(context.Context, string) bool { return true }
	})
	elsewhere := *root
	elsewhere.ID, elsewhere.RepliesID = "https://remote.test/notes/other", "https://evil.test/replies"
	mustCreated(t, s, root, actor(root.AttributedTo, "ann"))
	mustCreated(t, s, &elsewhere, actor(root.AttributedTo, "ann"))

	s.do(t, "GET", "/home/thread?object="+url.QueryEscape(root.ID), nil, true)
	if fetcher.calls+server.calls > threadFetchBudget {
		t.Errorf("one view fetched %d documents, budget %d", fetcher.calls+server.calls, threadFetchBudget)
	}
	if got := storedCount(t, s); got < 3 || got > 2+replyCrawlItems {
		t.Errorf("%d posts stored, want some replies and at most %d", got, replyCrawlItems)
	}
	server.calls = 0
	s.do(t, "GET", "/home/thread?object="+url.QueryEscape(elsewhere.ID), nil, true)
	if server.calls != 0 {
		t.Errorf("a replies collection on another server was read")
	}
}
