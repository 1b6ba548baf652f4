package contacts

import (
	"errors"
	"net/http"
	"strings"

	"roost/templates"
)

// showContact shows one account. An account the book has not met yet (a
// link from the home timeline, say) is fetched and kept, so every author
// can be looked at, noted and followed from here.
func (c *Contacts) showContact(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	actorID := r.URL.Query().Get("actor")
	if !strings.HasPrefix(actorID, "https://") && !strings.HasPrefix(actorID, "http://") {
		badRequest(c, w, r, "Which account? The address names none.")
		return
	}
	ct, err := c.Get(ctx, actorID)
	if errors.Is(err, ErrNotFound) {
		if a, ferr := c.net.FetchActor(ctx, actorID, false); ferr == nil && a != nil && a.ID == actorID {
			if _, err = c.saveActor(ctx, a); err == nil {
				ct, err = c.Get(ctx, actorID)
			}
		}
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p := c.page(r, ct.DisplayName())
	p.Section = "contacts"
	templates.Render(w, r, http.StatusOK, templates.ContactPage(p, item(ct, ""), c.flash(ctx, r.URL.Query())))
}
