package feed

import (
	"context"
	"fmt"
	"time"

	"roost/federation/vocab"
)

// exportBatch is how many notes an export holds in memory at a time.
const exportBatch = 200

// ExportNotes calls fn with each of the owner's notes (every visibility,
// oldest first) and its Create activity as the outbox would carry it,
// reading them in batches so that an export of any size takes bounded
// memory.
func (f *Feed) ExportNotes(ctx context.Context, fn func(n Note, create map[string]any) error) error {
	var after int64
	for {
		notes, err := f.notesWhere(ctx, `author = '' AND deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?`, after, exportBatch)
		if err != nil {
			return fmt.Errorf("export notes: %w", err)
		}
		if len(notes) == 0 {
			return nil
		}
		if err := f.attachTagsAndMentions(ctx, notes); err != nil {
			return fmt.Errorf("export notes: %w", err)
		}
		for _, n := range notes {
			to, cc := f.addressing(n)
			create := map[string]any{
				"id": n.URL + "#create", "type": vocab.TypeCreate, "actor": f.cfg.ActorID,
				"published": n.Created.UTC().Format(time.RFC3339), "to": to, "cc": cc,
				"object": vocab.ObjectMap(f.object(n)),
			}
			if err := fn(n, create); err != nil {
				return err
			}
			after = n.ID
		}
	}
}

// CountOwnNotes is how many notes ExportNotes will pass on.
func (f *Feed) CountOwnNotes(ctx context.Context) (int, error) {
	var n int
	err := f.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notes WHERE author = '' AND deleted_at IS NULL`).Scan(&n)
	return n, err
}

// LikedObjects lists the ids of everything the owner liked, oldest first.
func (f *Feed) LikedObjects(ctx context.Context) ([]string, error) {
	return f.objectIDs(ctx, `SELECT object_id FROM reactions WHERE actor_id = ? AND kind = ? ORDER BY created`,
		f.cfg.ActorID, reactionLike)
}

// BookmarkedObjects lists the ids of everything the owner bookmarked, oldest first.
func (f *Feed) BookmarkedObjects(ctx context.Context) ([]string, error) {
	return f.objectIDs(ctx, `SELECT object_id FROM bookmarks ORDER BY id`)
}

func (f *Feed) objectIDs(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := f.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
