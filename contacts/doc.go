// Package contacts is the owner's book of people: the accounts the owner
// follows, the accounts that follow the owner, follow requests waiting for
// approval, blocks of accounts and whole domains, and a private note about
// each contact.
//
// It keeps a snapshot of every remote actor it has met so that pages render
// without a network round trip, answers the federation room's questions
// (who receives the owner's posts, is this sender blocked) and records the
// follow-related activities that arrive in the inbox. Plain RSS/Atom sites
// will become contacts of kind "feed" in the same table.
package contacts
