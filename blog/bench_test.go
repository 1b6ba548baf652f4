package blog

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

const benchBody = "An opening paragraph with *emphasis* and a [link](https://example.org/).\n\n" +
	"```go\nfunc main() { println(\"hi\") }\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nA closing thought[^1].\n\n[^1]: A note.\n"

// benchFixture fills a database with 1,000 posts and a few comments on the
// newest one.
func benchFixture(b *testing.B) (*fixture, Article) {
	b.Helper()
	f := newFixture(b)
	start := f.clock.Now().Add(-1000 * time.Minute)
	var last Article
	for i := range 1000 {
		last = f.create(b, ArticleInput{Title: fmt.Sprintf("Post number %d", i), Body: benchBody,
			Tags: []string{"bench", fmt.Sprintf("t%d", i%20)}, PublishedAt: start.Add(time.Duration(i) * time.Minute)})
	}
	for i := range 10 {
		if _, err := f.blog.AddComment(b.Context(), Comment{ObjectID: fmt.Sprintf("https://r.example/%d", i), InReplyTo: last.ObjectID,
			AuthorID: "https://r.example/u", AuthorName: "Reader", ContentHTML: "<p>Thanks!</p>"}); err != nil {
			b.Fatal(err)
		}
	}
	return f, last
}

func BenchmarkBlogIndex(b *testing.B) {
	f, _ := benchFixture(b)
	b.ResetTimer()
	for b.Loop() {
		if w := f.get(b, "/blog/", false); w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

func BenchmarkArticlePage(b *testing.B) {
	f, last := benchFixture(b)
	path := "/blog/" + last.Slug
	b.ResetTimer()
	for b.Loop() {
		if w := f.get(b, path, false); w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}
