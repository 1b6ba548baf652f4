package feed

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"roost/federation"
	"roost/federation/vocab"
	"roost/templates"
)

// notesPerPage is the length of /notes/ and tag pages, and of the front
// page's list.
const notesPerPage = 20

// frontPageArticles is how many blog articles the front page lists.
const frontPageArticles = 5

// showFrontPage is "/": the owner's profile, latest public notes and
// articles. (The owner's actor has the same address; cmd/roost answers
// ActivityStreams requests for "/" before they reach this handler.)
func (f *Feed) showFrontPage(w http.ResponseWriter, r *http.Request) {
	f.renderFrontPage(w, r, http.StatusOK, "")
}

// renderFrontPage shows "/"; followProblem, when set, says why a visitor's
// remote follow did not go through.
func (f *Feed) renderFrontPage(w http.ResponseWriter, r *http.Request, status int, followProblem string) {
	ctx := r.Context()
	p := f.cfg.Page(r, "")
	p.Canonical = f.base + "/"
	p.Alternates = feedAlternates(f.base+"/feed", p.Site.Name)
	p.Micropub = f.base + "/micropub"
	p.IndieAuth = f.base
	p.Section = "profile"

	notes, err := f.publicNotes(ctx, notesPerPage, 0)
	if err != nil {
		f.serverError(w, r, err)
		return
	}
	v := templates.FrontPageView{
		Profile: templates.ProfileView{Name: p.Site.Name, Handle: p.Site.Handle, LongHandle: p.Site.LongHandle, AvatarURL: p.Site.AvatarURL},
		Notes:   noteViews(notes, p.Site),
	}
	if f.cfg.Profile != nil {
		// The front page still works without the profile: the frame knows
		// the owner's name.
		if o, err := f.cfg.Profile(ctx); err != nil {
			slog.ErrorContext(ctx, "front page profile", "err", err)
		} else {
			v.Profile = profileView(o, v.Profile)
			p.Description = o.Name
		}
	}
	if f.cfg.Articles != nil {
		articles, err := f.cfg.Articles.LatestArticles(ctx, frontPageArticles)
		if err != nil {
			slog.ErrorContext(ctx, "front page articles", "err", err)
		}
		for _, a := range articles {
			v.Articles = append(v.Articles, templates.ArticleLinkView{Title: a.Title, URL: a.URL, Summary: a.Summary, Published: a.Published})
		}
	}
	if !p.Site.IsOwner && f.cfg.InteractionURL != nil {
		v.Profile.FollowURL = "/remote-follow"
		v.Profile.FollowProblem = followProblem
	}
	templates.Render(w, r, status, templates.FrontPage(p, v))
}

func profileView(o Owner, fallback templates.ProfileView) templates.ProfileView {
	v := templates.ProfileView{Name: o.Name, Handle: o.Handle, LongHandle: o.LongHandle, BioHTML: o.BioHTML, AvatarURL: o.AvatarURL, HeaderURL: o.HeaderURL,
		MovedTo: o.MovedTo}
	if v.Name == "" {
		v.Name = fallback.Name
	}
	if v.Handle == "" {
		v.Handle, v.LongHandle = fallback.Handle, fallback.LongHandle
	}
	if v.AvatarURL == "" {
		v.AvatarURL = fallback.AvatarURL
	}
	for _, fl := range o.Fields {
		pf := templates.ProfileField{Name: fl.Name, Value: fl.Value}
		if isWebURL(fl.Value) {
			pf.URL = fl.Value
		}
		v.Fields = append(v.Fields, pf)
	}
	return v
}

// showNotes is /notes/: public and unlisted notes, 20 a page, older pages
// by ?before=<id>.
func (f *Feed) showNotes(w http.ResponseWriter, r *http.Request) {
	before, _ := parseID(r.URL.Query().Get("before"))
	p := f.cfg.Page(r, "Notes")
	// The owner also sees their followers-only notes here, marked as such;
	// direct messages stay in their conversations.
	vis := pagedVisibilities
	if p.Site.IsOwner {
		vis = ownerPagedVisibilities
	}
	notes, err := f.list(r.Context(), listQuery{visibilities: vis, limit: notesPerPage + 1, before: before})
	if err != nil {
		f.serverError(w, r, err)
		return
	}
	p.Section = "notes"
	p.Canonical = f.base + "/notes/"
	p.Alternates = feedAlternates(f.base+"/notes/feed", "Notes")
	v := templates.NoteListView{Heading: "Notes", Empty: "No notes yet."}
	v.Notes, v.OlderURL = pageOf(notes, p.Site, "/notes/?before=")
	if err := f.nameReplyTargets(r.Context(), v.Notes, p.Site); err != nil {
		f.serverError(w, r, err)
		return
	}
	templates.Render(w, r, http.StatusOK, templates.NoteList(p, v))
}

// pageOf cuts the extra note that tells whether an older page exists.
func pageOf(notes []Note, site templates.Site, olderPrefix string) ([]templates.NoteView, string) {
	older := ""
	if len(notes) > notesPerPage {
		notes = notes[:notesPerPage]
		older = olderPrefix + formatID(notes[len(notes)-1].ID)
	}
	return noteViews(notes, site), older
}

// showTag is /tags/{tag}: the public notes with that hashtag.
func (f *Feed) showTag(w http.ResponseWriter, r *http.Request) {
	tag := strings.ToLower(strings.TrimPrefix(r.PathValue("tag"), "#"))
	before, _ := parseID(r.URL.Query().Get("before"))
	notes, err := f.Tagged(r.Context(), tag, notesPerPage+1, before)
	if err != nil {
		f.serverError(w, r, err)
		return
	}
	p := f.cfg.Page(r, "#"+tag)
	p.Section = "notes"
	p.Canonical = f.TagURL(tag)
	v := templates.NoteListView{Heading: "#" + tag, Empty: "No notes with this tag."}
	v.Notes, v.OlderURL = pageOf(notes, p.Site, "/tags/"+tagPath(tag)+"?before=")
	templates.Render(w, r, http.StatusOK, templates.NoteList(p, v))
}

// showNote is a note's page, or its ActivityStreams Note for peers. It
// reads the note row and its media, nothing else, unless a peer asks for
// the object (which needs the tags and mentions).
func (f *Feed) showNote(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	id, ok := noteID(r)
	if !ok {
		f.notFound(w, r)
		return
	}
	if federation.WantsActivityJSON(r) {
		f.serveNoteObject(w, r, id)
		return
	}
	n, err := f.note(r.Context(), id, false)
	if err != nil {
		f.lookupError(w, r, err)
		return
	}
	p := f.cfg.Page(r, noteTitle(n))
	if !visibleTo(n, p.Site.IsOwner) {
		f.notFound(w, r)
		return
	}
	p.Section = "notes"
	p.Canonical = n.URL
	p.Description = noteTitle(n)
	p.Alternates = append(p.Alternates, templates.Alternate{Type: vocab.ContentTypeActivity, Title: "ActivityStreams", Href: n.URL})
	// The replies count is kept as replies arrive, so a note nobody
	// answered costs no thread queries.
	var replies []replyNode
	if n.Replies > 0 {
		var err error
		if replies, err = f.replyTree(r.Context(), n.URL, p.Site.IsOwner); err != nil {
			f.serverError(w, r, err)
			return
		}
	}
	back := "/notes/" + formatID(n.ID)
	nv := noteView(n, p.Site)
	nv.Card = f.noteCard(r.Context(), n)
	one := []templates.NoteView{nv}
	if err := f.nameReplyTargets(r.Context(), one, p.Site); err != nil {
		f.serverError(w, r, err)
		return
	}
	nv = one[0]
	nv.Quote = f.quoteView(r.Context(), n.QuoteOf, f.QuoteState(r.Context(), f.notePost(n)), p.Site)
	if p.Site.IsOwner {
		if nv.Quotes, err = f.quotingViews(r.Context(), n, p.Site); err != nil {
			f.serverError(w, r, err)
			return
		}
	}
	if f.cfg.NoteWebmentions != nil {
		// Webmention discovery; the HTML <link> comes with every page's frame.
		w.Header().Add("Link", "<"+f.base+`/webmention>; rel="webmention"`)
		if nv.Webmentions, err = f.cfg.NoteWebmentions(r.Context(), n.URL, p.Site.IsOwner); err != nil {
			f.serverError(w, r, err)
			return
		}
	}
	templates.Render(w, r, http.StatusOK, templates.NotePage(p, nv, f.threadNodes(replies, p.Site, p.Site.IsOwner, back)))
}

// threadNodes prepares a reply tree for the templates.
func (f *Feed) threadNodes(nodes []replyNode, site templates.Site, actions bool, back string) []templates.ThreadNode {
	out := make([]templates.ThreadNode, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, templates.ThreadNode{
			Post:     f.postView(n.post, site, actions, back),
			Children: f.threadNodes(n.children, site, actions, back),
		})
	}
	return out
}

// serveReplies is a note's replies collection: the ids of the public and
// unlisted replies the site has. (Unlisted posts are fetchable by anyone
// with the link, and Mastodon lists them too.) Browsers go to the note.
func (f *Feed) serveReplies(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	id, ok := noteID(r)
	if !ok {
		f.notFound(w, r)
		return
	}
	n, err := f.note(r.Context(), id, false)
	if err != nil {
		f.lookupError(w, r, err)
		return
	}
	if !federation.WantsActivityJSON(r) {
		http.Redirect(w, r, "/notes/"+formatID(id), http.StatusSeeOther)
		return
	}
	if !visibleTo(n, false) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	ids, err := f.replyIRIs(r.Context(), f.db, n.URL)
	if err != nil {
		f.serverError(w, r, err)
		return
	}
	writeReplies(w, r, n.URL+"/replies", ids)
}

// serveNoteObject answers a peer: the Note, 410 with a Tombstone after a
// delete, 404 for notes that are not for everyone (a signed fetch by a
// follower could see followers-only notes; roost does not offer that yet).
func (f *Feed) serveNoteObject(w http.ResponseWriter, r *http.Request, id int64) {
	n, err := f.note(r.Context(), id, true)
	var g goneError
	switch {
	case errors.As(err, &g):
		body, merr := vocab.MarshalTombstone(f.NoteURL(id), vocab.TypeNote, g.deleted)
		if merr != nil {
			f.serverError(w, r, merr)
			return
		}
		writeActivityJSON(w, http.StatusGone, body)
		return
	case err != nil:
		f.lookupError(w, r, err)
		return
	case !visibleTo(n, false):
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	o, err := f.objectWithReplies(r.Context(), f.db, n)
	if err != nil {
		f.serverError(w, r, err)
		return
	}
	body, err := vocab.MarshalObject(o)
	if err != nil {
		f.serverError(w, r, err)
		return
	}
	writeActivityJSON(w, http.StatusOK, body)
}

func writeActivityJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", vocab.ContentTypeActivity)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// noteTitle is a short plain title for a note's page: its content warning,
// or the start of its text.
func noteTitle(n Note) string {
	if n.ContentWarning != "" {
		return n.ContentWarning
	}
	text := strings.Join(strings.Fields(n.Text), " ")
	if text == "" {
		return "Note"
	}
	runes := []rune(text)
	if len(runes) > 60 {
		return string(runes[:60]) + "…"
	}
	return text
}
