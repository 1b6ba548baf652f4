package feed

import (
	"net/http"

	"roost/templates"
	"strconv"
	"strings"
	"time"
)

// defaultPollDuration is what the composer's duration choice starts at.
const defaultPollDuration = 24 * time.Hour

// pollDurations are the composer's choices, Mastodon's web composer's.
var pollDurations = []time.Duration{
	5 * time.Minute, 30 * time.Minute, time.Hour, 6 * time.Hour,
	24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour,
}

// readPollForm reads the composer's poll fields: poll_option_0..3,
// poll_multiple and poll_duration (seconds). No option typed means no poll;
// the limits are checked with the note, as for the API.
func readPollForm(r *http.Request) (*PollInput, error) {
	var options []string
	for i := range MaxPollOptions {
		if o := strings.TrimSpace(r.PostFormValue("poll_option_" + strconv.Itoa(i))); o != "" {
			options = append(options, o)
		}
	}
	if len(options) == 0 {
		return nil, nil
	}
	in := &PollInput{Options: options, Multiple: r.PostFormValue("poll_multiple") == "1", ExpiresIn: defaultPollDuration}
	if d := r.PostFormValue("poll_duration"); d != "" {
		secs, err := strconv.ParseInt(d, 10, 64)
		if err != nil {
			return in, invalid("The poll's duration is not a number of seconds.")
		}
		in.ExpiresIn = time.Duration(secs) * time.Second
	}
	return in, nil
}

// pollFormView fills the composer's poll fields with what was typed, or
// with empty options and the default duration.
func pollFormView(in *PollInput) templates.PollFormView {
	v := templates.PollFormView{Options: make([]string, MaxPollOptions), Duration: int(defaultPollDuration.Seconds())}
	if in != nil {
		copy(v.Options, in.Options)
		v.Multiple, v.Duration, v.Open = in.Multiple, int(in.ExpiresIn.Seconds()), true
	}
	for _, d := range pollDurations {
		v.Durations = append(v.Durations, templates.PollDuration{Seconds: int(d.Seconds()), Label: durationLabel(d)})
	}
	return v
}

func durationLabel(d time.Duration) string {
	switch {
	case d >= 24*time.Hour:
		n := int(d / (24 * time.Hour))
		if n == 1 {
			return "1 day"
		}
		return strconv.Itoa(n) + " days"
	case d >= time.Hour:
		n := int(d / time.Hour)
		if n == 1 {
			return "1 hour"
		}
		return strconv.Itoa(n) + " hours"
	}
	return strconv.Itoa(int(d/time.Minute)) + " minutes"
}
