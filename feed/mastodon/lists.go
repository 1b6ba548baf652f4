package mastodon

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strings"

	"roost/federation/vocab"
)

// ListEntity is Mastodon's List. Lists live here until the contacts room's
// groups can back them.
type ListEntity struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	RepliesPolicy string `json:"replies_policy"`
	Exclusive     bool   `json:"exclusive"`
}

func (a *API) listRoutes(mux *http.ServeMux) {
	a.handle(mux, "GET /api/v1/lists", "read:lists", a.getLists)
	a.handle(mux, "POST /api/v1/lists", "write:lists", a.saveList)
	a.handle(mux, "GET /api/v1/lists/{id}", "read:lists", a.getList)
	a.handle(mux, "PUT /api/v1/lists/{id}", "write:lists", a.saveList)
	a.handle(mux, "DELETE /api/v1/lists/{id}", "write:lists", a.deleteList)
	a.handle(mux, "GET /api/v1/lists/{id}/accounts", "read:lists", a.listAccounts)
	a.handle(mux, "POST /api/v1/lists/{id}/accounts", "write:lists", a.changeListAccounts(true))
	a.handle(mux, "DELETE /api/v1/lists/{id}/accounts", "write:lists", a.changeListAccounts(false))
}

func (a *API) lists(ctx context.Context, id int64) ([]ListEntity, error) {
	q := `SELECT id, title, replies_policy, exclusive FROM mastodon_lists`
	var args []any
	if id > 0 {
		q += ` WHERE id = ?`
		args = append(args, id)
	}
	rows, err := a.db.QueryContext(ctx, q+` ORDER BY title`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ListEntity{}
	for rows.Next() {
		var l ListEntity
		var n int64
		if err := rows.Scan(&n, &l.Title, &l.RepliesPolicy, &l.Exclusive); err != nil {
			return nil, err
		}
		l.ID = idString(n)
		out = append(out, l)
	}
	return out, rows.Err()
}

func (a *API) getLists(w http.ResponseWriter, r *http.Request, t *token) {
	l, err := a.lists(r.Context(), 0)
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, l)
}

func (a *API) getList(w http.ResponseWriter, r *http.Request, t *token) {
	id, ok := parseID(r.PathValue("id"))
	l, err := a.lists(r.Context(), id)
	if !ok || err != nil || len(l) == 0 {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, l[0])
}

func (a *API) saveList(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	title := strings.TrimSpace(p.get("title"))
	policy := p.get("replies_policy")
	if policy == "" {
		policy = "list"
	}
	if policy != "list" && policy != "followed" && policy != "none" {
		unprocessable(w, "replies_policy is not one of followed, list, none")
		return
	}
	var id int64
	if raw := r.PathValue("id"); raw != "" {
		id, _ = parseID(raw)
		old, err := a.lists(r.Context(), id)
		if err != nil || len(old) == 0 {
			notFound(w)
			return
		}
		if title == "" {
			title = old[0].Title
		}
		if _, err := a.db.ExecContext(r.Context(), `UPDATE mastodon_lists SET title = ?, replies_policy = ?, exclusive = ? WHERE id = ?`,
			title, policy, p.boolean("exclusive", old[0].Exclusive), id); err != nil {
			fail(w, r, err)
			return
		}
	} else {
		if title == "" {
			unprocessable(w, "title can't be blank")
			return
		}
		res, err := a.db.ExecContext(r.Context(), `INSERT INTO mastodon_lists (title, replies_policy, exclusive) VALUES (?, ?, ?)`,
			title, policy, p.boolean("exclusive", false))
		if err != nil {
			fail(w, r, err)
			return
		}
		id, _ = res.LastInsertId()
	}
	l, err := a.lists(r.Context(), id)
	if err != nil || len(l) == 0 {
		fail(w, r, errors.Join(err, sql.ErrNoRows))
		return
	}
	writeJSON(w, http.StatusOK, l[0])
}

func (a *API) deleteList(w http.ResponseWriter, r *http.Request, t *token) {
	id, _ := parseID(r.PathValue("id"))
	res, err := a.db.ExecContext(r.Context(), `DELETE FROM mastodon_lists WHERE id = ?`, id)
	if err != nil {
		fail(w, r, err)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		notFound(w)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}

func (a *API) listMembers(ctx context.Context, id int64) ([]string, error) {
	rows, err := a.db.QueryContext(ctx, `SELECT m.actor_id FROM mastodon_list_accounts l JOIN mastodon_accounts m ON m.id = l.account_id WHERE l.list_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (a *API) listAccounts(w http.ResponseWriter, r *http.Request, t *token) {
	id, _ := parseID(r.PathValue("id"))
	members, err := a.listMembers(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	var out []*vocab.Actor
	for _, m := range members {
		if act, err := a.actor(r.Context(), m); err == nil {
			out = append(out, act)
		}
	}
	a.writeAccounts(w, r, out)
}

func (a *API) changeListAccounts(add bool) func(http.ResponseWriter, *http.Request, *token) {
	return func(w http.ResponseWriter, r *http.Request, t *token) {
		id, _ := parseID(r.PathValue("id"))
		if l, err := a.lists(r.Context(), id); err != nil || len(l) == 0 {
			notFound(w)
			return
		}
		p, ok := a.readParams(w, r)
		if !ok {
			return
		}
		for _, acc := range p.list("account_ids") {
			n, ok := parseID(acc)
			if !ok {
				continue
			}
			q := `DELETE FROM mastodon_list_accounts WHERE list_id = ? AND account_id = ?`
			if add {
				q = `INSERT INTO mastodon_list_accounts (list_id, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING`
			}
			if _, err := a.db.ExecContext(r.Context(), q, id, n); err != nil {
				fail(w, r, err)
				return
			}
		}
		writeJSON(w, http.StatusOK, struct{}{})
	}
}

// listTimeline is the home timeline narrowed to the list's members.
func (a *API) listTimeline(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	id, _ := parseID(r.PathValue("id"))
	members, err := a.listMembers(r.Context(), id)
	if err != nil {
		fail(w, r, err)
		return
	}
	in := map[string]bool{}
	for _, m := range members {
		in[m] = true
	}
	pg := pageOf(p)
	posts, err := a.homePosts(r.Context(), Page{MaxID: pg.MaxID, SinceID: pg.SinceID, MinID: pg.MinID, Limit: fetchLimit})
	if err != nil {
		fail(w, r, err)
		return
	}
	out := posts[:0:0]
	for _, x := range posts {
		if x.Author != nil && in[x.Author.ID] {
			out = append(out, x)
		}
	}
	a.writeTimeline(w, r, clip(out, pg))
}
