package media

import (
	"fmt"

	"github.com/buckket/go-blurhash"
	"github.com/disintegration/imaging"
)

// Describe reads a picture from elsewhere (the image of a link preview
// card) for what apps show before it loads: its size and its blurhash,
// computed as for uploads. It decodes with the same limits as an upload,
// so a decompression bomb is refused before it is decoded.
func Describe(data []byte) (width, height int, hash string, err error) {
	img, _, err := decodeUpload(data)
	if err != nil {
		return 0, 0, "", err
	}
	b := img.Bounds()
	small := flatten(fit(img, blurhashSide, imaging.Box))
	hash, err = blurhash.Encode(blurhashX, blurhashY, small)
	if err != nil {
		return 0, 0, "", fmt.Errorf("blurhash: %w", err)
	}
	return b.Dx(), b.Dy(), hash, nil
}
