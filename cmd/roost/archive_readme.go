package main

// exportReadme is the README.txt of every export; SITE is replaced by the
// site's address.
const exportReadme = `This is an export of the roost site SITE.

Everything in it is in an open format; no roost is needed to read it.

  actor.json          the owner's profile as ActivityStreams (as other servers see it)
  outbox.json         every note and published blog post, as ActivityStreams Create
                      activities, oldest first (the layout of a Mastodon archive)
  likes.json          what the owner liked (object ids)
  bookmarks.json      what the owner bookmarked (object ids); bookmarks.csv is the same
                      in Mastodon's CSV format
  posts/YYYY/MM/*.md  blog posts and pages: Markdown with YAML front matter (title, date,
                      tags, summary, draft, url), as Hugo, Jekyll, Eleventy and Obsidian read it
  notes/YYYY/MM/*.md  notes: their text with front matter (date, visibility, content
                      warning, reply-to, tags, media with alt text, url)
  media/              uploaded images, as uploaded (with resized previews)
  contacts.vcf        the contacts book as vCard 4.0
  following_accounts.csv, blocked_accounts.csv, muted_accounts.csv, blocked_domains.csv,
  lists.csv           Mastodon's import formats: any Mastodon server imports them
  followers.csv       who follows the owner (their address and actor id)
  subscriptions.opml  web feeds followed, for any feed reader

  roost/              what only roost needs to restore the site exactly: every table of
                      its database as JSON lines and a manifest.json.

  !! roost/ holds SECRETS: the site's private signing key, the owner's password hash,
  !! app tokens. Keep this file as safe as the server itself, and do not share it.

To restore the site, or move it to another provider at the same address:

  roost import --data NEW-FOLDER this-file.zip
  roost serve --data NEW-FOLDER --url SITE

Followers keep following: the same address and the same key sign what the site sends.
`
