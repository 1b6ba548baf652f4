package blog

import (
	"context"
	"fmt"
	"strings"
)

// MenuPage is a published page as the site menu links it.
type MenuPage struct {
	ID         int64
	Title, URL string
}

// Pages lists the published pages (About, Now…), by title, for the owner
// to choose which the site menu shows.
func (b *Blog) Pages(ctx context.Context) ([]MenuPage, error) {
	return b.menuPages(ctx, "pages", ``, nil)
}

// MenuPages returns the pages among ids that are published, in the order
// of ids; a page since deleted or turned back into a draft drops out of
// the menu by itself. Every public page asks, so it reads three columns.
func (b *Blog) MenuPages(ctx context.Context, ids []int64) ([]MenuPage, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	found, err := b.menuPages(ctx, "menu pages", ` AND id IN (`+marks+`)`, args)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]MenuPage, len(found))
	for _, p := range found {
		byID[p.ID] = p
	}
	out := make([]MenuPage, 0, len(found))
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out = append(out, p)
			delete(byID, id)
		}
	}
	return out, nil
}

func (b *Blog) menuPages(ctx context.Context, op, extra string, args []any) ([]MenuPage, error) {
	rows, err := b.stmts.Query(ctx, `SELECT id, title, slug FROM articles WHERE deleted_at IS NULL
		AND status = 'published' AND kind = 'page' AND published_at <= ?`+extra+` ORDER BY title, id`,
		append([]any{b.now().Unix()}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []MenuPage
	for rows.Next() {
		var p MenuPage
		var slug string
		if err := rows.Scan(&p.ID, &p.Title, &slug); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		p.URL = "/blog/" + slug
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}
