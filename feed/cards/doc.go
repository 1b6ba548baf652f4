// Package cards builds link preview cards, as Mastodon shows them under a
// post: for the first link of a post that is not a mention, a hashtag or a
// media file, the linked page is fetched once, in the background, through
// the site's guarded client, and its OpenGraph and Twitter-card meta tags
// and oEmbed description become a card kept in the database by URL.
//
// Reading a timeline never fetches: it only looks cards up. A page that
// cannot be fetched or read is remembered as a failure for a while, so a
// slow or lying server is asked once, not once per post.
package cards
