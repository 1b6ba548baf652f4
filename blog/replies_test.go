package blog

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
)

// TestRepliesCollection: peers read an article's thread from its replies
// collection, which lists every comment, nested ones too; the editor next
// to it stays the owner's.
func TestRepliesCollection(t *testing.T) {
	f := newFixture(t)
	a := f.create(t, ArticleInput{Title: "Talk to me"})
	ctx := context.Background()
	for _, c := range []Comment{
		{ObjectID: "https://r.example/1", InReplyTo: a.ObjectID, AuthorID: "https://r.example/ann"},
		{ObjectID: "https://r.example/2", InReplyTo: "https://r.example/1", AuthorID: "https://r.example/ben"},
	} {
		if _, err := f.blog.AddComment(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	rec := f.get(t, "/blog/"+a.Slug+"/replies", false)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/activity+json" {
		t.Fatalf("replies: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var doc struct {
		ID         string `json:"id"`
		Type       string `json:"type"`
		TotalItems int    `json:"totalItems"`
		First      struct {
			Type   string   `json:"type"`
			PartOf string   `json:"partOf"`
			Items  []string `json:"items"`
		} `json:"first"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.ID != a.ObjectID+"/replies" || doc.Type != "Collection" || doc.TotalItems != 2 || doc.First.Type != "CollectionPage" ||
		doc.First.PartOf != doc.ID || len(doc.First.Items) != 2 || doc.First.Items[1] != "https://r.example/2" {
		t.Errorf("replies collection %+v", doc)
	}
	page := f.get(t, "/blog/"+a.Slug+"/replies?page=2", false)
	if !json.Valid(page.Body.Bytes()) || !containsJSON(page.Body.Bytes(), "partOf", a.ObjectID+"/replies") {
		t.Errorf("page 2: %d %s", page.Code, page.Body)
	}
	if rec := f.get(t, "/blog/"+a.Slug+"/edit", false); rec.Code == http.StatusOK {
		t.Error("the editor opened for a visitor")
	}
	if rec := f.get(t, "/blog/no-such-post/replies", false); rec.Code != http.StatusNotFound {
		t.Errorf("replies of an unknown post: %d", rec.Code)
	}
	obj := f.do(t, http.MethodGet, "/blog/"+a.Slug, "", nil, false, "Accept", "application/activity+json")
	// The Article embeds the collection with its first page, as GoToSocial
	// needs to crawl the comments.
	var article struct {
		Replies struct {
			ID    string `json:"id"`
			First struct {
				Items []string `json:"items"`
			} `json:"first"`
		} `json:"replies"`
	}
	if json.Unmarshal(obj.Body.Bytes(), &article) != nil || article.Replies.ID != a.ObjectID+"/replies" || len(article.Replies.First.Items) != 2 {
		t.Errorf("the Article does not carry its replies collection: %s", obj.Body)
	}
}

func containsJSON(doc []byte, key, want string) bool {
	var m map[string]any
	if json.Unmarshal(doc, &m) != nil {
		return false
	}
	v, _ := m[key].(string)
	return v == want
}
