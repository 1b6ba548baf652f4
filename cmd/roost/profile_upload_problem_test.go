package main

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// A profile picture that is not an image is refused in plain words.
func TestProfilePictureProblemInPlainWords(t *testing.T) {
	ts := startTestSite(t, newTestNet(), "alice.test", "")
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
	fw, _ := mw.CreateFormFile("avatar", "notes.txt")
	fw.Write([]byte("just some text, not a picture"))
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
	if !strings.Contains(string(out), "That picture could not be used: choose a JPEG, PNG, GIF or WebP file under ") {
		t.Errorf("%d: the refusal is not in plain words: %s", resp.StatusCode, out)
	}
}
