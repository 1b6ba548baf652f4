package contacts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Kinds of import, the "type" field of the import form.
const (
	ImportVCard        = "vcard"
	ImportFollowing    = "following"
	ImportBlocks       = "blocks"
	ImportMutes        = "mutes"
	ImportDomainBlocks = "domain_blocks"
	ImportLists        = "lists"
)

// ErrImportKind is returned for an import type roost does not know.
var ErrImportKind = errors.New("contacts: unknown import type")

// ImportResult is the outcome of an import, row by row.
type ImportResult struct {
	ID   int64
	Kind string
	// Done says the import has stopped: it ran to the end, or it was
	// Interrupted (the site shut down, or the import ran out of time), in
	// which case the rows before Processed stay and the rest were not tried.
	Done, Interrupted bool
	Total, Processed  int
	Added, Skipped    int
	Failures          []ImportFailure
}

// ImportFailure is a row that could not be imported; Reason is fit for the
// owner's page.
type ImportFailure struct {
	Row    int    `json:"row"`
	Input  string `json:"input"`
	Reason string `json:"reason"`
}

// importJob is a parsed file: one function per row, so that every kind of
// file runs through the same loop.
type importJob struct {
	rows []importStep
}

type importStep struct {
	input string
	run   func(context.Context) (bool, error)
}

// prepareImport parses a file. A file broken part way keeps the rows before
// the break and reports the break as a failed row.
func (c *Contacts) prepareImport(kind string, data []byte, follow bool) (importJob, error) {
	var job importJob
	switch kind {
	case ImportVCard:
		cards, err := decodeCards(bytes.NewReader(data))
		for _, card := range cards {
			cc := readCard(card)
			input := cc.name
			if input == "" {
				input = cc.actorID + cc.feedURL + cc.handle + cc.site
			}
			job.rows = append(job.rows, importStep{input, func(ctx context.Context) (bool, error) { return c.importCard(ctx, cc, follow) }})
		}
		if err != nil {
			job.rows = append(job.rows, importStep{"(rest of the file)", func(context.Context) (bool, error) { return false, err }})
		}
	case ImportFollowing, ImportBlocks, ImportMutes, ImportDomainBlocks, ImportLists:
		recs, err := readCSV(bytes.NewReader(data))
		for _, rec := range recs {
			job.rows = append(job.rows, importStep{rowInput(kind, rec), func(ctx context.Context) (bool, error) { return c.importRow(ctx, kind, rec) }})
		}
		if err != nil {
			job.rows = append(job.rows, importStep{"(rest of the file)", func(context.Context) (bool, error) { return false, err }})
		}
	default:
		return job, fmt.Errorf("import %q: %w", kind, ErrImportKind)
	}
	return job, nil
}

// rowInput names a CSV row on the summary page: its account, and for
// lists the list too.
func rowInput(kind string, rec []string) string {
	if kind == ImportLists && len(rec) > 1 {
		return strings.TrimSpace(rec[1]) + " (" + strings.TrimSpace(rec[0]) + ")"
	}
	return strings.TrimSpace(rec[0])
}

// Import runs an import to the end and returns its outcome. It never stops
// at a bad row: each row is added, skipped (already there) or failed with
// its reason. When ctx ends first it returns the outcome so far, marked
// Interrupted, with ctx's error.
func (c *Contacts) Import(ctx context.Context, kind string, r io.Reader, follow bool) (ImportResult, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxImport))
	if err != nil {
		return ImportResult{}, fmt.Errorf("import: %w", err)
	}
	job, err := c.prepareImport(kind, data, follow)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Kind: kind}
	c.runImport(ctx, job, &res, nil)
	if res.Interrupted {
		return res, fmt.Errorf("import: %w", ctx.Err())
	}
	return res, nil
}

// maxImport caps an uploaded file.
const maxImport = 10 << 20

// runImport runs the rows, reporting progress after each. It stops
// between rows when ctx ends; a row cut off half way is not counted, so
// importing the file again picks it up.
func (c *Contacts) runImport(ctx context.Context, job importJob, res *ImportResult, progress func(ImportResult)) {
	res.Total = len(job.rows)
	for i, step := range job.rows {
		if ctx.Err() != nil {
			res.Interrupted = true
			break
		}
		added, err := step.run(ctx)
		if err != nil && ctx.Err() != nil {
			// The row was cut off, not refused.
			res.Interrupted = true
			break
		}
		switch {
		case err != nil:
			slog.Info("contacts: import row", "kind", res.Kind, "row", i+1, "err", err)
			res.Failures = append(res.Failures, ImportFailure{Row: i + 1, Input: step.input, Reason: importReason(err)})
		case added:
			res.Added++
		default:
			res.Skipped++
		}
		res.Processed = i + 1
		if progress != nil {
			progress(*res)
		}
	}
	res.Done = true
	if progress != nil {
		progress(*res)
	}
}

// errBrokenFile marks the part of a file that could not be parsed.
var errBrokenFile = errors.New("contacts: the file is broken from here on")

// importReason says why a row failed without internals.
func importReason(err error) string {
	// These sentinels are written for the owner already.
	for _, s := range []error{errNoAddress, errNeedsFollow, errShortRow, errBrokenFile} {
		if errors.Is(err, s) {
			return strings.TrimPrefix(s.Error(), "contacts: ")
		}
	}
	var rerr *ResolveError
	var ferr *ErrFeedOnly
	switch {
	case errors.As(err, &ferr):
		return "the site has feeds but none could be read"
	case errors.As(err, &rerr):
		return "no fediverse account found for it"
	case errors.Is(err, ErrEmptyInput):
		return "the row names no account"
	case errors.Is(err, ErrBadDomain):
		return "not a domain name"
	case errors.Is(err, ErrSelf):
		return "that is you"
	case errors.Is(err, ErrBlocked):
		return "blocked, or on a blocked domain"
	case errors.Is(err, ErrNotFound):
		return "the account could not be found"
	case errors.Is(err, ErrNotAFeed), errors.Is(err, errBadFeed):
		return "not a readable feed"
	}
	return "it could not be imported; see the server log"
}
