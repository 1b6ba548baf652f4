// Package blog is the WordPress-like half of roost: long-form articles and
// static pages written in Markdown by the owner, published on the site, in
// Atom, RSS and JSON Feed, and to the fediverse as ActivityStreams Articles.
// Replies from the fediverse come back as comments under the article, and
// likes and boosts as counters.
//
// The room owns its tables (see Migrations), its public pages under /blog/,
// and the owner's editor. It talks to the rest of roost only through the
// values in Config: a page frame, an image saver and a publisher.
package blog
