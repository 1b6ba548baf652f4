package contacts

import (
	"context"
	"fmt"
)

// Mute hides an account (or a feed) from the owner's timelines without
// telling anyone: nothing is sent, the follows stay. hideNotifications
// also keeps its mentions and reactions out of the notifications, as
// Mastodon's mute option does.
func (c *Contacts) Mute(ctx context.Context, actorID string, hideNotifications bool) error {
	if actorID == c.ownerID() {
		return ErrSelf
	}
	id, err := c.contactID(ctx, actorID)
	if err != nil {
		if !isWebURL(actorID) {
			return fmt.Errorf("mute: %w", err)
		}
		if id, err = c.ensureContact(ctx, actorID); err != nil {
			return fmt.Errorf("mute: %w", err)
		}
	}
	_, err = c.db.ExecContext(ctx, `INSERT INTO mutes(contact_id, hide_notifications, created) VALUES(?, ?, ?)
		ON CONFLICT(contact_id) DO UPDATE SET hide_notifications = excluded.hide_notifications`,
		id, hideNotifications, c.now().Unix())
	if err != nil {
		return fmt.Errorf("mute %s: %w", actorID, err)
	}
	c.hide(ctx, actorID, "")
	return nil
}

// Unmute shows a muted contact again.
func (c *Contacts) Unmute(ctx context.Context, actorID string) error {
	res, err := c.db.ExecContext(ctx, `DELETE FROM mutes WHERE contact_id =
		(SELECT id FROM contacts WHERE actor_id = ? OR feed_url = ?)`, actorID, actorID)
	if err != nil {
		return fmt.Errorf("unmute %s: %w", actorID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("unmute %s: %w", actorID, ErrNotFound)
	}
	return nil
}

// IsMuted tells whether the owner muted the account or feed.
func (c *Contacts) IsMuted(ctx context.Context, actorID string) bool {
	return c.exists(ctx, `SELECT 1 FROM mutes m JOIN contacts c ON c.id = m.contact_id
		WHERE c.actor_id = ? OR c.feed_url = ?`, actorID, actorID)
}

// Hidden tells the home timeline to leave out an author: blocked, on a
// blocked domain, or muted.
func (c *Contacts) Hidden(ctx context.Context, actorID string) bool {
	return c.isBlocked(ctx, actorID) || c.IsMuted(ctx, actorID)
}

// Mutes lists the muted contacts, newest first.
func (c *Contacts) Mutes(ctx context.Context) ([]Contact, error) {
	return c.list(ctx, "list mutes", `WHERE m.contact_id IS NOT NULL ORDER BY c.id DESC`)
}

// mutedHidesNotifications reads the mute option for the CSV export.
func (c *Contacts) mutedHidesNotifications(ctx context.Context, contactID int64) bool {
	return c.exists(ctx, `SELECT 1 FROM mutes WHERE contact_id = ? AND hide_notifications <> 0`, contactID)
}
