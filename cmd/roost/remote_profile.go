package main

import (
	"net/http"
	"net/url"
	"strings"

	"roost/templates"
)

// remoteProfile answers /@user@host (and /@domain), the address Mastodon
// users type for someone's profile: the owner lands on that person's page
// in the contacts book, which shows their recent posts and the follow and
// block buttons. Go's ServeMux cannot match "/@{handle}", so negotiateRoot
// hands these paths here.
func (s *site) remoteProfile(w http.ResponseWriter, r *http.Request) {
	handle := strings.TrimPrefix(r.URL.Path, "/")
	if strings.Count(handle, "@") == 1 && !strings.Contains(handle, ".") {
		// "/@alice" without a host is the owner's own name.
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	actor, err := s.resolveActor(r.Context(), handle)
	if err != nil {
		p := s.page(r, "Not found")
		templates.Render(w, r, http.StatusNotFound, templates.Message(p, http.StatusNotFound,
			"No such account", "Nothing on the fediverse answers to "+handle+"."))
		return
	}
	if actor.ID == s.fed.ActorID() {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/contacts/view?actor="+url.QueryEscape(actor.ID), http.StatusSeeOther)
}
