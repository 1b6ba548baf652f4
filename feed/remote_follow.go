package feed

import (
	"log/slog"
	"net/http"
	"strings"
)

// maxHandleForm caps the remote-follow form: one handle.
const maxHandleForm = 4 << 10

// remoteFollow takes a visitor's handle from the front page and sends them
// to their own server's follow page for the owner. A handle that cannot be
// looked up brings the front page back with the reason, the handle kept out
// of the page's text.
func (f *Feed) remoteFollow(w http.ResponseWriter, r *http.Request) {
	if f.cfg.InteractionURL == nil {
		f.notFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxHandleForm)
	if err := r.ParseForm(); err != nil {
		f.renderFrontPage(w, r, http.StatusBadRequest, "Type your handle, like you@your.server.")
		return
	}
	handle := strings.TrimSpace(r.PostForm.Get("handle"))
	if handle == "" {
		f.renderFrontPage(w, r, http.StatusUnprocessableEntity, "Type your handle, like you@your.server.")
		return
	}
	target, err := f.cfg.InteractionURL(r.Context(), handle, f.cfg.ActorID)
	if err != nil {
		slog.InfoContext(r.Context(), "remote follow", "handle", handle, "err", err)
		f.renderFrontPage(w, r, http.StatusUnprocessableEntity,
			"Your server could not be asked where to follow from. Check the handle (like you@your.server), or search for "+
				strings.TrimPrefix(strings.TrimPrefix(f.base, "https://"), "http://")+" in your app.")
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}
