// Package templates holds roost's HTML: templ components that take typed view
// models and return templ.Components. It imports no room, so the rooms can
// share one look without knowing about each other.
package templates
