package feed

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"roost/cmd/roost/database"
	"roost/federation"
	"roost/federation/vocab"
	"roost/templates"
)

const (
	testBase      = "https://alice.test"
	testActor     = testBase + "/actor"
	testFollowers = testBase + "/followers"
	ownerHeader   = "X-Test-Owner"
)

// published records what the feed hands to the publisher.
type published struct {
	activity vocab.OutActivity
	audience federation.Audience
}

type fakePublisher struct {
	mu  sync.Mutex
	got []published
}

func (p *fakePublisher) Publish(_ context.Context, _ *sql.Tx, a vocab.OutActivity, to federation.Audience) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.got = append(p.got, published{a, to})
	return nil
}

func (p *fakePublisher) all() []published {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]published(nil), p.got...)
}

// testClock advances one second per call so notes get distinct times.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

type testSite struct {
	feed    *Feed
	pub     *fakePublisher
	handler http.Handler
	saved   []string // alt texts given to SaveImage
	// stored are the images SaveImage kept, by URL, for PendingImage.
	stored map[string]Media
}

func newTestSite(t testing.TB, adjust ...func(*Config)) *testSite {
	t.Helper()
	db, err := database.OpenTemp(t.TempDir(), database.Room{Name: "feed", Steps: Migrations, Postgres: PostgresMigrations})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s := &testSite{pub: &fakePublisher{}, stored: map[string]Media{}}
	clock := &testClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	cfg := Config{
		DB: db, BaseURL: testBase, ActorID: testActor, FollowersURL: testFollowers,
		Publisher: s.pub, ResolveMention: fakeResolve, Now: clock.now,
		Page: func(r *http.Request, title string) templates.Page {
			return templates.Page{Title: title, Site: templates.Site{
				Name: "Alice", Handle: "@alice.test@alice.test", BaseURL: testBase,
				IsOwner: r.Header.Get(ownerHeader) == "1",
			}}
		},
		SaveImage: func(_ context.Context, r io.Reader, alt string) (Media, error) {
			data, _ := io.ReadAll(r)
			if !bytes.HasPrefix(data, []byte("GIF8")) {
				return Media{}, ErrNotAnImage
			}
			s.saved = append(s.saved, alt)
			n := len(s.saved)
			m := Media{
				URL: testBase + "/media/" + string(rune('a'+n)) + ".gif", PreviewURL: testBase + "/media/" + string(rune('a'+n)) + "-p.webp",
				MediaType: "image/gif", Alt: alt, Width: 10, Height: 8, Blurhash: "LEHV6nWB2yk8",
			}
			s.stored[m.URL] = m
			return m, nil
		},
		PendingImage: func(_ context.Context, u string) (Media, error) {
			m, ok := s.stored[u]
			if !ok {
				return Media{}, errors.New("no such media")
			}
			return m, nil
		},
	}
	// Tests run the reads through the same statement cache as the site.
	cfg.Queries = database.NewStatements(db)
	for _, a := range adjust {
		a(&cfg)
	}
	s.feed = New(cfg)
	mux := http.NewServeMux()
	ownerOnly := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get(ownerHeader) != "1" {
				http.Error(w, "log in", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	s.feed.Routes(mux, ownerOnly)
	s.handler = mux
	return s
}

// do sends a request through the routes; owner adds the fake session.
func (s *testSite) do(t testing.TB, method, target string, body io.Reader, owner bool, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, body)
	if owner {
		req.Header.Set(ownerHeader, "1")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, req)
	return rec
}

func (s *testSite) mustCreate(t testing.TB, in NoteInput) Note {
	t.Helper()
	n, err := s.feed.Create(context.Background(), in)
	if err != nil {
		t.Fatalf("create %q: %v", in.Text, err)
	}
	return n
}

func parseHTML(t testing.TB, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
