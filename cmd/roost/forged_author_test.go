package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"roost/federation/vocab"
	"roost/feed"
)

// TestRemoteInteractionRefusesAForgedAuthor: evil.test serves a post it
// made up in bob's name. Opening it from the remote-interaction page does
// not store it or show it as bob's, while bob's real post opens.
func TestRemoteInteractionRefusesAForgedAuthor(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	const lie = "words bob never wrote"
	evil := http.NewServeMux()
	evil.HandleFunc("/notes/forged", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", vocab.ContentTypeActivity)
		json.NewEncoder(w).Encode(map[string]any{"@context": vocab.ContextAS, "id": "http://evil.test/notes/forged",
			"type": vocab.TypeNote, "attributedTo": bob.fed.ActorID(), "content": "<p>" + lie + "</p>",
			"to": []any{vocab.Public}, "published": time.Now().UTC().Format(time.RFC3339)})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: evil, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	tn.add("evil.test", ln.Addr().String())

	open := func(uri string) *http.Response {
		// The lookup, which fetches, is the owner's POST; the GET only asks.
		resp, err := alice.Owner.PostForm(alice.Base+"/authorize_interaction", url.Values{"uri": {uri}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := open("http://evil.test/notes/forged"); resp.StatusCode == http.StatusSeeOther {
		t.Errorf("the forged post opened at %s", resp.Header.Get("Location"))
	}
	body, _ := page(t, alice.Owner, alice.Base+"/home/thread?"+url.Values{"object": {"http://evil.test/notes/forged"}}.Encode())
	if strings.Contains(body, lie) {
		t.Error("the thread view shows the forged post")
	}

	real, err := bob.feed.Create(context.Background(), feed.NoteInput{Text: "the real words", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	if resp := open(real.URL); resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/home/thread") {
		t.Errorf("bob's real post: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
