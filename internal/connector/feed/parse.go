package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"golang.org/x/text/encoding/htmlindex"
)

// item is one entry of a feed, whatever its format, before it becomes a
// mention.
type item struct {
	ID     string
	Title  string // plain text
	Body   string // plain text of the description or content
	Link   string // absolute http(s) link, or ""
	Author string
	Date   time.Time // zero when the feed gives none that parses
}

// parsed is a feed's items and what it says of itself.
type parsed struct {
	Title  string
	Author string
	Link   string
	Items  []item
}

// Namespaces of the elements read beside RSS's own.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
)

// RSS 2.0 (https://www.rssboard.org/rss-specification) and RSS 1.0,
// whose items sit beside the channel rather than in it.
type rssDoc struct {
	Channel rssChannel `xml:"channel"`
	Items   []rssItem  `xml:"item"` // RSS 1.0
}

type rssChannel struct {
	Title          string     `xml:"title"`
	Links          []textLink `xml:"link"`
	ManagingEditor string     `xml:"managingEditor"`
	Creator        string     `xml:"http://purl.org/dc/elements/1.1/ creator"`
	Items          []rssItem  `xml:"item"`
}

type rssItem struct {
	Title       string     `xml:"title"`
	Links       []textLink `xml:"link"`
	Description string     `xml:"description"`
	Content     string     `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	PubDate     string     `xml:"pubDate"`
	DCDate      string     `xml:"http://purl.org/dc/elements/1.1/ date"`
	GUID        string     `xml:"guid"`
	Author      string     `xml:"author"`
	Creator     string     `xml:"http://purl.org/dc/elements/1.1/ creator"`
}

// textLink is a <link>: RSS's holds its address as text; an atom:link
// beside it (rel="self") holds it in href and is not the item's page.
type textLink struct {
	XMLName xml.Name
	Text    string `xml:",chardata"`
}

// Atom (RFC 4287).
type atomFeed struct {
	Title   atomText     `xml:"title"`
	Authors []atomPerson `xml:"author"`
	Links   []atomLink   `xml:"link"`
	Entries []atomEntry  `xml:"entry"`
}

type atomEntry struct {
	ID        string       `xml:"id"`
	Title     atomText     `xml:"title"`
	Links     []atomLink   `xml:"link"`
	Summary   atomText     `xml:"summary"`
	Content   atomText     `xml:"content"`
	Updated   string       `xml:"updated"`
	Published string       `xml:"published"`
	Authors   []atomPerson `xml:"author"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Text  string `xml:",chardata"`
	Inner string `xml:",innerxml"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

// plain returns the text of an Atom text construct (RFC 4287 §3.1):
// "text" as it is, "html" and "xhtml" without their markup.
func (t atomText) plain() string {
	switch strings.ToLower(t.Type) {
	case "html", "text/html":
		return plainText(t.Text)
	case "xhtml":
		return plainText(t.Inner)
	}
	return tidy(t.Text)
}

// parseFeed reads an RSS or Atom document. Links are resolved against
// base (the feed's address). encoding/xml reads no DTD, so a feed cannot
// pull in external entities; HTML's named entities (&nbsp;), common in
// feeds, are known.
func parseFeed(body []byte, base *url.URL) (parsed, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("unknown character set %q", label)
		}
		return enc.NewDecoder().Reader(r), nil
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return parsed{}, errors.New("the document is empty: no RSS or Atom feed")
		}
		if err != nil {
			return parsed{}, fmt.Errorf("not well-formed XML: %w", err)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case start.Name.Local == "rss" || start.Name.Local == "RDF":
			var doc rssDoc
			if err := dec.DecodeElement(&doc, &start); err != nil {
				return parsed{}, fmt.Errorf("not well-formed RSS: %w", err)
			}
			return doc.parsed(base), nil
		case start.Name.Local == "feed" && (start.Name.Space == nsAtom || start.Name.Space == ""):
			var doc atomFeed
			if err := dec.DecodeElement(&doc, &start); err != nil {
				return parsed{}, fmt.Errorf("not well-formed Atom: %w", err)
			}
			return doc.parsed(base), nil
		default:
			return parsed{}, fmt.Errorf("the document is <%s>, not an RSS or Atom feed", cut(start.Name.Local, 40))
		}
	}
}

func (d rssDoc) parsed(base *url.URL) parsed {
	ch := d.Channel
	p := parsed{
		Title:  tidy(plainText(ch.Title)),
		Author: firstOf(personName(ch.ManagingEditor), tidy(ch.Creator)),
		Link:   absolute(base, rssLink(ch.Links)),
	}
	// Relative item links are read against the site's address where the
	// channel gives one, else against the feed's.
	itemBase := base
	if u, err := url.Parse(p.Link); err == nil && p.Link != "" {
		itemBase = u
	}
	for _, it := range append(ch.Items, d.Items...) {
		link := absolute(itemBase, rssLink(it.Links))
		body := it.Description
		if strings.TrimSpace(body) == "" {
			body = it.Content
		}
		p.Items = append(p.Items, item{
			ID:     strings.TrimSpace(it.GUID),
			Title:  plainText(it.Title),
			Body:   plainText(body),
			Link:   link,
			Author: firstOf(tidy(it.Creator), personName(it.Author)),
			Date:   parseDate(firstOf(it.PubDate, it.DCDate)),
		})
	}
	return p
}

// rssLink is the first <link> that is RSS's own (no namespace, text).
func rssLink(links []textLink) string {
	for _, l := range links {
		if l.XMLName.Space != nsAtom && strings.TrimSpace(l.Text) != "" {
			return strings.TrimSpace(l.Text)
		}
	}
	return ""
}

// personName reads RSS's author, an email address with the name in
// brackets ("desk@example.org (News Desk)"), as the name.
func personName(s string) string {
	s = tidy(s)
	if open := strings.LastIndexByte(s, '('); open >= 0 && strings.HasSuffix(s, ")") {
		if name := strings.TrimSpace(s[open+1 : len(s)-1]); name != "" {
			return name
		}
	}
	return s
}

func (f atomFeed) parsed(base *url.URL) parsed {
	p := parsed{Title: f.Title.plain(), Author: atomAuthor(f.Authors), Link: absolute(base, atomAlternate(f.Links))}
	for _, e := range f.Entries {
		body := e.Summary.plain()
		if body == "" {
			body = e.Content.plain()
		}
		p.Items = append(p.Items, item{
			ID:     strings.TrimSpace(e.ID),
			Title:  e.Title.plain(),
			Body:   body,
			Link:   absolute(base, atomAlternate(e.Links)),
			Author: atomAuthor(e.Authors),
			Date:   parseDate(firstOf(e.Published, e.Updated)),
		})
	}
	return p
}

// atomAlternate is the href of the rel="alternate" link (a link with no
// rel is one, RFC 4287 §4.2.7.2).
func atomAlternate(links []atomLink) string {
	for _, l := range links {
		if rel := strings.TrimSpace(l.Rel); rel == "" || rel == "alternate" {
			return strings.TrimSpace(l.Href)
		}
	}
	return ""
}

func atomAuthor(ps []atomPerson) string {
	for _, p := range ps {
		if n := tidy(p.Name); n != "" {
			return n
		}
	}
	return ""
}

// absolute resolves ref against base and returns it if it is an http(s)
// link, else "". A Google Alerts link (https://www.google.com/url?...&url=X)
// is unwrapped to X, the article itself.
func absolute(base *url.URL, ref string) string {
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return ""
	}
	if (u.Host == "www.google.com" || u.Host == "google.com") && u.Path == "/url" {
		if inner := u.Query().Get("url"); inner != "" {
			if v, err := url.Parse(inner); err == nil && (v.Scheme == "http" || v.Scheme == "https") && v.Host != "" {
				return v.String()
			}
		}
	}
	return u.String()
}

// maxID is the longest id a mention may carry (ingest.MaxIDBytes).
const maxID = 256

// itemID is the item's stable id across feeds: its guid or Atom id when
// that is a URI (an address, a tag: or urn:, unique by its scheme's
// rules), else its link, else the feed's address with its guid, or with
// a digest of its title and date. An id too long for a mention is
// replaced by its digest.
func itemID(it item, feedURL string) string {
	id := it.ID
	switch {
	case isURI(id):
	case it.Link != "":
		id = it.Link
	case id != "":
		id = feedURL + "#" + id
	default:
		sum := sha256.Sum256([]byte(it.Title + "\x00" + it.Body + "\x00" + it.Date.String()))
		id = feedURL + "#" + hex.EncodeToString(sum[:8])
	}
	if len(id) > maxID {
		sum := sha256.Sum256([]byte(id))
		id = "sha256:" + hex.EncodeToString(sum[:])
	}
	return id
}

// isURI reports whether id names its scheme, as a global id does.
func isURI(id string) bool {
	for _, p := range []string{"http://", "https://", "tag:", "urn:"} {
		if len(id) > len(p) && strings.EqualFold(id[:len(p)], p) {
			return true
		}
	}
	return false
}

func firstOf(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// cut shortens s to at most n bytes, keeping whole runes.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
