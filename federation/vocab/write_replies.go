package vocab

import "strconv"

// The replies collection of one of the owner's posts. GoToSocial crawls a
// thread only through a replies collection embedded in the post with its
// first page embedded too, and Mastodon writes it that way: a Collection
// whose first is a CollectionPage listing reply IRIs, with next when there
// are more. The same collection and its pages are served at their own
// addresses.

// RepliesPageSize is how many reply IRIs one page of a replies collection
// lists.
const RepliesPageSize = 20

// RepliesPage is the address of page n (from 1) of a replies collection.
func RepliesPage(collection string, n int) string {
	return collection + "?page=" + strconv.Itoa(n)
}

// OutReplies is a post's replies: the collection's id, how many replies
// there are, and the IRIs on the first page.
type OutReplies struct {
	ID    string
	Total int
	// First holds the first RepliesPageSize reply IRIs, oldest first.
	First []string
}

type repliesDoc struct {
	ID         string         `jsonld:"id"`
	Type       string         `jsonld:"type"`
	TotalItems int            `jsonld:"totalItems"`
	First      repliesPageDoc `jsonld:"first"`
}

type repliesPageDoc struct {
	ID         string        `jsonld:"id"`
	Type       string        `jsonld:"type"`
	PartOf     string        `jsonld:"partOf"`
	TotalItems *int          `jsonld:"totalItems,omitempty"`
	Next       string        `jsonld:"next,omitempty"`
	Prev       string        `jsonld:"prev,omitempty"`
	Items      array[string] `jsonld:"items"`
}

// pageDoc is page n of a collection of total items, listing items.
func pageDoc(collection string, n, total int, items []string) repliesPageDoc {
	p := repliesPageDoc{ID: RepliesPage(collection, n), Type: TypeCollectionPage, PartOf: collection,
		Items: array[string](items)}
	if p.Items == nil {
		p.Items = array[string]{}
	}
	if n*RepliesPageSize < total {
		p.Next = RepliesPage(collection, n+1)
	}
	if n > 1 {
		p.Prev = RepliesPage(collection, n-1)
	}
	return p
}

func repliesDocFrom(r OutReplies) *repliesDoc {
	first := r.First[:min(len(r.First), RepliesPageSize)]
	return &repliesDoc{ID: r.ID, Type: TypeCollection, TotalItems: r.Total, First: pageDoc(r.ID, 1, r.Total, first)}
}

// MarshalReplies writes a replies collection with its first page embedded.
func MarshalReplies(r OutReplies) ([]byte, error) {
	return marshalWithContext(repliesDocFrom(r))
}

// MarshalRepliesPage writes page n (from 1) of a replies collection of
// total replies; items are the IRIs on that page.
func MarshalRepliesPage(collection string, n, total int, items []string) ([]byte, error) {
	p := pageDoc(collection, n, total, items)
	p.TotalItems = &total
	return marshalWithContext(p)
}

// MaxRepliesPage is the last page number a replies collection answers
// for; the rooms list at most this many pages of replies.
const MaxRepliesPage = 50

// RepliesPageParam reads the page query parameter of a replies collection
// request: 0 (the collection itself) when empty; ok is false for anything
// but a page number from 1 to MaxRepliesPage.
func RepliesPageParam(s string) (n int, ok bool) {
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= MaxRepliesPage
}

// RepliesDocument is what a replies collection's address serves: the
// collection with its first page for page 0, else that page, out of all
// the reply IRIs.
func RepliesDocument(collection string, page int, all []string) ([]byte, error) {
	if page == 0 {
		return MarshalReplies(OutReplies{ID: collection, Total: len(all), First: all})
	}
	from := min((page-1)*RepliesPageSize, len(all))
	return MarshalRepliesPage(collection, page, len(all), all[from:min(from+RepliesPageSize, len(all))])
}
