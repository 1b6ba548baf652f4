// Command multisite is the load generator of multisite.sh: it fills many
// sites served by one roost (each reached by its Host header) with notes
// through Micropub, then reads note pages or Mastodon home timelines of
// random sites and prints requests per second and latency percentiles.
// With one site in the list it measures a single site the same way.
//
//	multisite -addr 127.0.0.1:8098 -sites sites.txt fill -notes 100 -out notes.txt
//	multisite -addr 127.0.0.1:8098 -sites sites.txt -notes notes.txt read -path note -seconds 10
//
// sites.txt holds "DOMAIN TOKEN" lines; notes.txt "DOMAIN PATH" lines.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8098", "where roost listens")
	sitesFile := flag.String("sites", "sites.txt", `"DOMAIN TOKEN" lines`)
	notesFile := flag.String("notes", "notes.txt", `"DOMAIN PATH" lines (read)`)
	conns := flag.Int("c", 32, "connections")
	flag.Parse()
	sites := readPairs(*sitesFile)
	client := newClient(*addr, *conns)
	cmd := flag.Arg(0)
	fs := flag.NewFlagSet(cmd, flag.ExitOnError)
	switch cmd {
	case "fill":
		n := fs.Int("notes", 100, "notes per site")
		out := fs.String("out", "notes.txt", "where the note paths go")
		fs.Parse(flag.Args()[1:])
		fill(client, sites, *n, *conns, *out)
	case "read":
		path := fs.String("path", "note", "note: GET /notes/{id} of a random site; home: its /api/v1/timelines/home?limit=20")
		seconds := fs.Int("seconds", 10, "how long")
		fs.Parse(flag.Args()[1:])
		read(client, sites, readPairs(*notesFile), *path, *conns, time.Duration(*seconds)*time.Second)
	default:
		fmt.Fprintln(os.Stderr, "multisite: want fill or read")
		os.Exit(2)
	}
}

// newClient dials addr whatever the Host: every site is a Host header on
// the same listener.
func newClient(addr string, conns int) *http.Client {
	var d net.Dialer
	return &http.Client{
		Transport: &http.Transport{
			MaxIdleConns: conns, MaxIdleConnsPerHost: conns,
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return d.DialContext(ctx, network, addr)
			},
		},
		// net/http keeps idle connections by the URL's host: every URL
		// names one host, so connections are reused across sites, and the
		// site is named in the Host header (see do).
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

type pair struct{ a, b string }

func readPairs(name string) []pair {
	f, err := os.Open(name)
	if err != nil {
		fatal(err)
	}
	defer f.Close()
	var out []pair
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if a, b, ok := strings.Cut(strings.TrimSpace(sc.Text()), " "); ok {
			out = append(out, pair{a, strings.TrimSpace(b)})
		}
	}
	return out
}

// do sends a request for a site: to the one dialled address, with the
// site's Host.
func do(c *http.Client, method, host, path, token string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequest(method, "http://load.invalid"+path, body)
	if err != nil {
		return nil, err
	}
	req.Host = host
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return c.Do(req)
}

// fill posts n notes to every site through Micropub, conns at a time, and
// writes each note's path.
func fill(c *http.Client, sites []pair, n, conns int, out string) {
	type job struct {
		site pair
		i    int
	}
	jobs := make(chan job)
	var mu sync.Mutex
	var lines []string
	var failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range conns {
		wg.Go(func() {
			for j := range jobs {
				form := url.Values{"h": {"entry"}, "content": {fmt.Sprintf("Load note %d of %s about #testing", j.i, j.site.a)}}
				resp, err := do(c, "POST", j.site.a, "/micropub", j.site.b, strings.NewReader(form.Encode()))
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				loc, err := url.Parse(resp.Header.Get("Location"))
				if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusAccepted || err != nil || loc.Path == "" {
					failed.Add(1)
					continue
				}
				mu.Lock()
				lines = append(lines, j.site.a+" "+loc.Path)
				mu.Unlock()
			}
		})
	}
	// Round robin over the sites, so every site fills at the same pace.
	for i := range n {
		for _, s := range sites {
			jobs <- job{s, i}
		}
	}
	close(jobs)
	wg.Wait()
	took := time.Since(start)
	if err := os.WriteFile(out, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		fatal(err)
	}
	fmt.Printf("filled %d notes on %d sites in %.1f s (%.0f/s), %d failed\n",
		len(lines), len(sites), took.Seconds(), float64(len(lines))/took.Seconds(), failed.Load())
}

// read asks for random sites' pages for d with conns connections.
func read(c *http.Client, sites []pair, notes []pair, kind string, conns int, d time.Duration) {
	tokens := map[string]string{}
	for _, s := range sites {
		tokens[s.a] = s.b
	}
	if kind == "note" && len(notes) == 0 {
		fatal(fmt.Errorf("no notes to read"))
	}
	var mu sync.Mutex
	var latencies []time.Duration
	var errs atomic.Int64
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(deadline) {
				var host, path, token string
				if kind == "home" {
					s := sites[rand.IntN(len(sites))]
					host, path, token = s.a, "/api/v1/timelines/home?limit=20", s.b
				} else {
					nt := notes[rand.IntN(len(notes))]
					host, path = nt.a, nt.b
				}
				t0 := time.Now()
				resp, err := do(c, "GET", host, path, token, nil)
				if err != nil {
					errs.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs.Add(1)
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[int(float64(len(latencies)-1)*p)].Round(100 * time.Microsecond)
	}
	fmt.Printf("%-5s %d sites: %.0f req/s, p50 %v, p99 %v, %d errors\n", kind, len(sites),
		float64(len(latencies))/d.Seconds(), pct(0.5), pct(0.99), errs.Load())
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "multisite:", err)
	os.Exit(1)
}
