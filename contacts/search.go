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
