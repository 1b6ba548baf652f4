package feed

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"roost/federation/vocab"
)

// maxReplyIRIs caps the replies a collection lists: a thread with more is
// a flood, and its first pages are what servers crawl.
const maxReplyIRIs = vocab.MaxRepliesPage * vocab.RepliesPageSize

// replyIRIs lists the ids of the public and unlisted replies to objectID,
// the owner's and others' alike, in the order they were written.
func (f *Feed) replyIRIs(ctx context.Context, db rowsQuerier, objectID string) ([]string, error) {
	type reply struct {
		id string
		at int64
	}
	var all []reply
	vis := placeholders(len(pagedVisibilities))
	args := []any{objectID}
	for _, v := range pagedVisibilities {
		args = append(args, v)
	}
	read := func(query string, iri func(string) string) error {
		rows, err := db.QueryContext(ctx, query, append(args, maxReplyIRIs)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r reply
			if err := rows.Scan(&r.id, &r.at); err != nil {
				return err
			}
			r.id = iri(r.id)
			all = append(all, r)
		}
		return rows.Err()
	}
	err := read(`SELECT object_id, published FROM posts WHERE in_reply_to = ? AND deleted_at IS NULL
		AND visibility IN (`+vis+`) ORDER BY published, id LIMIT ?`, func(s string) string { return s })
	if err != nil {
		return nil, fmt.Errorf("reply iris %s: %w", objectID, err)
	}
	err = read(`SELECT CAST(id AS TEXT), created FROM notes WHERE author = '' AND in_reply_to = ? AND deleted_at IS NULL
		AND visibility IN (`+vis+`) ORDER BY created, id LIMIT ?`, func(s string) string {
		id, _ := strconv.ParseInt(s, 10, 64)
		return f.NoteURL(id)
	})
	if err != nil {
		return nil, fmt.Errorf("reply iris %s: %w", objectID, err)
	}
	slices.SortStableFunc(all, func(a, b reply) int { return cmp.Compare(a.at, b.at) })
	out := make([]string, 0, min(len(all), maxReplyIRIs))
	for _, r := range all[:min(len(all), maxReplyIRIs)] {
		out = append(out, r.id)
	}
	return out, nil
}

// repliesOf is a note's replies collection with its first page, embedded
// in the Note roost serves and sends.
func (f *Feed) repliesOf(ctx context.Context, db rowsQuerier, n Note) (*vocab.OutReplies, error) {
	ids, err := f.replyIRIs(ctx, db, n.URL)
	if err != nil {
		return nil, err
	}
	return &vocab.OutReplies{ID: n.URL + "/replies", Total: len(ids), First: ids}, nil
}

// objectWithReplies is the Note of n with its replies embedded.
func (f *Feed) objectWithReplies(ctx context.Context, db rowsQuerier, n Note) (vocab.OutObject, error) {
	o := f.object(n)
	r, err := f.repliesOf(ctx, db, n)
	if err != nil {
		return o, err
	}
	o.Replies = r
	return o, nil
}

// rowsQuerier is the database or a transaction.
type rowsQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// writeReplies answers for a replies collection of ids: the collection
// with its first page, or the page asked for.
func writeReplies(w http.ResponseWriter, r *http.Request, collection string, ids []string) {
	n, ok := vocab.RepliesPageParam(r.URL.Query().Get("page"))
	if !ok {
		http.Error(w, "page must be a page number", http.StatusBadRequest)
		return
	}
	body, err := vocab.RepliesDocument(collection, n, ids)
	if err != nil {
		http.Error(w, "try again later", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Vary", "Accept")
	writeActivityJSON(w, http.StatusOK, body)
}
