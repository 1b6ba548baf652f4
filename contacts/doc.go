// Package contacts is the owner's book of people: the accounts the owner
// follows, the accounts that follow the owner, follow requests waiting for
// approval, blocks of accounts and whole domains, mutes, groups (Mastodon's
// lists), and a private note about each contact.
//
// It keeps a snapshot of every remote actor it has met so that pages render
// without a network round trip, answers the federation room's questions
// (who receives the owner's posts, is this sender blocked) and records the
// follow-related activities that arrive in the inbox.
//
// Plain web sites are contacts too: a site with an RSS, Atom or JSON feed
// but no fediverse account becomes a contact of kind "feed", polled
// politely (conditional GETs, back-off, the site's own cache hints) and
// handed item by item to the home timeline.
//
// The book travels as vCard 4.0 and as Mastodon's CSV export files, both
// ways.
//
// Other servers' "follow" and "interact" dialogs send the owner to the
// room's remote-interaction page, which resolves the account or post named
// there as the follow box does and opens its page here or in the home
// timeline.
package contacts
