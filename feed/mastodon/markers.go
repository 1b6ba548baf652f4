package mastodon

import (
	"net/http"
	"time"
)

func (a *API) markerRoutes(mux Mux) {
	a.handle(mux, "GET /api/v1/markers", "read:statuses", a.getMarkers)
	a.handle(mux, "POST /api/v1/markers", "write:statuses", a.saveMarkers)
}

// markerTimelines are the timelines apps keep a read position for.
var markerTimelines = []string{"home", "notifications"}

// markerIDKind names what a timeline's marker points at.
var markerIDKind = map[string]string{"home": "status", "notifications": "notification"}

// writeMarkers answers the home and notifications read positions. A
// timeline never saved gets a marker at "0" rather than null (Moshidon
// crashed on null).
func (a *API) writeMarkers(w http.ResponseWriter, r *http.Request) {
	out := map[string]any{}
	for _, tl := range markerTimelines {
		m, err := a.marker(r.Context(), tl)
		if err != nil && !isNotFound(err) {
			fail(w, r, err)
			return
		}
		if err != nil {
			m = marker{lastReadID: "0", updated: time.Unix(0, 0)}
		}
		out[tl] = map[string]any{"last_read_id": m.lastReadID, "version": m.version, "updated_at": timeJSON(m.updated)}
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) getMarkers(w http.ResponseWriter, r *http.Request, t *token) { a.writeMarkers(w, r) }

func (a *API) saveMarkers(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	// Every id is checked before any is saved: a marker is a status or
	// notification id, and apps compare it with the ids they page by, so
	// anything else would be served back to them as a position.
	for _, tl := range markerTimelines {
		if id := p.get(tl + "[last_read_id]"); id != "" {
			if n, ok := parseID(id); !ok || n <= 0 {
				unprocessable(w, tl+"[last_read_id] is not a "+markerIDKind[tl]+" id")
				return
			}
		}
	}
	for _, tl := range markerTimelines {
		id := p.get(tl + "[last_read_id]")
		if id == "" {
			continue
		}
		if err := a.saveMarker(r.Context(), tl, id); err != nil {
			fail(w, r, err)
			return
		}
	}
	a.writeMarkers(w, r)
}
