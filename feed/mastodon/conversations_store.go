package mastodon

import (
	"context"
	"fmt"
)

// maxDirectPosts bounds how many direct posts, newest first, make up the
// conversations: a one-person site has far fewer, and older threads than
// these drop off the list rather than slowing every call.
const maxDirectPosts = 2000

// Directs is what conversations need from the feed room; the Remote over
// the feed room has it.
type Directs interface {
	// DirectPosts lists posts addressed to the people they name only, the
	// owner's and others', newest first, below beforeID when it is > 0.
	DirectPosts(ctx context.Context, limit int, beforeID int64) ([]DirectPost, error)
}

// DirectPost is a direct post with the thread it belongs to.
type DirectPost struct {
	Post
	Thread string
}

// conversation is one private thread as apps see it.
type conversation struct {
	id     int64
	thread string
	posts  []Post // newest first
	unread bool
}

// conversationMark is the API's record of a thread.
type conversationMark struct {
	id, readID, removedID int64
}

// conversationList groups the direct posts by thread, newest thread first,
// leaving out hidden authors' posts and removed conversations.
func (a *API) conversationList(ctx context.Context) ([]conversation, error) {
	d, ok := a.cfg.Remote.(Directs)
	if !ok {
		return nil, nil
	}
	list, err := d.DirectPosts(ctx, maxDirectPosts, 0)
	if err != nil {
		return nil, err
	}
	h := a.newHider(ctx)
	var order []string
	byThread := map[string][]Post{}
	for _, p := range list {
		if h.post(p.Post) {
			continue
		}
		if _, seen := byThread[p.Thread]; !seen {
			order = append(order, p.Thread)
		}
		byThread[p.Thread] = append(byThread[p.Thread], p.Post)
	}
	marks, err := a.conversationMarks(ctx, order)
	if err != nil {
		return nil, err
	}
	out := make([]conversation, 0, len(order))
	for _, th := range order {
		m, posts := marks[th], byThread[th]
		last := posts[0]
		if last.ID <= m.removedID {
			continue
		}
		out = append(out, conversation{id: m.id, thread: th, posts: posts, unread: last.Author != nil && last.ID > m.readID})
	}
	return out, nil
}

// conversationMarks reads the records of threads, adding those not seen
// before (their ids are the conversations' ids).
func (a *API) conversationMarks(ctx context.Context, threads []string) (map[string]conversationMark, error) {
	out := make(map[string]conversationMark, len(threads))
	read := func() error {
		rows, err := a.db.QueryContext(ctx, `SELECT id, thread, read_id, removed_id FROM mastodon_conversations`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m conversationMark
			var th string
			if err := rows.Scan(&m.id, &th, &m.readID, &m.removedID); err != nil {
				return err
			}
			out[th] = m
		}
		return rows.Err()
	}
	if err := read(); err != nil {
		return nil, fmt.Errorf("conversations: %w", err)
	}
	added := false
	for _, th := range threads {
		if _, ok := out[th]; ok {
			continue
		}
		if _, err := a.db.ExecContext(ctx, `INSERT INTO mastodon_conversations (thread) VALUES (?) ON CONFLICT (thread) DO NOTHING`, th); err != nil {
			return nil, fmt.Errorf("add conversation: %w", err)
		}
		added = true
	}
	if added {
		if err := read(); err != nil {
			return nil, fmt.Errorf("conversations: %w", err)
		}
	}
	return out, nil
}

// markConversation sets the read or removed mark of a conversation to its
// newest status; ErrNotFound when the conversation is not listed.
func (a *API) markConversation(ctx context.Context, id int64, column string) (conversation, error) {
	list, err := a.conversationList(ctx)
	if err != nil {
		return conversation{}, err
	}
	for _, c := range list {
		if c.id != id {
			continue
		}
		q := `UPDATE mastodon_conversations SET read_id = ? WHERE id = ?`
		if column == "removed_id" {
			q = `UPDATE mastodon_conversations SET removed_id = ? WHERE id = ?`
		}
		if _, err := a.db.ExecContext(ctx, q, c.posts[0].ID, id); err != nil {
			return conversation{}, fmt.Errorf("mark conversation: %w", err)
		}
		c.unread = false
		return c, nil
	}
	return conversation{}, ErrNotFound
}
