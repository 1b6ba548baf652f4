package feed

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// Threads reach this deep below a post; deeper replies are rare and the
// page would be unreadable anyway.
const (
	maxReplyDepth    = 8
	maxAncestors     = 20
	maxThreadReplies = 200
)

// replyNode is a post with the stored replies to it.
type replyNode struct {
	post     Post
	children []replyNode
}

// replyTree collects the stored replies below objectID, level by level
// (one query for remote posts and one for the owner's notes per level),
// oldest first within a level. Without private only public and unlisted
// posts are included. Each post is taken once, at the level it is first
// met: remote posts may answer each other in a cycle, and a tree built
// from every path through it would grow four-fold with each level. The
// posts named in shown (the ancestors on the page) are left out too.
func (f *Feed) replyTree(ctx context.Context, objectID string, private bool, shown ...string) ([]replyNode, error) {
	vis := pagedVisibilities
	if private {
		vis = allVisibilities
	}
	children := map[string][]Post{}
	parents := []string{objectID}
	seen := map[string]bool{objectID: true}
	for _, id := range shown {
		seen[id] = true
	}
	var all []*Post
	total := 0
	for depth := 0; depth < maxReplyDepth && len(parents) > 0 && total < maxThreadReplies; depth++ {
		level, err := f.repliesTo(ctx, parents, vis)
		if err != nil {
			return nil, fmt.Errorf("replies to %s: %w", objectID, err)
		}
		parents = parents[:0]
		for _, p := range level {
			if seen[p.ObjectID] {
				continue
			}
			seen[p.ObjectID] = true
			children[p.InReplyTo] = append(children[p.InReplyTo], p)
			parents = append(parents, p.ObjectID)
		}
		total += len(parents)
	}
	for k := range children {
		// Remote posts and notes were read apart; a thread reads in the
		// order it was written (ids say when posts arrived, not that).
		slices.SortFunc(children[k], func(a, b Post) int {
			return cmp.Or(a.Published.Compare(b.Published), cmp.Compare(a.ID, b.ID))
		})
		for i := range children[k] {
			all = append(all, &children[k][i])
		}
	}
	if err := f.markOwnReactions(ctx, all); err != nil {
		return nil, err
	}
	var build func(id string, depth int) []replyNode
	build = func(id string, depth int) []replyNode {
		var out []replyNode
		for _, p := range children[id] {
			n := replyNode{post: p}
			if depth < maxReplyDepth {
				n.children = build(p.ObjectID, depth+1)
			}
			out = append(out, n)
		}
		return out
	}
	return build(objectID, 1), nil
}

// repliesTo reads the posts and notes that answer any of parents.
func (f *Feed) repliesTo(ctx context.Context, parents []string, vis []string) ([]Post, error) {
	args := make([]any, 0, len(parents)+len(vis))
	for _, p := range parents {
		args = append(args, p)
	}
	for _, v := range vis {
		args = append(args, v)
	}
	cond := `in_reply_to IN (` + placeholders(len(parents)) + `) AND deleted_at IS NULL
		AND visibility IN (` + placeholders(len(vis)) + `)`
	rows, err := f.db.QueryContext(ctx, `SELECT `+postColumns+postFrom+
		` WHERE p.id IN (SELECT id FROM posts WHERE `+cond+`) ORDER BY p.id LIMIT ?`, append(args, maxThreadReplies)...)
	if err != nil {
		return nil, err
	}
	var posts []Post
	for rows.Next() {
		p, _, err := scanPost(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		posts = append(posts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := f.attachPostParts(ctx, posts); err != nil {
		return nil, err
	}
	notes, err := f.notesWhere(ctx, `author = '' AND `+cond+` ORDER BY id LIMIT ?`, append(args, maxThreadReplies)...)
	if err != nil {
		return nil, err
	}
	for _, n := range notes {
		posts = append(posts, f.notePost(n))
	}
	return posts, nil
}

// notesWhere reads the owner's notes matching a condition, with media.
func (f *Feed) notesWhere(ctx context.Context, cond string, args ...any) ([]Note, error) {
	rows, err := f.query(ctx, `SELECT `+noteColumns+` FROM notes WHERE `+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var notes []Note
	for rows.Next() {
		n, _, err := f.scanNote(rows)
		if err != nil {
			return nil, err
		}
		notes = append(notes, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := f.attachMedia(ctx, notes); err != nil {
		return nil, err
	}
	return notes, nil
}
