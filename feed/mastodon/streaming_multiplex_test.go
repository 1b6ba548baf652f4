package mastodon

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// dialStream opens a WebSocket stream and subscribes it to every message
// of subs, returning once the hub has taken all of them.
func dialStream(t *testing.T, ctx context.Context, ta *testAPI, subs ...map[string]string) *websocket.Conn {
	t.Helper()
	wsURL := "ws" + strings.TrimPrefix(ta.srv.URL, "http") + "/api/v1/streaming?access_token=" + ta.token
	c, _, err := websocket.Dial(ctx, wsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	var keys []string
	for _, s := range subs {
		b, _ := json.Marshal(s)
		if err := c.Write(ctx, websocket.MessageText, b); err != nil {
			t.Fatal(err)
		}
		tag := s["tag"]
		if s["stream"] == "list" {
			tag = s["list"]
		}
		k, _ := streamKey(s["stream"], tag)
		keys = append(keys, k)
	}
	// The subscriptions are read by another goroutine: wait until the hub
	// holds them all (or the test's deadline passes).
	for ctx.Err() == nil {
		if subscribedAll(ta.api, keys) {
			return c
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("subscriptions not taken")
	return nil
}

func subscribedAll(a *API, keys []string) bool {
	a.hub.mu.Lock()
	defer a.hub.mu.Unlock()
	for s := range a.hub.subs {
		if len(s.matching(keys)) == len(keys) {
			return true
		}
	}
	return false
}

// readStreams reads n messages and returns the stream label of each, with
// the status id it carries.
func readStreams(t *testing.T, ctx context.Context, c *websocket.Conn, n int) (labels []string, ids []string) {
	t.Helper()
	for range n {
		_, data, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("after %v: %v", labels, err)
		}
		var ev Event
		if err := json.Unmarshal(data, &ev); err != nil {
			t.Fatal(err)
		}
		var s struct{ ID string }
		_ = json.Unmarshal([]byte(ev.Payload), &s)
		labels = append(labels, ev.Event+" "+strings.Join(ev.Stream, ","))
		ids = append(ids, s.ID)
	}
	slices.Sort(labels)
	return labels, ids
}

// One socket that subscribes to user, a hashtag and public gets the new
// status once on each, each message naming its own stream, as Mastodon
// sends them: masto.js routes messages by their stream and dropped the
// ones labelled with another of its subscriptions.
func TestStreamingMultiplexesSubscriptions(t *testing.T) {
	ta := newTestAPI(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := dialStream(t, ctx, ta,
		map[string]string{"type": "subscribe", "stream": "user"},
		map[string]string{"type": "subscribe", "stream": "hashtag", "tag": "Roost"},
		map[string]string{"type": "subscribe", "stream": "public"})
	posted := ta.post(t, "multiplexed #roost")
	labels, ids := readStreams(t, ctx, c, 3)
	want := []string{"update hashtag,roost", "update public", "update user"}
	if !slices.Equal(labels, want) {
		t.Errorf("streams %v, want %v", labels, want)
	}
	for _, id := range ids {
		if id != posted["id"] {
			t.Errorf("status %s, want %s", id, posted["id"])
		}
	}
	// Deleting it tells each stream as well.
	ta.do(t, "DELETE", "/api/v1/statuses/"+posted["id"].(string), ta.token, nil, 200, nil)
	labels, _ = readStreams(t, ctx, c, 2)
	if want := []string{"delete public", "delete user"}; !slices.Equal(labels, want) {
		t.Errorf("delete streams %v, want %v", labels, want)
	}
}

// A post by a member of a list reaches the list's stream, labelled
// ["list", id], beside the user stream.
func TestStreamingListStream(t *testing.T) {
	ta := newTestAPI(t, true)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var l map[string]any
	ta.do(t, "POST", "/api/v1/lists", ta.token, map[string]any{"title": "friends"}, 200, &l)
	lid := l["id"].(string)
	id, _ := parseID(lid)
	_ = ta.api.cfg.Lists.AddToList(ctx, id, bob.ID)
	c := dialStream(t, ctx, ta,
		map[string]string{"type": "subscribe", "stream": "user"},
		map[string]string{"type": "subscribe", "stream": "list", "list": lid})
	p := Post{ID: newID(time.Now()), ObjectID: "https://bob.test/notes/7", URL: "https://bob.test/notes/7", Author: bob,
		ContentHTML: "<p>for my friends</p>", Visibility: "public", Created: time.Now()}
	ta.remote.stored = append(ta.remote.stored, p)
	ta.api.StatusCreated(ctx, p.ID)
	labels, _ := readStreams(t, ctx, c, 2)
	if want := []string{"update list," + lid, "update user"}; !slices.Equal(labels, want) {
		t.Errorf("streams %v, want %v", labels, want)
	}
}
