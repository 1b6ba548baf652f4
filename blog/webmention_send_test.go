package blog

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// webPages is a web site whose every page advertises one endpoint, which
// records the targets it is told about.
type webPages struct {
	mu      sync.Mutex
	targets []string
	sources []string
}

func (p *webPages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		p.mu.Lock()
		p.targets = append(p.targets, r.PostFormValue("target"))
		p.sources = append(p.sources, r.PostFormValue("source"))
		p.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		return
	}
	w.Header().Set("Link", `</endpoint>; rel="webmention"`)
	w.WriteHeader(http.StatusOK)
}

// told returns and forgets the targets told since the last call, sorted.
func (p *webPages) told() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.targets
	p.targets = nil
	slices.Sort(out)
	return out
}

// drainSends runs every due send, as the loop does.
func drainSends(t *testing.T, b *Blog) {
	t.Helper()
	for {
		batch, err := b.claimSends(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			return
		}
		for _, s := range batch {
			b.runSend(s)
		}
	}
}

func TestWebmentionsGoToOldAndNewTargets(t *testing.T) {
	f := newFixture(t)
	web := &webPages{}
	srv := httptest.NewServer(web)
	defer srv.Close()
	f.blog.webClient = srv.Client()
	ctx := context.Background()
	page := func(name string) string { return srv.URL + "/" + name }

	a := f.create(t, ArticleInput{Title: "Links", Body: "[a](" + page("a") + "#part) [b](" + page("b") + ") [a again](" + page("a") +
		") [home](" + testBase + "/blog/) [mail](mailto:bob@example.com)"})
	drainSends(t, f.blog)
	if got, want := web.told(), []string{page("a"), page("b")}; !slices.Equal(got, want) {
		t.Fatalf("published: told %v, want %v", got, want)
	}

	in := ArticleInput{Title: "Links", Body: "[b](" + page("b") + ") [c](" + page("c") + ")"}
	if _, err := f.blog.Update(ctx, a.ID, in); err != nil {
		t.Fatal(err)
	}
	drainSends(t, f.blog)
	if got, want := web.told(), []string{page("a"), page("b"), page("c")}; !slices.Equal(got, want) {
		t.Fatalf("edited: told %v, want the old target a and the new b, c: %v", got, want)
	}

	in.Body = "[b](" + page("b") + ")"
	if _, err := f.blog.Update(ctx, a.ID, in); err != nil {
		t.Fatal(err)
	}
	drainSends(t, f.blog)
	if got, want := web.told(), []string{page("b"), page("c")}; !slices.Equal(got, want) {
		t.Fatalf("edited again: told %v, want %v (a heard of the removal already)", got, want)
	}

	if err := f.blog.Delete(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	drainSends(t, f.blog)
	if got, want := web.told(), []string{page("b")}; !slices.Equal(got, want) {
		t.Fatalf("deleted: told %v, want %v", got, want)
	}
}

// A post that moves to a new address tells its links from both: the old
// address is gone, the new one is the mention now.
func TestWebmentionsFollowAMovedPost(t *testing.T) {
	f := newFixture(t)
	web := &webPages{}
	srv := httptest.NewServer(web)
	defer srv.Close()
	f.blog.webClient = srv.Client()
	body := "[a](" + srv.URL + "/a)"
	a := f.create(t, ArticleInput{Title: "Old name", Body: body})
	drainSends(t, f.blog)
	web.sources = nil
	if _, err := f.blog.Update(context.Background(), a.ID, ArticleInput{Title: "New name", Slug: "new-name", Body: body}); err != nil {
		t.Fatal(err)
	}
	drainSends(t, f.blog)
	got := slices.Sorted(slices.Values(web.sources))
	if want := []string{testBase + "/blog/new-name", testBase + "/blog/old-name"}; !slices.Equal(got, want) {
		t.Errorf("sources told %v, want %v", got, want)
	}
}

// A post saved again while its Webmention is being sent is sent again:
// the send under way does not mark the newer one done.
func TestWebmentionSavedDuringSendIsSentAgain(t *testing.T) {
	f := newFixture(t)
	web := &webPages{}
	srv := httptest.NewServer(web)
	defer srv.Close()
	f.blog.webClient = srv.Client()
	ctx := context.Background()
	body := "[a](" + srv.URL + "/a)"
	a := f.create(t, ArticleInput{Title: "Racing", Body: body})
	batch, err := f.blog.claimSends(ctx)
	if err != nil || len(batch) != 1 {
		t.Fatalf("claim: %v, %v", batch, err)
	}
	if _, err := f.blog.Update(ctx, a.ID, ArticleInput{Title: "Racing", Body: body + " and more"}); err != nil {
		t.Fatal(err)
	}
	f.blog.runSend(batch[0])
	drainSends(t, f.blog)
	if got := web.told(); len(got) != 2 {
		t.Fatalf("told %v, want the target twice", got)
	}
}

// A send that fails with 500 waits longer each time; one that fails with
// 404 is given up at once.
func TestWebmentionSendBacksOff(t *testing.T) {
	f := newFixture(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Link", `</endpoint>; rel="webmention"`)
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	f.blog.webClient = srv.Client()
	f.create(t, ArticleInput{Title: "Down", Body: "[a](" + srv.URL + "/a) [gone](" + srv.URL + "/gone)"})
	var waits []time.Duration
	for range 4 {
		drainSends(t, f.blog)
		var next int64
		if err := f.blog.db.QueryRow(`SELECT next_try FROM webmention_sends WHERE target = ? AND done = 0`, srv.URL+"/a").Scan(&next); err != nil {
			t.Fatal(err)
		}
		wait := time.UnixMilli(next).Sub(f.clock.Now())
		waits = append(waits, wait)
		f.clock.Add(wait)
	}
	if want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}; !slices.Equal(waits, want) {
		t.Errorf("waits %v, want %v", waits, want)
	}
	var done, attempts int
	if err := f.blog.db.QueryRow(`SELECT done, attempts FROM webmention_sends WHERE target = ?`, srv.URL+"/gone").Scan(&done, &attempts); err != nil {
		t.Fatal(err)
	}
	if done != 1 || attempts != 1 {
		t.Errorf("the 404 target: done %d after %d attempts, want given up after 1", done, attempts)
	}
}

// The same Webmention received twice while it waits is one check.
func TestReceivedWebmentionWaitsOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for range 2 {
		if err := f.blog.queueCheck(ctx, "https://fern.example/post", testBase+"/blog/x"); err != nil {
			t.Fatal(err)
		}
	}
	var n, gen int
	if err := f.blog.db.QueryRow(`SELECT COUNT(*), MAX(gen) FROM webmention_checks`).Scan(&n, &gen); err != nil {
		t.Fatal(err)
	}
	if n != 1 || gen != 2 {
		t.Errorf("%d checks at generation %d, want one at 2", n, gen)
	}
}

// A Webmention to a note is stored beside the comments, held when the site
// holds comments, and approved and deleted with the comment buttons.
func TestNoteWebmentionIsModeratedLikeAComment(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	note := testBase + "/notes/42"
	f.blog.noteTarget = func(_ context.Context, u string) (string, bool) { return note, u == note }
	f.blog.fetchPage = func(context.Context, string) ([]byte, error) {
		return []byte(`<div class="h-entry"><a class="u-in-reply-to" href="` + note + `">re</a>
			<a class="p-author h-card" href="https://fern.example/">Fern</a><p class="e-content">Agreed.</p></div>`), nil
	}
	f.hold = true
	if err := f.blog.verifyWebmention(ctx, "https://fern.example/reply", note); err != nil {
		t.Fatal(err)
	}
	if list, err := f.blog.NoteWebmentions(ctx, note, false); err != nil || len(list) != 0 {
		t.Fatalf("visitors see %v (%v) of a held mention", list, err)
	}
	list, err := f.blog.NoteWebmentions(ctx, note, true)
	if err != nil || len(list) != 1 || !list[0].Held || list[0].Via != "A web reply" || list[0].AuthorName != "Fern" {
		t.Fatalf("the owner sees %+v (%v)", list, err)
	}
	w := f.postForm(t, "/blog/comments/"+list[0].ID+"/approve", "")
	wantStatus(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != "/notes/42#webmentions" {
		t.Errorf("approve went to %q", loc)
	}
	if list, _ := f.blog.NoteWebmentions(ctx, note, false); len(list) != 1 || list[0].ContentHTML != "Agreed." {
		t.Fatalf("after approval visitors see %+v", list)
	}
	wantStatus(t, f.postForm(t, "/blog/comments/"+list[0].ID+"/block", ""), http.StatusSeeOther)
	if list, _ := f.blog.NoteWebmentions(ctx, note, true); len(list) != 0 || !slices.Equal(f.blocked, []string{"https://fern.example/"}) {
		t.Fatalf("after block: %+v, blocked %v", list, f.blocked)
	}
}
