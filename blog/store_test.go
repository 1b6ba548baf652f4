package blog

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hello, World!", "hello-world"},
		{"  Crème brûlée à la Française  ", "creme-brulee-a-la-francaise"},
		{"Straße & Ærø", "strasse-aero"},
		{"Go 1.26 -- what's new?", "go-1-26-what-s-new"},
		{"---", ""},
		{"日本語", ""},
		{"a/b\\c?d#e", "a-b-c-d-e"},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlugUniqueness(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var got []string
	for range 3 {
		got = append(got, f.create(t, ArticleInput{Title: "Hello World"}).Slug)
	}
	got = append(got, f.create(t, ArticleInput{Title: "Manage"}).Slug)
	got = append(got, f.create(t, ArticleInput{Title: "日本語"}).Slug)
	got = append(got, f.create(t, ArticleInput{Title: "Other", Slug: "Hello World"}).Slug)
	want := []string{"hello-world", "hello-world-2", "hello-world-3", "manage-2", "post", "hello-world-4"}
	if !slices.Equal(got, want) {
		t.Fatalf("slugs %v, want %v", got, want)
	}

	// Renaming to a taken slug gets a suffix; keeping one's own does not.
	a := f.create(t, ArticleInput{Title: "Renamed"})
	a, err := f.blog.Update(ctx, a.ID, ArticleInput{Title: "Renamed", Body: "x", Slug: "hello-world"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Slug != "hello-world-5" {
		t.Errorf("renamed slug %q, want hello-world-5", a.Slug)
	}
	if a.ObjectID != testBase+"/blog/renamed" {
		t.Errorf("object id followed the slug: %q", a.ObjectID)
	}
	// The old address is still the object id, so no one else may take it.
	if s := f.create(t, ArticleInput{Title: "Renamed"}).Slug; s != "renamed-2" {
		t.Errorf("slug of the object id was reused: %q", s)
	}
	// An empty slug on update keeps the current one.
	b, err := f.blog.Update(ctx, a.ID, ArticleInput{Title: "Totally different", Body: "x"})
	if err != nil || b.Slug != "hello-world-5" {
		t.Errorf("update without slug: %q, %v", b.Slug, err)
	}
	// A deleted article keeps its slug, so its URL stays 410.
	if err := f.blog.Delete(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if s := f.create(t, ArticleInput{Title: "Hello world"}).Slug; s != "hello-world-6" {
		t.Errorf("slug after delete %q, want hello-world-6", s)
	}
}

func TestValidation(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name  string
		in    ArticleInput
		field string
	}{
		{"no title", ArticleInput{Title: "   ", Body: "x"}, "title"},
		{"long title", ArticleInput{Title: string(make([]byte, 301)), Body: "x"}, "title"},
		{"bad slug", ArticleInput{Title: "ok", Body: "x", Slug: "!!!"}, "slug"},
		{"empty text", ArticleInput{Title: "ok", Body: " \n"}, "body"},
		{"too many tags", ArticleInput{Title: "ok", Body: "x", Tags: func() []string {
			var s []string
			for i := range 31 {
				s = append(s, string(rune('a'+i%26))+string(rune('a'+i/26)))
			}
			return s
		}()}, "tags"},
	}
	for _, tt := range tests {
		_, err := f.blog.Create(context.Background(), tt.in)
		var v *ValidationError
		if !errors.As(err, &v) || v.Field != tt.field || v.Message == "" {
			t.Errorf("%s: err %v, want a validation error on %s", tt.name, err, tt.field)
		}
	}
}

func TestVisibility(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	now := f.clock.Now()
	f.create(t, ArticleInput{Title: "Public", Tags: []string{"Go"}})
	f.create(t, ArticleInput{Title: "Draft", Draft: true, Tags: []string{"go"}})
	f.create(t, ArticleInput{Title: "About", Page: true, Tags: []string{"go"}})
	f.create(t, ArticleInput{Title: "Later", PublishedAt: now.Add(time.Hour), Tags: []string{"go"}})
	f.create(t, ArticleInput{Title: "Earlier", PublishedAt: now.Add(-time.Hour)})

	titles := func(list []Article, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range list {
			out = append(out, a.Title)
		}
		return out
	}
	if got := titles(f.blog.Published(ctx, 10, 0)); !slices.Equal(got, []string{"Public", "Earlier"}) {
		t.Errorf("published %v", got)
	}
	if got := titles(f.blog.Tagged(ctx, "go", 10, 0)); !slices.Equal(got, []string{"Public"}) {
		t.Errorf("tagged %v", got)
	}
	if n, _ := f.blog.Count(ctx); n != 2 {
		t.Errorf("count %d, want 2", n)
	}
	if got := titles(f.blog.All(ctx)); len(got) != 5 || got[0] != "Later" {
		t.Errorf("all %v: want every article, newest first", got)
	}
	// Only the public posts went out.
	if got := f.sent.types(); !slices.Equal(got, []string{"Create", "Create"}) {
		t.Errorf("sent %v", got)
	}

	f.clock.Add(2 * time.Hour)
	if got := titles(f.blog.Published(ctx, 10, 0)); !slices.Equal(got, []string{"Later", "Public", "Earlier"}) {
		t.Errorf("published after the scheduled time %v", got)
	}
	if got := titles(f.blog.Tagged(ctx, "go", 10, 0)); !slices.Equal(got, []string{"Later", "Public"}) {
		t.Errorf("tagged after the scheduled time %v", got)
	}
	// The scheduled post is federated once, when due.
	for range 2 {
		if err := f.blog.PublishDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.sent.types(); len(got) != 3 {
		t.Errorf("sent after PublishDue %v, want three Creates", got)
	}
}

func TestPagination(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	base := f.clock.Now().Add(-time.Hour)
	for i := range 25 {
		// Two posts share each publication second, so the cursor must
		// break ties by id.
		f.create(t, ArticleInput{Title: "Post " + string(rune('A'+i)), PublishedAt: base.Add(time.Duration(i/2) * time.Minute)})
	}
	var seen []string
	var before int64
	for page := 0; ; page++ {
		list, err := f.blog.Published(ctx, 10, before)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 0 {
			break
		}
		for _, a := range list {
			seen = append(seen, a.Title)
		}
		before = list[len(list)-1].ID
		if page > 5 {
			t.Fatal("pagination does not end")
		}
	}
	if len(seen) != 25 {
		t.Fatalf("saw %d posts: %v", len(seen), seen)
	}
	if seen[0] != "Post Y" {
		t.Errorf("newest first: got %q", seen[0])
	}
	slices.Sort(seen)
	if len(slices.Compact(seen)) != 25 {
		t.Errorf("a post was listed twice")
	}
}

func TestTagsAndLookups(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(t, ArticleInput{Title: "Tagged", Tags: []string{" #Go ", "go", "Open Source", ""}})
	// The author's spelling and order stay; duplicates go whatever their case.
	if !slices.Equal(a.Tags, []string{"Go", "Open-Source"}) {
		t.Errorf("tags %v", a.Tags)
	}
	for _, u := range []string{a.URL, a.URL + "#comments", a.ObjectID} {
		got, err := f.blog.ByURL(ctx, u)
		if err != nil || got.ID != a.ID {
			t.Errorf("ByURL(%q) = %d, %v", u, got.ID, err)
		}
	}
	if _, err := f.blog.ByURL(ctx, "https://elsewhere.example/blog/tagged"); !errors.Is(err, ErrNotFound) {
		t.Errorf("foreign URL: %v", err)
	}
	if _, err := f.blog.Get(ctx, 42); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing id: %v", err)
	}
	if err := f.blog.Delete(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	_, err := f.blog.BySlug(ctx, a.Slug)
	if !errors.Is(err, ErrGone) || !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted: %v, want ErrGone that is also ErrNotFound", err)
	}
	if list, _ := f.blog.Tagged(ctx, "go", 10, 0); len(list) != 0 {
		t.Errorf("deleted article still tagged")
	}
	if err := f.blog.Delete(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

func TestPublishing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.create(t, ArticleInput{Title: "Out", Tags: []string{"go"}})
	if _, err := f.blog.Update(ctx, a.ID, ArticleInput{Title: "Out again", Body: "new", Tags: []string{"go"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.blog.Update(ctx, a.ID, ArticleInput{Title: "Back to draft", Body: "new", Draft: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.blog.Update(ctx, a.ID, ArticleInput{Title: "Out once more", Body: "new"}); err != nil {
		t.Fatal(err)
	}
	if err := f.blog.Delete(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	d := f.create(t, ArticleInput{Title: "Never out", Draft: true})
	if err := f.blog.Delete(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	want := []string{"Create", "Update", "Delete", "Create", "Delete"}
	if got := f.sent.types(); !slices.Equal(got, want) {
		t.Fatalf("sent %v, want %v", got, want)
	}
	acts := f.sent.acts
	if !strings.HasPrefix(acts[0].ID, a.ObjectID+"#create-") || acts[0].Actor != testBase+"/actor" {
		t.Errorf("create activity %s by %s", acts[0].ID, acts[0].Actor)
	}
	obj, _ := acts[1].Object.(map[string]any)
	if obj["type"] != "Article" || obj["name"] != "Out again" || obj["id"] != a.ObjectID {
		t.Errorf("update object %v", obj)
	}
	del, _ := acts[4].Object.(map[string]any)
	if !strings.HasPrefix(acts[4].ID, a.ObjectID+"#delete-") || acts[1].ID == acts[3].ID || del["type"] != "Tombstone" || del["id"] != a.ObjectID {
		t.Errorf("delete activity %s with %v", acts[4].ID, del)
	}
}
