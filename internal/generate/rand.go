package generate

import "math"

// rng is a splitmix64 generator. It is written out here, rather than taken
// from math/rand, so that a seed gives the same stream on every Go release.
type rng struct{ s uint64 }

// mix is the splitmix64 finaliser: a bijection on uint64 that scatters
// nearby inputs. Being a bijection, distinct seeds give distinct tags.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix(r.s)
}

// intn returns a value in [0, n); n must be positive and below 2^32.
func (r *rng) intn(n int) int {
	return int((r.next() >> 32) * uint64(n) >> 32)
}

// between returns a value in [lo, hi].
func (r *rng) between(lo, hi int) int {
	return lo + r.intn(hi-lo+1)
}

// float returns a value in [0, 1).
func (r *rng) float() float64 {
	return float64(r.next()>>11) / (1 << 53)
}

// chance reports true with probability p.
func (r *rng) chance(p float64) bool {
	return r.float() < p
}

// exp returns an exponentially distributed value with mean 1.
func (r *rng) exp() float64 {
	return -math.Log(1 - r.float())
}

// norm returns a standard normal value (Box-Muller).
func (r *rng) norm() float64 {
	u := 1 - r.float()
	v := r.float()
	return math.Sqrt(-2*math.Log(u)) * math.Cos(2*math.Pi*v)
}

// pick returns a random element of list.
func pick[T any](r *rng, list []T) T {
	return list[r.intn(len(list))]
}

// weighted picks an index by integer weights.
func (r *rng) weighted(w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := r.intn(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}
