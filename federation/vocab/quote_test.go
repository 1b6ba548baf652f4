package vocab

import "testing"

// A quote post names the quoted post by URL; BookWyrm's Quotation carries
// the quoted passage of a book as text in "quote", which is no post.
func TestQuoteIsAPostURLNeverText(t *testing.T) {
	cases := map[string]string{
		`{"id":"https://a.example/n/1","type":"Note","quote":"https://b.example/n/2"}`:                    "https://b.example/n/2",
		`{"id":"https://a.example/n/1","type":"Note","quoteUrl":"https://b.example/n/3"}`:                 "https://b.example/n/3",
		`{"id":"https://a.example/n/1","type":"Note","_misskey_quote":"https://b.example/n/4"}`:           "https://b.example/n/4",
		`{"id":"https://bw.example/q/1","type":"Quotation","quote":"<p>It was a bright cold day</p>"}`:    "",
		`{"id":"https://bw.example/q/2","type":"Quotation","quote":"It was","quoteUri":"javascript:x()"}`: "",
	}
	for doc, want := range cases {
		o, err := ParseObject([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if o.QuoteOf != want {
			t.Errorf("%s: quote = %q, want %q", doc, o.QuoteOf, want)
		}
	}
}

// roost's quote post is read back, by roost and by servers that know only
// the older names, as quoting the same post.
func TestOutgoingQuoteRoundTrip(t *testing.T) {
	out := OutObject{ID: "https://alice.example/notes/9", AttributedTo: "https://alice.example/actor",
		ContentHTML: "<p>look</p>", QuoteOf: "https://bob.example/notes/1"}
	m := ObjectMap(out)
	for _, k := range []string{"quote", "quoteUri", "_misskey_quote"} {
		if m[k] != "https://bob.example/notes/1" {
			t.Errorf("%s = %v", k, m[k])
		}
	}
	b, err := MarshalObject(out)
	if err != nil {
		t.Fatal(err)
	}
	o, err := ParseObject(b)
	if err != nil {
		t.Fatal(err)
	}
	if o.QuoteOf != "https://bob.example/notes/1" {
		t.Errorf("read back quote = %q", o.QuoteOf)
	}
}
