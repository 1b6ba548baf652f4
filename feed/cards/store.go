package cards

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Lookup returns the cards known for urls, by URL; a URL without a card
// (never fetched, failed, or not worth one) is absent. It reads only the
// database, so it is what a timeline calls.
func (c *Cards) Lookup(ctx context.Context, urls []string) (map[string]Card, error) {
	out := map[string]Card{}
	seen := map[string]bool{}
	var args []any
	for _, u := range urls {
		if u != "" && !seen[u] {
			seen[u] = true
			args = append(args, u)
		}
	}
	for len(args) > 0 {
		batch := args[:min(len(args), 200)]
		args = args[len(batch):]
		q := `SELECT url, card FROM preview_cards WHERE failed = 0 AND url IN (?` + strings.Repeat(",?", len(batch)-1) + `)`
		if err := c.scanCards(ctx, out, q, batch); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (c *Cards) scanCards(ctx context.Context, out map[string]Card, q string, args []any) error {
	rows, err := c.cfg.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("look up cards: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u, data string
		if err := rows.Scan(&u, &data); err != nil {
			return fmt.Errorf("look up cards: %w", err)
		}
		var card Card
		if json.Unmarshal([]byte(data), &card) == nil {
			out[u] = card
		}
	}
	return rows.Err()
}

// due reports whether link should be fetched now: never tried, a card
// older than the refresh age, or a failure older than the failure age.
func (c *Cards) due(ctx context.Context, link string) (bool, error) {
	var fetched int64
	var failed bool
	err := c.cfg.DB.QueryRowContext(ctx, `SELECT fetched, failed FROM preview_cards WHERE url = ?`, link).Scan(&fetched, &failed)
	if err == sql.ErrNoRows {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("card due: %w", err)
	}
	age := c.cfg.RefreshAge
	if failed {
		age = c.cfg.FailureAge
	}
	return c.cfg.Now().Sub(time.Unix(fetched, 0)) >= age, nil
}

// save stores the card for link, or a failure when card is nil. A failed
// refresh keeps the card fetched before: the page was down for a moment,
// what it said has not changed.
func (c *Cards) save(ctx context.Context, link string, card *Card) error {
	data, failed := "", true
	if card != nil {
		b, err := json.Marshal(card)
		if err != nil {
			return fmt.Errorf("save card: %w", err)
		}
		data, failed = string(b), false
	}
	_, err := c.cfg.DB.ExecContext(ctx, `INSERT INTO preview_cards (url, fetched, failed, card) VALUES (?, ?, ?, ?)
		ON CONFLICT (url) DO UPDATE SET fetched = excluded.fetched,
			failed = CASE WHEN excluded.failed = 1 AND preview_cards.card != '' THEN 0 ELSE excluded.failed END,
			card = CASE WHEN excluded.failed = 1 AND preview_cards.card != '' THEN preview_cards.card ELSE excluded.card END`,
		link, c.cfg.Now().Unix(), failed, data)
	if err != nil {
		return fmt.Errorf("save card: %w", err)
	}
	return nil
}
