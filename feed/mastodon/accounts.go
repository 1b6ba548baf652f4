package mastodon

import (
	"context"
	"net/http"
	"strings"

	"roost/federation"
	"roost/federation/vocab"
)

func (a *API) accountRoutes(mux Mux) {
	a.handle(mux, "GET /api/v1/accounts/verify_credentials", scopeProfile, a.verifyCredentials)
	a.handle(mux, "PATCH /api/v1/accounts/update_credentials", "write:accounts", a.updateCredentials)
	a.handlePublic(mux, "GET /api/v1/accounts/lookup", "read:accounts", a.lookupAccount)
	a.handle(mux, "GET /api/v1/accounts/search", "read:accounts", a.searchAccounts)
	a.handle(mux, "GET /api/v1/accounts/familiar_followers", "read:follows", a.familiarFollowers)
	a.handlePublic(mux, "GET /api/v1/accounts/{id}", "read:accounts", a.getAccount)
	a.handlePublic(mux, "GET /api/v1/accounts/{id}/statuses", "read:statuses", a.accountStatuses)
	a.handlePublic(mux, "GET /api/v1/accounts/{id}/featured_tags", "read:accounts", a.emptyList)
	a.handlePublic(mux, "GET /api/v1/accounts/{id}/lists", "read:lists", a.emptyList)
	a.handle(mux, "GET /api/v1/accounts/{id}/followers", "read:accounts", a.accountFollows(false))
	a.handle(mux, "GET /api/v1/accounts/{id}/following", "read:accounts", a.accountFollows(true))
}

func (a *API) verifyCredentials(w http.ResponseWriter, r *http.Request, t *token) {
	acct, pr, err := a.ownerAccount(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a.withSource(r.Context(), acct, pr))
}

func (a *API) withSource(ctx context.Context, acct Account, pr federation.Profile) Account {
	d := a.cfg.Feed.PostingDefaults()
	src := &AccountSource{Privacy: visibilityOut(d.Visibility), Language: d.Language, Note: pr.Bio, Fields: []Field{}, Discoverable: pr.Discoverable, Indexable: pr.Discoverable}
	for _, f := range pr.Fields {
		src.Fields = append(src.Fields, Field{Name: f.Name, Value: f.Value})
	}
	if a.cfg.Social != nil {
		if reqs, err := a.cfg.Social.Requests(ctx); err == nil {
			src.FollowRequestsCount = len(reqs)
		}
	}
	acct.Source = src
	role := everyoneRole
	acct.Role = &role
	return acct
}

// accountByID renders the owner ("1") or a remote account. Only for the
// owner's apps (withStats) are a remote account's counts filled, as they may
// take fetches from its server, which a stranger's request must not cause.
func (a *API) accountByID(ctx context.Context, id string, withStats bool) (Account, string, error) {
	if id == ownerAccountID {
		acct, _, err := a.ownerAccount(ctx)
		return acct, a.cfg.ActorID, err
	}
	actorID, err := a.actorOf(ctx, id)
	if err != nil {
		return Account{}, "", err
	}
	act, err := a.actor(ctx, actorID)
	if err != nil {
		return Account{}, "", err
	}
	n, _ := parseID(id)
	acct := a.remoteAccount(n, act)
	if withStats {
		a.withRemoteStats(ctx, &acct, actorID)
	}
	return acct, actorID, nil
}

// actor finds a remote actor: the contacts book first, then the network.
func (a *API) actor(ctx context.Context, actorID string) (*vocab.Actor, error) {
	if a.cfg.Social != nil {
		if act, err := a.cfg.Social.Actor(ctx, actorID); err == nil {
			return act, nil
		}
	}
	if a.cfg.Resolve != nil {
		if act, err := a.cfg.Resolve(ctx, actorID); err == nil && act != nil {
			return act, nil
		}
	}
	return nil, ErrNotFound
}

func (a *API) getAccount(w http.ResponseWriter, r *http.Request, t *token) {
	acct, _, err := a.accountByID(r.Context(), r.PathValue("id"), t != nil && t.owner)
	writeResult(w, r, acct, err)
}

// isOwnerHandle tells whether acct names the owner: the username, the
// domain, or either with @domain.
func (a *API) isOwnerHandle(ctx context.Context, acct string) bool {
	acct = strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(acct, "acct:"), "@"))
	o, _, err := a.ownerAccount(ctx)
	if err != nil {
		return false
	}
	d := strings.ToLower(a.domain)
	u := strings.ToLower(o.Username)
	return acct == u || acct == d || acct == u+"@"+d || acct == d+"@"+d || acct == a.cfg.BaseURL+"/" || acct == strings.ToLower(a.cfg.ActorID)
}

// resolveAccount finds the account an app typed: the owner, or a remote
// handle, @domain or URL through Resolve.
func (a *API) resolveAccount(ctx context.Context, input string, resolve bool) (Account, bool, error) {
	if a.isOwnerHandle(ctx, input) {
		acct, _, err := a.ownerAccount(ctx)
		return acct, err == nil, err
	}
	if !resolve || a.cfg.Resolve == nil {
		return Account{}, false, nil
	}
	act, err := a.cfg.Resolve(ctx, input)
	if err != nil || act == nil {
		return Account{}, false, nil
	}
	id, err := a.accountID(ctx, act.ID)
	if err != nil {
		return Account{}, false, err
	}
	acct := a.remoteAccount(id, act)
	a.withRemoteStats(ctx, &acct, act.ID)
	return acct, true, nil
}

// lookupAccount answers anyone, but only the owner's apps may make the site
// fetch an account it does not know: an anonymous lookup that fetched would
// let strangers aim the site's signed requests at any host.
func (a *API) lookupAccount(w http.ResponseWriter, r *http.Request, t *token) {
	acct, ok, err := a.resolveAccount(r.Context(), r.URL.Query().Get("acct"), t != nil && t.owner)
	if err != nil {
		fail(w, r, err)
		return
	}
	if !ok {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, acct)
}

// accountFollows lists the owner's followers or following.
func (a *API) accountFollows(following bool) func(http.ResponseWriter, *http.Request, *token) {
	return func(w http.ResponseWriter, r *http.Request, t *token) {
		if r.PathValue("id") != ownerAccountID || a.cfg.Social == nil {
			writeJSON(w, http.StatusOK, []Account{})
			return
		}
		list := a.cfg.Social.Followers
		if following {
			list = a.cfg.Social.Following
		}
		actors, err := list(r.Context())
		if err != nil {
			fail(w, r, err)
			return
		}
		a.writeAccounts(w, r, actors)
	}
}

func (a *API) writeAccounts(w http.ResponseWriter, r *http.Request, actors []*vocab.Actor) {
	out, err := a.accountsOf(r, actors)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
