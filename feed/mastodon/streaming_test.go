package mastodon

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func TestWebSocketReceivesUpdate(t *testing.T) {
	ta := newTestAPI(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	wsURL := "ws" + strings.TrimPrefix(ta.srv.URL, "http") + "/api/v1/streaming"
	// The token travels as the subprotocol, as browser apps send it.
	c, resp, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{Subprotocols: []string{ta.token}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if resp.Header.Get("Sec-WebSocket-Protocol") != ta.token {
		t.Error("subprotocol not echoed")
	}
	sub, _ := json.Marshal(map[string]string{"type": "subscribe", "stream": "user"})
	if err := c.Write(ctx, websocket.MessageText, sub); err != nil {
		t.Fatal(err)
	}
	var posted map[string]any
	for i := 0; i < 50; i++ { // wait for the subscription to be read
		time.Sleep(10 * time.Millisecond)
		if hubSize(ta.api) > 0 && subscribed(ta.api, "user") {
			break
		}
	}
	posted = ta.post(t, "streamed")
	_, data, err := c.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ev Event
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(ev.Payload), &s); err != nil {
		t.Fatal(err)
	}
	if ev.Event != "update" || ev.Stream[0] != "user" || s["id"] != posted["id"] {
		t.Errorf("event %+v", ev)
	}
	// The feed room's hook announcing the same status does not repeat it.
	id, _ := parseID(posted["id"].(string))
	ta.api.StatusCreated(ctx, id)
	ta.api.StatusDeleted(ctx, id)
	_, data, err = c.Read(ctx)
	if err != nil || !strings.Contains(string(data), `"delete"`) {
		t.Errorf("second event %s %v", data, err)
	}
}

func hubSize(a *API) int {
	a.hub.mu.Lock()
	defer a.hub.mu.Unlock()
	return len(a.hub.subs)
}

func subscribed(a *API, stream string) bool {
	a.hub.mu.Lock()
	defer a.hub.mu.Unlock()
	for s := range a.hub.subs {
		if s.wants([]string{stream}) {
			return true
		}
	}
	return false
}

func TestServerSentEvents(t *testing.T) {
	ta := newTestAPI(t, false)
	resp, err := http.Get(ta.srv.URL + "/api/v1/streaming/health")
	if err != nil || readAll(resp) != "OK" {
		t.Fatalf("health %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ta.srv.URL+"/api/v1/streaming/public?access_token="+ta.token, nil)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rd := bufio.NewReader(resp.Body)
	if line, _ := rd.ReadString('\n'); line != ":)\n" {
		t.Fatalf("first line %q", line)
	}
	ta.post(t, "public news")
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line == "event: update\n" {
			data, _ := rd.ReadString('\n')
			if !strings.Contains(data, "public news") {
				t.Errorf("data %q", data)
			}
			return
		}
	}
}
