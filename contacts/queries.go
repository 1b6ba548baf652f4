package contacts

import (
	"context"
	"fmt"
)

// Get returns the contact of an actor with its relationships.
func (c *Contacts) Get(ctx context.Context, actorID string) (Contact, error) {
	ct, err := c.get(ctx, actorID)
	if err != nil {
		return Contact{}, err
	}
	ct.DomainBlocked, err = c.domainBlocked(ctx, ct.Domain)
	if err != nil {
		return Contact{}, err
	}
	return ct, nil
}

// Following lists the accounts the owner follows or asked to follow,
// newest first; Contact.Following tells pending from accepted.
func (c *Contacts) Following(ctx context.Context) ([]Contact, error) {
	return c.list(ctx, "list following",
		`WHERE fg.state IN ('pending', 'accepted') ORDER BY fg.created DESC, fg.id DESC`)
}

// Followers lists the accounts that follow the owner, newest first.
func (c *Contacts) Followers(ctx context.Context) ([]Contact, error) {
	return c.list(ctx, "list followers", `WHERE fr.state = 'accepted' ORDER BY fr.created DESC, fr.id DESC`)
}

// Requests lists the follow requests waiting for the owner, newest first.
func (c *Contacts) Requests(ctx context.Context) ([]Contact, error) {
	return c.list(ctx, "list requests", `WHERE fr.state = 'pending' ORDER BY fr.created DESC, fr.id DESC`)
}

// Blocks lists the accounts the owner blocked, newest first.
func (c *Contacts) Blocks(ctx context.Context) ([]Contact, error) {
	return c.list(ctx, "list blocks", `WHERE b.contact_id IS NOT NULL ORDER BY b.created DESC, c.id DESC`)
}

// DomainBlocks lists the blocked domains, alphabetically.
func (c *Contacts) DomainBlocks(ctx context.Context) ([]DomainBlock, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT domain, created FROM domain_blocks ORDER BY domain`)
	if err != nil {
		return nil, fmt.Errorf("list domain blocks: %w", err)
	}
	defer rows.Close()
	var out []DomainBlock
	for rows.Next() {
		var d DomainBlock
		var created int64
		if err := rows.Scan(&d.Domain, &created); err != nil {
			return nil, fmt.Errorf("list domain blocks: %w", err)
		}
		d.Created = unixTime(created)
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list domain blocks: %w", err)
	}
	return out, nil
}

// Counts is how many contacts each list of the contacts page holds.
type Counts struct {
	Following, Followers, Requests, Blocks, DomainBlocks int
	Mutuals, Feeds, Muted                                int
}

// Count counts the lists.
func (c *Contacts) Count(ctx context.Context) (Counts, error) {
	var n Counts
	err := c.db.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM following WHERE state IN ('pending', 'accepted')),
		(SELECT COUNT(*) FROM followers WHERE state = 'accepted'),
		(SELECT COUNT(*) FROM followers WHERE state = 'pending'),
		(SELECT COUNT(*) FROM blocks),
		(SELECT COUNT(*) FROM domain_blocks),
		(SELECT COUNT(*) FROM following fg JOIN followers fr ON fr.contact_id = fg.contact_id
			WHERE fg.state = 'accepted' AND fr.state = 'accepted'),
		(SELECT COUNT(*) FROM feed_polls),
		(SELECT COUNT(*) FROM mutes)`).Scan(&n.Following, &n.Followers, &n.Requests, &n.Blocks, &n.DomainBlocks,
		&n.Mutuals, &n.Feeds, &n.Muted)
	if err != nil {
		return Counts{}, fmt.Errorf("count contacts: %w", err)
	}
	return n, nil
}

// IsFollowing tells whether the owner follows the actor and was accepted.
func (c *Contacts) IsFollowing(ctx context.Context, actorID string) bool {
	return c.exists(ctx, `SELECT 1 FROM following fg JOIN contacts c ON c.id = fg.contact_id
		WHERE c.actor_id = ? AND fg.state = 'accepted'`, actorID)
}

// IsFollower tells whether the actor follows the owner (accepted).
func (c *Contacts) IsFollower(ctx context.Context, actorID string) bool {
	return c.exists(ctx, `SELECT 1 FROM followers fr JOIN contacts c ON c.id = fr.contact_id
		WHERE c.actor_id = ? AND fr.state = 'accepted'`, actorID)
}

// FollowsAuthor tells the feed room whether to keep a post by this actor
// (or an item of this feed URL): the owner follows them. A pending follow
// counts too, because servers start delivering posts as soon as they send
// their Accept, and the post can arrive before the Accept is processed.
func (c *Contacts) FollowsAuthor(ctx context.Context, actorID string) bool {
	return c.exists(ctx, `SELECT 1 FROM following fg JOIN contacts c ON c.id = fg.contact_id
		WHERE (c.actor_id = ? OR c.feed_url = ?) AND fg.state IN ('pending', 'accepted')`, actorID, actorID)
}

// exists runs a query that selects 1 when something exists. A database error
// reads as "no": these answer yes/no questions on hot paths where the
// caller has no better fallback.
func (c *Contacts) exists(ctx context.Context, query string, args ...any) bool {
	var one int
	return c.db.QueryRowContext(ctx, query, args...).Scan(&one) == nil
}
