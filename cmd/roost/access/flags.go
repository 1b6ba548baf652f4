package access

import (
	"context"
	"fmt"
	"time"
)

// FlagWelcomeDismissed says the owner has put the first-run guide away.
const FlagWelcomeDismissed = "welcome-dismissed"

// Flag tells whether the owner has set a flag; a failure reads as not set.
func (s *Store) Flag(ctx context.Context, name string) bool {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM owner_flags WHERE name = ?`, name).Scan(&n)
	return err == nil && n > 0
}

// SetFlag sets a flag, once.
func (s *Store) SetFlag(ctx context.Context, name string, now time.Time) error {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO owner_flags(name, since) VALUES(?, ?) ON CONFLICT(name) DO NOTHING`,
		name, now.Unix()); err != nil {
		return fmt.Errorf("set flag %s: %w", name, err)
	}
	return nil
}
