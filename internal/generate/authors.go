package generate

import (
	"math"
	"strconv"

	"earshot/internal/model"
)

// authorRec is one generated author and the member details that author
// may leak into a post (all fake).
type authorRec struct {
	a        model.Author
	first    string
	memberID string // three letters and nine digits, e.g. XJH123456789
	phone    string // 555-01xx numbers are reserved for fiction
	dob      string
}

// pool is one platform's authors, built lazily: an author is made from
// (seed, platform, index) alone, so the order of use does not matter.
type pool struct {
	recs     []*authorRec
	regulars int // the first regulars authors post far more often
}

// poolSize is how many distinct authors a platform gets for an expected
// volume of mentions, bounded so memory stays flat for any count.
func poolSize(expected float64, share float64) int {
	n := int(expected * share / 5)
	return max(150, min(n, 20000))
}

// pickAuthor returns an author index on plat: about a third of posts come
// from a small set of regulars, so people post repeatedly.
func (g *Generator) pickAuthor(plat uint8) int32 {
	p := &g.pools[plat]
	if plat != pGoogle && plat != pYelp && g.rng.chance(0.3) {
		return int32(g.rng.intn(p.regulars))
	}
	return int32(g.rng.intn(len(p.recs)))
}

// otherAuthor picks an author on plat other than not.
func (g *Generator) otherAuthor(plat uint8, not int32) int32 {
	i := int32(g.rng.intn(len(g.pools[plat].recs)))
	if i == not {
		i = (i + 1) % int32(len(g.pools[plat].recs))
	}
	return i
}

// author returns the author at index i on plat, building it on first use.
func (g *Generator) author(plat uint8, i int32) *authorRec {
	p := &g.pools[plat]
	if a := p.recs[i]; a != nil {
		return a
	}
	a := g.buildAuthor(plat, i)
	p.recs[i] = a
	return a
}

func (g *Generator) buildAuthor(plat uint8, i int32) *authorRec {
	r := rng{s: mix(g.tag ^ uint64(plat)<<56 ^ uint64(i)*0x2545f4914f6cdd1d)}
	if plat == pRSS || plat == pWeb {
		list := newsOutlets
		if plat == pWeb {
			list = webSites
		}
		o := list[int(i)%len(list)]
		return &authorRec{a: model.Author{ID: o.id, Handle: o.handle, Name: o.name,
			Followers: o.followers, Following: 120 + int64(len(o.name))*7, Posts: 9000 + o.followers/7,
			Verified: o.followers > 50000, Location: "Texas"}}
	}
	first, last := pick(&r, firstNames), pick(&r, lastNames)
	rec := &authorRec{first: first}
	a := &rec.a
	a.Name = first + " " + last
	a.Location = pick(&r, locations)
	var buf []byte
	num := strconv.Itoa(r.between(1, 9999))
	lf, ll := lower(first), lower(last)
	switch plat {
	case pX:
		a.ID = strconv.FormatUint(r.next()>>5|1<<58, 10)
		switch r.intn(5) {
		case 0:
			buf = append(append(append(buf, lf...), '_'), ll...)
		case 1:
			buf = append(append(append(buf, lf...), ll[0]), pick(&r, handleWords)...)
		case 2:
			buf = append(append(append(buf, pick(&r, handleWords)...), '_'), lf...)
		case 3:
			buf = append(append(buf, lf...), num...)
		default:
			buf = append(append(append(append(buf, ll...), '_'), pick(&r, handleWords)...), num[:min(2, len(num))]...)
		}
		if r.chance(0.4) {
			a.Name = first + " " + last[:1] + "."
		}
	case pFacebook:
		a.ID = "1000" + strconv.FormatUint(r.next()%1e11+1e10, 10)
		buf = append(append(append(append(buf, lf...), '.'), ll...), '.')
		buf = append(buf, num...)
	case pInstagram:
		a.ID = strconv.FormatUint(r.next()%9e10+1e9, 10)
		if r.chance(0.5) {
			buf = append(append(append(buf, lf...), '.'), pick(&r, handleWords)...)
		} else {
			buf = append(append(append(append(buf, pick(&r, handleWords)...), '.'), lf...), ll[0])
		}
	case pGoogle:
		a.ID = "1" + strconv.FormatUint(r.next()%1e19+1e19/2, 10)
		buf = append(append(append(buf, lf...), '.'), ll...)
		a.Location = ""
	case pYelp:
		var id [22]byte
		for k := range id {
			id[k] = b64url[r.intn(64)]
		}
		a.ID = string(id[:])
		buf = append(append(append(append(buf, lf...), '-'), ll[0]), '-')
		buf = append(buf, num...)
		a.Name = first + " " + last[:1] + "."
	}
	a.Handle = string(buf)

	// Heavy-tailed audiences: most people have a few dozen followers, a
	// few have tens of thousands.
	f := math.Exp(4.0 + 1.6*r.norm())
	if r.chance(0.015) {
		f = 10000 * math.Exp(r.float()*4)
		a.Verified = r.chance(0.5)
	}
	a.Followers = int64(f)
	a.Following = int64(math.Exp(5.3 + 0.9*r.norm()))
	a.Posts = int64(math.Exp(6.5 + 1.5*r.norm()))
	if plat == pGoogle || plat == pYelp {
		a.Followers = int64(math.Exp(1.5 + 1.2*r.norm()))
		a.Following = 0
		a.Posts = 1 + int64(math.Exp(1.8+1.3*r.norm()))
		a.Verified = false
	}

	// Fake member details, stable per author.
	var mid [12]byte
	for k := 0; k < 3; k++ {
		mid[k] = byte('A' + r.intn(26))
	}
	for k := 3; k < 12; k++ {
		mid[k] = byte('0' + r.intn(10))
	}
	rec.memberID = string(mid[:])
	area := pick(&r, []string{"512", "210", "737", "254", "830"})
	line := strconv.Itoa(100 + r.intn(100))[1:]
	if r.chance(0.5) {
		rec.phone = "(" + area + ") 555-01" + line
	} else {
		rec.phone = area + "-555-01" + line
	}
	rec.dob = strconv.Itoa(r.between(1, 12)) + "/" + strconv.Itoa(r.between(1, 28)) + "/" + strconv.Itoa(r.between(1941, 2006))
	return rec
}

// ourAuthor is the organisation's own account on plat.
func ourAuthor(plat uint8) model.Author {
	switch plat {
	case pX:
		return model.Author{ID: "1298876543210987776", Handle: orgHandle, Name: orgName,
			Followers: 48213, Following: 1204, Posts: 38411, Verified: true, Location: "Austin, TX"}
	case pFacebook:
		return model.Author{ID: "104728365519203", Handle: orgHandle, Name: orgName,
			Followers: 126400, Following: 310, Posts: 9120, Verified: true, Location: "Austin, TX"}
	case pInstagram:
		return model.Author{ID: "5839201746", Handle: orgHandle, Name: orgName,
			Followers: 30950, Following: 412, Posts: 2204, Verified: true, Location: "Austin, TX"}
	case pYelp:
		return model.Author{ID: "lsh-business-owner", Handle: orgHandle, Name: orgName + " (Business Owner)",
			Location: "Austin, TX"}
	default:
		return model.Author{ID: "lsh-owner", Handle: orgHandle, Name: orgName + " (Owner)",
			Location: "Austin, TX"}
	}
}

const b64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
