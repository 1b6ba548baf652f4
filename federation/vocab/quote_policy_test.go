package vocab

import (
	"encoding/json"
	"testing"
)

// A note's quote policy goes out as GoToSocial's interactionPolicy and
// comes back as the same policy; the stamp of a quote round-trips too.
func TestQuotePolicyRoundTrip(t *testing.T) {
	for _, policy := range []string{QuotePolicyPublic, QuotePolicyFollowers, QuotePolicyNobody} {
		b, err := MarshalObject(OutObject{ID: "https://a.example/notes/1", AttributedTo: "https://a.example/actor",
			QuotePolicy: policy, Followers: "https://a.example/followers", QuoteAuthorization: "https://b.example/stamps/1"})
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		json.Unmarshal(b, &doc)
		canQuote := doc["interactionPolicy"].(map[string]any)["canQuote"].(map[string]any)
		if _, ok := canQuote["manualApproval"].([]any); !ok {
			t.Errorf("%s: manualApproval = %v, want a list", policy, canQuote["manualApproval"])
		}
		o, err := ParseObject(b)
		if err != nil {
			t.Fatal(err)
		}
		if o.QuotePolicy != policy || o.QuoteAuthorization != "https://b.example/stamps/1" {
			t.Errorf("%s: parsed policy %q, authorization %q", policy, o.QuotePolicy, o.QuoteAuthorization)
		}
	}
	o, _ := ParseObject([]byte(`{"id":"https://m.example/1","type":"Note","attributedTo":"https://m.example/u"}`))
	if o.QuotePolicy != QuotePolicyUnknown {
		t.Errorf("a note without a policy reads as %q", o.QuotePolicy)
	}
	stamp := QuoteAuthorization{ID: "https://a.example/quote-authorizations/1", AttributedTo: "https://a.example/actor",
		InteractingObject: "https://b.example/notes/2", InteractionTarget: "https://a.example/notes/1"}
	b, err := MarshalQuoteAuthorization(stamp)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseQuoteAuthorization(b)
	if err != nil || back != stamp {
		t.Errorf("stamp read back as %+v, %v from %s", back, err, b)
	}
	if _, err := ParseQuoteAuthorization([]byte(`{"id":"x","type":"Note"}`)); err == nil {
		t.Error("a Note read as a stamp")
	}
}

// A QuoteRequest's instrument and an Accept's result are read by id.
func TestQuoteRequestActivity(t *testing.T) {
	b, err := MarshalActivity(OutActivity{ID: "https://b.example/notes/2#quote-request", Type: TypeQuoteRequest,
		Actor: "https://b.example/actor", Object: "https://a.example/notes/1",
		Instrument: OutObject{ID: "https://b.example/notes/2", AttributedTo: "https://b.example/actor", QuoteOf: "https://a.example/notes/1"}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseActivity(b)
	if err != nil || a.Instrument != "https://b.example/notes/2" || a.ObjectID != "https://a.example/notes/1" {
		t.Fatalf("request read as %+v, %v", a, err)
	}
	b, _ = MarshalActivity(OutActivity{ID: "https://a.example/x", Type: TypeAccept, Actor: "https://a.example/actor",
		Object: "https://b.example/notes/2#quote-request", Result: "https://a.example/quote-authorizations/1"})
	a, _ = ParseActivity(b)
	if a.Result != "https://a.example/quote-authorizations/1" {
		t.Errorf("accept result = %q", a.Result)
	}
}
