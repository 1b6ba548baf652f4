package contacts

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"roost/templates"
)

func (c *Contacts) showGroups(w http.ResponseWriter, r *http.Request) {
	c.renderGroups(w, r, http.StatusOK, templates.ContactGroupsView{Flash: groupFlashes[r.URL.Query().Get("done")]})
}

var groupFlashes = map[string]string{
	"created": "Group created.",
	"renamed": "Group renamed.",
	"deleted": "Group deleted. Its contacts stay in your book.",
}

func (c *Contacts) renderGroups(w http.ResponseWriter, r *http.Request, status int, v templates.ContactGroupsView) {
	groups, err := c.Groups(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	for _, g := range groups {
		v.Groups = append(v.Groups, templates.ContactGroup{ID: g.ID, Title: g.Title, Members: g.Members})
	}
	p := c.page(r, "Groups")
	p.Section = "contacts"
	templates.Render(w, r, status, templates.ContactGroupsPage(p, v))
}

// groupDone answers a group form: back to the groups page, or the page
// again with the problem when the title was empty or taken.
func (c *Contacts) groupDone(w http.ResponseWriter, r *http.Request, done string, err error) {
	switch {
	case err == nil:
		http.Redirect(w, r, "/contacts/groups?done="+done, http.StatusSeeOther)
	case errors.Is(err, ErrGroupTitle):
		c.renderGroups(w, r, http.StatusUnprocessableEntity, templates.ContactGroupsView{
			Problem: "A group needs a title that no other group has."})
	default:
		c.fail(w, r, err)
	}
}

func (c *Contacts) createGroup(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	_, err := c.CreateGroup(r.Context(), r.PostFormValue("title"))
	c.groupDone(w, r, "created", err)
}

func (c *Contacts) renameGroup(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if err != nil {
		badRequest(c, w, r, "Which group? The form had none.")
		return
	}
	c.groupDone(w, r, "renamed", c.RenameGroup(r.Context(), id, r.PostFormValue("title")))
}

func (c *Contacts) deleteGroup(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	id, err := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	if err != nil {
		badRequest(c, w, r, "Which group? The form had none.")
		return
	}
	c.groupDone(w, r, "deleted", c.DeleteGroup(r.Context(), id))
}

// assignGroups saves the group checkboxes of a contact page, creating the
// group typed in "new_group" on the way.
func (c *Contacts) assignGroups(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	ctx := r.Context()
	actorID := strings.TrimSpace(r.PostFormValue("actor"))
	if actorID == "" {
		badRequest(c, w, r, "Which account? The form had no actor.")
		return
	}
	var ids []int64
	for _, s := range r.PostForm["group"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	if title := strings.TrimSpace(r.PostFormValue("new_group")); title != "" {
		g, err := c.ensureGroup(ctx, title)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		ids = append(ids, g.ID)
	}
	if err := c.SetGroupsOf(ctx, actorID, ids); err != nil {
		c.fail(w, r, err)
		return
	}
	r.PostForm.Set("back", templates.ContactViewURL(actorID))
	redirectDone(w, r, "done", "groups", actorID)
}

// saveSettings stores whether new followers wait for approval.
func (c *Contacts) saveSettings(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if c.setApproves == nil {
		c.fail(w, r, ErrNotFound)
		return
	}
	manual := r.PostFormValue("manually_approves") != ""
	if err := c.setApproves(r.Context(), manual); err != nil {
		c.fail(w, r, err)
		return
	}
	r.PostForm.Set("back", "/contacts")
	redirectDone(w, r, "done", "settings", "")
}
