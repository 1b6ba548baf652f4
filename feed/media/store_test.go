package media

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUpdateGetDelete(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, 0)
	m := save(t, s, encodeJPEG(t, gradient(64, 48)))
	if !strings.HasPrefix(m.URL, testBase+"/media/") || !strings.HasPrefix(m.PreviewURL, testBase+"/media/") {
		t.Fatalf("URLs %q and %q are not under %s/media/", m.URL, m.PreviewURL, testBase)
	}

	got, err := s.Get(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != m {
		t.Errorf("Get returned\n%+v\nSave returned\n%+v", got, m)
	}

	updated, err := s.Update(ctx, m.ID, "a cat asleep on a keyboard", 0.25, -2)
	if err != nil {
		t.Fatal(err)
	}
	if updated.Description != "a cat asleep on a keyboard" || updated.FocusX != 0.25 || updated.FocusY != -1 {
		t.Errorf("after Update: %q focus (%v,%v)", updated.Description, updated.FocusX, updated.FocusY)
	}
	if updated.URL != m.URL || updated.Blurhash != m.Blurhash {
		t.Errorf("Update changed the file: %+v", updated)
	}
	if got, _ := s.Get(ctx, m.ID); got != updated {
		t.Errorf("Get after Update returned %+v", got)
	}
	if got, err := s.Update(ctx, m.ID, "", math.NaN(), 7); err != nil || got.FocusX != 0 || got.FocusY != 1 {
		t.Errorf("NaN and out-of-range focus: %+v, %v", got, err)
	}

	files := []string{
		filepath.Join(s.dir, strings.TrimPrefix(m.URL, testBase+"/media/")),
		filepath.Join(s.dir, strings.TrimPrefix(m.PreviewURL, testBase+"/media/")),
	}
	if err := s.Delete(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still there after Delete (%v)", f, err)
		}
	}
	if _, err := s.Get(ctx, m.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete: %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, m.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: %v, want ErrNotFound", err)
	}
	if _, err := s.Update(ctx, m.ID, "x", 0, 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("Update after Delete: %v, want ErrNotFound", err)
	}
	if _, err := s.ByURL(ctx, m.URL); !errors.Is(err, ErrNotFound) {
		t.Errorf("ByURL after Delete: %v, want ErrNotFound", err)
	}
}

func TestUpdateDescriptionTooLong(t *testing.T) {
	s := newTestStore(t, 0)
	m := save(t, s, encodeJPEG(t, gradient(8, 8)))
	_, err := s.Update(context.Background(), m.ID, strings.Repeat("a", MaxDescription+1), 0, 0)
	if !errors.Is(err, ErrDescriptionTooLong) {
		t.Errorf("got %v, want ErrDescriptionTooLong", err)
	}
}

func TestByURL(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, 0)
	jpg := save(t, s, encodeJPEG(t, gradient(16, 16)))
	pic := save(t, s, encodePNG(t, gradient(16, 16)))
	name := strings.TrimPrefix(jpg.URL, testBase)

	tests := []struct {
		url    string
		wantID int64 // 0: not found
	}{
		{jpg.URL, jpg.ID},
		{jpg.PreviewURL, jpg.ID},
		{pic.URL, pic.ID},
		{pic.PreviewURL, pic.ID},
		{name, jpg.ID},
		{strings.TrimSuffix(jpg.URL, ".jpg") + ".png", 0},
		{"https://elsewhere.example" + name, 0},
		{testBase + "/media/", 0},
		{testBase + "/media/../t.db", 0},
		{testBase + "/media/abcdefghijklmnopqrstuvwxyz.jpg", 0},
		{"", 0},
	}
	for _, tt := range tests {
		got, err := s.ByURL(ctx, tt.url)
		switch {
		case tt.wantID == 0 && !errors.Is(err, ErrNotFound):
			t.Errorf("ByURL(%q) = %d, %v; want ErrNotFound", tt.url, got.ID, err)
		case tt.wantID != 0 && (err != nil || got.ID != tt.wantID):
			t.Errorf("ByURL(%q) = %d, %v; want %d", tt.url, got.ID, err, tt.wantID)
		}
	}
}

func TestParseFileName(t *testing.T) {
	const stem = "abcdefghijklmnopqrstuvwx23"
	tests := []struct {
		name    string
		ok      bool
		ext     string
		preview bool
	}{
		{stem + ".jpg", true, "jpg", false},
		{stem + ".png", true, "png", false},
		{stem + ".preview.jpg", true, "jpg", true},
		{stem + ".preview.png", false, "", false},
		{stem + ".gif", false, "", false},
		{stem + ".jpg.html", false, "", false},
		{stem, false, "", false},
		{"ABCDEFGHIJKLMNOPQRSTUVWX23.jpg", false, "", false},
		{"abcdefghijklmnopqrstuvwx01.jpg", false, "", false},
		{stem[1:] + ".jpg", false, "", false},
		{"../" + stem[3:] + ".jpg", false, "", false},
		{".upload-12345", false, "", false},
		{"", false, "", false},
	}
	for _, tt := range tests {
		s, ext, preview, ok := parseFileName(tt.name)
		if ok != tt.ok || ext != tt.ext || preview != tt.preview || ok && s != stem {
			t.Errorf("parseFileName(%q) = %q, %q, %v, %v", tt.name, s, ext, preview, ok)
		}
	}
	if _, _, _, ok := parseFileName(newStem() + ".jpg"); !ok {
		t.Error("a fresh stem does not parse")
	}
}

func TestFitSize(t *testing.T) {
	tests := []struct{ w, h, side, wantW, wantH int }{
		{100, 50, 640, 100, 50},
		{640, 640, 640, 640, 640},
		{1280, 640, 640, 640, 320},
		{640, 1281, 640, 320, 640},
		{100000, 1, 4096, 4096, 1},
		{5000, 100, 4096, 4096, 82},
	}
	for _, tt := range tests {
		if w, h := fitSize(tt.w, tt.h, tt.side); w != tt.wantW || h != tt.wantH {
			t.Errorf("fitSize(%d, %d, %d) = %d×%d, want %d×%d", tt.w, tt.h, tt.side, w, h, tt.wantW, tt.wantH)
		}
	}
}
