package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"roost/cmd/roost/database"
)

// TestBinaryEndToEnd builds roost, runs it on a loopback port as a user
// would, sets a password, creates a token, posts by Micropub and reads the
// pages and feeds back.
func TestBinaryEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "roost")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	addr := freeLoopbackAddr(t)
	base := "http://" + addr

	serve := exec.Command(bin, "serve", "--data", data, "--url", base)
	stdout, _ := serve.StdoutPipe()
	serve.Stderr = os.Stderr
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { serve.Process.Signal(os.Interrupt); serve.Wait() })
	setupLink := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if i := strings.Index(sc.Text(), "/setup?code="); i >= 0 {
				setupLink <- strings.TrimSpace(sc.Text())
			}
		}
	}()
	waitHealthy(t, base)
	select {
	case link := <-setupLink:
		if !strings.HasPrefix(link, base+"/setup?code=") {
			t.Errorf("setup link %q does not point at the site", link)
		}
		if resp := get(t, link); resp.StatusCode != http.StatusOK {
			t.Errorf("GET setup link: %d", resp.StatusCode)
		}
	case <-time.After(5 * time.Second):
		t.Error("serve printed no setup link on first run")
	}

	passwd := exec.Command(bin, "passwd", "--data", data)
	passwd.Stdin = strings.NewReader("correct horse battery\n")
	if out, err := passwd.CombinedOutput(); err != nil {
		t.Fatalf("roost passwd: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "token", "create", "--data", data, "--name", "e2e").Output()
	if err != nil {
		t.Fatalf("roost token create: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	token := lines[len(lines)-1]

	// A blog post by Micropub, form-encoded.
	form := url.Values{"h": {"entry"}, "name": {"End to end"}, "content": {"Some **bold** words"}, "category": {"testing"}}
	req, _ := http.NewRequest("POST", base+"/micropub", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(loc, base+"/blog/") {
		t.Fatalf("micropub create: %d Location %q", resp.StatusCode, loc)
	}
	page := readBody(t, get(t, loc))
	for _, want := range []string{"End to end", "<strong>bold</strong>", "testing"} {
		if !strings.Contains(page, want) {
			t.Errorf("post page lacks %q", want)
		}
	}
	for _, path := range []string{"/blog/feed.atom", "/blog/feed.rss", "/blog/feed.json", "/feed.atom"} {
		f, err := gofeed.NewParser().ParseString(readBody(t, get(t, base+path)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(f.Items) == 0 || f.Items[0].Title != "End to end" || f.Items[0].Link != loc {
			t.Errorf("%s: first item %+v, want the post", path, f.Items)
		}
	}

	// An export taken while the site runs holds the post, and restores.
	backup := filepath.Join(dir, "backup.zip")
	if out, err := exec.Command(bin, "export", "--data", data, "--out", backup).CombinedOutput(); err != nil {
		t.Fatalf("roost export: %v\n%s", err, out)
	}
	restored := filepath.Join(dir, "restored")
	if out, err := exec.Command(bin, "import", "--data", restored, backup).CombinedOutput(); err != nil {
		t.Fatalf("roost import: %v\n%s", err, out)
	}
	db, err := database.Open(filepath.Join(restored, "roost.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var titles int
	if err := db.QueryRow(`SELECT COUNT(*) FROM articles WHERE title = ?`, "End to end").Scan(&titles); err != nil || titles != 1 {
		t.Errorf("the backup's database has %d copies of the post (%v)", titles, err)
	}

	// The version command.
	v, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.HasPrefix(string(v), "roost ") {
		t.Errorf("roost version: %q %v", v, err)
	}
}

func freeLoopbackAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s/healthz did not answer 200", base)
}

func get(t *testing.T, u string) *http.Response {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func readBody(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", resp.Request.URL, resp.StatusCode)
	}
	return string(b)
}
