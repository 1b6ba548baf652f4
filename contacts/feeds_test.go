package contacts

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"roost/federation"
)

const atomDoc = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Erin's &amp; Notes</title>
  <link href="/"/>
  <icon>/icon.png</icon>
  <id>tag:erin.example,2025:feed</id>
  <updated>2025-02-02T10:00:00Z</updated>
  <entry>
    <title>Fish &amp;amp; chips</title>
    <link href="/posts/1"/>
    <id>tag:erin.example,2025:1</id>
    <updated>2025-02-01T10:00:00Z</updated>
    <content type="html">&lt;p onclick="x()"&gt;Hello &lt;script&gt;alert(1)&lt;/script&gt;&lt;a href="javascript:alert(2)"&gt;world&lt;/a&gt;&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Second</title>
    <link href="https://erin.example/posts/2"/>
    <id>tag:erin.example,2025:2</id>
    <updated>2025-02-02T10:00:00Z</updated>
    <summary>Short</summary>
  </entry>
</feed>`

const rssDoc = `<?xml version="1.0"?>
<rss version="2.0"><channel>
  <title>Frank's Blog</title><link>https://frank.example/</link><description>Words</description>
  <ttl>120</ttl>
  <item><title>One</title><link>https://frank.example/1</link><guid>f-1</guid>
    <pubDate>Sat, 01 Feb 2025 10:00:00 GMT</pubDate><description>&lt;b&gt;bold&lt;/b&gt;</description></item>
  <item><title>Two</title><link>https://frank.example/2</link>
    <pubDate>Sun, 02 Feb 2025 10:00:00 GMT</pubDate></item>
</channel></rss>`

const jsonDoc = `{"version": "https://jsonfeed.org/version/1.1", "title": "Gina", "home_page_url": "https://gina.example/",
  "items": [{"id": "g1", "url": "https://gina.example/g1", "content_html": "<p>Hi<iframe src=x></iframe></p>",
  "date_published": "2025-02-03T10:00:00Z", "image": "https://gina.example/pic.jpg"}]}`

const brokenDoc = `<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>x</item></channel>`

// feedSite serves the test feeds on loopback and records each request.
type feedSite struct {
	srv *httptest.Server

	mu       sync.Mutex
	docs     map[string]string // path -> body
	etags    map[string]string // path -> ETag, for conditional answers
	requests map[string][]http.Header
}

func newFeedSite(t testing.TB) *feedSite {
	t.Helper()
	s := &feedSite{
		docs: map[string]string{
			"/atom.xml": atomDoc, "/rss.xml": rssDoc, "/feed.json": jsonDoc,
			"/cond.xml": rssDoc, "/flaky.xml": strings.ReplaceAll(atomDoc, "erin", "hal"),
		},
		etags:    map[string]string{"/cond.xml": `"v1"`},
		requests: map[string][]http.Header{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests[r.URL.Path] = append(s.requests[r.URL.Path], r.Header.Clone())
		body, ok := s.docs[r.URL.Path]
		etag := s.etags[r.URL.Path]
		s.mu.Unlock()
		if r.URL.Path == "/slow.xml" {
			time.Sleep(300 * time.Millisecond)
			body, ok = rssDoc, true
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		if etag != "" {
			w.Header().Set("ETag", etag)
			w.Header().Set("Last-Modified", "Sat, 01 Feb 2025 10:00:00 GMT")
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *feedSite) url(path string) string { return s.srv.URL + path }

func (s *feedSite) set(path, body, etag string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[path] = body
	if etag != "" {
		s.etags[path] = etag
	}
}

func (s *feedSite) hits(path string) []http.Header {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]http.Header(nil), s.requests[path]...)
}

func (f *fixture) arrived() []FeedItem {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]FeedItem(nil), f.items...)
}

func TestFollowSiteWithFeedsPrefersAtom(t *testing.T) {
	f := newFixture(t)
	site := newFeedSite(t)
	f.net.feeds["erin.example"] = []federation.FeedLink{
		{URL: site.url("/feed.json"), Type: "application/feed+json"},
		{URL: site.url("/rss.xml"), Type: "application/rss+xml"},
		{URL: site.url("/atom.xml"), Type: "application/atom+xml"},
	}
	ctx := context.Background()
	ct, err := f.c.Follow(ctx, "erin.example")
	if err != nil {
		t.Fatal(err)
	}
	if ct.Kind != KindFeed || ct.FeedURL != site.url("/atom.xml") || ct.Name != "Erin's & Notes" {
		t.Fatalf("contact = %+v", ct)
	}
	if ct.URL != site.url("/") || ct.AvatarURL != site.url("/icon.png") {
		t.Errorf("site %q icon %q", ct.URL, ct.AvatarURL)
	}
	if !f.c.FollowsAuthor(ctx, ct.FeedURL) || ct.Following != StateAccepted {
		t.Error("the feed is not followed")
	}
	items := f.arrived()
	if len(items) != 2 {
		t.Fatalf("%d items arrived, want 2", len(items))
	}
	first := items[0] // oldest first
	if first.ID != "tag:erin.example,2025:1" || first.URL != site.url("/posts/1") || first.Title != "Fish & chips" {
		t.Errorf("first item = %+v", first)
	}
	for _, bad := range []string{"<script", "onclick", "javascript:"} {
		if strings.Contains(first.ContentHTML, bad) {
			t.Errorf("content not sanitized (%s): %s", bad, first.ContentHTML)
		}
	}
	if !strings.Contains(first.ContentHTML, "Hello") || first.SiteName != "Erin's & Notes" || first.FeedURL != ct.FeedURL {
		t.Errorf("first item = %+v", first)
	}
	if len(site.hits("/rss.xml")) != 0 || len(site.hits("/feed.json")) != 0 {
		t.Error("feeds other than the Atom one were fetched")
	}
}

func TestFollowFeedURLDirectly(t *testing.T) {
	tests := []struct {
		path, name  string
		items       int
		minInterval time.Duration
	}{
		{"/rss.xml", "Frank's Blog", 2, 2 * time.Hour}, // <ttl>120</ttl>
		{"/feed.json", "Gina", 1, defaultFeedInterval},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			f := newFixture(t)
			site := newFeedSite(t)
			ct, err := f.c.Follow(context.Background(), site.url(tt.path))
			if err != nil {
				t.Fatal(err)
			}
			if ct.Kind != KindFeed || ct.Name != tt.name || len(f.arrived()) != tt.items {
				t.Fatalf("contact %+v, %d items", ct, len(f.arrived()))
			}
			st, err := f.c.FeedStatus(context.Background(), ct.FeedURL)
			if err != nil || !st.Subscribed || st.Interval < tt.minInterval {
				t.Errorf("status %+v, %v", st, err)
			}
		})
	}
	f := newFixture(t)
	site := newFeedSite(t)
	items := func() []FeedItem {
		if _, err := f.c.Follow(context.Background(), site.url("/feed.json")); err != nil {
			t.Fatal(err)
		}
		return f.arrived()
	}()
	if strings.Contains(items[0].ContentHTML, "iframe") || items[0].Image != "https://gina.example/pic.jpg" {
		t.Errorf("JSON item = %+v", items[0])
	}
	if _, err := f.c.Follow(context.Background(), site.url("/missing.xml")); err == nil {
		t.Error("a URL that is no feed was followed")
	}
}

func TestPollFeeds(t *testing.T) {
	f := newFixture(t)
	site := newFeedSite(t)
	ctx := context.Background()
	for _, p := range []string{"/atom.xml", "/cond.xml", "/flaky.xml", "/feed.json"} {
		if _, err := f.c.SubscribeFeed(ctx, site.url(p)); err != nil {
			t.Fatalf("subscribe %s: %v", p, err)
		}
	}
	// A feed that is slow to answer is subscribed too; it must not hold
	// up the others.
	site.set("/slow.xml", rssDoc, "")
	if _, err := f.c.SubscribeFeed(ctx, site.url("/slow.xml")); err != nil {
		t.Fatal(err)
	}
	before := len(f.arrived())
	site.set("/flaky.xml", brokenDoc, "")
	newer := strings.Replace(rssDoc, "<item>", `<item><title>Three</title><link>https://frank.example/3</link><guid>f-3</guid>
		<pubDate>Mon, 03 Feb 2025 10:00:00 GMT</pubDate></item><item>`, 1)
	site.set("/feed.json", strings.Replace(jsonDoc, `"items": [`, `"items": [{"id": "g2", "url": "https://gina.example/g2",
		"content_html": "<p>New</p>", "date_published": "2025-02-04T10:00:00Z"},`, 1), "")

	f.advance(3 * time.Hour)
	if err := f.c.PollFeeds(ctx); err != nil {
		t.Fatal(err)
	}
	// The conditional GET carried the validators of the first answer.
	cond := site.hits("/cond.xml")
	if len(cond) != 2 || cond[1].Get("If-None-Match") != `"v1"` || cond[1].Get("If-Modified-Since") != "Sat, 01 Feb 2025 10:00:00 GMT" {
		t.Fatalf("conditional requests: %v", cond)
	}
	got := f.arrived()[before:]
	if len(got) != 1 || got[0].ID != "g2" {
		t.Fatalf("after the poll %d new items: %+v", len(got), got)
	}
	posts, err := f.c.feedPosts(ctx, mustID(t, f, site.url("/cond.xml")), 50)
	if err != nil || len(posts) != 2 {
		t.Errorf("the 304 feed has %d items (%v)", len(posts), err)
	}

	broken, err := f.c.FeedStatus(ctx, site.url("/flaky.xml"))
	if err != nil || broken.LastError == "" || broken.Failures != 1 || broken.Interval != time.Hour {
		t.Errorf("broken feed status = %+v", broken)
	}
	good, _ := f.c.FeedStatus(ctx, site.url("/feed.json"))
	if good.LastError != "" || good.Failures != 0 || !good.NextFetch.After(good.LastFetch) {
		t.Errorf("good feed status = %+v", good)
	}

	// Only due feeds are fetched: polling again at once asks nobody.
	n := len(site.hits("/atom.xml"))
	if err := f.c.PollFeeds(ctx); err != nil {
		t.Fatal(err)
	}
	if len(site.hits("/atom.xml")) != n {
		t.Error("a feed was fetched before it was due")
	}

	// The 304 feed changes: only the new item arrives.
	site.set("/cond.xml", newer, `"v2"`)
	f.advance(48 * time.Hour)
	before = len(f.arrived())
	if err := f.c.PollFeeds(ctx); err != nil {
		t.Fatal(err)
	}
	got = f.arrived()[before:]
	if len(got) != 1 || got[0].ID != "f-3" {
		t.Errorf("after the change %d new items: %+v", len(got), got)
	}
	broken, _ = f.c.FeedStatus(ctx, site.url("/flaky.xml"))
	if broken.Failures != 2 || broken.Interval != 2*time.Hour {
		t.Errorf("the broken feed did not back off: %+v", broken)
	}
}

func TestItemsRefusedAreOfferedAgain(t *testing.T) {
	f := newFixture(t)
	site := newFeedSite(t)
	ctx := context.Background()
	f.itemsErr = errors.New("timeline is down")
	ct, err := f.c.SubscribeFeed(ctx, site.url("/cond.xml"))
	if err != nil {
		t.Fatal(err)
	}
	st, _ := f.c.FeedStatus(ctx, ct.FeedURL)
	if st.LastError == "" {
		t.Error("the refusal was not recorded")
	}
	f.itemsErr = nil
	f.advance(3 * time.Hour)
	if err := f.c.PollFeeds(ctx); err != nil {
		t.Fatal(err)
	}
	if hits := site.hits("/cond.xml"); hits[len(hits)-1].Get("If-None-Match") != "" {
		t.Error("validators were kept although the items were not delivered")
	}
	if n := len(f.arrived()); n != 2 {
		t.Errorf("%d items arrived, want 2", n)
	}
}

func TestUnfollowFeed(t *testing.T) {
	f := newFixture(t)
	site := newFeedSite(t)
	ctx := context.Background()
	ct, err := f.c.SubscribeFeed(ctx, site.url("/rss.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.c.SetNote(ctx, ct.FeedURL, "Frank writes well"); err != nil {
		t.Fatal(err)
	}
	rec := f.post(t, "/contacts/unfollow", url.Values{"actor": {ct.FeedURL}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("unfollow = %d", rec.Code)
	}
	if f.c.FollowsAuthor(ctx, ct.FeedURL) {
		t.Error("still followed")
	}
	if st, _ := f.c.FeedStatus(ctx, ct.FeedURL); st.Subscribed {
		t.Error("still polled")
	}
	if got, err := f.c.Get(ctx, ct.FeedURL); err != nil || got.Note != "Frank writes well" {
		t.Errorf("the contact did not stay: %+v %v", got, err)
	}
	if len(f.net.published) != 0 {
		t.Error("something was published for a feed")
	}
}

func TestFeedContactPage(t *testing.T) {
	f := newFixture(t)
	site := newFeedSite(t)
	ct, err := f.c.SubscribeFeed(context.Background(), site.url("/atom.xml"))
	if err != nil {
		t.Fatal(err)
	}
	doc := f.get(t, "/contacts/view?feed="+url.QueryEscape(ct.FeedURL), http.StatusOK)
	if doc.Find(`[data-testid=contact-name]`).Text() != "Erin's & Notes" {
		t.Errorf("name = %q", doc.Find(`[data-testid=contact-name]`).Text())
	}
	posts := doc.Find(`[data-testid=recent-posts] [data-testid=post]`)
	if posts.Length() != 2 || !strings.Contains(posts.First().Text(), "Second") {
		t.Errorf("recent posts: %d %q", posts.Length(), posts.First().Text())
	}
	if doc.Find(`[data-testid=recent-posts] script`).Length() != 0 {
		t.Error("a script survived")
	}
	if doc.Find(`[data-testid=feed-status] [data-testid=next-fetch]`).Text() == "never" {
		t.Error("no next fetch shown")
	}
	if doc.Find(`form[action="/contacts/unfollow"] input[name=actor]`).AttrOr("value", "") != ct.FeedURL {
		t.Error("no unfollow button")
	}
	if doc.Find(`form[action="/contacts/block"]`).Length() != 0 {
		t.Error("a feed offers an account block")
	}
	doc = f.get(t, "/contacts?show=feeds", http.StatusOK)
	if doc.Find(`[data-testid=contact][data-actor="`+ct.FeedURL+`"] [data-testid=state-feed]`).Length() != 1 {
		t.Error("the feed is not on the feeds list")
	}
}

func mustID(t *testing.T, f *fixture, key string) int64 {
	t.Helper()
	id, err := f.c.contactID(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
