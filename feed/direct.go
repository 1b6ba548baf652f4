package feed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
)

// DirectPost is a post addressed to the people it names only (the owner's
// or someone else's), with the thread it belongs to.
type DirectPost struct {
	Entry
	// Thread is the object id of the thread's first post as far as roost
	// knows it; the posts of one private exchange share it.
	Thread string
}

// directSQL selects direct notes and posts for the page statement, in the
// shape of a home row, below an id; the two branches use the partial
// indexes on direct posts.
const directSQL = `WITH page AS (SELECT id, kind, item, actor_id FROM (
		SELECT id, '` + homeNote + `' AS kind, id AS item, '' AS actor_id FROM notes
			WHERE visibility = '` + VisibilityDirect + `' AND author = '' AND deleted_at IS NULL AND id < ?
		UNION ALL
		SELECT id, '` + homePost + `', id, author FROM posts
			WHERE visibility = '` + VisibilityDirect + `' AND deleted_at IS NULL AND id < ?
	) AS direct ORDER BY id DESC LIMIT ?)` + timelineNotes + ` UNION ALL ` + timelinePosts

// DirectPosts lists the direct posts newest first, limit of them with ids
// below beforeID (all when 0), each with its thread.
func (f *Feed) DirectPosts(ctx context.Context, limit int, beforeID int64) ([]DirectPost, error) {
	if beforeID <= 0 {
		beforeID = math.MaxInt64
	}
	entries, err := f.readPage(ctx, directSQL, f.pageArgs([]any{beforeID, beforeID, limit}))
	if err != nil {
		return nil, fmt.Errorf("direct posts: %w", err)
	}
	roots := map[string]string{}
	out := make([]DirectPost, 0, len(entries))
	for _, e := range entries {
		start := e.Post.Conversation
		if e.Post.Local {
			start = e.Post.InReplyTo
		}
		if start == "" {
			start = e.Post.ObjectID
		}
		root, err := f.threadRoot(ctx, start, roots)
		if err != nil {
			return nil, fmt.Errorf("direct posts: %w", err)
		}
		out = append(out, DirectPost{Entry: e, Thread: root})
	}
	return out, nil
}

// threadRoot follows a thread up from an object id to its first post as
// stored here. A remote reply to one of the owner's notes names that note
// as its conversation (the note is not in posts), and the owner's reply to
// a remote post names the post; both lead to the same root. seen
// remembers the roots found during one listing.
func (f *Feed) threadRoot(ctx context.Context, id string, seen map[string]string) (string, error) {
	start := id
	if root, ok := seen[start]; ok {
		return root, nil
	}
	// A thread deeper than this is cut short: the root found so far names
	// it, which is stable for every post of the thread.
	for range 32 {
		next, err := f.threadParent(ctx, id)
		if err != nil {
			return "", err
		}
		if next == "" || next == id {
			break
		}
		id = next
	}
	seen[start] = id
	return id, nil
}

// threadParent is where the thread of id goes on: a local note's parent,
// or a stored post's conversation; "" when id starts it.
func (f *Feed) threadParent(ctx context.Context, id string) (string, error) {
	var next string
	var err error
	if f.isLocalNote(id) {
		var n Note
		n, err = f.ByURL(ctx, id)
		next = n.InReplyTo
	} else {
		err = f.db.QueryRowContext(ctx, `SELECT conversation FROM posts WHERE object_id = ?`, id).Scan(&next)
	}
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrGone) {
		return "", nil
	}
	return next, err
}
