package mastodon

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"roost/feed"
	"roost/feed/media"
)

func (a *API) mediaRoutes(mux Mux) {
	a.handle(mux, "POST /api/v1/media", "write:media", a.uploadMedia)
	a.handle(mux, "POST /api/v2/media", "write:media", a.uploadMedia)
	a.handle(mux, "GET /api/v1/media/{id}", "write:media", a.getMedia)
	a.handle(mux, "PUT /api/v1/media/{id}", "write:media", a.updateMedia)
}

// mediaEntity renders a stored upload.
func mediaEntity(m media.Media) Attachment {
	at := attachmentOf(idString(m.ID), feed.Media{URL: m.URL, PreviewURL: m.PreviewURL, MediaType: m.MediaType,
		Alt: m.Description, Blurhash: m.Blurhash, Width: m.Width, Height: m.Height}, false)
	meta := at.Meta.(map[string]any)
	if pw, ph := m.PreviewSize(); pw > 0 {
		meta["small"] = sizeMeta(pw, ph)
	}
	meta["focus"] = map[string]float64{"x": m.FocusX, "y": m.FocusY}
	return at
}

// parseFocus reads "x,y" with both between -1 and 1.
func parseFocus(s string) (float64, float64) {
	xs, ys, _ := strings.Cut(s, ",")
	x, _ := strconv.ParseFloat(strings.TrimSpace(xs), 64)
	y, _ := strconv.ParseFloat(strings.TrimSpace(ys), 64)
	return x, y
}

// uploadMedia stores an image. Processing is synchronous, so both versions
// answer 200 with the final URLs.
func (a *API) uploadMedia(w http.ResponseWriter, r *http.Request, t *token) {
	if a.cfg.Media == nil {
		unprocessable(w, "uploads are not available")
		return
	}
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	f, _, ok := p.file("file")
	if !ok {
		unprocessable(w, "file can't be blank")
		return
	}
	defer f.Close()
	m, err := a.cfg.Media.Save(r.Context(), f, p.get("description"))
	if err != nil {
		a.mediaError(w, r, err)
		return
	}
	if p.has("focus") {
		x, y := parseFocus(p.get("focus"))
		if m, err = a.cfg.Media.Update(r.Context(), m.ID, m.Description, x, y); err != nil {
			fail(w, r, err)
			return
		}
	}
	a.mediaIDs.Store(m.URL, idString(m.ID))
	writeJSON(w, http.StatusOK, mediaEntity(m))
}

func (a *API) mediaError(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, media.ErrTooManyPixels):
		// Mastodon refuses oversized dimensions with a validation error too.
		unprocessable(w, fmt.Sprintf("Image dimensions are too large (the limit is %d megapixels and %d pixels a side)",
			media.MaxSourcePixels/1_000_000, media.MaxSourceSide))
	case errors.Is(err, media.ErrTooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, "File is too large")
	case errors.Is(err, media.ErrNotImage):
		unprocessable(w, "File type not supported (JPEG, PNG, GIF or WebP)")
	case errors.Is(err, media.ErrDescriptionTooLong):
		unprocessable(w, "Description is too long")
	default:
		fail(w, r, err)
	}
}

// mediaParam reads {id} and finds the upload, answering 404 itself.
func (a *API) mediaParam(w http.ResponseWriter, r *http.Request) (media.Media, bool) {
	id, ok := parseID(r.PathValue("id"))
	if !ok || a.cfg.Media == nil {
		notFound(w)
		return media.Media{}, false
	}
	m, err := a.cfg.Media.Get(r.Context(), id)
	if err != nil {
		notFound(w)
		return media.Media{}, false
	}
	return m, true
}

func (a *API) getMedia(w http.ResponseWriter, r *http.Request, t *token) {
	if m, ok := a.mediaParam(w, r); ok {
		writeJSON(w, http.StatusOK, mediaEntity(m))
	}
}

func (a *API) updateMedia(w http.ResponseWriter, r *http.Request, t *token) {
	m, ok := a.mediaParam(w, r)
	if !ok {
		return
	}
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	desc, x, y := m.Description, m.FocusX, m.FocusY
	if p.has("description") {
		desc = p.get("description")
	}
	if p.has("focus") {
		x, y = parseFocus(p.get("focus"))
	}
	m, err := a.cfg.Media.Update(r.Context(), m.ID, desc, x, y)
	if err != nil {
		a.mediaError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, mediaEntity(m))
}
