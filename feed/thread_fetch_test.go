package feed

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"roost/federation/vocab"
)

// fakeFetcher serves objects and actors as the federation service would,
// counting what is asked of it.
type fakeFetcher struct {
	mu       sync.Mutex
	objects  map[string]*vocab.Object
	fail     map[string]bool
	calls    int
	actors   int
	deadline bool // every call had a deadline
}

func newFakeFetcher() *fakeFetcher {
	return &fakeFetcher{objects: map[string]*vocab.Object{}, fail: map[string]bool{}, deadline: true}
}

func (f *fakeFetcher) fetchObject(ctx context.Context, id string) (*vocab.Object, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	_, ok := ctx.Deadline()
	f.deadline = f.deadline && ok
	if f.fail[id] {
		return nil, errors.New("fetch object: connection refused")
	}
	o, ok := f.objects[id]
	if !ok {
		return nil, fmt.Errorf("fetch object: %w", ErrNotFound)
	}
	copied := *o
	return &copied, nil
}

func (f *fakeFetcher) fetchActor(ctx context.Context, id string, _ bool) (*vocab.Actor, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.actors++
	u, _ := url.Parse(id)
	return actor(id, "user"+u.Path[len("/users/"):]), nil
}

func (f *fakeFetcher) configure(c *Config) {
	c.FetchObject, c.FetchActor = f.fetchObject, f.fetchActor
}

// chain serves n posts on remote.test, each answering the one before:
// ids .../c0 (the start) to .../c<n-1>. author names each post's author.
func (f *fakeFetcher) chain(n int, author func(i int) string) []string {
	ids := make([]string, n)
	for i := range n {
		ids[i] = fmt.Sprintf("https://remote.test/notes/c%d", i)
		o := publicNote(ids[i], author(i), fmt.Sprintf("<p>chain %d</p>", i), i%60)
		if i > 0 {
			o.InReplyTo = ids[i-1]
		}
		f.objects[ids[i]] = o
	}
	return ids
}

func threadObjects(t *testing.T, s *testSite, object string) (ancestors []string, focus string, missing bool) {
	t.Helper()
	rec := s.do(t, "GET", "/home/thread?object="+url.QueryEscape(object), nil, true)
	if rec.Code != http.StatusOK {
		t.Fatalf("thread of %s: %d", object, rec.Code)
	}
	doc := parseHTML(t, rec)
	for _, n := range doc.Find(`[data-testid="ancestors"] [data-testid="post"]`).Nodes {
		for _, a := range n.Attr {
			if a.Key == "data-object" {
				ancestors = append(ancestors, a.Val)
			}
		}
	}
	focus = doc.Find(`[data-testid="focus"] [data-testid="post"]`).AttrOr("data-object", "")
	return ancestors, focus, doc.Find(`[data-testid="ancestors-missing"]`).Length() == 1
}

func TestThreadFetchesMissingAncestors(t *testing.T) {
	ctx := context.Background()
	fetch := newFakeFetcher()
	s := newTestSite(t, fetch.configure, func(c *Config) { c.Follows = (&followSet{ids: map[string]bool{bobID: true}}).follows })
	ids := fetch.chain(3, func(int) string { return "https://remote.test/users/erin" })
	reply := publicNote("https://remote.test/notes/r", bobID, "<p>late to this</p>", 30)
	reply.InReplyTo = ids[2]
	mustCreated(t, s, reply, actor(bobID, "Bob"))

	ancestors, focus, missing := threadObjects(t, s, reply.ID)
	if fmt.Sprint(ancestors) != fmt.Sprint(ids) || focus != reply.ID || missing {
		t.Fatalf("ancestors %v, focus %s, missing %v", ancestors, focus, missing)
	}
	if fetch.calls != 4 || fetch.actors != 1 || !fetch.deadline {
		t.Errorf("%d fetches (%d actors), deadline %v", fetch.calls, fetch.actors, fetch.deadline)
	}
	p, err := s.feed.PostByObjectID(ctx, ids[0])
	if err != nil || p.Author.Name != "usererin" {
		t.Errorf("fetched ancestor stored as %+v, %v", p, err)
	}
	entries, _ := s.feed.Timeline(ctx, 20, 0, 0)
	if len(entries) != 1 {
		t.Errorf("fetched posts went on the home timeline: %d entries", len(entries))
	}
	// The second view reads them from the database.
	threadObjects(t, s, reply.ID)
	if fetch.calls != 4 {
		t.Errorf("second view fetched again: %d calls", fetch.calls)
	}
}

func TestThreadFetchFailures(t *testing.T) {
	fetch := newFakeFetcher()
	s := newTestSite(t, fetch.configure)
	ids := fetch.chain(3, func(int) string { return "https://remote.test/users/erin" })
	fetch.fail[ids[0]] = true
	// The focus post is unknown too: it is fetched, then its ancestors.
	ancestors, focus, missing := threadObjects(t, s, ids[2])
	if fmt.Sprint(ancestors) != fmt.Sprint(ids[1:2]) || focus != ids[2] || !missing {
		t.Errorf("ancestors %v, focus %s, missing %v", ancestors, focus, missing)
	}

	// A post that claims an author on another server is not believed.
	forged := publicNote("https://remote.test/notes/forged", carolID, "<p>not carol</p>", 1)
	fetch.objects[forged.ID] = forged
	if rec := s.do(t, "GET", "/home/thread?object="+url.QueryEscape(forged.ID), nil, true); rec.Code != http.StatusNotFound {
		t.Errorf("forged post: %d", rec.Code)
	}
	if rec := s.do(t, "GET", "/home/thread?object="+url.QueryEscape("https://remote.test/notes/none"), nil, true); rec.Code != http.StatusNotFound {
		t.Errorf("unknown post: %d", rec.Code)
	}
	fetch.fail["https://remote.test/notes/down"] = true
	if rec := s.do(t, "GET", "/home/thread?object="+url.QueryEscape("https://remote.test/notes/down"), nil, true); rec.Code != http.StatusNotFound {
		t.Errorf("unreachable post: %d", rec.Code)
	}
}

func TestThreadFetchBudget(t *testing.T) {
	tests := []struct {
		name   string
		author func(i int) string
		// ancestors is how many are shown; calls how many fetches were made.
		ancestors, calls int
	}{
		// Every post by someone new: a post and an actor per level, until
		// the 25 fetches are spent.
		{"many authors", func(i int) string { return fmt.Sprintf("https://remote.test/users/u%d", i) }, 12, threadFetchBudget},
		// One author: the depth limit stops the walk first.
		{"one author", func(int) string { return "https://remote.test/users/erin" }, maxAncestors, maxAncestors + 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fetch := newFakeFetcher()
			s := newTestSite(t, fetch.configure)
			ids := fetch.chain(50, tt.author)
			ancestors, focus, missing := threadObjects(t, s, ids[49])
			if focus != ids[49] || len(ancestors) != tt.ancestors || !missing {
				t.Fatalf("focus %s, %d ancestors, missing %v", focus, len(ancestors), missing)
			}
			if ancestors[len(ancestors)-1] != ids[48] || fetch.calls != tt.calls {
				t.Errorf("nearest ancestor %s, %d fetches", ancestors[len(ancestors)-1], fetch.calls)
			}
		})
	}
}

// TestThreadOfAReplyCycle: a peer serves two posts that answer each other.
// The thread view lists each once (it used to list 4^depth copies), and
// fetching does not loop around the cycle.
func TestThreadOfAReplyCycle(t *testing.T) {
	fetch := newFakeFetcher()
	s := newTestSite(t, fetch.configure, func(c *Config) { c.Follows = (&followSet{ids: map[string]bool{bobID: true}}).follows })
	one := publicNote("https://remote.test/notes/one", bobID, "<p>one</p>", 1)
	two := publicNote("https://remote.test/notes/two", bobID, "<p>two</p>", 2)
	one.InReplyTo, two.InReplyTo = two.ID, one.ID
	fetch.objects[two.ID] = two
	mustCreated(t, s, one, actor(bobID, "Bob"))

	rec := s.do(t, "GET", "/home/thread?object="+url.QueryEscape(one.ID), nil, true)
	if rec.Code != http.StatusOK {
		t.Fatalf("thread: %d", rec.Code)
	}
	posts := parseHTML(t, rec).Find(`[data-testid="post"]`)
	if posts.Length() != 2 {
		t.Errorf("thread of a two-post cycle shows %d posts (%d bytes)", posts.Length(), rec.Body.Len())
	}
	if fetch.calls > 2 {
		t.Errorf("%d fetches around a two-post cycle", fetch.calls)
	}
}
