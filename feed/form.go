package feed

import (
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
)

// upload is one image chosen in the composer, not yet saved.
type upload struct {
	header *multipart.FileHeader
	alt    string
}

// noteForm is what the composer sent.
type noteForm struct {
	in      NoteInput
	uploads []upload
}

// readNoteForm parses the composer, multipart (with images) or urlencoded.
// The body is capped first: a too large form is a 413, not a full disk.
func (f *Feed) readNoteForm(w http.ResponseWriter, r *http.Request) (noteForm, error) {
	r.Body = http.MaxBytesReader(w, r.Body, f.cfg.MaxUploadBytes)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(8 << 20)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return noteForm{}, fmt.Errorf("read note form: %w", ErrImageTooLarge)
		}
		return noteForm{}, invalid("The form could not be read.")
	}
	nf := noteForm{in: NoteInput{
		Text:           r.PostFormValue("text"),
		ContentWarning: r.PostFormValue("content_warning"),
		Visibility:     r.PostFormValue("visibility"),
		InReplyTo:      r.PostFormValue("in_reply_to"),
		QuoteOf:        strings.TrimSpace(r.PostFormValue("quote_of")),
		Language:       r.PostFormValue("language"),
	}}
	// The images first: a form refused for its poll still keeps them.
	if r.MultipartForm != nil {
		for i := range MaxMedia {
			files := r.MultipartForm.File[fmt.Sprintf("media_%d", i)]
			if len(files) == 0 || files[0].Size == 0 {
				continue // an empty file input still sends an empty part
			}
			nf.uploads = append(nf.uploads, upload{header: files[0], alt: strings.TrimSpace(r.PostFormValue(fmt.Sprintf("alt_%d", i)))})
		}
	}
	if nf.in.Poll, err = readPollForm(r); err != nil {
		return nf, err
	}
	return nf, nil
}

// keptMedia are the images a refused composer form stored and showed
// again: each comes back as pending_media_N (its URL) with pending_alt_N,
// unless pending_remove_N is ticked.
func (f *Feed) keptMedia(r *http.Request) ([]Media, error) {
	var out []Media
	for i := range MaxMedia {
		u := strings.TrimSpace(r.PostFormValue(fmt.Sprintf("pending_media_%d", i)))
		if u == "" || r.PostFormValue(fmt.Sprintf("pending_remove_%d", i)) != "" {
			continue
		}
		if f.cfg.PendingImage == nil {
			return nil, invalid("Image uploads are not available on this site.")
		}
		m, err := f.cfg.PendingImage(r.Context(), u)
		if err != nil {
			return nil, invalid("An image chosen earlier is no longer on the site. Please choose it again.")
		}
		m.Alt = strings.TrimSpace(r.PostFormValue(fmt.Sprintf("pending_alt_%d", i)))
		out = append(out, m)
	}
	return out, nil
}

// withPlaceholders is the input with one empty image per upload, so that
// the text can be validated before any image is stored.
func withPlaceholders(in NoteInput, uploads int) NoteInput {
	in.Media = append([]Media(nil), in.Media...)
	for range uploads {
		in.Media = append(in.Media, Media{URL: "/placeholder"})
	}
	return in
}

// saveUploads stores the images through the injected SaveImage. On an
// error it still returns the images stored before it.
func (f *Feed) saveUploads(ctx context.Context, uploads []upload) ([]Media, error) {
	if len(uploads) == 0 {
		return nil, nil
	}
	if f.cfg.SaveImage == nil {
		return nil, invalid("Image uploads are not available on this site.")
	}
	var out []Media
	for _, u := range uploads {
		file, err := u.header.Open()
		if err != nil {
			return out, fmt.Errorf("open upload: %w", err)
		}
		m, err := f.cfg.SaveImage(ctx, file, u.alt)
		file.Close()
		if err != nil {
			return out, fmt.Errorf("save upload %q: %w", u.header.Filename, err)
		}
		if m.Alt == "" {
			m.Alt = u.alt
		}
		out = append(out, m)
	}
	return out, nil
}

// formProblem maps an error from reading or saving a note to the status
// and the sentence the composer shows. ok is false for errors that are not
// the owner's to fix.
func formProblem(err error) (status int, message string, ok bool) {
	var v *ValidationError
	switch {
	case errors.As(err, &v):
		return http.StatusBadRequest, v.Message, true
	case errors.Is(err, ErrImageTooLarge):
		return http.StatusRequestEntityTooLarge, pictureProblem(err, "it is too large. Please choose a smaller file"), true
	case errors.Is(err, ErrNotAnImage):
		return http.StatusBadRequest, pictureProblem(err, "choose a JPEG, PNG, GIF or WebP file"), true
	}
	return http.StatusInternalServerError, "", false
}

// pictureProblem says in plain words why an image was refused: the reason
// SaveImage gives (its error's Reason, the site's limits in them), else
// the fallback.
func pictureProblem(err error, fallback string) string {
	var plain interface{ Reason() string }
	if errors.As(err, &plain) {
		return "That picture could not be used: " + plain.Reason() + "."
	}
	return "That picture could not be used: " + fallback + "."
}
