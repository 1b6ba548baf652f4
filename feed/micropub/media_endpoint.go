package micropub

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// uploadMedia serves POST /micropub/media, Micropub's "Media Endpoint"
// section: one multipart file in the field "file", stored through
// SaveMedia, answered 201 with the file's URL in Location.
func (h *Handler) uploadMedia(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if h.SaveMedia == nil {
		return &apiError{status: http.StatusNotFound, code: codeInvalidRequest, description: "this site has no media endpoint"}
	}
	header, err := headerToken(r)
	if err != nil {
		return err
	}
	var scopes []string
	if header != "" {
		if scopes, err = h.scopes(ctx, header); err != nil {
			return err
		}
	}
	if mediaType(r) != typeMultipart {
		if header == "" {
			return unauthorized(msgNoToken)
		}
		return invalidRequest("upload the file as multipart/form-data in the field \"file\"")
	}
	// The cap leaves room for the multipart framing and a few fields
	// around the file itself.
	if err := parseForm(w, r, typeMultipart, h.maxMedia()+1<<20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge("the image is larger than " + megabytes(h.maxMedia()))
		}
		return err
	}
	defer r.MultipartForm.RemoveAll()
	if scopes, err = h.bodyScopes(ctx, header, scopes, r.PostForm.Get("access_token")); err != nil {
		return err
	}
	if err := requireMediaScope(scopes); err != nil {
		return err
	}
	files := r.MultipartForm.File["file"]
	if len(files) == 0 {
		return invalidRequest("the multipart body has no \"file\" field")
	}
	if len(files) > 1 {
		return invalidRequest("upload one file at a time")
	}
	f, err := files[0].Open()
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	// Alt text has no standard field on the media endpoint; some clients
	// send "alt", Mastodon-minded ones "description".
	alt := strings.TrimSpace(r.PostForm.Get("alt"))
	if alt == "" {
		alt = strings.TrimSpace(r.PostForm.Get("description"))
	}
	u, err := h.SaveMedia(ctx, f, alt)
	if err != nil {
		return h.mediaError(err)
	}
	u = h.absoluteURL(u)
	w.Header().Set("Location", u)
	writeJSON(w, http.StatusCreated, map[string]string{"url": u})
	return nil
}

// requireMediaScope accepts the media scope, and also a token that may
// create posts: the media endpoint "MUST accept the same access tokens
// that the Micropub endpoint accepts" ("Media Endpoint"), and clients such as
// Quill ask for create alone and then upload photos.
func requireMediaScope(scopes []string) error {
	if hasScope(scopes, ScopeCreate) {
		return nil
	}
	return requireScope(scopes, ScopeMedia)
}
