package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"strings"
	"testing"

	"github.com/buckket/go-blurhash"
)

func TestSaveStripsExifAndHonoursOrientation(t *testing.T) {
	s := newTestStore(t, 0)
	const secret = "GPS 52.5200N 13.4050E serial XK-4431"
	// Orientation 6: the camera was held upright, the sensor stored the
	// picture lying on its side; viewers rotate it 90° clockwise.
	upload := withExif(t, encodeJPEG(t, gradient(60, 40)), 6, secret)
	if !bytes.Contains(upload, []byte(secret)) {
		t.Fatal("test upload lacks the secret")
	}

	m, err := s.Save(context.Background(), bytes.NewReader(upload), "a gradient")
	if err != nil {
		t.Fatal(err)
	}
	if m.MediaType != "image/jpeg" || !strings.HasSuffix(m.URL, ".jpg") {
		t.Errorf("type %q URL %q, want a JPEG", m.MediaType, m.URL)
	}
	if m.Width != 40 || m.Height != 60 {
		t.Errorf("size %d×%d, want 40×60 after rotation", m.Width, m.Height)
	}
	for _, url := range []string{m.URL, m.PreviewURL} {
		data := fileOf(t, s, url)
		for _, bad := range []string{secret, "Exif\x00\x00", "\xff\xe1"} {
			if bytes.Contains(data, []byte(bad)) {
				t.Errorf("%s still contains %q", url, bad)
			}
		}
		cfg, format := decodeConfigOf(t, data)
		if format != "jpeg" || cfg.Width != 40 || cfg.Height != 60 {
			t.Errorf("%s is %s %d×%d, want jpeg 40×60", url, format, cfg.Width, cfg.Height)
		}
	}
	if got := int64(len(fileOf(t, s, m.URL))); got != m.Size {
		t.Errorf("Size %d, file has %d bytes", m.Size, got)
	}
	if m.Description != "a gradient" || m.Created.IsZero() || m.ID == 0 {
		t.Errorf("unexpected record %+v", m)
	}
}

func TestSaveKeepsFormat(t *testing.T) {
	translucent := image.NewNRGBA(image.Rect(0, 0, 30, 20))
	for i := range translucent.Pix {
		translucent.Pix[i] = 0x80
	}
	var gifBuf bytes.Buffer
	palette := color.Palette{color.Black, color.White}
	anim := &gif.GIF{
		Image: []*image.Paletted{image.NewPaletted(image.Rect(0, 0, 24, 12), palette), image.NewPaletted(image.Rect(0, 0, 24, 12), palette)},
		Delay: []int{10, 10},
	}
	if err := gif.EncodeAll(&gifBuf, anim); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		upload     []byte
		wantType   string
		wantFormat string
		w, h       int
	}{
		{"jpeg", encodeJPEG(t, gradient(50, 30)), "image/jpeg", "jpeg", 50, 30},
		{"png with alpha", encodePNG(t, translucent), "image/png", "png", 30, 20},
		{"opaque png", encodePNG(t, gradient(10, 70)), "image/png", "png", 10, 70},
		{"animated gif", gifBuf.Bytes(), "image/png", "png", 24, 12},
		// A 1×1 transparent lossless WebP; Go has no WebP encoder.
		{"webp", []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"), "image/png", "png", 1, 1},
	}
	s := newTestStore(t, 0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := save(t, s, tt.upload)
			if m.MediaType != tt.wantType || m.Width != tt.w || m.Height != tt.h {
				t.Errorf("got %s %d×%d, want %s %d×%d", m.MediaType, m.Width, m.Height, tt.wantType, tt.w, tt.h)
			}
			cfg, format := decodeConfigOf(t, fileOf(t, s, m.URL))
			if format != tt.wantFormat || cfg.Width != tt.w || cfg.Height != tt.h {
				t.Errorf("stored file is %s %d×%d", format, cfg.Width, cfg.Height)
			}
			if _, format := decodeConfigOf(t, fileOf(t, s, m.PreviewURL)); format != "jpeg" {
				t.Errorf("preview is %s, want jpeg", format)
			}
		})
	}
}

// WebP cannot be written back, so it becomes JPEG when nothing in it is
// transparent and PNG otherwise.
func TestProcessWebP(t *testing.T) {
	transparent := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	tests := []struct {
		name string
		img  image.Image
		want string
	}{
		{"opaque", gradient(20, 10), "image/jpeg"},
		{"transparent", transparent, "image/png"},
	}
	for _, tt := range tests {
		p, err := process(tt.img, formatWebP)
		if err != nil {
			t.Fatal(err)
		}
		if p.mediaType != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, p.mediaType, tt.want)
		}
	}
}

func TestSaveRejectsNonImages(t *testing.T) {
	jpg := encodeJPEG(t, gradient(20, 20))
	tests := []struct {
		name   string
		upload []byte
	}{
		{"text file named .jpg", []byte("These are my holiday photos, honest.\n")},
		{"empty", nil},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)},
		{"html", []byte("<!doctype html><title>x</title>")},
		{"bmp", append([]byte("BM"), make([]byte, 60)...)},
		{"jpeg magic then garbage", append([]byte{0xff, 0xd8, 0xff, 0xe0}, strings.Repeat("x", 100)...)},
		{"truncated jpeg", jpg[:len(jpg)/3]},
		{"png signature only", []byte("\x89PNG\r\n\x1a\n")},
		{"zero width png", pngClaiming(t, 0, 10)},
	}
	s := newTestStore(t, 0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Save(context.Background(), bytes.NewReader(tt.upload), "")
			if !errors.Is(err, ErrNotImage) {
				t.Errorf("got %v, want ErrNotImage", err)
			}
		})
	}
	assertNoFiles(t, s)
}

// endless is an upload that never ends, counting what was read of it.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0xff
	}
	e.read += int64(len(p))
	return len(p), nil
}

func TestSaveTooLarge(t *testing.T) {
	const limit = 4096
	s := newTestStore(t, limit)

	body := &endless{}
	_, err := s.Save(context.Background(), body, "")
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("endless body: got %v, want ErrTooLarge", err)
	}
	if body.read > limit+1 {
		t.Errorf("read %d bytes of an endless body, want at most %d", body.read, limit+1)
	}

	big := encodeJPEG(t, gradient(400, 400))
	if len(big) <= limit {
		t.Fatalf("test image is only %d bytes", len(big))
	}
	if _, err := s.Save(context.Background(), bytes.NewReader(big), ""); !errors.Is(err, ErrTooLarge) {
		t.Errorf("image over the limit: got %v, want ErrTooLarge", err)
	}

	// A few bytes that claim a gigapixel must be refused before decoding.
	if _, err := s.Save(context.Background(), bytes.NewReader(pngClaiming(t, 40000, 40000)), ""); !errors.Is(err, ErrTooLarge) {
		t.Errorf("decompression bomb: got %v, want ErrTooLarge", err)
	}
	assertNoFiles(t, s)
}

func TestSaveDownscalesAndPreviews(t *testing.T) {
	tests := []struct {
		name         string
		w, h         int
		wantW, wantH int
	}{
		{"very wide", 5000, 100, 4096, 82},
		{"tall", 300, 4500, 273, 4096},
		{"small", 100, 80, 100, 80},
	}
	s := newTestStore(t, 0)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := save(t, s, encodePNG(t, gradient(tt.w, tt.h)))
			if m.Width != tt.wantW || m.Height != tt.wantH {
				t.Errorf("stored %d×%d, want %d×%d", m.Width, m.Height, tt.wantW, tt.wantH)
			}
			cfg, _ := decodeConfigOf(t, fileOf(t, s, m.URL))
			if cfg.Width != tt.wantW || cfg.Height != tt.wantH {
				t.Errorf("file is %d×%d, want %d×%d", cfg.Width, cfg.Height, tt.wantW, tt.wantH)
			}
			pcfg, _ := decodeConfigOf(t, fileOf(t, s, m.PreviewURL))
			if pcfg.Width > PreviewSide || pcfg.Height > PreviewSide {
				t.Errorf("preview is %d×%d, larger than %d", pcfg.Width, pcfg.Height, PreviewSide)
			}
			if pw, ph := m.PreviewSize(); pcfg.Width != pw || pcfg.Height != ph {
				t.Errorf("preview is %d×%d, PreviewSize says %d×%d", pcfg.Width, pcfg.Height, pw, ph)
			}
		})
	}
}

func TestSaveBlurhash(t *testing.T) {
	red := image.NewRGBA(image.Rect(0, 0, 200, 100))
	for i := 0; i < len(red.Pix); i += 4 {
		red.Pix[i], red.Pix[i+3] = 0xe0, 0xff
	}
	s := newTestStore(t, 0)
	m := save(t, s, encodeJPEG(t, red))
	x, y, err := blurhash.Components(m.Blurhash)
	if err != nil || x != 4 || y != 3 {
		t.Fatalf("blurhash %q: %d×%d components, %v", m.Blurhash, x, y, err)
	}
	img, err := blurhash.Decode(m.Blurhash, 8, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	r, g, b, _ := img.At(4, 2).RGBA()
	if r>>8 < 0xc0 || g>>8 > 0x30 || b>>8 > 0x30 {
		t.Errorf("blurhash of a red picture decodes to %d,%d,%d", r>>8, g>>8, b>>8)
	}
}

func TestSaveDescriptionTooLong(t *testing.T) {
	s := newTestStore(t, 0)
	long := strings.Repeat("é", MaxDescription+1)
	_, err := s.Save(context.Background(), bytes.NewReader(encodeJPEG(t, gradient(8, 8))), long)
	if !errors.Is(err, ErrDescriptionTooLong) {
		t.Errorf("got %v, want ErrDescriptionTooLong", err)
	}
	m, err := s.Save(context.Background(), bytes.NewReader(encodeJPEG(t, gradient(8, 8))), long[:len(long)-len("é")])
	if err != nil || m.Description == "" {
		t.Errorf("description of exactly %d characters: %v", MaxDescription, err)
	}
}

func TestSaveCancelled(t *testing.T) {
	s := newTestStore(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Save(ctx, bytes.NewReader(encodeJPEG(t, gradient(8, 8))), ""); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	assertNoFiles(t, s)
}

func assertNoFiles(t *testing.T, s *Store) {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM media`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d media rows (%v), want none", n, err)
	}
	entries, err := readDir(s.dir)
	if err != nil || len(entries) != 0 {
		t.Errorf("media directory holds %v (%v), want nothing", entries, err)
	}
}

func BenchmarkSave(b *testing.B) {
	s := newTestStore(b, 0)
	upload := encodeJPEG(b, gradient(1600, 1200))
	b.SetBytes(int64(len(upload)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Save(context.Background(), bytes.NewReader(upload), ""); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSaveRefusesDeclaredDimensions: a tiny PNG whose header declares more
// pixels than the server decodes is refused from the header alone, with an
// error that names the dimensions, and nothing is written.
func TestSaveRefusesDeclaredDimensions(t *testing.T) {
	s := newTestStore(t, 0)
	for _, size := range [][2]uint32{{20000, 20000}, {7000, 7000}, {20000, 1000}, {1000, 13000}} {
		bomb := pngClaiming(t, size[0], size[1])
		_, err := s.Save(context.Background(), bytes.NewReader(bomb), "")
		if !errors.Is(err, ErrTooManyPixels) || !errors.Is(err, ErrTooLarge) {
			t.Errorf("%d bytes declaring %d×%d: got %v, want ErrTooManyPixels", len(bomb), size[0], size[1], err)
			continue
		}
		if want := fmt.Sprintf("%d×%d pixels", size[0], size[1]); !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	assertNoFiles(t, s)
}
