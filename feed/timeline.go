package feed

import (
	"context"
	"fmt"
	"math"
)

// timelineQuery selects a page of the home timeline.
type timelineQuery struct {
	limit         int
	before, after int64 // exclusive bounds, ignored when 0
	// actors, when filtered, keeps only entries put there by these actors
	// (a group's timeline).
	actors   []string
	filtered bool
}

// Timeline lists the owner's home timeline newest first: their own notes,
// posts by the people they follow and those that mention them, and boosts
// by the people they follow. beforeID and afterID are exclusive bounds on
// the entry ids, ignored when 0.
func (f *Feed) Timeline(ctx context.Context, limit int, beforeID, afterID int64) ([]Entry, error) {
	entries, err := f.timeline(ctx, timelineQuery{limit: limit, before: beforeID, after: afterID})
	if err != nil {
		return nil, fmt.Errorf("home timeline: %w", err)
	}
	return entries, nil
}

// timeline reads one page in a fixed number of queries: the page of entry
// ids from the primary key, then the notes, the posts (with their authors,
// media and tags), the boosters and the owner's reactions, each in one
// batch.
func (f *Feed) timeline(ctx context.Context, q timelineQuery) ([]Entry, error) {
	if q.limit <= 0 || q.limit > 200 {
		q.limit = notesPerPage
	}
	if q.before <= 0 {
		q.before = math.MaxInt64
	}
	if q.filtered && len(q.actors) == 0 {
		return nil, nil
	}
	query := `SELECT id, kind, item, actor_id FROM home WHERE id < ? AND id > ?`
	args := []any{q.before, q.after}
	if q.filtered {
		in, actors := inList(q.actors, "")
		query += ` AND actor_id IN (` + in + `)`
		args = append(args, actors...)
	}
	query += ` ORDER BY id DESC LIMIT ?`
	rows, err := f.query(ctx, query, append(args, q.limit)...)
	if err != nil {
		return nil, err
	}
	type row struct {
		id, item    int64
		kind, actor string
	}
	var page []row
	var noteIDs, postIDs []int64
	var boosters []string
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.kind, &r.item, &r.actor); err != nil {
			rows.Close()
			return nil, err
		}
		page = append(page, r)
		switch r.kind {
		case homeNote:
			noteIDs = append(noteIDs, r.item)
		case homeBoost:
			boosters = append(boosters, r.actor)
			postIDs = append(postIDs, r.item)
		default:
			postIDs = append(postIDs, r.item)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	notes, err := f.notesByIDs(ctx, noteIDs)
	if err != nil {
		return nil, err
	}
	posts, err := f.postsByIDs(ctx, postIDs)
	if err != nil {
		return nil, err
	}
	who, err := f.authors(ctx, boosters)
	if err != nil {
		return nil, err
	}
	entries := make([]Entry, 0, len(page))
	for _, r := range page {
		e := Entry{ID: r.id}
		var ok bool
		if r.kind == homeNote {
			var n Note
			if n, ok = notes[r.item]; ok {
				e.Post = f.notePost(n)
			}
		} else {
			e.Post, ok = posts[r.item]
		}
		if !ok {
			continue // deleted since; its row goes with the delete
		}
		if r.kind == homeBoost {
			a := who[r.actor]
			e.BoostedBy = &a
		}
		entries = append(entries, e)
	}
	ptrs := make([]*Post, len(entries))
	for i := range entries {
		ptrs[i] = &entries[i].Post
	}
	if err := f.markOwnReactions(ctx, ptrs); err != nil {
		return nil, err
	}
	return entries, nil
}

// notesByIDs reads the owner's notes that are not deleted, with media, tags
// and mentions, keyed by id.
func (f *Feed) notesByIDs(ctx context.Context, ids []int64) (map[int64]Note, error) {
	out := make(map[int64]Note, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(ids, 0)
	rows, err := f.query(ctx, `SELECT `+noteColumns+` FROM notes
		WHERE id IN (`+in+`) AND author = '' AND deleted_at IS NULL`, args...)
	if err != nil {
		return nil, fmt.Errorf("notes: %w", err)
	}
	defer rows.Close()
	var notes []Note
	for rows.Next() {
		n, _, err := f.scanNote(rows)
		if err != nil {
			return nil, fmt.Errorf("notes: %w", err)
		}
		notes = append(notes, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("notes: %w", err)
	}
	if err := f.attachMedia(ctx, notes); err != nil {
		return nil, err
	}
	if err := f.attachTagsAndMentions(ctx, notes); err != nil {
		return nil, err
	}
	for _, n := range notes {
		out[n.ID] = n
	}
	return out, nil
}
