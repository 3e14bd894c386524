package analyze

import (
	"math"
	"strings"
	"sync"

	"earshot/internal/wordvec"
)

// nameSide is the direction in word-vector space (wordvec.Embedded) from
// things to people: the unit mean of the vectors of the given names of
// given_names.txt less the unit mean of the well-known things and places
// of name_context.txt ([not_person] and [place]). A capitalised word whose
// vector points against it ("Hercules", "Windsor", "Office") reads as a
// thing or a place more than as a person.
var nameSide = sync.OnceValue(func() []float32 {
	fsys := wordLists()
	given, err := readWords(fsys, "given_names.txt")
	if err != nil {
		panic("analyze: " + err.Error())
	}
	secs, err := readList(fsys, "name_context.txt")
	if err != nil {
		panic("analyze: " + err.Error())
	}
	var things []string
	for _, s := range secs {
		if s.name == "not_person" || s.name == "place" {
			things = append(things, s.items...)
		}
	}
	t := wordvec.Embedded()
	people, other := unitMean(t, given), unitMean(t, things)
	for k := range people {
		people[k] -= other[k]
	}
	return people
})

// unitMean returns the mean of the unit vectors of the words t knows,
// scaled to unit length.
func unitMean(t *wordvec.Table, words []string) []float32 {
	sum := make([]float32, t.Dim())
	v := make([]float32, t.Dim())
	for _, w := range words {
		i, ok := t.Index(w)
		if !ok {
			continue
		}
		t.Vector(i, v)
		n := float32(math.Sqrt(float64(dot(v, v))))
		for k := range sum {
			sum[k] += v[k] / n
		}
	}
	if n := float32(math.Sqrt(float64(dot(sum, sum)))); n > 0 {
		for k := range sum {
			sum[k] /= n
		}
	}
	return sum
}

func dot(a, b []float32) float32 {
	var s float32
	for k := range a {
		s += a[k] * b[k]
	}
	return s
}

// thingLike reports whether the word w (a possessive "'s" is dropped) has
// a word vector closer to well-known things and places than to given
// names. A word without a vector is not thing-like.
func thingLike(w string) bool {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	t := wordvec.Embedded()
	i, ok := t.Index(w)
	if !ok {
		return false
	}
	side := nameSide()
	var buf [128]float32
	v := buf[:]
	if t.Dim() > len(buf) {
		v = make([]float32, t.Dim())
	}
	v = v[:t.Dim()]
	t.Vector(i, v)
	return dot(v, side) < 0
}

// hasVector reports whether the word w (a possessive "'s" is dropped) has
// a word vector: whether it is among the 50,000 commonest words of the
// vectors' English text, as the names of people in the news are.
func hasVector(w string) bool {
	_, ok := wordvec.Embedded().Index(strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s"))
	return ok
}
