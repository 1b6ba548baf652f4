// Package settings holds the owner's settings pages that belong to no room.
// The profile form edits what federation.Profiles keeps, but federation
// serves documents to other servers and renders no pages, so the form lives
// here, beside the binary that wires it, and federation stays free of
// templates.
package settings
