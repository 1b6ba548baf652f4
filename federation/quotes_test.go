package federation

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"roost/federation/vocab"
)

func (r *recorder) QuoteRequested(ctx context.Context, request, quoted, quoting string, post *vocab.Object, from *vocab.Actor) error {
	return r.note("quote requested " + request + " of " + quoted + " by " + quoting + " from " + from.ID + " fetched " + strconv.FormatBool(post != nil))
}

func (r *recorder) QuoteAnswered(ctx context.Context, request, actor, stamp, target string, accepted bool) error {
	return r.note("quote answered " + request + " by " + actor + " " + strconv.FormatBool(accepted) + " " + stamp + " " + target)
}

// QuoteRequests of the owner's posts and the answers to the owner's own
// reach the quote handler, the quoting post fetched from its origin; a
// request for a post on another origin, or of another site's post, and a
// stamp from somewhere else than the answering actor are ignored. An
// answer to a QuoteRequest is never taken for an answer to a Follow.
func TestInboxQuoteConsent(t *testing.T) {
	f := newInboxFixture(t)
	f.site.SetQuoteHandler(f.rec)
	b := f.bobID
	quoting := "http://bob.test/statuses/7"
	f.bob.extra.HandleFunc("/statuses/7", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", vocab.ContentTypeActivity)
		n := note(quoting, b)
		n["quote"] = "http://alice.test/notes/5"
		w.Write(mustJSON(t, n))
	})
	mine := "http://alice.test/notes/9#quote-request"
	stamp := "http://bob.test/quote-authorizations/1"
	// Bob's stamps: one for alice's note, one for another post.
	serveStamp := func(path, interacting string) {
		f.bob.extra.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", vocab.ContentTypeActivity)
			w.Write(mustJSON(t, map[string]any{"id": "http://bob.test" + path, "type": "QuoteAuthorization", "attributedTo": b,
				"interactingObject": interacting, "interactionTarget": b + "/statuses/1"}))
		})
	}
	serveStamp("/quote-authorizations/1", "http://alice.test/notes/9")
	serveStamp("/quote-authorizations/2", "http://alice.test/notes/10")
	tests := []struct {
		name     string
		activity map[string]any
		want     string
	}{
		{"request", map[string]any{"id": b + "/requests/1", "type": "QuoteRequest", "actor": b, "object": "http://alice.test/notes/5", "instrument": quoting},
			"quote requested " + b + "/requests/1 of http://alice.test/notes/5 by " + quoting + " from " + b + " fetched true"},
		{"request with the post embedded", map[string]any{"id": b + "/requests/2", "type": "QuoteRequest", "actor": b, "object": "http://alice.test/notes/5",
			"instrument": map[string]any{"id": quoting, "type": "Note", "attributedTo": b}},
			"quote requested " + b + "/requests/2 of http://alice.test/notes/5 by " + quoting + " from " + b + " fetched true"},
		{"request for a post elsewhere", map[string]any{"id": b + "/requests/3", "type": "QuoteRequest", "actor": b, "object": "http://alice.test/notes/5", "instrument": "http://carol.test/notes/1"}, ""},
		{"request of another site's post", map[string]any{"id": b + "/requests/4", "type": "QuoteRequest", "actor": b, "object": "http://carol.test/notes/5", "instrument": quoting}, ""},
		{"accept by id", map[string]any{"id": b + "/accepts/1", "type": "Accept", "actor": b, "object": mine, "result": stamp},
			"quote answered " + mine + " by " + b + " true " + stamp + " " + b + "/statuses/1"},
		{"accept with the request embedded", map[string]any{"id": b + "/accepts/2", "type": "Accept", "actor": b, "result": stamp,
			"object": map[string]any{"id": mine, "type": "QuoteRequest", "actor": "http://alice.test/actor", "object": b + "/statuses/1", "instrument": "http://alice.test/notes/9"}},
			"quote answered " + mine + " by " + b + " true " + stamp + " " + b + "/statuses/1"},
		{"accept with a stamp for another post", map[string]any{"id": b + "/accepts/4", "type": "Accept", "actor": b, "object": mine, "result": "http://bob.test/quote-authorizations/2"}, ""},
		{"accept with a stamp from elsewhere", map[string]any{"id": b + "/accepts/3", "type": "Accept", "actor": b, "object": mine, "result": "http://carol.test/stamps/1"}, ""},
		{"reject", map[string]any{"id": b + "/rejects/1", "type": "Reject", "actor": b, "object": mine},
			"quote answered " + mine + " by " + b + " false  "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(f.rec.got())
			if w := f.post(t, tt.activity); w.Code != http.StatusAccepted {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			calls := f.rec.got()[before:]
			switch {
			case tt.want == "" && len(calls) != 0:
				t.Errorf("expected no handler call, got %v", calls)
			case tt.want != "" && (len(calls) != 1 || calls[0] != tt.want):
				t.Errorf("calls %v, want %q", calls, tt.want)
			}
		})
	}
}
