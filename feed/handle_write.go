package feed

import (
	"fmt"
	"net/http"
	"strings"

	"roost/templates"
)

// recentOnComposer is how many of the owner's notes the composer lists.
const recentOnComposer = 10

// composer builds the /write view around what was typed.
func (f *Feed) composer(r *http.Request, in NoteInput, problem string) (templates.Page, templates.NoteFormView, error) {
	p := f.cfg.Page(r, "Write a note")
	p.Section = "write"
	v := templates.NoteFormView{
		Heading: "Write a note", Action: "/notes", Submit: "Post",
		Text: in.Text, ContentWarning: in.ContentWarning, Visibility: in.Visibility, InReplyTo: in.InReplyTo,
		Limit: f.cfg.NoteLimit, Problem: problem, Slots: MaxMedia - len(in.Media), QuoteOf: in.QuoteOf,
	}
	for _, m := range in.Media {
		v.Pending = append(v.Pending, mediaView(m))
	}
	if in.QuoteOf != "" {
		v.Quote = f.quoteView(r.Context(), in.QuoteOf, p.Site)
	}
	if v.Visibility == "" {
		v.Visibility = f.PostingDefaults().Visibility
	}
	v.Poll = pollFormView(in.Poll)
	recent, err := f.Notes(r.Context(), recentOnComposer, 0, true)
	if err != nil {
		return p, v, err
	}
	v.Recent = noteViews(recent, p.Site)
	return p, v, nil
}

// showComposer is /write; ?reply_to=URL starts a reply, ?quote=URL a
// quote of that post.
func (f *Feed) showComposer(w http.ResponseWriter, r *http.Request) {
	var in NoteInput
	if to := strings.TrimSpace(r.URL.Query().Get("reply_to")); isWebURL(to) {
		in.InReplyTo = to
	}
	if q := strings.TrimSpace(r.URL.Query().Get("quote")); isWebURL(q) {
		in.QuoteOf = q
	}
	p, v, err := f.composer(r, in, "")
	if err != nil {
		f.serverError(w, r, err)
		return
	}
	// A reply shows what it answers and starts with the author's handle,
	// as Mastodon's reply box does. A parent roost never stored is only
	// linked.
	if in.InReplyTo != "" {
		if parent, perr := f.PostByObjectID(r.Context(), in.InReplyTo); perr == nil {
			v.Parent = &templates.ReplyParentView{AuthorName: parent.Author.Name, AuthorHandle: parent.Author.Handle, HTML: parent.HTML}
			if h := parent.Author.Handle; h != "" && !parent.Local && v.Text == "" {
				v.Text = h + " "
			}
		}
	}
	templates.Render(w, r, http.StatusOK, templates.NoteForm(p, v))
}

// createNote is POST /notes from the composer.
func (f *Feed) createNote(w http.ResponseWriter, r *http.Request) {
	form, err := f.readNoteForm(w, r)
	if err == nil {
		form.in.Media, err = f.keptMedia(r)
	}
	if err == nil {
		err = f.validate(normalize(withPlaceholders(form.in, len(form.uploads))))
	}
	// The chosen images are stored even when the note is refused: the form
	// comes back with them as pending images, to be posted when it is sent
	// again, so nothing the owner chose is lost.
	if _, _, owners := formProblem(err); err == nil || owners {
		saved, serr := f.saveUploads(r.Context(), form.uploads)
		form.in.Media = append(form.in.Media, saved...)
		if err == nil {
			err = serr
		}
	}
	var n Note
	if err == nil {
		n, err = f.Create(r.Context(), form.in)
	}
	if err != nil {
		f.composerProblem(w, r, form.in, err)
		return
	}
	http.Redirect(w, r, "/notes/"+formatID(n.ID), http.StatusSeeOther)
}

// composerProblem shows the composer again with what was typed and why it
// was not posted.
func (f *Feed) composerProblem(w http.ResponseWriter, r *http.Request, in NoteInput, err error) {
	status, message, ok := formProblem(err)
	if !ok {
		f.serverError(w, r, err)
		return
	}
	p, v, lerr := f.composer(r, in, message)
	if lerr != nil {
		f.serverError(w, r, lerr)
		return
	}
	templates.Render(w, r, status, templates.NoteForm(p, v))
}

// editView builds the edit form of a note; pending are the images added
// to it in a form that came back with an error.
func (f *Feed) editView(r *http.Request, n Note, in NoteInput, problem string, pending []Media) (templates.Page, templates.NoteFormView) {
	p := f.cfg.Page(r, "Edit note")
	p.Section = "write"
	v := templates.NoteFormView{
		Heading: "Edit note", Action: "/notes/" + formatID(n.ID) + "/edit", Submit: "Save",
		Text: in.Text, ContentWarning: in.ContentWarning, Visibility: n.Visibility, InReplyTo: in.InReplyTo,
		Limit: f.cfg.NoteLimit, Problem: problem, Editing: true, Slots: max(0, MaxMedia-len(n.Media)-len(pending)),
	}
	for _, m := range n.Media {
		v.Existing = append(v.Existing, mediaView(m))
	}
	for _, m := range pending {
		v.Pending = append(v.Pending, mediaView(m))
	}
	return p, v
}

// showEditForm is GET /notes/{id}/edit.
func (f *Feed) showEditForm(w http.ResponseWriter, r *http.Request) {
	n, ok := f.ownedNote(w, r)
	if !ok {
		return
	}
	in := NoteInput{Text: n.Text, ContentWarning: n.ContentWarning, InReplyTo: n.InReplyTo}
	p, v := f.editView(r, n, in, "", nil)
	templates.Render(w, r, http.StatusOK, templates.NoteForm(p, v))
}

// updateNote is POST /notes/{id}/edit. Existing images keep their place
// unless removed; their alt text may change; new ones are added after.
func (f *Feed) updateNote(w http.ResponseWriter, r *http.Request) {
	n, ok := f.ownedNote(w, r)
	if !ok {
		return
	}
	form, err := f.readNoteForm(w, r)
	var pending []Media
	if err == nil {
		pending, err = f.keptMedia(r)
	}
	if err == nil {
		for i, m := range n.Media {
			if r.PostFormValue(fmt.Sprintf("remove_%d", i)) != "" {
				continue
			}
			if alt, sent := r.PostForm[fmt.Sprintf("keep_alt_%d", i)]; sent {
				m.Alt = strings.TrimSpace(alt[0])
			}
			form.in.Media = append(form.in.Media, m)
		}
		form.in.Media = append(form.in.Media, pending...)
		form.in.Visibility = n.Visibility
		err = f.validate(normalize(withPlaceholders(form.in, len(form.uploads))))
	}
	// As in the composer, images added to a refused edit are kept.
	if _, _, owners := formProblem(err); err == nil || owners {
		added, serr := f.saveUploads(r.Context(), form.uploads)
		form.in.Media = append(form.in.Media, added...)
		pending = append(pending, added...)
		if err == nil {
			err = serr
		}
	}
	if err == nil {
		_, err = f.Update(r.Context(), n.ID, form.in)
	}
	if err != nil {
		status, message, ok := formProblem(err)
		if !ok {
			f.serverError(w, r, err)
			return
		}
		p, v := f.editView(r, n, form.in, message, pending)
		templates.Render(w, r, status, templates.NoteForm(p, v))
		return
	}
	http.Redirect(w, r, "/notes/"+formatID(n.ID), http.StatusSeeOther)
}

// showDeleteConfirm asks "Delete this note?" before anything is deleted.
func (f *Feed) showDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	n, ok := f.ownedNote(w, r)
	if !ok {
		return
	}
	p := f.cfg.Page(r, "Delete note")
	templates.Render(w, r, http.StatusOK, templates.NoteDeleteConfirm(p, noteView(n, p.Site)))
}

// deleteNote is POST /notes/{id}/delete. Only the confirm page's button
// (which sends confirm=yes) deletes; any other POST shows that page.
func (f *Feed) deleteNote(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("confirm") != "yes" {
		f.showDeleteConfirm(w, r)
		return
	}
	id, ok := noteID(r)
	if !ok {
		f.notFound(w, r)
		return
	}
	if err := f.Delete(r.Context(), id); err != nil {
		f.lookupError(w, r, err)
		return
	}
	http.Redirect(w, r, "/write", http.StatusSeeOther)
}

// ownedNote reads the {id} note for an owner page, answering the request
// when it cannot.
func (f *Feed) ownedNote(w http.ResponseWriter, r *http.Request) (Note, bool) {
	id, ok := noteID(r)
	if !ok {
		f.notFound(w, r)
		return Note{}, false
	}
	n, err := f.note(r.Context(), id, false)
	if err != nil {
		f.lookupError(w, r, err)
		return Note{}, false
	}
	return n, true
}
