package contacts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"roost/federation/vocab"
)

// ErrEmptyInput is returned by Follow when nothing was typed.
var ErrEmptyInput = errors.New("contacts: nothing to follow")

// Follow resolves what the owner typed (@user@host, @domain, a URL), stores
// the account and sends it a Follow. A site without an account but with
// feeds, or the address of a feed, becomes a feed subscription instead. The follow stays pending until the
// account answers with Accept. Following someone already followed does not
// send another Follow; a pending or declined follow is asked again.
func (c *Contacts) Follow(ctx context.Context, input string) (Contact, error) {
	input = strings.TrimSpace(input)
	if input == "" {
		return Contact{}, ErrEmptyInput
	}
	res, err := c.net.Resolve(ctx, input)
	if err != nil {
		// A URL that is itself a feed has no actor and no feed links to
		// find; reading it as a feed is the last thing to try.
		if isWebURL(input) {
			if ct, ferr := c.SubscribeFeed(ctx, input); ferr == nil {
				return ct, nil
			}
		}
		rerr := &ResolveError{Input: input, Err: err}
		if res != nil {
			rerr.Tried = res.Tried
		}
		return Contact{}, rerr
	}
	if res == nil || res.Actor == nil {
		if res != nil && len(res.Feeds) > 0 {
			ct, ferr := c.SubscribeFeed(ctx, pickFeed(res.Feeds))
			if ferr == nil {
				return ct, nil
			}
			fe := &ErrFeedOnly{Input: input, Err: ferr}
			for _, f := range res.Feeds {
				fe.Feeds = append(fe.Feeds, f.URL)
			}
			return Contact{}, fe
		}
		rerr := &ResolveError{Input: input, Err: errors.New("no account found")}
		if res != nil {
			rerr.Tried = res.Tried
		}
		return Contact{}, rerr
	}
	return c.followActor(ctx, res.Actor)
}

// followActor stores the actor and sends the Follow.
func (c *Contacts) followActor(ctx context.Context, a *vocab.Actor) (Contact, error) {
	if a.ID == c.ownerID() {
		return Contact{}, ErrSelf
	}
	if c.isBlocked(ctx, a.ID) {
		return Contact{}, fmt.Errorf("follow %s: %w", a.ID, ErrBlocked)
	}
	id, err := c.saveActor(ctx, a)
	if err != nil {
		return Contact{}, fmt.Errorf("follow: %w", err)
	}
	var state string
	err = c.db.QueryRowContext(ctx, `SELECT state FROM following WHERE contact_id = ?`, id).Scan(&state)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Contact{}, fmt.Errorf("follow %s: %w", a.ID, err)
	}
	if state == StateAccepted {
		return c.Get(ctx, a.ID)
	}
	followID := c.newID("follows")
	follow := vocab.OutActivity{ID: followID, Type: vocab.TypeFollow, Object: a.ID}
	err = c.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO following(contact_id, state, activity_id, created) VALUES(?, 'pending', ?, ?)
			ON CONFLICT(contact_id) DO UPDATE SET state = 'pending', activity_id = excluded.activity_id,
			created = excluded.created`, id, followID, c.now().Unix())
		if err != nil {
			return err
		}
		return c.publish(ctx, tx, follow, a.ID)
	})
	if err != nil {
		return Contact{}, fmt.Errorf("follow %s: %w", a.ID, err)
	}
	return c.Get(ctx, a.ID)
}

// Unfollow withdraws the owner's follow (or follow request) with an Undo
// that embeds the original Follow; for a feed, it ends the subscription.
func (c *Contacts) Unfollow(ctx context.Context, actorID string) error {
	var contactID int64
	var followID, state, kind string
	err := c.db.QueryRowContext(ctx, `SELECT fg.contact_id, fg.activity_id, fg.state, c.kind FROM following fg
		JOIN contacts c ON c.id = fg.contact_id WHERE c.actor_id = ? OR c.feed_url = ?`, actorID, actorID).
		Scan(&contactID, &followID, &state, &kind)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("unfollow %s: %w", actorID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("unfollow %s: %w", actorID, err)
	}
	if kind == KindFeed {
		return c.unsubscribeFeed(ctx, contactID)
	}
	undo := vocab.OutActivity{
		ID:     followID + "#undo",
		Type:   vocab.TypeUndo,
		Object: embeddedFollow(followID, c.ownerID(), actorID),
	}
	err = c.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM following WHERE contact_id = ?`, contactID); err != nil {
			return err
		}
		if state == StateRejected {
			return nil // they declined; there is nothing to withdraw
		}
		return c.publish(ctx, tx, undo, actorID)
	})
	if err != nil {
		return fmt.Errorf("unfollow %s: %w", actorID, err)
	}
	return nil
}

// followAnswered records an Accept or Reject of the owner's follow. A
// Reject of an accepted follow is how Mastodon tells us the account
// removed the owner from its followers.
func (c *Contacts) followAnswered(ctx context.Context, actorID string, accepted bool) error {
	state := StateRejected
	if accepted {
		state = StateAccepted
	}
	res, err := c.db.ExecContext(ctx, `UPDATE following SET state = ?
		WHERE contact_id = (SELECT id FROM contacts WHERE actor_id = ?)`, state, actorID)
	if err != nil {
		return fmt.Errorf("follow answered by %s: %w", actorID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("follow answered by %s: %w", actorID, ErrNotFound)
	}
	return nil
}

// isWebURL tells an http(s) address from a handle or a bare domain.
func isWebURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}
