package mastodon

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"roost/federation/vocab"
	"roost/feed"
)

// Conversation is Mastodon's entity for a private thread: the other people
// in it, its newest status, and whether the owner has yet to read it.
type Conversation struct {
	ID         string    `json:"id"`
	Unread     bool      `json:"unread"`
	Accounts   []Account `json:"accounts"`
	LastStatus *Status   `json:"last_status"`
}

func (a *API) conversationRoutes(mux Mux) {
	a.handle(mux, "GET /api/v1/conversations", "read:statuses", a.listConversations)
	// Mastodon.py asks with a trailing slash.
	a.handle(mux, "GET /api/v1/conversations/", "read:statuses", a.listConversations)
	a.handle(mux, "POST /api/v1/conversations/{id}/read", "write:conversations", a.readConversation)
	a.handle(mux, "DELETE /api/v1/conversations/{id}", "write:conversations", a.removeConversation)
	a.handle(mux, "GET /api/v1/timelines/direct", "read:statuses", a.directTimeline)
}

// listConversations pages conversations by the id of their newest status,
// as Mastodon does, so that Link carries status ids.
func (a *API) listConversations(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	pg := pageOf(p)
	all, err := a.conversationList(r.Context())
	if err != nil {
		fail(w, r, err)
		return
	}
	var page []conversation
	for _, c := range all {
		if inPage(pg, c.posts[0].ID) {
			page = append(page, c)
		}
	}
	if len(page) > pg.Limit {
		if pg.MinID > 0 {
			page = page[len(page)-pg.Limit:]
		} else {
			page = page[:pg.Limit]
		}
	}
	out, err := a.renderConversations(r.Context(), page)
	if err != nil {
		fail(w, r, err)
		return
	}
	if len(page) > 0 {
		a.setLink(w, r, page[0].posts[0].ID, page[len(page)-1].posts[0].ID)
	}
	writeJSON(w, http.StatusOK, out)
}

func (a *API) readConversation(w http.ResponseWriter, r *http.Request, t *token) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		notFound(w)
		return
	}
	c, err := a.markConversation(r.Context(), id, "read_id")
	if err != nil {
		failLookup(w, r, err)
		return
	}
	out, err := a.renderConversations(r.Context(), []conversation{c})
	if err != nil {
		fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out[0])
}

// removeConversation hides a conversation until someone writes in it
// again; its statuses stay.
func (a *API) removeConversation(w http.ResponseWriter, r *http.Request, t *token) {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		notFound(w)
		return
	}
	if _, err := a.markConversation(r.Context(), id, "removed_id"); err != nil {
		failLookup(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

// directTimeline lists the direct statuses themselves, newest first.
func (a *API) directTimeline(w http.ResponseWriter, r *http.Request, t *token) {
	p, ok := a.readParams(w, r)
	if !ok {
		return
	}
	pg := pageOf(p)
	var posts []Post
	if d, ok := a.cfg.Remote.(Directs); ok {
		list, err := d.DirectPosts(r.Context(), fetchLimit, pg.MaxID)
		if err != nil {
			fail(w, r, err)
			return
		}
		h := a.newHider(r.Context())
		for _, dp := range list {
			if !h.post(dp.Post) {
				posts = append(posts, dp.Post)
			}
		}
	}
	a.writeTimeline(w, r, clip(posts, pg), nil)
}

// renderConversations renders conversations with their newest statuses
// rendered in one batch.
func (a *API) renderConversations(ctx context.Context, list []conversation) ([]Conversation, error) {
	lasts := make([]Post, len(list))
	for i, c := range list {
		lasts[i] = c.posts[0]
	}
	statuses, err := a.newRenderer(ctx).statuses(lasts)
	if err != nil {
		return nil, err
	}
	out := make([]Conversation, len(list))
	for i, c := range list {
		actors := a.participants(ctx, c.posts)
		ids := make([]string, len(actors))
		for j, act := range actors {
			ids[j] = act.ID
		}
		accountIDs, err := a.accountIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		accts := make([]Account, 0, len(actors))
		for _, act := range actors {
			accts = append(accts, a.remoteAccount(accountIDs[act.ID], act))
		}
		out[i] = Conversation{ID: idString(c.id), Unread: c.unread, Accounts: accts, LastStatus: &statuses[i]}
	}
	return out, nil
}

// participants are the people in a thread other than the owner: its
// authors and everyone its posts mention, in the order they appear.
func (a *API) participants(ctx context.Context, posts []Post) []*vocab.Actor {
	seen := map[string]bool{a.cfg.ActorID: true, "": true}
	var out []*vocab.Actor
	for _, p := range posts {
		if p.Author != nil && !seen[p.Author.ID] {
			seen[p.Author.ID] = true
			out = append(out, p.Author)
		}
		for _, m := range p.Mentions {
			if seen[m.ActorID] {
				continue
			}
			seen[m.ActorID] = true
			out = append(out, a.mentionedActor(ctx, m.ActorID, m.Handle))
		}
	}
	return out
}

// mentionedActor is the stored snapshot of a mentioned account, or one made
// of the mention alone when the contacts book does not know it.
func (a *API) mentionedActor(ctx context.Context, actorID, handle string) *vocab.Actor {
	if a.cfg.Social != nil {
		if act, err := a.cfg.Social.Actor(ctx, actorID); err == nil {
			return act
		}
	}
	handle = strings.TrimPrefix(handle, "@")
	user, _, _ := strings.Cut(handle, "@")
	act := &vocab.Actor{ID: actorID, PreferredUsername: user, Type: vocab.TypePerson}
	if strings.Contains(handle, "@") {
		act.Webfinger = handle
	}
	return act
}

// streamConversation sends the conversation a new direct status starts or
// continues to the direct stream, as Mastodon's "conversation" event.
func (a *API) streamConversation(ctx context.Context, p Post) {
	if p.Visibility != feed.VisibilityDirect {
		return
	}
	list, err := a.conversationList(ctx)
	if err != nil {
		slog.Warn("mastodon: stream conversation", "id", p.ID, "err", err)
		return
	}
	for _, c := range list {
		if c.posts[0].ID != p.ID {
			continue
		}
		out, err := a.renderConversations(ctx, []conversation{c})
		if err != nil {
			slog.Warn("mastodon: stream conversation", "id", p.ID, "err", err)
			return
		}
		a.hub.publish(Event{Stream: []string{"direct"}, Event: "conversation", Payload: payload(out[0])}, "conversation:"+idString(p.ID))
		return
	}
}
