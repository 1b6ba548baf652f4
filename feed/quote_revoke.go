package feed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"roost/federation"
	"roost/federation/vocab"
	"roost/templates"
)

// QuoteState is where the quote of a post stands: the owner's notes carry
// theirs; a remote post that quotes one of the owner's notes is accepted
// only under a stamp the owner gave it (looked up here, at the site that
// issued it, which is how FEP-044f has it checked), refused when the
// owner turned it down or took it back, unauthorized when it names a
// stamp the owner never gave, and pending until the owner is asked.
// Quotes of other servers' posts are shown as they come.
func (f *Feed) QuoteState(ctx context.Context, p Post) string {
	switch {
	case p.QuoteOf == "":
		return ""
	case p.Local:
		if p.QuoteState == "" {
			return QuoteAccepted
		}
		return p.QuoteState
	case !f.isLocalNote(p.QuoteOf):
		return QuoteAccepted
	}
	noteID, ok := parseID(strings.TrimPrefix(p.QuoteOf, f.base+"/notes/"))
	if !ok {
		return QuotePending
	}
	var id int64
	var state, author string
	err := f.db.QueryRowContext(ctx, `SELECT id, state, quoting_author FROM quote_authorizations WHERE note_id = ? AND quoting_object = ?`,
		noteID, p.ObjectID).Scan(&id, &state, &author)
	switch {
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return QuotePending
	case err == nil && author != p.Author.ActorID:
		return QuoteUnauthorized
	case err == nil && state != QuoteAccepted:
		return state
	case err == nil && (p.QuoteAuthorization == "" || p.QuoteAuthorization == f.QuoteAuthorizationURL(id)):
		// Given and not yet named in the post (its Update is on the
		// way), or named as given.
		return QuoteAccepted
	case p.QuoteAuthorization != "":
		return QuoteUnauthorized
	}
	return QuotePending
}

// QuotesOf lists the stored posts and the owner's notes that quote
// objectID, newest first, at most limit.
func (f *Feed) QuotesOf(ctx context.Context, objectID string, limit int) ([]Post, error) {
	posts, err := f.scanPosts(ctx, `SELECT `+postColumns+postFrom+` WHERE p.quote = ? AND p.deleted_at IS NULL ORDER BY p.id DESC LIMIT ?`,
		objectID, limit)
	if err != nil {
		return nil, fmt.Errorf("quotes of %s: %w", objectID, err)
	}
	if err := f.attachPostParts(ctx, posts); err != nil {
		return nil, fmt.Errorf("quotes of %s: %w", objectID, err)
	}
	rows, err := f.query(ctx, `SELECT `+noteColumns+` FROM notes WHERE quote = ? AND author = '' AND deleted_at IS NULL ORDER BY id DESC LIMIT ?`,
		objectID, limit)
	if err != nil {
		return nil, fmt.Errorf("quotes of %s: %w", objectID, err)
	}
	defer rows.Close()
	for rows.Next() {
		n, _, err := f.scanNote(rows)
		if err != nil {
			return nil, fmt.Errorf("quotes of %s: %w", objectID, err)
		}
		posts = append(posts, f.notePost(n))
	}
	return posts, rows.Err()
}

// RevokeQuote takes back the owner's consent to a remote post quoting
// their note: the stamp is deleted (its address answers 410 from now on)
// and the Delete goes to the quoting author and the owner's followers, so
// that their servers stop showing the quote. A quote that never asked
// (from a server that does not) is refused the same way.
func (f *Feed) RevokeQuote(ctx context.Context, noteID int64, quotingObject string) (Post, error) {
	n, err := f.note(ctx, noteID, false)
	if err != nil {
		return Post{}, fmt.Errorf("revoke quote: %w", err)
	}
	p, err := f.storedPost(ctx, `p.object_id = ?`, quotingObject)
	if err != nil {
		return Post{}, fmt.Errorf("revoke quote: %w", err)
	}
	if p.QuoteOf != n.URL {
		return Post{}, fmt.Errorf("revoke quote: %s does not quote note %d: %w", quotingObject, noteID, ErrNotFound)
	}
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return Post{}, err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO quote_authorizations(id, note_id, quoting_object, quoting_author, state, created)
		VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT (note_id, quoting_object) DO UPDATE SET state = excluded.state`,
		f.nextID(), n.ID, p.ObjectID, p.Author.ActorID, QuoteRevoked, f.now().Unix())
	if err != nil {
		return Post{}, fmt.Errorf("revoke quote: %w", err)
	}
	var stamp int64
	if err := tx.QueryRowContext(ctx, `SELECT id FROM quote_authorizations WHERE note_id = ? AND quoting_object = ?`,
		n.ID, p.ObjectID).Scan(&stamp); err != nil {
		return Post{}, fmt.Errorf("revoke quote: %w", err)
	}
	if f.cfg.Publisher != nil {
		stampURL := f.QuoteAuthorizationURL(stamp)
		a := vocab.OutActivity{ID: stampURL + "#delete", Type: vocab.TypeDelete, Actor: f.cfg.ActorID,
			Object: map[string]any{"id": stampURL, "type": vocab.TypeQuoteAuthorization},
			To:     []string{vocab.Public}, Cc: []string{p.Author.ActorID, f.cfg.FollowersURL}, Published: f.now()}
		if err := f.cfg.Publisher.Publish(ctx, tx, a, federation.Audience{Followers: true, Actors: []string{p.Author.ActorID}}); err != nil {
			return Post{}, fmt.Errorf("revoke quote: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Post{}, err
	}
	f.events.StatusUpdated(ctx, p.ID)
	p.QuoteState = QuoteRevoked
	return p, nil
}

// serveQuoteAuthorization answers GET /quote-authorizations/{id}: the
// stamp as JSON-LD while it holds, 410 once the owner took it back, 404
// for one never given.
func (f *Feed) serveQuoteAuthorization(w http.ResponseWriter, r *http.Request) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	var noteID int64
	var quoting, state string
	err := f.db.QueryRowContext(r.Context(), `SELECT note_id, quoting_object, state FROM quote_authorizations WHERE id = ?`, id).
		Scan(&noteID, &quoting, &state)
	switch {
	case errors.Is(err, sql.ErrNoRows), err == nil && state == QuoteRejected:
		http.Error(w, "not found", http.StatusNotFound)
		return
	case err != nil:
		f.serverError(w, r, err)
		return
	case state == QuoteRevoked:
		http.Error(w, "gone", http.StatusGone)
		return
	}
	body, err := vocab.MarshalQuoteAuthorization(vocab.QuoteAuthorization{ID: f.QuoteAuthorizationURL(id),
		AttributedTo: f.cfg.ActorID, InteractingObject: quoting, InteractionTarget: f.NoteURL(noteID)})
	if err != nil {
		f.serverError(w, r, err)
		return
	}
	writeActivityJSON(w, http.StatusOK, body)
}

// maxQuotesShown is how many quotes a note's page lists for its owner.
const maxQuotesShown = 40

// quotingViews lists the remote posts that quote a note, for its owner,
// each with a button to take the quote back while it stands.
func (f *Feed) quotingViews(ctx context.Context, n Note, site templates.Site) ([]templates.QuotingView, error) {
	posts, err := f.QuotesOf(ctx, n.URL, maxQuotesShown)
	if err != nil {
		return nil, err
	}
	var out []templates.QuotingView
	for _, p := range posts {
		if p.Local {
			continue
		}
		a := f.authorView(p.Author, site)
		v := templates.QuotingView{ObjectID: p.ObjectID, URL: p.URL, AuthorName: a.Name, AuthorHandle: a.Handle,
			HTML: p.HTML, State: f.QuoteState(ctx, p)}
		if v.State != QuoteRevoked && v.State != QuoteRejected {
			v.RevokeAction = "/notes/" + formatID(n.ID) + "/quotes/revoke"
		}
		out = append(out, v)
	}
	return out, nil
}

// revokeQuote is the owner's Remove button under a quote of their note.
func (f *Feed) revokeQuote(w http.ResponseWriter, r *http.Request) {
	id, ok := noteID(r)
	if !ok {
		f.notFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "could not read the form", http.StatusBadRequest)
		return
	}
	if _, err := f.RevokeQuote(r.Context(), id, r.PostForm.Get("quoting")); err != nil {
		f.lookupError(w, r, err)
		return
	}
	http.Redirect(w, r, "/notes/"+formatID(id), http.StatusSeeOther)
}
