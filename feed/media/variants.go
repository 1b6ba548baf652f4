package media

import (
	"bytes"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/disintegration/imaging"
)

// Variants are smaller copies of a stored image for the places that show it
// small: a 28-pixel header icon should not cost the 400-pixel avatar. They
// are named after the image (<stem>.s96.jpg, <stem>.w700.png), so a page can
// name them from the image's URL alone, and are made on first request (or
// ahead of it by MakeVariants) and then kept beside the image.
//
// Only the sizes below exist: a visitor cannot make the server resize an
// image to any size they like, and each image has at most len(SquareSides)+
// len(WideWidths) variants.
var (
	// SquareSides are the avatar variants: square, cropped about the centre,
	// for avatars drawn 28 to 96 CSS pixels wide on screens of up to 4×
	// density (the largest is the avatar Mastodon apps ask for).
	SquareSides = []int{48, 96, 192, 400}
	// WideWidths are the header variants: their width, height in proportion.
	WideWidths = []int{700, 1500}
)

// Variant kinds, the letter in the file name.
const (
	kindSquare = 's'
	kindWide   = 'w'
)

// Variant is one smaller copy of an image, for srcset: its URL and its
// nominal width (the image is never enlarged, so a small original's
// variants are its own size).
type Variant struct {
	URL   string
	Width int
}

// variantName is the file name of a variant of the stored image stem.ext.
func variantName(stem, ext string, kind byte, size int) string {
	return stem + "." + string(kind) + strconv.Itoa(size) + "." + ext
}

// parseVariantName reads a name variantName wrote, for one of the sizes
// that exist; anything else is not a variant.
func parseVariantName(name string) (stem, ext string, kind byte, size int, ok bool) {
	parts := strings.Split(name, ".")
	if len(parts) != 3 || len(parts[1]) < 2 {
		return "", "", 0, 0, false
	}
	stem, ext = parts[0], parts[2]
	if _, _, _, valid := parseFileName(stem + "." + ext); !valid {
		return "", "", 0, 0, false
	}
	kind = parts[1][0]
	size, err := strconv.Atoi(parts[1][1:])
	if err != nil || strconv.Itoa(size) != parts[1][1:] {
		return "", "", 0, 0, false
	}
	sizes := SquareSides
	if kind == kindWide {
		sizes = WideWidths
	} else if kind != kindSquare {
		return "", "", 0, 0, false
	}
	for _, s := range sizes {
		if s == size {
			return stem, ext, kind, size, true
		}
	}
	return "", "", 0, 0, false
}

// SquareVariants lists the avatar variants of a stored image, by its URL
// (absolute or /media/…); nil when the URL is not one of the store's images
// (a remote avatar, the default picture).
func (s *Store) SquareVariants(imageURL string) []Variant {
	return s.variants(imageURL, kindSquare, SquareSides)
}

// WideVariants lists the header variants of a stored image, as
// SquareVariants does.
func (s *Store) WideVariants(imageURL string) []Variant {
	return s.variants(imageURL, kindWide, WideWidths)
}

func (s *Store) variants(imageURL string, kind byte, sizes []int) []Variant {
	prefix, name := s.urlPrefix(), ""
	if rest, ok := strings.CutPrefix(imageURL, prefix); ok {
		name = rest
	} else if rest, ok := strings.CutPrefix(imageURL, "/media/"); ok {
		prefix, name = "/media/", rest
	} else {
		return nil
	}
	stem, ext, preview, ok := parseFileName(name)
	if !ok || preview {
		return nil
	}
	out := make([]Variant, len(sizes))
	for i, size := range sizes {
		out[i] = Variant{URL: prefix + variantName(stem, ext, kind, size), Width: size}
	}
	return out
}

// MakeVariants writes every avatar variant (or, for a header, every
// header variant) of a stored image now, so the first visitor after an upload does not wait for
// them. A variant that cannot be made is made again on request.
func (s *Store) MakeVariants(imageURL string, header bool) error {
	list := s.SquareVariants(imageURL)
	if header {
		list = s.WideVariants(imageURL)
	}
	var errs []error
	for _, v := range list {
		if _, err := s.variantFile(v.URL[strings.LastIndex(v.URL, "/")+1:]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// errNoOriginal means a variant was asked of an image that is not stored.
var errNoOriginal = errors.New("media: no such image")

// variantFile returns the path of the named variant, making it first when
// it is not there yet. Concurrent requests for one variant make it once.
func (s *Store) variantFile(name string) (string, error) {
	stem, ext, kind, size, ok := parseVariantName(name)
	if !ok {
		return "", errNoOriginal
	}
	path := filepath.Join(s.dir, name)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	_, err, _ := s.making.Do(name, func() (any, error) {
		if _, err := os.Stat(path); err == nil {
			return nil, nil
		}
		data, err := os.ReadFile(filepath.Join(s.dir, fileName(stem, ext)))
		if err != nil {
			return nil, fmt.Errorf("%w: %s", errNoOriginal, fileName(stem, ext))
		}
		s.slots <- struct{}{}
		out, err := resizeVariant(data, ext, kind, size)
		<-s.slots
		if err != nil {
			return nil, fmt.Errorf("variant %s: %w", name, err)
		}
		return nil, writeFile(s.dir, name, out)
	})
	if err != nil {
		return "", err
	}
	return path, nil
}

// resizeVariant makes one variant of an image the store wrote, in the
// image's own format: a JPEG stays a JPEG, a PNG (transparent, or drawn,
// or an animated GIF's first frame) stays a PNG. CatmullRom is as sharp
// as Lanczos at these reductions and quicker.
func resizeVariant(data []byte, ext string, kind byte, size int) ([]byte, error) {
	img, _, err := decodeUpload(data)
	if err != nil {
		return nil, err
	}
	b := img.Bounds()
	switch kind {
	case kindSquare:
		side := min(size, b.Dx(), b.Dy())
		img = imaging.Fill(img, side, side, imaging.Center, imaging.CatmullRom)
	case kindWide:
		if b.Dx() > size {
			img = imaging.Resize(img, size, 0, imaging.CatmullRom)
		}
	}
	var buf bytes.Buffer
	if ext == extJPEG {
		err = jpeg.Encode(&buf, flatten(img), &jpeg.Options{Quality: jpegQuality})
	} else {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
	}
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return buf.Bytes(), nil
}

// allVariantNames are the names every variant of stem.ext may have, for
// removing them with the image.
func allVariantNames(stem, ext string) []string {
	var names []string
	for _, size := range SquareSides {
		names = append(names, variantName(stem, ext, kindSquare, size))
	}
	for _, size := range WideWidths {
		names = append(names, variantName(stem, ext, kindWide, size))
	}
	return names
}
