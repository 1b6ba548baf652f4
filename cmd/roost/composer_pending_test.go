package main

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// A note refused for its length keeps its image on the real site: the media
// store holds it, the form shows it again, and sending the form once more
// posts the note with that image.
func TestComposerKeepsPendingImagesOnTheSite(t *testing.T) {
	ts := startTestSite(t, newTestNet(), "alice.test", "")
	var pic bytes.Buffer
	if err := png.Encode(&pic, image.NewRGBA(image.Rect(0, 0, 40, 30))); err != nil {
		t.Fatal(err)
	}
	post := func(ct string, body io.Reader) (int, *goquery.Document) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, ts.Base+"/notes", body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Origin", ts.Base)
		resp, err := ts.Owner.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		doc, err := goquery.NewDocumentFromReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, doc
	}
	ct, body := multipartBody(t, map[string]string{"text": strings.Repeat("x", 501), "visibility": "public", "alt_0": "an empty frame"},
		"media_0", pic.Bytes())
	code, doc := post(ct, body)
	if code != http.StatusBadRequest {
		t.Fatalf("an over-long note answered %d", code)
	}
	u := doc.Find(`input[name="pending_media_0"]`).AttrOr("value", "")
	if u == "" || doc.Find(`input[name="pending_alt_0"]`).AttrOr("value", "") != "an empty frame" {
		t.Fatalf("the refused form does not keep the image: %q", u)
	}
	if img, _ := page(t, ts.Owner, doc.Find(`[data-testid="pending-media"] img`).AttrOr("src", "")); img == "" {
		t.Error("the pending image's preview cannot be loaded")
	}

	ct, body = multipartBody(t, map[string]string{"text": "A frame", "visibility": "public",
		"pending_media_0": u, "pending_alt_0": "an empty frame"}, "media_1", nil)
	if code, doc = post(ct, body); code != http.StatusSeeOther {
		t.Fatalf("resubmit answered %d: %s", code, doc.Find(`[data-testid="problem"]`).Text())
	}
	notes, err := ts.feed.Notes(context.Background(), 1, 0, true)
	if err != nil || len(notes) != 1 || len(notes[0].Media) != 1 || notes[0].Media[0].URL != u || notes[0].Media[0].Alt != "an empty frame" {
		t.Fatalf("the posted note: %+v %v", notes, err)
	}
}
