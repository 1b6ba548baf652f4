package contacts

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"roost/templates"
)

func (c *Contacts) follow(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	handle := strings.TrimSpace(r.PostFormValue("handle"))
	if handle == "" {
		v := templates.ContactsView{Problem: "Type a handle, a domain or the address of a profile to follow."}
		c.renderContacts(w, r, http.StatusBadRequest, templates.ContactsTabFollowing, v)
		return
	}
	ct, err := c.Follow(r.Context(), handle)
	if err == nil {
		redirectDone(w, r, "followed", ct.Key(), "")
		return
	}
	v := templates.ContactsView{Handle: handle}
	var rerr *ResolveError
	var ferr *ErrFeedOnly
	switch {
	case errors.As(err, &rerr):
		v.Problem = "Could not find a fediverse account for “" + handle + "”."
		v.Tried = rerr.Tried
		if len(v.Tried) == 0 {
			v.Problem += " A handle looks like @bob@example.social, a domain like friend.com, and a URL starts with https://."
		}
	case errors.As(err, &ferr):
		v.Problem = "“" + handle + "” is a site with feeds but no fediverse account, and its feed could not be read."
		v.Feeds = ferr.Feeds
	case errors.Is(err, ErrSelf):
		v.Problem = "That is your own account."
	case errors.Is(err, ErrBlocked):
		v.Problem = "You blocked that account or its domain. Unblock it first to follow it."
	default:
		slog.Error("contacts: follow", "handle", handle, "err", err)
		v.Problem = "The follow request could not be sent. Please try again in a moment."
		c.renderContacts(w, r, http.StatusInternalServerError, templates.ContactsTabFollowing, v)
		return
	}
	c.renderContacts(w, r, http.StatusUnprocessableEntity, templates.ContactsTabFollowing, v)
}

// actorAction is a POST that changes one relationship with the account in
// the field "actor" and returns to the page it came from.
func (c *Contacts) actorAction(done string, act func(context.Context, string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxForm)
		actorID := strings.TrimSpace(r.PostFormValue("actor"))
		if actorID == "" {
			badRequest(c, w, r, "Which account? The form had no actor.")
			return
		}
		if err := act(r.Context(), actorID); err != nil {
			c.fail(w, r, err)
			return
		}
		redirectDone(w, r, "done", done, actorID)
	}
}

func (c *Contacts) blockDomain(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if strings.TrimSpace(r.PostFormValue("domain")) == "" {
		badRequest(c, w, r, "Which domain? The form had none.")
		return
	}
	if _, err := c.BlockDomain(r.Context(), r.PostFormValue("domain")); err != nil {
		c.fail(w, r, err)
		return
	}
	if r.PostFormValue("back") == "" {
		r.PostForm.Set("back", "/contacts?tab="+templates.ContactsTabBlocked)
	}
	redirectDone(w, r, "done", "domain-blocked", "")
}

func (c *Contacts) unblockDomain(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if strings.TrimSpace(r.PostFormValue("domain")) == "" {
		badRequest(c, w, r, "Which domain? The form had none.")
		return
	}
	if err := c.UnblockDomain(r.Context(), r.PostFormValue("domain")); err != nil {
		c.fail(w, r, err)
		return
	}
	r.PostForm.Set("back", "/contacts?tab="+templates.ContactsTabBlocked)
	redirectDone(w, r, "done", "domain-unblocked", "")
}

func (c *Contacts) saveNote(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	actorID := strings.TrimSpace(r.PostFormValue("actor"))
	if actorID == "" {
		badRequest(c, w, r, "Which account? The form had no actor.")
		return
	}
	if err := c.SetNote(r.Context(), actorID, r.PostFormValue("note")); err != nil {
		c.fail(w, r, err)
		return
	}
	r.PostForm.Set("back", templates.ContactViewURL(actorID))
	redirectDone(w, r, "done", "note", actorID)
}
