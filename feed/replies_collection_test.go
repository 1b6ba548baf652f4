package feed

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"roost/federation/vocab"
)

// A note's replies collection lists every public reply, others' and the
// owner's, oldest first, twenty a page, with totalItems and next links.
func TestRepliesCollectionIsPaged(t *testing.T) {
	s := newTestSite(t)
	n := s.mustCreate(t, NoteInput{Text: "a busy note", Visibility: VisibilityPublic})
	var want []string
	for i := range 22 {
		reply := publicNote(fmt.Sprintf("https://bob.test/notes/%d", i), "https://bob.test/actor", "<p>re</p>", i)
		reply.InReplyTo = n.URL
		mustCreated(t, s, reply, actor("https://bob.test/actor", "bob"))
		want = append(want, reply.ID)
	}
	own := s.mustCreate(t, NoteInput{Text: "and my answer", Visibility: VisibilityPublic, InReplyTo: n.URL})
	want = append(want, own.URL)

	get := func(path string) map[string]any {
		t.Helper()
		rec := s.do(t, "GET", path, nil, false, "Accept", vocab.ContentTypeActivity)
		var doc map[string]any
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &doc) != nil {
			t.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
		}
		return doc
	}
	items := func(page map[string]any) []string {
		var out []string
		list, _ := page["items"].([]any)
		for _, it := range list {
			out = append(out, it.(string))
		}
		return out
	}
	path := "/notes/" + formatID(n.ID) + "/replies"
	coll := get(path)
	first, _ := coll["first"].(map[string]any)
	if coll["type"] != vocab.TypeCollection || coll["totalItems"] != float64(len(want)) || first == nil {
		t.Fatalf("collection = %v", coll)
	}
	got := items(first)
	if len(got) != vocab.RepliesPageSize || got[0] != want[0] || first["next"] != n.URL+"/replies?page=2" {
		t.Fatalf("first page: %d items from %v, next %v", len(got), got[:min(1, len(got))], first["next"])
	}
	page2 := get(path + "?page=2")
	got = append(got, items(page2)...)
	if page2["partOf"] != n.URL+"/replies" || page2["next"] != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("page 2 = %v; all items %v, want %v", page2, got, want)
	}
	// The Note itself carries the collection and the same first page.
	obj := get("/notes/" + formatID(n.ID))
	embedded := obj["replies"].(map[string]any)["first"].(map[string]any)
	if fmt.Sprint(items(embedded)) != fmt.Sprint(want[:vocab.RepliesPageSize]) {
		t.Errorf("embedded first page = %v", embedded["items"])
	}
	if rec := s.do(t, "GET", path+"?page=x", nil, false, "Accept", vocab.ContentTypeActivity); rec.Code != http.StatusBadRequest {
		t.Errorf("page=x: %d", rec.Code)
	}
}
