package feed

import "roost/cmd/roost/database"

// searchSQL is what the two engines spell differently in a search: the
// table with the query's one parameter (from), the match test, the score
// (lower is better, as bm25's) and the snippet with matchOpen and
// matchClose around the matched words.
type searchSQL struct {
	from, match, score, snippet string
}

// FTS5's: the expression is bound in the MATCH test.
var sqliteSearch = searchSQL{
	from:    `feed_search s`,
	match:   `feed_search MATCH ?`,
	score:   `bm25(feed_search, 4.0, 1.0, 0.5)`,
	snippet: `snippet(feed_search, -1, char(2), char(3), '…', 32)`,
}

// PostgreSQL's: the tsquery is parsed once in the FROM clause, which comes
// before any other parameter as FTS5's MATCH does; ts_rank is higher for
// better matches, so the score is its negation. The snippet's text has <
// and > as other characters while it is parsed, as the index has them as
// spaces (see PostgresMigrations).
var postgresSearch = searchSQL{
	from:  `feed_search s CROSS JOIN to_tsquery('simple', ?) q`,
	match: `s.doc @@ q`,
	score: `-ts_rank(` + database.TSRankWeights + `, s.doc, q)`,
	snippet: `translate(ts_headline('simple', translate(concat_ws(' ', NULLIF(s.title, ''), NULLIF(s.body, ''), NULLIF(s.warning, '')), '<>', chr(4) || chr(5)), q,
		'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=32, MinWords=12'), chr(4) || chr(5), '<>')`,
}

func (f *Feed) searchSQL() searchSQL {
	if database.IsPostgres(f.db) {
		return postgresSearch
	}
	return sqliteSearch
}

// searchArg is the FTS5 expression match as the engine's query parameter.
func (f *Feed) searchArg(match string) string {
	if database.IsPostgres(f.db) {
		return database.TSQuery(match)
	}
	return match
}
