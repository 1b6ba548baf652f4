package mastodon

import (
	"net/http"

	"roost/federation/vocab"
)

// maxReactedBy is the most accounts favourited_by and reblogged_by answer;
// Mastodon pages them by 40 and allows 80.
const maxReactedBy = 80

// reactedBy lists the accounts that favourited or reblogged a status, from
// the reactions the feed room recorded (the owner's own among them).
func (a *API) reactedBy(kind string) func(http.ResponseWriter, *http.Request, *token) {
	return func(w http.ResponseWriter, r *http.Request, t *token) {
		post, _, ok := a.statusParam(w, r, t)
		if !ok {
			return
		}
		p, ok := a.readParams(w, r)
		if !ok {
			return
		}
		if post.Reblog != nil {
			post = *post.Reblog
		}
		if a.cfg.Remote == nil || post.ObjectID == "" {
			writeJSON(w, http.StatusOK, []Account{})
			return
		}
		actors, err := a.cfg.Remote.ReactedBy(r.Context(), post.ObjectID, kind)
		if err != nil {
			fail(w, r, err)
			return
		}
		limit := p.integer("limit", maxLimit)
		if limit <= 0 || limit > maxReactedBy {
			limit = maxReactedBy
		}
		if len(actors) > limit {
			actors = actors[:limit]
		}
		a.writeAccounts(w, r, actors)
	}
}

// accountsOf renders actors, the owner as the owner's account.
func (a *API) accountsOf(r *http.Request, actors []*vocab.Actor) ([]Account, error) {
	ids := make([]string, 0, len(actors))
	for _, act := range actors {
		if act.ID != a.cfg.ActorID {
			ids = append(ids, act.ID)
		}
	}
	m, err := a.accountIDs(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	out := make([]Account, 0, len(actors))
	for _, act := range actors {
		if act.ID == a.cfg.ActorID {
			o, _, err := a.ownerAccount(r.Context())
			if err != nil {
				return nil, err
			}
			out = append(out, o)
			continue
		}
		out = append(out, a.remoteAccount(m[act.ID], act))
	}
	return out, nil
}
