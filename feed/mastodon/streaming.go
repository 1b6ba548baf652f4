package mastodon

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// keepAlive is how often an idle stream sends something, so that proxies
// keep the connection open.
const keepAlive = 30 * time.Second

func (a *API) streamingRoutes(mux Mux) {
	health := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "OK")
	}
	mux.Handle("GET /api/v1/streaming/health", a.cors(http.HandlerFunc(health)))
	mux.HandleFunc("GET /api/v1/streaming", a.websocketStream)
	mux.HandleFunc("GET /api/v1/streaming/", a.websocketStream)
	for path, stream := range map[string]string{
		"user": "user", "user/notification": "user:notification", "public": "public",
		"public/local": "public:local", "public/remote": "public:remote", "hashtag": "hashtag", "hashtag/local": "hashtag:local",
	} {
		mux.Handle("GET /api/v1/streaming/"+path, a.cors(a.authenticate("read:statuses", false, a.sseStream(stream))))
	}
}

// streamKey turns a requested stream (and its tag) into the hub's key.
func streamKey(stream, tag string) (string, bool) {
	switch stream {
	case "user", "user:notification", "public", "public:local", "public:remote", "direct":
		return stream, true
	case "public:media", "public:local:media", "public:remote:media":
		return strings.TrimSuffix(stream, ":media"), true
	case "hashtag", "hashtag:local":
		if tag == "" {
			return "", false
		}
		return stream + ":" + strings.ToLower(strings.TrimPrefix(tag, "#")), true
	case "list":
		return "list:" + tag, true
	}
	return "", false
}

// wireStream is how Mastodon names a stream in its messages: ["hashtag",
// "tag"], ["list", "id"].
func wireStream(key string) []string {
	for _, p := range []string{"hashtag:local:", "hashtag:", "list:"} {
		if tag, ok := strings.CutPrefix(key, p); ok {
			return []string{strings.TrimSuffix(p, ":"), tag}
		}
	}
	return []string{key}
}

// maxClientMessage caps what a streaming client may send: subscribe and
// unsubscribe messages of a few dozen bytes.
const maxClientMessage = 4 << 10

// websocketStream serves /api/v1/streaming. The token may come as the
// access_token query, the Authorization header, or the WebSocket
// subprotocol, which browsers can set when they cannot set headers; that
// protocol must be echoed back or the browser drops the connection.
func (a *API) websocketStream(w http.ResponseWriter, r *http.Request) {
	secret := bearer(r)
	proto := strings.TrimSpace(r.Header.Get("Sec-WebSocket-Protocol"))
	if secret == "" {
		secret = proto
	}
	t, err := a.lookupToken(r.Context(), secret)
	if err != nil || !t.owner || !scopeGranted(t.scopes, "read:statuses") {
		writeError(w, http.StatusUnauthorized, "The access token is invalid")
		return
	}
	opts := &websocket.AcceptOptions{InsecureSkipVerify: true}
	if proto != "" {
		opts.Subprotocols = []string{proto}
	}
	clearDeadlines(w)
	c, err := websocket.Accept(w, r, opts)
	if err != nil {
		return
	}
	defer c.CloseNow()
	c.SetReadLimit(maxClientMessage)
	sub := a.hub.subscribe()
	defer a.hub.unsubscribe(sub)
	if key, ok := streamKey(r.URL.Query().Get("stream"), r.URL.Query().Get("tag")); ok {
		sub.set(key, true)
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	go func() {
		defer cancel()
		readSubscriptions(ctx, c, sub)
	}()
	go func() {
		select {
		case <-a.hub.closed:
			c.Close(websocket.StatusGoingAway, "the server is restarting")
			cancel()
		case <-ctx.Done():
		}
	}()
	sendEvents(ctx, c, sub)
}

// readSubscriptions applies the client's subscribe and unsubscribe messages
// until the connection ends.
func readSubscriptions(ctx context.Context, c *websocket.Conn, sub *subscriber) {
	for {
		_, data, err := c.Read(ctx)
		if err != nil {
			return
		}
		var msg struct{ Type, Stream, Tag, List string }
		if json.Unmarshal(data, &msg) != nil {
			continue
		}
		tag := msg.Tag
		if msg.Stream == "list" {
			tag = msg.List
		}
		if key, ok := streamKey(msg.Stream, tag); ok {
			sub.set(key, msg.Type == "subscribe")
		}
	}
}

// pingWithin pings and waits at most keepAlive for the pong.
func pingWithin(ctx context.Context, c *websocket.Conn) error {
	pctx, cancel := context.WithTimeout(ctx, keepAlive)
	defer cancel()
	return c.Ping(pctx)
}

// sendEvents writes the subscriber's events, pinging when idle, until ctx
// ends or a write fails.
func sendEvents(ctx context.Context, c *websocket.Conn, sub *subscriber) {
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			c.Close(websocket.StatusNormalClosure, "")
			return
		case <-tick.C:
			if err := pingWithin(ctx, c); err != nil {
				return
			}
		case ev := <-sub.out:
			b, _ := json.Marshal(ev)
			// A client that stops reading must not hold the stream forever:
			// each write has a keepAlive to complete.
			wctx, cancel := context.WithTimeout(ctx, keepAlive)
			err := c.Write(wctx, websocket.MessageText, b)
			cancel()
			if err != nil {
				return
			}
		}
	}
}

// sseStream serves the server-sent events form of one stream.
func (a *API) sseStream(stream string) func(http.ResponseWriter, *http.Request, *token) {
	return func(w http.ResponseWriter, r *http.Request, t *token) {
		key, ok := streamKey(stream, r.URL.Query().Get("tag"))
		if !ok {
			writeError(w, http.StatusBadRequest, "Unknown stream type")
			return
		}
		rc := http.NewResponseController(w)
		clearDeadlines(w)
		sub := a.hub.subscribe(key)
		defer a.hub.unsubscribe(sub)
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		w.WriteHeader(http.StatusOK)
		// Comments end with one newline, as Mastodon sends them: Mastodon.py
		// dispatches an event at every blank line and fails on an empty one.
		fmt.Fprint(w, ":)\n")
		if rc.Flush() != nil {
			return
		}
		tick := time.NewTicker(keepAlive)
		defer tick.Stop()
		for {
			var msg string
			select {
			case <-r.Context().Done():
				return
			case <-a.hub.closed:
				return
			case <-tick.C:
				msg = ":thump\n"
			case ev := <-sub.out:
				msg = "event: " + ev.Event + "\ndata: " + ev.Payload + "\n\n"
			}
			// The server's write timeout is lifted for the stream; each
			// write gets its own, so a client that stops reading is dropped.
			_ = rc.SetWriteDeadline(time.Now().Add(keepAlive))
			_, err := io.WriteString(w, msg)
			// A gone client ends the stream instead of leaving the loop
			// writing into a dead connection.
			if err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

// clearDeadlines lifts the server's read and write timeouts for a stream,
// which lives as long as the app keeps it open: the server's timeouts are
// meant for ordinary requests and would cut streams after two minutes.
func clearDeadlines(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
}
