// Command roost serves a person's own domain as a blog, a microfeed and a
// contacts book, federated over ActivityPub. It is the composition root: the
// only package that knows every room, builds them in order and connects them.
package main

import (
	"fmt"
	"os"
	// Time zones are built in, so the site's zone works on hosts without
	// a zoneinfo database (minimal containers).
	_ "time/tzdata"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0"

const usage = `roost: your domain as your home on the social web.

Usage:
  roost serve [flags]             run the site
  roost passwd [--data DIR]       set the owner's password (from standard input or a prompt)
  roost token create [--data DIR] [--name NAME]
                                  print a new bearer token for scripts and Micropub clients
  roost token list [--data DIR]   list tokens
  roost token revoke [--data DIR] ID
                                  revoke a token
  roost export [--data DIR] [--out FILE.zip]
                                  write everything as one zip of standard files (also a full backup)
  roost import [--data DIR] [--announce] FILE
                                  restore a roost export into an empty folder, or bring in a
                                  Mastodon archive (.zip) or a WordPress export (.xml)
  roost move [--data DIR] --to @user@host
                                  tell followers to follow your new account
  roost doctor [--url URL] [--data DIR]
                                  check what the site needs to federate, and say what to fix
  roost service install [--user NAME] [--data DIR] [--url URL] [--dry-run]
                                  write a hardened systemd unit and print how to start it
  roost sites add DOMAIN... [--url URL] [--from FILE] --database postgres://...
                                  host more sites in a PostgreSQL database (--from:
                                  a file of "DOMAIN [URL]" lines, - for stdin)
  roost sites list --database postgres://...
                                  list the hosted sites
  roost sites remove [--yes] DOMAIN --database postgres://...
                                  delete a hosted site and everything of it
  roost version                   print the version

With --database postgres://... (ROOST_DATABASE), serve answers every hosted
site by its Host, and passwd, token and export take --site DOMAIN.

Run "roost serve --help" for the server's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "serve":
		err = runServe(args)
	case "passwd":
		err = runPasswd(args, os.Stdin, os.Stdout)
	case "sites":
		err = runSites(args, os.Stdin, os.Stdout)
	case "token":
		err = runToken(args, os.Stdout)
	case "export":
		err = runExport(args, os.Stdout, os.Stderr)
	case "import":
		err = runImport(args, os.Stdout, os.Stderr)
	case "move":
		err = runMove(args, os.Stdout)
	case "doctor":
		err = runDoctor(args, os.Stdout)
	case "service":
		err = runService(args, os.Stdout)
	case "version", "--version", "-version":
		fmt.Println("roost", version)
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "roost: unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "roost:", err)
		os.Exit(1)
	}
}
