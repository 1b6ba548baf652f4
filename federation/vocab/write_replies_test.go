package vocab

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// A post carries its replies embedded, first page included, as GoToSocial
// needs to crawl a thread; roost reads its own documents back the same.
func TestRepliesEmbeddedInPost(t *testing.T) {
	in := ownerNote()
	in.Replies = &OutReplies{ID: in.ID + "/replies", Total: 2,
		First: []string{"https://bob.example/notes/1", "https://alice.example/notes/44"}}
	m := ObjectMap(in)
	r, ok := m["replies"].(map[string]any)
	if !ok || r["type"] != TypeCollection || r["id"] != in.ID+"/replies" {
		t.Fatalf("replies = %#v, want an embedded Collection", m["replies"])
	}
	first, ok := r["first"].(map[string]any)
	if !ok || first["type"] != TypeCollectionPage || first["partOf"] != in.ID+"/replies" || first["next"] != nil {
		t.Fatalf("first = %#v, want an embedded CollectionPage of the collection, with no next", r["first"])
	}
	if items, _ := first["items"].([]any); len(items) != 2 || items[0] != "https://bob.example/notes/1" {
		t.Errorf("items = %v", first["items"])
	}
	b, err := MarshalObject(in)
	if err != nil {
		t.Fatal(err)
	}
	o, err := ParseObject(b)
	if err != nil || o.RepliesID != in.ID+"/replies" {
		t.Errorf("parsed replies id = %q, %v", o.RepliesID, err)
	}

	// No reply yet: the page is there, with an empty list.
	in.Replies = &OutReplies{ID: in.ID + "/replies"}
	m = ObjectMap(in)
	first = m["replies"].(map[string]any)["first"].(map[string]any)
	if items, ok := first["items"].([]any); !ok || len(items) != 0 {
		t.Errorf("empty first page items = %#v, want []", first["items"])
	}
}

func TestRepliesPagesLinkOn(t *testing.T) {
	const id = "https://alice.example/notes/43/replies"
	var all []string
	for i := range RepliesPageSize + 3 {
		all = append(all, fmt.Sprintf("https://bob.example/notes/%d", i))
	}
	b, err := MarshalReplies(OutReplies{ID: id, Total: len(all), First: all})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	if c.TotalItems != len(all) || len(c.ItemIDs) != RepliesPageSize || c.Next != RepliesPage(id, 2) {
		t.Errorf("collection: total %d, %d items, next %q", c.TotalItems, len(c.ItemIDs), c.Next)
	}
	b, err = MarshalRepliesPage(id, 2, len(all), all[RepliesPageSize:])
	if err != nil {
		t.Fatal(err)
	}
	var page map[string]any
	json.Unmarshal(b, &page)
	if page["type"] != TypeCollectionPage || page["partOf"] != id || page["next"] != nil || page["prev"] != RepliesPage(id, 1) {
		t.Errorf("page 2 = %v", page)
	}
	c, _ = ParseCollection(b)
	if !slices.Equal(c.ItemIDs, all[RepliesPageSize:]) {
		t.Errorf("page 2 items = %v", c.ItemIDs)
	}
}
