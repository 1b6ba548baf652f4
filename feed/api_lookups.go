package feed

import (
	"context"
	"fmt"
	"math"
)

// ReactedBy lists who liked (kind "like") or boosted (kind "boost") an
// object, the owner included, most recent first, as last seen. The Mastodon
// API shows them as favourited_by and reblogged_by.
func (f *Feed) ReactedBy(ctx context.Context, objectID, kind string) ([]Author, error) {
	rows, err := f.query(ctx, `SELECT r.actor_id, COALESCE(a.name, ''), COALESCE(a.handle, ''),
		COALESCE(a.avatar_url, ''), COALESCE(a.profile_url, '')
		FROM reactions r LEFT JOIN authors a ON a.actor_id = r.actor_id
		WHERE r.object_id = ? AND r.kind = ? ORDER BY r.created DESC LIMIT 200`, objectID, kind)
	if err != nil {
		return nil, fmt.Errorf("reacted by %s: %w", objectID, err)
	}
	defer rows.Close()
	var out []Author
	for rows.Next() {
		var a Author
		if err := rows.Scan(&a.ActorID, &a.Name, &a.Handle, &a.AvatarURL, &a.ProfileURL); err != nil {
			return nil, fmt.Errorf("reacted by %s: %w", objectID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PostsBy lists the stored posts of one author, newest first, limit at a
// time, with ids below beforeID and above afterID (each ignored when 0).
func (f *Feed) PostsBy(ctx context.Context, actorID string, limit int, beforeID, afterID int64) ([]Post, error) {
	if limit <= 0 || limit > 200 {
		limit = notesPerPage
	}
	if beforeID <= 0 {
		beforeID = math.MaxInt64
	}
	posts, err := f.scanPosts(ctx, `SELECT `+postColumns+postFrom+`
		WHERE p.author = ? AND p.id < ? AND p.id > ? AND p.deleted_at IS NULL
		ORDER BY p.id DESC LIMIT ?`, actorID, beforeID, afterID, limit)
	if err != nil {
		return nil, fmt.Errorf("posts by %s: %w", actorID, err)
	}
	if err := f.attachPostParts(ctx, posts); err != nil {
		return nil, fmt.Errorf("posts by %s: %w", actorID, err)
	}
	ptrs := make([]*Post, len(posts))
	for i := range posts {
		ptrs[i] = &posts[i]
	}
	if err := f.markOwnReactions(ctx, ptrs); err != nil {
		return nil, fmt.Errorf("posts by %s: %w", actorID, err)
	}
	return posts, nil
}

// scanPosts runs a query over posts and reads every row.
func (f *Feed) scanPosts(ctx context.Context, q string, args ...any) ([]Post, error) {
	rows, err := f.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var posts []Post
	for rows.Next() {
		p, _, err := scanPost(rows)
		if err != nil {
			return nil, err
		}
		posts = append(posts, p)
	}
	return posts, rows.Err()
}
