package mastodon

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"roost/cmd/roost/database"
	"roost/federation"
	"roost/federation/vocab"
	"roost/feed"
	"roost/feed/media"
)

const testBase = "https://alice.test"

type fakePublisher struct {
	mu  sync.Mutex
	got []vocab.OutActivity
}

func (p *fakePublisher) Publish(_ context.Context, _ *sql.Tx, a vocab.OutActivity, _ federation.Audience) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.got = append(p.got, a)
	return nil
}

func (p *fakePublisher) types() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, a := range p.got {
		out = append(out, a.Type)
	}
	return out
}

// fakeRemote records reactions and serves canned notifications.
type fakeRemote struct {
	mu      sync.Mutex
	actions []string
	notes   []Notification
	feed    *feed.Feed
	stored  []Post
	edits   map[int64][]Edit
	home    []Post // others' posts on the home timeline
	// reacted is who liked or boosted an object, keyed "kind object".
	reacted map[string][]*vocab.Actor
}

func (f *fakeRemote) Timeline(ctx context.Context, p Page) ([]Post, error) {
	notes, err := f.feed.Notes(ctx, p.Limit, p.MaxID, true)
	var out []Post
	for _, n := range notes {
		out = append(out, noteToPost(n))
	}
	out = append(out, f.home...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return clip(out, p), err
}
func (f *fakeRemote) OwnPosts(ctx context.Context, p Page) ([]Post, error) {
	notes, err := f.feed.Notes(ctx, fetchLimit, p.MaxID, true)
	var out []Post
	for _, n := range notes {
		out = append(out, noteToPost(n))
	}
	return clip(out, p), err
}

func (f *fakeRemote) Post(ctx context.Context, id int64) (Post, error) {
	for _, p := range f.stored {
		if p.ID == id {
			return p, nil
		}
	}
	return Post{}, ErrNotFound
}
func (f *fakeRemote) PostByObjectID(ctx context.Context, id string) (Post, error) {
	for _, p := range f.stored {
		if p.ObjectID == id {
			return p, nil
		}
	}
	return Post{}, ErrNotFound
}
func (f *fakeRemote) Store(ctx context.Context, obj *vocab.Object, author *vocab.Actor) (Post, error) {
	p := Post{ID: newID(time.Now()), ObjectID: obj.ID, URL: obj.ID, Author: author, ContentHTML: obj.ContentHTML,
		Visibility: "public", Created: obj.Published}
	f.stored = append(f.stored, p)
	return p, nil
}
func (f *fakeRemote) Replies(ctx context.Context, id string) ([]Post, error) {
	var out []Post
	for _, p := range f.stored {
		if p.InReplyTo == id {
			out = append(out, p)
		}
	}
	return out, nil
}
func (f *fakeRemote) act(s string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.actions = append(f.actions, s)
	return nil
}

// inFeed records an action and applies it to the feed room when the object
// is there (the owner's notes), as the real adapter does.
func (f *fakeRemote) inFeed(ctx context.Context, verb, id string, apply func(context.Context, string) error) error {
	_ = f.act(verb + " " + id)
	if err := apply(ctx, id); err != nil && !isNotFound(err) {
		return err
	}
	return nil
}
func (f *fakeRemote) Like(ctx context.Context, id string) error {
	return f.inFeed(ctx, "like", id, f.feed.Like)
}
func (f *fakeRemote) Unlike(ctx context.Context, id string) error {
	return f.inFeed(ctx, "unlike", id, f.feed.Unlike)
}
func (f *fakeRemote) Boost(ctx context.Context, id string) error {
	return f.inFeed(ctx, "boost", id, f.feed.Boost)
}
func (f *fakeRemote) Unboost(ctx context.Context, id string) error {
	return f.inFeed(ctx, "unboost", id, f.feed.Unboost)
}
func (f *fakeRemote) Bookmark(ctx context.Context, id string) error {
	return f.inFeed(ctx, "bookmark", id, f.feed.Bookmark)
}
func (f *fakeRemote) Unbookmark(ctx context.Context, id string) error {
	return f.inFeed(ctx, "unbookmark", id, f.feed.Unbookmark)
}
func (f *fakeRemote) Bookmarked(ctx context.Context, p Page) ([]Post, []int64, error) {
	return fakeEntries(f.feed.Bookmarked(ctx, p.Limit, p.MaxID))
}
func (f *fakeRemote) Favourites(ctx context.Context, p Page) ([]Post, []int64, error) {
	return fakeEntries(f.feed.OwnLikes(ctx, p.Limit, p.MaxID))
}

// fakeEntries turns the feed room's entries of the owner's notes into posts.
func fakeEntries(list []feed.Entry, err error) ([]Post, []int64, error) {
	var posts []Post
	var cursors []int64
	for _, e := range list {
		p := e.Post
		posts = append(posts, Post{ID: p.ID, ObjectID: p.ObjectID, URL: p.URL, ContentHTML: p.HTML, Visibility: p.Visibility,
			Created: p.Published, Favourited: p.Liked, Reblogged: p.Boosted, Bookmarked: p.Bookmarked})
		cursors = append(cursors, e.ID)
	}
	return posts, cursors, err
}
func (f *fakeRemote) Notifications(ctx context.Context, p Page, types []string) ([]Notification, error) {
	var out []Notification
	for _, n := range f.notes {
		if contains(types, n.Type) && inPage(p, n.ID) {
			out = append(out, n)
		}
	}
	return out, nil
}
func (f *fakeRemote) Notification(ctx context.Context, id int64) (Notification, error) {
	for _, n := range f.notes {
		if n.ID == id {
			return n, nil
		}
	}
	return Notification{}, ErrNotFound
}
func (f *fakeRemote) DismissNotification(ctx context.Context, id int64) error {
	for i, n := range f.notes {
		if n.ID == id {
			f.notes = append(f.notes[:i:i], f.notes[i+1:]...)
			return nil
		}
	}
	return ErrNotFound
}
func (f *fakeRemote) ClearNotifications(ctx context.Context) error { f.notes = nil; return nil }

var bob = &vocab.Actor{ID: "https://bob.test/users/bob", Type: vocab.TypePerson, PreferredUsername: "bob", Name: "Bob",
	URL: "https://bob.test/@bob", Inbox: "https://bob.test/inbox", Published: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}

type testAPI struct {
	api    *API
	feed   *feed.Feed
	pub    *fakePublisher
	remote *fakeRemote
	srv    *httptest.Server
	token  string
	owner  bool // what IsOwner answers
}

// newTestAPI builds an API over a fresh database; opts change its
// configuration before it is built.
func newTestAPI(t testing.TB, withRemote bool, opts ...func(*Config)) *testAPI {
	t.Helper()
	dir := t.TempDir()
	db, err := database.OpenTemp(dir, database.Room{Name: "feed", Steps: feed.Migrations, Postgres: feed.PostgresMigrations},
		database.Room{Name: "media", Steps: media.Migrations}, database.Room{Name: "mastodon", Steps: Migrations})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ta := &testAPI{pub: &fakePublisher{}}
	clock := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	ta.feed = feed.New(feed.Config{DB: db, Queries: database.NewStatements(db), BaseURL: testBase, ActorID: testBase + "/actor", FollowersURL: testBase + "/followers",
		Publisher: ta.pub, Now: now})
	store, err := media.NewStore(db, dir+"/media", testBase, 0)
	if err != nil {
		t.Fatal(err)
	}
	profile := federation.Profile{Username: "alice.test", Name: "Alice", Bio: "Hello", Discoverable: true, Created: clock}
	cfg := Config{DB: db, BaseURL: testBase, Version: "0.1.0", Feed: ta.feed, Media: store, RateLimit: -1, Now: now,
		Lists: &memoryLists{members: map[int64][]string{}},
		CheckPassword: func(_ *http.Request, pw string) error {
			if pw != "correct horse" {
				return io.EOF
			}
			return nil
		},
		IsOwner:     func(*http.Request) bool { return ta.owner },
		Profile:     func(context.Context) (federation.Profile, error) { return profile, nil },
		SaveProfile: func(_ context.Context, p federation.Profile) error { profile = p; return nil },
		Resolve: func(_ context.Context, in string) (*vocab.Actor, error) {
			if in == "@bob.test" || in == "bob@bob.test" || in == "@bob@bob.test" || in == bob.ID {
				return bob, nil
			}
			return nil, ErrNotFound
		},
		FetchObject: func(_ context.Context, id string) (*vocab.Object, error) {
			if id == "https://bob.test/notes/1" {
				return &vocab.Object{ID: id, Type: vocab.TypeNote, AttributedTo: bob.ID, ContentHTML: "<p>hi</p>", Published: clock}, nil
			}
			return nil, ErrNotFound
		},
	}
	if withRemote {
		ta.remote = &fakeRemote{feed: ta.feed}
		cfg.Remote = ta.remote
	}
	for _, o := range opts {
		o(&cfg)
	}
	ta.api, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	ownerOnly := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !ta.owner {
				http.Error(w, "no", http.StatusUnauthorized)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	ta.api.Routes(mux, ownerOnly)
	ta.srv = httptest.NewServer(mux)
	t.Cleanup(ta.srv.Close)
	ta.token = ta.passwordToken(t, "read write follow push")
	return ta
}

// register registers an app and returns its client id and secret.
func (ta *testAPI) register(t testing.TB, redirect, scopes string) (string, string) {
	t.Helper()
	var app map[string]any
	ta.do(t, "POST", "/api/v1/apps", "", url.Values{"client_name": {"Test"}, "redirect_uris": {redirect}, "scopes": {scopes}}, 200, &app)
	return app["client_id"].(string), app["client_secret"].(string)
}

func (ta *testAPI) passwordToken(t testing.TB, scopes string) string {
	id, secret := ta.register(t, oob, scopes)
	var tok map[string]any
	ta.do(t, "POST", "/oauth/token", "", url.Values{"grant_type": {"password"}, "client_id": {id}, "client_secret": {secret},
		"username": {"alice.test"}, "password": {"correct horse"}, "scope": {scopes}}, 200, &tok)
	return tok["access_token"].(string)
}

// do sends a request with a form (url.Values), a JSON body (anything else)
// or none, checks the status and decodes the answer into out.
func (ta *testAPI) do(t testing.TB, method, path, token string, body any, want int, out any) *http.Response {
	t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		rd, ct = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		j, _ := json.Marshal(b)
		rd, ct = bytes.NewReader(j), "application/json"
	}
	req, _ := http.NewRequest(method, ta.srv.URL+path, rd)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.StatusCode, want, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
	return resp
}

func (ta *testAPI) post(t testing.TB, text string) map[string]any {
	t.Helper()
	var s map[string]any
	ta.do(t, "POST", "/api/v1/statuses", ta.token, map[string]any{"status": text}, 200, &s)
	return s
}

func readAll(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func testNow() time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) }

func (ta *testAPI) doWithHeader(t testing.TB, method, path string, body any, hk, hv string, out any) *http.Response {
	t.Helper()
	j, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, ta.srv.URL+path, bytes.NewReader(j))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+ta.token)
	req.Header.Set(hk, hv)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%s %s: %d %v", method, path, resp.StatusCode, err)
	}
	return resp
}

// memoryLists keeps lists in memory, standing in for the contacts room's groups.
type memoryLists struct {
	mu      sync.Mutex
	lists   []List
	members map[int64][]string
}

func (m *memoryLists) Lists(context.Context) ([]List, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]List(nil), m.lists...), nil
}

func (m *memoryLists) List(_ context.Context, id int64) (List, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, l := range m.lists {
		if l.ID == id {
			return l, nil
		}
	}
	return List{}, ErrNotFound
}

func (m *memoryLists) CreateList(_ context.Context, l List) (List, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l.ID = int64(len(m.lists) + 1)
	m.lists = append(m.lists, l)
	return l, nil
}

func (m *memoryLists) UpdateList(_ context.Context, l List) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.lists {
		if m.lists[i].ID == l.ID {
			m.lists[i] = l
		}
	}
	return nil
}

func (m *memoryLists) DeleteList(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.lists {
		if m.lists[i].ID == id {
			m.lists = append(m.lists[:i], m.lists[i+1:]...)
			return nil
		}
	}
	return ErrNotFound
}

func (m *memoryLists) ListMembers(_ context.Context, id int64) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.members[id]...), nil
}

func (m *memoryLists) AddToList(_ context.Context, id int64, actorID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.members[id] = append(m.members[id], actorID)
	return nil
}

func (m *memoryLists) RemoveFromList(_ context.Context, id int64, actorID string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	kept := m.members[id][:0]
	for _, a := range m.members[id] {
		if a != actorID {
			kept = append(kept, a)
		}
	}
	m.members[id] = kept
	return nil
}
