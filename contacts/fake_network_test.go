package contacts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"roost/cmd/roost/database"
	"roost/federation"
	"roost/federation/vocab"
	"roost/templates"
)

const (
	base  = "https://alice.example"
	owner = base + "/actor"
)

// sent is one activity handed to the network.
type sent struct {
	act vocab.OutActivity
	to  federation.Audience
}

// fakeNetwork resolves handles from a table, serves actors by id and
// records what is published.
type fakeNetwork struct {
	handles    map[string]string // typed input -> actor id
	actors     map[string]*vocab.Actor
	feeds      map[string][]federation.FeedLink
	published  []sent
	publishErr error
	// stall, when set, makes resolving an input that contains it hang
	// until the caller's context ends, after a signal on stalled.
	stall   string
	stalled chan string
}

func (f *fakeNetwork) Resolve(ctx context.Context, input string) (*federation.Resolution, error) {
	if f.stall != "" && strings.Contains(input, f.stall) {
		select {
		case f.stalled <- input:
		default:
		}
		<-ctx.Done()
		return nil, fmt.Errorf("resolve %q: %w", input, ctx.Err())
	}
	if id, ok := f.handles[input]; ok {
		return &federation.Resolution{Actor: f.actors[id], Tried: []string{"WebFinger " + input}}, nil
	}
	if feeds, ok := f.feeds[input]; ok {
		return &federation.Resolution{Feeds: feeds, Tried: []string{"WebFinger " + input + ": 404", "feed links found"}}, nil
	}
	res := &federation.Resolution{Tried: []string{
		"WebFinger acct:" + input + "@" + input + ": 404 Not Found",
		"GET https://" + input + "/ as ActivityStreams: connection refused",
	}}
	return res, fmt.Errorf("resolve %q: %w", input, federation.ErrUnresolvable)
}

func (f *fakeNetwork) FetchActor(_ context.Context, id string, _ bool) (*vocab.Actor, error) {
	if a, ok := f.actors[id]; ok {
		return a, nil
	}
	return nil, fmt.Errorf("fetch %s: %w", id, federation.ErrNotFound)
}

func (f *fakeNetwork) Publish(_ context.Context, _ *sql.Tx, act vocab.OutActivity, to federation.Audience) error {
	if f.publishErr != nil {
		return f.publishErr
	}
	f.published = append(f.published, sent{act, to})
	return nil
}

func (f *fakeNetwork) ActorID() string { return owner }

// last is the most recently published activity.
func (f *fakeNetwork) last(t *testing.T) sent {
	t.Helper()
	if len(f.published) == 0 {
		t.Fatal("nothing was published")
	}
	return f.published[len(f.published)-1]
}

func person(id, user, name string) *vocab.Actor {
	return &vocab.Actor{ID: id, Type: vocab.TypePerson, PreferredUsername: user, Name: name, Inbox: id + "/inbox", URL: id}
}

// Remote people of the tests: bob and carol share example.social's shared
// inbox, dave's server has none.
var (
	bob   = "https://example.social/users/bob"
	carol = "https://example.social/users/carol"
	dave  = "https://other.example/dave"
	bob2  = "https://new.example/users/bob"
	frank = "https://friend.com/actor"
)

func newFakeNetwork() *fakeNetwork {
	b := person(bob, "bob", "Bob")
	b.SharedInbox = "https://example.social/inbox"
	b.IconURL = "https://example.social/avatars/bob.png"
	b.SummaryHTML = "<p>Gardener &amp; <a href=\"https://example.social/tags/go\">#go</a> fan</p>"
	b.Fields = []vocab.Field{{Name: "Home", ValueHTML: `<a href="https://bob.example">bob.example</a>`}}
	c := person(carol, "carol", "Carol")
	c.SharedInbox = "https://example.social/inbox"
	b2 := person(bob2, "bob", "Bob (new)")
	b2.AlsoKnownAs = []string{bob}
	return &fakeNetwork{
		handles: map[string]string{
			"@bob@example.social":   bob,
			"@carol@example.social": carol,
			"dave@other.example":    dave,
			"@dave@other.example":   dave,
			"@friend.com":           frank,
			"@alice.example":        owner,
		},
		actors: map[string]*vocab.Actor{
			bob:   b,
			carol: c,
			dave:  person(dave, "dave", ""),
			bob2:  b2,
			frank: person(frank, "friend.com", "Frank"),
			owner: person(owner, "alice.example", "Alice"),
		},
		feeds: map[string][]federation.FeedLink{
			"blog.example": {{URL: "https://blog.example/feed.xml", Type: "application/rss+xml", Title: "Blog"}},
		},
	}
}

// fixture is a contacts room on a fresh database with a fake network.
type fixture struct {
	c       *Contacts
	net     *fakeNetwork
	manual  bool
	mux     *http.ServeMux
	clock   time.Time
	follows int // counts FollowRequested calls, to mint distinct ids

	mu       sync.Mutex // guards clock and items: feeds are polled concurrently
	items    []FeedItem // what reached the timeline
	itemsErr error      // when set, the timeline refuses items
}

func (f *fixture) itemArrived(_ context.Context, it FeedItem) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.itemsErr != nil {
		return f.itemsErr
	}
	f.items = append(f.items, it)
	return nil
}

// advance moves the fixture's clock on.
func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clock = f.clock.Add(d)
}

// loopbackOnly is an HTTP client that refuses every address but loopback,
// so that no test reaches the network.
func loopbackOnly() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				return nil, fmt.Errorf("dial %s: %w", addr, federation.ErrForbiddenAddress)
			}
			return dialer.DialContext(ctx, network, addr)
		},
	}}
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db, err := database.OpenTemp(t.TempDir(), database.Room{Name: "contacts", Steps: Migrations, Postgres: PostgresMigrations})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{net: newFakeNetwork(), clock: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	f.c = New(Config{
		DB:               db,
		BaseURL:          base + "/",
		Network:          f.net,
		ManuallyApproves: func(context.Context) bool { return f.manual },
		Page: func(r *http.Request, title string) templates.Page {
			return templates.Page{Site: templates.Site{Name: "Alice", BaseURL: base, IsOwner: true}, Title: title}
		},
		// Every reading of the clock moves it on, so "newest first" is
		// well defined.
		Now: func() time.Time {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.clock = f.clock.Add(time.Minute)
			return f.clock
		},
		HTTPClient:  loopbackOnly(),
		ItemArrived: f.itemArrived,
	})
	f.mux = http.NewServeMux()
	f.c.Routes(f.mux, func(h http.Handler) http.Handler { return h })
	return f
}

// followMe delivers a Follow of the owner from actorID and returns its id.
func (f *fixture) followMe(t *testing.T, actorID string) (string, bool) {
	t.Helper()
	f.follows++
	id := fmt.Sprintf("%s#follows/%d", actorID, f.follows)
	accepted, err := f.c.FollowHandler().FollowRequested(context.Background(),
		&vocab.Activity{ID: id, Type: vocab.TypeFollow, Actor: actorID, ObjectID: owner}, f.net.actors[actorID])
	if err != nil {
		t.Fatalf("FollowRequested(%s): %v", actorID, err)
	}
	return id, accepted
}

// following makes the owner follow actorID through handle and has it accepted.
func (f *fixture) following(t *testing.T, handle string) Contact {
	t.Helper()
	ct, err := f.c.Follow(context.Background(), handle)
	if err != nil {
		t.Fatalf("Follow(%s): %v", handle, err)
	}
	if err := f.c.FollowHandler().FollowAnswered(context.Background(), ct.ActorID, true); err != nil {
		t.Fatal(err)
	}
	return ct
}

func actorIDs(list []Contact) []string {
	ids := []string{}
	for _, c := range list {
		ids = append(ids, c.ActorID)
	}
	return ids
}

// embedded returns the activity an Undo, Accept or Reject carries.
func embedded(t *testing.T, s sent) vocab.OutActivity {
	t.Helper()
	inner, ok := s.act.Object.(vocab.OutActivity)
	if !ok {
		t.Fatalf("%s object is %T, want an embedded activity", s.act.Type, s.act.Object)
	}
	return inner
}

var errBoom = errors.New("queue is down")
