package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"roost/federation/vocab"
)

// crashFollowers is how many followers the crashed site has, each with an
// inbox of its own, so one post is crashFollowers deliveries.
const crashFollowers = 1000

// TestKillDuringBurstLosesNothing kills a real roost process with SIGKILL
// while an app is posting and a post is fanning out to 1,000 followers,
// starts it again on the same data and counts: every post the API answered
// 2xx exists, and reached every follower's inbox. A delivery that was on the
// wire at the instant of the kill is sent again after the restart (it was
// never marked done); that is at most one per delivery worker, and peers
// drop the repeat by its activity id. Nothing else arrives twice.
func TestKillDuringBurstLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs a fan-out of tens of thousands of deliveries")
	}
	peer := newRecordingPeer()
	srv := httptest.NewServer(peer)
	defer srv.Close()

	dir := t.TempDir()
	bin := buildRoostBinary(t, dir)
	data := filepath.Join(dir, "data")
	addr := freeLoopbackAddr(t)
	base := "http://" + addr
	seedFollowers(t, data, base, srv.URL, crashFollowers)

	site := startRoostProcess(t, bin, data, base, addr)
	token := oauthPasswordToken(t, base, testPassword)

	var acked sync.Map // status uri -> status id
	var ackedCount atomic.Int64
	burstDone := make(chan struct{})
	go func() {
		defer close(burstDone)
		client := &http.Client{Timeout: 5 * time.Second}
		for i := range 60 {
			form := url.Values{"status": {fmt.Sprintf("burst post %d", i)}}
			req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/statuses", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := client.Do(req)
			if err != nil {
				continue // the site is down: not acknowledged
			}
			var st struct{ ID, URI string }
			err = json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
			if resp.StatusCode/100 == 2 && err == nil {
				acked.Store(st.URI, st.ID)
				ackedCount.Add(1)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	// Kill mid-burst and mid-fan-out: some posts acknowledged, some of
	// their deliveries made, others still queued.
	waitUntil(t, 30*time.Second, "posts acknowledged and deliveries under way", func() bool {
		return ackedCount.Load() >= 10 && peer.total.Load() >= crashFollowers/2
	})
	site.Process.Signal(syscall.SIGKILL)
	site.Wait()
	<-burstDone
	beforeRestart := peer.total.Load()
	n := int(ackedCount.Load())
	if want := int64(n) * crashFollowers; beforeRestart >= want {
		t.Fatalf("all %d deliveries were made before the kill; the test did not interrupt the fan-out", want)
	}
	t.Logf("killed after %d acknowledged posts and %d of %d deliveries", n, beforeRestart, n*crashFollowers)

	startRoostProcess(t, bin, data, base, addr)
	token = oauthPasswordToken(t, base, testPassword)
	acked.Range(func(uri, id any) bool {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/statuses/"+id.(string), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("acknowledged post %s is gone after the restart (%v)", uri, err)
		}
		if resp != nil {
			resp.Body.Close()
		}
		return true
	})
	waitUntil(t, 90*time.Second, "every acknowledged post reaches every follower", func() bool {
		complete := true
		acked.Range(func(uri, _ any) bool {
			complete = peer.inboxesReached(uri.(string)) == crashFollowers
			return complete
		})
		return complete
	})
	dupes := peer.duplicates()
	t.Logf("%d deliveries in all, %d received twice", peer.total.Load(), dupes)
	if dupes > 8 { // the delivery worker pool's size: one send in flight each
		t.Errorf("%d deliveries arrived twice; only those in flight at the kill may", dupes)
	}
}

// recordingPeer is a server with many accounts that records which inbox
// received which post's Create.
type recordingPeer struct {
	mu       sync.Mutex
	received map[string]map[string]int // object id -> inbox path -> count
	total    atomic.Int64
}

func newRecordingPeer() *recordingPeer {
	return &recordingPeer{received: map[string]map[string]int{}}
}

func (p *recordingPeer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/inbox") {
		http.NotFound(w, r)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var act struct {
		Type   string
		Object json.RawMessage
	}
	if json.Unmarshal(body, &act) != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	var obj struct{ ID string }
	json.Unmarshal(act.Object, &obj)
	if act.Type == vocab.TypeCreate && obj.ID != "" {
		p.mu.Lock()
		if p.received[obj.ID] == nil {
			p.received[obj.ID] = map[string]int{}
		}
		p.received[obj.ID][r.URL.Path]++
		p.mu.Unlock()
		p.total.Add(1)
	}
	w.WriteHeader(http.StatusAccepted)
}

func (p *recordingPeer) inboxesReached(objectID string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.received[objectID])
}

func (p *recordingPeer) duplicates() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, inboxes := range p.received {
		for _, c := range inboxes {
			n += c - 1
		}
	}
	return n
}

// seedFollowers prepares a data directory whose owner has a password and n
// accepted followers on the peer, each with an inbox of its own.
func seedFollowers(t *testing.T, data, base, peerURL string, n int) {
	t.Helper()
	ctx := context.Background()
	db, err := openData(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := newSite(ctx, config{DataDir: data, BaseURL: base, AllowPrivate: true, NoteLimit: 500, MaxUploadMB: 10}, db, siteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.access.Store.SetPassword(ctx, testPassword); err != nil {
		t.Fatal(err)
	}
	follows := s.contacts.FollowHandler()
	for i := range n {
		id := peerURL + "/users/" + strconv.Itoa(i)
		actor := &vocab.Actor{ID: id, Type: vocab.TypePerson, PreferredUsername: "u" + strconv.Itoa(i), Inbox: id + "/inbox"}
		follow := &vocab.Activity{ID: id + "/follows/1", Type: vocab.TypeFollow, Actor: id, ObjectID: s.fed.ActorID()}
		if _, err := follows.FollowRequested(ctx, follow, actor); err != nil {
			t.Fatal(err)
		}
	}
}

// buildRoostBinary builds ./cmd/roost into dir.
func buildRoostBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "roost")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startRoostProcess runs `roost serve` on data and waits until it answers.
func startRoostProcess(t *testing.T, bin, data, base, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--url", base, "--listen", addr, "--allow-private", "--api-rate-limit", "0", "--inbox-budget", "0")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitHealthy(t, base)
	return cmd
}

// oauthPasswordToken logs in as a Mastodon app does over HTTP.
func oauthPasswordToken(t *testing.T, base, password string) string {
	t.Helper()
	post := func(path string, form url.Values) map[string]any {
		resp, err := http.PostForm(base+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("POST %s: %d %v", path, resp.StatusCode, err)
		}
		return out
	}
	app := post("/api/v1/apps", url.Values{"client_name": {"crash test"}, "redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "scopes": {"read write"}})
	u, _ := url.Parse(base)
	tok := post("/oauth/token", url.Values{"grant_type": {"password"}, "username": {u.Hostname()}, "password": {password},
		"client_id": {app["client_id"].(string)}, "client_secret": {app["client_secret"].(string)}, "scope": {"read write"}})
	return tok["access_token"].(string)
}

// waitUntil polls cond until it holds or the time is up.
func waitUntil(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// slowReader hands out its bytes a little at a time, as a phone on a weak
// network uploads.
type slowReader struct {
	left  int
	chunk int
	pause time.Duration
}

func (r *slowReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	time.Sleep(r.pause)
	n := min(len(p), r.chunk, r.left)
	for i := range n {
		p[i] = byte(i)
	}
	r.left -= n
	return n, nil
}

// TestSIGTERMLetsRunningRequestsFinish sends SIGTERM to a real roost
// process in the middle of a slow upload: the upload gets its answer, then
// the process exits cleanly.
func TestSIGTERMLetsRunningRequestsFinish(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildRoostBinary(t, dir)
	data := filepath.Join(dir, "data")
	addr := freeLoopbackAddr(t)
	base := "http://" + addr
	passwd := exec.Command(bin, "passwd", "--data", data)
	passwd.Stdin = strings.NewReader(testPassword + "\n")
	if out, err := passwd.CombinedOutput(); err != nil {
		t.Fatalf("roost passwd: %v\n%s", err, out)
	}
	site := startRoostProcess(t, bin, data, base, addr)
	token := oauthPasswordToken(t, base, testPassword)

	// About 3 s of upload: a multipart form whose file part trickles in.
	pr, pw := io.Pipe()
	go func() {
		pw.Write([]byte("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\nContent-Type: image/png\r\n\r\n"))
		io.Copy(pw, &slowReader{left: 300 << 10, chunk: 10 << 10, pause: 100 * time.Millisecond})
		pw.Write([]byte("\r\n--b--\r\n"))
		pw.Close()
	}()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v2/media", pr)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	req.Header.Set("Authorization", "Bearer "+token)
	answered := make(chan int, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("the upload running at SIGTERM was cut: %v", err)
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	time.Sleep(time.Second) // part of what is tested: the signal comes mid-upload
	started := time.Now()
	site.Process.Signal(syscall.SIGTERM)
	code := <-answered
	if code/100 != 2 && code/100 != 4 {
		t.Errorf("upload at SIGTERM answered %d", code)
	}
	if err := site.Wait(); err != nil {
		t.Errorf("roost exited with %v after SIGTERM", err)
	}
	t.Logf("upload answered %d; the process stopped %v after SIGTERM", code, time.Since(started).Round(time.Millisecond))
}
