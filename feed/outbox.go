package feed

import (
	"context"
	"fmt"
	"time"

	"roost/federation/vocab"
)

// Outbox lists the owner's public notes as Create activities, newest
// first, for the outbox collection (cmd/roost merges them with the blog's).
// total counts all of them; limit 0 asks for the count alone (NodeInfo).
// The limit is not clamped: the merged outbox asks for offset+limit items.
func (f *Feed) Outbox(ctx context.Context, offset, limit int) (items []map[string]any, total int, err error) {
	if offset < 0 {
		offset = 0
	}
	err = f.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notes WHERE author = '' AND deleted_at IS NULL AND visibility = ?`,
		VisibilityPublic).Scan(&total)
	if err != nil {
		return nil, 0, fmt.Errorf("outbox: %w", err)
	}
	if limit <= 0 {
		return nil, total, nil
	}
	notes, err := f.notesWhere(ctx, `author = '' AND deleted_at IS NULL AND visibility = ? ORDER BY id DESC LIMIT ? OFFSET ?`,
		VisibilityPublic, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("outbox: %w", err)
	}
	if err := f.attachTagsAndMentions(ctx, notes); err != nil {
		return nil, 0, fmt.Errorf("outbox: %w", err)
	}
	items = make([]map[string]any, 0, len(notes))
	for _, n := range notes {
		o, err := f.objectWithReplies(ctx, f.db, n)
		if err != nil {
			return nil, 0, fmt.Errorf("outbox: %w", err)
		}
		to, cc := f.addressing(n)
		items = append(items, map[string]any{
			"id":        n.URL + "#create",
			"type":      vocab.TypeCreate,
			"actor":     f.cfg.ActorID,
			"published": n.Created.UTC().Format(time.RFC3339),
			"to":        to,
			"cc":        cc,
			"object":    vocab.ObjectMap(o),
		})
	}
	return items, total, nil
}
