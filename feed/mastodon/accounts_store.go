package mastodon

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// recordOwnerActor points account 1, the owner's, at the configured actor.
func (a *API) recordOwnerActor(ctx context.Context) error {
	if _, err := a.db.ExecContext(ctx, `UPDATE mastodon_accounts SET actor_id = ? WHERE id = 1`, a.cfg.ActorID); err != nil {
		return fmt.Errorf("record owner account: %w", err)
	}
	return nil
}

// accountIDs maps actor ids to the numeric account ids apps see, creating
// ids for actors met for the first time. One query for a whole page.
func (a *API) accountIDs(ctx context.Context, actorIDs []string) (map[string]int64, error) {
	out := make(map[string]int64, len(actorIDs))
	var missing []any
	for _, id := range actorIDs {
		if id == "" {
			continue
		}
		if v, ok := a.acctIDs.Load(id); ok {
			out[id] = v.(int64)
		} else if _, dup := out[id]; !dup {
			out[id] = 0
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	for _, id := range missing {
		if _, err := a.db.ExecContext(ctx, `INSERT INTO mastodon_accounts (actor_id) VALUES (?) ON CONFLICT (actor_id) DO NOTHING`, id); err != nil {
			return nil, fmt.Errorf("account id: %w", err)
		}
	}
	rows, err := a.db.QueryContext(ctx, `SELECT id, actor_id FROM mastodon_accounts WHERE actor_id IN (`+placeholders(len(missing))+`)`, missing...)
	if err != nil {
		return nil, fmt.Errorf("account ids: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var actor string
		if err := rows.Scan(&id, &actor); err != nil {
			return nil, fmt.Errorf("account ids: %w", err)
		}
		out[actor] = id
		a.acctIDs.Store(actor, id)
	}
	return out, rows.Err()
}

func (a *API) accountID(ctx context.Context, actorID string) (int64, error) {
	if actorID == a.cfg.ActorID {
		return 1, nil
	}
	m, err := a.accountIDs(ctx, []string{actorID})
	if err != nil {
		return 0, err
	}
	return m[actorID], nil
}

// actorOf finds the actor id behind a numeric account id.
func (a *API) actorOf(ctx context.Context, id string) (string, error) {
	n, ok := parseID(id)
	if !ok {
		return "", ErrNotFound
	}
	var actor string
	err := a.db.QueryRowContext(ctx, `SELECT actor_id FROM mastodon_accounts WHERE id = ?`, n).Scan(&actor)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return actor, err
}

func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	b := make([]byte, 0, 3*n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '?')
	}
	return string(b)
}
