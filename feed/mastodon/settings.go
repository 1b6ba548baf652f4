package mastodon

import (
	"net/http"
	"strings"

	"roost/templates"
)

// otherTokenPrefix marks, in the revoke form, a token of Config.OtherTokens
// rather than a Mastodon app's id.
const otherTokenPrefix = "token-"

// OtherTokenID is the form id of one of Config.OtherTokens' tokens.
func OtherTokenID(id string) string { return otherTokenPrefix + id }

// showApps is the owner's list of authorized apps.
func (a *API) showApps(w http.ResponseWriter, r *http.Request) {
	list, err := a.authorizedApps(r.Context())
	p := a.page(r, "Authorized apps")
	if err != nil {
		templates.Render(w, r, http.StatusInternalServerError, templates.Message(p, http.StatusInternalServerError, "Something went wrong", "The apps could not be listed."))
		return
	}
	rows := make([]templates.OAuthApp, len(list))
	for i, x := range list {
		rows[i] = templates.OAuthApp{ID: idString(x.App.ID), Name: x.App.Name, Website: x.App.Website,
			Scopes: x.Scopes, Since: x.Since}
	}
	if a.cfg.OtherTokens != nil {
		others, err := a.cfg.OtherTokens(r.Context())
		if err != nil {
			templates.Render(w, r, http.StatusInternalServerError, templates.Message(p, http.StatusInternalServerError, "Something went wrong", "The apps could not be listed."))
			return
		}
		rows = append(rows, others...)
	}
	templates.Render(w, r, http.StatusOK, templates.OAuthApps(p, rows))
}

// revokeAppForm ends every token of an app; the app must log in again.
func (a *API) revokeAppForm(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r) {
		return
	}
	if other, ok := strings.CutPrefix(r.PostForm.Get("app_id"), otherTokenPrefix); ok && a.cfg.RevokeOtherToken != nil {
		if err := a.cfg.RevokeOtherToken(r.Context(), other); err != nil {
			http.Error(w, "no such token", http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, "/settings/apps", http.StatusSeeOther)
		return
	}
	id, ok := parseID(r.PostForm.Get("app_id"))
	if !ok {
		http.Error(w, "no such app", http.StatusBadRequest)
		return
	}
	if err := a.revokeApp(r.Context(), id); err != nil {
		p := a.page(r, "Authorized apps")
		templates.Render(w, r, http.StatusInternalServerError, templates.Message(p, http.StatusInternalServerError, "Something went wrong", "The app could not be revoked."))
		return
	}
	http.Redirect(w, r, "/settings/apps", http.StatusSeeOther)
}
