package blog

import (
	"context"
	"fmt"

	"roost/cmd/roost/database"
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
	from, test, score := `article_search s`, `article_search MATCH ?`, `bm25(article_search, 4.0, 1.0, 0.5)`
	if database.IsPostgres(b.db) {
		// The tsquery is parsed once, in the FROM clause, which comes
		// before the other parameters as MATCH does; ts_rank is higher
		// for better matches, bm25 lower.
		from, test = `article_search s CROSS JOIN to_tsquery('simple', ?) q`, `s.doc @@ q`
		score = `-ts_rank(` + database.TSRankWeights + `, s.doc, q)`
		match = database.TSQuery(match)
	}
	rows, err := b.db.QueryContext(ctx, `SELECT s.rowid, `+score+` AS score
		FROM `+from+` JOIN articles a ON a.id = s.rowid
		WHERE `+test+` AND `+visibleToAll+`
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
