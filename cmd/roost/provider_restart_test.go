package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"roost/blog"
	"roost/federation/vocab"
	"roost/feed"
	"roost/feed/mastodon/push/pushtest"
)

// inboxSink is a peer's server that records what its inboxes receive. It
// refuses deliveries (503, "try later") until opened.
type inboxSink struct {
	mu       sync.Mutex
	open     bool
	refused  int
	received map[string][]string // path → bodies
}

func newInboxSink(t *testing.T, tn *testNet, host string) *inboxSink {
	t.Helper()
	k := &inboxSink{received: map[string][]string{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: k, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	tn.add(host, ln.Addr().String())
	return k
}

func (k *inboxSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.open {
		k.refused++
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	k.received[r.URL.Path] = append(k.received[r.URL.Path], string(body))
	w.WriteHeader(http.StatusAccepted)
}

func (k *inboxSink) setOpen() { k.mu.Lock(); k.open = true; k.mu.Unlock() }

func (k *inboxSink) refusals() int { k.mu.Lock(); defer k.mu.Unlock(); return k.refused }

// got is what one inbox received that contains text.
func (k *inboxSink) got(path, text string) int {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for _, b := range k.received[path] {
		if strings.Contains(b, text) {
			n++
		}
	}
	return n
}

// followedBy records a Follow of the site's owner from one remote actor per
// entry of inboxes (its shared inbox), as the inbox would.
func followedBy(t testing.TB, s *site, inboxes []string) {
	t.Helper()
	follows := s.contacts.FollowHandler()
	for i, inbox := range inboxes {
		id := fmt.Sprintf("%s/users/%d", strings.TrimSuffix(inbox, "/inbox"), i)
		actor := &vocab.Actor{ID: id, Type: vocab.TypePerson, PreferredUsername: fmt.Sprintf("u%d", i), Inbox: id + "/inbox", SharedInbox: inbox}
		follow := &vocab.Activity{ID: id + "/follows/1", Type: vocab.TypeFollow, Actor: id, ObjectID: s.fed.ActorID()}
		if _, err := follows.FollowRequested(context.Background(), follow, actor); err != nil {
			t.Fatal(err)
		}
	}
}

// builtDomains are the sites a provider has built, sorted.
func builtDomains(p *provider) []string {
	var out []string
	for _, e := range p.built() {
		out = append(out, e.s.cfg.domain())
	}
	slices.Sort(out)
	return out
}

// A delivery that failed before the provider stopped is retried by the
// next start, though nobody visits the site: the scan at start finds it,
// and builds that site only.
func TestProviderDeliversForUnvisitedSiteAfterRestart(t *testing.T) {
	pg := testPostgres(t)
	data := t.TempDir()
	tn := newTestNet()
	domains := addTestSites(t, pg, data, "quiet", 3)
	sink := newInboxSink(t, tn, "peer.test")
	first := serveProvider(t, tn, pg, data)
	s, err := first.p.site(domains[0])
	if err != nil {
		t.Fatal(err)
	}
	followedBy(t, s, []string{"http://peer.test/inbox"})
	if _, err := s.feed.Create(context.Background(), feed.NoteInput{Text: "Sent while the peer was down", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "the peer refuses the first try", func() bool { return sink.refusals() > 0 })
	first.stop()

	sink.setOpen()
	second := serveProvider(t, tn, pg, data)
	eventually(t, federationWait, "the retry after the restart arrives", func() bool {
		return sink.got("/inbox", "Sent while the peer was down") > 0
	})
	time.Sleep(500 * time.Millisecond) // a second send would arrive by now
	if n := sink.got("/inbox", "Sent while the peer was down"); n != 1 {
		t.Errorf("the peer received the note %d times, want once", n)
	}
	if got := builtDomains(second.p); !slices.Equal(got, domains[:1]) {
		t.Errorf("built after the restart: %v, want only the site with due work %v", got, domains[:1])
	}
}

// A post scheduled on a site nobody visits after a restart is published
// when its time comes: the provider's scheduler finds it at start.
func TestProviderPublishesScheduledPostOfUnvisitedSite(t *testing.T) {
	pg := testPostgres(t)
	data := t.TempDir()
	tn := newTestNet()
	domains := addTestSites(t, pg, data, "later", 2)
	sink := newInboxSink(t, tn, "peer.test")
	sink.setOpen()
	first := serveProvider(t, tn, pg, data)
	s, err := first.p.site(domains[0])
	if err != nil {
		t.Fatal(err)
	}
	followedBy(t, s, []string{"http://peer.test/inbox"})
	at := time.Now().Add(3 * time.Second).Truncate(time.Second) // the blog keeps seconds
	if _, err := s.blog.Create(context.Background(), blog.ArticleInput{Title: "Written ahead", Body: "Published on time.",
		PublishedAt: at}); err != nil {
		t.Fatal(err)
	}
	first.stop()
	if n := sink.got("/inbox", "Written ahead"); n != 0 {
		t.Fatalf("the scheduled post went out %d times before its time", n)
	}

	second := serveProvider(t, tn, pg, data)
	eventually(t, federationWait, "the scheduled post reaches the follower", func() bool {
		return sink.got("/inbox", "Written ahead") > 0
	})
	if time.Now().Before(at) {
		t.Error("the scheduled post went out before its time")
	}
	if got := builtDomains(second.p); !slices.Equal(got, domains[:1]) {
		t.Errorf("built after the restart: %v, want only the site with due work %v", got, domains[:1])
	}
}

// A hosted site's link cards are fetched by the provider's card workers:
// the card reaches the status, the page read once.
func TestProviderFetchesLinkCards(t *testing.T) {
	tn := newTestNet()
	ps := newPageServer(t, tn)
	_, sites := startProvider(t, tn, "pcard.test")
	api := newAPIClient(t, tn, sites[0])
	id := api.post(t, "Good news http://news.test/story")
	eventually(t, federationWait, "the card reaches the status", func() bool {
		card := api.card(t, id)
		return card != nil && card["title"] == "Café reopens on the square"
	})
	if n := ps.hitsOf("news.test/story"); n != 1 {
		t.Errorf("the page was fetched %d times, want once", n)
	}
}

// A like from another hosted site reaches the owner's phone through the
// provider's push workers, once.
func TestProviderSendsPush(t *testing.T) {
	tn := newTestNet()
	_, sites := startProvider(t, tn, "ppusha.test", "ppushb.test")
	alice, bob := sites[0], sites[1]
	service := pushtest.New(t)
	subscribePush(t, alice, service, "favourite")
	follow(t, bob, alice)
	note, err := alice.feed.Create(context.Background(), feed.NoteInput{Text: "Push me from a provider", Visibility: feed.VisibilityPublic})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "the note reaches bob", homeShows(t, bob, "Push me from a provider"))
	if code := postForm(t, bob.Owner, bob.Base+"/home/like", url.Values{"object": {note.URL}}); code != http.StatusSeeOther {
		t.Fatalf("like: %d", code)
	}
	eventually(t, federationWait, "the like is pushed", func() bool { return len(service.Received()) > 0 })
	time.Sleep(200 * time.Millisecond)
	if got := service.Received(); len(got) != 1 || got[0].Message["body"] != "Push me from a provider" {
		t.Errorf("pushed %d messages: %v", len(got), got)
	}
}
