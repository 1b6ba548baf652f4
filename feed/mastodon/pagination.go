package mastodon

import (
	"net/http"
	"net/url"
	"strconv"
)

const (
	defaultLimit = 20
	maxLimit     = 40
)

// pageOf reads max_id, since_id, min_id and limit (default 20, at most 40).
func pageOf(p *params) Page {
	pg := Page{Limit: p.integer("limit", defaultLimit)}
	if pg.Limit <= 0 {
		pg.Limit = defaultLimit
	}
	if pg.Limit > maxLimit {
		pg.Limit = maxLimit
	}
	pg.MaxID, _ = parseID(p.get("max_id"))
	pg.SinceID, _ = parseID(p.get("since_id"))
	pg.MinID, _ = parseID(p.get("min_id"))
	return pg
}

// setLink writes Mastodon's Link header for a page whose items have ids
// newest first from first to last: next (older) first, then prev (newer).
// toot reads only the first entry as "next"; Phanpy and the Android app stop
// paging without the header.
func (a *API) setLink(w http.ResponseWriter, r *http.Request, newest, oldest int64) {
	if newest == 0 && oldest == 0 {
		return
	}
	link := func(key string, id int64) string {
		q := url.Values{}
		for k, vs := range r.URL.Query() {
			if k == "max_id" || k == "min_id" || k == "since_id" {
				continue
			}
			q[k] = vs
		}
		q.Set(key, strconv.FormatInt(id, 10))
		return a.cfg.BaseURL + r.URL.Path + "?" + q.Encode()
	}
	w.Header().Set("Link", `<`+link("max_id", oldest)+`>; rel="next", <`+link("min_id", newest)+`>; rel="prev"`)
}

// inPage tells whether id belongs to pg (the limit is applied by the caller).
func inPage(pg Page, id int64) bool {
	if pg.MaxID > 0 && id >= pg.MaxID {
		return false
	}
	if pg.SinceID > 0 && id <= pg.SinceID {
		return false
	}
	if pg.MinID > 0 && id <= pg.MinID {
		return false
	}
	return true
}
