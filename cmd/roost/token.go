package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"roost/cmd/roost/access"
)

// runToken manages bearer tokens: create, list, revoke.
func runToken(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("token: want create, list or revoke")
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("token "+sub, flag.ContinueOnError)
	data := dataFlag(fs)
	dbURL := databaseFlag(fs)
	domain := siteFlag(fs)
	name := fs.String("name", "", "a name to recognise the token by (create)")
	scope := fs.String("scope", access.DefaultTokenScope, "space-separated scopes (create)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	cs, err := openCommandSite(ctx, *data, *dbURL, *domain)
	if err != nil {
		return err
	}
	defer cs.close()
	store := access.NewStore(cs.db)
	switch sub {
	case "create":
		t, secret, err := store.CreateToken(ctx, *name, *scope, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Token %d (%s) with scope %q. It is shown only once:\n%s\n", t.ID, t.Name, t.Scope, secret)
	case "list":
		tokens, err := store.Tokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tSCOPE\tCREATED\tLAST USED")
		for _, t := range tokens {
			used := "never"
			if !t.LastUsed.IsZero() {
				used = t.LastUsed.Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Scope, t.Created.Format(time.DateTime), used)
		}
		return tw.Flush()
	case "revoke":
		if fs.NArg() != 1 {
			return errors.New("token revoke: want the token's ID")
		}
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return fmt.Errorf("token revoke: %q is not an ID", fs.Arg(0))
		}
		if err := store.RevokeToken(ctx, id); err != nil {
			return fmt.Errorf("token revoke %d: %w", id, err)
		}
		fmt.Fprintf(stdout, "Token %d revoked.\n", id)
	default:
		return fmt.Errorf("token: unknown subcommand %q (want create, list or revoke)", sub)
	}
	return nil
}
