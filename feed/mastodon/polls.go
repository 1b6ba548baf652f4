package mastodon

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"roost/feed"
)

// Poll is Mastodon's Poll entity. Its id is the status's: a status has one
// poll at most.
type Poll struct {
	ID          string       `json:"id"`
	ExpiresAt   *string      `json:"expires_at"`
	Expired     bool         `json:"expired"`
	Multiple    bool         `json:"multiple"`
	VotesCount  int          `json:"votes_count"`
	VotersCount *int         `json:"voters_count"`
	Options     []PollOption `json:"options"`
	Emojis      []any        `json:"emojis"`
	Voted       bool         `json:"voted"`
	OwnVotes    []int        `json:"own_votes"`
}

// PollOption is one choice of a Poll.
type PollOption struct {
	Title      string `json:"title"`
	VotesCount *int   `json:"votes_count"`
}

func (a *API) pollRoutes(mux Mux) {
	a.handlePublic(mux, "GET /api/v1/polls/{id}", "read:statuses", a.getPoll)
	a.handle(mux, "POST /api/v1/polls/{id}/votes", "write:statuses", a.votePoll)
}

// pollEntity renders a poll. The owner's own poll counts as voted, as
// Mastodon has it, so apps show its results rather than a form.
func pollEntity(p feed.Poll, now time.Time) *Poll {
	out := &Poll{ID: idString(p.ID), ExpiresAt: optTime(p.ExpiresAt), Expired: p.Expired(now), Multiple: p.Multiple,
		VotesCount: p.Votes(), Emojis: []any{}, Voted: p.Local || p.Voted(), OwnVotes: []int{}}
	if p.Multiple {
		// Mastodon names the voters of multiple-choice polls only; for a
		// single choice the votes are the voters.
		n := p.VotersCount
		out.VotersCount = &n
	}
	for _, o := range p.Options {
		votes := o.Votes
		out.Options = append(out.Options, PollOption{Title: o.Title, VotesCount: &votes})
	}
	if p.OwnVotes != nil {
		out.OwnVotes = p.OwnVotes
	}
	return out
}

// pollInput reads poll[options][], poll[expires_in] (seconds) and
// poll[multiple]; poll[hide_totals] is accepted and ignored, as roost
// always shows the counts. Nil when the status has no poll.
func pollInput(p *params) (*feed.PollInput, string) {
	if !p.has("poll[options]") && !p.has("poll[expires_in]") {
		return nil, ""
	}
	secs, err := strconv.ParseInt(p.get("poll[expires_in]"), 10, 64)
	if err != nil {
		return nil, "Poll expires in is not a number"
	}
	return &feed.PollInput{Options: p.list("poll[options]"), ExpiresIn: time.Duration(secs) * time.Second,
		Multiple: p.boolean("poll[multiple]", false)}, ""
}

// pollParam reads {id} and the poll of that status, answering 404 itself
// (and for a status the request may not see).
func (a *API) pollParam(w http.ResponseWriter, r *http.Request, t *token) (feed.Poll, bool) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		notFound(w)
		return feed.Poll{}, false
	}
	post, _, err := a.findPost(r.Context(), id)
	if err == nil && !visible(post, t != nil && t.owner) {
		err = ErrNotFound
	}
	var poll feed.Poll
	if err == nil {
		poll, err = a.cfg.Feed.Poll(r.Context(), id)
	}
	if err != nil {
		failLookup(w, r, err)
		return feed.Poll{}, false
	}
	return poll, true
}

func (a *API) getPoll(w http.ResponseWriter, r *http.Request, t *token) {
	poll, ok := a.pollParam(w, r, t)
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, pollEntity(poll, a.cfg.Now()))
}

// votePoll casts the owner's vote in someone else's poll; the feed room
// sends it to the poll's author.
func (a *API) votePoll(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	poll, ok := a.pollParam(w, r, t)
	if !ok {
		return
	}
	var choices []int
	for _, c := range p.list("choices") {
		n, err := strconv.Atoi(c)
		if err != nil {
			unprocessable(w, "choices must be option indexes")
			return
		}
		choices = append(choices, n)
	}
	voted, err := a.cfg.Feed.Vote(r.Context(), poll.ID, choices)
	var ve *feed.ValidationError
	switch {
	case errors.Is(err, feed.ErrPollClosed):
		unprocessable(w, "The poll has already ended")
		return
	case errors.As(err, &ve):
		unprocessable(w, ve.Message)
		return
	case err != nil:
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, pollEntity(voted, a.cfg.Now()))
}
