package contacts

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Mastodon's export files, by name. Follows and mutes have a header row;
// blocks, blocked domains and lists have none.
const (
	CSVFollowing      = "following_accounts.csv"
	CSVBlocked        = "blocked_accounts.csv"
	CSVMuted          = "muted_accounts.csv"
	CSVBlockedDomains = "blocked_domains.csv"
	CSVLists          = "lists.csv"
)

var (
	headerFollowing = []string{"Account address", "Show boosts", "Notify on new posts", "Languages"}
	headerMuted     = []string{"Account address", "Hide notifications"}
)

// ExportCSV writes one of Mastodon's export files.
func (c *Contacts) ExportCSV(ctx context.Context, w io.Writer, name string) error {
	cw := csv.NewWriter(w)
	var err error
	switch name {
	case CSVFollowing:
		err = c.exportAccounts(ctx, cw, headerFollowing, ShowFollowing, func(Contact) []string { return []string{"true", "false", ""} })
	case CSVBlocked:
		err = c.exportAccounts(ctx, cw, nil, ShowBlocked, nil)
	case CSVMuted:
		err = c.exportAccounts(ctx, cw, headerMuted, ShowMuted, func(ct Contact) []string {
			return []string{strconv.FormatBool(c.mutedHidesNotifications(ctx, ct.ID))}
		})
	case CSVBlockedDomains:
		var domains []DomainBlock
		domains, err = c.DomainBlocks(ctx)
		for _, d := range domains {
			if err == nil {
				err = cw.Write([]string{d.Domain})
			}
		}
	case CSVLists:
		err = c.exportLists(ctx, cw)
	default:
		return fmt.Errorf("export %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", name, err)
	}
	cw.Flush()
	return cw.Error()
}

// address is how an export names a contact: the handle when there is one,
// else its actor id or feed URL, which roost's import understands.
func address(ct Contact) string {
	if ct.Handle != "" {
		return ct.Handle
	}
	return ct.Key()
}

func (c *Contacts) exportAccounts(ctx context.Context, cw *csv.Writer, header []string, show string, extra func(Contact) []string) error {
	list, err := c.Search(ctx, show, "")
	if err != nil {
		return err
	}
	if header != nil {
		if err := cw.Write(header); err != nil {
			return err
		}
	}
	for _, ct := range list {
		if ct.Kind != KindActor {
			continue // Mastodon's files name accounts only
		}
		row := []string{address(ct)}
		if extra != nil {
			row = append(row, extra(ct)...)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

func (c *Contacts) exportLists(ctx context.Context, cw *csv.Writer) error {
	groups, err := c.Groups(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		members, err := c.list(ctx, "list members", `JOIN contact_group_members gm ON gm.contact_id = c.id
			WHERE gm.group_id = ? ORDER BY LOWER(c.name), c.id`, g.ID)
		if err != nil {
			return err
		}
		for _, ct := range members {
			if err := cw.Write([]string{g.Title, address(ct)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// readCSV reads every record, dropping a header row and blank lines.
// Rows may have any number of fields; each import checks its own.
func readCSV(r io.Reader) ([][]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var rows [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rows, fmt.Errorf("read CSV: %w: %w", errBrokenFile, err)
		}
		if len(rows) == 0 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "Account address") {
			continue
		}
		if len(rec) == 0 || (len(rec) == 1 && strings.TrimSpace(rec[0]) == "") {
			continue
		}
		rows = append(rows, rec)
	}
	return rows, nil
}

// resolveAccount turns an address from a file into a contact key: the book
// is asked first (a handle or an id it knows), then the network.
func (c *Contacts) resolveAccount(ctx context.Context, input string) (string, error) {
	s := strings.TrimPrefix(strings.TrimSpace(input), "@")
	if s == "" {
		return "", ErrEmptyInput
	}
	if isWebURL(s) {
		if _, err := c.contactID(ctx, s); err == nil {
			return s, nil
		}
	} else {
		var id string
		err := c.db.QueryRowContext(ctx, `SELECT actor_id FROM contacts WHERE kind = 'actor' AND LOWER(handle) = LOWER(?)
			ORDER BY fetched DESC LIMIT 1`, s).Scan(&id)
		if err == nil {
			return id, nil
		}
		s = "@" + s
	}
	res, err := c.net.Resolve(ctx, s)
	if err != nil {
		return "", &ResolveError{Input: input, Err: err}
	}
	if res == nil || res.Actor == nil {
		return "", &ResolveError{Input: input, Err: errors.New("no account found")}
	}
	if _, err := c.saveActor(ctx, res.Actor); err != nil {
		return "", err
	}
	return res.Actor.ID, nil
}

// importRow imports one row of a Mastodon file and reports whether it
// added anything.
func (c *Contacts) importRow(ctx context.Context, kind string, rec []string) (bool, error) {
	first := strings.TrimSpace(rec[0])
	switch kind {
	case ImportDomainBlocks:
		domain, err := normalizeDomain(first)
		if err != nil {
			return false, err
		}
		if blocked, _ := c.domainBlocked(ctx, domain); blocked {
			return false, nil
		}
		_, err = c.BlockDomain(ctx, domain)
		return err == nil, err
	case ImportLists:
		if len(rec) < 2 {
			return false, errShortRow
		}
		key, err := c.resolveAccount(ctx, rec[1])
		if err != nil {
			return false, err
		}
		g, err := c.ensureGroup(ctx, first)
		if err != nil {
			return false, err
		}
		if c.exists(ctx, `SELECT 1 FROM contact_group_members m JOIN contacts c ON c.id = m.contact_id
			WHERE m.group_id = ? AND (c.actor_id = ? OR c.feed_url = ?)`, g.ID, key, key) {
			return false, nil
		}
		return true, c.AddToGroup(ctx, g.ID, key)
	}
	key, err := c.resolveAccount(ctx, first)
	if err != nil {
		return false, err
	}
	switch kind {
	case ImportFollowing:
		if c.FollowsAuthor(ctx, key) {
			return false, nil
		}
		a, err := c.net.FetchActor(ctx, key, false)
		if err != nil {
			return false, err
		}
		_, err = c.followActor(ctx, a)
		return err == nil, err
	case ImportBlocks:
		if c.isBlocked(ctx, key) {
			return false, nil
		}
		return true, c.Block(ctx, key)
	case ImportMutes:
		if c.IsMuted(ctx, key) {
			return false, nil
		}
		hide := len(rec) < 2 || !strings.EqualFold(strings.TrimSpace(rec[1]), "false")
		return true, c.Mute(ctx, key, hide)
	}
	return false, fmt.Errorf("import %s: %w", kind, ErrNotFound)
}

var errShortRow = errors.New("contacts: the row has too few columns")
