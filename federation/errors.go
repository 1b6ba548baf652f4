package federation

import "errors"

// ErrNotFound is returned by stores when a row does not exist.
var ErrNotFound = errors.New("not found")

// ErrGone marks an object that existed and was deleted (HTTP 410).
var ErrGone = errors.New("gone")
