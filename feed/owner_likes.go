package feed

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// likeCursor orders the owner's likes for paging. reactions keeps the time
// in seconds, so the row id breaks ties; the result has the shape of a
// snowflake (milliseconds << 16), so that clients can merge these pages with
// marks kept elsewhere by their time.
const likeCursor = `(((r.created * 1000) << 16) | (r.rowid & 65535))`

// OwnLikes lists the posts and notes the owner liked that still exist, most
// recently liked first. Each entry's ID is the like's position, not the
// post's: pass the last one as before for the next page (0 for the first).
func (f *Feed) OwnLikes(ctx context.Context, limit int, before int64) ([]Entry, error) {
	if limit <= 0 || limit > 200 {
		limit = notesPerPage
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	rows, err := f.query(ctx, `SELECT `+likeCursor+`, r.object_id,
		COALESCE((SELECT p.id FROM posts p WHERE p.object_id = r.object_id AND p.deleted_at IS NULL), 0)
		FROM reactions r WHERE r.actor_id = ? AND r.kind = ? AND `+likeCursor+` < ?
		ORDER BY 1 DESC LIMIT ?`, f.cfg.ActorID, reactionLike, before, limit)
	if err != nil {
		return nil, fmt.Errorf("own likes: %w", err)
	}
	type like struct {
		cursor, item int64
		object       string
	}
	var likes []like
	var noteIDs, postIDs []int64
	for rows.Next() {
		var l like
		if err := rows.Scan(&l.cursor, &l.object, &l.item); err != nil {
			rows.Close()
			return nil, fmt.Errorf("own likes: %w", err)
		}
		if f.isLocalNote(l.object) {
			id, ok := parseID(strings.TrimPrefix(l.object, f.base+"/notes/"))
			if !ok {
				continue
			}
			l.item, noteIDs = id, append(noteIDs, id)
		} else if l.item != 0 {
			postIDs = append(postIDs, l.item)
		}
		likes = append(likes, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("own likes: %w", err)
	}
	notes, err := f.notesByIDs(ctx, noteIDs)
	if err != nil {
		return nil, fmt.Errorf("own likes: %w", err)
	}
	posts, err := f.postsByIDs(ctx, postIDs)
	if err != nil {
		return nil, fmt.Errorf("own likes: %w", err)
	}
	for id, n := range notes {
		posts[id] = f.notePost(n)
	}
	entries := make([]Entry, 0, len(likes))
	for _, l := range likes {
		if p, ok := posts[l.item]; ok {
			entries = append(entries, Entry{ID: l.cursor, Post: p})
		}
	}
	ptrs := make([]*Post, len(entries))
	for i := range entries {
		ptrs[i] = &entries[i].Post
	}
	if err := f.markOwnReactions(ctx, ptrs); err != nil {
		return nil, fmt.Errorf("own likes: %w", err)
	}
	return entries, nil
}

// MarkOwnReactions sets Liked, Boosted and Bookmarked on posts that were not
// read through the feed room (only ObjectID is needed), in one query: the
// Mastodon API renders the owner's notes from Note values, which have no
// such flags.
func (f *Feed) MarkOwnReactions(ctx context.Context, posts []*Post) error {
	return f.markOwnReactions(ctx, posts)
}
