package vocab

import (
	"fmt"
	"slices"
)

// Quote consent (FEP-044f, as Mastodon 4.5 and GoToSocial speak it): a post
// says who may quote it in interactionPolicy.canQuote; a quoting author asks
// with a QuoteRequest, and the quoted author answers with an Accept whose
// result is a QuoteAuthorization, served at its own address, that the
// quoting post then names in quoteAuthorization.
const (
	TypeQuoteRequest       = "QuoteRequest"
	TypeQuoteAuthorization = "QuoteAuthorization"
)

// Quote policies as roost keeps them: who the owner lets quote a post.
// QuotePolicyUnknown is a remote post that says nothing (a server without
// quote consent, whose quotes are taken as they come).
const (
	QuotePolicyPublic    = "public"
	QuotePolicyFollowers = "followers"
	QuotePolicyNobody    = "nobody"
	QuotePolicyUnknown   = ""
)

// ValidQuotePolicy reports whether s names one of the three policies an
// owner can choose.
func ValidQuotePolicy(s string) bool {
	return s == QuotePolicyPublic || s == QuotePolicyFollowers || s == QuotePolicyNobody
}

// QuoteRequestID is the id roost gives the QuoteRequest of one of its
// notes: the note's id with a fragment, so that an answer naming only the
// id leads back to the note.
func QuoteRequestID(noteID string) string { return noteID + "#quote-request" }

// interactionPolicyDoc is the part of interactionPolicy roost writes.
type interactionPolicyDoc struct {
	CanQuote approvalDoc `jsonld:"canQuote"`
}

type approvalDoc struct {
	AutomaticApproval array[string] `jsonld:"automaticApproval"`
	ManualApproval    array[string] `jsonld:"manualApproval"`
}

// quotePolicyDoc writes a policy for a post by author whose followers are
// at followers: everyone or the followers are approved automatically; with
// "nobody" only the author, as Mastodon writes it.
func quotePolicyDoc(policy, author, followers string) *interactionPolicyDoc {
	var auto array[string]
	switch policy {
	case QuotePolicyPublic:
		auto = array[string]{Public}
	case QuotePolicyFollowers:
		auto = array[string]{followers}
	case QuotePolicyNobody:
		auto = array[string]{author}
	default:
		return nil
	}
	return &interactionPolicyDoc{CanQuote: approvalDoc{AutomaticApproval: auto, ManualApproval: array[string]{}}}
}

// quotePolicyOf reads canQuote: Public among the approved means anyone,
// another collection or actor (the followers) means followers, and a
// policy that approves only the author, or asks for manual approval of
// everyone, means nobody without asking. A post without canQuote says
// nothing (QuotePolicyUnknown).
func quotePolicyOf(n node, author string) string {
	p := n.child("interactionPolicy")
	if p == nil {
		return QuotePolicyUnknown
	}
	q := p.child("canQuote")
	if q == nil {
		return QuotePolicyUnknown
	}
	auto := q.ids("automaticApproval")
	switch {
	case slices.ContainsFunc(auto, IsPublic):
		return QuotePolicyPublic
	case slices.ContainsFunc(auto, func(s string) bool { return s != author }):
		return QuotePolicyFollowers
	}
	return QuotePolicyNobody
}

// QuoteAuthorization is the stamp a quoted author gives one quote: that
// interactingObject (the quoting post) may quote interactionTarget (their
// post).
type QuoteAuthorization struct {
	ID, AttributedTo, InteractingObject, InteractionTarget string
}

type quoteAuthorizationDoc struct {
	ID                string `jsonld:"id"`
	Type              string `jsonld:"type"`
	AttributedTo      string `jsonld:"attributedTo"`
	InteractingObject string `jsonld:"interactingObject"`
	InteractionTarget string `jsonld:"interactionTarget"`
}

// MarshalQuoteAuthorization writes the stamp with roost's @context, as it
// is served at its id.
func MarshalQuoteAuthorization(q QuoteAuthorization) ([]byte, error) {
	if q.ID == "" || q.AttributedTo == "" || q.InteractingObject == "" || q.InteractionTarget == "" {
		return nil, fmt.Errorf("vocab: marshal quote authorization: every field is required")
	}
	b, err := marshalWithContext(quoteAuthorizationDoc{ID: q.ID, Type: TypeQuoteAuthorization,
		AttributedTo: q.AttributedTo, InteractingObject: q.InteractingObject, InteractionTarget: q.InteractionTarget})
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal quote authorization %s: %w", q.ID, err)
	}
	return b, nil
}

// ParseQuoteAuthorization reads a stamp fetched from its address; a
// document of another type is an error.
func ParseQuoteAuthorization(data []byte) (QuoteAuthorization, error) {
	n, err := decode(data)
	if err != nil {
		return QuoteAuthorization{}, fmt.Errorf("vocab: parse quote authorization: %w", err)
	}
	if !n.hasType(TypeQuoteAuthorization) {
		return QuoteAuthorization{}, fmt.Errorf("vocab: parse quote authorization: type %q", n.typ())
	}
	return QuoteAuthorization{ID: n.str("id"), AttributedTo: n.id("attributedTo"),
		InteractingObject: n.id("interactingObject"), InteractionTarget: n.id("interactionTarget")}, nil
}
