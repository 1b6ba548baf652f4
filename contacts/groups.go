package contacts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrGroupTitle is returned for an empty group title or one already taken.
var ErrGroupTitle = errors.New("contacts: group title empty or taken")

// Mastodon's replies policies of a list: which replies the list timeline shows.
const (
	RepliesFollowed = "followed"
	RepliesList     = "list"
	RepliesNone     = "none"
)

// Group is a named set of contacts (family, work...): the same thing as a
// Mastodon list, so its fields follow Mastodon's.
type Group struct {
	ID            int64
	Title         string
	RepliesPolicy string
	// Exclusive groups keep their members' posts out of the home timeline.
	Exclusive bool
	Created   time.Time
	Members   int
}

const selectGroup = `SELECT g.id, g.title, g.replies_policy, g.exclusive, g.created,
	(SELECT COUNT(*) FROM contact_group_members gm WHERE gm.group_id = g.id) FROM contact_groups g `

func (c *Contacts) groups(ctx context.Context, op, where string, args ...any) ([]Group, error) {
	rows, err := c.db.QueryContext(ctx, selectGroup+where, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		var g Group
		var created int64
		if err := rows.Scan(&g.ID, &g.Title, &g.RepliesPolicy, &g.Exclusive, &created, &g.Members); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		g.Created = unixTime(created)
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return out, nil
}

func (c *Contacts) oneGroup(ctx context.Context, op, where string, args ...any) (Group, error) {
	gs, err := c.groups(ctx, op, where, args...)
	if err != nil {
		return Group{}, err
	}
	if len(gs) == 0 {
		return Group{}, fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	return gs[0], nil
}

// Groups lists the owner's groups by title.
func (c *Contacts) Groups(ctx context.Context) ([]Group, error) {
	return c.groups(ctx, "list groups", `ORDER BY LOWER(g.title), g.id`)
}

// Group reads one group.
func (c *Contacts) Group(ctx context.Context, id int64) (Group, error) {
	return c.oneGroup(ctx, fmt.Sprintf("group %d", id), `WHERE g.id = ?`, id)
}

// GroupByTitle finds a group by its title, ignoring case.
func (c *Contacts) GroupByTitle(ctx context.Context, title string) (Group, error) {
	return c.oneGroup(ctx, "group "+title, `WHERE LOWER(g.title) = LOWER(?) ORDER BY g.title = ? DESC, g.id LIMIT 1`,
		strings.TrimSpace(title), strings.TrimSpace(title))
}

// GroupsOf lists the groups a contact is in.
func (c *Contacts) GroupsOf(ctx context.Context, actorID string) ([]Group, error) {
	return c.groups(ctx, "groups of "+actorID, `JOIN contact_group_members m ON m.group_id = g.id
		JOIN contacts c ON c.id = m.contact_id WHERE c.actor_id = ? OR c.feed_url = ? ORDER BY LOWER(g.title)`, actorID, actorID)
}

// CreateGroup makes a new, empty group.
// The groups page refuses a title another group has, because the composer
// names a group to post to by its title.
func (c *Contacts) CreateGroup(ctx context.Context, title string) (Group, error) {
	if _, err := c.GroupByTitle(ctx, title); err == nil {
		return Group{}, fmt.Errorf("create group %q: %w", title, ErrGroupTitle)
	}
	return c.CreateList(ctx, title)
}

// CreateList makes a new, empty group even when another has the title, as
// Mastodon lets lists share one; naming the title picks the oldest.
func (c *Contacts) CreateList(ctx context.Context, title string) (Group, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return Group{}, fmt.Errorf("create group: %w", ErrGroupTitle)
	}
	var id int64
	err := c.db.QueryRowContext(ctx, `INSERT INTO contact_groups(title, replies_policy, created) VALUES(?, ?, ?) RETURNING id`,
		title, RepliesList, c.now().Unix()).Scan(&id)
	if err != nil {
		return Group{}, fmt.Errorf("create group %q: %w", title, err)
	}
	return c.Group(ctx, id)
}

// ensureGroup finds a group by title or creates it.
func (c *Contacts) ensureGroup(ctx context.Context, title string) (Group, error) {
	g, err := c.GroupByTitle(ctx, title)
	if errors.Is(err, ErrNotFound) {
		return c.CreateGroup(ctx, title)
	}
	return g, err
}

// RenameGroup changes a group's title.
func (c *Contacts) RenameGroup(ctx context.Context, id int64, title string) error {
	if g, err := c.GroupByTitle(ctx, title); err == nil && g.ID != id {
		return fmt.Errorf("rename group %q: %w", title, ErrGroupTitle)
	}
	return c.RetitleList(ctx, id, title)
}

// RetitleList renames a group even to a title another group has, as
// Mastodon lets lists share one.
func (c *Contacts) RetitleList(ctx context.Context, id int64, title string) error {
	title = strings.TrimSpace(title)
	if title == "" {
		return fmt.Errorf("rename group: %w", ErrGroupTitle)
	}
	return c.changeGroup(ctx, "rename group", `UPDATE contact_groups SET title = ? WHERE id = ?`, title, id)
}

// SetGroupOptions changes how a group behaves as a Mastodon list: which
// replies it shows (followed, list, none) and whether its members' posts
// stay out of the home timeline.
func (c *Contacts) SetGroupOptions(ctx context.Context, id int64, repliesPolicy string, exclusive bool) error {
	switch repliesPolicy {
	case "followed", RepliesList, "none":
	default:
		return fmt.Errorf("set group options: unknown replies policy %q", repliesPolicy)
	}
	return c.changeGroup(ctx, "set group options", `UPDATE contact_groups SET replies_policy = ?, exclusive = ? WHERE id = ?`,
		repliesPolicy, exclusive, id)
}

// DeleteGroup removes a group; its contacts stay in the book.
func (c *Contacts) DeleteGroup(ctx context.Context, id int64) error {
	return c.changeGroup(ctx, "delete group", `DELETE FROM contact_groups WHERE id = ?`, id)
}

func (c *Contacts) changeGroup(ctx context.Context, op, query string, args ...any) error {
	res, err := c.db.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	return nil
}

// AddToGroup puts a contact (an actor id or a feed URL) into a group. An
// account the book has not met yet is fetched and kept.
func (c *Contacts) AddToGroup(ctx context.Context, id int64, actorID string) error {
	if _, err := c.Group(ctx, id); err != nil {
		return fmt.Errorf("add to group: %w", err)
	}
	contactID, err := c.contactID(ctx, actorID)
	if errors.Is(err, ErrNotFound) && isWebURL(actorID) {
		contactID, err = c.ensureContact(ctx, actorID)
	}
	if err != nil {
		return fmt.Errorf("add to group: %w", err)
	}
	_, err = c.db.ExecContext(ctx, `INSERT INTO contact_group_members(group_id, contact_id) VALUES(?, ?)
		ON CONFLICT(group_id, contact_id) DO NOTHING`, id, contactID)
	if err != nil {
		return fmt.Errorf("add %s to group %d: %w", actorID, id, err)
	}
	return nil
}

// RemoveFromGroup takes a contact out of a group.
func (c *Contacts) RemoveFromGroup(ctx context.Context, id int64, actorID string) error {
	return c.changeGroup(ctx, "remove from group", `DELETE FROM contact_group_members WHERE group_id = ?
		AND contact_id = (SELECT id FROM contacts WHERE actor_id = ? OR feed_url = ?)`, id, actorID, actorID)
}

// GroupMembers lists the keys (actor ids and feed URLs) of a group's members.
func (c *Contacts) GroupMembers(ctx context.Context, id int64) ([]string, error) {
	return c.memberKeys(ctx, "group members", `m.group_id = ?`, id)
}

// MembersOfGroupNamed lists the members of the group with that title, for
// the home timeline of one group.
func (c *Contacts) MembersOfGroupNamed(ctx context.Context, name string) ([]string, error) {
	g, err := c.GroupByTitle(ctx, name)
	if err != nil {
		return nil, err
	}
	return c.GroupMembers(ctx, g.ID)
}

func (c *Contacts) memberKeys(ctx context.Context, op, where string, args ...any) ([]string, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT COALESCE(c.actor_id, c.feed_url) FROM contact_group_members m
		JOIN contacts c ON c.id = m.contact_id WHERE `+where+` ORDER BY c.name, c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// SetGroupsOf makes a contact a member of exactly the given groups.
func (c *Contacts) SetGroupsOf(ctx context.Context, actorID string, ids []int64) error {
	contactID, err := c.contactID(ctx, actorID)
	if err != nil {
		return fmt.Errorf("set groups: %w", err)
	}
	tx, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("set groups of %s: %w", actorID, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM contact_group_members WHERE contact_id = ?`, contactID); err != nil {
		return fmt.Errorf("set groups of %s: %w", actorID, err)
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO contact_group_members(group_id, contact_id)
			SELECT id, ? FROM contact_groups WHERE id = ? ON CONFLICT(group_id, contact_id) DO NOTHING`, contactID, id); err != nil {
			return fmt.Errorf("set groups of %s: %w", actorID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("set groups of %s: %w", actorID, err)
	}
	return nil
}

// groupTitlesByContact maps contact row ids to their group titles, for
// exports.
func (c *Contacts) groupTitlesByContact(ctx context.Context) (map[int64][]string, error) {
	rows, err := c.db.QueryContext(ctx, `SELECT m.contact_id, g.title FROM contact_group_members m
		JOIN contact_groups g ON g.id = m.group_id ORDER BY LOWER(g.title)`)
	if err != nil {
		return nil, fmt.Errorf("group titles: %w", err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			return nil, fmt.Errorf("group titles: %w", err)
		}
		out[id] = append(out[id], title)
	}
	return out, rows.Err()
}
