package feed

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// listedVisibilities are shown on the front page, tag pages and feeds;
// pagedVisibilities on /notes/, where unlisted notes may appear (as on a
// Mastodon profile); allVisibilities only to the owner.
var (
	listedVisibilities = []string{VisibilityPublic}
	pagedVisibilities  = []string{VisibilityPublic, VisibilityUnlisted}
	allVisibilities    = []string{VisibilityPublic, VisibilityUnlisted, VisibilityFollowers, VisibilityDirect}
	// ownerPagedVisibilities are what the owner sees on /notes/.
	ownerPagedVisibilities = []string{VisibilityPublic, VisibilityUnlisted, VisibilityFollowers}
)

// listQuery selects a page of the owner's notes, newest first.
type listQuery struct {
	visibilities []string
	tag          string // only notes with this tag, when set
	limit        int
	before       int64 // only ids below this, when > 0
}

// Notes lists the owner's notes newest first, limit at a time, older than
// beforeID when it is > 0. Without includePrivate only public and unlisted
// notes are listed.
func (f *Feed) Notes(ctx context.Context, limit int, beforeID int64, includePrivate bool) ([]Note, error) {
	vis := pagedVisibilities
	if includePrivate {
		vis = allVisibilities
	}
	notes, err := f.list(ctx, listQuery{visibilities: vis, limit: limit, before: beforeID})
	if err != nil {
		return nil, fmt.Errorf("list notes: %w", err)
	}
	return notes, nil
}

// Tagged lists the public notes that carry tag, newest first.
func (f *Feed) Tagged(ctx context.Context, tag string, limit int, beforeID int64) ([]Note, error) {
	q := listQuery{visibilities: listedVisibilities, tag: strings.ToLower(tag), limit: limit, before: beforeID}
	notes, err := f.list(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("list notes tagged %q: %w", tag, err)
	}
	return notes, nil
}

// publicNotes lists public notes only (front page and feeds).
func (f *Feed) publicNotes(ctx context.Context, limit int, beforeID int64) ([]Note, error) {
	notes, err := f.list(ctx, listQuery{visibilities: listedVisibilities, limit: limit, before: beforeID})
	if err != nil {
		return nil, fmt.Errorf("list public notes: %w", err)
	}
	return notes, nil
}

func (f *Feed) list(ctx context.Context, q listQuery) ([]Note, error) {
	switch {
	case q.limit <= 0:
		q.limit = notesPerPage
	case q.limit > 200:
		q.limit = 200
	}
	if q.before <= 0 {
		q.before = math.MaxInt64
	}
	args := []any{q.before}
	for _, v := range q.visibilities {
		args = append(args, v)
	}
	cond := `author = '' AND id < ? AND deleted_at IS NULL AND visibility IN (` + placeholders(len(q.visibilities)) + `)`
	if q.tag != "" {
		cond += ` AND id IN (SELECT note_id FROM note_tags WHERE tag = ?)`
		args = append(args, q.tag)
	}
	cond += ` ORDER BY id DESC LIMIT ?`
	args = append(args, q.limit)
	notes, err := f.notesWhere(ctx, cond, args...)
	if err != nil {
		return nil, err
	}
	if err := f.attachTagsAndMentions(ctx, notes); err != nil {
		return nil, err
	}
	return notes, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// noteIndex maps ids to positions for attaching rows read in one query.
func noteIndex(notes []Note) (map[int64]int, []int64) {
	index := make(map[int64]int, len(notes))
	ids := make([]int64, len(notes))
	for i, n := range notes {
		index[n.ID] = i
		ids[i] = n.ID
	}
	return index, ids
}

// attachMedia reads the media of all notes in one query.
func (f *Feed) attachMedia(ctx context.Context, notes []Note) error {
	if len(notes) == 0 {
		return nil
	}
	index, ids := noteIndex(notes)
	in, args := inList(ids, 0)
	rows, err := f.query(ctx, `SELECT note_id, url, preview_url, media_type, width, height, blurhash, alt
		FROM note_media WHERE note_id IN (`+in+`) ORDER BY note_id, position`, args...)
	if err != nil {
		return fmt.Errorf("media: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var m Media
		if err := rows.Scan(&id, &m.URL, &m.PreviewURL, &m.MediaType, &m.Width, &m.Height, &m.Blurhash, &m.Alt); err != nil {
			return fmt.Errorf("media: %w", err)
		}
		n := &notes[index[id]]
		n.Media = append(n.Media, m)
	}
	return rows.Err()
}

// attachTagsAndMentions reads tags and mentions together in one query.
func (f *Feed) attachTagsAndMentions(ctx context.Context, notes []Note) error {
	if len(notes) == 0 {
		return nil
	}
	index, ids := noteIndex(notes)
	in, args := inList(ids, 0)
	rows, err := f.query(ctx, `SELECT note_id, 0, tag, '', '' FROM note_tags WHERE note_id IN (`+in+`)
		UNION ALL
		SELECT note_id, 1, handle, actor_id, href FROM note_mentions WHERE note_id IN (`+in+`)`,
		append(append([]any{}, args...), args...)...)
	if err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind int
		var name, actor, href string
		if err := rows.Scan(&id, &kind, &name, &actor, &href); err != nil {
			return fmt.Errorf("tags: %w", err)
		}
		n := &notes[index[id]]
		if kind == 0 {
			n.Tags = append(n.Tags, name)
		} else {
			n.Mentions = append(n.Mentions, Mention{ActorID: actor, Handle: name, Href: href})
		}
	}
	return rows.Err()
}
