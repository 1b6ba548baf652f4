package contacts

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"roost/federation"
	"roost/federation/vocab"
	"roost/templates"
)

// fakeRemote stands in for the network behind the interaction page.
type fakeRemote struct {
	actors  map[string]*vocab.Actor  // Resolve input → actor
	objects map[string]*vocab.Object // FetchObject URL → object
	kept    []string                 // "objectID by authorID"
	keepErr error
	calls   int
}

func (f *fakeRemote) resolve(_ context.Context, input string) (*vocab.Actor, error) {
	f.calls++
	if a, ok := f.actors[input]; ok {
		return a, nil
	}
	return nil, federation.ErrUnresolvable
}

func (f *fakeRemote) fetch(_ context.Context, id string) (*vocab.Object, error) {
	f.calls++
	if o, ok := f.objects[id]; ok {
		return o, nil
	}
	return nil, &federation.StatusError{URL: id, Status: http.StatusNotFound}
}

func (f *fakeRemote) keep(_ context.Context, obj *vocab.Object, author *vocab.Actor) error {
	if f.keepErr != nil {
		return f.keepErr
	}
	f.kept = append(f.kept, obj.ID+" by "+author.ID)
	return nil
}

func newFakeRemote() *fakeRemote {
	remoteBob := &vocab.Actor{ID: "https://remote.example/users/bob", Type: vocab.TypePerson, Inbox: "https://remote.example/users/bob/inbox"}
	return &fakeRemote{
		actors: map[string]*vocab.Actor{
			"@bob@remote.example":               remoteBob,
			"acct:bob@remote.example":           remoteBob,
			"bob@remote.example":                remoteBob,
			"https://remote.example/users/bob":  remoteBob,
			"https://blog.example/":             {ID: "https://blog.example/actor", Type: vocab.TypePerson},
			"https://remote.example/@bob/about": remoteBob,
		},
		objects: map[string]*vocab.Object{
			"https://remote.example/@bob":      {ID: "https://remote.example/users/bob", Type: vocab.TypePerson},
			"https://remote.example/@bob/1":    {ID: "https://remote.example/users/bob/statuses/1", Type: vocab.TypeNote, AttributedTo: "https://remote.example/users/bob"},
			"https://remote.example/@bob/2":    {ID: "https://remote.example/users/bob/statuses/2", Type: vocab.TypeArticle, AttributedTo: "https://remote.example/users/bob"},
			"https://remote.example/@ghost/3":  {ID: "https://remote.example/users/ghost/statuses/3", Type: vocab.TypeNote, AttributedTo: "https://remote.example/users/ghost"},
			"https://remote.example/anonymous": {ID: "https://remote.example/anonymous", Type: vocab.TypeNote},
			"https://remote.example/tags/go":   {ID: "https://remote.example/tags/go", Type: vocab.TypeOrderedCollection},
		},
	}
}

func testInteractionPage(f *fakeRemote, withKeep bool) *InteractionPage {
	p := &InteractionPage{
		BaseURL:     "https://alice.example",
		Page:        func(_ *http.Request, title string) templates.Page { return templates.Page{Title: title} },
		Resolve:     f.resolve,
		FetchObject: f.fetch,
	}
	if withKeep {
		p.Keep = f.keep
	}
	return p
}

// ownerOnlyByHeader lets a request through when it carries X-Owner, as the
// site's session check would for a logged-in owner.
func ownerOnlyByHeader(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Owner") == "" {
			http.Error(w, "log in first", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// authorizeInteraction posts the confirmation form, as the owner's click
// on the page's button does.
func authorizeInteraction(t *testing.T, p *InteractionPage, uri string, owner bool) *httptest.ResponseRecorder {
	t.Helper()
	mux := http.NewServeMux()
	p.Routes(mux, ownerOnlyByHeader)
	r := httptest.NewRequest(http.MethodPost, "https://alice.example/authorize_interaction", strings.NewReader(url.Values{"uri": {uri}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if owner {
		r.Header.Set("X-Owner", "1")
	}
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	return w
}

func TestInteractionRedirects(t *testing.T) {
	contact := func(id string) string { return "/contacts/view?" + url.Values{"actor": {id}}.Encode() }
	thread := func(id string) string { return "/home/thread?" + url.Values{"object": {id}}.Encode() }
	tests := []struct {
		name, uri, want string
		kept            []string
	}{
		{"handle", "@bob@remote.example", contact("https://remote.example/users/bob"), nil},
		{"acct URI", "acct:bob@remote.example", contact("https://remote.example/users/bob"), nil},
		{"handle without @", "bob@remote.example", contact("https://remote.example/users/bob"), nil},
		{"handle with spaces around", "  @bob@remote.example ", contact("https://remote.example/users/bob"), nil},
		{"profile URL becomes the actor id", "https://remote.example/@bob", contact("https://remote.example/users/bob"), nil},
		{"HTML page with an ActivityStreams link", "https://blog.example/", contact("https://blog.example/actor"), nil},
		{"note URL", "https://remote.example/@bob/1", thread("https://remote.example/users/bob/statuses/1"),
			[]string{"https://remote.example/users/bob/statuses/1 by https://remote.example/users/bob"}},
		{"article URL", "https://remote.example/@bob/2", thread("https://remote.example/users/bob/statuses/2"),
			[]string{"https://remote.example/users/bob/statuses/2 by https://remote.example/users/bob"}},
		{"own handle", "@alice.example@alice.example", "/", nil},
		{"own bare domain", "alice.example", "/", nil},
		{"own actor", "https://alice.example/actor", "/", nil},
		{"own note", "https://alice.example/notes/5", "/notes/5", nil},
		{"own page with a query", "https://alice.example/tags/go?page=2", "/tags/go?page=2", nil},
		{"own URL cannot redirect off the site", "https://alice.example//evil.example/x", "/evil.example/x", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeRemote()
			w := authorizeInteraction(t, testInteractionPage(f, true), tt.uri, true)
			if w.Code != http.StatusSeeOther {
				t.Fatalf("status %d, want 303; body:\n%s", w.Code, w.Body)
			}
			if got := w.Header().Get("Location"); got != tt.want {
				t.Errorf("Location %q, want %q", got, tt.want)
			}
			if strings.Join(f.kept, "\n") != strings.Join(tt.kept, "\n") {
				t.Errorf("kept %q, want %q", f.kept, tt.kept)
			}
		})
	}
}

// TestInteractionGetOnlyAsks: the GET that another server's dialog (or any
// page on the web) sends the owner's browser to shows the address and a
// button and touches nothing remote; only an address on this site, which
// needs no lookup, is followed at once.
func TestInteractionGetOnlyAsks(t *testing.T) {
	mux := http.NewServeMux()
	f := newFakeRemote()
	testInteractionPage(f, true).Routes(mux, ownerOnlyByHeader)
	get := func(uri string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "https://alice.example/authorize_interaction?"+url.Values{"uri": {uri}}.Encode(), nil)
		r.Header.Set("X-Owner", "1")
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		return w
	}
	for _, uri := range []string{"https://remote.example/@bob/1", "@bob@remote.example", "https://blog.example/"} {
		w := get(uri)
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, `data-testid="interaction-confirm"`) ||
			!strings.Contains(body, `method="post" action="/authorize_interaction"`) || !strings.Contains(body, `value="`+uri+`"`) {
			t.Errorf("GET %s: %d, want the page with the button for it:\n%s", uri, w.Code, body)
		}
	}
	if f.calls != 0 || len(f.kept) != 0 {
		t.Errorf("GETs reached the network %d times and kept %q", f.calls, f.kept)
	}
	if w := get("https://alice.example/notes/5"); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/notes/5" {
		t.Errorf("GET of an own note: %d %q, want 303 /notes/5", w.Code, w.Header().Get("Location"))
	}
	if w := get(""); w.Code != http.StatusBadRequest {
		t.Errorf("GET without uri: %d, want 400", w.Code)
	}
}

func TestInteractionFailures(t *testing.T) {
	tests := []struct {
		name, uri string
		keepErr   error
		status    int
		says      string
	}{
		{"no uri", "", nil, http.StatusBadRequest, "names no account or post"},
		{"unknown handle", "@nobody@nowhere.example", nil, http.StatusBadRequest, "No account or post could be found at @nobody@nowhere.example"},
		{"unknown URL", "https://nowhere.example/x", nil, http.StatusBadRequest, "No account or post could be found"},
		{"not a handle", "hello there", nil, http.StatusBadRequest, "not a handle or a web address"},
		{"too long", "https://remote.example/" + strings.Repeat("a", maxInteractionURI), nil, http.StatusBadRequest, "not a handle or a web address"},
		{"a collection", "https://remote.example/tags/go", nil, http.StatusBadRequest, "neither an account nor a post"},
		{"a post without an author", "https://remote.example/anonymous", nil, http.StatusBadRequest, "neither an account nor a post"},
		{"a post whose author is gone", "https://remote.example/@ghost/3", nil, http.StatusBadRequest, "No account or post could be found"},
		{"a post that cannot be stored", "https://remote.example/@bob/1", errors.New("disk full"), http.StatusInternalServerError, "could not be saved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeRemote()
			f.keepErr = tt.keepErr
			w := authorizeInteraction(t, testInteractionPage(f, true), tt.uri, true)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d; body:\n%s", w.Code, tt.status, w.Body)
			}
			body := w.Body.String()
			if !strings.Contains(body, `data-testid="message"`) || !strings.Contains(body, tt.says) {
				t.Errorf("page does not say %q:\n%s", tt.says, body)
			}
			if strings.Contains(body, "disk full") || strings.Contains(body, "answered 404") {
				t.Errorf("page leaks an internal error:\n%s", body)
			}
		})
	}
}

func TestInteractionWithoutKeep(t *testing.T) {
	f := newFakeRemote()
	w := authorizeInteraction(t, testInteractionPage(f, false), "https://remote.example/@bob/1", true)
	want := "/home/thread?" + url.Values{"object": {"https://remote.example/users/bob/statuses/1"}}.Encode()
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != want {
		t.Fatalf("got %d %q, want 303 %q", w.Code, w.Header().Get("Location"), want)
	}
}

func TestInteractionIsOwnerOnly(t *testing.T) {
	f := newFakeRemote()
	w := authorizeInteraction(t, testInteractionPage(f, true), "@bob@remote.example", false)
	if w.Code != http.StatusUnauthorized {
		t.Fatalf("status %d for a visitor, want the guard's 401", w.Code)
	}
	if f.calls != 0 {
		t.Errorf("a visitor's request reached the network %d times", f.calls)
	}
}

// TestRoomInteractionPage runs the page that the room builds on its own
// resolution: a handle and an author resolve through the network, a site
// with only feeds has no account to offer, and a post URL is fetched, its
// author resolved and the post kept before the redirect.
func TestRoomInteractionPage(t *testing.T) {
	f := newFixture(t)
	f.net.handles[bob] = bob
	noteID := "https://example.social/users/bob/statuses/1"
	fetch := func(_ context.Context, id string) (*vocab.Object, error) {
		if id == noteID {
			return &vocab.Object{ID: noteID, Type: vocab.TypeNote, AttributedTo: bob}, nil
		}
		return nil, &federation.StatusError{URL: id, Status: http.StatusNotFound}
	}
	var kept []string
	page := f.c.InteractionPage(fetch, func(_ context.Context, obj *vocab.Object, author *vocab.Actor) error {
		kept = append(kept, obj.ID+" by "+author.ID)
		return nil
	})
	mux := http.NewServeMux()
	page.Routes(mux, func(h http.Handler) http.Handler { return h })

	tests := []struct {
		uri    string
		status int
		where  string
	}{
		{noteID, http.StatusSeeOther, "/home/thread?" + url.Values{"object": {noteID}}.Encode()},
		{"@bob@example.social", http.StatusSeeOther, "/contacts/view?" + url.Values{"actor": {bob}}.Encode()},
		{"blog.example", http.StatusBadRequest, ""},
		{"@nobody@nowhere.example", http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(http.MethodPost, base+"/authorize_interaction", strings.NewReader(url.Values{"uri": {tt.uri}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		mux.ServeHTTP(w, r)
		if w.Code != tt.status || w.Header().Get("Location") != tt.where {
			t.Errorf("%s: got %d %q, want %d %q; body:\n%s", tt.uri, w.Code, w.Header().Get("Location"), tt.status, tt.where, w.Body)
		}
	}
	if len(kept) != 1 || kept[0] != noteID+" by "+bob {
		t.Errorf("kept %q, want the note by bob", kept)
	}
}
