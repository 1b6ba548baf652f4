package mastodon

import (
	"context"
	"fmt"
	"strings"
)

// markSet holds the marks mastodon_marks keeps on one status as bits: the
// owner's pins, and their favourites, reblogs and bookmarks of blog
// articles, which the feed room does not hold. Everything else the owner
// marks is the feed room's, shared with the web.
type markSet uint8

var markBits = map[string]markSet{markFavourite: 1, markReblog: 2, markBookmark: 4, markPin: 8}

func (m markSet) has(kind string) bool { return m&markBits[kind] != 0 }

// marksOf reads the table's marks on a page of statuses in one query.
func (a *API) marksOf(ctx context.Context, ids []int64) (map[int64]markSet, error) {
	out := map[int64]markSet{}
	if len(ids) == 0 {
		return out, nil
	}
	// The list is padded with 0, no status's id, to a power of two so that
	// pages of any length share a few prepared statements.
	n := 8
	for n < len(ids) {
		n *= 2
	}
	args := make([]any, n)
	for i := range args {
		args[i] = int64(0)
		if i < len(ids) {
			args[i] = ids[i]
		}
	}
	rows, err := a.cfg.Queries.Query(ctx, `SELECT kind, status_id FROM mastodon_marks
		WHERE status_id IN (?`+strings.Repeat(", ?", n-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("marks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var id int64
		if err := rows.Scan(&kind, &id); err != nil {
			return nil, fmt.Errorf("marks: %w", err)
		}
		out[id] |= markBits[kind]
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("marks: %w", err)
	}
	return out, nil
}
