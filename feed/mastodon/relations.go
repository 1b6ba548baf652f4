package mastodon

import (
	"context"
	"net/http"
	"strings"
)

// RelationshipEntity is Mastodon's Relationship.
type RelationshipEntity struct {
	ID                  string `json:"id"`
	Following           bool   `json:"following"`
	ShowingReblogs      bool   `json:"showing_reblogs"`
	Notifying           bool   `json:"notifying"`
	Languages           []any  `json:"languages"`
	FollowedBy          bool   `json:"followed_by"`
	Blocking            bool   `json:"blocking"`
	BlockedBy           bool   `json:"blocked_by"`
	Muting              bool   `json:"muting"`
	MutingNotifications bool   `json:"muting_notifications"`
	Requested           bool   `json:"requested"`
	RequestedBy         bool   `json:"requested_by"`
	DomainBlocking      bool   `json:"domain_blocking"`
	Endorsed            bool   `json:"endorsed"`
	Note                string `json:"note"`
}

func (a *API) relationRoutes(mux Mux) {
	a.handle(mux, "GET /api/v1/accounts/relationships", "read:follows", a.relationships)
	for verb, scope := range map[string]string{
		"follow": "write:follows", "unfollow": "write:follows", "block": "write:blocks", "unblock": "write:blocks",
		"mute": "write:mutes", "unmute": "write:mutes", "note": "write:accounts", "remove_from_followers": "write:follows",
	} {
		a.handle(mux, "POST /api/v1/accounts/{id}/"+verb, scope, a.relate(verb))
	}
	a.handle(mux, "GET /api/v1/follow_requests", "read:follows", a.followRequests)
	a.handle(mux, "POST /api/v1/follow_requests/{id}/authorize", "write:follows", a.answerRequest(true))
	a.handle(mux, "POST /api/v1/follow_requests/{id}/reject", "write:follows", a.answerRequest(false))
	a.handle(mux, "GET /api/v1/blocks", "read:blocks", a.blocks)
	a.handle(mux, "GET /api/v1/mutes", "read:mutes", a.mutes)
	a.handle(mux, "GET /api/v1/domain_blocks", "read:blocks", a.domainBlocks)
	a.handle(mux, "POST /api/v1/domain_blocks", "write:blocks", a.changeDomainBlock(true))
	a.handle(mux, "DELETE /api/v1/domain_blocks", "write:blocks", a.changeDomainBlock(false))
}

func (a *API) relationship(ctx context.Context, id, actorID string) (RelationshipEntity, error) {
	e := RelationshipEntity{ID: id, Languages: []any{}}
	if id == ownerAccountID || a.cfg.Social == nil {
		return e, nil
	}
	rel, err := a.cfg.Social.Relationship(ctx, actorID)
	if err != nil && !isNotFound(err) {
		return e, err
	}
	e.Following, e.Requested, e.FollowedBy, e.RequestedBy = rel.Following, rel.Requested, rel.FollowedBy, rel.RequestedBy
	e.Blocking, e.BlockedBy, e.DomainBlocking, e.Note = rel.Blocking, rel.BlockedBy, rel.DomainBlocking, rel.Note
	e.Muting, e.MutingNotifications = rel.Muting, rel.Muting && rel.MutingNotifications
	e.ShowingReblogs = e.Following || e.Requested
	return e, nil
}

func (a *API) relationships(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	out := []RelationshipEntity{}
	for _, id := range p.list("id") {
		actorID := a.cfg.ActorID
		if id != ownerAccountID {
			var err error
			if actorID, err = a.actorOf(r.Context(), id); err != nil {
				continue
			}
		}
		e, err := a.relationship(r.Context(), id, actorID)
		if err != nil {
			fail(w, r, err)
			return
		}
		out = append(out, e)
	}
	writeJSON(w, http.StatusOK, out)
}

// relate performs follow, unfollow, block, unblock, mute, unmute or note on
// an account and answers the new relationship.
func (a *API) relate(verb string) func(http.ResponseWriter, *http.Request, *token) {
	return func(w http.ResponseWriter, r *http.Request, t *token) {
		id := r.PathValue("id")
		if id == ownerAccountID {
			unprocessable(w, "that is you")
			return
		}
		actorID, err := a.actorOf(r.Context(), id)
		if err != nil {
			notFound(w)
			return
		}
		p, ok := a.readParams(w, r)
		if !ok {
			return
		}
		ctx := r.Context()
		s := a.cfg.Social
		if s == nil {
			unprocessable(w, "following is not available")
			return
		}
		switch verb {
		case "follow":
			_, err = s.Follow(ctx, actorID)
		case "unfollow":
			err = s.Unfollow(ctx, actorID)
		case "block":
			err = s.Block(ctx, actorID)
		case "unblock":
			err = s.Unblock(ctx, actorID)
		case "note":
			err = s.SetNote(ctx, actorID, p.get("comment"))
		case "remove_from_followers":
			err = s.Reject(ctx, actorID)
		case "mute":
			// The contacts room keeps mutes, so that the web and the apps
			// agree. Mastodon's duration is not supported: mutes last.
			err = s.Mute(ctx, actorID, p.boolean("notifications", true))
		case "unmute":
			// Unmuting an account that is not muted is not an error to apps.
			if err = s.Unmute(ctx, actorID); isNotFound(err) {
				err = nil
			}
		}
		if err != nil {
			if isNotFound(err) {
				notFound(w)
				return
			}
			unprocessable(w, verb+" failed")
			return
		}
		a.forgetOwner()
		e, err := a.relationship(ctx, id, actorID)
		if err != nil {
			fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, e)
	}
}

func (a *API) followRequests(w http.ResponseWriter, r *http.Request, t *token) {
	if a.cfg.Social == nil {
		writeJSON(w, http.StatusOK, []Account{})
		return
	}
	list, err := a.cfg.Social.Requests(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	a.writeAccounts(w, r, list)
}

func (a *API) answerRequest(accept bool) func(http.ResponseWriter, *http.Request, *token) {
	return func(w http.ResponseWriter, r *http.Request, t *token) {
		id := r.PathValue("id")
		actorID, err := a.actorOf(r.Context(), id)
		if err != nil || a.cfg.Social == nil {
			notFound(w)
			return
		}
		answer := a.cfg.Social.Reject
		if accept {
			answer = a.cfg.Social.Approve
		}
		if err := answer(r.Context(), actorID); err != nil {
			if isNotFound(err) {
				notFound(w)
				return
			}
			fail(w, r, err)
			return
		}
		a.forgetOwner()
		e, err := a.relationship(r.Context(), id, actorID)
		if err != nil {
			fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, e)
	}
}

func (a *API) blocks(w http.ResponseWriter, r *http.Request, t *token) {
	if a.cfg.Social == nil {
		writeJSON(w, http.StatusOK, []Account{})
		return
	}
	list, err := a.cfg.Social.Blocks(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	a.writeAccounts(w, r, list)
}

func (a *API) mutes(w http.ResponseWriter, r *http.Request, t *token) {
	if a.cfg.Social == nil {
		writeJSON(w, http.StatusOK, []Account{})
		return
	}
	list, err := a.cfg.Social.Mutes(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	a.writeAccounts(w, r, list)
}

func (a *API) domainBlocks(w http.ResponseWriter, r *http.Request, t *token) {
	out := []string{}
	if a.cfg.Social != nil {
		list, err := a.cfg.Social.DomainBlocks(r.Context())
		if err != nil {
			fail(w, r, err)
			return
		}
		out = append(out, list...)
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) changeDomainBlock(block bool) func(http.ResponseWriter, *http.Request, *token) {
	return func(w http.ResponseWriter, r *http.Request, t *token) {
		p, ok := a.readParams(w, r)
		if !ok {
			return
		}
		domain := strings.TrimSpace(p.get("domain"))
		if domain == "" || a.cfg.Social == nil {
			unprocessable(w, "domain can't be blank")
			return
		}
		var err error
		if block {
			err = a.cfg.Social.BlockDomain(r.Context(), domain)
		} else {
			err = a.cfg.Social.UnblockDomain(r.Context(), domain)
		}
		if err != nil {
			unprocessable(w, "not a domain name")
			return
		}
		writeJSON(w, http.StatusOK, struct{}{})
	}
}
