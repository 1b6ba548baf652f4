package vocab

import (
	"slices"
	"testing"
)

func TestQuestionRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		anyOf    bool
		property string
	}{
		{"single choice", false, "oneOf"},
		{"multiple choice", true, "anyOf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ownerQuestion()
			in.AnyOf = tt.anyOf
			b, err := MarshalObject(in)
			if err != nil {
				t.Fatal(err)
			}
			m := ObjectMap(in)
			if _, ok := m[tt.property].([]any); !ok {
				t.Errorf("%s = %#v, want an array", tt.property, m[tt.property])
			}
			o, err := ParseObject(b)
			if err != nil {
				t.Fatal(err)
			}
			if o.Type != TypeQuestion || !slices.Equal(o.Options, in.Options) {
				t.Errorf("options = %q %+v, want %+v", o.Type, o.Options, in.Options)
			}
			if o.MultipleChoice != tt.anyOf || !o.EndTime.Equal(in.EndTime) || o.VotersCount != in.VotersCount {
				t.Errorf("multiple %v, end %v, voters %d", o.MultipleChoice, o.EndTime, o.VotersCount)
			}
		})
	}
}

func TestNoteHasNoPollProperties(t *testing.T) {
	m := ObjectMap(ownerNote())
	for _, k := range []string{"oneOf", "anyOf", "endTime", "votersCount"} {
		if _, ok := m[k]; ok {
			t.Errorf("a note carries %q", k)
		}
	}
}

// An ended poll says so in closed, which Mastodon reads to stop taking
// votes; an open one has no closed at all.
func TestClosedQuestionRoundTrip(t *testing.T) {
	open := ObjectMap(ownerQuestion())
	if _, ok := open["closed"]; ok {
		t.Errorf("an open poll carries closed = %v", open["closed"])
	}
	in := ownerQuestion()
	in.Closed = in.EndTime
	m := ObjectMap(in)
	if m["closed"] != in.EndTime.Format("2006-01-02T15:04:05Z") {
		t.Errorf("closed = %v, want %v", m["closed"], in.EndTime)
	}
	b, err := MarshalObject(in)
	if err != nil {
		t.Fatal(err)
	}
	o, err := ParseObject(b)
	if err != nil {
		t.Fatal(err)
	}
	if !o.Closed.Equal(in.Closed) {
		t.Errorf("parsed closed = %v, want %v", o.Closed, in.Closed)
	}
}
