package feed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"roost/federation/vocab"
)

// noteColumns are read by scanNote, in this order.
const noteColumns = `id, text, html, content_warning, visibility, in_reply_to, language,
	created, updated, deleted_at, likes, boosts, replies, quote, quote_policy, quote_state, quote_authorization`

type scanner interface{ Scan(dest ...any) error }

// scanNote reads one notes row; deleted reports a tombstone.
func (f *Feed) scanNote(s scanner) (n Note, deleted time.Time, err error) {
	var created int64
	var updated, deletedAt sql.NullInt64
	err = s.Scan(&n.ID, &n.Text, &n.HTML, &n.ContentWarning, &n.Visibility, &n.InReplyTo, &n.Language,
		&created, &updated, &deletedAt, &n.Likes, &n.Boosts, &n.Replies, &n.QuoteOf,
		&n.QuotePolicy, &n.QuoteState, &n.QuoteAuthorization)
	if err != nil {
		return Note{}, time.Time{}, err
	}
	n.Created = time.Unix(created, 0).UTC()
	if updated.Valid {
		n.Updated = time.Unix(updated.Int64, 0).UTC()
	}
	if deletedAt.Valid {
		deleted = time.Unix(deletedAt.Int64, 0).UTC()
	}
	n.URL = f.NoteURL(n.ID)
	return n, deleted, nil
}

// Get reads one of the owner's notes with its media, tags and mentions.
// A deleted note is ErrGone.
func (f *Feed) Get(ctx context.Context, id int64) (Note, error) {
	n, err := f.note(ctx, id, true)
	if err != nil {
		return Note{}, fmt.Errorf("get note %d: %w", id, err)
	}
	return n, nil
}

// ByURL finds a note by its page URL (which is also its ActivityStreams id).
func (f *Feed) ByURL(ctx context.Context, rawURL string) (Note, error) {
	rest, ok := strings.CutPrefix(rawURL, f.base+"/notes/")
	id, valid := parseID(rest)
	if !ok || !valid {
		return Note{}, fmt.Errorf("note by url %q: %w", rawURL, ErrNotFound)
	}
	return f.Get(ctx, id)
}

// goneError carries the deletion time of a tombstone for the 410 document.
type goneError struct{ deleted time.Time }

func (e goneError) Error() string { return "note deleted" }
func (e goneError) Unwrap() error { return ErrGone }

// note reads a note and its media; details adds the tags and mentions,
// which the HTML page does not need (they are already in the HTML).
//
// Two flags read with the row say whether the note has media or a poll, so
// that a note with neither, most of them, costs one query rather than
// three: on PostgreSQL each is a round trip, and a note page is among the
// most read pages of a site.
func (f *Feed) note(ctx context.Context, id int64, details bool) (Note, error) {
	row := f.db.QueryRowContext(ctx, `SELECT `+noteColumns+`,
		EXISTS (SELECT 1 FROM note_media m WHERE m.note_id = notes.id),
		EXISTS (SELECT 1 FROM note_polls p WHERE p.note_id = notes.id)
		FROM notes WHERE id = ? AND author = ''`, id)
	var hasMedia, hasPoll bool
	n, deleted, err := f.scanNote(scanAlso{row, []any{&hasMedia, &hasPoll}})
	if errors.Is(err, sql.ErrNoRows) {
		return Note{}, ErrNotFound
	}
	if err != nil {
		return Note{}, err
	}
	if !deleted.IsZero() {
		return Note{}, goneError{deleted: deleted}
	}
	notes := []Note{n}
	if hasMedia {
		if err := f.attachMedia(ctx, notes); err != nil {
			return Note{}, err
		}
	}
	if details {
		if err := f.attachTagsAndMentions(ctx, notes); err != nil {
			return Note{}, err
		}
	}
	if hasPoll {
		polls, err := f.notePolls(ctx, []int64{id})
		if err != nil {
			return Note{}, err
		}
		if p, ok := polls[id]; ok {
			notes[0].Poll = &p
		}
	}
	return notes[0], nil
}

// scanAlso scans a row of a scanNote query with more columns after the
// note's.
type scanAlso struct {
	row  scanner
	more []any
}

func (s scanAlso) Scan(dest ...any) error { return s.row.Scan(append(dest, s.more...)...) }

// Create validates, renders and stores a new note, then publishes it.
func (f *Feed) Create(ctx context.Context, in NoteInput) (Note, error) {
	in = normalize(f.withDefaults(in))
	in.Poll = normalizePoll(in.Poll)
	if err := f.validate(in); err != nil {
		return Note{}, err
	}
	if err := validatePoll(in.Poll, len(in.Media)); err != nil {
		return Note{}, err
	}
	if err := f.validateQuote(ctx, in.QuoteOf); err != nil {
		return Note{}, err
	}
	created := in.Created
	if created.IsZero() {
		created = f.now()
	}
	resolve := f.cfg.ResolveMention
	if in.Quiet {
		resolve = nil
	}
	r := renderText(ctx, f.base, resolve, in.Text)
	n := Note{
		Text: in.Text, HTML: r.HTML, ContentWarning: in.ContentWarning, Visibility: in.Visibility,
		InReplyTo: in.InReplyTo, Language: in.Language, Media: in.Media, Tags: r.Tags,
		Mentions: f.withParentAuthor(ctx, in.InReplyTo, r.Mentions), Created: time.Unix(created.Unix(), 0).UTC(),
		QuoteOf: in.QuoteOf, QuotePolicy: in.QuotePolicy,
	}
	if n.QuoteOf != "" && !in.Quiet {
		// An imported note asks nobody: it was posted long ago.
		n.QuoteState = f.quoteStateFor(ctx, n.QuoteOf)
	}
	n.Poll = newPoll(in.Poll, n.Created)
	n.ID = f.nextID()
	n.URL = f.NoteURL(n.ID)
	if n.Poll != nil {
		n.Poll.ID, n.Poll.ObjectID = n.ID, n.URL
	}
	if err := f.insert(ctx, n, !in.Quiet); err != nil {
		return Note{}, fmt.Errorf("create note: %w", err)
	}
	if !in.Quiet {
		f.events.StatusCreated(ctx, n.ID)
	}
	return n, nil
}

// insert stores a new note, and queues its Create when publish is set.
func (f *Feed) insert(ctx context.Context, n Note, publish bool) error {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO notes(id, author, text, html, content_warning, visibility,
		in_reply_to, language, created, quote, quote_policy, quote_state) VALUES(?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.ID, n.Text, n.HTML, n.ContentWarning, n.Visibility, n.InReplyTo, n.Language, n.Created.Unix(), n.QuoteOf,
		n.QuotePolicy, n.QuoteState)
	if err != nil {
		return err
	}
	if err := insertParts(ctx, tx, n); err != nil {
		return err
	}
	if err := insertNotePoll(ctx, tx, n.ID, n.Poll); err != nil {
		return err
	}
	// Every note of the owner's, whatever its visibility, is on their home
	// timeline.
	if _, err := tx.ExecContext(ctx, `INSERT INTO home(id, kind, item, actor_id) VALUES(?, ?, ?, '')`, n.ID, homeNote, n.ID); err != nil {
		return fmt.Errorf("home: %w", err)
	}
	// A reply to one of the owner's own notes counts there, as a remote
	// reply does.
	if err := f.countReply(ctx, tx, n.InReplyTo, 1); err != nil {
		return err
	}
	if publish {
		if err := f.publish(ctx, tx, vocab.TypeCreate, n); err != nil {
			return err
		}
		if err := f.queueWebmentions(ctx, tx, n, false); err != nil {
			return err
		}
		if err := f.requestQuote(ctx, tx, n); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// insertParts writes a note's media, tags and mentions.
func insertParts(ctx context.Context, tx *sql.Tx, n Note) error {
	for i, m := range n.Media {
		_, err := tx.ExecContext(ctx, `INSERT INTO note_media(note_id, position, url, preview_url, media_type,
			width, height, blurhash, alt) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n.ID, i, m.URL, m.PreviewURL, m.MediaType, m.Width, m.Height, m.Blurhash, m.Alt)
		if err != nil {
			return fmt.Errorf("media: %w", err)
		}
	}
	for _, t := range n.Tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO note_tags(note_id, tag) VALUES(?, ?)`, n.ID, t); err != nil {
			return fmt.Errorf("tag: %w", err)
		}
	}
	for _, m := range n.Mentions {
		_, err := tx.ExecContext(ctx, `INSERT INTO note_mentions(note_id, actor_id, handle, href) VALUES(?, ?, ?, ?)`,
			n.ID, m.ActorID, m.Handle, m.Href)
		if err != nil {
			return fmt.Errorf("mention: %w", err)
		}
	}
	return nil
}

func deleteParts(ctx context.Context, tx *sql.Tx, id int64) error {
	for _, table := range []string{"note_media", "note_tags", "note_mentions"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE note_id = ?`, id); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}
	return nil
}

// Update replaces a note's text, content warning, reply target, language
// and media, and publishes the edit. An empty visibility keeps the old one;
// changing it is refused, because followers who already received the note
// cannot be made to forget it.
func (f *Feed) Update(ctx context.Context, id int64, in NoteInput) (Note, error) {
	old, err := f.note(ctx, id, false)
	if err != nil {
		return Note{}, fmt.Errorf("update note %d: %w", id, err)
	}
	if in.Visibility == "" {
		in.Visibility = old.Visibility
	}
	in = normalize(in)
	if in.Visibility != old.Visibility {
		return Note{}, invalid("The visibility of a note cannot change after it was posted.")
	}
	if err := f.validate(in); err != nil {
		return Note{}, err
	}
	r := renderText(ctx, f.base, f.cfg.ResolveMention, in.Text)
	n := old
	n.Text, n.HTML, n.ContentWarning, n.InReplyTo, n.Language = in.Text, r.HTML, in.ContentWarning, in.InReplyTo, in.Language
	n.Media, n.Tags, n.Mentions = in.Media, r.Tags, r.Mentions
	if in.QuotePolicy != "" {
		n.QuotePolicy = in.QuotePolicy
	}
	n.Updated = time.Unix(f.now().Unix(), 0).UTC()
	if err := f.rewrite(ctx, old, n); err != nil {
		return Note{}, fmt.Errorf("update note %d: %w", id, err)
	}
	f.events.StatusUpdated(ctx, n.ID)
	return n, nil
}

// rewrite replaces old with n, keeping old as an earlier version.
func (f *Feed) rewrite(ctx context.Context, old, n Note) error {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f.keepNoteVersion(ctx, tx, old); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE notes SET text = ?, html = ?, content_warning = ?, in_reply_to = ?,
		language = ?, updated = ?, quote_policy = ? WHERE id = ? AND author = ''`,
		n.Text, n.HTML, n.ContentWarning, n.InReplyTo, n.Language, n.Updated.Unix(), n.QuotePolicy, n.ID)
	if err != nil {
		return err
	}
	if err := deleteParts(ctx, tx, n.ID); err != nil {
		return err
	}
	if err := insertParts(ctx, tx, n); err != nil {
		return err
	}
	if err := f.publish(ctx, tx, vocab.TypeUpdate, n); err != nil {
		return err
	}
	if err := f.queueWebmentions(ctx, tx, n, false); err != nil {
		return err
	}
	return f.commitContent(tx, n.ID)
}

// Delete turns a note into a tombstone: the row stays, emptied, so that its
// URL answers 410 Gone and peers drop their copies. The Delete activity
// goes to everyone who received the note.
func (f *Feed) Delete(ctx context.Context, id int64) error {
	n, err := f.note(ctx, id, true)
	if err != nil {
		return fmt.Errorf("delete note %d: %w", id, err)
	}
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("delete note %d: %w", id, err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `UPDATE notes SET text = '', html = '', content_warning = '', in_reply_to = '',
		deleted_at = ? WHERE id = ? AND author = ''`, f.now().Unix(), id)
	if err != nil {
		return fmt.Errorf("delete note %d: %w", id, err)
	}
	if err := deleteParts(ctx, tx, id); err != nil {
		return fmt.Errorf("delete note %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM note_edits WHERE note_id = ?`, id); err != nil {
		return fmt.Errorf("delete note %d: earlier versions: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM home WHERE item = ? AND kind = ?`, id, homeNote); err != nil {
		return fmt.Errorf("delete note %d: home: %w", id, err)
	}
	if err := f.countReply(ctx, tx, n.InReplyTo, -1); err != nil {
		return fmt.Errorf("delete note %d: %w", id, err)
	}
	if err := f.publish(ctx, tx, vocab.TypeDelete, n); err != nil {
		return fmt.Errorf("delete note %d: %w", id, err)
	}
	if err := f.queueWebmentions(ctx, tx, n, true); err != nil {
		return fmt.Errorf("delete note %d: %w", id, err)
	}
	if err := f.commitContent(tx, id); err != nil {
		return fmt.Errorf("delete note %d: %w", id, err)
	}
	f.events.StatusDeleted(ctx, id)
	f.forgetShare(ctx, n.URL)
	return nil
}

// withParentAuthor adds the author of the post being answered to a reply's
// mentions, as Mastodon does, so that the reply is addressed to them and
// their server shows it in the thread even when the text names nobody.
func (f *Feed) withParentAuthor(ctx context.Context, parent string, mentions []Mention) []Mention {
	if parent == "" {
		return mentions
	}
	p, err := f.PostByObjectID(ctx, parent)
	if err != nil || p.Local || p.Author.ActorID == "" {
		return mentions
	}
	for _, m := range mentions {
		if m.ActorID == p.Author.ActorID {
			return mentions
		}
	}
	return append(mentions, Mention{ActorID: p.Author.ActorID, Handle: p.Author.Handle, Href: p.Author.ProfileURL})
}
