package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

func (a *API) tagRoutes(mux Mux) {
	a.handle(mux, "POST /api/v1/tags/{name}/follow", "write:follows", a.followTag(true))
	a.handle(mux, "POST /api/v1/tags/{name}/unfollow", "write:follows", a.followTag(false))
	a.handle(mux, "GET /api/v1/followed_tags", "read:follows", a.listFollowedTags)
}

// tagName reads a hashtag from the path, without its # and in lower case,
// as Mastodon names tags; false when it is no hashtag.
func tagName(raw string) (string, bool) {
	m := hashtagName.FindStringSubmatch(raw)
	if m == nil {
		return "", false
	}
	return strings.ToLower(m[1]), true
}

func (a *API) tagEntity(name string, following bool) Tag {
	return Tag{ID: name, Name: name, URL: a.cfg.Feed.TagURL(name), History: []any{}, Following: following}
}

// followTag follows or unfollows a hashtag; doing it twice changes nothing.
func (a *API) followTag(follow bool) func(http.ResponseWriter, *http.Request, *token) {
	return func(w http.ResponseWriter, r *http.Request, t *token) {
		name, ok := tagName(r.PathValue("name"))
		if !ok {
			notFound(w)
			return
		}
		var err error
		if follow {
			_, err = a.db.ExecContext(r.Context(), `INSERT INTO mastodon_followed_tags (name, created) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
				name, a.cfg.Now().Unix())
		} else {
			_, err = a.db.ExecContext(r.Context(), `DELETE FROM mastodon_followed_tags WHERE name = ?`, name)
		}
		if err != nil {
			fail(w, r, fmt.Errorf("follow tag: %w", err))
			return
		}
		writeJSON(w, http.StatusOK, a.tagEntity(name, follow))
	}
}

// followsTag tells whether the owner follows a hashtag.
func (a *API) followsTag(ctx context.Context, name string) bool {
	var one int
	return a.db.QueryRowContext(ctx, `SELECT 1 FROM mastodon_followed_tags WHERE name = ?`, strings.ToLower(name)).Scan(&one) == nil
}

// listFollowedTags pages the followed hashtags, most recently followed
// first, by the follow's id as Mastodon does.
func (a *API) listFollowedTags(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	pg := pageOf(p)
	q, args := `SELECT id, name FROM mastodon_followed_tags WHERE id > ?`, []any{max(pg.SinceID, pg.MinID)}
	if pg.MaxID > 0 {
		q += ` AND id < ?`
		args = append(args, pg.MaxID)
	}
	if pg.MinID > 0 {
		q = `SELECT id, name FROM (` + q + ` ORDER BY id ASC LIMIT ?) AS above ORDER BY id DESC`
	} else {
		q += ` ORDER BY id DESC LIMIT ?`
	}
	rows, err := a.db.QueryContext(r.Context(), q, append(args, pg.Limit)...)
	if err != nil {
		fail(w, r, fmt.Errorf("followed tags: %w", err))
		return
	}
	defer rows.Close()
	out := []Tag{}
	var ids []int64
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			fail(w, r, fmt.Errorf("followed tags: %w", err))
			return
		}
		out, ids = append(out, a.tagEntity(name, true)), append(ids, id)
	}
	if err := rows.Err(); err != nil {
		fail(w, r, fmt.Errorf("followed tags: %w", err))
		return
	}
	if len(ids) > 0 {
		a.setLink(w, r, ids[0], ids[len(ids)-1])
	}
	writeJSON(w, http.StatusOK, out)
}
