package model

import "time"

// Platforms a mention can live on.
const (
	PlatformX         = "x"
	PlatformFacebook  = "facebook"
	PlatformInstagram = "instagram"
	PlatformYelp      = "yelp"
	PlatformGoogle    = "google"
	PlatformRSS       = "rss"
	PlatformWeb       = "web"
	PlatformEmail     = "email"
	PlatformSMS       = "sms"
)

// Platforms lists every platform name the mention contract accepts.
var Platforms = []string{
	PlatformX, PlatformFacebook, PlatformInstagram, PlatformYelp, PlatformGoogle,
	PlatformRSS, PlatformWeb, PlatformEmail, PlatformSMS,
}

// Kinds of mention.
const (
	KindPost          = "post"
	KindComment       = "comment"
	KindReview        = "review"
	KindDirectMessage = "direct_message"
)

// Directions of a mention.
const (
	DirectionInbound  = "inbound"
	DirectionOutbound = "outbound"
)

// Author is the person behind a mention on one platform.
type Author struct {
	ID        string `json:"id"`
	Handle    string `json:"handle"`
	Name      string `json:"name"`
	Followers int64  `json:"followers"`
	Following int64  `json:"following"`
	Posts     int64  `json:"posts"`
	Verified  bool   `json:"verified"`
	Location  string `json:"location"`
}

// Key returns the author's identity on its platform: the platform id when
// known, otherwise the handle prefixed with "@".
func (a Author) Key() string {
	if a.ID != "" {
		return a.ID
	}
	return "@" + a.Handle
}

// Mention is one inbound or outbound post, comment, review or direct
// message, unique by (Platform, ExternalID). Its JSON form is the mention
// contract in DESIGN.md; ID, CaseID and Analysis are filled in by Earshot.
type Mention struct {
	ID         int64     `json:"id,omitempty"`
	CaseID     int64     `json:"case_id,omitempty"`
	Platform   string    `json:"platform"`
	Channel    string    `json:"channel"`
	ExternalID string    `json:"external_id"`
	Kind       string    `json:"kind"`
	Direction  string    `json:"direction"`
	Text       string    `json:"text"`
	URL        string    `json:"url"`
	CreatedAt  time.Time `json:"created_at"`
	InReplyTo  string    `json:"in_reply_to"`
	ThreadID   string    `json:"thread_id"`
	Rating     *int      `json:"rating"`
	Author     Author    `json:"author"`
	Place      string    `json:"place"`
	Analysis   *Analysis `json:"analysis,omitempty"`
	ReceivedAt time.Time `json:"received_at,omitzero"`
	// AnalysisJSON is Analysis encoded for the store. Ingest encodes it
	// where it analyses, beside the other cores' work, so that the one
	// store writer need not; nil means it is encoded when stored.
	AnalysisJSON []byte `json:"-"`
}
