package media

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

const testBase = "https://alice.example"

// newTestStore opens a fresh database with the media migrations applied
// and a store writing into a temporary directory.
func newTestStore(tb testing.TB, maxBytes int64) *Store {
	tb.Helper()
	dir := tb.TempDir()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "t.db")+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	for i, m := range Migrations {
		if _, err := db.Exec(m); err != nil {
			tb.Fatalf("migration %d: %v", i, err)
		}
	}
	s, err := NewStore(db, filepath.Join(dir, "media"), testBase+"/", maxBytes)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// gradient is an opaque picture with some detail, so that encoders and
// resizers have something to chew on.
func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x ^ y) & 0xff), 255})
		}
	}
	return img
}

func encodeJPEG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// withExif splices an APP1 Exif segment right after the JPEG's SOI marker,
// where cameras put it. The segment holds a big-endian TIFF structure with
// two tags: Orientation and an ImageDescription carrying secret.
func withExif(tb testing.TB, jpg []byte, orientation uint16, secret string) []byte {
	tb.Helper()
	if !bytes.HasPrefix(jpg, []byte{0xff, 0xd8}) {
		tb.Fatal("not a JPEG")
	}
	be := binary.BigEndian
	var tiff []byte
	tiff = append(tiff, "MM\x00\x2a"...)
	tiff = be.AppendUint32(tiff, 8) // first IFD right after the header
	const entries = 2
	strOffset := uint32(8 + 2 + entries*12 + 4)
	tiff = be.AppendUint16(tiff, entries)
	// ImageDescription (0x010e), ASCII, stored after the IFD.
	tiff = be.AppendUint16(tiff, 0x010e)
	tiff = be.AppendUint16(tiff, 2)
	tiff = be.AppendUint32(tiff, uint32(len(secret)+1))
	tiff = be.AppendUint32(tiff, strOffset)
	// Orientation (0x0112), SHORT, value left-justified in the field.
	tiff = be.AppendUint16(tiff, 0x0112)
	tiff = be.AppendUint16(tiff, 3)
	tiff = be.AppendUint32(tiff, 1)
	tiff = be.AppendUint16(tiff, orientation)
	tiff = be.AppendUint16(tiff, 0)
	tiff = be.AppendUint32(tiff, 0) // no next IFD
	tiff = append(tiff, secret...)
	tiff = append(tiff, 0)

	payload := append([]byte("Exif\x00\x00"), tiff...)
	var seg []byte
	seg = append(seg, 0xff, 0xe1)
	seg = be.AppendUint16(seg, uint16(len(payload)+2))
	seg = append(seg, payload...)

	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// pngClaiming rewrites a small PNG's header to claim other dimensions,
// fixing the chunk checksum so that only the size is wrong.
func pngClaiming(tb testing.TB, w, h uint32) []byte {
	tb.Helper()
	data := encodePNG(tb, gradient(2, 2))
	// signature (8), length (4), "IHDR" (4), then width and height.
	binary.BigEndian.PutUint32(data[16:], w)
	binary.BigEndian.PutUint32(data[20:], h)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

// fileOf reads the stored file behind a URL the store handed out.
func fileOf(tb testing.TB, s *Store, url string) []byte {
	tb.Helper()
	name, ok := strings.CutPrefix(url, testBase+"/media/")
	if !ok {
		tb.Fatalf("URL %q is not under %s/media/", url, testBase)
	}
	data, err := os.ReadFile(filepath.Join(s.dir, name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func decodeConfigOf(tb testing.TB, data []byte) (image.Config, string) {
	tb.Helper()
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("stored file does not decode: %v", err)
	}
	return cfg, format
}

func save(tb testing.TB, s *Store, data []byte) Media {
	tb.Helper()
	m, err := s.Save(context.Background(), bytes.NewReader(data), "")
	if err != nil {
		tb.Fatalf("Save: %v", err)
	}
	return m
}

// readDir lists the names in dir.
func readDir(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names, err
}
