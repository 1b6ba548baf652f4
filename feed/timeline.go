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
	// oldest takes the entries just above after instead of the newest
	// ones: the page a Mastodon app asks for with min_id.
	oldest bool
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

// TimelineAbove lists the limit entries just above minID (and below
// beforeID, when not 0), newest first: the page a Mastodon app reads with
// min_id to walk forward through the timeline without gaps.
func (f *Feed) TimelineAbove(ctx context.Context, limit int, minID, beforeID int64) ([]Entry, error) {
	entries, err := f.timeline(ctx, timelineQuery{limit: limit, before: beforeID, after: minID, oldest: true})
	if err != nil {
		return nil, fmt.Errorf("home timeline above %d: %w", minID, err)
	}
	return entries, nil
}

// OwnNotes lists the owner's notes of every visibility from the timeline
// index, newest first, between the exclusive bounds beforeID and afterID
// (0 for none); with oldest, the limit notes just above afterID. It is the
// owner's profile in the apps, read as cheaply as the home timeline.
func (f *Feed) OwnNotes(ctx context.Context, limit int, beforeID, afterID int64, oldest bool) ([]Entry, error) {
	// The owner's notes are the entries that name no actor.
	q := timelineQuery{limit: limit, before: beforeID, after: afterID, oldest: oldest, actors: []string{""}, filtered: true}
	entries, err := f.timeline(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("own notes: %w", err)
	}
	return entries, nil
}

// timeline reads one page: one statement for the entries with what changes
// (counts, author snapshots, the owner's reactions; see timelineSQL), the
// content of notes and posts from the content cache, and a batch query only
// for content not cached yet and for the boosters of a page that has any.
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
	where := `id < ? AND id > ?`
	args := []any{q.before, q.after}
	switch {
	case q.filtered && len(q.actors) == 1:
		// One actor (the owner's own notes, a profile) is one range of the
		// (actor_id, id) index, read in order; an IN list would be sorted.
		where += ` AND actor_id = ?`
		args = append(args, q.actors[0])
	case q.filtered:
		// inList pads the members to a power of two, so groups of any size
		// share a few statements in the cache. The pad is a space, which
		// no actor id holds: "" is the owner's own entries, which a
		// group's timeline must not show.
		in, actors := inList(q.actors, " ")
		where += ` AND actor_id IN (` + in + `)`
		args = append(args, actors...)
	}
	return f.readPage(ctx, timelineSQL(where, q.oldest), f.pageArgs(append(args, q.limit)))
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
