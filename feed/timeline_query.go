package feed

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
)

// A page of the home timeline is read in one statement that returns only
// what may change between two views of it: which entries are there (a
// deleted note or post drops out of the joins, as its home row goes with
// the delete), the counts, the author's snapshot and the owner's like,
// boost and bookmark. The content of each note or post comes from the contentCache, and
// the few that are not there yet are read in a batch (notesByIDs,
// postsByIDs); boosters, on a few entries only, are read apart (authors)
// when a page has any. Each statement, each row and each column costs the
// pure-Go SQLite a fixed price (a column read takes the connection's lock),
// which dominated a page when it took six statements of wide rows.
//
// Both branches return: entry id, entry kind, booster actor id, item id,
// author actor id, likes, boosts, replies, author name, handle, avatar,
// profile, actor type, and the owner's marks (1 for a like, 2 for a boost, 4 for a
// bookmark, found by the item's id as bookmarks keep it; CASE, as
// PostgreSQL does not count a boolean as a number). The
// parameters, in textual order: the page's selection and limit, then the
// note URL prefix and owner twice, then the owner twice.
const timelineNotes = `
	SELECT pg.id, pg.kind, pg.actor_id, n.id, '', n.likes, n.boosts, n.replies,
		'', '', '', '', '',
		(CASE WHEN EXISTS (SELECT 1 FROM reactions WHERE object_id = ? || n.id AND kind = '` + reactionLike + `' AND actor_id = ?) THEN 1 ELSE 0 END) +
		(CASE WHEN EXISTS (SELECT 1 FROM reactions WHERE object_id = ? || n.id AND kind = '` + reactionBoost + `' AND actor_id = ?) THEN 2 ELSE 0 END) +
		(CASE WHEN EXISTS (SELECT 1 FROM bookmarks WHERE item = n.id) THEN 4 ELSE 0 END)
	FROM page pg JOIN notes n ON n.id = pg.item AND n.author = '' AND n.deleted_at IS NULL
	WHERE pg.kind = '` + homeNote + `'`

const timelinePosts = `
	SELECT pg.id, pg.kind, pg.actor_id, p.id, p.author, p.likes, p.boosts, p.replies,
		COALESCE(a.name, ''), COALESCE(a.handle, ''), COALESCE(a.avatar_url, ''), COALESCE(a.profile_url, ''), COALESCE(a.actor_type, ''),
		(CASE WHEN EXISTS (SELECT 1 FROM reactions WHERE object_id = p.object_id AND kind = '` + reactionLike + `' AND actor_id = ?) THEN 1 ELSE 0 END) +
		(CASE WHEN EXISTS (SELECT 1 FROM reactions WHERE object_id = p.object_id AND kind = '` + reactionBoost + `' AND actor_id = ?) THEN 2 ELSE 0 END) +
		(CASE WHEN EXISTS (SELECT 1 FROM bookmarks WHERE item = p.id) THEN 4 ELSE 0 END)
	FROM page pg JOIN posts p ON p.id = pg.item AND p.deleted_at IS NULL
		LEFT JOIN authors a ON a.actor_id = p.author
	WHERE pg.kind <> '` + homeNote + `'`

// timelineSQL builds the page statement around the selection of home rows
// (where, without the WHERE keyword): the newest rows, or with oldest the
// oldest ones (pageRows puts either newest first).
//
// Each text is built once per process: built per request, every site's
// statement cache on PostgreSQL kept its own copy of the same few texts.
// The selections are few (one actor, or an IN list padded to a power of
// two), so the table stays small.
func timelineSQL(where string, oldest bool) string {
	key := timelineKey{where, oldest}
	if q, ok := timelineTexts.Load(key); ok {
		return q.(string)
	}
	order := "DESC"
	if oldest {
		order = "ASC"
	}
	q, _ := timelineTexts.LoadOrStore(key, `WITH page AS (SELECT id, kind, item, actor_id FROM home WHERE `+where+`
		ORDER BY id `+order+` LIMIT ?)`+timelineNotes+` UNION ALL `+timelinePosts)
	return q.(string)
}

type timelineKey struct {
	where  string
	oldest bool
}

var timelineTexts sync.Map

// pageArgs completes the arguments of timelineSQL after those of the
// selection and the limit.
func (f *Feed) pageArgs(args []any) []any {
	prefix, owner := f.base+"/notes/", f.cfg.ActorID
	return append(args, prefix, owner, prefix, owner, owner, owner)
}

// pageRow is one row of the page statement.
type pageRow struct {
	entry, item     int64
	kind, boosterID string
	author          Author
	likes, boosts   int
	replies         int
	reactions       int // bits: 1 the owner liked it, 2 boosted it, 4 bookmarked it
}

// readPage runs the page statement and returns the entries newest first.
func (f *Feed) readPage(ctx context.Context, query string, args []any) ([]Entry, error) {
	page, err := f.pageRows(ctx, query, args)
	if err != nil {
		return nil, err
	}
	content, err := f.pageContent(ctx, page)
	if err != nil {
		return nil, err
	}
	var boosters []string
	for _, r := range page {
		if r.kind == homeBoost {
			boosters = append(boosters, r.boosterID)
		}
	}
	who, err := f.authors(ctx, boosters)
	if err != nil {
		return nil, err
	}
	entries := make([]Entry, 0, len(page))
	for _, r := range page {
		p, ok := content[r.item]
		if !ok {
			continue // deleted between the two reads
		}
		if !p.Local {
			// The author's snapshot is read fresh: it changes when they
			// edit their profile, their posts do not.
			if r.author.ProfileURL == "" {
				r.author.ProfileURL = r.author.ActorID
			}
			p.Author = r.author
		}
		p.Likes, p.Boosts, p.Replies = r.likes, r.boosts, r.replies
		p.Liked, p.Boosted, p.Bookmarked = r.reactions&1 != 0, r.reactions&2 != 0, r.reactions&4 != 0
		e := Entry{ID: r.entry, Post: p}
		if r.kind == homeBoost {
			b := who[r.boosterID]
			e.BoostedBy = &b
		}
		entries = append(entries, e)
	}
	posts := make([]*Post, len(entries))
	for i := range entries {
		posts[i] = &entries[i].Post
	}
	if err := f.attachPolls(ctx, posts); err != nil {
		return nil, err
	}
	return entries, nil
}

// pageRows reads the page statement, newest entry first.
func (f *Feed) pageRows(ctx context.Context, query string, args []any) ([]pageRow, error) {
	rows, err := f.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var page []pageRow
	for rows.Next() {
		var r pageRow
		err := rows.Scan(&r.entry, &r.kind, &r.boosterID, &r.item, &r.author.ActorID,
			&r.likes, &r.boosts, &r.replies,
			&r.author.Name, &r.author.Handle, &r.author.AvatarURL, &r.author.ProfileURL, &r.author.Type, &r.reactions)
		if err != nil {
			return nil, fmt.Errorf("timeline row: %w", err)
		}
		page = append(page, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The notes come before the posts; sorting a few rows here is cheaper
	// than having SQLite sort them.
	slices.SortFunc(page, func(a, b pageRow) int { return cmp.Compare(b.entry, a.entry) })
	return page, nil
}

// pageContent returns the content of the page's notes and posts by id,
// from the cache or, for those not there, from the database.
func (f *Feed) pageContent(ctx context.Context, page []pageRow) (map[int64]Post, error) {
	out := make(map[int64]Post, len(page))
	var noteIDs, postIDs []int64
	for _, r := range page {
		if _, seen := out[r.item]; seen {
			continue
		}
		if p, ok := f.content.get(r.item); ok {
			out[r.item] = p
			continue
		}
		if r.kind == homeNote {
			noteIDs = append(noteIDs, r.item)
		} else {
			postIDs = append(postIDs, r.item)
		}
	}
	if len(noteIDs)+len(postIDs) == 0 {
		return out, nil
	}
	gen := f.content.generation()
	notes, err := f.notesByIDs(ctx, noteIDs)
	if err != nil {
		return nil, err
	}
	posts, err := f.postsByIDs(ctx, postIDs)
	if err != nil {
		return nil, err
	}
	loaded := make([]Post, 0, len(notes)+len(posts))
	for _, n := range notes {
		loaded = append(loaded, f.notePost(n))
	}
	for _, p := range posts {
		loaded = append(loaded, p)
	}
	f.content.put(gen, loaded)
	for _, p := range loaded {
		out[p.ID] = p
	}
	return out, nil
}
