package feed

import (
	"context"
	"fmt"
	"strings"
)

// HideAuthor takes an account's posts and boosts off the home timeline, when
// the owner blocks or mutes it. The posts stay stored (a thread may still
// name them); only the timeline forgets them.
func (f *Feed) HideAuthor(ctx context.Context, actorID string) error {
	if _, err := f.db.ExecContext(ctx, `DELETE FROM home WHERE actor_id = ?`, actorID); err != nil {
		return fmt.Errorf("hide %s: %w", actorID, err)
	}
	// Others' boosts of their posts go too: a boost row names the booster.
	if _, err := f.db.ExecContext(ctx, `DELETE FROM home WHERE kind = ? AND item IN (SELECT id FROM posts WHERE author = ?)`,
		homeBoost, actorID); err != nil {
		return fmt.Errorf("hide boosts of %s: %w", actorID, err)
	}
	return nil
}

// HideDomain does the same for every account of a server (and its
// subdomains), when the owner blocks the domain.
func (f *Feed) HideDomain(ctx context.Context, domain string) error {
	domain = strings.ToLower(strings.TrimSpace(domain))
	if domain == "" {
		return nil
	}
	var args []any
	var clauses []string
	for _, scheme := range []string{"https://", "http://"} {
		clauses = append(clauses, `actor_id LIKE ? ESCAPE '\'`, `actor_id LIKE ? ESCAPE '\'`)
		args = append(args, scheme+escapeLike(domain)+"/%", scheme+"%."+escapeLike(domain)+"/%")
	}
	match := strings.Join(clauses, " OR ")
	_, err := f.db.ExecContext(ctx, `DELETE FROM home WHERE actor_id <> '' AND (`+match+`)`, args...)
	if err != nil {
		return fmt.Errorf("hide domain %s: %w", domain, err)
	}
	// Boosts by others of posts from the domain: match on the post's author.
	authorMatch := strings.ReplaceAll(match, "actor_id", "author")
	_, err = f.db.ExecContext(ctx, `DELETE FROM home WHERE kind = ? AND item IN (SELECT id FROM posts WHERE `+authorMatch+`)`,
		append([]any{homeBoost}, args...)...)
	if err != nil {
		return fmt.Errorf("hide boosts from %s: %w", domain, err)
	}
	return nil
}

// escapeLike quotes LIKE's wildcards in a literal.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
