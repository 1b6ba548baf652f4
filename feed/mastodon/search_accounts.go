package mastodon

import (
	"context"
	"net/http"
	"strings"

	"roost/federation/vocab"
)

// People finds the accounts the site knows (the contacts book, the authors
// of the posts it keeps) for account search, followed accounts first.
type People interface {
	SearchPeople(ctx context.Context, q string, followingOnly bool, limit int) ([]*vocab.Actor, error)
}

// accountQuery is an account search as apps send it to
// /api/v1/accounts/search and /api/v2/search.
type accountQuery struct {
	q                  string
	limit, offset      int
	following, resolve bool
}

func accountQueryOf(p *params) accountQuery {
	q := accountQuery{
		q: strings.TrimSpace(p.get("q")), limit: p.integer("limit", 40), offset: p.integer("offset", 0),
		following: p.boolean("following", false), resolve: p.boolean("resolve", false),
	}
	q.limit = min(max(q.limit, 1), 80)
	q.offset = min(max(q.offset, 0), 10000)
	return q
}

func (a *API) searchAccounts(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	out, err := a.findAccounts(r.Context(), r, accountQueryOf(p))
	writeResult(w, r, out, err)
}

// findAccounts answers an account search: the owner when q names them, the
// account q resolves to when resolve is set (which may fetch it), then the
// known accounts whose handle or name starts with q.
func (a *API) findAccounts(ctx context.Context, r *http.Request, q accountQuery) ([]Account, error) {
	out := []Account{}
	if q.q == "" {
		return out, nil
	}
	seen := map[string]bool{}
	if q.offset == 0 && !q.following {
		acct, ok, err := a.resolveAccount(ctx, q.q, q.resolve && looksLikeAddress(q.q))
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, acct)
			seen[acct.URI] = true
		}
	}
	if a.cfg.People == nil {
		return out, nil
	}
	actors, err := a.cfg.People.SearchPeople(ctx, q.q, q.following, q.offset+q.limit+len(out))
	if err != nil {
		return nil, err
	}
	var known []*vocab.Actor
	for _, act := range actors {
		if !seen[act.ID] {
			known = append(known, act)
		}
	}
	known = known[min(q.offset, len(known)):]
	accts, err := a.accountsOf(r, known)
	if err != nil {
		return nil, err
	}
	out = append(out, accts...)
	return out[:min(len(out), q.limit)], nil
}

// looksLikeAddress tells whether q may name one account (@user@host,
// @domain, a URL) rather than be the start of a name: only then is it
// worth resolving.
func looksLikeAddress(q string) bool {
	return strings.Contains(q, ".") || strings.HasPrefix(q, "@") ||
		strings.HasPrefix(q, "https://") || strings.HasPrefix(q, "http://")
}
