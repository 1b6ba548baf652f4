package main

import (
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"testing"
)

// TestMegalodonDetectsMastodon runs megalodon's detector(), with which
// Whalebird and Fedistar decide how to talk to a server, against a test
// site: it must answer "mastodon", not "Unknown SNS".
func TestMegalodonDetectsMastodon(t *testing.T) {
	requireTool(t, "node (Node.js 20 or newer) for the megalodon client library", "node", "--version")
	requireTool(t, "npm to install the megalodon client library", "npm", "--version")
	installMastoClient(t)
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	ctx, cancel := context.WithTimeout(context.Background(), clientScriptTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "detect.mjs", "--base", alice.Base)
	cmd.Dir = mastoClientDir
	// axios sends every request to the proxy with its absolute URL, which
	// the site answers as it would the named host.
	cmd.Env = append(cmd.Environ(), "HTTP_PROXY=http://"+alice.Addr, "http_proxy=http://"+alice.Addr, "NO_PROXY=", "no_proxy=")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("detect.mjs: %v\n%s", err, out)
	}
	var got struct{ SNS, Error string }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("detect.mjs printed %q: %v", out, err)
	}
	if got.SNS != "mastodon" {
		t.Errorf("megalodon detected %q (error %q), want mastodon", got.SNS, got.Error)
	}
}

// TestHealthLikeMastodon: monitors and apps probe a Mastodon server with
// GET /health, which answers 200 "OK".
func TestHealthLikeMastodon(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	resp, err := alice.Owner.Get(alice.Base + "/health")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "OK" {
		t.Errorf("/health: %d %q, want 200 OK", resp.StatusCode, body)
	}
}
