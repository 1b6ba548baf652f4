package media

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// File names are <stem>.<ext> for the image and <stem>.preview.jpg for its
// preview, where the stem is rand.Text lowercased: 26 characters of base32,
// 130 random bits, so that names cannot be guessed or enumerated and an
// unlisted upload stays unlisted.
const (
	stemLen       = 26
	previewSuffix = ".preview"
	extJPEG       = "jpg"
	extPNG        = "png"
)

// contentTypes maps the extensions the store writes to their media types.
var contentTypes = map[string]string{
	extJPEG: "image/jpeg",
	extPNG:  "image/png",
}

func newStem() string {
	return strings.ToLower(rand.Text())
}

func fileName(stem, ext string) string {
	return stem + "." + ext
}

func previewName(stem string) string {
	return stem + previewSuffix + "." + extJPEG
}

// parseFileName accepts only names the store itself writes. Checking every
// character against the base32 alphabet is what keeps "..", slashes and
// other surprises out of the file system calls that follow.
func parseFileName(name string) (stem, ext string, preview bool, ok bool) {
	base, ext, found := strings.Cut(name, ".")
	if !found || len(base) != stemLen {
		return "", "", false, false
	}
	for _, c := range base {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return "", "", false, false
		}
	}
	if rest, found := strings.CutPrefix(ext, previewSuffix[1:]+"."); found {
		if rest != extJPEG {
			return "", "", false, false
		}
		return base, extJPEG, true, true
	}
	if _, known := contentTypes[ext]; !known {
		return "", "", false, false
	}
	return base, ext, false, true
}

// writeFile writes data under name in dir by way of a temporary file and a
// rename, so that a reader never sees a half-written image.
func writeFile(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	// CreateTemp makes the file private; media is public.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// removeFiles deletes the named files, treating an already missing file as
// removed.
func removeFiles(dir string, names ...string) error {
	var errs []error
	for _, name := range names {
		err := os.Remove(filepath.Join(dir, name))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove media files: %w", err)
	}
	return nil
}
