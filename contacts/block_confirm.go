package contacts

import (
	"net/http"
	"strings"

	"roost/templates"
)

// block is POST /contacts/block. Blocking ends follows both ways and hides
// the account's posts, so the Block buttons lead to a page that says so;
// only that page's button (confirm=yes) blocks.
func (c *Contacts) block(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if r.PostFormValue("confirm") == "yes" {
		c.actorAction("blocked", c.Block)(w, r)
		return
	}
	actorID := strings.TrimSpace(r.PostFormValue("actor"))
	if !isWebURL(actorID) {
		badRequest(c, w, r, "Which account? The form had no actor.")
		return
	}
	v := templates.BlockConfirmView{ActorID: actorID, Name: actorID, Back: safeBack(r.PostFormValue("back"))}
	if ct, err := c.Get(r.Context(), actorID); err == nil {
		v.Name, v.Handle = ct.DisplayName(), ct.Handle
	}
	p := c.page(r, "Block "+v.Name)
	p.Section = "contacts"
	templates.Render(w, r, http.StatusOK, templates.BlockConfirm(p, v))
}
