// Package feed is roost's microfeed: the owner's short notes with their
// media, hashtags, mentions, content warnings and visibility; the public
// note pages, the tag pages and the owner's front page; the syndication
// feeds for notes and the combined site feed; and the ActivityStreams Note
// documents that peers fetch. Creating, editing and deleting a note hands a
// Create, Update or Delete activity to the publisher that cmd/roost plugs in.
//
// The feed also holds what arrives from the fediverse for the owner to
// read: posts by the people they follow and posts that mention or answer
// them (federation.PostHandler), likes, boosts and reports
// (federation.ReactionHandler), the items of followed web feeds
// (StoreFeedItem), the notifications these make, the home timeline with its
// like, boost and bookmark buttons and its offers to follow an author, the
// owner's private bookmarks, and threads, whose missing posts it fetches.
//
// The package imports no other room. What it needs from them (the owner's
// profile, the latest blog articles, saving an uploaded image, resolving a
// typed @handle, whom the owner follows) arrives as functions and small
// interfaces in Config.
package feed
