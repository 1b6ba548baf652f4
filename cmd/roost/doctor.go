package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"roost/cmd/roost/database"
)

// `roost doctor` checks, from the outside in, what a site needs to
// federate, and says for each check what to do when it fails. It runs next
// to the server (same data folder) and asks the public URL like a peer
// would.

// checkResult is one line of the doctor's report.
type checkResult struct {
	status string // OK, FAIL or SKIP
	name   string
	detail string
}

type doctor struct {
	base, host string
	dataDir    string
	client     *http.Client
	db         *sql.DB
	now        func() time.Time
}

func runDoctor(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	data := dataFlag(fs)
	base := fs.String("url", envDefault("URL", "http://localhost:8080"), "the site's public URL (ROOST_URL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, err := url.Parse(strings.TrimRight(*base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--url %q: want the site's public URL, such as https://alice.com", *base)
	}
	d := &doctor{base: u.Scheme + "://" + u.Host, host: u.Hostname(), dataDir: *data, now: time.Now,
		client: &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	// Opened only when it exists: Open would create an empty one.
	dbPath := filepath.Join(*data, "roost.db")
	if _, err := os.Stat(dbPath); err == nil {
		if db, err := database.Open(dbPath); err == nil {
			d.db = db
			defer db.Close()
		}
	}
	failures := 0
	for _, c := range d.checks() {
		r := c(context.Background())
		if r.status == "FAIL" {
			failures++
		}
		fmt.Fprintf(out, "%-4s  %s: %s\n", r.status, r.name, r.detail)
	}
	if failures > 0 {
		return fmt.Errorf("%d of the checks failed", failures)
	}
	return nil
}

func (d *doctor) checks() []func(context.Context) checkResult {
	return []func(context.Context) checkResult{
		d.checkDNS, d.checkReachable, d.checkCertificate, d.checkWebFinger, d.checkActor, d.checkNodeInfo,
		d.checkClock, d.checkDisk, d.checkDatabase, d.checkDeliveries,
	}
}

func passed(name, format string, a ...any) checkResult {
	return checkResult{"OK", name, fmt.Sprintf(format, a...)}
}
func failed(name, format string, a ...any) checkResult {
	return checkResult{"FAIL", name, fmt.Sprintf(format, a...)}
}
func skipped(name, format string, a ...any) checkResult {
	return checkResult{"SKIP", name, fmt.Sprintf(format, a...)}
}

func (d *doctor) checkDNS(ctx context.Context) checkResult {
	addrs, err := net.DefaultResolver.LookupHost(ctx, d.host)
	if err != nil || len(addrs) == 0 {
		return failed("DNS", "%s does not resolve (%v): add an A or AAAA record pointing at this server", d.host, err)
	}
	return passed("DNS", "%s is %s", d.host, strings.Join(addrs, ", "))
}

// checkReachable leaves a random token in the data folder and asks for it
// through the public URL: only this roost can echo it back.
func (d *doctor) checkReachable(ctx context.Context) checkResult {
	const name = "public URL"
	token := make([]byte, 16)
	rand.Read(token)
	t := hex.EncodeToString(token)
	dir := filepath.Join(d.dataDir, "doctor")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return failed(name, "cannot write to the data folder %s: %v", d.dataDir, err)
	}
	path := filepath.Join(dir, t)
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		return failed(name, "cannot write to the data folder %s: %v", d.dataDir, err)
	}
	defer os.Remove(dir) // once empty
	defer os.Remove(path)
	body, status, err := d.get(ctx, d.base+"/.well-known/roost-doctor/"+t, "")
	switch {
	case err != nil:
		return failed(name, "%s cannot be reached (%v): is roost serving, and do the firewall and DNS lead here?", d.base, err)
	case status != http.StatusOK || strings.TrimSpace(string(body)) != t:
		return failed(name, "%s answered %d without the token: another server answers there, or --data is not the one roost serves", d.base, status)
	}
	return passed(name, "%s reaches this roost", d.base)
}

func (d *doctor) checkCertificate(ctx context.Context) checkResult {
	const name = "HTTPS certificate"
	u, _ := url.Parse(d.base)
	if u.Scheme != "https" {
		return skipped(name, "the site is served over plain HTTP; other servers only follow https:// actors")
	}
	port := u.Port()
	if port == "" {
		port = "443"
	}
	dialer := &tls.Dialer{NetDialer: &net.Dialer{Timeout: 10 * time.Second}, Config: &tls.Config{ServerName: d.host}}
	conn, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort(d.host, port))
	if err != nil {
		return failed(name, "no valid certificate for %s (%v): see the log of roost serve for the ACME error", d.host, err)
	}
	defer conn.Close()
	leaf := conn.(*tls.Conn).ConnectionState().PeerCertificates[0]
	left := leaf.NotAfter.Sub(d.now())
	if left < 7*24*time.Hour {
		return failed(name, "expires %s, in %s: renewal is failing, see the log of roost serve", leaf.NotAfter.Format(time.RFC3339), left.Round(time.Hour))
	}
	return passed(name, "valid, issued by %s, expires %s", leaf.Issuer.CommonName, leaf.NotAfter.Format("2006-01-02"))
}

func (d *doctor) checkWebFinger(ctx context.Context) checkResult {
	const name = "WebFinger"
	var found []string
	for _, resource := range []string{"acct:" + d.host + "@" + d.host, d.base + "/"} {
		var doc struct {
			Subject string
			Links   []struct{ Rel, Type, Href string }
		}
		if err := d.getJSON(ctx, d.base+"/.well-known/webfinger?resource="+url.QueryEscape(resource), &doc); err != nil {
			return failed(name, "%s: %v; others cannot find @%s", resource, err, d.host)
		}
		self := ""
		for _, l := range doc.Links {
			if l.Rel == "self" {
				self = l.Href
			}
		}
		if !strings.HasPrefix(self, d.base+"/") {
			return failed(name, "%s has no self link on %s (got %q): check --url", resource, d.base, self)
		}
		found = append(found, resource)
	}
	return passed(name, "@%s and @%s@%s resolve (%s)", d.host, d.host, d.host, strings.Join(found, ", "))
}

func (d *doctor) checkActor(ctx context.Context) checkResult {
	const name = "actor"
	var doc struct {
		ID, Inbox string
		PublicKey struct{ ID, Owner, PublicKeyPem string }
	}
	if err := d.getJSONAs(ctx, d.base+"/actor", "application/activity+json", &doc); err != nil {
		return failed(name, "%s/actor: %v", d.base, err)
	}
	if doc.ID != d.base+"/actor" || doc.Inbox == "" {
		return failed(name, "the actor says id %q, inbox %q: check --url", doc.ID, doc.Inbox)
	}
	block, _ := pem.Decode([]byte(doc.PublicKey.PublicKeyPem))
	if block == nil || doc.PublicKey.Owner != doc.ID {
		return failed(name, "the actor's public key is missing or not its own: signatures cannot be checked")
	}
	if _, err := x509.ParsePKIXPublicKey(block.Bytes); err != nil {
		return failed(name, "the actor's public key does not parse: %v", err)
	}
	return passed(name, "%s with inbox and key %s", doc.ID, doc.PublicKey.ID)
}

func (d *doctor) checkNodeInfo(ctx context.Context) checkResult {
	const name = "NodeInfo"
	var index struct{ Links []struct{ Rel, Href string } }
	if err := d.getJSON(ctx, d.base+"/.well-known/nodeinfo", &index); err != nil || len(index.Links) == 0 {
		return failed(name, "/.well-known/nodeinfo: %v", err)
	}
	var info struct {
		Software  struct{ Name, Version string }
		Protocols []string
	}
	href := index.Links[len(index.Links)-1].Href
	if err := d.getJSON(ctx, href, &info); err != nil {
		return failed(name, "%s: %v", href, err)
	}
	return passed(name, "%s %s, protocols %s", info.Software.Name, info.Software.Version, strings.Join(info.Protocols, ", "))
}

// checkClock compares this machine's clock with the Date of a server the
// site already federates with: signatures older or newer than a few
// minutes are refused by most servers.
func (d *doctor) checkClock(ctx context.Context) checkResult {
	const name = "clock"
	if d.db == nil {
		return skipped(name, "no database in %s to find a peer in", d.dataDir)
	}
	var actor string
	if err := d.db.QueryRowContext(ctx, `SELECT id FROM remote_actors ORDER BY fetched DESC LIMIT 1`).Scan(&actor); err != nil {
		return skipped(name, "no other server known yet to compare the clock with")
	}
	u, err := url.Parse(actor)
	if err != nil {
		return skipped(name, "the last peer's address %q does not parse", actor)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodHead, u.Scheme+"://"+u.Host+"/", nil)
	before := d.now()
	resp, err := d.client.Do(req)
	if err != nil {
		return skipped(name, "%s did not answer (%v)", u.Host, err)
	}
	resp.Body.Close()
	theirs, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return skipped(name, "%s sent no Date", u.Host)
	}
	skew := before.Add(d.now().Sub(before) / 2).Sub(theirs)
	if skew.Abs() > time.Minute {
		return failed(name, "this clock is %s off %s: turn on time synchronisation (systemd-timesyncd or chrony)", skew.Round(time.Second), u.Host)
	}
	return passed(name, "within %s of %s", skew.Abs().Round(time.Second), u.Host)
}

func (d *doctor) checkDisk(context.Context) checkResult {
	const name = "disk"
	var st syscall.Statfs_t
	if err := syscall.Statfs(d.dataDir, &st); err != nil {
		return failed(name, "cannot read the data folder %s: %v", d.dataDir, err)
	}
	free := st.Bavail * uint64(st.Bsize)
	if free < 512<<20 {
		return failed(name, "%d MiB free where %s is: free some space, the database and media grow", free>>20, d.dataDir)
	}
	return passed(name, "%.1f GiB free for %s", float64(free)/(1<<30), d.dataDir)
}

func (d *doctor) checkDatabase(ctx context.Context) checkResult {
	const name = "database"
	if d.db == nil {
		return failed(name, "no roost.db in %s: pass the --data folder roost serves", d.dataDir)
	}
	var result string
	if err := d.db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&result); err != nil {
		return failed(name, "quick_check: %v", err)
	}
	if result != "ok" {
		return failed(name, "quick_check says %q: stop roost and restore the last backup (roost export)", result)
	}
	return passed(name, "integrity check passed")
}

func (d *doctor) checkDeliveries(ctx context.Context) checkResult {
	const name = "delivery queue"
	if d.db == nil {
		return skipped(name, "no database")
	}
	now := d.now().UnixMilli()
	var waiting, failing int
	var oldest sql.NullInt64
	err := d.db.QueryRowContext(ctx, `SELECT COUNT(*), MIN(next_try), COUNT(DISTINCT CASE WHEN attempts > 3 THEN inbox END)
		FROM deliveries WHERE done = 0`).Scan(&waiting, &oldest, &failing)
	if errors.Is(err, sql.ErrNoRows) || err == nil && waiting == 0 {
		return passed(name, "nothing waiting")
	}
	if err != nil {
		return failed(name, "%v", err)
	}
	late := time.Duration(now-oldest.Int64) * time.Millisecond
	if late > time.Hour {
		return failed(name, "%d deliveries waiting, one due %s ago: is roost serve running?", waiting, late.Round(time.Minute))
	}
	return passed(name, "%d deliveries waiting, %d inboxes failing repeatedly", waiting, failing)
}

func (d *doctor) get(ctx context.Context, u, accept string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return body, resp.StatusCode, err
}

func (d *doctor) getJSON(ctx context.Context, u string, v any) error {
	return d.getJSONAs(ctx, u, "application/json", v)
}

func (d *doctor) getJSONAs(ctx context.Context, u, accept string, v any) error {
	body, status, err := d.get(ctx, u, accept)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("answered %d", status)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	return nil
}

// doctorEcho answers the doctor's reachability check: the token is echoed
// only when the doctor left it in this site's data folder.
func (s *site) doctorEcho(w http.ResponseWriter, r *http.Request) {
	t := r.PathValue("token")
	if _, err := hex.DecodeString(t); err != nil || len(t) != 32 {
		http.NotFound(w, r)
		return
	}
	if _, err := os.Stat(filepath.Join(s.cfg.DataDir, "doctor", t)); err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, t+"\n")
}
