package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"roost/cmd/roost/access"
	"roost/feed/mastodon"
)

// runPasswd sets the owner's password: one line from standard input when it
// is not a terminal (scripts), otherwise asked twice without echo.
func runPasswd(args []string, stdin *os.File, stdout io.Writer) error {
	fs := flag.NewFlagSet("passwd", flag.ContinueOnError)
	data := dataFlag(fs)
	dbURL := databaseFlag(fs)
	domain := siteFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	password, err := readPassword(stdin, stdout)
	if err != nil {
		return err
	}
	ctx := context.Background()
	cs, err := openCommandSite(ctx, *data, *dbURL, *domain)
	if err != nil {
		return err
	}
	defer cs.close()
	revoked, err := newAccessStore(cs.db).ChangePassword(ctx, password)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "Password set. Log in at /login.")
	if revoked.Sessions > 0 || revoked.Tokens > 0 {
		fmt.Fprintf(stdout, "Signed out everywhere: %d web sessions ended, %d app tokens revoked. Log in again in your apps.\n",
			revoked.Sessions, revoked.Tokens)
	}
	return nil
}

// newAccessStore is the owner's access store with a password change
// revoking the Mastodon apps' tokens too.
func newAccessStore(db *sql.DB) *access.Store {
	s := access.NewStore(db)
	s.RevokeTokens = mastodon.RevokeOwnerTokens
	return s
}

func readPassword(stdin *os.File, stdout io.Writer) (string, error) {
	fd := int(stdin.Fd())
	if !term.IsTerminal(fd) {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			return "", fmt.Errorf("read password from standard input: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fmt.Fprint(stdout, "New password: ")
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(stdout)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	fmt.Fprint(stdout, "Again: ")
	second, err := term.ReadPassword(fd)
	fmt.Fprintln(stdout)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if string(first) != string(second) {
		return "", errors.New("the two passwords differ")
	}
	return string(first), nil
}
