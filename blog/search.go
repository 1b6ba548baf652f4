package blog

import (
	"context"
	"fmt"
)

// ArticleMatch is a published article that matched a full-text search;
// Rank is its bm25 score (lower is better), comparable with the feed
// room's.
type ArticleMatch struct {
	ID   int64
	Rank float64
}

// SearchArticles finds the published articles matching an FTS5 query
// expression, best first, titles weighing most. ids below maxID and above
// minID when they are > 0.
func (b *Blog) SearchArticles(ctx context.Context, match string, limit int, maxID, minID int64) ([]ArticleMatch, error) {
	if match == "" || limit <= 0 {
		return nil, nil
	}
	rows, err := b.db.QueryContext(ctx, `SELECT s.rowid, bm25(article_search, 4.0, 1.0, 0.5) AS score
		FROM article_search s JOIN articles a ON a.id = s.rowid
		WHERE article_search MATCH ? AND `+visibleToAll+`
			AND (? = 0 OR a.id < ?) AND (? = 0 OR a.id > ?)
		ORDER BY score, s.rowid DESC LIMIT ?`, match, b.now().Unix(), maxID, maxID, minID, minID, limit)
	if err != nil {
		return nil, fmt.Errorf("search articles: %w", err)
	}
	defer rows.Close()
	var out []ArticleMatch
	for rows.Next() {
		var m ArticleMatch
		if err := rows.Scan(&m.ID, &m.Rank); err != nil {
			return nil, fmt.Errorf("search articles: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
