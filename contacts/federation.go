package contacts

import (
	"context"
	"fmt"
	"slices"

	"roost/federation"
	"roost/federation/vocab"
)

// The federation room declares the interfaces it dispatches to. Two of them
// share method names with different meanings (FollowHandler.Blocked records
// being blocked, Gatekeeper.Blocked asks whether a sender is blocked) and
// AudienceProvider's Followers/Following page through ids, so each is
// served by a small adapter rather than by *Contacts itself.

// The room keeps its snapshots of remote actors fresh itself.
var _ federation.ProfileHandler = (*Contacts)(nil)

// FollowHandler returns the room as the inbox's follow handler.
func (c *Contacts) FollowHandler() federation.FollowHandler { return inbound{c} }

// Audience returns the room as the provider of followers and following.
func (c *Contacts) Audience() federation.AudienceProvider { return audience{c} }

// Gatekeeper returns the room as the inbox's block check.
func (c *Contacts) Gatekeeper() federation.Gatekeeper { return gate{c} }

// IsBlocked tells whether the owner blocked the actor or its domain.
func (c *Contacts) IsBlocked(ctx context.Context, actorID string) bool {
	return c.isBlocked(ctx, actorID)
}

type inbound struct{ c *Contacts }

func (h inbound) FollowRequested(ctx context.Context, follow *vocab.Activity, from *vocab.Actor) (bool, error) {
	return h.c.followRequested(ctx, follow, from)
}

func (h inbound) FollowUndone(ctx context.Context, actorID string) error {
	return h.c.followUndone(ctx, actorID)
}

func (h inbound) FollowAnswered(ctx context.Context, actorID string, accepted bool) error {
	return h.c.followAnswered(ctx, actorID, accepted)
}

func (h inbound) Blocked(ctx context.Context, actorID string) error {
	return h.c.blockedBy(ctx, actorID)
}

func (h inbound) Unblocked(ctx context.Context, actorID string) error {
	return h.c.unblockedBy(ctx, actorID)
}

func (h inbound) FollowUndoneByID(ctx context.Context, actorID, followID string) error {
	return h.c.followUndoneByID(ctx, actorID, followID)
}

func (h inbound) Moved(ctx context.Context, actorID, target string) error {
	return h.c.moved(ctx, actorID, target)
}

type gate struct{ c *Contacts }

func (g gate) Blocked(ctx context.Context, actorID string) bool { return g.c.isBlocked(ctx, actorID) }

type audience struct{ c *Contacts }

// FollowerInboxes prefers shared inboxes: one delivery per server instead of
// one per follower there.
func (a audience) FollowerInboxes(ctx context.Context) ([]string, error) {
	rows, err := a.c.db.QueryContext(ctx, `SELECT DISTINCT
		CASE WHEN c.shared_inbox <> '' THEN c.shared_inbox ELSE c.inbox END AS box
		FROM followers fr JOIN contacts c ON c.id = fr.contact_id
		WHERE fr.state = 'accepted' AND (c.shared_inbox <> '' OR c.inbox <> '') ORDER BY box`)
	if err != nil {
		return nil, fmt.Errorf("follower inboxes: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var box string
		if err := rows.Scan(&box); err != nil {
			return nil, fmt.Errorf("follower inboxes: %w", err)
		}
		out = append(out, box)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("follower inboxes: %w", err)
	}
	return out, nil
}

func (a audience) Followers(ctx context.Context, offset, limit int) ([]string, int, error) {
	return a.c.collection(ctx, "followers", `fr.state = 'accepted'`, "fr", offset, limit)
}

// Following lists only accepted follows: a pending request is not yet a
// relationship the other side agreed to show.
func (a audience) Following(ctx context.Context, offset, limit int) ([]string, int, error) {
	return a.c.collection(ctx, "following", `fg.state = 'accepted'`, "fg", offset, limit)
}

func (c *Contacts) collection(ctx context.Context, name, where, alias string, offset, limit int) ([]string, int, error) {
	from := ` FROM contacts c LEFT JOIN following fg ON fg.contact_id = c.id
		LEFT JOIN followers fr ON fr.contact_id = c.id WHERE c.kind = 'actor' AND ` + where
	var total int
	if err := c.db.QueryRowContext(ctx, `SELECT COUNT(*)`+from).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("%s collection: %w", name, err)
	}
	rows, err := c.db.QueryContext(ctx, `SELECT c.actor_id`+from+
		` ORDER BY `+alias+`.created DESC, `+alias+`.id DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("%s collection: %w", name, err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, 0, fmt.Errorf("%s collection: %w", name, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("%s collection: %w", name, err)
	}
	return ids, total, nil
}

// moved records that an account moved. When the owner follows it, the
// follow moves along, as Mastodon does, but only when the new account names
// the old one among its aliases: otherwise anyone could send a Move that
// redirects the owner's follows.
func (c *Contacts) moved(ctx context.Context, actorID, target string) error {
	now := c.now().Unix()
	if _, err := c.db.ExecContext(ctx, `INSERT INTO moves(actor_id, target, created) VALUES(?, ?, ?)`,
		actorID, target, now); err != nil {
		return fmt.Errorf("moved %s: %w", actorID, err)
	}
	if _, err := c.db.ExecContext(ctx, `UPDATE contacts SET moved_to = ? WHERE actor_id = ?`, target, actorID); err != nil {
		return fmt.Errorf("moved %s: %w", actorID, err)
	}
	if !c.FollowsAuthor(ctx, actorID) {
		return nil
	}
	to, err := c.net.FetchActor(ctx, target, true)
	if err != nil {
		return fmt.Errorf("moved %s: fetch %s: %w", actorID, target, err)
	}
	if to.ID != target || !slices.Contains(to.AlsoKnownAs, actorID) {
		return nil
	}
	if _, err := c.followActor(ctx, to); err != nil {
		return fmt.Errorf("moved %s: %w", actorID, err)
	}
	if err := c.Unfollow(ctx, actorID); err != nil {
		return fmt.Errorf("moved %s: %w", actorID, err)
	}
	return nil
}
