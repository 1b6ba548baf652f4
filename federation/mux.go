package federation

import "net/http"

// Mux is where Routes registers the room's handlers: an *http.ServeMux, or
// the table of a site whose routes a provider serves from one mux shared by
// every site it hosts.
type Mux interface {
	Handle(pattern string, handler http.Handler)
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}
