package mastodon

import (
	"net/http"

	"roost/federation/vocab"
)

// familiarFollowers answers GET /api/v1/accounts/familiar_followers: for
// each id[], the accounts the owner follows that follow that account. The
// site knows who follows the owner, so the owner's own entry lists the
// mutual follows; who follows someone else lives on their server, which
// many do not tell, so those entries are empty, as Mastodon's are for an
// account nobody one follows follows.
func (a *API) familiarFollowers(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	type familiar struct {
		ID       string    `json:"id"`
		Accounts []Account `json:"accounts"`
	}
	out := []familiar{}
	for _, id := range p.list("id") {
		if _, ok := parseID(id); !ok {
			continue
		}
		f := familiar{ID: id, Accounts: []Account{}}
		if id == ownerAccountID && a.cfg.Social != nil {
			mutuals, err := a.mutualFollows(r)
			if err != nil {
				fail(w, r, err)
				return
			}
			if f.Accounts, err = a.accountsOf(r, mutuals); err != nil {
				fail(w, r, err)
				return
			}
		}
		out = append(out, f)
	}
	writeJSON(w, http.StatusOK, out)
}

// mutualFollows are the accounts that the owner follows and that follow
// the owner.
func (a *API) mutualFollows(r *http.Request) ([]*vocab.Actor, error) {
	followers, err := a.cfg.Social.Followers(r.Context())
	if err != nil {
		return nil, err
	}
	following, err := a.cfg.Social.Following(r.Context())
	if err != nil {
		return nil, err
	}
	follows := map[string]bool{}
	for _, f := range following {
		follows[f.ID] = true
	}
	var out []*vocab.Actor
	for _, f := range followers {
		if follows[f.ID] {
			out = append(out, f)
		}
	}
	return out, nil
}
