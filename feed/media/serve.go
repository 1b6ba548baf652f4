package media

import (
	"errors"
	"log/slog"
	"net/http"
	"os"
	"strings"
)

// ServeHTTP serves GET and HEAD /media/{name}. Only names of the shape the
// store writes are looked up, so nothing else in the directory (temporary
// files, anything an operator put there) and nothing outside it can be
// reached; every other name is 404.
//
// A variant (<stem>.s96.jpg) is made from its image on first request.
//
// A stored file never changes under its name (a new upload gets a new
// random name), so responses may be cached for a year without revalidation.
// nosniff and a restrictive Content-Security-Policy make sure a browser
// treats the bytes as the image type we send and nothing else.
func (s *Store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := r.PathValue("name")
	if name == "" {
		name = strings.TrimPrefix(r.URL.Path, "/media/")
	}
	_, ext, _, ok := parseFileName(name)
	if !ok {
		_, vext, _, _, isVariant := parseVariantName(name)
		if !isVariant {
			http.NotFound(w, r)
			return
		}
		if _, err := s.variantFile(name); err != nil {
			if errors.Is(err, errNoOriginal) {
				http.NotFound(w, r)
				return
			}
			slog.Error("media variant", "name", name, "err", err)
			http.Error(w, "this picture could not be made smaller", http.StatusInternalServerError)
			return
		}
		ext = vext
	}
	// OpenInRoot refuses to leave the directory even through a symlink;
	// the name check above already rules out separators and "..".
	f, err := os.OpenInRoot(s.dir, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentTypes[ext])
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("ETag", `"`+name+`"`)
	http.ServeContent(w, r, name, info.ModTime(), f)
}
