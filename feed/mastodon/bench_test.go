package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"roost/feed"
)

// BenchmarkHomeTimelineAPI serves the first page of the home timeline from
// a feed of many notes, through the whole handler chain.
func BenchmarkHomeTimelineAPI(b *testing.B) {
	ta := newTestAPI(b, false)
	ctx := context.Background()
	n := 2000
	if testing.Short() {
		n = 200
	}
	for i := 0; i < n; i++ {
		if _, err := ta.feed.Create(ctx, feed.NoteInput{Text: fmt.Sprintf("note %d #bench", i)}); err != nil {
			b.Fatal(err)
		}
	}
	h := ta.srv.Config.Handler
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := httptest.NewRequest("GET", "/api/v1/timelines/home?limit=20", nil)
			req.Header.Set("Authorization", "Bearer "+ta.token)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d", w.Code)
			}
		}
	})
}

// BenchmarkPostStatusAPI posts notes through POST /api/v1/statuses.
func BenchmarkPostStatusAPI(b *testing.B) {
	ta := newTestAPI(b, false)
	h := ta.srv.Config.Handler
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("POST", "/api/v1/statuses", strings.NewReader(fmt.Sprintf(`{"status":"bench %d"}`, i)))
		req.Header.Set("Authorization", "Bearer "+ta.token)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
