package model

// Sentiment labels.
const (
	SentimentNegative = "negative"
	SentimentNeutral  = "neutral"
	SentimentPositive = "positive"
)

// Urgency levels, from least to most pressing.
const (
	UrgencyLow      = "low"
	UrgencyNormal   = "normal"
	UrgencyHigh     = "high"
	UrgencyCritical = "critical"
)

// Analysis is what Earshot understood of a mention (the analysis contract).
type Analysis struct {
	Sentiment     Sentiment    `json:"sentiment"`
	Intents       []string     `json:"intents"`
	Urgency       Urgency      `json:"urgency"`
	PHI           []PHIFinding `json:"phi"`
	NeedsResponse bool         `json:"needs_response"`
	Language      string       `json:"language"`
}

// Sentiment is a label with a score in [-1, 1].
type Sentiment struct {
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

// Urgency is a level and the reasons for it.
type Urgency struct {
	Level   string   `json:"level"`
	Reasons []string `json:"reasons"`
}

// PHIFinding marks protected health information in a text by UTF-8 byte
// offsets [Start, End).
type PHIFinding struct {
	Type  string `json:"type"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}
