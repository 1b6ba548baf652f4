package contacts

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"roost/templates"
)

// maxForm caps the owner's form posts; a note is the longest of them.
const maxForm = 64 << 10

// Routes registers the owner's contacts pages, all behind ownerOnly.
func (c *Contacts) Routes(mux Mux, ownerOnly func(http.Handler) http.Handler) {
	own := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, ownerOnly(h)) }
	own("GET /contacts", c.showContacts)
	own("GET /contacts/view", c.showContact)
	own("POST /contacts/follow", c.follow)
	own("POST /contacts/unfollow", c.actorAction("unfollowed", c.Unfollow))
	own("POST /contacts/approve", c.actorAction("approved", c.Approve))
	own("POST /contacts/reject", c.actorAction("rejected", c.Reject))
	own("POST /contacts/remove", c.actorAction("removed", c.RemoveFollower))
	own("POST /contacts/block", c.block)
	own("POST /contacts/unblock", c.actorAction("unblocked", c.Unblock))
	own("POST /contacts/block-domain", c.blockDomain)
	own("POST /contacts/unblock-domain", c.unblockDomain)
	own("POST /contacts/note", c.saveNote)
	own("POST /contacts/mute", c.actorAction("muted", func(ctx context.Context, id string) error { return c.Mute(ctx, id, true) }))
	own("POST /contacts/unmute", c.actorAction("unmuted", c.Unmute))
	own("POST /contacts/settings", c.saveSettings)
	own("GET /contacts/groups", c.showGroups)
	own("POST /contacts/groups", c.createGroup)
	own("POST /contacts/groups/rename", c.renameGroup)
	own("POST /contacts/groups/delete", c.deleteGroup)
	own("POST /contacts/groups/assign", c.assignGroups)
	own("GET /contacts/export.vcf", c.exportVCard)
	own("GET /contacts/export/{file}", c.exportCSV)
	own("POST /contacts/import", c.startImport)
	own("GET /contacts/import/{id}", c.showImport)
}

// flashes are the messages a redirect may ask for with ?done=; anything
// else is ignored so that a crafted link cannot put words on the page.
var flashes = map[string]string{
	"unfollowed":       "Unfollowed %s.",
	"approved":         "%s now follows you.",
	"rejected":         "Declined the request from %s.",
	"removed":          "%s no longer follows you.",
	"blocked":          "Blocked %s.",
	"unblocked":        "Unblocked %s.",
	"domain-blocked":   "Domain blocked.",
	"domain-unblocked": "Domain unblocked.",
	"note":             "Note saved.",
	"muted":            "Muted %s. Their posts no longer reach your timelines; they are not told.",
	"unmuted":          "Unmuted %s.",
	"settings":         "Settings saved.",
	"groups":           "Groups saved.",
}

// flash builds the message for a redirect's query: ?followed=ACTOR or
// ?done=CODE&actor=ACTOR. Names come from the database, never the query.
func (c *Contacts) flash(ctx context.Context, q url.Values) string {
	if id := q.Get("followed"); id != "" {
		ct, err := c.get(ctx, id)
		if err != nil {
			return ""
		}
		if ct.Following == StateAccepted {
			return "You follow " + ct.DisplayName() + "."
		}
		if ct.Locked {
			return "Follow request sent to " + ct.DisplayName() + ". They approve followers by hand."
		}
		return "Follow request sent to " + ct.DisplayName() + "."
	}
	format, ok := flashes[q.Get("done")]
	if !ok {
		return ""
	}
	if !strings.Contains(format, "%s") {
		return format
	}
	name := "the account"
	if ct, err := c.get(ctx, q.Get("actor")); err == nil {
		name = ct.DisplayName()
	}
	return strings.Replace(format, "%s", name, 1)
}

// redirectDone sends the browser back where the form came from (a contacts
// page only) with a flash.
func redirectDone(w http.ResponseWriter, r *http.Request, key, value, actorID string) {
	u, err := url.Parse(safeBack(r.PostFormValue("back")))
	if err != nil {
		u = &url.URL{Path: "/contacts"}
	}
	q := u.Query()
	page := q.Get("actor") // the contact page is addressed by its actor
	q.Del("followed")
	q.Del("done")
	q.Del("actor")
	q.Set(key, value)
	switch {
	case u.Path == "/contacts/view" && page != "":
		q.Set("actor", page)
	case key == "done" && actorID != "":
		q.Set("actor", actorID)
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// safeBack keeps redirects inside the contacts pages.
func safeBack(back string) string {
	if !strings.HasPrefix(back, "/contacts") {
		return "/contacts"
	}
	return templates.LocalPath(back, "/contacts")
}

// fail writes an error page; internal errors are logged, never shown.
func (c *Contacts) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, heading, text := http.StatusInternalServerError, "Something went wrong",
		"That did not work. Please try again in a moment."
	switch {
	case errors.Is(err, ErrNotFound):
		status, heading, text = http.StatusNotFound, "Not found", "There is no such contact, or nothing to change."
	case errors.Is(err, ErrSelf):
		status, heading, text = http.StatusUnprocessableEntity, "That is you", "You cannot do that to your own account."
	case errors.Is(err, ErrBadDomain):
		status, heading, text = http.StatusBadRequest, "Not a domain", "Type a domain name such as spam.example."
	case errors.Is(err, ErrStopping):
		status, heading, text = http.StatusServiceUnavailable, "Restarting", "The site is restarting. Please try again in a minute."
	default:
		slog.Error("contacts", "path", r.URL.Path, "err", err)
	}
	templates.Render(w, r, status, templates.Message(c.page(r, heading), status, heading, text))
}

func badRequest(c *Contacts, w http.ResponseWriter, r *http.Request, text string) {
	templates.Render(w, r, http.StatusBadRequest,
		templates.Message(c.page(r, "Bad request"), http.StatusBadRequest, "Bad request", text))
}
