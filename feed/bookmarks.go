package feed

import (
	"context"
	"fmt"
	"math"
)

// markBookmark names a bookmark among the owner's marks on a post.
const markBookmark = "bookmark"

// Bookmark keeps a post on the owner's Bookmarks page. Bookmarks are
// private: unlike a like, nothing is sent to the author. Bookmarking twice
// is a no-op.
func (f *Feed) Bookmark(ctx context.Context, objectID string) error {
	p, err := f.PostByObjectID(ctx, objectID)
	if err != nil {
		return fmt.Errorf("bookmark: %w", err)
	}
	if p.Bookmarked {
		return nil
	}
	now := f.now()
	_, err = f.db.ExecContext(ctx, `INSERT INTO bookmarks(id, object_id, item, created) VALUES(?, ?, ?, ?)
		ON CONFLICT(object_id) DO NOTHING`, f.nextID(), p.ObjectID, p.ID, now.Unix())
	if err != nil {
		return fmt.Errorf("bookmark %s: %w", objectID, err)
	}
	return nil
}

// Unbookmark takes a post off the Bookmarks page. It works on a post that
// was deleted since, and is a no-op on one that was not bookmarked.
func (f *Feed) Unbookmark(ctx context.Context, objectID string) error {
	if _, err := f.db.ExecContext(ctx, `DELETE FROM bookmarks WHERE object_id = ?`, objectID); err != nil {
		return fmt.Errorf("unbookmark %s: %w", objectID, err)
	}
	return nil
}

// Bookmarked lists the bookmarked posts that still exist, most recently
// bookmarked first. Each entry's ID is the bookmark's position, not the
// post's: pass the last one as before for the next page (0 for the first).
func (f *Feed) Bookmarked(ctx context.Context, limit int, before int64) ([]Entry, error) {
	if limit <= 0 || limit > 200 {
		limit = notesPerPage
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	// Deleted posts are left out here rather than their bookmarks removed
	// with them, so a page is never short while older bookmarks remain.
	rows, err := f.query(ctx, `SELECT b.id, b.object_id, b.item FROM bookmarks b
		WHERE b.id < ? AND (
			EXISTS (SELECT 1 FROM posts p WHERE p.id = b.item AND p.deleted_at IS NULL) OR
			EXISTS (SELECT 1 FROM notes n WHERE n.id = b.item AND n.author = '' AND n.deleted_at IS NULL))
		ORDER BY b.id DESC LIMIT ?`, before, limit)
	if err != nil {
		return nil, fmt.Errorf("bookmarks: %w", err)
	}
	type mark struct{ id, item int64 }
	var marks []mark
	var noteIDs, postIDs []int64
	for rows.Next() {
		var m mark
		var object string
		if err := rows.Scan(&m.id, &object, &m.item); err != nil {
			rows.Close()
			return nil, fmt.Errorf("bookmarks: %w", err)
		}
		marks = append(marks, m)
		if f.isLocalNote(object) {
			noteIDs = append(noteIDs, m.item)
		} else {
			postIDs = append(postIDs, m.item)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bookmarks: %w", err)
	}
	notes, err := f.notesByIDs(ctx, noteIDs)
	if err != nil {
		return nil, fmt.Errorf("bookmarks: %w", err)
	}
	posts, err := f.postsByIDs(ctx, postIDs)
	if err != nil {
		return nil, fmt.Errorf("bookmarks: %w", err)
	}
	for id, n := range notes {
		posts[id] = f.notePost(n)
	}
	entries := make([]Entry, 0, len(marks))
	for _, m := range marks {
		if p, ok := posts[m.item]; ok {
			entries = append(entries, Entry{ID: m.id, Post: p})
		}
	}
	ptrs := make([]*Post, len(entries))
	for i := range entries {
		ptrs[i] = &entries[i].Post
	}
	if err := f.markOwnReactions(ctx, ptrs); err != nil {
		return nil, fmt.Errorf("bookmarks: %w", err)
	}
	return entries, nil
}

// BookmarkedAmong tells which of some note and post ids the owner
// bookmarked, in one query: for clients that render statuses by id (the
// Mastodon API), whose pages do not go through the timeline statement.
func (f *Feed) BookmarkedAmong(ctx context.Context, ids []int64) (map[int64]bool, error) {
	out := make(map[int64]bool)
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(ids, 0)
	rows, err := f.query(ctx, `SELECT item FROM bookmarks WHERE item IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("bookmarked among: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("bookmarked among: %w", err)
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("bookmarked among: %w", err)
	}
	return out, nil
}
