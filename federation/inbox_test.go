package federation

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"roost/federation/httpsig"
	"roost/federation/vocab"
)

// recorder implements every handler interface and notes each call.
type recorder struct {
	mu      sync.Mutex
	calls   []string
	accept  bool
	blocked map[string]bool
}

func (r *recorder) note(s string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, s)
	return nil
}

func (r *recorder) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

func (r *recorder) FollowRequested(ctx context.Context, f *vocab.Activity, from *vocab.Actor) (bool, error) {
	return r.accept, r.note("follow " + from.ID + " " + f.ID)
}
func (r *recorder) FollowUndone(ctx context.Context, id string) error {
	return r.note("unfollow " + id)
}
func (r *recorder) FollowAnswered(ctx context.Context, id string, ok bool) error {
	if ok {
		return r.note("accepted " + id)
	}
	return r.note("rejected " + id)
}
func (r *recorder) Blocked(ctx context.Context, id string) error { return r.note("blocked-by " + id) }
func (r *recorder) Unblocked(ctx context.Context, id string) error {
	return r.note("unblocked-by " + id)
}
func (r *recorder) FollowUndoneByID(ctx context.Context, id, follow string) error {
	return r.note("unfollow " + id + " by id " + follow)
}
func (r *recorder) Moved(ctx context.Context, id, target string) error {
	return r.note("moved " + id + " " + target)
}
func (r *recorder) PostCreated(ctx context.Context, o *vocab.Object, a *vocab.Actor) error {
	return r.note("created " + o.ID + " by " + a.ID)
}
func (r *recorder) PostUpdated(ctx context.Context, o *vocab.Object, a *vocab.Actor) error {
	return r.note("updated " + o.ID)
}
func (r *recorder) PostDeleted(ctx context.Context, id, actor string) error {
	return r.note("deleted " + id)
}
func (r *recorder) Liked(ctx context.Context, act, obj string, from *vocab.Actor) error {
	return r.note("liked " + obj)
}
func (r *recorder) Unliked(ctx context.Context, act, obj, actor string) error {
	return r.note("unliked " + obj)
}
func (r *recorder) Announced(ctx context.Context, act, obj string, o *vocab.Object, from *vocab.Actor) error {
	return r.note("announced " + obj)
}
func (r *recorder) Unannounced(ctx context.Context, act, actor string) error {
	return r.note("unannounced " + act)
}
func (r *recorder) Flagged(ctx context.Context, act, content string, ids []string, from *vocab.Actor) error {
	return r.note("flagged " + strings.Join(ids, ","))
}

type gate struct{ r *recorder }

func (g gate) Blocked(ctx context.Context, id string) bool { return g.r.blocked[id] }

// inboxFixture is alice's site, bob on bob.test, and a recorder wired as
// every handler.
type inboxFixture struct {
	site    *site
	bob     *peer
	bobID   string
	bobKey  *rsa.PrivateKey
	rec     *recorder
	network *testNet
}

// newInboxFixture starts alice's queues too; post waits until what it
// delivered is processed.
func newInboxFixture(t testing.TB, opts ...func(*Config)) *inboxFixture {
	t.Helper()
	f := newIdleInboxFixture(t, opts...)
	f.site.start(t)
	return f
}

// newIdleInboxFixture does not start alice's queues: what arrives waits.
func newIdleInboxFixture(t testing.TB, opts ...func(*Config)) *inboxFixture {
	t.Helper()
	network := newTestNet()
	f := &inboxFixture{network: network, rec: &recorder{accept: true, blocked: map[string]bool{}}}
	f.bob = newPeer(t, network, "bob.test")
	f.bobKey = testKey(t, 1)
	f.bobID = f.bob.addActor("bob", f.bobKey)
	f.site = newTestSite(t, network, opts...)
	f.site.SetHandlers(f.rec, f.rec, f.rec, nil, gate{f.rec}, nil)
	return f
}

// post delivers an activity signed by bob's key to alice's shared inbox
// and, when alice's queues run, waits until it is processed.
func (f *inboxFixture) post(t testing.TB, activity map[string]any) *httptest.ResponseRecorder {
	t.Helper()
	w := f.postRaw(t, mustJSON(t, activity), f.bobID+"#main-key", f.bobKey, time.Now())
	if f.site.running {
		f.site.waitInbox(t)
	}
	return w
}

func (f *inboxFixture) postRaw(t testing.TB, body []byte, keyID string, key *rsa.PrivateKey, at time.Time) *httptest.ResponseRecorder {
	t.Helper()
	r := signedPost(t, "http://alice.test/inbox", body, keyID, key, at)
	w := httptest.NewRecorder()
	f.site.mux.ServeHTTP(w, r)
	return w
}

func note(id, author string) map[string]any {
	return map[string]any{"id": id, "type": vocab.TypeNote, "attributedTo": author, "content": "<p>hi</p>",
		"to": []any{vocab.Public}}
}

func TestInboxFollowIsAcceptedAndAnswered(t *testing.T) {
	f := newInboxFixture(t)
	followID := f.bobID + "/follows/1"
	w := f.post(t, map[string]any{"@context": vocab.ContextAS, "id": followID, "type": vocab.TypeFollow,
		"actor": f.bobID, "object": "http://alice.test/actor"})
	if w.Code != http.StatusAccepted {
		t.Fatalf("follow: %d %s", w.Code, w.Body)
	}
	if got := f.rec.got(); len(got) != 1 || got[0] != "follow "+f.bobID+" "+followID {
		t.Fatalf("handler calls %v", got)
	}
	waitFor(t, 5*time.Second, "the Accept", func() bool { return len(f.bob.received()) > 0 })
	got := f.bob.received()[0]
	if got.Path != "/users/bob/inbox" {
		t.Errorf("Accept delivered to %s", got.Path)
	}
	accept, err := vocab.ParseActivity(got.Body)
	if err != nil {
		t.Fatal(err)
	}
	if accept.Type != vocab.TypeAccept || accept.Actor != "http://alice.test/actor" || accept.Inner == nil ||
		accept.Inner.ID != followID || accept.Inner.Type != vocab.TypeFollow || accept.Inner.Actor != f.bobID {
		t.Errorf("accept = %+v inner %+v", accept, accept.Inner)
	}
	if got.Header.Get("Content-Type") != vocab.ContentTypeActivity || !strings.HasPrefix(got.Header.Get("User-Agent"), "roost/1.2.3") {
		t.Errorf("headers %v", got.Header)
	}
	// The delivery is signed with alice's key, which a peer can check.
	req := httptest.NewRequest(http.MethodPost, "http://bob.test/users/bob/inbox", bytes.NewReader(got.Body))
	req.Header = got.Header
	v := httpsig.Verifier{Resolve: func(ctx context.Context, keyID string, _ bool) (crypto.PublicKey, string, error) {
		if keyID != "http://alice.test/actor#main-key" {
			t.Errorf("keyId %q", keyID)
		}
		return &testKey(t, 0).PublicKey, "http://alice.test/actor", nil
	}}
	if _, err := v.Verify(req, got.Body); err != nil {
		t.Errorf("delivery signature: %v", err)
	}
}

func TestInboxRejections(t *testing.T) {
	f := newInboxFixture(t)
	eve := f.bob.addActor("eve", testKey(t, 2))
	create := mustJSON(t, map[string]any{"id": f.bobID + "/statuses/1/activity", "type": vocab.TypeCreate,
		"actor": f.bobID, "object": note(f.bobID+"/statuses/1", f.bobID)})

	tests := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"forged signature", func() *http.Request {
			// Signed by eve's key but naming bob's key id.
			return signedPost(t, "http://alice.test/inbox", create, f.bobID+"#main-key", testKey(t, 2), time.Now())
		}, http.StatusUnauthorized},
		{"stale date", func() *http.Request {
			return signedPost(t, "http://alice.test/inbox", create, f.bobID+"#main-key", f.bobKey, time.Now().Add(-13*time.Hour))
		}, http.StatusUnauthorized},
		{"digest mismatch", func() *http.Request {
			r := signedPost(t, "http://alice.test/inbox", create, f.bobID+"#main-key", f.bobKey, time.Now())
			tampered := bytes.Replace(create, []byte("hi"), []byte("ho"), 1)
			return httptest.NewRequest(http.MethodPost, "http://alice.test/inbox", bytes.NewReader(tampered)).WithContext(r.Context())
		}, http.StatusUnauthorized},
		{"unsigned", func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "http://alice.test/inbox", bytes.NewReader(create))
		}, http.StatusUnauthorized},
		{"key owner is not the actor", func() *http.Request {
			// A Like is nothing a third server forwards (forwarded_test.go
			// has the Creates that may be).
			like := mustJSON(t, map[string]any{"id": f.bobID + "/likes/1", "type": vocab.TypeLike,
				"actor": f.bobID, "object": "http://alice.test/notes/1"})
			return signedPost(t, "http://alice.test/inbox", like, eve+"#main-key", testKey(t, 2), time.Now())
		}, http.StatusUnauthorized},
		{"malformed JSON", func() *http.Request {
			return signedPost(t, "http://alice.test/inbox", []byte(`{"id": `), f.bobID+"#main-key", f.bobKey, time.Now())
		}, http.StatusBadRequest},
		{"oversize", func() *http.Request {
			big := append([]byte(`{"id":"x","type":"Note","content":"`), bytes.Repeat([]byte("a"), maxInboxBody)...)
			return httptest.NewRequest(http.MethodPost, "http://alice.test/inbox", bytes.NewReader(append(big, `"}`...)))
		}, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.req()
			if tt.name == "digest mismatch" {
				signed := signedPost(t, "http://alice.test/inbox", create, f.bobID+"#main-key", f.bobKey, time.Now())
				r.Header = signed.Header.Clone()
			}
			w := httptest.NewRecorder()
			f.site.mux.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Errorf("status %d, want %d (%s)", w.Code, tt.status, w.Body)
			}
			if tt.status == http.StatusUnauthorized && !strings.Contains(w.Body.String(), `"error"`) {
				t.Errorf("401 body %q", w.Body)
			}
		})
	}
	if got := f.rec.got(); len(got) != 0 {
		t.Errorf("rejected requests reached handlers: %v", got)
	}
}

func TestInboxDispatch(t *testing.T) {
	f := newInboxFixture(t)
	carol := newPeer(t, f.network, "carol.test")
	carolID := carol.addActor("carol", testKey(t, 2))
	newBob := f.bob.addActor("bob2", testKey(t, 2))
	f.bob.setActorField("bob2", "alsoKnownAs", []any{f.bobID})
	carol.extra.HandleFunc("/notes/9", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", vocab.ContentTypeActivity)
		w.Write(mustJSON(t, note("http://carol.test/notes/9", carolID)))
	})
	b := f.bobID
	n := 0
	id := func() string { n++; return b + "/activities/" + string(rune('a'+n)) }

	tests := []struct {
		name     string
		activity map[string]any
		want     string // the handler call, "" for none
	}{
		{"create note", map[string]any{"id": id(), "type": "Create", "actor": b, "object": note(b+"/statuses/1", b)}, "created " + b + "/statuses/1 by " + b},
		{"create by someone else", map[string]any{"id": id(), "type": "Create", "actor": b, "object": note("http://carol.test/notes/2", carolID)}, ""},
		{"update note", map[string]any{"id": id(), "type": "Update", "actor": b, "object": note(b+"/statuses/1", b)}, "updated " + b + "/statuses/1"},
		{"update from wrong origin", map[string]any{"id": id(), "type": "Update", "actor": b, "object": note("http://carol.test/notes/9", b)}, ""},
		{"delete", map[string]any{"id": id(), "type": "Delete", "actor": b, "object": map[string]any{"id": b + "/statuses/1", "type": "Tombstone"}}, "deleted " + b + "/statuses/1"},
		{"delete from wrong origin", map[string]any{"id": id(), "type": "Delete", "actor": b, "object": "http://carol.test/notes/9"}, ""},
		{"like", map[string]any{"id": id(), "type": "Like", "actor": b, "object": "http://alice.test/notes/1"}, "liked http://alice.test/notes/1"},
		{"undo like", map[string]any{"id": id(), "type": "Undo", "actor": b, "object": map[string]any{"id": b + "/likes/1", "type": "Like", "actor": b, "object": "http://alice.test/notes/1"}}, "unliked http://alice.test/notes/1"},
		{"announce by IRI", map[string]any{"id": id(), "type": "Announce", "actor": b, "object": "http://carol.test/notes/9"}, "announced http://carol.test/notes/9"},
		{"undo announce", map[string]any{"id": id(), "type": "Undo", "actor": b, "object": map[string]any{"id": b + "/boosts/1", "type": "Announce", "actor": b, "object": "http://carol.test/notes/9"}}, "unannounced " + b + "/boosts/1"},
		{"undo follow", map[string]any{"id": id(), "type": "Undo", "actor": b, "object": map[string]any{"id": b + "/follows/1", "type": "Follow", "actor": b, "object": "http://alice.test/actor"}}, "unfollow " + b},
		{"undo someone else's follow", map[string]any{"id": id(), "type": "Undo", "actor": b, "object": map[string]any{"id": b + "/follows/2", "type": "Follow", "actor": carolID, "object": "http://alice.test/actor"}}, ""},
		{"accept owner's follow", map[string]any{"id": id(), "type": "Accept", "actor": b, "object": map[string]any{"id": "http://alice.test/follows/1", "type": "Follow", "actor": "http://alice.test/actor", "object": b}}, "accepted " + b},
		{"reject by IRI", map[string]any{"id": id(), "type": "Reject", "actor": b, "object": "http://alice.test/follows/1"}, "rejected " + b},
		{"block", map[string]any{"id": id(), "type": "Block", "actor": b, "object": "http://alice.test/actor"}, "blocked-by " + b},
		{"undo block", map[string]any{"id": id(), "type": "Undo", "actor": b, "object": map[string]any{"id": b + "/blocks/1", "type": "Block", "actor": b, "object": "http://alice.test/actor"}}, "unblocked-by " + b},
		{"undo someone else's block", map[string]any{"id": id(), "type": "Undo", "actor": b, "object": map[string]any{"id": b + "/blocks/2", "type": "Block", "actor": carolID, "object": "http://alice.test/actor"}}, ""},
		{"undo by IRI of another origin", map[string]any{"id": id(), "type": "Undo", "actor": b, "object": "http://carol.test/likes/1"}, ""},
		{"flag", map[string]any{"id": id(), "type": "Flag", "actor": b, "content": "spam", "object": []any{"http://alice.test/actor", "http://alice.test/notes/1"}}, "flagged http://alice.test/actor,http://alice.test/notes/1"},
		{"move confirmed", map[string]any{"id": id(), "type": "Move", "actor": b, "object": b, "target": newBob}, "moved " + b + " " + newBob},
		{"move not confirmed", map[string]any{"id": id(), "type": "Move", "actor": b, "object": b, "target": carolID}, ""},
		{"unknown type", map[string]any{"id": id(), "type": "Listen", "actor": b, "object": "http://music.test/1"}, ""},
		{"update person", map[string]any{"id": id(), "type": "Update", "actor": b, "object": map[string]any{"id": b, "type": "Person", "inbox": b + "/inbox"}}, ""},
		{"account deleted", map[string]any{"id": id(), "type": "Delete", "actor": b, "object": b}, "unfollow " + b},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(f.rec.got())
			w := f.post(t, tt.activity)
			if w.Code != http.StatusAccepted {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			calls := f.rec.got()[before:]
			switch {
			case tt.want == "" && len(calls) != 0:
				t.Errorf("expected no handler call, got %v", calls)
			case tt.want != "" && (len(calls) != 1 || calls[0] != tt.want):
				t.Errorf("calls %v, want %q", calls, tt.want)
			}
		})
	}
}

// An Undo that names the undone activity by its IRI alone is looked up
// among the actor's follow, likes and boosts; each lookup is by the
// sender and the id, so only what the sender did is undone.
func TestInboxUndoByIRI(t *testing.T) {
	f := newInboxFixture(t)
	undone := f.bobID + "/likes/42"
	w := f.post(t, map[string]any{"id": f.bobID + "/activities/undo-42", "type": "Undo", "actor": f.bobID, "object": undone})
	if w.Code != http.StatusAccepted {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	want := []string{"unfollow " + f.bobID + " by id " + undone, "unliked ", "unannounced " + undone}
	if got := f.rec.got(); !slices.Equal(got, want) {
		t.Errorf("calls %v, want %v", got, want)
	}
}

func TestInboxDuplicateAndBlocked(t *testing.T) {
	f := newInboxFixture(t)
	act := map[string]any{"id": f.bobID + "/likes/7", "type": "Like", "actor": f.bobID, "object": "http://alice.test/notes/1"}
	for i := range 3 {
		if w := f.post(t, act); w.Code != http.StatusAccepted {
			t.Fatalf("post %d: %d", i, w.Code)
		}
	}
	if got := f.rec.got(); len(got) != 1 {
		t.Errorf("duplicate deliveries dispatched %d times: %v", len(got), got)
	}
	f.rec.blocked[f.bobID] = true
	act["id"] = f.bobID + "/likes/8"
	if w := f.post(t, act); w.Code != http.StatusAccepted {
		t.Fatalf("blocked: %d", w.Code)
	}
	if got := f.rec.got(); len(got) != 1 {
		t.Errorf("blocked actor reached handlers: %v", got)
	}
}

func TestPrune(t *testing.T) {
	f := newIdleInboxFixture(t)
	db := f.site.cfg.DB
	old := time.Now().Add(-8 * 24 * time.Hour)
	ancient := time.Now().Add(-31 * 24 * time.Hour)
	for i, row := range []struct {
		received time.Time
		state    int
	}{{old, inboxDone}, {time.Now(), inboxDone}, {old, inboxWaiting}, {old, inboxParked}, {ancient, inboxParked}} {
		if _, err := db.Exec(`INSERT INTO inbox_queue(dedupe_key, actor, document, received, state, next_try)
			VALUES(?, '', '{}', ?, ?, 0)`, i, row.received.UnixMilli(), row.state); err != nil {
			t.Fatal(err)
		}
	}
	db.Exec(`INSERT INTO activities(id, document, created) VALUES('a', '{}', 0)`)
	db.Exec(`INSERT INTO deliveries(activity_id, inbox, next_try, created, done) VALUES('a', 'http://x.test/1', 0, ?, 1),
		('a', 'http://x.test/2', 0, ?, 0), ('a', 'http://x.test/3', 0, ?, 1)`, old.UnixMilli(), old.UnixMilli(), time.Now().UnixMilli())
	if err := f.site.prune(context.Background()); err != nil {
		t.Fatal(err)
	}
	var keys []string
	rows, err := db.Query(`SELECT dedupe_key FROM inbox_queue ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		rows.Scan(&k)
		keys = append(keys, k)
	}
	rows.Close()
	kept := strings.Join(keys, ",")
	var deliveries int
	db.QueryRow(`SELECT COUNT(*) FROM deliveries`).Scan(&deliveries)
	if kept != "1,2,3" || deliveries != 2 {
		t.Errorf("after prune: inbox rows %q, %d deliveries; want recent, waiting and recently parked rows, and 2 deliveries", kept, deliveries)
	}
}
