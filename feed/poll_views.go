package feed

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"roost/templates"
)

// pollView prepares a poll for the pages: shares of the votes, and a form
// when the owner may vote (someone else's open poll they have not voted in).
func pollView(p *Poll, statusID int64, now time.Time, mayVote bool, back string) *templates.PollView {
	if p == nil {
		return nil
	}
	v := &templates.PollView{
		StatusID: formatID(statusID), Voters: p.VotersCount, Closed: p.Expired(now), Multiple: p.Multiple,
		EndsAt: p.ExpiresAt, Back: back,
	}
	v.CanVote = mayVote && !p.Local && !v.Closed && !p.Voted()
	total := p.Votes()
	for i, o := range p.Options {
		pct := 0
		if total > 0 {
			pct = o.Votes * 100 / total
		}
		v.Options = append(v.Options, templates.PollOptionView{Index: i, Title: o.Title, Votes: o.Votes,
			Percent: pct, Own: slices.Contains(p.OwnVotes, i)})
	}
	return v
}

// vote handles POST /home/vote: the owner's choice (field choice, once or
// more) in a poll (field id, the status id), then back to the page.
func (f *Feed) vote(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "could not read the form", http.StatusBadRequest)
		return
	}
	id, ok := parseID(r.PostForm.Get("id"))
	if !ok {
		http.Error(w, "missing poll", http.StatusBadRequest)
		return
	}
	var choices []int
	for _, c := range r.PostForm["choice"] {
		n, err := strconv.Atoi(c)
		if err != nil {
			http.Error(w, "choices are option numbers", http.StatusBadRequest)
			return
		}
		choices = append(choices, n)
	}
	_, err := f.Vote(r.Context(), id, choices)
	var invalidVote *ValidationError
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrGone):
		f.notFound(w, r)
		return
	case errors.Is(err, ErrPollClosed):
		f.cannotVote(w, r, "This poll has ended.")
		return
	case errors.As(err, &invalidVote):
		f.cannotVote(w, r, invalidVote.Message+".")
		return
	case err != nil:
		f.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, templates.BackToItem(r.PostForm.Get("back"), r.PostForm.Get("item"), "/home"), http.StatusSeeOther)
}

func (f *Feed) cannotVote(w http.ResponseWriter, r *http.Request, why string) {
	p := f.cfg.Page(r, "Cannot vote")
	templates.Render(w, r, http.StatusUnprocessableEntity, templates.Message(p, http.StatusUnprocessableEntity, "Cannot vote", why))
}
