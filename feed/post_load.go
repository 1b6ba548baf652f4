package feed

import (
	"context"
	"fmt"
	"strings"

	"roost/federation/vocab"
)

// Kinds of rows in post_tags.
const (
	tagHashtag = "hashtag"
	tagMention = "mention"
	tagEmoji   = "emoji"
)

// Kinds of reactions.
const (
	reactionLike  = "like"
	reactionBoost = "boost"
)

// postsByIDs reads remote posts that are not deleted, with their media and
// tags, in three queries whatever their number. The map is keyed by id.
func (f *Feed) postsByIDs(ctx context.Context, ids []int64) (map[int64]Post, error) {
	out := make(map[int64]Post, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(ids, 0)
	rows, err := f.query(ctx, `SELECT `+postColumns+postFrom+`
		WHERE p.id IN (`+in+`) AND p.deleted_at IS NULL`, args...)
	if err != nil {
		return nil, fmt.Errorf("posts: %w", err)
	}
	defer rows.Close()
	var posts []Post
	for rows.Next() {
		p, _, err := scanPost(rows)
		if err != nil {
			return nil, fmt.Errorf("posts: %w", err)
		}
		posts = append(posts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("posts: %w", err)
	}
	if err := f.attachPostParts(ctx, posts); err != nil {
		return nil, err
	}
	for _, p := range posts {
		out[p.ID] = p
	}
	return out, nil
}

// attachPostParts reads the media and tags of all posts in one query.
func (f *Feed) attachPostParts(ctx context.Context, posts []Post) error {
	if len(posts) == 0 {
		return nil
	}
	index := make(map[int64]int, len(posts))
	ids := make([]int64, len(posts))
	for i, p := range posts {
		index[p.ID] = i
		ids[i] = p.ID
	}
	in, args := inList(ids, 0)
	rows, err := f.query(ctx, `SELECT post_id, position, 'media', url, media_type, blurhash, alt, width, height
			FROM post_media WHERE post_id IN (`+in+`)
		UNION ALL
		SELECT post_id, position, kind, name, href, '', '', 0, 0 FROM post_tags WHERE post_id IN (`+in+`)
		ORDER BY 1, 2`, append(append([]any{}, args...), args...)...)
	if err != nil {
		return fmt.Errorf("post parts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var pos, width, height int
		var kind, a, b, c, d string
		if err := rows.Scan(&id, &pos, &kind, &a, &b, &c, &d, &width, &height); err != nil {
			return fmt.Errorf("post parts: %w", err)
		}
		p := &posts[index[id]]
		switch kind {
		case "media":
			p.Media = append(p.Media, Media{URL: a, MediaType: b, Blurhash: c, Alt: d, Width: width, Height: height})
		case tagHashtag:
			p.Tags = append(p.Tags, a)
		case tagMention:
			p.Mentions = append(p.Mentions, Mention{ActorID: b, Handle: a, Href: b})
		case tagEmoji:
			p.Emojis = append(p.Emojis, Emoji{Shortcode: a, URL: b})
		}
	}
	return rows.Err()
}

// markOwnReactions sets Liked, Boosted and Bookmarked on posts the owner
// reacted to, in one query.
func (f *Feed) markOwnReactions(ctx context.Context, posts []*Post) error {
	if len(posts) == 0 {
		return nil
	}
	byObject := make(map[string][]*Post, len(posts))
	var objects []string
	for _, p := range posts {
		if _, seen := byObject[p.ObjectID]; !seen {
			objects = append(objects, p.ObjectID)
		}
		byObject[p.ObjectID] = append(byObject[p.ObjectID], p)
	}
	in, args := inList(objects, "")
	// The list is given twice: once for the reactions, once for the bookmarks.
	all := make([]any, 0, 2*len(args)+1)
	all = append(all, args...)
	all = append(all, f.cfg.ActorID)
	all = append(all, args...)
	rows, err := f.query(ctx, `SELECT object_id, kind FROM reactions
		WHERE object_id IN (`+in+`) AND actor_id = ?
		UNION ALL SELECT object_id, '`+markBookmark+`' FROM bookmarks WHERE object_id IN (`+in+`)`, all...)
	if err != nil {
		return fmt.Errorf("own reactions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var object, kind string
		if err := rows.Scan(&object, &kind); err != nil {
			return fmt.Errorf("own reactions: %w", err)
		}
		for _, p := range byObject[object] {
			p.Liked = p.Liked || kind == reactionLike
			p.Boosted = p.Boosted || kind == reactionBoost
			p.Bookmarked = p.Bookmarked || kind == markBookmark
		}
	}
	return rows.Err()
}

// authorOf snapshots a remote actor for display. Only web URLs are kept, so
// a peer cannot slip a javascript: link into a page.
// AuthorOf snapshots an actor for timelines and notifications.
func AuthorOf(a *vocab.Actor) Author {
	if a == nil {
		return Author{}
	}
	out := Author{ActorID: a.ID, Name: strings.TrimSpace(a.Name), Type: a.Type}
	if h := a.Handle(); h != "" {
		out.Handle = "@" + h
	}
	if isWebURL(a.IconURL) {
		out.AvatarURL = a.IconURL
	}
	out.ProfileURL = a.ID
	if isWebURL(a.URL) {
		out.ProfileURL = a.URL
	}
	if out.Name == "" {
		out.Name = a.PreferredUsername
	}
	return out
}

// saveAuthor keeps the latest snapshot of an actor. A snapshot with nothing
// but an id does not overwrite a better one.
func (f *Feed) saveAuthor(ctx context.Context, db execer, a Author) error {
	if a.ActorID == "" {
		return nil
	}
	if a.Name == "" && a.Handle == "" && a.AvatarURL == "" && (a.ProfileURL == "" || a.ProfileURL == a.ActorID) {
		_, err := db.ExecContext(ctx, `INSERT INTO authors(actor_id, profile_url, updated) VALUES(?, ?, ?)
			ON CONFLICT(actor_id) DO NOTHING`, a.ActorID, a.ActorID, f.now().Unix())
		if err != nil {
			return fmt.Errorf("save author: %w", err)
		}
		return nil
	}
	_, err := db.ExecContext(ctx, `INSERT INTO authors(actor_id, name, handle, avatar_url, profile_url, actor_type, updated)
		VALUES(?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(actor_id) DO UPDATE SET name = excluded.name, handle = excluded.handle,
			avatar_url = excluded.avatar_url, profile_url = excluded.profile_url,
			actor_type = CASE WHEN excluded.actor_type <> '' THEN excluded.actor_type ELSE authors.actor_type END,
			updated = excluded.updated`,
		a.ActorID, a.Name, a.Handle, a.AvatarURL, a.ProfileURL, a.Type, f.now().Unix())
	if err != nil {
		return fmt.Errorf("save author: %w", err)
	}
	return nil
}

// authors reads snapshots by actor id; unknown actors get one with only
// their id.
func (f *Feed) authors(ctx context.Context, ids []string) (map[string]Author, error) {
	out := make(map[string]Author, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	for _, id := range ids {
		out[id] = Author{ActorID: id, ProfileURL: id}
	}
	in, args := inList(ids, "")
	rows, err := f.query(ctx, `SELECT actor_id, name, handle, avatar_url, profile_url, actor_type FROM authors
		WHERE actor_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("authors: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a Author
		if err := rows.Scan(&a.ActorID, &a.Name, &a.Handle, &a.AvatarURL, &a.ProfileURL, &a.Type); err != nil {
			return nil, fmt.Errorf("authors: %w", err)
		}
		if a.ProfileURL == "" {
			a.ProfileURL = a.ActorID
		}
		out[a.ActorID] = a
	}
	return out, rows.Err()
}
