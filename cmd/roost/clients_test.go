package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"roost/feed"
)

// These tests drive a roost site with Mastodon client libraries that nobody
// on the project wrote: Debian's python3-mastodon (Mastodon.py) and npm's
// masto. Each library runs a script from testdata that acts as the owner of
// bob.test, following the owner of alice.test, a second roost site in the
// same process. The script prints one JSON line per thing it saw and reads
// one JSON line per thing the test did on alice.test; the test checks the
// lines.

const (
	mastodonPyDir  = "testdata/mastodon-py"
	mastoClientDir = "testdata/masto-client"
	// clientScriptTimeout bounds each script; the scripts give up a few
	// seconds earlier on their own.
	clientScriptTimeout = 60 * time.Second
)

func TestMastodonPyClient(t *testing.T) {
	requireTool(t, "python3-mastodon (the Mastodon.py client library, run by /usr/bin/python3)",
		"/usr/bin/python3", "-c", "import mastodon")
	runClientScenario(t, false, func(ctx context.Context, args []string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, "/usr/bin/python3", append([]string{"client.py"}, args...)...)
		cmd.Dir = mastodonPyDir
		return cmd
	})
}

func TestMastoJSClient(t *testing.T) {
	v := requireTool(t, "node (Node.js 20 or newer) for the masto client library", "node", "--version")
	if major, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(v, "v"), ".", 2)[0]); major < 20 {
		clientMissing(t, "the masto client library needs Node.js 20 or newer, have "+v)
	}
	requireTool(t, "npm to install the masto client library", "npm", "--version")
	installMastoClient(t)
	runClientScenario(t, true, func(ctx context.Context, args []string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, "node", append([]string{"client.mjs"}, args...)...)
		cmd.Dir = mastoClientDir
		return cmd
	})
}

// requireTool runs a command that shows whether a client can run and
// returns its output, trimmed.
func requireTool(t *testing.T, what, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		clientMissing(t, fmt.Sprintf("this test needs %s: %s %s: %v %s",
			what, name, strings.Join(args, " "), err, lines[len(lines)-1]))
	}
	return strings.TrimSpace(string(out))
}

// clientMissing skips the test, except under CI=true, where every client
// must run.
func clientMissing(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// installMastoClient runs npm ci when node_modules lacks masto or
// megalodon; package-lock.json pins every package.
func installMastoClient(t *testing.T) {
	t.Helper()
	installed := true
	for _, pkg := range []string{"masto", "megalodon"} {
		if _, err := os.Stat(filepath.Join(mastoClientDir, "node_modules", pkg, "package.json")); err != nil {
			installed = false
		}
	}
	if installed {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = mastoClientDir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", mastoClientDir, err, out)
	}
}

// Lines a client script prints, one type per event.
type (
	clientLogin struct {
		Acct, Username, Version string
	}
	clientMedia struct {
		Type, URL, Description string
	}
	clientPosted struct {
		ID, URI, Content string
		Media            []clientMedia
	}
	clientHome struct {
		IDs []string
	}
	clientFollowed struct {
		Acct                 string
		AccountID            string `json:"account_id"`
		Following, Requested bool
	}
	clientSearched struct {
		Accts     []string
		StatusIDs []string `json:"status_ids"`
	}
	// clientDaily is what apps do every day, beyond posting and reading.
	clientDaily struct {
		Conversation   bool
		ServerKey      string   `json:"server_key"`
		VapidKey       string   `json:"vapid_key"`
		AvatarType     string   `json:"avatar_type"`
		FollowedTags   []string `json:"followed_tags"`
		FilterKeywords []string `json:"filter_keywords"`
		// Multiplexed lists the streams of one socket that carried a tagged
		// post (masto.js only: Mastodon.py opens a socket per stream).
		Multiplexed []string
	}
	clientArrived struct {
		ID, URI, Content, Acct string
	}
	clientReacted struct {
		Favourited       bool
		ReblogOf         string `json:"reblog_of"`
		StatusFavourited bool   `json:"status_favourited"`
		StatusReblogged  bool   `json:"status_reblogged"`
		FavouritesCount  int    `json:"favourites_count"`
		ReblogsCount     int    `json:"reblogs_count"`
	}
	clientReplied struct {
		ID, URI, Content string
		InReplyToID      string `json:"in_reply_to_id"`
	}
	clientNotified struct {
		Type, Acct string
		StatusID   string `json:"status_id"`
	}
	clientEdited struct {
		ID, Content, Fetched string
	}
	clientDeleted struct {
		ID     string
		Status int
	}
	clientStreamed struct {
		Updates, Edits []struct{ ID, Content string }
		Deletes        []string
		Notifications  []string
	}
)

// runClientScenario runs one client script as bob.test's owner against two
// roost sites and checks each step it reports; multiplexes says the client
// shares one socket between streams.
func runClientScenario(t *testing.T, multiplexes bool, command func(ctx context.Context, args []string) *exec.Cmd) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	ctx := context.Background()

	sc := startClientScript(t, command, []string{
		"--base", bob.Base, "--hosts", hostList(tn.Hosts()), "--username", bob.Host, "--follow", "@" + alice.Host,
	})

	var login clientLogin
	sc.expect("login", &login)
	if login.Username != bob.Host || login.Acct != bob.Host {
		t.Errorf("verify_credentials: username %q acct %q, want %q", login.Username, login.Acct, bob.Host)
	}
	if !strings.HasPrefix(login.Version, "4.") {
		t.Errorf("client read the server version as %q, want 4.x", login.Version)
	}

	var posted clientPosted
	sc.expect("posted", &posted)
	if posted.ID == "" || !strings.Contains(posted.Content, "red square") {
		t.Errorf("posted status: id %q content %q", posted.ID, posted.Content)
	}
	if len(posted.Media) != 1 || posted.Media[0].Type != "image" ||
		!strings.HasPrefix(posted.Media[0].URL, bob.Base+"/media/") || posted.Media[0].Description != "a red square" {
		t.Errorf("posted status media: %+v, want one image under %s/media/ described as a red square", posted.Media, bob.Base)
	}
	var home clientHome
	sc.expect("home", &home)
	if len(home.IDs) == 0 || home.IDs[0] != posted.ID {
		t.Errorf("home timeline %v does not start with the new post %s", home.IDs, posted.ID)
	}

	var followed clientFollowed
	sc.expect("followed", &followed)
	if followed.Acct != alice.Host+"@"+alice.Host || !followed.Following || followed.Requested {
		t.Errorf("followed %+v, want %s@%s, following and no longer requested", followed, alice.Host, alice.Host)
	}
	var searched clientSearched
	sc.expect("searched", &searched)
	if len(searched.Accts) == 0 || searched.Accts[0] != alice.Host+"@"+alice.Host {
		t.Errorf("account search for the first letters of %s found %v", alice.Host, searched.Accts)
	}
	if !slices.Contains(searched.StatusIDs, posted.ID) {
		t.Errorf("full-text search for the client's own post %s found %v", posted.ID, searched.StatusIDs)
	}
	var daily clientDaily
	sc.expect("daily", &daily)
	if !daily.Conversation {
		t.Error("the client's direct message is not among its conversations")
	}
	if daily.ServerKey == "" || daily.ServerKey != daily.VapidKey {
		t.Errorf("push subscription server_key %q, instance VAPID key %q: want the same, not empty", daily.ServerKey, daily.VapidKey)
	}
	if !slices.ContainsFunc([]string{"image/png", "image/jpeg", "image/webp", "image/gif"},
		func(ct string) bool { return strings.HasPrefix(daily.AvatarType, ct) }) {
		t.Errorf("the default avatar is %q; native apps need a raster image", daily.AvatarType)
	}
	if !slices.Contains(daily.FollowedTags, "roostdaily") {
		t.Errorf("followed tags %v lack the one just followed", daily.FollowedTags)
	}
	if !slices.Contains(daily.FilterKeywords, "spoiler") {
		t.Errorf("filter keywords %v lack the one just added", daily.FilterKeywords)
	}
	if multiplexes && len(daily.Multiplexed) != 3 {
		t.Errorf("a tagged post reached the user, hashtag and public streams of one socket as %v, want all three", daily.Multiplexed)
	}
	eventually(t, 10*time.Second, "alice.test lists bob.test as a follower", func() bool {
		return alice.contacts.IsFollower(ctx, bob.fed.ActorID())
	})

	note, err := alice.feed.Create(ctx, feed.NoteInput{Text: "Spring has come to alice.test", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	sc.send("alice_posted", map[string]string{"text": "Spring has come"})
	var arrived clientArrived
	sc.expect("arrived", &arrived)
	if arrived.URI != note.URL || arrived.Acct != alice.Host+"@"+alice.Host {
		t.Errorf("arrived %+v, want uri %s from %s@%s", arrived, note.URL, alice.Host, alice.Host)
	}

	var reacted clientReacted
	sc.expect("reacted", &reacted)
	if !reacted.Favourited || reacted.ReblogOf != arrived.ID || !reacted.StatusFavourited || !reacted.StatusReblogged ||
		reacted.FavouritesCount != 1 || reacted.ReblogsCount != 1 {
		t.Errorf("after favourite and boost: %+v, want both flags set and counted once on status %s", reacted, arrived.ID)
	}
	eventually(t, 10*time.Second, "alice.test counts bob's like and boost", func() bool {
		n, err := alice.feed.Get(ctx, note.ID)
		return err == nil && n.Likes == 1 && n.Boosts == 1
	})

	var replied clientReplied
	sc.expect("replied", &replied)
	if replied.InReplyToID != arrived.ID || !strings.Contains(replied.Content, "A reply from") {
		t.Errorf("reply %+v, want in reply to %s", replied, arrived.ID)
	}
	// alice likes the reply, which reaches bob as a favourite notification.
	eventually(t, 10*time.Second, "alice.test has bob's reply to her note", func() bool {
		p, err := alice.feed.PostByObjectID(ctx, replied.URI)
		return err == nil && p.InReplyTo == note.URL
	})
	if err := alice.feed.Like(ctx, replied.URI); err != nil {
		t.Fatal(err)
	}
	sc.send("alice_liked", nil)
	var notified clientNotified
	sc.expect("notified", &notified)
	if notified.Type != "favourite" || notified.Acct != alice.Host+"@"+alice.Host || notified.StatusID != replied.ID {
		t.Errorf("notification %+v, want a favourite from %s@%s on %s", notified, alice.Host, alice.Host, replied.ID)
	}

	var edited clientEdited
	sc.expect("edited", &edited)
	if edited.ID != posted.ID || !strings.Contains(edited.Content, "Edited by") || edited.Fetched != edited.Content {
		t.Errorf("edit %+v, want status %s with the new text, also when fetched again", edited, posted.ID)
	}
	var deleted clientDeleted
	sc.expect("deleted", &deleted)
	if deleted.ID != replied.ID || deleted.Status != 404 {
		t.Errorf("deleted %+v, want status %s answering 404", deleted, replied.ID)
	}

	// The stream opened before the first post saw everything since.
	var streamed clientStreamed
	sc.expect("streamed", &streamed)
	updates, edits := map[string]string{}, map[string]string{}
	for _, u := range streamed.Updates {
		updates[u.ID] = u.Content
	}
	for _, u := range streamed.Edits {
		edits[u.ID] = u.Content
	}
	if !strings.Contains(updates[posted.ID], "red square") {
		t.Errorf("user stream updates %v lack the client's own post %s", streamed.Updates, posted.ID)
	}
	if !strings.Contains(updates[arrived.ID], "Spring has come") {
		t.Errorf("user stream updates %v lack alice's post %s", streamed.Updates, arrived.ID)
	}
	if edits[posted.ID] != edited.Content {
		t.Errorf("user stream status.update events %v lack the edit of %s to %q", streamed.Edits, posted.ID, edited.Content)
	}
	if !slices.Contains(streamed.Deletes, replied.ID) {
		t.Errorf("user stream delete events %v lack %s", streamed.Deletes, replied.ID)
	}
	if !slices.Contains(streamed.Notifications, "favourite") {
		t.Errorf("user stream notifications %v lack the favourite", streamed.Notifications)
	}
	sc.expect("done", nil)
}

// clientScript is a running client script and the lines it printed.
type clientScript struct {
	t      *testing.T
	stdin  io.WriteCloser
	lines  chan []byte // closed when stdout ends
	stderr *lockedBuffer
	ctx    context.Context
}

func startClientScript(t *testing.T, command func(context.Context, []string) *exec.Cmd, args []string) *clientScript {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), clientScriptTimeout)
	cmd := command(ctx, args)
	cmd.Env = append(os.Environ(), "ROOST_PASSWORD="+testPassword)
	sc := &clientScript{t: t, lines: make(chan []byte, 64), stderr: &lockedBuffer{}, ctx: ctx}
	cmd.Stderr = sc.stderr
	var err error
	if sc.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", cmd.Path, err)
	}
	go func() {
		defer close(sc.lines)
		s := bufio.NewScanner(stdout)
		s.Buffer(nil, 1<<20)
		for s.Scan() {
			sc.lines <- append([]byte(nil), s.Bytes()...)
		}
	}()
	t.Cleanup(func() {
		// Closing stdin ends a script that waits for the test; one that
		// does not finish in time is killed. Its output is read to the end
		// before Wait, which closes the pipe.
		sc.stdin.Close()
		select {
		case <-sc.drained():
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-sc.drained()
		}
		err := cmd.Wait()
		cancel()
		if err != nil && !t.Failed() {
			t.Errorf("client script: %v\n%s", err, sc.stderr.String())
		}
		if t.Failed() && sc.stderr.Len() > 0 {
			t.Logf("client script stderr:\n%s", sc.stderr.String())
		}
	})
	return sc
}

// drained is closed once the script's stdout has ended, discarding the
// lines nobody expected.
func (sc *clientScript) drained() <-chan struct{} {
	done := make(chan struct{})
	go func() {
		for range sc.lines {
		}
		close(done)
	}()
	return done
}

// expect waits for the script's next line, which must be the named event,
// and decodes it into v (when not nil).
func (sc *clientScript) expect(event string, v any) {
	sc.t.Helper()
	select {
	case line, ok := <-sc.lines:
		if !ok {
			sc.t.Fatalf("client script ended before %q:\n%s", event, sc.stderr.String())
		}
		var head struct{ Event string }
		if err := json.Unmarshal(line, &head); err != nil {
			sc.t.Fatalf("client script printed %q: %v", line, err)
		}
		if head.Event != event {
			sc.t.Fatalf("client script printed %s, want event %q", line, event)
		}
		sc.t.Logf("%s", line)
		if v != nil {
			if err := json.Unmarshal(line, v); err != nil {
				sc.t.Fatalf("decode %q: %v", event, err)
			}
		}
	case <-sc.ctx.Done():
		sc.t.Fatalf("client script: no %q within %s:\n%s", event, clientScriptTimeout, sc.stderr.String())
	}
}

// send tells the script what the test did: one JSON line with the event
// name and fields.
func (sc *clientScript) send(event string, fields map[string]string) {
	sc.t.Helper()
	msg := map[string]string{"event": event}
	for k, v := range fields {
		msg[k] = v
	}
	b, _ := json.Marshal(msg)
	if _, err := sc.stdin.Write(append(b, '\n')); err != nil && !errors.Is(err, os.ErrClosed) {
		sc.t.Fatalf("tell the client script %s: %v", event, err)
	}
}
