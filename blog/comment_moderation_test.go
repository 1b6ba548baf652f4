package blog

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// With comments held, a new reply waits for the owner: visitors and the
// replies collection do not see it until it is approved. The owner can
// also delete a comment or block its author from it.
func TestCommentModeration(t *testing.T) {
	f := newFixture(t)
	f.hold = true
	ctx := context.Background()
	a := f.create(t, ArticleInput{Title: "Garden"})
	add := func(n, author, text string) Comment {
		c, err := f.blog.AddComment(ctx, Comment{ObjectID: "https://remote.example/notes/" + n, InReplyTo: a.URL,
			AuthorID: "https://remote.example/users/" + author, AuthorName: author, ContentHTML: "<p>" + text + "</p>"})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	kind := add("1", "bob", "Lovely beans")
	rude := add("2", "troll", "Buy my pills")
	third := add("3", "carol", "Which variety?")

	visitor := func() string {
		return parse(t, f.get(t, "/blog/"+a.Slug, false)).Find(`[data-testid="blog-comments"]`).Text()
	}
	if got := visitor(); strings.Contains(got, "Lovely beans") || strings.Contains(got, "Buy my pills") {
		t.Fatalf("held comments shown to a visitor: %q", got)
	}
	if body := f.get(t, "/blog/"+a.Slug+"/replies", false).Body.String(); strings.Contains(body, "notes/1") {
		t.Errorf("held comment in the replies collection: %s", body)
	}
	owner := parse(t, f.get(t, "/blog/"+a.Slug, true))
	if n := owner.Find(`[data-testid="comment-held"]`).Length(); n != 3 {
		t.Errorf("owner sees %d held comments, want 3", n)
	}
	if owner.Find(`form[action="/blog/comments/`+strconv.FormatInt(kind.ID, 10)+`/approve"]`).Length() != 1 {
		t.Fatal("no approve button")
	}

	moderate := func(c Comment, action string) {
		t.Helper()
		w := f.postForm(t, "/blog/comments/"+strconv.FormatInt(c.ID, 10)+"/"+action, "")
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/blog/"+a.Slug+"#comments" {
			t.Errorf("%s redirects to %q", action, loc)
		}
	}
	moderate(kind, "approve")
	if got := visitor(); !strings.Contains(got, "Lovely beans") {
		t.Errorf("approved comment not shown: %q", got)
	}
	moderate(rude, "block")
	if !slices.Equal(f.blocked, []string{"https://remote.example/users/troll"}) {
		t.Errorf("blocked %v", f.blocked)
	}
	moderate(third, "delete")
	list, err := f.blog.CommentsWithHeld(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != kind.ID || list[0].Held {
		t.Errorf("comments left: %+v", list)
	}
	// Visitors cannot moderate, and without the setting comments show at once.
	if w := f.do(t, http.MethodPost, "/blog/comments/"+strconv.FormatInt(kind.ID, 10)+"/delete", "", nil, false); w.Code != http.StatusUnauthorized {
		t.Errorf("a visitor's delete answered %d", w.Code)
	}
	f.hold = false
	add("4", "dave", "Nice")
	if got := visitor(); !strings.Contains(got, "Nice") {
		t.Errorf("with comments not held, a new one is hidden: %q", got)
	}
}
