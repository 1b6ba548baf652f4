package contacts

import (
	"context"
	"strings"
)

// Lists of the contacts page, chosen with ?show=.
const (
	ShowAll       = "all"
	ShowFollowing = "following"
	ShowFollowers = "followers"
	ShowMutuals   = "mutuals"
	ShowFeeds     = "feeds"
	ShowRequests  = "requests"
	ShowBlocked   = "blocked"
	ShowMuted     = "muted"
)

// listFilters are the WHERE and ORDER BY of each list.
var listFilters = map[string][2]string{
	ShowAll: {`(fg.state IS NOT NULL OR fr.state IS NOT NULL OR b.contact_id IS NOT NULL OR m.contact_id IS NOT NULL OR c.note <> ''
		OR EXISTS (SELECT 1 FROM contact_group_members gm WHERE gm.contact_id = c.id))`, `LOWER(c.name), c.id`},
	ShowFollowing: {`fg.state IN ('pending', 'accepted')`, `fg.created DESC, fg.id DESC`},
	ShowFollowers: {`fr.state = 'accepted'`, `fr.created DESC, fr.id DESC`},
	ShowMutuals:   {`fg.state = 'accepted' AND fr.state = 'accepted'`, `LOWER(c.name), c.id`},
	ShowFeeds:     {`c.kind = 'feed' AND fg.state = 'accepted'`, `LOWER(c.name), c.id`},
	ShowRequests:  {`fr.state = 'pending'`, `fr.created DESC, fr.id DESC`},
	ShowBlocked:   {`b.contact_id IS NOT NULL`, `b.created DESC, c.id DESC`},
	ShowMuted:     {`m.contact_id IS NOT NULL`, `c.id DESC`},
}

// Search lists the contacts of one list (a Show constant; unknown means
// all) whose name, handle, site or address contains q, ignoring case.
func (c *Contacts) Search(ctx context.Context, show, q string) ([]Contact, error) {
	f, ok := listFilters[show]
	if !ok {
		f = listFilters[ShowAll]
	}
	where, args := f[0], []any{}
	if q = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(q), "@"))); q != "" {
		like := "%" + escapeLike(q) + "%"
		where += ` AND (LOWER(c.name) LIKE ? ESCAPE '\' OR LOWER(c.handle) LIKE ? ESCAPE '\' OR LOWER(c.url) LIKE ? ESCAPE '\'
			OR LOWER(c.domain) LIKE ? ESCAPE '\' OR LOWER(COALESCE(c.actor_id, c.feed_url)) LIKE ? ESCAPE '\')`
		args = append(args, like, like, like, like, like)
	}
	return c.list(ctx, "search contacts", `WHERE `+where+` ORDER BY `+f[1], args...)
}

// SearchPeople finds the fediverse accounts in the book (followed,
// following, or known otherwise) whose handle starts with q or whose name
// has a word starting with q, ignoring case and a leading @: what an app's
// mention autocomplete and search tab ask for. Followed accounts come
// first, then followers, then the rest; blocked accounts are left out.
// followingOnly keeps to followed accounts.
func (c *Contacts) SearchPeople(ctx context.Context, q string, followingOnly bool, limit int) ([]Contact, error) {
	q = strings.ToLower(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(q), "acct:"), "@"))
	if q == "" || limit <= 0 {
		return nil, nil
	}
	prefix := escapeLike(q) + "%"
	where := `c.kind = 'actor' AND b.contact_id IS NULL
		AND (LOWER(c.handle) LIKE ? ESCAPE '\' OR LOWER(c.name) LIKE ? ESCAPE '\' OR LOWER(c.name) LIKE ? ESCAPE '\')`
	if followingOnly {
		where += ` AND fg.state IN ('pending', 'accepted')`
	}
	return c.list(ctx, "search people", `WHERE `+where+`
		ORDER BY COALESCE(fg.state IN ('pending', 'accepted'), 0) DESC, COALESCE(fr.state = 'accepted', 0) DESC,
			LOWER(c.handle) = ? DESC, LOWER(c.name), c.id LIMIT ?`, prefix, prefix, "% "+prefix, q, limit)
}
