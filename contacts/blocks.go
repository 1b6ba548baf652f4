package contacts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"roost/federation/vocab"
)

// ErrBadDomain is returned for a domain block that names no domain.
var ErrBadDomain = errors.New("contacts: not a domain name")

// Block blocks an account: both follows end, its activities are dropped at
// the door, and it is told with a Block. Mastodon, GoToSocial and Misskey
// remove the follows on their side when a Block arrives, so no Undo or
// Reject is sent besides.
func (c *Contacts) Block(ctx context.Context, actorID string) error {
	if actorID == c.ownerID() {
		return ErrSelf
	}
	contactID, err := c.ensureContact(ctx, actorID)
	if err != nil {
		return fmt.Errorf("block: %w", err)
	}
	blockID := c.newID("blocks")
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("block %s: %w", actorID, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO blocks(contact_id, activity_id, created) VALUES(?, ?, ?)
		ON CONFLICT(contact_id) DO NOTHING`, contactID, blockID, c.now().Unix())
	if err != nil {
		return fmt.Errorf("block %s: %w", actorID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil // already blocked
	}
	if err := dropRelations(ctx, tx, `contact_id = ?`, contactID); err != nil {
		return fmt.Errorf("block %s: %w", actorID, err)
	}
	block := vocab.OutActivity{ID: blockID, Type: vocab.TypeBlock, Object: actorID}
	if err := c.publish(ctx, tx, block, actorID); err != nil {
		return fmt.Errorf("block %s: %w", actorID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("block %s: %w", actorID, err)
	}
	c.hide(ctx, actorID, "")
	return nil
}

// Unblock lifts a block with an Undo embedding the original Block.
func (c *Contacts) Unblock(ctx context.Context, actorID string) error {
	var contactID int64
	var blockID string
	err := c.db.QueryRowContext(ctx, `SELECT b.contact_id, b.activity_id FROM blocks b
		JOIN contacts c ON c.id = b.contact_id WHERE c.actor_id = ?`, actorID).Scan(&contactID, &blockID)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("unblock %s: %w", actorID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("unblock %s: %w", actorID, err)
	}
	undo := vocab.OutActivity{
		ID:     blockID + "#undo",
		Type:   vocab.TypeUndo,
		Object: vocab.OutActivity{ID: blockID, Type: vocab.TypeBlock, Actor: c.ownerID(), Object: actorID},
	}
	err = c.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM blocks WHERE contact_id = ?`, contactID); err != nil {
			return err
		}
		return c.publish(ctx, tx, undo, actorID)
	})
	if err != nil {
		return fmt.Errorf("unblock %s: %w", actorID, err)
	}
	return nil
}

// BlockDomain blocks a whole domain and its subdomains and ends every follow
// with accounts there. Nothing is sent: there is no activity for it, and
// the domain's servers will not be heard anyway.
func (c *Contacts) BlockDomain(ctx context.Context, input string) (string, error) {
	domain, err := normalizeDomain(input)
	if err != nil {
		return "", fmt.Errorf("block domain: %w", err)
	}
	if domain == domainOf(c.ownerID()) {
		return "", fmt.Errorf("block domain %s: %w", domain, ErrSelf)
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("block domain %s: %w", domain, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO domain_blocks(domain, created) VALUES(?, ?)
		ON CONFLICT(domain) DO NOTHING`, domain, c.now().Unix()); err != nil {
		return "", fmt.Errorf("block domain %s: %w", domain, err)
	}
	within := `contact_id IN (SELECT id FROM contacts WHERE domain = ? OR domain LIKE ? ESCAPE '\')`
	if err := dropRelations(ctx, tx, within, domain, "%."+escapeLike(domain)); err != nil {
		return "", fmt.Errorf("block domain %s: %w", domain, err)
	}
	if err := tx.Commit(); err != nil {
		return "", fmt.Errorf("block domain %s: %w", domain, err)
	}
	c.hide(ctx, "", domain)
	return domain, nil
}

// UnblockDomain lifts a domain block.
func (c *Contacts) UnblockDomain(ctx context.Context, input string) error {
	domain, err := normalizeDomain(input)
	if err != nil {
		return fmt.Errorf("unblock domain: %w", err)
	}
	res, err := c.db.ExecContext(ctx, `DELETE FROM domain_blocks WHERE domain = ?`, domain)
	if err != nil {
		return fmt.Errorf("unblock domain %s: %w", domain, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("unblock domain %s: %w", domain, ErrNotFound)
	}
	return nil
}

// blockedBy records that an account blocked the owner; as its server has
// already dropped both follows, so do we.
func (c *Contacts) blockedBy(ctx context.Context, actorID string) error {
	contactID, err := c.ensureContact(ctx, actorID)
	if err != nil {
		return fmt.Errorf("blocked by: %w", err)
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("blocked by %s: %w", actorID, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO blocked_by(contact_id, created) VALUES(?, ?)
		ON CONFLICT(contact_id) DO NOTHING`, contactID, c.now().Unix()); err != nil {
		return fmt.Errorf("blocked by %s: %w", actorID, err)
	}
	if err := dropRelations(ctx, tx, `contact_id = ?`, contactID); err != nil {
		return fmt.Errorf("blocked by %s: %w", actorID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("blocked by %s: %w", actorID, err)
	}
	return nil
}

// unblockedBy forgets that an account blocked the owner.
func (c *Contacts) unblockedBy(ctx context.Context, actorID string) error {
	_, err := c.db.ExecContext(ctx, `DELETE FROM blocked_by WHERE contact_id = (SELECT id FROM contacts WHERE actor_id = ?)`, actorID)
	if err != nil {
		return fmt.Errorf("unblocked by %s: %w", actorID, err)
	}
	return nil
}

// dropRelations deletes follows both ways for the contacts matching where.
func dropRelations(ctx context.Context, tx *sql.Tx, where string, args ...any) error {
	for _, table := range []string{"following", "followers"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE `+where, args...); err != nil {
			return fmt.Errorf("drop %s: %w", table, err)
		}
	}
	return nil
}

// isBlocked tells whether an actor or its domain is blocked. A database
// error counts as blocked: failing closed drops an activity that its sender
// will retry, failing open would let a blocked account through.
func (c *Contacts) isBlocked(ctx context.Context, actorID string) bool {
	if c.exists(ctx, `SELECT 1 FROM blocks b JOIN contacts c ON c.id = b.contact_id WHERE c.actor_id = ?`, actorID) {
		return true
	}
	blocked, err := c.domainBlocked(ctx, domainOf(actorID))
	return blocked || err != nil
}

// domainBlocked tells whether a domain or one of its parent domains is
// blocked: blocking example.social also blocks media.example.social.
func (c *Contacts) domainBlocked(ctx context.Context, domain string) (bool, error) {
	if domain == "" {
		return false, nil
	}
	var candidates []any
	for d := domain; d != ""; {
		candidates = append(candidates, d)
		_, rest, ok := strings.Cut(d, ".")
		if !ok {
			break
		}
		d = rest
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(candidates)), ", ")
	var one int
	err := c.db.QueryRowContext(ctx, `SELECT 1 FROM domain_blocks WHERE domain IN (`+marks+`)`, candidates...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("domain blocked %s: %w", domain, err)
	}
	return true, nil
}

// normalizeDomain accepts what people paste: a bare domain, a URL, or a
// handle, and returns the lower-case host name.
func normalizeDomain(input string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(input))
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil {
			return "", fmt.Errorf("%q: %w", input, ErrBadDomain)
		}
		s = u.Hostname()
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		s = s[i+1:]
	}
	s, _, _ = strings.Cut(s, "/")
	s = strings.Trim(s, ".")
	if s == "" || strings.ContainsAny(s, " \t\r\n?#:*,;") {
		return "", fmt.Errorf("%q: %w", input, ErrBadDomain)
	}
	return vocab.CanonicalHost(s), nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
