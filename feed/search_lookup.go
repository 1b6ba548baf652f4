package feed

import (
	"context"
	"fmt"
	"strings"
)

// KnownTags lists the hashtags the site has seen (on the owner's notes and
// on others' posts) that start with prefix, most used first.
func (f *Feed) KnownTags(ctx context.Context, prefix string, limit int) ([]string, error) {
	prefix = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(prefix), "#"))
	if prefix == "" {
		return nil, nil
	}
	like := escapeLike(prefix) + "%"
	rows, err := f.db.QueryContext(ctx, `SELECT tag FROM (
			SELECT LOWER(tag) AS tag FROM note_tags WHERE LOWER(tag) LIKE ? ESCAPE '\'
			UNION ALL
			SELECT LOWER(name) FROM post_tags WHERE kind = ? AND LOWER(name) LIKE ? ESCAPE '\') AS known
		GROUP BY tag ORDER BY tag = ? DESC, COUNT(*) DESC, tag LIMIT ?`, like, tagHashtag, like, prefix, limit)
	if err != nil {
		return nil, fmt.Errorf("known tags: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, fmt.Errorf("known tags: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// SearchAuthors lists the fediverse authors whose posts the feed keeps
// whose handle starts with q or whose name has a word starting with q,
// ignoring case and a leading @. Web feeds are left out: they have no
// account to mention.
func (f *Feed) SearchAuthors(ctx context.Context, q string, limit int) ([]Author, error) {
	q = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(q), "@"))
	if q == "" || limit <= 0 {
		return nil, nil
	}
	prefix := escapeLike(q) + "%"
	rows, err := f.db.QueryContext(ctx, `SELECT actor_id, name, handle, avatar_url, profile_url FROM authors
		WHERE handle <> '' AND (LOWER(handle) LIKE ? ESCAPE '\' OR LOWER(name) LIKE ? ESCAPE '\' OR LOWER(name) LIKE ? ESCAPE '\')
		ORDER BY LOWER(handle) = ? DESC, LOWER(name), actor_id LIMIT ?`,
		"@"+prefix, prefix, "% "+prefix, "@"+q, limit)
	if err != nil {
		return nil, fmt.Errorf("search authors: %w", err)
	}
	defer rows.Close()
	var out []Author
	for rows.Next() {
		var a Author
		if err := rows.Scan(&a.ActorID, &a.Name, &a.Handle, &a.AvatarURL, &a.ProfileURL); err != nil {
			return nil, fmt.Errorf("search authors: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
