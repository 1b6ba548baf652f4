// Package static holds roost's stylesheet, icons and small scripts, embedded
// in the binary so that one file is the whole site.
package static

import (
	"embed"
	"net/http"
)

//go:embed *.css *.svg *.png *.js
var files embed.FS

// Handler serves the embedded files under /static/. The files change only
// with the binary, so browsers may keep them for a day.
func Handler() http.Handler {
	fs := http.StripPrefix("/static/", http.FileServerFS(files))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		fs.ServeHTTP(w, r)
	})
}
