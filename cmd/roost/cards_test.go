package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"roost/blog"
	"roost/feed"
)

// pageServer is the open web as the cards see it: news.test serves pages
// with OpenGraph tags and an oEmbed player; lies.test answers with an
// endless page and with a page of the wrong type; slow.test does not
// answer until released. It counts what it is asked.
type pageServer struct {
	srv     *httptest.Server
	mu      sync.Mutex
	hits    map[string]int
	entered chan struct{} // a request reached slow.test
	release chan struct{} // lets slow.test answer
}

const storyPage = `<!doctype html><html lang="en-GB"><head>
<meta charset="iso-8859-1">
<title>Plain title</title>
<meta property="og:title" content="Caf%s reopens on the square">
<meta property="og:description" content="After two years, the corner caf%s is back.">
<meta property="og:image" content="/pictures/square.png">
<meta property="og:image:width" content="1200"><meta property="og:image:height" content="630">
<meta property="og:image:alt" content="The square at dawn">
<meta property="og:site_name" content="Town News">
<meta property="og:type" content="article">
<meta name="author" content="Ann Reporter">
<meta property="article:published_time" content="2024-04-30T08:00:00Z">
<link rel="alternate" type="application/json+oembed" href="/oembed">
</head><body><p>The story.</p></body></html>`

const storyOEmbed = `{"type":"rich","version":"1.0","provider_name":"Town News","provider_url":"http://news.test/",
"width":480,"height":270,"html":"<script>steal()</script><iframe src=\"https://player.news.test/1\" onload=\"steal()\"></iframe>"}`

func newPageServer(t *testing.T, tn *testNet) *pageServer {
	ps := &pageServer{hits: map[string]int{}, entered: make(chan struct{}, 1), release: make(chan struct{})}
	ogPage := func(title string) string { return fmt.Sprintf(storyPage, "\xe9", "\xe9") + title }
	ps.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A note's links are also asked for their Webmention endpoint: these
		// pages have none, and the hits count the fetches for cards.
		if strings.HasSuffix(r.UserAgent(), " Webmention") {
			http.NotFound(w, r)
			return
		}
		ps.mu.Lock()
		ps.hits[r.Host+r.URL.Path]++
		ps.mu.Unlock()
		switch r.Host + r.URL.Path {
		case "news.test/story", "news.test/remote-story":
			// Latin-1, as the Content-Type says: the é must come out right.
			w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
			fmt.Fprint(w, ogPage(""))
		case "news.test/pictures/square.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(squarePNG(t))
		case "news.test/broken-picture":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<title>Picture gone</title><meta property="og:image" content="/pictures/gone.png">`)
		case "news.test/oembed":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, storyOEmbed)
		case "lies.test/huge":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, ogPage(""))
			chunk := []byte(strings.Repeat("<p>more</p>", 6000))
			for range 1000 { // about 64 MiB, unless the reader hangs up first
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		case "lies.test/download":
			w.Header().Set("Content-Type", "application/octet-stream")
			fmt.Fprint(w, ogPage(""))
		case "slow.test/page":
			select {
			case ps.entered <- struct{}{}:
			default:
			}
			<-ps.release
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(func() {
		close(ps.release)
		ps.srv.Close()
	})
	for _, h := range []string{"news.test", "lies.test", "slow.test"} {
		tn.add(h, ps.srv.Listener.Addr().String())
	}
	return ps
}

// squarePNG is the picture of the story: a small gradient, so that its
// blurhash is not flat.
func squarePNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 60, 40))
	for x := range 60 {
		for y := range 40 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 6), 120, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Error(err)
	}
	return b.Bytes()
}

func (ps *pageServer) hitsOf(hostPath string) int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.hits[hostPath]
}

// apiClient calls a site's Mastodon API with a bearer token over the
// test network.
type apiClient struct {
	ts    *testSite
	token string
	http  *http.Client
}

func newAPIClient(t *testing.T, tn *testNet, ts *testSite) *apiClient {
	return &apiClient{ts: ts, token: passwordGrant(t, ts.site, testPassword), http: ts.client(tn)}
}

func (c *apiClient) call(t *testing.T, method, path string, form url.Values, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, c.ts.Base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func (c *apiClient) post(t *testing.T, text string) string {
	t.Helper()
	var st map[string]any
	if code := c.call(t, http.MethodPost, "/api/v1/statuses", url.Values{"status": {text}}, &st); code != http.StatusOK {
		t.Fatalf("post %q: %d", text, code)
	}
	return st["id"].(string)
}

func (c *apiClient) card(t *testing.T, id string) map[string]any {
	t.Helper()
	var st map[string]any
	if code := c.call(t, http.MethodGet, "/api/v1/statuses/"+id, nil, &st); code != http.StatusOK {
		t.Fatalf("status %s: %d", id, code)
	}
	card, _ := st["card"].(map[string]any)
	return card
}

// The owner links to a page: its card, read from the page's OpenGraph
// tags and oEmbed answer, reaches the status in apps and the note on the
// web, its picture through the media proxy; the page is fetched once,
// however often the post is read.
func TestLinkCardOfOwnNote(t *testing.T) {
	tn := newTestNet()
	ps := newPageServer(t, tn)
	alice := startTestSite(t, tn, "alice.test", "")
	api := newAPIClient(t, tn, alice)

	id := api.post(t, "Good news http://news.test/story #town")
	var card map[string]any
	eventually(t, federationWait, "the card reaches the status", func() bool {
		card = api.card(t, id)
		return card != nil
	})
	want := map[string]any{
		"url": "http://news.test/story", "title": "Café reopens on the square", "type": "rich",
		"description": "After two years, the corner café is back.", "provider_name": "Town News",
		"provider_url": "http://news.test/", "author_name": "Ann Reporter", "image_description": "The square at dawn",
		"width": float64(480), "height": float64(270), "language": "en", "published_at": "2024-04-30T08:00:00.000Z",
		"html": `<iframe src="https://player.news.test/1" width="480" height="270" frameborder="0" allowfullscreen="true"></iframe>`,
	}
	for k, v := range want {
		if card[k] != v {
			t.Errorf("card %s = %#v, want %#v", k, card[k], v)
		}
	}
	picture, _ := card["image"].(string)
	if !strings.HasPrefix(picture, alice.Base+"/media/proxy/") {
		t.Errorf("card image %q is not shown through the media proxy", picture)
	}
	if hash, _ := card["blurhash"].(string); len(hash) < 6 {
		t.Errorf("card blurhash %q", hash)
	}

	// The owner's home and the public note page show the card.
	home, _ := page(t, alice.Owner, alice.Base+"/home")
	anon := alice.client(tn)
	notePage, code := page(t, anon, alice.Base+"/notes/"+id)
	if code != http.StatusOK {
		t.Fatalf("note page: %d", code)
	}
	for where, body := range map[string]string{"home": home, "note page": notePage} {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		box := doc.Find(`[data-testid="link-card"]`)
		if box.Length() != 1 {
			t.Fatalf("%s: %d link cards", where, box.Length())
		}
		if href, _ := box.Attr("href"); href != "http://news.test/story" {
			t.Errorf("%s: card links to %q", where, href)
		}
		if !strings.Contains(box.Text(), "Café reopens on the square") || !strings.Contains(box.Text(), "Town News") {
			t.Errorf("%s: card text %q", where, box.Text())
		}
		if src, _ := box.Find("img").Attr("src"); !strings.HasPrefix(src, "/media/proxy/") && !strings.HasPrefix(src, alice.Base+"/media/proxy/") {
			t.Errorf("%s: card image %q is not proxied", where, src)
		}
		if box.Find("iframe, script").Length() != 0 {
			t.Errorf("%s: the page embeds the player", where)
		}
	}
	if n := ps.hitsOf("news.test/story"); n != 1 {
		t.Errorf("the page was fetched %d times, want once", n)
	}
	if n := ps.hitsOf("news.test/oembed"); n != 1 {
		t.Errorf("the oEmbed answer was fetched %d times, want once", n)
	}
}

// A page that lies about its size or its type, or does not answer, gives
// no card: the statuses show card null, the site answers all along, and
// the failure is remembered instead of being asked again.
func TestLinkCardFailuresLeaveCardNull(t *testing.T) {
	tn := newTestNet()
	ps := newPageServer(t, tn)
	alice := startTestSite(t, tn, "alice.test", "")
	api := newAPIClient(t, tn, alice)

	slow := api.post(t, "Waiting for http://slow.test/page")
	<-ps.entered
	// The slow page has the fetch waiting; reading goes on regardless.
	if code := api.call(t, http.MethodGet, "/api/v1/timelines/home", nil, nil); code != http.StatusOK {
		t.Fatalf("home timeline while a page hangs: %d", code)
	}
	if body, code := page(t, alice.Owner, alice.Base+"/home"); code != http.StatusOK || !strings.Contains(body, "Waiting for") {
		t.Fatalf("home page while a page hangs: %d", code)
	}
	huge := api.post(t, "Endless http://lies.test/huge")
	download := api.post(t, "Not a page http://lies.test/download")

	eventually(t, federationWait, "the three failures are remembered", func() bool {
		var n int
		err := alice.db.QueryRow(`SELECT COUNT(*) FROM preview_cards WHERE failed = 1`).Scan(&n)
		return err == nil && n == 3
	})
	for _, id := range []string{slow, huge, download} {
		if c := api.card(t, id); c != nil {
			t.Errorf("status %s has card %v", id, c)
		}
		if body, _ := page(t, alice.Owner, alice.Base+"/notes/"+id); strings.Contains(body, `data-testid="link-card"`) {
			t.Errorf("note %s shows a card", id)
		}
	}
	// A picture that cannot be read leaves a card without one.
	gone := api.post(t, "Pictureless http://news.test/broken-picture")
	eventually(t, federationWait, "the card without its picture", func() bool { return api.card(t, gone) != nil })
	if c := api.card(t, gone); c["title"] != "Picture gone" || c["image"] != nil || c["blurhash"] != nil {
		t.Errorf("card %v, want one titled \"Picture gone\" without image", c)
	}

	// Linking the same page again does not ask it again while the failure
	// is remembered.
	api.post(t, "Again http://lies.test/download")
	if _, err := alice.feed.Create(context.Background(), feed.NoteInput{Text: "Once more http://lies.test/download", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	if n := ps.hitsOf("lies.test/download"); n != 1 {
		t.Errorf("the failing page was asked %d times, want once", n)
	}
}

// A post from someone the owner follows gets its card too, fetched by the
// owner's site.
func TestLinkCardOfRemotePost(t *testing.T) {
	tn := newTestNet()
	newPageServer(t, tn)
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	follow(t, alice, bob)
	if _, err := bob.feed.Create(context.Background(), feed.NoteInput{Text: "Read http://news.test/remote-story", Visibility: feed.VisibilityPublic}); err != nil {
		t.Fatal(err)
	}
	api := newAPIClient(t, tn, alice)
	eventually(t, federationWait, "bob's post reaches alice with its card", func() bool {
		var statuses []map[string]any
		if api.call(t, http.MethodGet, "/api/v1/timelines/home", nil, &statuses) != http.StatusOK {
			return false
		}
		for _, st := range statuses {
			if card, ok := st["card"].(map[string]any); ok && card["url"] == "http://news.test/remote-story" {
				return strings.Contains(st["url"].(string), "bob.test")
			}
		}
		return false
	})
	eventually(t, federationWait, "alice's home shows the card", homeShows(t, alice, `data-testid="link-card"`))

	// An article's card is made of its own title and summary: its page is
	// a roost page like any other, but there is no need to read it.
	art, err := bob.blog.Create(context.Background(), blog.ArticleInput{Title: "A long read", Body: "Many *words*.", Summary: "What it is about"})
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "bob's article reaches alice with its card", func() bool {
		var statuses []map[string]any
		if api.call(t, http.MethodGet, "/api/v1/timelines/home", nil, &statuses) != http.StatusOK {
			return false
		}
		for _, st := range statuses {
			if card, ok := st["card"].(map[string]any); ok && card["url"] == art.URL {
				return card["title"] == "A long read" && card["description"] == "What it is about" && card["provider_name"] == "bob.test"
			}
		}
		return false
	})
}
