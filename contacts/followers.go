package contacts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"roost/federation/vocab"
)

// followRequested records a Follow of the owner and tells whether it was
// accepted at once. A repeated Follow from an accepted follower is accepted
// again with its new id: Mastodon re-sends Follows when it lost track (after
// a migration or a database restore) and waits for a fresh Accept.
func (c *Contacts) followRequested(ctx context.Context, follow *vocab.Activity, from *vocab.Actor) (bool, error) {
	if follow == nil || from == nil || follow.ID == "" {
		return false, errors.New("follow requested: missing activity or actor")
	}
	if follow.ObjectID != "" && follow.ObjectID != c.ownerID() {
		return false, fmt.Errorf("follow requested by %s: object %s is not the owner", from.ID, follow.ObjectID)
	}
	if c.isBlocked(ctx, from.ID) {
		return false, fmt.Errorf("follow requested by %s: %w", from.ID, ErrBlocked)
	}
	id, err := c.saveActor(ctx, from)
	if err != nil {
		return false, fmt.Errorf("follow requested: %w", err)
	}
	state := StateAccepted
	if c.approves(ctx) {
		state = StatePending
	}
	var stored string
	err = c.db.QueryRowContext(ctx, `INSERT INTO followers(contact_id, state, activity_id, created) VALUES(?, ?, ?, ?)
		ON CONFLICT(contact_id) DO UPDATE SET activity_id = excluded.activity_id,
		state = CASE WHEN followers.state = 'accepted' THEN 'accepted' ELSE excluded.state END
		RETURNING state`, id, state, follow.ID, c.now().Unix()).Scan(&stored)
	if err != nil {
		return false, fmt.Errorf("follow requested by %s: %w", from.ID, err)
	}
	return stored == StateAccepted, nil
}

// followUndone removes a follower. An Undo for a follow that is not known
// is not an error: the follower is gone either way.
func (c *Contacts) followUndone(ctx context.Context, actorID string) error {
	_, err := c.db.ExecContext(ctx, `DELETE FROM followers WHERE contact_id = (SELECT id FROM contacts WHERE actor_id = ?)`, actorID)
	if err != nil {
		return fmt.Errorf("follow undone by %s: %w", actorID, err)
	}
	return nil
}

// followUndoneByID removes the follower whose Follow had followID.
func (c *Contacts) followUndoneByID(ctx context.Context, actorID, followID string) error {
	_, err := c.db.ExecContext(ctx, `DELETE FROM followers WHERE activity_id = ?
		AND contact_id = (SELECT id FROM contacts WHERE actor_id = ?)`, followID, actorID)
	if err != nil {
		return fmt.Errorf("follow %s undone by %s: %w", followID, actorID, err)
	}
	return nil
}

// Approve accepts a pending follow request with an Accept that embeds the
// follower's Follow.
func (c *Contacts) Approve(ctx context.Context, actorID string) error {
	contactID, followID, err := c.follower(ctx, actorID, StatePending)
	if err != nil {
		return fmt.Errorf("approve: %w", err)
	}
	accept := vocab.OutActivity{
		ID:     c.newID("accepts"),
		Type:   vocab.TypeAccept,
		Object: embeddedFollow(followID, actorID, c.ownerID()),
	}
	err = c.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE followers SET state = 'accepted' WHERE contact_id = ?`, contactID); err != nil {
			return err
		}
		return c.publish(ctx, tx, accept, actorID)
	})
	if err != nil {
		return fmt.Errorf("approve %s: %w", actorID, err)
	}
	return nil
}

// Reject declines a pending follow request.
func (c *Contacts) Reject(ctx context.Context, actorID string) error {
	return c.dropFollower(ctx, "reject", actorID, StatePending)
}

// RemoveFollower removes an accepted follower. Like Mastodon, it tells the
// follower's server with a Reject of their Follow, which makes it drop the
// follow on its side too.
func (c *Contacts) RemoveFollower(ctx context.Context, actorID string) error {
	return c.dropFollower(ctx, "remove follower", actorID, StateAccepted)
}

func (c *Contacts) dropFollower(ctx context.Context, op, actorID, state string) error {
	contactID, followID, err := c.follower(ctx, actorID, state)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	reject := vocab.OutActivity{
		ID:     c.newID("rejects"),
		Type:   vocab.TypeReject,
		Object: embeddedFollow(followID, actorID, c.ownerID()),
	}
	err = c.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM followers WHERE contact_id = ?`, contactID); err != nil {
			return err
		}
		return c.publish(ctx, tx, reject, actorID)
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, actorID, err)
	}
	return nil
}

// follower finds a follower in the given state and the id of their Follow.
func (c *Contacts) follower(ctx context.Context, actorID, state string) (contactID int64, followID string, err error) {
	err = c.db.QueryRowContext(ctx, `SELECT fr.contact_id, fr.activity_id FROM followers fr
		JOIN contacts c ON c.id = fr.contact_id WHERE c.actor_id = ? AND fr.state = ?`, actorID, state).Scan(&contactID, &followID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("%s follower %s: %w", state, actorID, ErrNotFound)
	}
	if err != nil {
		return 0, "", fmt.Errorf("%s follower %s: %w", state, actorID, err)
	}
	return contactID, followID, nil
}
