package mastodon

import (
	"net/http"
	"time"
)

func (a *API) markerRoutes(mux *http.ServeMux) {
	a.handle(mux, "GET /api/v1/markers", "read:statuses", a.getMarkers)
	a.handle(mux, "POST /api/v1/markers", "write:statuses", a.saveMarkers)
}

// markers answers the home and notifications read positions. A timeline
// never saved gets a marker at "0" rather than null (Moshidon crashed on null).
func (a *API) markers(w http.ResponseWriter, r *http.Request) {
	out := map[string]any{}
	for _, tl := range []string{"home", "notifications"} {
		var last string
		var version int
		var updated int64
		err := a.db.QueryRowContext(r.Context(), `SELECT last_read_id, version, updated FROM mastodon_markers WHERE timeline = ?`, tl).
			Scan(&last, &version, &updated)
		if err != nil {
			last, version, updated = "0", 0, 0
		}
		out[tl] = map[string]any{"last_read_id": last, "version": version, "updated_at": timeJSON(time.Unix(updated, 0))}
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) getMarkers(w http.ResponseWriter, r *http.Request, t *token) { a.markers(w, r) }

func (a *API) saveMarkers(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	for _, tl := range []string{"home", "notifications"} {
		id := p.get(tl + "[last_read_id]")
		if id == "" {
			continue
		}
		if _, err := a.db.ExecContext(r.Context(), `INSERT INTO mastodon_markers (timeline, last_read_id, version, updated) VALUES (?, ?, 1, ?)
			ON CONFLICT (timeline) DO UPDATE SET last_read_id = excluded.last_read_id, version = mastodon_markers.version + 1, updated = excluded.updated`,
			tl, id, a.cfg.Now().Unix()); err != nil {
			fail(w, r, err)
			return
		}
	}
	a.markers(w, r)
}
