package blog

import (
	"context"
	"log/slog"
	"net/http"

	"roost/federation/vocab"
)

// serveReplies answers GET /blog/{slug}/replies with the article's replies
// collection (FEP-b2b8 and Mastodon read it to show a thread): a
// Collection of the comments' object ids, oldest first, nested ones
// included, with its first page embedded; ?page=N serves the others.
func (b *Blog) serveReplies(w http.ResponseWriter, r *http.Request) {
	a, err := b.ByURL(r.Context(), b.articleURL(r.PathValue("slug")))
	if err != nil || !b.federable(a) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	page, ok := vocab.RepliesPageParam(r.URL.Query().Get("page"))
	if !ok {
		http.Error(w, "page must be a page number", http.StatusBadRequest)
		return
	}
	ids, err := b.replyIRIs(r.Context(), a)
	if err != nil {
		slog.Error("replies collection", "article", a.ID, "err", err)
		http.Error(w, "try again later", http.StatusInternalServerError)
		return
	}
	doc, err := vocab.RepliesDocument(a.ObjectID+"/replies", page, ids)
	if err != nil {
		slog.Error("replies collection", "article", a.ID, "err", err)
		http.Error(w, "try again later", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", vocab.ContentTypeActivity)
	w.Header().Set("Vary", "Accept")
	w.Write(doc)
}

// replyIRIs lists the object ids of an article's published comments,
// each followed by the answers to it.
func (b *Blog) replyIRIs(ctx context.Context, a Article) ([]string, error) {
	tree, err := b.Comments(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	var ids []string
	var walk func([]Comment)
	walk = func(list []Comment) {
		for _, c := range list {
			ids = append(ids, c.ObjectID)
			walk(c.Replies)
		}
	}
	walk(tree)
	return ids[:min(len(ids), vocab.MaxRepliesPage*vocab.RepliesPageSize)], nil
}

// articleWithReplies is the Article with its replies collection embedded,
// first page included, as GoToSocial and Mastodon crawl a thread.
func (b *Blog) articleWithReplies(ctx context.Context, a Article) (vocab.OutObject, error) {
	o := b.articleObject(a)
	ids, err := b.replyIRIs(ctx, a)
	if err != nil {
		return o, err
	}
	o.Replies = &vocab.OutReplies{ID: o.RepliesID, Total: len(ids), First: ids}
	return o, nil
}
