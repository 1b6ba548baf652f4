package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"roost/federation/vocab"
)

// hostileServer is a fediverse server on the test network that serves
// whatever documents the test gives it, at their paths.
type hostileServer struct {
	base string
	mu   sync.Mutex
	docs map[string]any
}

func startHostileServer(t *testing.T, tn *testNet, host string) *hostileServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tn.add(host, ln.Addr().String())
	h := &hostileServer{base: "http://" + host, docs: map[string]any{}}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return h
}

// serve publishes doc at its id, which must be on this server.
func (h *hostileServer) serve(doc map[string]any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.docs[strings.TrimPrefix(doc["id"].(string), h.base)] = doc
}

func (h *hostileServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	doc, ok := h.docs[r.URL.Path]
	h.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", vocab.ContentTypeActivity)
	json.NewEncoder(w).Encode(doc)
}

// TestHostileRemotePostAndActor: the owner opens a post on a hostile server
// by its id. The post carries 100,000 hashtags, hundreds of attachments and
// poll options and a hashtag with markup; its author's names carry markup
// and bidi overrides. roost keeps what a real post could have, and apps see
// clean names.
func TestHostileRemotePostAndActor(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	evil := startHostileServer(t, tn, "evil.test")
	author := evil.base + "/users/mallory"
	evil.serve(map[string]any{
		"@context": vocab.ContextAS, "id": author, "type": vocab.TypePerson,
		"preferredUsername": `<img src=x onerror=alert(1)>`,
		"webfinger":         "acct:<b>mallory</b>@evil.test",
		"name":              "Mallory \u202eevil\u202c\x07",
		"inbox":             author + "/inbox",
		"attachment": func() []any {
			var out []any
			for i := range 100 {
				out = append(out, map[string]any{"type": "PropertyValue", "name": fmt.Sprintf("f%d\u2066", i), "value": "v"})
			}
			return out
		}(),
	})
	post := evil.base + "/notes/1"
	tags := []any{map[string]any{"type": vocab.TypeHashtag, "name": "#<script>"}}
	for i := range 100_000 {
		tags = append(tags, map[string]any{"type": vocab.TypeHashtag, "name": "#t" + strconv.Itoa(i)})
	}
	var media, options []any
	for i := range 200 {
		media = append(media, map[string]any{"type": "Document", "mediaType": "image/png", "url": fmt.Sprintf("%s/m/%d.png", evil.base, i)})
		options = append(options, map[string]any{"type": vocab.TypeNote, "name": fmt.Sprintf("option %d\u202e", i)})
	}
	evil.serve(map[string]any{
		"@context": vocab.ContextAS, "id": post, "type": vocab.TypeQuestion, "attributedTo": author,
		"content": "<p>" + strings.Repeat("long ", 100_000) + "</p>", "published": "2025-02-01T10:00:00Z",
		"endTime": "2035-02-01T10:00:00Z", "to": []any{vocab.Public},
		"tag": tags, "attachment": media, "oneOf": options,
	})

	resp, err := alice.Owner.Get(alice.Base + "/home/thread?object=" + url.QueryEscape(post))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("thread of the hostile post: %d", resp.StatusCode)
	}
	ctx := context.Background()
	stored, err := alice.feed.PostByObjectID(ctx, post)
	if err != nil {
		t.Fatal(err)
	}
	var tagRows, mediaRows, optionRows int
	for q, n := range map[string]*int{
		`SELECT COUNT(*) FROM post_tags WHERE post_id = ?`:                    &tagRows,
		`SELECT COUNT(*) FROM post_media WHERE post_id = ?`:                   &mediaRows,
		`SELECT json_array_length(options) FROM post_polls WHERE post_id = ?`: &optionRows,
	} {
		if err := alice.db.QueryRow(q, stored.ID).Scan(n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if tagRows != 100 || mediaRows != 16 || optionRows != 16 {
		t.Errorf("stored %d tags, %d media, %d poll options; want 100, 16, 16", tagRows, mediaRows, optionRows)
	}
	if len(stored.HTML) > 257<<10 || !strings.HasSuffix(stored.HTML, "</p>") {
		t.Errorf("content of %d bytes, ending %q", len(stored.HTML), stored.HTML[max(0, len(stored.HTML)-20):])
	}

	var status struct {
		Account struct {
			Username, Acct string
			DisplayName    string `json:"display_name"`
		}
		Tags []struct{ Name string }
		Poll struct {
			Options []struct{ Title string }
		}
	}
	token := apiToken(t, alice.site)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/statuses/"+strconv.FormatInt(stored.ID, 10), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	alice.handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &status) != nil {
		t.Fatalf("status: %d %s", rec.Code, rec.Body.String()[:min(rec.Body.Len(), 300)])
	}
	a := status.Account
	if strings.ContainsAny(a.Username+a.Acct, "<>") || a.Username != "mallory" || a.Acct != "mallory@evil.test" || a.DisplayName != "Mallory evil" {
		t.Errorf("account username %q, acct %q, display name %q", a.Username, a.Acct, a.DisplayName)
	}
	for _, tag := range status.Tags {
		if strings.ContainsAny(tag.Name, "<>") {
			t.Errorf("tag %q reached the app", tag.Name)
		}
	}
	if len(status.Poll.Options) != 16 || strings.ContainsRune(status.Poll.Options[0].Title, '\u202e') {
		t.Errorf("poll options: %d, first %q", len(status.Poll.Options), status.Poll.Options)
	}
}
