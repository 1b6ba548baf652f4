package blog

import (
	"context"
	"testing"
	"time"
)

// Only published pages are offered for the menu, by title; the menu keeps
// the owner's order and drops what is no longer a published page.
func TestMenuPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := f.create(t, ArticleInput{Title: "Now", Page: true})
	about := f.create(t, ArticleInput{Title: "About", Page: true})
	f.create(t, ArticleInput{Title: "Plans", Page: true, Draft: true})
	later := f.create(t, ArticleInput{Title: "Later", Page: true, PublishedAt: f.clock.Now().Add(time.Hour)})
	post := f.create(t, ArticleInput{Title: "A post"})

	pages, err := f.blog.Pages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 || pages[0].Title != "About" || pages[1].Title != "Now" || pages[0].URL != "/blog/"+about.Slug {
		t.Fatalf("pages offered: %+v", pages)
	}
	menu, err := f.blog.MenuPages(ctx, []int64{now.ID, post.ID, later.ID, about.ID, now.ID, 999})
	if err != nil {
		t.Fatal(err)
	}
	if len(menu) != 2 || menu[0].ID != now.ID || menu[1].ID != about.ID {
		t.Errorf("menu: %+v, want Now then About", menu)
	}
	if err := f.blog.Delete(ctx, now.ID); err != nil {
		t.Fatal(err)
	}
	if menu, _ := f.blog.MenuPages(ctx, []int64{now.ID, about.ID}); len(menu) != 1 || menu[0].ID != about.ID {
		t.Errorf("menu after deleting Now: %+v", menu)
	}
}
