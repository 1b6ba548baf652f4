package blog

import (
	"context"
	"database/sql"
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

const testBase = "https://alice.example"

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sent records what the blog published.
type sent struct {
	mu   sync.Mutex
	acts []vocab.OutActivity
}

func (s *sent) Publish(_ context.Context, _ *sql.Tx, a vocab.OutActivity, to federation.Audience) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !to.Followers {
		panic("blog activities must go to followers")
	}
	s.acts = append(s.acts, a)
	return nil
}

func (s *sent) types() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, a := range s.acts {
		out = append(out, a.Type)
	}
	return out
}

type fixture struct {
	blog  *Blog
	clock *clock
	sent  *sent
	mux   *http.ServeMux
	saved []string // alt texts SaveImage received
	// imageErr, when set, is what SaveImage fails with.
	imageErr error
	// added are the comments CommentAdded heard of.
	added []Comment
	// hold is the hold-comments setting; blocked the authors blocked.
	hold    bool
	blocked []string
}

// ownerHeader marks a request as the owner's in tests; the fake ownerOnly
// and page functions read it.
const ownerHeader = "X-Test-Owner"

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db, err := database.OpenTemp(t.TempDir(), database.Room{Name: "blog", Steps: Migrations, Postgres: PostgresMigrations})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{clock: &clock{t: time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)}, sent: &sent{}}
	f.blog = New(Config{
		DB:           db,
		BaseURL:      testBase + "/",
		ActorID:      testBase + "/actor",
		FollowersURL: testBase + "/followers",
		Page: func(r *http.Request, title string) templates.Page {
			return templates.Page{Title: title, Site: templates.Site{Name: "Alice", BaseURL: testBase, IsOwner: r.Header.Get(ownerHeader) == "yes"}}
		},
		SaveImage: func(_ context.Context, r io.Reader, alt string) (string, error) {
			if f.imageErr != nil {
				return "", f.imageErr
			}
			if _, err := io.Copy(io.Discard, r); err != nil {
				return "", err
			}
			f.saved = append(f.saved, alt)
			return testBase + "/media/cat 1.png", nil
		},
		Publisher:    f.sent,
		Now:          f.clock.Now,
		CommentAdded: func(_ context.Context, c Comment) { f.added = append(f.added, c) },
		HoldComments: func() bool { return f.hold },
		BlockAuthor: func(_ context.Context, actorID string) error {
			f.blocked = append(f.blocked, actorID)
			return nil
		},
	})
	f.mux = http.NewServeMux()
	f.blog.Routes(f.mux, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get(ownerHeader) != "yes" {
				http.Error(w, "log in first", http.StatusUnauthorized)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	return f
}

func (f *fixture) create(t testing.TB, in ArticleInput) Article {
	t.Helper()
	if in.Body == "" {
		in.Body = "Some *text* for " + in.Title + "."
	}
	a, err := f.blog.Create(context.Background(), in)
	if err != nil {
		t.Fatalf("create %q: %v", in.Title, err)
	}
	return a
}

// do serves a request; owner makes it the owner's.
func (f *fixture) do(t testing.TB, method, target, contentType string, body io.Reader, owner bool, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, body)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if owner {
		r.Header.Set(ownerHeader, "yes")
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	f.mux.ServeHTTP(w, r)
	return w
}

func (f *fixture) get(t testing.TB, target string, owner bool) *httptest.ResponseRecorder {
	return f.do(t, http.MethodGet, target, "", nil, owner)
}

func (f *fixture) postForm(t testing.TB, target, form string) *httptest.ResponseRecorder {
	return f.do(t, http.MethodPost, target, "application/x-www-form-urlencoded", strings.NewReader(form), true)
}

func parse(t testing.TB, w *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(w.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func wantStatus(t testing.TB, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body:\n%.2000s", w.Code, status, w.Body.String())
	}
}
