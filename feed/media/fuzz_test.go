package media

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"testing"
)

// FuzzDecodeUpload runs uploads through decoding and re-encoding: nothing
// a client uploads may panic, an image that is refused is refused as not
// an image or as too large, and one that is kept fits the stored size.
func FuzzDecodeUpload(f *testing.F) {
	f.Add(encodePNG(f, gradient(3, 2)))
	f.Add(encodeJPEG(f, gradient(5, 4)))
	f.Add(withExif(f, encodeJPEG(f, gradient(4, 2)), 6, "serial 1234"))
	f.Add(pngClaiming(f, 20000, 20000))
	f.Add(pngClaiming(f, 4000, 3000))
	var g bytes.Buffer
	if err := gif.Encode(&g, image.NewPaletted(image.Rect(0, 0, 2, 2), color.Palette{color.Black, color.White}), nil); err != nil {
		f.Fatal(err)
	}
	f.Add(g.Bytes())
	// The smallest lossless WebP: one pixel.
	f.Add([]byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := decodeAndProcess(data)
		if err != nil {
			if !errors.Is(err, ErrNotImage) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("refused with %v, want ErrNotImage or ErrTooLarge", err)
			}
			return
		}
		if p.width <= 0 || p.height <= 0 || p.width > MaxSide || p.height > MaxSide {
			t.Fatalf("stored as %d×%d", p.width, p.height)
		}
		if len(p.data) == 0 || len(p.preview) == 0 || p.blurhash == "" {
			t.Fatal("kept without a file, a preview or a blurhash")
		}
	})
}
