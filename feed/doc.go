// Package feed is roost's microfeed: the owner's short notes with their
// media, hashtags, mentions, content warnings and visibility; the public
// note pages, the tag pages and the owner's front page; the syndication
// feeds for notes and the combined site feed; and the ActivityStreams Note
// documents that peers fetch. Creating, editing and deleting a note hands a
// Create, Update or Delete activity to the publisher that cmd/roost plugs in.
//
// The package imports no other room. What it needs from them (the owner's
// profile, the latest blog articles, saving an uploaded image, resolving a
// typed @handle) arrives as functions and small interfaces in Config.
package feed
