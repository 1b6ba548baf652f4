package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"roost/feed"
)

// getBytes fetches u and returns its status, content type and body.
func getBytes(t *testing.T, c *http.Client, u string, header ...string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// Bob's avatar and the picture in his note reach alice's home page and her
// Mastodon API through her media proxy: nothing there points at bob.test,
// and the proxied bytes are bob's.
func TestRemoteMediaShownThroughTheProxy(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bob := startTestSite(t, tn, "bob.test", "")
	ctx := context.Background()

	img, err := os.ReadFile(filepath.Join("testdata", "import", "mastodon-archive", "media_attachments", "files", "110", "001", "balcony.png"))
	if err != nil {
		t.Fatal(err)
	}
	avatar, err := bob.saveNoteImage(ctx, bytes.NewReader(img), "")
	if err != nil {
		t.Fatal(err)
	}
	pr, err := bob.profiles.Get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pr.AvatarURL = avatar.URL
	if err := bob.profiles.Save(ctx, pr); err != nil {
		t.Fatal(err)
	}
	follow(t, alice, bob)
	photo, err := bob.saveNoteImage(ctx, bytes.NewReader(img), "A balcony")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bob.feed.Create(ctx, feed.NoteInput{Text: "Look at my balcony", Visibility: feed.VisibilityPublic, Media: []feed.Media{photo}}); err != nil {
		t.Fatal(err)
	}
	eventually(t, federationWait, "bob's note reaches alice's home", homeShows(t, alice, "Look at my balcony"))
	_, _, original := getBytes(t, http.DefaultClient, "http://"+bob.Addr+strings.TrimPrefix(avatar.URL, bob.Base))

	proxied := alice.Base + "/media/proxy/"
	checkProxied := func(where, u string) {
		t.Helper()
		if !strings.HasPrefix(u, proxied) {
			t.Errorf("%s: %q does not go through the proxy", where, u)
			return
		}
		status, h, body := getBytes(t, alice.Owner, u)
		if status != http.StatusOK || !bytes.Equal(body, original) {
			t.Errorf("%s: proxy answered %d with %d bytes, want bob's %d", where, status, len(body), len(original))
		}
		if h.Get("Content-Type") != "image/png" || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("%s: served with %v", where, h)
		}
	}

	body, _ := page(t, alice.Owner, alice.Base+"/home")
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var srcs []string
	doc.Find("img[src], a[href]").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"src", "href"} {
			if v, ok := s.Attr(attr); ok && strings.Contains(v, "/media/") {
				srcs = append(srcs, v)
			}
		}
	})
	if len(srcs) < 2 {
		t.Fatalf("alice's home shows %d media URLs, want bob's avatar and picture: %v", len(srcs), srcs)
	}
	for _, u := range srcs {
		if strings.Contains(u, "bob.test") && !strings.HasPrefix(u, proxied) {
			t.Errorf("alice's home loads %s from bob's server", u)
		}
	}
	checkProxied("home page avatar", doc.Find("img.avatar-md").First().AttrOr("src", ""))

	token := passwordGrant(t, alice.site, testPassword)
	_, _, raw := getBytes(t, alice.Owner, alice.Base+"/api/v1/timelines/home", "Authorization", "Bearer "+token)
	var statuses []struct {
		Account struct {
			Avatar, AvatarStatic, Header, HeaderStatic string
		}
		MediaAttachments []struct {
			URL        string  `json:"url"`
			PreviewURL string  `json:"preview_url"`
			RemoteURL  *string `json:"remote_url"`
		} `json:"media_attachments"`
	}
	if err := json.Unmarshal(bytes.ReplaceAll(raw, []byte("_static"), []byte("Static")), &statuses); err != nil || len(statuses) == 0 {
		t.Fatalf("home timeline: %v %s", err, raw)
	}
	st := statuses[0]
	checkProxied("API avatar", st.Account.Avatar)
	checkProxied("API avatar_static", st.Account.AvatarStatic)
	if len(st.MediaAttachments) != 1 {
		t.Fatalf("attachments: %s", raw)
	}
	m := st.MediaAttachments[0]
	checkProxied("API attachment url", m.URL)
	checkProxied("API attachment preview_url", m.PreviewURL)
	if m.RemoteURL == nil || *m.RemoteURL != photo.URL {
		t.Errorf("remote_url = %v, want the origin %s", m.RemoteURL, photo.URL)
	}
}

// A server that answers an image URL with an HTML page gets nothing of it
// shown: the proxy sniffs the bytes and refuses.
func TestMediaProxyRefusesALyingServer(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	liar := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		io.WriteString(w, "<!doctype html><title>hi</title><script>alert(document.cookie)</script>")
	}))
	t.Cleanup(liar.Close)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(liar.URL, "http://"))
	tn.add("liar.test", "127.0.0.1:"+port)

	u := alice.mediaProxy.URL("http://liar.test/avatar.png")
	status, h, body := getBytes(t, alice.Owner, u)
	if status != http.StatusUnsupportedMediaType || bytes.Contains(body, []byte("<script")) || strings.Contains(h.Get("Content-Type"), "html") {
		t.Errorf("lying server: %d %q %q, want 415 and none of its page", status, h.Get("Content-Type"), body)
	}
}
