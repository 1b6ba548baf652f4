package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"roost/cmd/roost/database"
)

// runSites manages the sites a PostgreSQL database holds: add, list, remove.
func runSites(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("sites: want add, list or remove")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("sites "+sub, flag.ContinueOnError)
	data := dataFlag(fs)
	dbURL := databaseFlag(fs)
	rawURL := fs.String("url", "", "the site's address (add, one DOMAIN; default https://DOMAIN)")
	from := fs.String("from", "", `a file of sites to add, "DOMAIN [URL]" a line; - for standard input (add)`)
	yes := fs.Bool("yes", false, "remove without asking for the domain again (remove)")
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if sqlite, err := isSQLite(*dbURL); err != nil {
		return err
	} else if sqlite {
		return errors.New("sites: many sites live in PostgreSQL: give --database postgres://... (or ROOST_DATABASE)")
	}
	ctx := context.Background()
	pg, err := database.OpenPostgres(ctx, *dbURL)
	if err != nil {
		return err
	}
	defer pg.Close()
	reg, err := openRegistry(ctx, pg)
	if err != nil {
		return err
	}
	switch sub {
	case "add":
		sites, err := sitesToAdd(positional, *rawURL, *from, stdin)
		if err != nil {
			return err
		}
		return addSites(ctx, pg, reg, *data, sites, stdout)
	case "list":
		all, err := reg.list(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "DOMAIN\tURL\tSCHEMA\tCREATED")
		for _, h := range all {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", h.Domain, h.URL, h.Schema, h.Created.Format(time.DateTime))
		}
		return tw.Flush()
	case "remove":
		if len(positional) != 1 {
			return errors.New("sites remove: want one DOMAIN")
		}
		return removeSite(ctx, pg, reg, *data, positional[0], *yes, stdin, stdout)
	}
	return fmt.Errorf("sites: unknown subcommand %q (want add, list or remove)", sub)
}

// parseInterspersed parses flags before and after the positional
// arguments, so "sites add DOMAIN --url URL" reads as it is typed.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// addSite registers a site and creates what a single site's first start
// creates: its schema, actor and keys, settings, and the set-up link.
func addSite(ctx context.Context, pg *database.Postgres, reg registry, data, rawDomain, rawURL string, stdout io.Writer) error {
	domain, err := normalizeDomain(rawDomain)
	if err != nil {
		return fmt.Errorf("sites add: %w", err)
	}
	base, err := siteURL(domain, rawURL)
	if err != nil {
		return fmt.Errorf("sites add: %w", err)
	}
	h, err := reg.add(ctx, domain, base, time.Now())
	if err != nil {
		return err
	}
	setup, err := createHostedSite(ctx, pg, h, data)
	if err != nil {
		// Nothing half-made stays behind: the domain can be added again.
		pg.DropSchema(ctx, h.Schema)
		reg.remove(ctx, domain)
		return fmt.Errorf("sites add %s: %w", domain, err)
	}
	fmt.Fprintf(stdout, "Site %s added at %s.\n%s", domain, base, setup)
	return nil
}

// createHostedSite builds the site once, which creates its actor, keys and
// settings, and returns the set-up message for its owner.
func createHostedSite(ctx context.Context, pg *database.Postgres, h hostedSite, data string) (string, error) {
	db, err := pg.Site(ctx, h.Schema, rooms()...)
	if err != nil {
		return "", err
	}
	defer db.Close()
	cfg := hostedConfig(config{NoteLimit: 500, MaxUploadMB: 10}, h, data)
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return "", fmt.Errorf("create media folder: %w", err)
	}
	s, err := newSite(ctx, cfg, db, siteOptions{})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := s.announceSetup(ctx, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// hostedConfig is the serving configuration with one hosted site's address
// and media folder.
func hostedConfig(base config, h hostedSite, data string) config {
	c := base
	c.BaseURL = h.URL
	c.DataDir = siteDataDir(data, h.Domain)
	return c
}

// removeSite deletes a site's schema, registry row and media after the
// operator typed its domain again (or gave --yes).
func removeSite(ctx context.Context, pg *database.Postgres, reg registry, data, rawDomain string, yes bool, stdin io.Reader, stdout io.Writer) error {
	domain, err := normalizeDomain(rawDomain)
	if err != nil {
		return fmt.Errorf("sites remove: %w", err)
	}
	h, err := reg.get(ctx, domain)
	if err != nil {
		return err
	}
	if !yes {
		fmt.Fprintf(stdout, "This deletes everything of %s: posts, notes, contacts, followers, keys and media. Type the domain to confirm: ", domain)
		line, _ := bufio.NewReader(stdin).ReadString('\n')
		if strings.TrimSpace(line) != domain {
			return errors.New("sites remove: the domain typed differs; nothing was removed")
		}
	}
	if err := pg.DropSchema(ctx, h.Schema); err != nil {
		return err
	}
	if err := reg.remove(ctx, domain); err != nil {
		return err
	}
	if err := os.RemoveAll(siteDataDir(data, domain)); err != nil {
		return fmt.Errorf("remove media of %s: %w", domain, err)
	}
	fmt.Fprintf(stdout, "Site %s removed.\n", domain)
	return nil
}
