package federation

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strings"

	"roost/federation/integrity"
	"roost/federation/vocab"
)

// WantsActivityJSON reports whether the request asks for ActivityStreams:
// its Accept names application/activity+json, or application/ld+json with
// or without the ActivityStreams profile (Pleroma once sent it bare).
func WantsActivityJSON(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		switch mediaType(part) {
		case vocab.ContentTypeActivity, "application/ld+json":
			return true
		}
	}
	return false
}

// wantsHTML reports whether a browser is asking (text/html in Accept).
func wantsHTML(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if mediaType(part) == "text/html" {
			return true
		}
	}
	return false
}

// ownerActor describes the owner's actor from the profile.
func (s *Service) ownerActor(ctx context.Context) (vocab.OutActor, error) {
	pr, err := s.cfg.Profiles.Get(ctx)
	if err != nil {
		return vocab.OutActor{}, fmt.Errorf("actor document: %w", err)
	}
	pub, err := s.ownerPublicKey(ctx)
	if err != nil {
		return vocab.OutActor{}, fmt.Errorf("actor document: %w", err)
	}
	username := pr.Username
	if username == "" {
		username = s.defaultUsername()
	}
	name := pr.Name
	if name == "" {
		name = username
	}
	a := vocab.OutActor{
		ID:                        s.ActorID(),
		Type:                      vocab.TypePerson,
		PreferredUsername:         username,
		Name:                      name,
		SummaryHTML:               s.renderBio(pr.Bio),
		URL:                       s.ProfileURL(),
		Inbox:                     s.InboxURL(),
		Outbox:                    s.OutboxURL(),
		Followers:                 s.FollowersURL(),
		Following:                 s.FollowingURL(),
		Featured:                  s.FeaturedURL(),
		SharedInbox:               s.SharedInboxURL(),
		PublicKeyPEM:              pub,
		IconURL:                   pr.AvatarURL,
		IconMediaType:             imageType(pr.AvatarURL),
		ImageURL:                  pr.HeaderURL,
		ImageMediaType:            imageType(pr.HeaderURL),
		ManuallyApprovesFollowers: pr.ManuallyApproves,
		Discoverable:              pr.Discoverable,
		// One switch for both: a person who wants to be found in the
		// directory also wants their posts searchable, and the reverse.
		Indexable:   pr.Discoverable,
		Published:   pr.Created,
		AlsoKnownAs: pr.AlsoKnownAs,
		MovedTo:     pr.MovedTo,
		Webfinger:   username + "@" + s.host,
	}
	proofKey, err := s.proofKeys.get(ctx)
	if err != nil {
		return vocab.OutActor{}, err
	}
	a.ProofKeyMultibase = integrity.EncodePublicKey(proofKey.Public().(ed25519.PublicKey))
	for _, f := range pr.Fields {
		a.Fields = append(a.Fields, vocab.Field{Name: f.Name, ValueHTML: fieldValueHTML(f.Value)})
	}
	return a, nil
}

// renderBio turns the owner's Markdown bio into the actor's summary HTML.
func (s *Service) renderBio(bio string) string {
	if strings.TrimSpace(bio) == "" {
		return ""
	}
	if s.cfg.RenderBio != nil {
		if out, err := s.cfg.RenderBio(bio); err == nil {
			return strings.TrimSpace(out)
		}
	}
	return "<p>" + html.EscapeString(bio) + "</p>"
}

// fieldValueHTML escapes a profile field's value; a value that is a link
// becomes an anchor with rel="me", which Mastodon uses to verify it.
func fieldValueHTML(v string) string {
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://") {
		if !strings.ContainsAny(v, " \t\n\"<>") {
			e := html.EscapeString(v)
			shown := html.EscapeString(strings.TrimPrefix(strings.TrimPrefix(v, "https://"), "http://"))
			return `<a href="` + e + `" rel="me nofollow noopener noreferrer" target="_blank">` + shown + `</a>`
		}
	}
	return html.EscapeString(v)
}

// imageType guesses an image's media type from its file name: Mastodon
// shows avatars only with a type it knows.
func imageType(u string) string {
	if u == "" {
		return ""
	}
	return mime.TypeByExtension(path.Ext(u))
}

// ServeActor writes the actor document.
func (s *Service) ServeActor(w http.ResponseWriter, r *http.Request) {
	actor, err := s.ownerActor(r.Context())
	var doc []byte
	if err == nil {
		doc, err = vocab.MarshalActor(actor)
	}
	if err != nil {
		slog.Error("serve actor", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "actor unavailable")
		return
	}
	w.Header().Set("Vary", "Accept")
	w.Header().Set("Cache-Control", "public, max-age=60")
	writeActivityJSON(w, http.StatusOK, doc)
}

// serveActorPath answers /actor: the document for peers, the profile page
// for a browser that followed the link.
func (s *Service) serveActorPath(w http.ResponseWriter, r *http.Request) {
	if wantsHTML(r) && !WantsActivityJSON(r) {
		w.Header().Set("Vary", "Accept")
		http.Redirect(w, r, s.ProfileURL(), http.StatusSeeOther)
		return
	}
	s.ServeActor(w, r)
}

// writeActivityJSON writes a marshalled document as application/activity+json.
func writeActivityJSON(w http.ResponseWriter, status int, doc []byte) {
	w.Header().Set("Content-Type", vocab.ContentTypeActivity)
	w.WriteHeader(status)
	w.Write(doc)
}

// writeJSON writes v with the given content type.
func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		slog.Error("encode json", "err", err)
		writeJSONError(w, http.StatusInternalServerError, "encoding failed")
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	w.Write(body)
}

// writeJSONError answers {"error": msg}; msg is safe to show a peer.
func writeJSONError(w http.ResponseWriter, status int, msg string) {
	body, _ := json.Marshal(map[string]string{"error": msg})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}
