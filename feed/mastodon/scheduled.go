package mastodon

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Mastodon refuses a date less than five minutes ahead and posts at once
// when the date is already past; it keeps at most 300 scheduled statuses.
const (
	minScheduleAhead = 5 * time.Minute
	maxScheduled     = 300
)

// ScheduledStatus is Mastodon's ScheduledStatus.
type ScheduledStatus struct {
	ID               string          `json:"id"`
	ScheduledAt      string          `json:"scheduled_at"`
	Params           ScheduledParams `json:"params"`
	MediaAttachments []Attachment    `json:"media_attachments"`
}

// ScheduledParams are the parameters of a scheduled status as the app sent
// them; they are also what the table keeps, and are posted as sent.
type ScheduledParams struct {
	Text        string   `json:"text"`
	Poll        any      `json:"poll"`
	MediaIDs    []string `json:"media_ids"`
	Sensitive   *bool    `json:"sensitive"`
	SpoilerText *string  `json:"spoiler_text"`
	Visibility  string   `json:"visibility"`
	// InReplyToID is a number in Mastodon's entity, unlike every other id.
	InReplyToID   *int64  `json:"in_reply_to_id"`
	Language      *string `json:"language"`
	ApplicationID int64   `json:"application_id"`
	ScheduledAt   *string `json:"scheduled_at"`
	Idempotency   *string `json:"idempotency"`
	WithRateLimit bool    `json:"with_rate_limit"`
}

// values turns the kept parameters back into a request's, for createStatus.
func (sp ScheduledParams) values() *params {
	p := &params{values: map[string][]string{"status": {sp.Text}, "visibility": {sp.Visibility}}}
	if sp.Sensitive != nil && *sp.Sensitive {
		p.add("sensitive", "true")
	}
	if sp.SpoilerText != nil {
		p.add("spoiler_text", *sp.SpoilerText)
	}
	if sp.Language != nil {
		p.add("language", *sp.Language)
	}
	if sp.InReplyToID != nil {
		p.add("in_reply_to_id", idString(*sp.InReplyToID))
	}
	p.add("media_ids", sp.MediaIDs...)
	return p
}

func (a *API) scheduledRoutes(mux Mux) {
	a.handle(mux, "GET /api/v1/scheduled_statuses", "read:statuses", a.listScheduled)
	a.handle(mux, "GET /api/v1/scheduled_statuses/{id}", "read:statuses", a.getScheduled)
	a.handle(mux, "PUT /api/v1/scheduled_statuses/{id}", "write:statuses", a.rescheduleStatus)
	a.handle(mux, "DELETE /api/v1/scheduled_statuses/{id}", "write:statuses", a.deleteScheduled)
}

// parseScheduledAt reads an ISO 8601 date as apps send it.
func parseScheduledAt(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, strings.TrimSpace(s)); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// scheduleStatus keeps a status with scheduled_at for later and answers
// the ScheduledStatus. It returns false, having written nothing, when the
// date is already past: Mastodon posts such a status at once.
func (a *API) scheduleStatus(w http.ResponseWriter, r *http.Request, t *token, p *params) bool {
	at, ok := parseScheduledAt(p.get("scheduled_at"))
	if !ok {
		unprocessable(w, "scheduled_at is not a date")
		return true
	}
	now := a.cfg.Now()
	if !at.After(now) {
		return false
	}
	if at.Before(now.Add(minScheduleAhead)) {
		unprocessable(w, "Scheduled at The scheduled date must be in the future")
		return true
	}
	// Check now what posting will check, so that the app hears of a problem
	// while the owner is still looking.
	if _, problem := a.noteInput(r.Context(), p); problem != "" {
		unprocessable(w, problem)
		return true
	}
	if _, ok := visibilityIn(p.get("visibility")); !ok {
		unprocessable(w, "visibility is not one of public, unlisted, private, direct")
		return true
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(p.get("status"))); n > a.cfg.NoteLimit {
		unprocessable(w, "Text is too long (the limit is "+idString(int64(a.cfg.NoteLimit))+" characters)")
		return true
	}
	sp := ScheduledParams{Text: p.get("status"), MediaIDs: p.list("media_ids"), Visibility: p.get("visibility"),
		ApplicationID: t.appID}
	if sp.Visibility == "" {
		sp.Visibility = visibilityOut(a.cfg.Feed.PostingDefaults().Visibility)
	}
	if p.has("sensitive") {
		v := p.boolean("sensitive", false)
		sp.Sensitive = &v
	}
	if p.has("spoiler_text") {
		v := p.get("spoiler_text")
		sp.SpoilerText = &v
	}
	if l := p.get("language"); l != "" {
		sp.Language = &l
	}
	if id, ok := parseID(p.get("in_reply_to_id")); ok {
		sp.InReplyToID = &id
	}
	if k := r.Header.Get("Idempotency-Key"); k != "" {
		sp.Idempotency = &k
	}
	n, err := a.scheduledCount(r.Context())
	if err != nil {
		fail(w, r, err)
		return true
	}
	if n >= maxScheduled {
		unprocessable(w, "Total limit of scheduled statuses reached")
		return true
	}
	s, err := a.saveScheduled(r.Context(), at, sp)
	if err != nil {
		fail(w, r, err)
		return true
	}
	writeJSON(w, http.StatusOK, a.scheduledEntity(r, s))
	return true
}

// scheduledEntity renders a kept status with its attachments.
func (a *API) scheduledEntity(r *http.Request, s scheduled) ScheduledStatus {
	e := ScheduledStatus{ID: idString(s.id), ScheduledAt: timeJSON(s.at), Params: s.params, MediaAttachments: []Attachment{}}
	for _, raw := range s.params.MediaIDs {
		id, ok := parseID(raw)
		if !ok || a.cfg.Media == nil {
			continue
		}
		if m, err := a.cfg.Media.Get(r.Context(), id); err == nil {
			e.MediaAttachments = append(e.MediaAttachments, mediaEntity(m))
		}
	}
	return e
}

func (a *API) listScheduled(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	list, err := a.scheduledPage(r.Context(), pageOf(p))
	if err != nil {
		fail(w, r, err)
		return
	}
	out := make([]ScheduledStatus, 0, len(list))
	for _, s := range list {
		out = append(out, a.scheduledEntity(r, s))
	}
	if len(list) > 0 {
		a.setLink(w, r, list[0].id, list[len(list)-1].id)
	}
	writeJSON(w, http.StatusOK, out)
}

// scheduledParam reads {id} and the kept status, answering 404 itself.
func (a *API) scheduledParam(w http.ResponseWriter, r *http.Request) (scheduled, bool) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		notFound(w)
		return scheduled{}, false
	}
	s, err := a.scheduledByID(r.Context(), id)
	if isNotFound(err) {
		notFound(w)
		return scheduled{}, false
	}
	if err != nil {
		fail(w, r, err)
		return scheduled{}, false
	}
	return s, true
}

func (a *API) getScheduled(w http.ResponseWriter, r *http.Request, t *token) {
	if s, ok := a.scheduledParam(w, r); ok {
		writeJSON(w, http.StatusOK, a.scheduledEntity(r, s))
	}
}

// rescheduleStatus moves a scheduled status to a new date, which also
// retries one whose posting failed.
func (a *API) rescheduleStatus(w http.ResponseWriter, r *http.Request, t *token) {
	s, ok := a.scheduledParam(w, r)
	if !ok {
		return
	}
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	if p.has("scheduled_at") {
		at, ok := parseScheduledAt(p.get("scheduled_at"))
		if !ok {
			unprocessable(w, "scheduled_at is not a date")
			return
		}
		if at.Before(a.cfg.Now().Add(minScheduleAhead)) {
			unprocessable(w, "Scheduled at The scheduled date must be in the future")
			return
		}
		if err := a.moveScheduled(r.Context(), s.id, at); err != nil {
			fail(w, r, err)
			return
		}
		s.at = at
	}
	writeJSON(w, http.StatusOK, a.scheduledEntity(r, s))
}

func (a *API) deleteScheduled(w http.ResponseWriter, r *http.Request, t *token) {
	s, ok := a.scheduledParam(w, r)
	if !ok {
		return
	}
	if err := a.dropScheduled(r.Context(), s.id); err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
