package database

import "sync"

// maxSiteTexts bounds one site's table of tagged texts; the rooms run
// about a hundred distinct texts, and one beyond the bound is tagged anew
// each time it runs.
const maxSiteTexts = 512

// siteTexts keeps a site's statements as PostgreSQL receives them:
// translated and tagged with the site's schema (see siteConn).
//
// Each text is made once per site and shared by every connection that
// runs it. Built on every query instead, the text was a new string each
// time, and each of the shard's connections kept its own copy as the key
// and the SQL of its cached statement: with a thousand sites on a shard,
// those copies were a good part of the process's heap.
type siteTexts struct {
	tag string
	mu  sync.RWMutex
	m   map[string]string
}

func newSiteTexts(schema string) *siteTexts {
	return &siteTexts{tag: "/* " + schema + " */ ", m: map[string]string{}}
}

// text is query as the site's connections send it.
func (s *siteTexts) text(query string) string {
	s.mu.RLock()
	t, ok := s.m[query]
	s.mu.RUnlock()
	if ok {
		return t
	}
	t = s.tag + translate(query)
	s.mu.Lock()
	if prev, ok := s.m[query]; ok {
		t = prev
	} else if len(s.m) < maxSiteTexts {
		s.m[query] = t
	}
	s.mu.Unlock()
	return t
}
