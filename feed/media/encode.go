package media

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"

	"github.com/buckket/go-blurhash"
	"github.com/disintegration/imaging"
)

const (
	jpegQuality = 85
	// Blurhash with 4×3 components is what Mastodon computes; more only
	// makes the string longer for a picture that is meant to be a blur.
	blurhashX, blurhashY = 4, 3
	// blurhashSide is the thumbnail the blurhash is computed from: the
	// encoder visits every pixel for every component, and a blur does not
	// need more detail than this.
	blurhashSide = 32
)

// processed is an upload ready to be written.
type processed struct {
	ext           string
	mediaType     string
	data          []byte
	preview       []byte
	width, height int
	blurhash      string
}

// fitSize scales width×height down, keeping the aspect ratio, until neither
// side exceeds side. Images already small enough keep their size.
func fitSize(width, height, side int) (int, int) {
	if width <= side && height <= side {
		return width, height
	}
	if width >= height {
		h := int(float64(height)*float64(side)/float64(width) + 0.5)
		return side, max(h, 1)
	}
	w := int(float64(width)*float64(side)/float64(height) + 0.5)
	return max(w, 1), side
}

// fit scales img down to at most side pixels a side.
func fit(img image.Image, side int, filter imaging.ResampleFilter) image.Image {
	b := img.Bounds()
	w, h := fitSize(b.Dx(), b.Dy(), side)
	if w == b.Dx() && h == b.Dy() {
		return img
	}
	return imaging.Resize(img, w, h, filter)
}

// process re-encodes a decoded upload. Encoding from pixels is what strips
// the metadata: the standard encoders write none. JPEG stays JPEG; anything
// that may be transparent or is drawn rather than photographed (PNG, GIF)
// becomes PNG; WebP, which Go cannot encode, becomes JPEG when opaque.
func process(img image.Image, f format) (processed, error) {
	img = fit(img, MaxSide, imaging.Lanczos)
	b := img.Bounds()
	p := processed{width: b.Dx(), height: b.Dy()}

	var buf bytes.Buffer
	if f == formatJPEG || f == formatWebP && isOpaque(img) {
		p.ext, p.mediaType = extJPEG, contentTypes[extJPEG]
		if err := jpeg.Encode(&buf, flatten(img), &jpeg.Options{Quality: jpegQuality}); err != nil {
			return processed{}, fmt.Errorf("encode jpeg: %w", err)
		}
	} else {
		p.ext, p.mediaType = extPNG, contentTypes[extPNG]
		if err := png.Encode(&buf, img); err != nil {
			return processed{}, fmt.Errorf("encode png: %w", err)
		}
	}
	p.data = buf.Bytes()

	small := flatten(fit(img, PreviewSide, imaging.CatmullRom))
	var pbuf bytes.Buffer
	if err := jpeg.Encode(&pbuf, small, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return processed{}, fmt.Errorf("encode preview: %w", err)
	}
	p.preview = pbuf.Bytes()

	hash, err := blurhash.Encode(blurhashX, blurhashY, fit(small, blurhashSide, imaging.Box))
	if err != nil {
		return processed{}, fmt.Errorf("blurhash: %w", err)
	}
	p.blurhash = hash
	return p, nil
}

func isOpaque(img image.Image) bool {
	o, ok := img.(interface{ Opaque() bool })
	return ok && o.Opaque()
}

// flatten prepares an image for JPEG, which has no transparency: transparent
// areas are painted white, as a browser would show them on a plain page,
// rather than the black the encoder would otherwise produce. It also hands
// the encoder types it has fast paths for (*image.YCbCr, *image.RGBA)
// instead of the *image.NRGBA that imaging returns.
func flatten(img image.Image) image.Image {
	switch m := img.(type) {
	case *image.YCbCr, *image.Gray:
		return img
	case *image.NRGBA:
		if m.Opaque() {
			// Straight and premultiplied alpha agree where alpha is 255,
			// so the pixels can be shared.
			return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
		}
	}
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(out, out.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Over)
	return out
}
