package blog

import (
	"context"
	"testing"
)

// TestSearchArticles: published articles are found by a word's prefix,
// those with it in the title first; drafts are not found, nor deleted
// articles.
func TestSearchArticles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	inBody := f.create(t, ArticleInput{Title: "Gardening", Body: "A quokka ate the <lettuce> again."})
	inTitle := f.create(t, ArticleInput{Title: "Quokkas of Rottnest", Body: "A day on the island."})
	f.create(t, ArticleInput{Title: "Quokka notes", Body: "Not ready.", Draft: true})
	gone := f.create(t, ArticleInput{Title: "Old quokka post", Body: "Deleted."})
	if err := f.blog.Delete(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	got, err := f.blog.SearchArticles(ctx, `"quokk"*`, 10, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != inTitle.ID || got[1].ID != inBody.ID {
		t.Errorf("search quokk*: %+v, want %d (title) then %d (body)", got, inTitle.ID, inBody.ID)
	}
	if got, err := f.blog.SearchArticles(ctx, `"lettuce"`, 10, 0, 0); err != nil || len(got) != 1 || got[0].ID != inBody.ID {
		t.Errorf("a word between < and >: %+v, %v", got, err)
	}
	if got, err := f.blog.SearchArticles(ctx, `"quokka" "island"`, 10, 0, 0); err != nil || len(got) != 0 {
		t.Errorf("every word is required: %+v, %v", got, err)
	}
}
