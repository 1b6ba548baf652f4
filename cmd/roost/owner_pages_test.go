package main

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"roost/federation/vocab"
	"roost/feed"
)

// TestRemoteInteraction follows the subscribe template of the owner's own
// WebFinger answer, as another server's "interact" dialog does: the page
// served by the contacts room sends the owner to a post's thread (keeping
// the post first) and to an account's contact page.
func TestRemoteInteraction(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	n, err := bob.feed.Create(context.Background(), feed.NoteInput{Text: "Anyone for tea?", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	noteID := bob.feed.NoteURL(n.ID)

	wf, code := page(t, alice.Owner, alice.Base+"/.well-known/webfinger?resource=acct:alice.test@alice.test")
	if code != http.StatusOK {
		t.Fatalf("WebFinger: %d", code)
	}
	jrd, err := vocab.ParseJRD([]byte(wf))
	if err != nil {
		t.Fatal(err)
	}
	var template string
	for _, l := range jrd.Links {
		if l.Rel == vocab.RelSubscribe {
			template = l.Template
		}
	}
	if !strings.HasPrefix(template, alice.Base+"/") || !strings.Contains(template, "{uri}") {
		t.Fatalf("subscribe template %q", template)
	}
	// The template's GET shows a button; its POST looks the address up.
	interact := func(c *http.Client, uri string) *http.Response {
		t.Helper()
		resp, err := c.Get(strings.Replace(template, "{uri}", url.QueryEscape(uri), 1))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `action="/authorize_interaction"`) {
			return resp
		}
		if resp, err = c.PostForm(alice.Base+"/authorize_interaction", url.Values{"uri": {uri}}); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}

	thread := "/home/thread?" + url.Values{"object": {noteID}}.Encode()
	if resp := interact(alice.Owner, noteID); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != thread {
		t.Fatalf("post: %d to %q, want %q", resp.StatusCode, resp.Header.Get("Location"), thread)
	}
	if body, code := page(t, alice.Owner, alice.Base+thread); code != http.StatusOK || !strings.Contains(body, "Anyone for tea?") {
		t.Errorf("thread of the kept post: %d", code)
	}
	contact := "/contacts/view?" + url.Values{"actor": {bob.fed.ActorID()}}.Encode()
	if resp := interact(alice.Owner, "@bob.test@bob.test"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != contact {
		t.Errorf("handle: %d to %q, want %q", resp.StatusCode, resp.Header.Get("Location"), contact)
	}
	visitor := interact(alice.client(tn), noteID)
	walled := visitor.StatusCode == http.StatusUnauthorized ||
		visitor.StatusCode == http.StatusSeeOther && visitor.Header.Get("Location") != thread
	if !walled {
		t.Errorf("a visitor got %d to %q, want the login wall", visitor.StatusCode, visitor.Header.Get("Location"))
	}
}

// TestInteractionGetFetchesNothing: any web page can send the owner's
// browser to the subscribe template's address. That GET shows a button and
// reaches no remote server; the lookup (a fetch, and the post stored) waits
// for the owner's POST, which a cross-site form cannot send.
func TestInteractionGetFetchesNothing(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	var mu sync.Mutex
	var hits []string
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tn.add("evil.test", ln.Addr().String())
	evil := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits = append(hits, r.Method+" "+r.URL.Path)
		mu.Unlock()
		http.NotFound(w, r)
	})}
	go evil.Serve(ln)
	t.Cleanup(func() { evil.Close() })
	reached := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), hits...)
	}

	uri := "http://evil.test/notes/1"
	body, code := page(t, alice.Owner, alice.Base+"/authorize_interaction?"+url.Values{"uri": {uri}}.Encode())
	if code != http.StatusOK || !strings.Contains(body, `data-testid="interaction-confirm"`) {
		t.Fatalf("GET: %d, want the page with the button", code)
	}
	if got := reached(); len(got) != 0 {
		t.Fatalf("the GET reached the remote server: %q", got)
	}

	req, _ := http.NewRequest(http.MethodPost, alice.Base+"/authorize_interaction", strings.NewReader(url.Values{"uri": {uri}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := alice.Owner.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a cross-site POST: %d, want 403", resp.StatusCode)
	}
	if got := reached(); len(got) != 0 {
		t.Fatalf("a cross-site POST reached the remote server: %q", got)
	}

	if code := postForm(t, alice.Owner, alice.Base+"/authorize_interaction", url.Values{"uri": {uri}}); code != http.StatusBadRequest {
		t.Errorf("the owner's POST for a missing post: %d, want 400", code)
	}
	if got := reached(); len(got) == 0 {
		t.Error("the owner's POST did not look the address up")
	}
}

// TestProfileSettings edits the profile through the owner's form: the
// saved name is what the actor document then says.
func TestProfileSettings(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	body, code := page(t, alice.Owner, alice.Base+"/settings/profile")
	if code != http.StatusOK || !strings.Contains(body, `action="/settings/profile"`) {
		t.Fatalf("settings page: %d", code)
	}

	save := func(fields map[string]string) *http.Response {
		t.Helper()
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range fields {
			mw.WriteField(k, v)
		}
		mw.Close()
		resp, err := alice.Owner.Post(alice.Base+"/settings/profile", mw.FormDataContentType(), &buf)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := save(map[string]string{"username": "alice", "name": "Alice Liddell", "bio": "Down the *rabbit* hole."})
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/settings/profile?saved=1" {
		t.Fatalf("save: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	req, _ := http.NewRequest(http.MethodGet, alice.fed.ActorID(), nil)
	req.Header.Set("Accept", vocab.ContentTypeActivity)
	actorResp, err := alice.Owner.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := io.ReadAll(actorResp.Body)
	actorResp.Body.Close()
	a, err := vocab.ParseActor(doc)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "Alice Liddell" || a.PreferredUsername != "alice" || !strings.Contains(a.SummaryHTML, "<em>rabbit</em>") {
		t.Errorf("actor after saving: name %q, username %q, summary %q", a.Name, a.PreferredUsername, a.SummaryHTML)
	}

	resp = save(map[string]string{"username": "not a username", "name": "Alice"})
	problem, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(problem), "The username may use") {
		t.Errorf("bad username: %d", resp.StatusCode)
	}
}
