package micropub

import (
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
)

// handlePost serves POST /micropub: Micropub's "Authentication" section,
// then its "Create", "Update" and "Delete" sections, in any of the three
// request syntaxes.
func (h *Handler) handlePost(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	header, err := headerToken(r)
	if err != nil {
		return err
	}
	// A token in the header is checked before the body is read, so that
	// nobody without one makes the server spool uploads.
	var scopes []string
	if header != "" {
		if scopes, err = h.scopes(ctx, header); err != nil {
			return err
		}
	}

	var req request
	switch mt := mediaType(r); mt {
	case typeForm, typeMultipart:
		limit := int64(maxBody)
		if mt == typeMultipart {
			limit += maxPhotoUploads * h.maxMedia()
		}
		if err := parseForm(w, r, mt, limit); err != nil {
			return err
		}
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if scopes, err = h.bodyScopes(ctx, header, scopes, r.PostForm.Get("access_token")); err != nil {
			return err
		}
		var files map[string][]*multipart.FileHeader
		if r.MultipartForm != nil {
			files = r.MultipartForm.File
		}
		if req, err = formRequest(r.PostForm, files); err != nil {
			return err
		}
	case typeJSON:
		if header == "" {
			return unauthorized(msgNoToken)
		}
		if req, err = readJSON(w, r); err != nil {
			return err
		}
	default:
		if header == "" {
			return unauthorized(msgNoToken)
		}
		return invalidRequest("unsupported Content-Type %q: send %s, %s or %s", r.Header.Get("Content-Type"), typeForm, typeMultipart, typeJSON)
	}

	switch req.action {
	case "":
		return h.createPost(w, r, scopes, req)
	case actionUpdate:
		return h.updatePost(w, r, scopes, req)
	case actionDelete:
		return h.deletePost(w, r, scopes, req)
	case actionUndelete:
		return invalidRequest("undelete is not supported")
	}
	return invalidRequest("unknown action %q", req.action)
}

// bodyScopes settles which token a form request uses (header or
// access_token parameter) and returns its scopes.
func (h *Handler) bodyScopes(ctx context.Context, header string, headerScopes []string, body string) ([]string, error) {
	token, err := chooseToken(header, body)
	if err != nil {
		return nil, err
	}
	if token == header {
		return headerScopes, nil
	}
	return h.scopes(ctx, token)
}

// createPost implements Micropub's "Create" section: an entry with a name is an
// article, one without is a note. The answer is 201 with the new post's
// absolute URL in Location.
func (h *Handler) createPost(w http.ResponseWriter, r *http.Request, scopes []string, req request) error {
	ctx := r.Context()
	if err := requireScope(scopes, ScopeCreate); err != nil {
		return err
	}
	kind := KindNote
	if req.props.first(propName) != "" {
		kind = KindArticle
	}
	// The entry is validated before uploads are stored, so that a
	// rejected post leaves no orphan files.
	e, err := entryFromProperties(req.props, kind)
	if err != nil {
		return err
	}
	if err := requireContent(e, len(req.uploads)); err != nil {
		return err
	}
	for _, fh := range req.uploads {
		u, err := h.saveUpload(ctx, fh)
		if err != nil {
			return err
		}
		e.Photos = append(e.Photos, Photo{URL: u})
	}
	var u string
	if kind == KindArticle {
		u, err = h.Publisher.CreateArticle(ctx, e)
	} else {
		u, err = h.Publisher.CreateNote(ctx, e)
	}
	if err != nil {
		return publisherError("create "+kind, "", err)
	}
	w.Header().Set("Location", h.absoluteURL(u))
	w.WriteHeader(http.StatusCreated)
	return nil
}

// saveUpload stores one multipart photo through SaveMedia.
func (h *Handler) saveUpload(ctx context.Context, fh *multipart.FileHeader) (string, error) {
	if h.SaveMedia == nil {
		return "", invalidRequest("this site does not accept uploads")
	}
	f, err := fh.Open()
	if err != nil {
		return "", fmt.Errorf("open upload %q: %w", fh.Filename, err)
	}
	defer f.Close()
	u, err := h.SaveMedia(ctx, f, "")
	if err != nil {
		return "", h.mediaError(err)
	}
	return h.absoluteURL(u), nil
}

// mediaError maps a MediaSaver's error to the client's answer.
func (h *Handler) mediaError(err error) error {
	switch {
	case errors.Is(err, ErrTooLarge):
		return tooLarge("the image is larger than " + megabytes(h.maxMedia()))
	case errors.Is(err, ErrNotImage):
		return invalidRequest("the file is not an image this site can store (JPEG, PNG, GIF or WebP)")
	case errors.Is(err, ErrInvalid):
		return invalidRequest("%s", err.Error())
	}
	return fmt.Errorf("save media: %w", err)
}
