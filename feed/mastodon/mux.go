package mastodon

import "net/http"

// Mux is where Routes registers the API's handlers: an *http.ServeMux, or
// the table of a site whose routes a provider serves from one mux shared by
// every site it hosts. The API serves through it too, to try a path again
// without its trailing slash.
type Mux interface {
	http.Handler
	Handle(pattern string, handler http.Handler)
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}
