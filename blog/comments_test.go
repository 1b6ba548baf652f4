package blog

import (
	"context"
	"errors"
	"testing"
)

func TestComments(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(t, ArticleInput{Title: "Discussed"})
	add := func(obj, inReplyTo, name string) {
		t.Helper()
		if _, err := f.blog.AddComment(ctx, Comment{ObjectID: obj, InReplyTo: inReplyTo, AuthorID: "https://r.example/" + name,
			AuthorName: name, ContentHTML: "<p>" + name + "</p>"}); err != nil {
			t.Fatalf("add %s: %v", obj, err)
		}
	}
	add("https://r.example/1", a.ObjectID, "ann")
	f.clock.Add(1e9)
	add("https://r.example/2", a.URL+"#comments", "ben")
	f.clock.Add(1e9)
	add("https://r.example/3", "https://r.example/1", "cat")
	add("https://r.example/4", "https://r.example/3", "dan")
	add("https://r.example/1", a.ObjectID, "ann again") // a redelivery is ignored

	if _, err := f.blog.AddComment(ctx, Comment{ObjectID: "https://r.example/x", InReplyTo: "https://elsewhere.example/post", AuthorID: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("reply to an unknown post: %v", err)
	}

	tree, err := f.blog.Comments(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(tree) != 2 || tree[0].AuthorName != "ann" || tree[1].AuthorName != "ben" {
		t.Fatalf("top level %+v", tree)
	}
	if len(tree[0].Replies) != 1 || tree[0].Replies[0].AuthorName != "cat" || len(tree[0].Replies[0].Replies) != 1 ||
		tree[0].Replies[0].Replies[0].AuthorName != "dan" {
		t.Errorf("thread under ann: %+v", tree[0].Replies)
	}

	if err := f.blog.UpdateComment(ctx, Comment{ObjectID: "https://r.example/2", AuthorID: "https://r.example/ann", ContentHTML: "<p>forged</p>"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("edit by someone else than the author: %v", err)
	}
	if err := f.blog.UpdateComment(ctx, Comment{ObjectID: "https://r.example/2", AuthorID: "https://r.example/ben", AuthorName: "ben", ContentHTML: "<p>edited</p>"}); err != nil {
		t.Fatal(err)
	}
	if !f.blog.IsComment(ctx, "https://r.example/3") || f.blog.IsComment(ctx, "https://r.example/none") {
		t.Error("IsComment does not tell comments apart")
	}
	if err := f.blog.DeleteComment(ctx, "https://r.example/3", "https://r.example/ann"); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete by someone else than the author: %v", err)
	}
	if err := f.blog.DeleteComment(ctx, "https://r.example/3", "https://r.example/cat"); err != nil {
		t.Fatal(err)
	}
	if err := f.blog.DeleteComment(ctx, "https://r.example/3", "https://r.example/cat"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	tree, _ = f.blog.Comments(ctx, a.ID)
	// dan's parent is gone, so dan moves to the top level.
	var names []string
	for _, c := range tree {
		names = append(names, c.AuthorName)
	}
	if len(tree) != 3 || tree[1].ContentHTML != "<p>edited</p>" {
		t.Errorf("after edit and delete: %v %+v", names, tree)
	}

	if err := f.blog.SetCounts(ctx, a.ID, 7, 3); err != nil {
		t.Fatal(err)
	}
	got, _ := f.blog.Get(ctx, a.ID)
	if got.Likes != 7 || got.Boosts != 3 {
		t.Errorf("counts %d/%d", got.Likes, got.Boosts)
	}
}

// TestCommentAddedOnce: the owner hears of a comment once, however often
// its Create is delivered, and not of an edit.
func TestCommentAddedOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(t, ArticleInput{Title: "Discussed"})
	c := Comment{ObjectID: "https://r.example/1", InReplyTo: a.ObjectID, AuthorID: "https://r.example/ann",
		AuthorName: "ann", ContentHTML: "<p>hi</p>"}
	for range 3 {
		if _, err := f.blog.AddComment(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	c.ContentHTML = "<p>hi, edited</p>"
	if err := f.blog.UpdateComment(ctx, c); err != nil {
		t.Fatal(err)
	}
	if _, err := f.blog.AddComment(ctx, Comment{ObjectID: "https://r.example/x", InReplyTo: "https://elsewhere.example/post", AuthorID: "x"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("reply to an unknown post: %v", err)
	}
	if len(f.added) != 1 || f.added[0].ObjectID != c.ObjectID || f.added[0].ArticleID != a.ID {
		t.Errorf("CommentAdded heard %+v, want the one comment", f.added)
	}
}
