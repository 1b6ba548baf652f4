// Package mastodon is roost's Mastodon client API: the OAuth 2 login that
// Mastodon apps perform, and the /api/v1 and /api/v2 endpoints they call to
// read the home timeline, post, reply, favourite, boost, follow, search and
// stream. It speaks for the site's one owner, so every token belongs to that
// owner and "the local user" in Mastodon's sense is always them.
//
// The package belongs to the feed room. It posts through the feed room (which
// federates exactly as the web composer does) and stores only what Mastodon
// apps need besides: registered apps, authorization codes, hashed tokens,
// markers, filters, bookmarks, pins, scheduled statuses, idempotency keys, the
// numeric ids it hands out for remote accounts, and Web Push subscriptions
// with their queue of messages (the push package). What it needs from the other
// rooms arrives through the small interfaces in Config.
package mastodon
