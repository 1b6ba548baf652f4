package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkProviderFanout publishes one note of a hosted site to 10,000
// followers on 1,000 shared inboxes (four loopback servers, as
// BenchmarkFanout does for one SQLite site) and waits until every inbox
// has it, with one roost serve process on the PostgreSQL database and with
// two. The processes are the built binary, sharing nothing but the
// database; the note is posted to the first, and the second takes part
// through the delivery queue's claims. Every inbox must receive the note
// exactly once. Run it with -bench ProviderFanout -benchtime 1x.
func BenchmarkProviderFanout(b *testing.B) {
	pg := testPostgres(b)
	dir := b.TempDir()
	bin := filepath.Join(dir, "roost")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	dbURL := pg.Pool().Config().ConnString()
	data := filepath.Join(dir, "data")
	const domain = "fan.test"
	roost := func(args ...string) string {
		out, err := exec.Command(bin, append(args, "--database", dbURL, "--data", data)...).CombinedOutput()
		if err != nil {
			b.Fatalf("roost %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	roost("sites", "add", domain, "--url", "http://"+domain)
	b.Cleanup(func() {
		exec.Command(bin, "sites", "remove", domain, "--yes", "--database", dbURL, "--data", data).Run()
	})
	token := strings.TrimSpace(lastLine(roost("token", "create", "--site", domain)))

	sink := newFanoutSink(b)
	seedFanoutFollowers(b, domain, sink.inboxes(10000, 1000))
	for _, processes := range []int{1, 2} {
		b.Run(fmt.Sprintf("processes=%d", processes), func(b *testing.B) {
			var addrs, logs []string
			for range processes {
				addr, log := startServe(b, bin, dbURL, data)
				addrs, logs = append(addrs, addr), append(logs, log)
			}
			b.ResetTimer()
			for i := range b.N {
				mark := fmt.Sprintf("fan-out %d of %d processes %d", i, processes, time.Now().UnixNano())
				sink.expect(mark)
				postNote(b, addrs[0], domain, token, mark)
				sink.waitAll(b, mark, 1000, 2*time.Minute)
			}
			b.StopTimer()
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/fanout")
			time.Sleep(time.Second) // a second send of any inbox would arrive by now
			if dup := sink.duplicates(); dup != "" {
				b.Fatalf("an inbox received a note more than once: %s", dup)
			}
			// A process builds the site when it has work of it: the second
			// one, which served no request, did when it claimed deliveries.
			for i, log := range logs[1:] {
				text, _ := os.ReadFile(log)
				if !strings.Contains(string(text), "serving hosted site") {
					b.Errorf("process %d took no part in the fan-out", i+2)
				}
			}
		})
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// startServe runs roost serve on the database and returns its address and
// log file; it stops when the benchmark ends.
func startServe(b *testing.B, bin, dbURL, data string) (string, string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "serve", "--database", dbURL, "--data", data, "--listen", addr, "--allow-private")
	logPath := filepath.Join(b.TempDir(), "serve.log")
	log, err := os.Create(logPath)
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Signal(os.Interrupt); cmd.Wait(); log.Close() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		// Any answer will do: asking a site would build it.
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			return addr, logPath
		}
		if time.Now().After(deadline) {
			b.Fatalf("roost serve on %s did not answer", addr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// postNote posts a public note through Micropub.
func postNote(b *testing.B, addr, domain, token, text string) {
	form := url.Values{"h": {"entry"}, "content": {text}}
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/micropub", strings.NewReader(form.Encode()))
	req.Host = domain
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusAccepted {
		b.Fatalf("micropub answered %d", resp.StatusCode)
	}
}

// seedFanoutFollowers stores one accepted follower per entry of inboxes
// (their shared inboxes) in the site's schema, in one transaction.
func seedFanoutFollowers(b *testing.B, domain string, inboxes []string) {
	pg := testPostgres(b)
	ctx := context.Background()
	reg, err := openRegistry(ctx, pg)
	if err != nil {
		b.Fatal(err)
	}
	h, err := reg.get(ctx, domain)
	if err != nil {
		b.Fatal(err)
	}
	db, err := pg.Site(ctx, h.Schema, rooms()...)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for i, inbox := range inboxes {
		actor := fmt.Sprintf("%s/users/%d", inbox, i)
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO contacts(kind, actor_id, inbox, shared_inbox, created) VALUES('actor', ?, ?, ?, 1) RETURNING id`,
			actor, actor+"/inbox", inbox).Scan(&id); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO followers(contact_id, state, activity_id, created) VALUES(?, 'accepted', ?, 1)`,
			id, actor+"#follow"); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// fanoutSink is four loopback servers whose inboxes count what arrives,
// per note and inbox.
type fanoutSink struct {
	addrs []string
	mu    sync.Mutex
	got   map[string]map[string]int // mark → inbox path@server → deliveries
	marks []string
}

func newFanoutSink(b *testing.B) *fanoutSink {
	k := &fanoutSink{got: map[string]map[string]int{}}
	for range 4 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		addr := ln.Addr().String()
		srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			k.record(addr+r.URL.Path, string(body))
			w.WriteHeader(http.StatusAccepted)
		})}
		go srv.Serve(ln)
		b.Cleanup(func() { srv.Close() })
		k.addrs = append(k.addrs, addr)
	}
	return k
}

// inboxes spreads followers over shared inboxes on the servers.
func (k *fanoutSink) inboxes(followers, shared int) []string {
	out := make([]string, followers)
	for i := range out {
		n := i % shared
		out[i] = fmt.Sprintf("http://%s/inbox/%d", k.addrs[n%len(k.addrs)], n)
	}
	return out
}

func (k *fanoutSink) record(inbox, body string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, m := range k.marks {
		if strings.Contains(body, m) {
			k.got[m][inbox]++
			return
		}
	}
}

// expect counts the deliveries of the note carrying mark from now on.
func (k *fanoutSink) expect(mark string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.marks = append(k.marks, mark)
	k.got[mark] = map[string]int{}
}

// waitAll waits until n inboxes have the note carrying mark.
func (k *fanoutSink) waitAll(b *testing.B, mark string, n int, within time.Duration) {
	deadline := time.Now().Add(within)
	for {
		k.mu.Lock()
		reached := len(k.got[mark])
		k.mu.Unlock()
		if reached >= n {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d inboxes reached within %v", reached, n, within)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// duplicates names an inbox that received a note twice, or is empty.
func (k *fanoutSink) duplicates() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	for m, inboxes := range k.got {
		for inbox, n := range inboxes {
			if n > 1 {
				return fmt.Sprintf("%s got %q %d times", inbox, m, n)
			}
		}
	}
	return ""
}
