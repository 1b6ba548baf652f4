package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// fedifyPeerDir holds the Fedify-based peer: a small ActivityPub server that
// nobody on this project wrote, so interop tests are not roost talking to
// itself.
const fedifyPeerDir = "testdata/fedify-peer"

// fedifyPeer is a running Fedify-based ActivityPub server from
// testdata/fedify-peer, with one actor, "peer". Add Host -> Addr to the test
// network so roost sites can reach it by name.
type fedifyPeer struct {
	Host    string // public host name, e.g. "peer.test"
	Origin  string // "http://" + Host
	ActorID string // Origin + "/users/peer"
	Addr    string // loopback address it listens on

	control string // base URL of the control endpoints, by address
	client  *http.Client
}

// peerState is what the peer reports at /_test/state.
type peerState struct {
	Followers []string          `json:"followers"` // actor ids following the peer
	Following map[string]string `json:"following"` // actor id -> "pending", "accepted" or "rejected"
	Received  []peerActivity    `json:"received"`  // activities that reached an inbox listener, oldest first
}

// peerActivity is one received activity as the peer's Fedify parsed it.
type peerActivity struct {
	Type   string     `json:"type"`
	ID     string     `json:"id"`
	Actor  string     `json:"actor"`
	Object peerObject `json:"object"`
}

// peerObject is the activity's object. Only ID is set for Delete, Like and
// Announce, whose objects the peer does not fetch, or when Fedify could not
// get the object.
type peerObject struct {
	ID           string `json:"id"`
	Type         string `json:"type"`
	Content      string `json:"content"`
	Name         string `json:"name"`
	AttributedTo string `json:"attributedTo"`
}

// OfType lists the received activities of one type, e.g. "Create".
func (s peerState) OfType(typ string) []peerActivity {
	var out []peerActivity
	for _, a := range s.Received {
		if a.Type == typ {
			out = append(out, a)
		}
	}
	return out
}

var fedifyPeerInstall struct {
	sync.Mutex
	done bool
}

// startFedifyPeer starts the Fedify peer as host (e.g. "peer.test"), dialling
// the given roost sites (name -> 127.0.0.1:port) by name, and stops it when
// the test ends. It installs the npm packages first when they are missing.
// Without node and npm the test is skipped, or fails when CI=true.
func startFedifyPeer(t *testing.T, host string, hosts map[string]string) *fedifyPeer {
	t.Helper()
	requireNode(t)
	installFedifyPeer(t)

	addr := freeLoopbackAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	p := &fedifyPeer{
		Host:    host,
		Origin:  "http://" + host,
		ActorID: "http://" + host + "/users/peer",
		Addr:    addr,
		control: "http://" + addr + "/_test",
		client:  &http.Client{Timeout: 60 * time.Second},
	}
	cmd := exec.Command("node", "server.mjs", "--port", port, "--origin", p.Origin, "--hosts", hostList(hosts))
	cmd.Dir = fedifyPeerDir
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start fedify peer: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
		// Fedify logs why it refused a request (signature, key fetch) here.
		if t.Failed() && out.Len() > 0 {
			t.Logf("fedify peer %s output:\n%s", host, out.String())
		}
	})
	p.waitHealthy(t, exited, out)
	return p
}

// requireNode skips the test when node or npm is missing, except on CI where
// the peer is part of the suite and must run.
func requireNode(t *testing.T) {
	t.Helper()
	var missing []string
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		msg := "the Fedify interop peer needs " + strings.Join(missing, " and ") + " on PATH (Node.js 20 or newer)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	v, err := exec.Command("node", "--version").Output()
	if err != nil {
		t.Fatalf("node --version: %v", err)
	}
	major, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(strings.TrimSpace(string(v)), "v"), ".", 2)[0])
	if major < 20 {
		msg := fmt.Sprintf("the Fedify interop peer needs Node.js 20 or newer, have %s", strings.TrimSpace(string(v)))
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// installFedifyPeer runs npm ci once per test binary when node_modules is
// missing; package-lock.json pins every package.
func installFedifyPeer(t *testing.T) {
	t.Helper()
	fedifyPeerInstall.Lock()
	defer fedifyPeerInstall.Unlock()
	if fedifyPeerInstall.done {
		return
	}
	if _, err := os.Stat(filepath.Join(fedifyPeerDir, "node_modules", "@fedify", "fedify")); err != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = fedifyPeerDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", fedifyPeerDir, err, out)
		}
	}
	fedifyPeerInstall.done = true
}

// hostList formats name -> address as the peer's --hosts flag.
func hostList(hosts map[string]string) string {
	list := make([]string, 0, len(hosts))
	for name, addr := range hosts {
		list = append(list, name+"="+addr)
	}
	sort.Strings(list)
	return strings.Join(list, ",")
}

func (p *fedifyPeer) waitHealthy(t *testing.T, exited <-chan struct{}, out *lockedBuffer) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			t.Fatalf("fedify peer exited during start:\n%s", out.String())
		default:
		}
		if resp, err := http.Get(p.control + "/health"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("fedify peer did not answer %s/health within a minute:\n%s", p.control, out.String())
}

// State returns what the peer has received and whom it follows.
func (p *fedifyPeer) State(t *testing.T) peerState {
	t.Helper()
	var s peerState
	p.call(t, http.MethodGet, "/state", nil, &s)
	return s
}

// Follow makes the peer look actorID up and send it a Follow. It fails the
// test when Fedify cannot dereference the actor or its inbox refuses the
// delivery; the answer (Accept) arrives later, see State.
func (p *fedifyPeer) Follow(t *testing.T, actorID string) {
	t.Helper()
	p.call(t, http.MethodPost, "/follow", map[string]string{"actor": actorID}, nil)
}

// Post publishes a public Note with the given HTML to the peer's followers
// and returns the note's id.
func (p *fedifyPeer) Post(t *testing.T, contentHTML string) (noteID string) {
	t.Helper()
	var res struct {
		ID string `json:"id"`
	}
	p.call(t, http.MethodPost, "/post", map[string]string{"content": contentHTML}, &res)
	return res.ID
}

// MapHost lets the peer reach a site started after it by name.
func (p *fedifyPeer) MapHost(t *testing.T, name, addr string) {
	t.Helper()
	p.call(t, http.MethodPost, "/hosts", map[string]string{name: addr}, nil)
}

func (p *fedifyPeer) call(t *testing.T, method, path string, in, out any) {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, p.control+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		t.Fatalf("fedify peer %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("fedify peer %s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("fedify peer %s %s: decode %q: %v", method, path, raw, err)
		}
	}
}

// lockedBuffer collects the peer's output; the process writes it from
// os/exec's copying goroutines while the test may read it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Reply publishes a public reply to inReplyTo, delivered to its author
// only, and returns the reply's id.
func (p *fedifyPeer) Reply(t *testing.T, contentHTML, inReplyTo, author string) (noteID string) {
	t.Helper()
	var res struct {
		ID string `json:"id"`
	}
	p.call(t, http.MethodPost, "/reply", map[string]string{"content": contentHTML, "inReplyTo": inReplyTo, "to": author}, &res)
	return res.ID
}

// VerifyProof asks Fedify whether a document's Object Integrity Proofs
// verify, and why not when they do not.
func (p *fedifyPeer) VerifyProof(t *testing.T, document json.RawMessage) (bool, string) {
	t.Helper()
	var res struct {
		Verified bool   `json:"verified"`
		Error    string `json:"error"`
	}
	p.call(t, http.MethodPost, "/verify", map[string]any{"document": document}, &res)
	return res.Verified, res.Error
}
