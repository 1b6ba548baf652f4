package mastodon

import (
	"net/http"
)

// maxThread bounds how far a conversation is walked in each direction.
const maxThread = 40

// Each post is taken once in either direction: remote posts may answer
// each other in a cycle, and walking every path through one would list
// the same posts over and over.

// statusContext is the thread around a status: its ancestors, oldest first,
// and the replies known here.
func (a *API) statusContext(w http.ResponseWriter, r *http.Request, t *token) {
	post, _, ok := a.statusParam(w, r, t)
	if !ok {
		return
	}
	owner := t != nil && t.owner
	fs := a.filtersIn(r.Context(), t, filterThread)
	seen := map[string]bool{post.ObjectID: true}
	var ancestors []Post
	parent := post.InReplyTo
	for i := 0; parent != "" && !seen[parent] && i < maxThread; i++ {
		seen[parent] = true
		p, err := a.postByObjectID(r.Context(), parent)
		if err != nil || !visible(p, owner) {
			break
		}
		if fs.hides(p) {
			parent = p.InReplyTo
			continue
		}
		ancestors = append([]Post{p}, ancestors...)
		parent = p.InReplyTo
	}
	var descendants []Post
	if a.cfg.Remote != nil {
		queue := []string{post.ObjectID}
		for len(queue) > 0 && len(descendants) < maxThread {
			replies, err := a.cfg.Remote.Replies(r.Context(), queue[0])
			queue = queue[1:]
			if err != nil {
				break
			}
			for _, p := range replies {
				if seen[p.ObjectID] || len(descendants) == maxThread {
					continue
				}
				seen[p.ObjectID] = true
				if visible(p, owner) && !fs.hides(p) {
					descendants = append(descendants, p)
					queue = append(queue, p.ObjectID)
				}
			}
		}
	}
	rd := a.newRenderer(r.Context()).filtering(fs)
	anc, err := rd.statuses(ancestors)
	if err != nil {
		fail(w, r, err)
		return
	}
	desc, err := rd.statuses(descendants)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string][]Status{"ancestors": anc, "descendants": desc})
}
