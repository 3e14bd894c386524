package generate

import (
	"strconv"
	"strings"
)

// Categories of mention, the generator's ground truth (see Label).
const (
	catComplaint uint8 = iota
	catQuestion
	catPraise
	catNeutral
	catCrisis
	catNews
	catResponse
	nCat
)

// Category names reported in Label.Category.
const (
	CategoryComplaint = "complaint"
	CategoryQuestion  = "question"
	CategoryPraise    = "praise"
	CategoryNeutral   = "neutral"
	CategoryCrisis    = "crisis"
	CategoryNews      = "news"
	CategoryResponse  = "response"
)

var catNames = [nCat]string{
	CategoryComplaint, CategoryQuestion, CategoryPraise, CategoryNeutral,
	CategoryCrisis, CategoryNews, CategoryResponse,
}

var catSentiment = [nCat]string{"negative", "neutral", "positive", "neutral", "negative", "neutral", "neutral"}

// topic is one inbound subject with its phrasing.
type topic struct {
	name   string // label topic, named after the analysis intents where one fits
	cat    uint8
	weight int
	stars  [2]int8 // review rating range
	social []string
	review []string
}

// mctx is what one mention's text is about; thread members share it so a
// conversation stays on one site, doctor and plan.
type mctx struct {
	plat    uint8
	site    uint8
	doctor  uint8
	product uint8
	nurse   uint8
	stars   int8
	dm      bool // a private message: no @-mentions or hashtags
	author  *authorRec
}

// fill appends template t to buf with its {slots} filled.
func (g *Generator) fill(buf []byte, t string, c *mctx) []byte {
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			return append(buf, t...)
		}
		buf = append(buf, t[:i]...)
		t = t[i+1:]
		j := strings.IndexByte(t, '}')
		buf = g.slot(buf, t[:j], c)
		t = t[j+1:]
	}
}

// slotNames lists every slot fill understands; tests check the tables
// against it.
var slotNames = []string{
	"org", "site", "city", "dept", "doctor", "specialty", "product", "hold", "days",
	"wait", "amount", "drug", "weekday", "month", "clock", "nurse", "nurse2", "service",
	"mid", "phone", "dob", "claimno", "fullname", "first", "agent", "emo_neg",
	"emo_pos", "stars",
}

func (g *Generator) slot(buf []byte, name string, c *mctx) []byte {
	r := &g.rng
	switch name {
	case "org":
		if c.plat == pX && !c.dm {
			return append(buf, pick(r, orgX)...)
		}
		return append(buf, pick(r, orgOther)...)
	case "site":
		if r.chance(0.15) {
			return append(buf, sites[c.site].name...)
		}
		return append(buf, pick(r, siteNicks[c.site])...)
	case "city":
		return append(buf, sites[c.site].city...)
	case "dept":
		return append(buf, pick(r, departments)...)
	case "doctor":
		return append(buf, doctors[c.doctor]...)
	case "specialty":
		return append(buf, pick(r, specialties)...)
	case "product":
		return append(buf, products[c.product]...)
	case "hold":
		return append(buf, pick(r, holdTimes)...)
	case "days":
		return append(buf, pick(r, dayCounts)...)
	case "wait":
		return append(buf, pick(r, erWaits)...)
	case "amount":
		return g.amount(buf)
	case "drug":
		return append(buf, pick(r, drugs)...)
	case "weekday":
		return append(buf, pick(r, weekdays)...)
	case "month":
		return append(buf, pick(r, months)...)
	case "clock":
		return append(buf, pick(r, clocks)...)
	case "nurse":
		return append(buf, nurses[c.nurse]...)
	case "nurse2":
		return append(buf, nurses[(int(c.nurse)+1+r.intn(4))%len(nurses)]...)
	case "service":
		return append(buf, pick(r, services)...)
	case "mid":
		return append(buf, c.author.memberID...)
	case "phone":
		return append(buf, c.author.phone...)
	case "dob":
		return append(buf, c.author.dob...)
	case "claimno":
		buf = append(buf, "26"...)
		return appendPadded(buf, uint64(r.intn(1_000_000_000)), 9)
	case "fullname":
		return append(buf, c.author.a.Name...)
	case "first":
		return append(buf, c.author.first...)
	case "agent":
		return append(buf, pick(r, agentSigs)...)
	case "emo_neg":
		return append(buf, pick(r, emojiNeg)...)
	case "emo_pos":
		return append(buf, pick(r, emojiPos)...)
	case "stars":
		return strconv.AppendInt(buf, int64(c.stars), 10)
	}
	panic("generate: unknown slot {" + name + "}")
}

// amount appends a heavy-tailed dollar amount such as $86.50 or $1,240.
func (g *Generator) amount(buf []byte) []byte {
	r := &g.rng
	d := int(20 * (1 + r.exp()*r.exp()*8))
	if d > 48000 {
		d = 48000
	}
	buf = append(buf, '$')
	if d >= 1000 {
		buf = strconv.AppendInt(buf, int64(d/1000), 10)
		buf = append(buf, ',')
		buf = appendPadded(buf, uint64(d%1000), 3)
	} else {
		buf = strconv.AppendInt(buf, int64(d), 10)
	}
	if r.chance(0.3) {
		buf = append(buf, '.')
		buf = appendPadded(buf, uint64(r.intn(100)), 2)
	}
	return buf
}

// appendPadded appends v in decimal, zero-padded to width digits.
func appendPadded(buf []byte, v uint64, width int) []byte {
	var tmp [20]byte
	i := len(tmp)
	for v > 0 || i > len(tmp)-width {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	return append(buf, tmp[i:]...)
}

// tail appends a few emoji or hashtags to an inbound social post.
func (g *Generator) tail(buf []byte, cat, plat uint8) []byte {
	r := &g.rng
	emo, tags := emojiNeg, tagsNeg
	switch cat {
	case catPraise:
		emo, tags = emojiPos, tagsPos
	case catQuestion, catNeutral:
		if !r.chance(0.3) {
			return buf
		}
		emo, tags = emojiPos, tagsPos
	case catCrisis:
		return buf
	}
	if r.chance(0.35) {
		buf = append(buf, ' ')
		e := pick(r, emo)
		buf = append(buf, e...)
		if r.chance(0.3) {
			buf = append(buf, e...)
		}
	}
	if (plat == pX || plat == pInstagram) && r.chance(0.3) {
		n, first := 1+r.intn(3), r.intn(len(tags))
		for i := range n {
			buf = append(buf, ' ')
			buf = append(buf, tags[(first+i)%len(tags)]...)
		}
	}
	return buf
}

// typo roughens text from start on: lower case, a swapped, dropped or
// doubled letter, or missing apostrophes. It touches lower-case ASCII
// letters only, so member IDs and numbers survive.
func (g *Generator) typo(buf []byte, start int) []byte {
	r := &g.rng
	s := buf[start:]
	if len(s) < 8 {
		return buf
	}
	switch r.intn(5) {
	case 0:
		// Lower-case the first letter and a lone "I".
		if s[0] >= 'A' && s[0] <= 'Z' && len(s) > 1 && !(s[1] >= 'A' && s[1] <= 'Z') {
			s[0] += 'a' - 'A'
		}
		for i := 1; i+1 < len(s); i++ {
			if s[i] == 'I' && s[i-1] == ' ' && (s[i+1] == ' ' || s[i+1] == '\'') {
				s[i] = 'i'
			}
		}
	case 1:
		if i := g.letterAt(s); i >= 0 && isLower(s[i+1]) {
			s[i], s[i+1] = s[i+1], s[i]
		}
	case 2:
		if i := g.letterAt(s); i >= 0 {
			buf = append(buf[:start+i], buf[start+i+1:]...)
		}
	case 3:
		out := start
		for i := start; i < len(buf); i++ {
			if buf[i] != '\'' {
				buf[out] = buf[i]
				out++
			}
		}
		buf = buf[:out]
	case 4:
		if i := g.letterAt(s); i >= 0 {
			buf = append(buf[:start+i+1], buf[start+i:]...)
		}
	}
	return buf
}

// letterAt finds a lower-case letter followed by another byte, starting
// from a random place; -1 if there is none.
func (g *Generator) letterAt(s []byte) int {
	n := len(s) - 1
	off := g.rng.intn(n)
	for k := 0; k < n; k++ {
		i := (off + k) % n
		if isLower(s[i]) && isLower(s[i+1]) {
			return i
		}
	}
	return -1
}

func isLower(b byte) bool { return b >= 'a' && b <= 'z' }
