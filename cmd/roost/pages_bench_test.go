package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"roost/blog"
	"roost/feed"
)

// seeded is one site with 10,000 notes and 1,000 articles, shared by the
// page benchmarks of a run: filling it takes longer than the benchmarks.
var seeded struct {
	once     sync.Once
	site     *site
	notes    []feed.Note
	articles []blog.Article
}

func seededSite(b *testing.B) (*site, []feed.Note, []blog.Article) {
	seeded.once.Do(func() {
		dir, err := os.MkdirTemp("", "roost-bench")
		if err != nil {
			b.Fatal(err)
		}
		seeded.site, seeded.notes, seeded.articles = benchSite(b, dir, 10000, 1000)
	})
	if seeded.site == nil {
		b.Fatal("seeding failed")
	}
	b.ResetTimer()
	return seeded.site, seeded.notes, seeded.articles
}

// benchSite is a site with many notes and articles, served through the full
// handler stack (routing, page frame, rendering), as a visitor sees it.
func benchSite(b *testing.B, dir string, notes, articles int) (*site, []feed.Note, []blog.Article) {
	b.Helper()
	ctx := context.Background()
	db, err := openData(ctx, dir)
	if err != nil {
		b.Fatal(err)
	}
	cfg := config{DataDir: dir, BaseURL: "http://bench.test", NoteLimit: 500, MaxUploadMB: 10}
	s, err := newSite(ctx, cfg, db, siteOptions{})
	if err != nil {
		b.Fatal(err)
	}
	// Articles are written among the notes, one every notes/articles, as
	// a site that blogs now and then has them.
	var ns []feed.Note
	var as []blog.Article
	every := max(1, notes/max(1, articles))
	for i := range notes {
		n, err := s.feed.Create(ctx, feed.NoteInput{Text: fmt.Sprintf("Note %d about #benchmarks and https://example.com/", i), Visibility: feed.VisibilityPublic})
		if err != nil {
			b.Fatal(err)
		}
		ns = append(ns, n)
		if i%every == every-1 && len(as) < articles {
			a, err := s.blog.Create(ctx, blog.ArticleInput{Title: fmt.Sprintf("Article %d", len(as)), Body: "Some **Markdown** with a [link](https://example.com).", Tags: []string{"bench"}})
			if err != nil {
				b.Fatal(err)
			}
			as = append(as, a)
		}
	}
	return s, ns, as
}

func benchmarkGet(b *testing.B, h http.Handler, path string) {
	b.Helper()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("GET %s: %d", path, rec.Code)
			}
		}
	})
}

// BenchmarkSiteNotePage is GET /notes/{id} with 10,000 notes and 1,000 articles.
func BenchmarkSiteNotePage(b *testing.B) {
	s, notes, _ := seededSite(b)
	benchmarkGet(b, s.handler, "/notes/"+fmt.Sprint(notes[len(notes)/2].ID))
}

// BenchmarkSiteBlogIndex is GET /blog/ with 10,000 notes and 1,000 articles.
func BenchmarkSiteBlogIndex(b *testing.B) {
	s, _, _ := seededSite(b)
	benchmarkGet(b, s.handler, "/blog/")
}

// BenchmarkSiteFrontPage is GET / with 10,000 notes and 1,000 articles.
func BenchmarkSiteFrontPage(b *testing.B) {
	s, _, _ := seededSite(b)
	benchmarkGet(b, s.handler, "/")
}

// apiToken logs an app in with the password grant, as command-line
// clients do, and returns its bearer token.
func apiToken(b testing.TB, s *site) string {
	b.Helper()
	if err := s.access.Store.SetPassword(context.Background(), "bench password 1"); err != nil {
		b.Fatal(err)
	}
	return passwordGrant(b, s, "bench password 1")
}

// passwordGrant registers an app and logs in as the owner with the
// password grant, as Mastodon apps do, returning the access token.
func passwordGrant(b testing.TB, s *site, password string) string {
	b.Helper()
	post := func(path string, form url.Values) map[string]any {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		s.handler.ServeHTTP(rec, req)
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != http.StatusOK {
			b.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
		}
		return out
	}
	app := post("/api/v1/apps", url.Values{"client_name": {"bench"}, "redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "scopes": {"read write"}})
	tok := post("/oauth/token", url.Values{"grant_type": {"password"}, "username": {s.cfg.domain()}, "password": {password},
		"client_id": {app["client_id"].(string)}, "client_secret": {app["client_secret"].(string)}, "scope": {"read write"}})
	return tok["access_token"].(string)
}

// BenchmarkSiteHomeTimelineAPI is GET /api/v1/timelines/home?limit=20 as a
// Mastodon app asks for it, with 10,000 notes and 1,000 articles.
func BenchmarkSiteHomeTimelineAPI(b *testing.B) {
	s, _, _ := seededSite(b)
	token := apiToken(b, s)
	b.ResetTimer()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, "/api/v1/timelines/home?limit=20", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			s.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("home timeline: %d %s", rec.Code, rec.Body)
			}
		}
	})
}

// BenchmarkSiteHomeTimelineAPIUncached asks for a different page each
// time, so the one-second page cache never answers: the cost of rendering.
func BenchmarkSiteHomeTimelineAPIUncached(b *testing.B) {
	s, _, _ := seededSite(b)
	token := apiToken(b, s)
	var n atomic.Int64
	b.ResetTimer()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			// max_id above every id, different each time.
			req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/timelines/home?limit=20&max_id=%d", math.MaxInt64-n.Add(1)), nil)
			req.Header.Set("Authorization", "Bearer "+token)
			s.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("home timeline: %d %s", rec.Code, rec.Body)
			}
		}
	})
}

// BenchmarkSitePostStatusAPI is POST /api/v1/statuses from a Mastodon app.
func BenchmarkSitePostStatusAPI(b *testing.B) {
	s, _, _ := seededSite(b)
	token := apiToken(b, s)
	b.ResetTimer()
	b.ReportAllocs()
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			form := url.Values{"status": {fmt.Sprintf("Status %d from an app #bench", n.Add(1))}, "visibility": {"public"}}
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/api/v1/statuses", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "Bearer "+token)
			s.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("post status: %d %s", rec.Code, rec.Body)
			}
		}
	})
}

// BenchmarkSiteAccountStatusesAPI is GET /api/v1/accounts/:id/statuses for
// the owner, which every app opens on the profile screen, with a different
// page each time so no cache answers.
func BenchmarkSiteAccountStatusesAPI(b *testing.B) {
	s, _, _ := seededSite(b)
	token := apiToken(b, s)
	var n atomic.Int64
	b.ResetTimer()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/accounts/1/statuses?limit=20&max_id=%d", math.MaxInt64-n.Add(1)), nil)
			req.Header.Set("Authorization", "Bearer "+token)
			s.handler.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("account statuses: %d %s", rec.Code, rec.Body)
			}
		}
	})
}
