package media

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"github.com/disintegration/imaging"
	"golang.org/x/image/webp"
)

// format is a kind of upload the store accepts.
type format string

const (
	formatJPEG format = "jpeg"
	formatPNG  format = "png"
	formatGIF  format = "gif"
	formatWebP format = "webp"
)

// sniff names the format from the file's leading bytes. It knows only the
// formats the store accepts, on purpose: image.Decode would also hand
// uploads to every decoder linked into the binary (imaging brings BMP and
// TIFF along), and those are not worth exposing to the internet.
func sniff(data []byte) (format, bool) {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return formatJPEG, true
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return formatPNG, true
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return formatGIF, true
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return formatWebP, true
	}
	return "", false
}

// decodeConfig reads only the header, enough to learn the dimensions.
func (f format) decodeConfig(r io.Reader) (image.Config, error) {
	switch f {
	case formatJPEG:
		return jpeg.DecodeConfig(r)
	case formatPNG:
		return png.DecodeConfig(r)
	case formatGIF:
		return gif.DecodeConfig(r)
	case formatWebP:
		return webp.DecodeConfig(r)
	}
	return image.Config{}, fmt.Errorf("unknown format %q", f)
}

// decode reads the whole image. Of an animated GIF it keeps the first frame.
// Only JPEG carries an EXIF orientation worth honouring in practice (phone
// cameras), so only JPEG goes through imaging's auto-orientation; the
// sniffed prefix guarantees that image.Decode inside it picks the JPEG
// decoder.
func (f format) decode(r io.Reader) (image.Image, error) {
	switch f {
	case formatJPEG:
		return imaging.Decode(r, imaging.AutoOrientation(true))
	case formatPNG:
		return png.Decode(r)
	case formatGIF:
		return gif.Decode(r)
	case formatWebP:
		return webp.Decode(r)
	}
	return nil, fmt.Errorf("unknown format %q", f)
}

// decodeUpload checks that data is an image of an accepted format and of a
// size the server is willing to hold in memory, then decodes it.
func decodeUpload(data []byte) (image.Image, format, error) {
	f, ok := sniff(data)
	if !ok {
		return nil, "", ErrNotImage
	}
	cfg, err := f.decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s header: %v", ErrNotImage, f, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, "", fmt.Errorf("%w: %s has no pixels", ErrNotImage, f)
	}
	if err := checkDimensions(cfg.Width, cfg.Height); err != nil {
		return nil, "", err
	}
	img, err := f.decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", fmt.Errorf("%w: %s: %v", ErrNotImage, f, err)
	}
	if b := img.Bounds(); b.Dx() <= 0 || b.Dy() <= 0 {
		return nil, "", fmt.Errorf("%w: %s has no pixels", ErrNotImage, f)
	}
	return img, f, nil
}

// checkDimensions refuses an image whose header declares more pixels than
// the server decodes.
func checkDimensions(width, height int) error {
	if int64(width)*int64(height) > MaxSourcePixels || width > MaxSourceSide || height > MaxSourceSide {
		return fmt.Errorf("%w: the image is %d×%d pixels; the limit is %d megapixels and %d pixels a side",
			ErrTooManyPixels, width, height, MaxSourcePixels/1_000_000, MaxSourceSide)
	}
	return nil
}
