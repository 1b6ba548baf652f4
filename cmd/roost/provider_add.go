package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"roost/cmd/roost/database"
)

// addConcurrency is how many sites one "sites add" creates at once. Most of
// a site's creation is PostgreSQL making its tables, so a few at a time keep
// the server's cores busy without queueing on the connection pool.
const addConcurrency = 4

// siteToAdd is one line of a "sites add" request: a domain and, when it is
// not https://DOMAIN, its address.
type siteToAdd struct{ domain, url string }

// sitesToAdd gathers the domains of the command line and of --from (one
// "DOMAIN [URL]" a line, # comments), checks them all before any site is
// made, and refuses a domain named twice.
func sitesToAdd(args []string, rawURL, from string, stdin io.Reader) ([]siteToAdd, error) {
	if rawURL != "" && (len(args) != 1 || from != "") {
		return nil, errors.New("sites add: --url is for one DOMAIN; give many sites their addresses in a --from file (DOMAIN URL a line)")
	}
	var raw []siteToAdd
	for _, a := range args {
		raw = append(raw, siteToAdd{a, rawURL})
	}
	if from != "" {
		lines, err := readSitesFile(from, stdin)
		if err != nil {
			return nil, err
		}
		raw = append(raw, lines...)
	}
	if len(raw) == 0 {
		return nil, errors.New("sites add: want a DOMAIN (or several, or --from FILE)")
	}
	seen := map[string]bool{}
	out := make([]siteToAdd, 0, len(raw))
	for _, r := range raw {
		domain, err := normalizeDomain(r.domain)
		if err != nil {
			return nil, fmt.Errorf("sites add: %w", err)
		}
		base, err := siteURL(domain, r.url)
		if err != nil {
			return nil, fmt.Errorf("sites add %s: %w", domain, err)
		}
		if seen[domain] {
			return nil, fmt.Errorf("sites add: %s is named twice", domain)
		}
		seen[domain] = true
		out = append(out, siteToAdd{domain, base})
	}
	return out, nil
}

// readSitesFile reads a --from file ("-" for standard input).
func readSitesFile(name string, stdin io.Reader) ([]siteToAdd, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("sites add --from: %w", err)
		}
		defer f.Close()
		r = f
	}
	var out []siteToAdd
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		switch len(fields) {
		case 0:
		case 1:
			out = append(out, siteToAdd{domain: fields[0]})
		case 2:
			out = append(out, siteToAdd{fields[0], fields[1]})
		default:
			return nil, fmt.Errorf("sites add --from %s line %d: want DOMAIN [URL], got %q", name, n, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("sites add --from %s: %w", name, err)
	}
	return out, nil
}

// addSites creates the sites a few at a time. Each site's message (its
// set-up link, or why it failed) is written whole; one failure does not
// stop the others, and the error at the end names every domain not added.
func addSites(ctx context.Context, pg *database.Postgres, reg registry, data string, sites []siteToAdd, stdout io.Writer) error {
	var (
		mu     sync.Mutex
		failed []string
		wg     sync.WaitGroup
		work   = make(chan siteToAdd)
	)
	for range min(addConcurrency, len(sites)) {
		wg.Go(func() {
			for s := range work {
				var b bytes.Buffer
				err := addSite(ctx, pg, reg, data, s.domain, s.url, &b)
				mu.Lock()
				if err != nil {
					failed = append(failed, s.domain)
					fmt.Fprintf(stdout, "Site %s not added: %v\n", s.domain, err)
				} else {
					stdout.Write(b.Bytes())
				}
				mu.Unlock()
			}
		})
	}
	for _, s := range sites {
		work <- s
	}
	close(work)
	wg.Wait()
	if len(failed) > 0 {
		return fmt.Errorf("sites add: %d of %d sites not added: %s", len(failed), len(sites), strings.Join(failed, ", "))
	}
	return nil
}
