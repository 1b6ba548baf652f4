package federation

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"roost/federation/vocab"
)

// A replies collection is read from its own server; one that claims an id
// on another server is refused, and a page without an id is taken as the
// address that served it.
func TestFetchCollectionFromItsOrigin(t *testing.T) {
	network := newTestNet()
	bob := newPeer(t, network, "bob.test")
	serve := func(path, doc string) {
		bob.extra.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", vocab.ContentTypeActivity)
			w.Write([]byte(doc))
		})
	}
	serve("/notes/1/replies", `{"@context": "https://www.w3.org/ns/activitystreams", "id": "http://bob.test/notes/1/replies",
		"type": "Collection", "first": {"type": "CollectionPage", "items": [],
		"next": "http://bob.test/notes/1/replies/others"}}`)
	serve("/notes/1/replies/others", `{"@context": "https://www.w3.org/ns/activitystreams", "type": "CollectionPage",
		"items": ["http://carol.test/notes/9"]}`)
	serve("/notes/2/replies", `{"@context": "https://www.w3.org/ns/activitystreams", "id": "http://carol.test/notes/2/replies",
		"type": "Collection", "first": {"type": "CollectionPage", "items": ["http://carol.test/notes/10"]}}`)
	s := newTestSite(t, network)
	ctx := context.Background()

	c, err := s.FetchCollection(ctx, "http://bob.test/notes/1/replies")
	if err != nil || c.Next != "http://bob.test/notes/1/replies/others" || len(c.ItemIDs) != 0 {
		t.Fatalf("collection = %+v, %v", c, err)
	}
	page, err := s.FetchCollection(ctx, c.Next)
	if err != nil || !slices.Equal(page.ItemIDs, []string{"http://carol.test/notes/9"}) {
		t.Errorf("page = %+v, %v", page, err)
	}
	if c, err := s.FetchCollection(ctx, "http://bob.test/notes/2/replies"); err == nil {
		t.Errorf("a collection naming another server's id was taken: %+v", c)
	}
}
