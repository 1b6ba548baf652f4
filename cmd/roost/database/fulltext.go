package database

import "strings"

// The rooms build full-text queries in FTS5's syntax: quoted words, all
// required, the last one maybe a prefix ("okapi" "daw"*). On PostgreSQL the
// same search runs on a tsvector column (see the rooms' PostgreSQL
// migrations), and TSQuery spells the expression as to_tsquery text.

// TSQuery turns an FTS5 expression of quoted words, each maybe followed by
// * for a prefix, into to_tsquery text: 'okapi' & 'daw':*. It is "" when
// the expression holds no word.
func TSQuery(match string) string {
	var terms []string
	for rest := match; ; {
		open := strings.IndexByte(rest, '"')
		if open < 0 {
			break
		}
		end := closing(rest, open+1, '"')
		word := strings.ReplaceAll(rest[open+1:max(open+1, end-1)], `""`, `"`)
		rest = rest[end:]
		prefix := strings.HasPrefix(rest, "*")
		if word == "" {
			continue
		}
		term := "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(word) + "'"
		if prefix {
			term += ":*"
		}
		terms = append(terms, term)
	}
	return strings.Join(terms, " & ")
}

// TSRankWeights weighs the A (title), B (body) and C (warning or summary)
// parts of a document as the rooms' bm25 calls do on SQLite (4, 1 and
// 0.5), scaled to the at most 1 that ts_rank accepts; the array runs from D
// to A.
const TSRankWeights = `'{0.1, 0.125, 0.25, 1.0}'`
