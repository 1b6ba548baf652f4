package main

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// photo is a JPEG with enough detail to weigh what a real photo does.
func photo(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(3, 4))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x + int(r.UintN(40))), uint8(y + int(r.UintN(40))), uint8(r.UintN(256)), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// uploadProfilePictures sends the profile form with the given files (field
// name to bytes) and returns the answer's status and body.
func uploadProfilePictures(t *testing.T, ts *testSite, files map[string][]byte) (int, string) {
	t.Helper()
	body, _ := page(t, ts.Owner, ts.Base+"/settings/profile")
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	doc.Find(`form input[name]`).Each(func(_ int, in *goquery.Selection) {
		if typ := in.AttrOr("type", "text"); typ != "file" && typ != "checkbox" && typ != "submit" {
			mw.WriteField(in.AttrOr("name", ""), in.AttrOr("value", ""))
		}
	})
	mw.WriteField("name", "Alice")
	for field, data := range files {
		fw, _ := mw.CreateFormFile(field, field+".jpg")
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, ts.Base+"/settings/profile", &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", ts.Base)
	resp, err := ts.Owner.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// fetchBytes GETs u and returns the answer.
func fetchBytes(t *testing.T, c *http.Client, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// TestOwnerPicturesComeInSizes: after the owner uploads an avatar and a
// header, every page offers them in srcset with their drawn size, the
// variants are on disk at once, and the header icon loads a picture a
// fraction of the avatar's weight.
func TestOwnerPicturesComeInSizes(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	if code, body := uploadProfilePictures(t, alice, map[string][]byte{"avatar": photo(t, 400, 400), "header": photo(t, 2000, 660)}); code != http.StatusSeeOther {
		t.Fatalf("profile upload: %d %s", code, body)
	}
	token := passwordGrant(t, alice.site, testPassword)
	if code, _ := apiCall(t, alice, token, http.MethodPost, "/api/v1/statuses", url.Values{"status": {"A note under my avatar"}}); code != http.StatusOK {
		t.Fatalf("post: %d", code)
	}
	pr, err := alice.profiles.Get(t.Context())
	if err != nil || pr.AvatarURL == "" || pr.HeaderURL == "" {
		t.Fatalf("profile after upload: %+v %v", pr, err)
	}
	stem := strings.TrimSuffix(pr.AvatarURL[strings.LastIndex(pr.AvatarURL, "/")+1:], ".jpg")
	for _, size := range []string{"s48", "s96", "s192", "s400"} {
		if _, err := os.Stat(filepath.Join(alice.Data, "media", stem+"."+size+".jpg")); err != nil {
			t.Errorf("the %s variant was not made at upload: %v", size, err)
		}
	}

	visitor := alice.client(tn)
	body, _ := page(t, visitor, alice.Base+"/")
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		where, sel, sizes, width string
	}{
		{"header icon", `.site-header img.avatar-sm`, "28px", "28"},
		{"profile", `[data-testid=profile] img.avatar`, "96px", "96"},
		{"note", `[data-testid=note] img.avatar-md`, "44px", "44"},
	}
	for _, c := range checks {
		img := doc.Find(c.sel).First()
		if img.Length() == 0 {
			t.Errorf("%s: no %s on the front page", c.where, c.sel)
			continue
		}
		set := img.AttrOr("srcset", "")
		for _, size := range []string{"48w", "96w", "192w", "400w"} {
			if !strings.Contains(set, "."+"s"+strings.TrimSuffix(size, "w")+".jpg "+size) {
				t.Errorf("%s: srcset %q lacks the %s variant", c.where, set, size)
			}
		}
		if img.AttrOr("sizes", "") != c.sizes || img.AttrOr("width", "") != c.width || img.AttrOr("height", "") != c.width {
			t.Errorf("%s: sizes=%q width=%q height=%q, want %s and %s", c.where, img.AttrOr("sizes", ""),
				img.AttrOr("width", ""), img.AttrOr("height", ""), c.sizes, c.width)
		}
	}
	header := doc.Find(`img[data-testid=header-image]`)
	if set := header.AttrOr("srcset", ""); !strings.Contains(set, ".w700.jpg 700w") || !strings.Contains(set, ".w1500.jpg 1500w") {
		t.Errorf("header srcset %q", set)
	}

	// The header icon's own src (what a browser without srcset loads) is
	// the 96-pixel square, a fraction of the avatar.
	icon := doc.Find(`.site-header img.avatar-sm`).AttrOr("src", "")
	resp, small := fetchBytes(t, visitor, icon)
	_, full := fetchBytes(t, visitor, pr.AvatarURL)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("GET %s: %d %s", icon, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || resp.Header.Get("ETag") == "" {
		t.Errorf("the icon is served with Cache-Control %q, ETag %q", cc, resp.Header.Get("ETag"))
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(small))
	if err != nil || cfg.Width != 96 || cfg.Height != 96 {
		t.Errorf("the icon is %dx%d (%v), want 96x96", cfg.Width, cfg.Height, err)
	}
	if len(small)*5 > len(full) {
		t.Errorf("the icon weighs %d bytes, the avatar %d: want under a fifth", len(small), len(full))
	}
	t.Logf("avatar %d bytes; header icon (96 px variant) %d bytes; 48 px variant in srcset for 1x screens", len(full), len(small))
}

// A picture whose bytes are broken past a valid start is refused in
// plain words, and the profile keeps its previous avatar.
func TestBrokenProfilePictureRefused(t *testing.T) {
	alice := startTestSite(t, newTestNet(), "alice.test", "")
	good := photo(t, 200, 200)
	if code, body := uploadProfilePictures(t, alice, map[string][]byte{"avatar": good}); code != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", code, body)
	}
	before, _ := alice.profiles.Get(t.Context())
	code, body := uploadProfilePictures(t, alice, map[string][]byte{"avatar": good[:len(good)/3]})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "That picture could not be used: choose a JPEG, PNG, GIF or WebP file") {
		t.Errorf("a truncated JPEG: %d, refusal in plain words missing", code)
	}
	after, _ := alice.profiles.Get(t.Context())
	if after.AvatarURL != before.AvatarURL {
		t.Errorf("the avatar changed to %q after a refused upload", after.AvatarURL)
	}
}
