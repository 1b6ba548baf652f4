package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestDoctor runs the checks against a live site: all pass or skip with a
// reason, and pointing the doctor at another data folder fails the checks
// that prove it is talking to this roost.
func TestDoctor(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	dir := t.TempDir()
	db, err := openData(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := newSite(context.Background(), config{DataDir: dir, BaseURL: base, NoteLimit: 500, MaxUploadMB: 10}, db, siteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: s.handler}
	go srv.Serve(ln)
	defer srv.Close()

	var out bytes.Buffer
	if err := runDoctor([]string{"--url", base, "--data", dir}, &out); err != nil {
		t.Fatalf("doctor failed: %v\n%s", err, &out)
	}
	for _, want := range []string{"OK    public URL", "OK    WebFinger", "OK    actor", "OK    NodeInfo", "OK    database",
		"OK    delivery queue", "SKIP  HTTPS certificate", "SKIP  clock"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, &out)
		}
	}

	out.Reset()
	if err := runDoctor([]string{"--url", base, "--data", t.TempDir()}, &out); err == nil {
		t.Fatalf("doctor passed with the wrong data folder:\n%s", &out)
	}
	for _, want := range []string{"FAIL  public URL", "FAIL  database"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, &out)
		}
	}
}
