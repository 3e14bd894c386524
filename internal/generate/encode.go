package generate

import (
	"strconv"
	"time"
	"unicode/utf8"

	"earshot/internal/model"
)

// row is the mention being produced, kept in reusable buffers so that
// writing JSON Lines allocates nothing per mention.
type row struct {
	plat     uint8
	kind     uint8
	rootKind uint8
	site     uint8
	out      bool
	place    bool // set the site as place hint
	rating   int8 // 0: none
	seq      uint64
	reply    uint64 // seq replied to; 0: none
	root     uint64 // seq of the thread root; 0: this is a root
	at       int64  // Unix seconds
	author   *model.Author
	text     []byte
	url      []byte
	label    Label
}

// newRow resets g.row for a new mention with the next external id.
func (g *Generator) newRow(plat uint8, at int64, reply, root uint64) *row {
	g.seq++
	rw := &g.row
	*rw = row{plat: plat, at: at, seq: g.seq, reply: reply, root: root,
		text: rw.text[:0], url: rw.url[:0]}
	return rw
}

// createdAt is the row's time: Start plus whole seconds, in Start's
// location.
func (g *Generator) createdAt(at int64) time.Time {
	return g.start.Add(time.Duration(at-g.startUnix) * time.Second)
}

const base36 = "0123456789abcdefghijklmnopqrstuvwxyz"

// appendID appends the external id of mention seq on plat. Ids start with
// a fixed-width encoding of the seed, so they are unique across seeds.
func (g *Generator) appendID(b []byte, plat uint8, seq uint64) []byte {
	switch plat {
	case pGoogle:
		b = append(b, "ChZDSUhN"...)
		b = append(b, g.tag36[:]...)
		return appendBase36(b, seq, 9)
	case pYelp:
		b = append(b, g.tag36[:]...)
		return appendBase36(b, seq, 9)
	case pRSS, pWeb:
		b = append(b, g.tag36[:]...)
		b = append(b, '-')
		return strconv.AppendUint(b, seq, 10)
	}
	b = append(b, '1')
	b = append(b, g.tagDec[:]...)
	return appendPadded(b, seq, 8)
}

func appendBase36(b []byte, v uint64, width int) []byte {
	var tmp [16]byte
	i := len(tmp)
	for v > 0 || i > len(tmp)-width {
		i--
		tmp[i] = base36[v%36]
		v /= 36
	}
	return append(b, tmp[i:]...)
}

// shortcode is an Instagram-style media code for seq.
func (g *Generator) appendShortcode(b []byte, seq uint64) []byte {
	h := mix(g.tag ^ seq*0x9e3779b97f4a7c15)
	for range 11 {
		b = append(b, b64url[h&63])
		h >>= 6
	}
	return b
}

// brandPost is our own Instagram post that a top-level comment sits
// under; a few dozen consecutive conversations share one.
func (g *Generator) brandPost(seq uint64) uint64 {
	return seq>>6<<6 | 1<<62
}

// buildURL sets g.row.url in the shape of the row's platform.
func (g *Generator) buildURL() {
	rw := &g.row
	u := rw.url[:0]
	rootSeq, rootKind := rw.root, rw.rootKind
	if rootSeq == 0 {
		rootSeq, rootKind = rw.seq, rw.kind
	}
	switch rw.plat {
	case pX:
		if rw.kind != kDM {
			u = append(u, "https://x.com/"...)
			u = append(u, rw.author.Handle...)
			u = append(u, "/status/"...)
			u = g.appendID(u, pX, rw.seq)
		}
	case pFacebook:
		if rw.kind == kDM {
			break
		}
		u = append(u, "https://www.facebook.com/lonestarhealth/posts/"...)
		if rootKind == kPost {
			u = g.appendID(u, pFacebook, rootSeq)
			if rw.seq != rootSeq {
				u = append(u, "?comment_id="...)
				u = g.appendID(u, pFacebook, rw.seq)
			}
		} else {
			// Our own page post, in Facebook's newer pfbid form.
			u = append(u, "pfbid0"...)
			u = append(u, g.tag36[:]...)
			u = appendBase36(u, rootSeq>>6, 6)
			u = append(u, "?comment_id="...)
			u = g.appendID(u, pFacebook, rootSeq)
			if rw.seq != rootSeq {
				u = append(u, "&reply_comment_id="...)
				u = g.appendID(u, pFacebook, rw.seq)
			}
		}
	case pInstagram:
		if rw.kind == kDM {
			break
		}
		u = append(u, "https://www.instagram.com/p/"...)
		post := rootSeq
		if rootKind != kPost {
			post = g.brandPost(rootSeq)
		}
		u = append(g.appendShortcode(u, post), '/')
		if rw.seq != post {
			u = append(u, "c/"...)
			u = append(g.appendID(u, pInstagram, rw.seq), '/')
		}
	case pGoogle, pYelp:
		review := rw.seq
		if rw.out {
			review = rootSeq
		}
		if rw.plat == pGoogle {
			u = append(u, "https://maps.google.com/?cid="...)
			u = append(u, sites[rw.site].cid...)
			u = append(u, "&review="...)
		} else {
			u = append(u, "https://www.yelp.com/biz/"...)
			u = append(u, sites[rw.site].slug...)
			u = append(u, "?hrid="...)
		}
		u = g.appendID(u, rw.plat, review)
	}
	rw.url = u
}

// news writes a news article or blog post about the organisation.
func (g *Generator) news(c *mctx) {
	r := &g.rng
	rw := &g.row
	list := newsOutlets
	if rw.plat == pWeb {
		list = webSites
	}
	oi := int32(r.intn(len(list)))
	o := &list[oi]
	rw.author = &g.author(rw.plat, oi).a
	rw.kind, rw.rootKind = kPost, kPost
	n := &news[r.intn(len(news))]
	rw.label = Label{Category: CategoryNews, Topic: "news", Sentiment: n.tone}
	buf := g.fill(rw.text[:0], n.headline, c)
	slugEnd := len(buf)
	buf = append(buf, ". "...)
	buf = g.fill(buf, n.lede, c)
	rw.text = buf

	u := append(rw.url[:0], "https://"...)
	u = append(u, o.domain...)
	u = append(u, '/')
	u = append(u, o.section...)
	u = append(u, '/')
	if rw.plat == pRSS {
		y, m, d := g.createdAt(rw.at).Date()
		u = strconv.AppendInt(u, int64(y), 10)
		u = append(u, '/')
		u = appendPadded(u, uint64(m), 2)
		u = append(u, '/')
		u = appendPadded(u, uint64(d), 2)
		u = append(u, '/')
	}
	dash := false
	for _, b := range buf[:slugEnd] {
		switch {
		case b >= 'a' && b <= 'z' || b >= '0' && b <= '9':
			u = append(u, b)
			dash = false
		case b >= 'A' && b <= 'Z':
			u = append(u, b+'a'-'A')
			dash = false
		case !dash && b < utf8.RuneSelf:
			u = append(u, '-')
			dash = true
		}
	}
	u = append(u, '-')
	rw.url = g.appendID(u, rw.plat, rw.seq)
}

// channel is the configured account or feed the row arrived on.
func (rw *row) channel() string {
	switch rw.plat {
	case pGoogle, pYelp:
		return sites[rw.site].channel
	case pRSS:
		return "news-alerts"
	case pWeb:
		return "web-mentions"
	}
	return orgHandle
}

func (rw *row) direction() string {
	if rw.out {
		return model.DirectionOutbound
	}
	return model.DirectionInbound
}

// mention converts the row to a model.Mention.
func (rw *row) mention(g *Generator) model.Mention {
	m := model.Mention{
		Platform:   platNames[rw.plat],
		Channel:    rw.channel(),
		ExternalID: string(g.appendID(g.scratch[:0], rw.plat, rw.seq)),
		Kind:       kindNames[rw.kind],
		Direction:  rw.direction(),
		Text:       string(rw.text),
		URL:        string(rw.url),
		CreatedAt:  g.createdAt(rw.at),
		Author:     *rw.author,
	}
	if rw.reply != 0 {
		m.InReplyTo = string(g.appendID(g.scratch[:0], rw.plat, rw.reply))
	}
	if rw.root != 0 {
		m.ThreadID = string(g.appendID(g.scratch[:0], rw.plat, rw.root))
	}
	if rw.rating != 0 {
		v := int(rw.rating)
		m.Rating = &v
	}
	if rw.place {
		m.Place = sites[rw.site].name
	}
	return m
}

// appendJSON appends the row as one JSON line, byte for byte what
// encoding/json makes of the equivalent model.Mention.
func (rw *row) appendJSON(b []byte, g *Generator) []byte {
	b = append(b, `{"platform":"`...)
	b = append(b, platNames[rw.plat]...)
	b = append(b, `","channel":"`...)
	b = append(b, rw.channel()...)
	b = append(b, `","external_id":"`...)
	b = g.appendID(b, rw.plat, rw.seq)
	b = append(b, `","kind":"`...)
	b = append(b, kindNames[rw.kind]...)
	b = append(b, `","direction":"`...)
	b = append(b, rw.direction()...)
	b = append(b, `","text":`...)
	b = appendString(b, rw.text)
	b = append(b, `,"url":`...)
	b = appendString(b, rw.url)
	b = append(b, `,"created_at":"`...)
	b = g.createdAt(rw.at).AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","in_reply_to":"`...)
	if rw.reply != 0 {
		b = g.appendID(b, rw.plat, rw.reply)
	}
	b = append(b, `","thread_id":"`...)
	if rw.root != 0 {
		b = g.appendID(b, rw.plat, rw.root)
	}
	b = append(b, `","rating":`...)
	if rw.rating != 0 {
		b = strconv.AppendInt(b, int64(rw.rating), 10)
	} else {
		b = append(b, "null"...)
	}
	a := rw.author
	b = append(b, `,"author":{"id":`...)
	b = appendString(b, a.ID)
	b = append(b, `,"handle":`...)
	b = appendString(b, a.Handle)
	b = append(b, `,"name":`...)
	b = appendString(b, a.Name)
	b = append(b, `,"followers":`...)
	b = strconv.AppendInt(b, a.Followers, 10)
	b = append(b, `,"following":`...)
	b = strconv.AppendInt(b, a.Following, 10)
	b = append(b, `,"posts":`...)
	b = strconv.AppendInt(b, a.Posts, 10)
	b = append(b, `,"verified":`...)
	b = strconv.AppendBool(b, a.Verified)
	b = append(b, `,"location":`...)
	b = appendString(b, a.Location)
	b = append(b, `},"place":"`...)
	if rw.place {
		b = append(b, sites[rw.site].name...)
	}
	return append(b, "\"}\n"...)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string, escaping as encoding/json does
// (including <, > and &, and U+2028 and U+2029). s must be valid UTF-8.
func appendString[T string | []byte](b []byte, s T) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' &&
			!(c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2]&^1 == 0xa8) {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case 0xe2:
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[s[i+2]&0xf])
			i += 2
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
