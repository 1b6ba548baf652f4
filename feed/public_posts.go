package feed

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// PublicQuery selects a page of others' public posts kept here.
type PublicQuery struct {
	// Tag keeps only posts with this hashtag (in any case), when set.
	Tag string
	// OnlyMedia keeps only posts with attachments.
	OnlyMedia bool
	Limit     int
	// Before and After are exclusive bounds on the ids, ignored when 0;
	// Oldest takes the posts just above After instead of the newest.
	Before, After int64
	Oldest        bool
}

// PublicPosts lists the public posts of other people that the site holds
// (from the accounts the owner follows, threads it fetched, replies),
// newest first: what a Mastodon server shows as its federated timeline.
// Items of web feeds are left out; they are no one's fediverse posts.
func (f *Feed) PublicPosts(ctx context.Context, q PublicQuery) ([]Entry, error) {
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = notesPerPage
	}
	if q.Before <= 0 {
		q.Before = math.MaxInt64
	}
	where := `p.visibility = '` + VisibilityPublic + `' AND p.deleted_at IS NULL AND p.source = 'activitypub' AND p.id < ? AND p.id > ?`
	args := []any{q.Before, q.After}
	if q.Tag != "" {
		where += ` AND p.id IN (SELECT post_id FROM post_tags WHERE kind = '` + tagHashtag + `' AND lower(name) = ?)`
		args = append(args, strings.ToLower(strings.TrimPrefix(q.Tag, "#")))
	}
	if q.OnlyMedia {
		where += ` AND EXISTS (SELECT 1 FROM post_media m WHERE m.post_id = p.id)`
	}
	order := "DESC"
	if q.Oldest {
		order = "ASC"
	}
	query := `WITH page AS (SELECT p.id AS id, '` + homePost + `' AS kind, p.id AS item, p.author AS actor_id FROM posts p
		WHERE ` + where + ` ORDER BY p.id ` + order + ` LIMIT ?)` + timelineNotes + ` UNION ALL ` + timelinePosts
	entries, err := f.readPage(ctx, query, f.pageArgs(append(args, q.Limit)))
	if err != nil {
		return nil, fmt.Errorf("public posts: %w", err)
	}
	return entries, nil
}
