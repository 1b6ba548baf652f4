package feed

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"roost/federation/vocab"
)

// lastOfType is the last activity of a type the feed published.
func lastOfType(s *testSite, typ string) (published, bool) {
	all := s.pub.all()
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].activity.Type == typ {
			return all[i], true
		}
	}
	return published{}, false
}

// quotingPost is bob's (or anyone's) post quoting objectID.
func quotingPost(id, author, objectID, stamp string) *vocab.Object {
	o := publicNote(id, author, "<p>quoting</p>", 1)
	o.QuoteOf, o.QuoteAuthorization = objectID, stamp
	return o
}

// A request to quote a note is decided by the note's policy and answered
// with an Accept carrying a stamp the site then serves, or a Reject; a
// request whose quoting post is someone else's, or quotes something else,
// is rejected; asking again gets the same answer.
func TestQuoteRequestsFollowThePolicy(t *testing.T) {
	followers := map[string]bool{bobID: true}
	s := newTestSite(t, func(c *Config) {
		c.IsFollower = func(_ context.Context, id string) bool { return followers[id] }
	})
	ctx := context.Background()
	open := s.mustCreate(t, NoteInput{Text: "anyone may quote this"})
	friends := s.mustCreate(t, NoteInput{Text: "followers may quote this", QuotePolicy: vocab.QuotePolicyFollowers})
	closed := s.mustCreate(t, NoteInput{Text: "nobody may", QuotePolicy: vocab.QuotePolicyNobody})
	private := s.mustCreate(t, NoteInput{Text: "only followers read this", Visibility: VisibilityFollowers})

	tests := []struct {
		name          string
		note          Note
		from, quoting string
		quotingBy     string // the quoting post's author as its origin serves it
		quotingQuotes string // what the quoting post quotes, "" for the note
		accepted      bool
	}{
		{"anyone, a stranger", open, daveID, "https://else.test/notes/1", daveID, "", true},
		{"followers, a follower", friends, bobID, bobID + "/notes/1", bobID, "", true},
		{"followers, a stranger", friends, daveID, "https://else.test/notes/2", daveID, "", false},
		{"nobody, a follower", closed, bobID, bobID + "/notes/2", bobID, "", false},
		{"a post only followers read", private, bobID, bobID + "/notes/3", bobID, "", false},
		{"a post by someone else", open, bobID, "https://else.test/notes/3", daveID, "", false},
		{"a post quoting something else", open, bobID, bobID + "/notes/4", bobID, "https://else.test/notes/9", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			quotes := tt.quotingQuotes
			if quotes == "" {
				quotes = tt.note.URL
			}
			request := tt.quoting + "#request"
			err := s.feed.QuoteRequested(ctx, request, tt.note.URL, tt.quoting, quotingPost(tt.quoting, tt.quotingBy, quotes, ""), actor(tt.from, "x"))
			if err != nil {
				t.Fatal(err)
			}
			want := vocab.TypeReject
			if tt.accepted {
				want = vocab.TypeAccept
			}
			all := s.pub.all()
			answer := all[len(all)-1]
			inner, _ := answer.activity.Object.(map[string]any)
			if answer.activity.Type != want || inner["id"] != request || len(answer.audience.Actors) != 1 || answer.audience.Actors[0] != tt.from {
				t.Fatalf("answer %+v, want a %s to %s", answer, want, tt.from)
			}
			if !tt.accepted {
				return
			}
			stamp := answer.activity.Result
			rec := s.do(t, http.MethodGet, strings.TrimPrefix(stamp, testBase), nil, false)
			var doc map[string]any
			json.Unmarshal(rec.Body.Bytes(), &doc)
			if rec.Code != http.StatusOK || doc["type"] != "QuoteAuthorization" || doc["attributedTo"] != testActor ||
				doc["interactingObject"] != tt.quoting || doc["interactionTarget"] != tt.note.URL {
				t.Errorf("the stamp %s: %d %v", stamp, rec.Code, doc)
			}
			// Asked again, the answer is the same stamp.
			s.feed.QuoteRequested(ctx, request, tt.note.URL, tt.quoting, nil, actor(tt.from, "x"))
			if again, _ := lastOfType(s, vocab.TypeAccept); again.activity.Result != stamp {
				t.Errorf("asked again, the stamp is %s, was %s", again.activity.Result, stamp)
			}
		})
	}
	if rec := s.do(t, http.MethodGet, "/quote-authorizations/12345", nil, false); rec.Code != http.StatusNotFound {
		t.Errorf("a stamp never given: %d", rec.Code)
	}
}

// A post quoting one of the owner's notes shows as accepted only under a
// stamp the owner gave that very post: pending before anyone asked,
// unauthorized when it names a stamp the owner did not give it, revoked
// once the owner took it back (the stamp then answers 410 and the Delete
// goes to the quoting author and the followers).
func TestArrivingQuotesOfTheOwnersNotes(t *testing.T) {
	s := newRemoteSite(t, bobID, daveID)
	ctx := context.Background()
	n := s.mustCreate(t, NoteInput{Text: "a note to quote"})
	bobs := bobID + "/notes/10"
	mustCreated(t, s, quotingPost(bobs, bobID, n.URL, ""), actor(bobID, "bob"))
	state := func(id string) string {
		p, err := s.feed.PostByObjectID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return s.feed.QuoteState(ctx, p)
	}
	if got := state(bobs); got != QuotePending {
		t.Errorf("a quote nobody asked for: %s, want pending", got)
	}
	if err := s.feed.QuoteRequested(ctx, bobs+"#request", n.URL, bobs, nil, actor(bobID, "bob")); err != nil {
		t.Fatal(err)
	}
	accept, _ := lastOfType(s, vocab.TypeAccept)
	stamp := accept.activity.Result
	if got := state(bobs); got != QuoteAccepted {
		t.Errorf("an allowed quote: %s, want accepted", got)
	}
	// Dave names bob's stamp, and bob's post names one never given.
	daves := "https://else.test/notes/11"
	mustCreated(t, s, quotingPost(daves, daveID, n.URL, stamp), actor(daveID, "dave"))
	if got := state(daves); got != QuoteUnauthorized {
		t.Errorf("a quote with another post's stamp: %s, want unauthorized", got)
	}
	forged := quotingPost(bobs, bobID, n.URL, testBase+"/quote-authorizations/999")
	if err := s.feed.PostUpdated(ctx, forged, actor(bobID, "bob")); err != nil {
		t.Fatal(err)
	}
	if got := state(bobs); got != QuoteUnauthorized {
		t.Errorf("a quote naming a stamp never given: %s, want unauthorized", got)
	}
	if err := s.feed.PostUpdated(ctx, quotingPost(bobs, bobID, n.URL, stamp), actor(bobID, "bob")); err != nil {
		t.Fatal(err)
	}
	if got := state(bobs); got != QuoteAccepted {
		t.Errorf("a quote naming its own stamp: %s, want accepted", got)
	}

	// Taken back from the note's page.
	page := s.do(t, http.MethodGet, "/notes/"+formatID(n.ID), nil, true)
	if !strings.Contains(page.Body.String(), `data-testid="revoke-quote"`) {
		t.Fatal("the note's page offers no way to remove the quote")
	}
	rec := s.do(t, http.MethodPost, "/notes/"+formatID(n.ID)+"/quotes/revoke", strings.NewReader(url.Values{"quoting": {bobs}}.Encode()), true,
		"Content-Type", "application/x-www-form-urlencoded")
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("revoke: %d", rec.Code)
	}
	if got := state(bobs); got != QuoteRevoked {
		t.Errorf("a revoked quote: %s", got)
	}
	if rec := s.do(t, http.MethodGet, strings.TrimPrefix(stamp, testBase), nil, false); rec.Code != http.StatusGone {
		t.Errorf("a revoked stamp answers %d, want 410", rec.Code)
	}
	del, _ := lastOfType(s, vocab.TypeDelete)
	if obj, _ := del.activity.Object.(map[string]any); obj["id"] != stamp || !del.audience.Followers || del.audience.Actors[0] != bobID {
		t.Errorf("the Delete of the stamp: %+v", del)
	}
	if rec := s.do(t, http.MethodPost, "/notes/"+formatID(n.ID)+"/quotes/revoke", strings.NewReader("quoting=https://else.test/nothing"), true,
		"Content-Type", "application/x-www-form-urlencoded"); rec.Code != http.StatusNotFound {
		t.Errorf("revoking a quote that is not there: %d, want 404", rec.Code)
	}
	// The owner's page still lists it, without the button.
	page = s.do(t, http.MethodGet, "/notes/"+formatID(n.ID), nil, true)
	if strings.Count(page.Body.String(), `data-testid="revoke-quote"`) != 1 {
		t.Errorf("the page offers to remove %d quotes, want 1 (dave's)", strings.Count(page.Body.String(), `data-testid="revoke-quote"`))
	}
}

// The owner's quote of a post that states a policy waits for its author:
// a QuoteRequest goes out with the note, the Accept puts the stamp on the
// note and sends it again, and a Delete of the stamp marks it revoked. A
// post that states nothing is quoted at once, without asking.
func TestOwnersQuoteWaitsForConsent(t *testing.T) {
	s := newRemoteSite(t, bobID)
	ctx := context.Background()
	asks := publicNote(bobID+"/notes/20", bobID, "<p>ask me</p>", 2)
	asks.QuotePolicy = vocab.QuotePolicyPublic
	mustCreated(t, s, asks, actor(bobID, "bob"))
	legacy := publicNote(bobID+"/notes/21", bobID, "<p>old server</p>", 3)
	mustCreated(t, s, legacy, actor(bobID, "bob"))

	n := s.mustCreate(t, NoteInput{Text: "quoting bob", QuoteOf: asks.ID})
	if n.QuoteState != QuotePending {
		t.Errorf("the quote's state: %q, want pending", n.QuoteState)
	}
	req, ok := lastOfType(s, vocab.TypeQuoteRequest)
	instrument, _ := req.activity.Instrument.(map[string]any)
	if !ok || req.activity.ID != vocab.QuoteRequestID(n.URL) || req.activity.Object != asks.ID || instrument["id"] != n.URL || req.audience.Actors[0] != bobID {
		t.Fatalf("the QuoteRequest: %+v", req)
	}
	// Someone else's answer counts for nothing.
	s.feed.QuoteAnswered(ctx, req.activity.ID, daveID, "https://else.test/stamps/1", asks.ID, true)
	if got, _ := s.feed.Get(ctx, n.ID); got.QuoteState != QuotePending {
		t.Errorf("after a stranger's answer: %s", got.QuoteState)
	}
	stamp := bobID + "/quote-authorizations/1"
	// A stamp for another of bob's posts counts for nothing either.
	s.feed.QuoteAnswered(ctx, req.activity.ID, bobID, stamp, legacy.ID, true)
	if got, _ := s.feed.Get(ctx, n.ID); got.QuoteState != QuotePending {
		t.Errorf("after a stamp for another post: %s", got.QuoteState)
	}
	if err := s.feed.QuoteAnswered(ctx, req.activity.ID, bobID, stamp, asks.ID, true); err != nil {
		t.Fatal(err)
	}
	got, _ := s.feed.Get(ctx, n.ID)
	update, _ := lastOfType(s, vocab.TypeUpdate)
	obj, _ := update.activity.Object.(map[string]any)
	if got.QuoteState != QuoteAccepted || got.QuoteAuthorization != stamp || obj["quoteAuthorization"] != stamp {
		t.Errorf("after the Accept: state %s, stamp %s, Update %v", got.QuoteState, got.QuoteAuthorization, obj["quoteAuthorization"])
	}
	if err := s.feed.PostDeleted(ctx, stamp, bobID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.feed.Get(ctx, n.ID); got.QuoteState != QuoteRevoked || got.QuoteAuthorizationIfHeld() != "" {
		t.Errorf("after the stamp's Delete: %s", got.QuoteState)
	}

	before := len(s.pub.all())
	old := s.mustCreate(t, NoteInput{Text: "quoting an old server", QuoteOf: legacy.ID})
	if old.QuoteState != "" || s.feed.QuoteState(ctx, s.feed.notePost(old)) != QuoteAccepted {
		t.Errorf("a quote of a post that asks nothing: %q", old.QuoteState)
	}
	for _, p := range s.pub.all()[before:] {
		if p.activity.Type == vocab.TypeQuoteRequest {
			t.Errorf("a QuoteRequest went to a server that asks nothing")
		}
	}
}

// The composer offers who may quote the note, starting at the site's
// choice; the note keeps what the owner picked, and a made-up choice is
// refused.
func TestComposerQuotePolicy(t *testing.T) {
	s := newTestSite(t, func(c *Config) {
		c.Defaults = func() PostingDefaults { return PostingDefaults{QuotePolicy: vocab.QuotePolicyFollowers} }
	})
	doc := parseHTML(t, s.do(t, http.MethodGet, "/write", nil, true))
	if got := doc.Find(`select[name="quote_policy"] option[selected]`).AttrOr("value", ""); got != vocab.QuotePolicyFollowers {
		t.Errorf("the composer starts at %q, want the site's followers", got)
	}
	post := func(policy string) *http.Response {
		form := url.Values{"text": {"who may quote " + policy}, "visibility": {"public"}, "quote_policy": {policy}}
		return s.do(t, http.MethodPost, "/notes", strings.NewReader(form.Encode()), true,
			"Content-Type", "application/x-www-form-urlencoded").Result()
	}
	if resp := post(vocab.QuotePolicyNobody); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("posting: %d", resp.StatusCode)
	}
	notes, err := s.feed.Notes(context.Background(), 1, 0, true)
	if err != nil || len(notes) != 1 || notes[0].QuotePolicy != vocab.QuotePolicyNobody {
		t.Errorf("the note's policy: %+v %v", notes, err)
	}
	if obj := s.feed.object(notes[0]); obj.QuotePolicy != vocab.QuotePolicyNobody {
		t.Errorf("the Note goes out with policy %q", obj.QuotePolicy)
	}
	// The composer answers a form to fix with 400 and the form again.
	if resp := post("friends"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a made-up policy: %d, want 400", resp.StatusCode)
	}
}
