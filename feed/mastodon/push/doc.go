// Package push sends Web Push notifications to the endpoints that Mastodon
// apps register with /api/v1/push/subscription: the phone's push service
// (or a UnifiedPush distributor) wakes the app with the notification even
// when it is not running.
//
// Messages are encrypted for the subscription's keys with aes128gcm
// (RFC 8291) and signed with the site's VAPID key (RFC 8292), both by
// github.com/SherClockHolmes/webpush-go. They go through a durable queue
// in the database, as federation deliveries do: a row per message,
// retried with exponential back-off, kept across restarts, given up after
// messageTTL. A push service that answers 404 or 410 has forgotten the
// subscription, so it is dropped.
//
// The tables are created by the Mastodon API's migration list
// (mastodon.Migrations); this package reads and writes no other table.
package push
