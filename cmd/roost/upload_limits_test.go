package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

// pixelBomb is a valid PNG of a few dozen bytes whose header declares
// width×height pixels: decoding it would allocate for all of them.
func pixelBomb(t *testing.T, width, height uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	// signature (8), chunk length (4), "IHDR" (4), then width and height;
	// the chunk's checksum covers type and data and follows them.
	binary.BigEndian.PutUint32(data[16:], width)
	binary.BigEndian.PutUint32(data[20:], height)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

// multipartBody is a form with the given fields and one file.
func multipartBody(t *testing.T, fields map[string]string, fileField string, file []byte) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile(fileField, "bomb.png")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(file)
	mw.Close()
	return mw.FormDataContentType(), &buf
}

// TestUploadsRefuseDeclaredDimensions sends one PNG of a few dozen bytes
// that declares 7000×7000 pixels (under the byte limit, over the pixel
// limit) through every way an image reaches the site: the note composer,
// the blog editor, the profile form, Micropub's media endpoint, the
// Mastodon API's media and profile endpoints. Each refuses it with an
// answer that says why, and the media folder stays empty.
func TestUploadsRefuseDeclaredDimensions(t *testing.T) {
	tn := newTestNet()
	alice := startTestSite(t, tn, "alice.test", "")
	bomb := pixelBomb(t, 7000, 7000)
	mastodonToken := passwordGrant(t, alice.site, testPassword)
	_, micropubToken, err := alice.access.Store.CreateToken(context.Background(), "editor", "create media", time.Now())
	if err != nil {
		t.Fatal(err)
	}

	owner := func(path string, fields map[string]string, field string) (int, string) {
		ct, body := multipartBody(t, fields, field, bomb)
		resp, err := alice.Owner.Post(alice.Base+path, ct, body)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	bearer := func(method, path, token, field string) (int, string) {
		ct, body := multipartBody(t, nil, field, bomb)
		req := httptest.NewRequest(method, path, body)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		alice.handler.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}

	tests := []struct {
		name string
		send func() (int, string)
		code int
		says string
	}{
		{"note composer", func() (int, string) {
			return owner("/notes", map[string]string{"text": "a picture", "visibility": "public"}, "media_0")
		}, http.StatusRequestEntityTooLarge, "That picture could not be used: it has too many pixels"},
		{"blog editor", func() (int, string) {
			return owner("/blog/upload", map[string]string{"title": "Pictures", "body": "text"}, "image")
		}, http.StatusRequestEntityTooLarge, "That picture could not be used: it has too many pixels"},
		{"profile avatar", func() (int, string) {
			return owner("/settings/profile", map[string]string{"username": "alice.test", "name": "Alice"}, "avatar")
		}, http.StatusUnprocessableEntity, "megapixels"},
		{"profile header", func() (int, string) {
			return owner("/settings/profile", map[string]string{"username": "alice.test", "name": "Alice"}, "header")
		}, http.StatusUnprocessableEntity, "megapixels"},
		{"micropub media endpoint", func() (int, string) {
			return bearer(http.MethodPost, "/micropub/media", micropubToken, "file")
		}, http.StatusBadRequest, "megapixels"},
		{"mastodon media v2", func() (int, string) {
			return bearer(http.MethodPost, "/api/v2/media", mastodonToken, "file")
		}, http.StatusUnprocessableEntity, "megapixels"},
		{"mastodon media v1", func() (int, string) {
			return bearer(http.MethodPost, "/api/v1/media", mastodonToken, "file")
		}, http.StatusUnprocessableEntity, "megapixels"},
		{"mastodon avatar", func() (int, string) {
			return bearer(http.MethodPatch, "/api/v1/accounts/update_credentials", mastodonToken, "avatar")
		}, http.StatusUnprocessableEntity, "megapixels"},
	}
	for _, tt := range tests {
		code, body := tt.send()
		if code != tt.code || !strings.Contains(body, tt.says) {
			t.Errorf("%s: %d, want %d saying %q\n%.400s", tt.name, code, tt.code, tt.says, body)
		}
	}
	entries, _ := os.ReadDir(alice.Data + "/media")
	if len(entries) != 0 {
		t.Errorf("the media folder holds %d files after only refused uploads", len(entries))
	}
}
