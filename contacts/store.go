package contacts

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"roost/federation/vocab"
)

// selectContact reads a contact with its relationships; queries add their
// WHERE and ORDER BY.
const selectContact = `SELECT c.id, c.kind, COALESCE(c.actor_id, ''), COALESCE(c.feed_url, ''), c.actor_type, c.domain, c.handle, c.name,
	c.avatar_url, c.header_url, c.url, c.inbox, c.shared_inbox, c.summary_html, c.fields, c.bot, c.locked,
	c.moved_to, c.note, c.fetched, c.created,
	COALESCE(fg.state, ''), COALESCE(fg.created, 0), COALESCE(fr.state, ''), COALESCE(fr.created, 0),
	b.contact_id IS NOT NULL, COALESCE(b.created, 0), bb.contact_id IS NOT NULL, m.contact_id IS NOT NULL
	FROM contacts c
	LEFT JOIN following fg ON fg.contact_id = c.id
	LEFT JOIN followers fr ON fr.contact_id = c.id
	LEFT JOIN blocks b ON b.contact_id = c.id
	LEFT JOIN blocked_by bb ON bb.contact_id = c.id
	LEFT JOIN mutes m ON m.contact_id = c.id `

type scanner interface{ Scan(dest ...any) error }

func scanContact(s scanner) (Contact, error) {
	var c Contact
	var fields string
	var fetched, created, followingSince, followerSince, blockedSince int64
	err := s.Scan(&c.ID, &c.Kind, &c.ActorID, &c.FeedURL, &c.Type, &c.Domain, &c.Handle, &c.Name,
		&c.AvatarURL, &c.HeaderURL, &c.URL, &c.Inbox, &c.SharedInbox, &c.SummaryHTML, &fields, &c.Bot, &c.Locked,
		&c.MovedTo, &c.Note, &fetched, &created,
		&c.Following, &followingSince, &c.Follower, &followerSince,
		&c.Blocked, &blockedSince, &c.BlocksOwner, &c.Muted)
	if err != nil {
		return Contact{}, err
	}
	if err := json.Unmarshal([]byte(fields), &c.Fields); err != nil {
		return Contact{}, fmt.Errorf("contact %d fields: %w", c.ID, err)
	}
	c.Fetched, c.Created = unixTime(fetched), unixTime(created)
	c.FollowingSince, c.FollowerSince, c.BlockedSince = unixTime(followingSince), unixTime(followerSince), unixTime(blockedSince)
	return c, nil
}

func unixTime(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

// get reads one contact by its key: an actor id or a feed URL.
func (c *Contacts) get(ctx context.Context, actorID string) (Contact, error) {
	ct, err := scanContact(c.db.QueryRowContext(ctx, selectContact+`WHERE c.actor_id = ? OR c.feed_url = ?`, actorID, actorID))
	if errors.Is(err, sql.ErrNoRows) {
		return Contact{}, fmt.Errorf("get contact %s: %w", actorID, ErrNotFound)
	}
	if err != nil {
		return Contact{}, fmt.Errorf("get contact %s: %w", actorID, err)
	}
	return ct, nil
}

// list reads the contacts matching a WHERE and ORDER BY clause.
func (c *Contacts) list(ctx context.Context, op, where string, args ...any) ([]Contact, error) {
	rows, err := c.db.QueryContext(ctx, selectContact+where, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []Contact
	for rows.Next() {
		ct, err := scanContact(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, ct)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

// saveActor stores a snapshot of a remote actor, keeping the owner's note,
// and returns the contact's row id.
func (c *Contacts) saveActor(ctx context.Context, a *vocab.Actor) (int64, error) {
	if a == nil || a.ID == "" {
		return 0, errors.New("save actor: no actor id")
	}
	fj, err := fieldsJSON(a)
	if err != nil {
		return 0, fmt.Errorf("save actor %s: %w", a.ID, err)
	}
	now := c.now().Unix()
	var id int64
	// A Move may have told us of the new account before the actor document
	// says so, hence moved_to keeps its value when the document is silent.
	err = c.db.QueryRowContext(ctx, `INSERT INTO contacts(kind, actor_id, actor_type, domain, handle, name,
		avatar_url, header_url, url, inbox, shared_inbox, summary_html, fields, bot, locked, moved_to, fetched, created)
		VALUES('actor', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(actor_id) DO UPDATE SET actor_type = excluded.actor_type, domain = excluded.domain,
		handle = excluded.handle, name = excluded.name, avatar_url = excluded.avatar_url,
		header_url = excluded.header_url, url = excluded.url, inbox = excluded.inbox,
		shared_inbox = excluded.shared_inbox, summary_html = excluded.summary_html, fields = excluded.fields,
		bot = excluded.bot, locked = excluded.locked,
		moved_to = COALESCE(NULLIF(excluded.moved_to, ''), contacts.moved_to), fetched = excluded.fetched
		RETURNING id`,
		a.ID, a.Type, domainOf(a.ID), a.Handle(), a.Name, a.IconURL, a.ImageURL, a.URL, a.Inbox, a.SharedInbox,
		a.SummaryHTML, fj, a.Bot, a.ManuallyApprovesFollowers, a.MovedTo, now, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("save actor %s: %w", a.ID, err)
	}
	return id, nil
}

// ActorUpdated refreshes the snapshot of an actor the book already holds
// with the document its server serves now (federation calls it after an
// Update from the actor, or when a refetch finds the document changed).
// The inboxes matter most: deliveries to followers go where this row says.
// An actor the book does not hold is not added.
func (c *Contacts) ActorUpdated(ctx context.Context, a *vocab.Actor) error {
	if a == nil || a.ID == "" || a.Inbox == "" {
		return nil
	}
	fj, err := fieldsJSON(a)
	if err != nil {
		return fmt.Errorf("actor updated %s: %w", a.ID, err)
	}
	_, err = c.db.ExecContext(ctx, `UPDATE contacts SET actor_type = ?, handle = ?, name = ?, avatar_url = ?,
		header_url = ?, url = ?, inbox = ?, shared_inbox = ?, summary_html = ?, fields = ?, bot = ?, locked = ?,
		moved_to = COALESCE(NULLIF(?, ''), moved_to), fetched = ?
		WHERE actor_id = ? AND kind = 'actor'`,
		a.Type, a.Handle(), a.Name, a.IconURL, a.ImageURL, a.URL, a.Inbox, a.SharedInbox, a.SummaryHTML, fj,
		a.Bot, a.ManuallyApprovesFollowers, a.MovedTo, c.now().Unix(), a.ID)
	if err != nil {
		return fmt.Errorf("actor updated %s: %w", a.ID, err)
	}
	return nil
}

// fieldsJSON is an actor's profile metadata as the fields column keeps it.
func fieldsJSON(a *vocab.Actor) (string, error) {
	fields := make([]Field, 0, len(a.Fields))
	for _, f := range a.Fields {
		fields = append(fields, Field{Name: f.Name, ValueHTML: f.ValueHTML})
	}
	b, err := json.Marshal(fields)
	return string(b), err
}

// contactID finds the row id of a contact by its key (actor id or feed URL).
func (c *Contacts) contactID(ctx context.Context, actorID string) (int64, error) {
	var id int64
	err := c.db.QueryRowContext(ctx, `SELECT id FROM contacts WHERE actor_id = ? OR feed_url = ?`, actorID, actorID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("contact %s: %w", actorID, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("contact %s: %w", actorID, err)
	}
	return id, nil
}

// ensureContact returns the row id of an actor's contact, fetching the
// actor when it is new. An actor that cannot be fetched (its server is down,
// or it is gone) still gets a bare row, so the owner can block it anyway.
func (c *Contacts) ensureContact(ctx context.Context, actorID string) (int64, error) {
	id, err := c.contactID(ctx, actorID)
	if !errors.Is(err, ErrNotFound) {
		return id, err
	}
	if a, ferr := c.net.FetchActor(ctx, actorID, false); ferr == nil && a != nil && a.ID == actorID {
		return c.saveActor(ctx, a)
	}
	err = c.db.QueryRowContext(ctx, `INSERT INTO contacts(kind, actor_id, domain, created) VALUES('actor', ?, ?, ?)
		ON CONFLICT(actor_id) DO UPDATE SET domain = excluded.domain RETURNING id`,
		actorID, domainOf(actorID), c.now().Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("ensure contact %s: %w", actorID, err)
	}
	return id, nil
}

// SetNote replaces the owner's private note about a contact (an account
// or a feed).
func (c *Contacts) SetNote(ctx context.Context, actorID, note string) error {
	res, err := c.db.ExecContext(ctx, `UPDATE contacts SET note = ? WHERE actor_id = ? OR feed_url = ?`,
		strings.TrimSpace(note), actorID, actorID)
	if err != nil {
		return fmt.Errorf("set note %s: %w", actorID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("set note %s: %w", actorID, ErrNotFound)
	}
	return nil
}

// domainOf is the canonical host name of an actor id (vocab.CanonicalHost),
// the form in which blocks are stored and compared.
func domainOf(actorID string) string { return vocab.URLHost(actorID) }
