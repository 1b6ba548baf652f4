package blog

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"roost/templates"
)

// showManage lists every post and page for the owner.
func (b *Blog) showManage(w http.ResponseWriter, r *http.Request) {
	list, err := b.All(r.Context())
	if err != nil {
		b.serverError(w, r, "manage", err)
		return
	}
	now := b.now()
	rows := make([]templates.BlogManageRow, len(list))
	for i, a := range list {
		row := templates.BlogManageRow{
			Title: a.Title, URL: "/blog/" + a.Slug, EditURL: "/blog/" + a.Slug + "/edit",
			DeleteURL: "/blog/" + a.Slug + "/delete", Status: "Published", Kind: "Post", Published: a.PublishedAt,
		}
		switch {
		case a.Draft:
			row.Status = "Draft"
		case !a.Due(now):
			row.Status = "Scheduled"
		}
		if a.Page {
			row.Kind = "Page"
		}
		rows[i] = row
	}
	templates.Render(w, r, http.StatusOK, templates.BlogManage(b.pageFor(r, "Posts and pages"), rows))
}

func (b *Blog) showEditor(w http.ResponseWriter, r *http.Request, status int, v templates.BlogEditor) {
	v.TimeZone = b.location().String()
	v.Autosave = v.Original == "" || v.Draft
	templates.Render(w, r, status, templates.BlogEditorPage(b.pageFor(r, v.Heading), v))
}

// showNew is the empty editor.
func (b *Blog) showNew(w http.ResponseWriter, r *http.Request) {
	v := templates.BlogEditor{}
	target(&v)
	b.showEditor(w, r, http.StatusOK, v)
}

// createArticle saves a new article and redirects to it.
func (b *Blog) createArticle(w http.ResponseWriter, r *http.Request) {
	if !b.parseForm(w, r, maxFormBytes) {
		return
	}
	in, v, err := readInput(r, b.location())
	target(&v)
	if err == nil {
		var a Article
		if a, err = b.Create(r.Context(), in); err == nil {
			http.Redirect(w, r, "/blog/"+a.Slug, http.StatusSeeOther)
			return
		}
	}
	b.refuse(w, r, v, err)
}

// refuse shows the editor again with what was typed and why it was not
// saved.
func (b *Blog) refuse(w http.ResponseWriter, r *http.Request, v templates.BlogEditor, err error) {
	var invalid *ValidationError
	switch {
	case errors.As(err, &invalid):
		v.Problem = invalid.Message
		b.showEditor(w, r, http.StatusUnprocessableEntity, v)
	case errors.Is(err, errBadForm):
		b.badRequest(w, r, http.StatusBadRequest, "The form could not be read.")
	case errors.Is(err, ErrNotFound):
		b.notFound(w, r)
	default:
		b.serverError(w, r, "save article", err)
	}
}

// showEdit is the editor filled with a saved article.
func (b *Blog) showEdit(w http.ResponseWriter, r *http.Request) {
	a, err := b.BySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		b.refuse(w, r, templates.BlogEditor{}, err)
		return
	}
	b.showEditor(w, r, http.StatusOK, editorFor(a, b.location()))
}

// saveEdit updates an article and redirects to it.
func (b *Blog) saveEdit(w http.ResponseWriter, r *http.Request) {
	a, err := b.BySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		b.refuse(w, r, templates.BlogEditor{}, err)
		return
	}
	if !b.parseForm(w, r, maxFormBytes) {
		return
	}
	in, v, err := readInput(r, b.location())
	v.Original = a.Slug
	target(&v)
	if err == nil {
		if a, err = b.Update(r.Context(), a.ID, in); err == nil {
			http.Redirect(w, r, "/blog/"+a.Slug, http.StatusSeeOther)
			return
		}
	}
	b.refuse(w, r, v, err)
}

// preview shows the editor again with the rendered Markdown below it; the
// editor's script gets the HTML alone, for the live preview.
func (b *Blog) preview(w http.ResponseWriter, r *http.Request) {
	if !b.parseForm(w, r, maxFormBytes) {
		return
	}
	_, v, err := readInput(r, b.location())
	if wantsJSON(r) {
		b.previewJSON(w, r, v.Body)
		return
	}
	if errors.Is(err, errBadForm) {
		b.refuse(w, r, v, err)
		return
	}
	target(&v)
	html, rerr := render(v.Body)
	if rerr != nil {
		b.serverError(w, r, "preview", rerr)
		return
	}
	v.PreviewHTML = html
	if v.PreviewHTML == "" {
		v.Notice = "There is nothing to preview yet."
	}
	b.showEditor(w, r, http.StatusOK, v)
}

// upload saves an image. The plain form shows the editor again with the
// image's Markdown appended to the text; the editor's script gets the
// Markdown as JSON and inserts it at the cursor itself.
func (b *Blog) upload(w http.ResponseWriter, r *http.Request) {
	if !b.parseFormOr(w, r, maxUploadBytes, "That picture could not be used: it is too large. Please choose a smaller file.") {
		return
	}
	asJSON := wantsJSON(r)
	_, v, err := readInput(r, b.location())
	if errors.Is(err, errBadForm) && !asJSON {
		b.refuse(w, r, v, err)
		return
	}
	target(&v)
	alt := strings.TrimSpace(r.PostForm.Get("alt"))
	u, status, problem := b.saveUpload(r, alt)
	switch {
	case problem != "" && asJSON:
		jsonProblem(w, status, problem)
	case problem != "":
		v.Problem = problem
		b.showEditor(w, r, status, v)
	case asJSON:
		writeJSON(w, http.StatusOK, map[string]string{"url": u, "markdown": imageMarkdown(alt, u)})
	default:
		if v.Body != "" {
			v.Body += "\n\n"
		}
		v.Body += imageMarkdown(alt, u) + "\n"
		v.Notice = "Image uploaded and added to the end of the text."
		b.showEditor(w, r, http.StatusOK, v)
	}
}

// saveUpload stores the form's image. On failure it gives the status and
// the sentence the owner sees instead of the URL.
func (b *Blog) saveUpload(r *http.Request, alt string) (u string, status int, problem string) {
	file, _, err := r.FormFile("image")
	if err != nil {
		return "", http.StatusBadRequest, "Choose an image file to upload."
	}
	defer file.Close()
	if b.saveImage == nil {
		return "", http.StatusNotImplemented, "Image uploads are not available on this site."
	}
	u, err = b.saveImage(r.Context(), file, alt)
	switch {
	case errors.Is(err, ErrImageTooLarge):
		return "", http.StatusRequestEntityTooLarge, pictureProblem(err, "it is too large. Please choose a smaller file")
	case errors.Is(err, ErrNotAnImage):
		return "", http.StatusUnsupportedMediaType, pictureProblem(err, "choose a JPEG, PNG, GIF or WebP file")
	case err != nil:
		logError(r, "save image", err)
		return "", http.StatusInternalServerError, "The image could not be saved. Please try again."
	}
	return u, http.StatusOK, ""
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

// confirmDelete is the step before deleting.
func (b *Blog) confirmDelete(w http.ResponseWriter, r *http.Request) {
	a, err := b.BySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		b.refuse(w, r, templates.BlogEditor{}, err)
		return
	}
	v := templates.BlogDelete{Title: a.Title, URL: "/blog/" + url.PathEscape(a.Slug), Action: "/blog/" + url.PathEscape(a.Slug) + "/delete"}
	templates.Render(w, r, http.StatusOK, templates.BlogDeletePage(b.pageFor(r, "Delete "+a.Title), v))
}

// deleteArticle deletes once the box is ticked and returns to the overview.
func (b *Blog) deleteArticle(w http.ResponseWriter, r *http.Request) {
	a, err := b.BySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		b.refuse(w, r, templates.BlogEditor{}, err)
		return
	}
	if !b.parseForm(w, r, maxFormBytes) {
		return
	}
	if r.PostForm.Get("confirm") != "yes" {
		b.badRequest(w, r, http.StatusBadRequest, "Tick “Yes, delete it” to delete the post.")
		return
	}
	if err := b.Delete(r.Context(), a.ID); err != nil {
		b.refuse(w, r, templates.BlogEditor{}, err)
		return
	}
	http.Redirect(w, r, "/blog/manage", http.StatusSeeOther)
}
