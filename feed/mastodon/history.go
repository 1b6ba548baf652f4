package mastodon

import (
	"net/http"
)

// StatusEdit is Mastodon's StatusEdit: one version of a status.
type StatusEdit struct {
	Content          string       `json:"content"`
	SpoilerText      string       `json:"spoiler_text"`
	Sensitive        bool         `json:"sensitive"`
	CreatedAt        string       `json:"created_at"`
	Account          Account      `json:"account"`
	Poll             any          `json:"poll"`
	MediaAttachments []Attachment `json:"media_attachments"`
	Emojis           []any        `json:"emojis"`
}

// statusHistory lists the versions of a status, oldest first, ending with
// the current one. The feed room keeps earlier versions of other people's
// posts and of the owner's notes; articles keep none, so their history is
// the current version alone.
func (a *API) statusHistory(w http.ResponseWriter, r *http.Request, t *token) {
	post, kind, ok := a.statusParam(w, r, t)
	if !ok {
		return
	}
	if post.Reblog != nil {
		post = *post.Reblog
	}
	s, err := a.newRenderer(r.Context()).one(post)
	if err != nil {
		fail(w, r, err)
		return
	}
	current := StatusEdit{Content: s.Content, SpoilerText: s.SpoilerText, Sensitive: s.Sensitive, CreatedAt: s.CreatedAt,
		Account: s.Account, MediaAttachments: s.MediaAttachments, Emojis: s.Emojis}
	if s.EditedAt != nil {
		current.CreatedAt = *s.EditedAt
	}
	var out []StatusEdit
	if kind == kindNote {
		edits, err := a.cfg.Feed.NoteEdits(r.Context(), post.ID)
		if err != nil {
			fail(w, r, err)
			return
		}
		for _, e := range edits {
			out = append(out, StatusEdit{Content: e.HTML, SpoilerText: e.ContentWarning, Sensitive: s.Sensitive || e.ContentWarning != "",
				CreatedAt: timeJSON(e.Created), Account: s.Account, MediaAttachments: s.MediaAttachments, Emojis: []any{}})
		}
	}
	if kind == kindRemote && a.cfg.Remote != nil {
		edits, err := a.cfg.Remote.Edits(r.Context(), post.ID)
		if err != nil && !isNotFound(err) {
			fail(w, r, err)
			return
		}
		for _, e := range edits {
			// Earlier versions keep no attachments of their own, so each
			// shows the current ones rather than none: apps would otherwise
			// show every edit as removing them.
			out = append(out, StatusEdit{Content: e.ContentHTML, SpoilerText: e.Summary,
				Sensitive: e.Sensitive || e.Summary != "", CreatedAt: timeJSON(e.Created),
				Account: s.Account, MediaAttachments: s.MediaAttachments, Emojis: []any{}})
		}
	}
	writeJSON(w, http.StatusOK, append(out, current))
}
