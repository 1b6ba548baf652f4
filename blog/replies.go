package blog

import (
	"log/slog"
	"net/http"

	"roost/federation/vocab"
)

// serveReplies answers GET /blog/{slug}/replies with the article's replies
// collection (FEP-b2b8 and Mastodon read it to show a thread): the object
// ids of the comments, oldest first, in one page.
func (b *Blog) serveReplies(w http.ResponseWriter, r *http.Request) {
	a, err := b.ByURL(r.Context(), b.articleURL(r.PathValue("slug")))
	if err != nil || !b.federable(a) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	tree, err := b.Comments(r.Context(), a.ID)
	if err != nil {
		slog.Error("replies collection", "article", a.ID, "err", err)
		http.Error(w, "try again later", http.StatusInternalServerError)
		return
	}
	var items []any
	var walk func([]Comment)
	walk = func(list []Comment) {
		for _, c := range list {
			items = append(items, c.ObjectID)
			walk(c.Replies)
		}
	}
	walk(tree)
	doc, err := vocab.MarshalCollection(vocab.OutCollection{ID: a.ObjectID + "/replies", Type: vocab.TypeOrderedCollection,
		TotalItems: len(items), OrderedItems: items})
	if err != nil {
		slog.Error("replies collection", "article", a.ID, "err", err)
		http.Error(w, "try again later", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", vocab.ContentTypeActivity)
	w.Header().Set("Vary", "Accept")
	w.Write(doc)
}
