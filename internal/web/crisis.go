package web

import (
	"slices"
	"strings"

	"earshot/internal/analyze"
	"earshot/internal/model"
	"earshot/internal/org"
)

// crisisPanel is what the top of a critical case shows: why it is
// critical, in an agent's words, and the organisation's crisis protocol.
type crisisPanel struct {
	// Reasons are the labels (analyze.ReasonLabel) of the urgency
	// reasons of the case's critical posts, each once.
	Reasons []string
	// Protocol is the crisis protocol in force; nil when the
	// organisation file has none.
	Protocol *org.Crisis
	// Call are the protocol's people to reach, with their links.
	Call []crisisCall
}

// crisisCall is one person of the protocol to reach, with a tel: number
// of digits (and a leading +) for the link.
type crisisCall struct {
	Name, Phone, Tel, Email string
}

// newCrisisPanel returns the panel of case c, whose mentions still carry
// their analyses, under protocol p; nil when c is not critical.
func newCrisisPanel(c *model.Case, p *org.Crisis) *crisisPanel {
	if c.Urgency != model.UrgencyCritical {
		return nil
	}
	panel := &crisisPanel{Protocol: p}
	for _, m := range c.Mentions {
		a := m.Analysis
		if a == nil || m.Direction == model.DirectionOutbound || a.Urgency.Level != model.UrgencyCritical {
			continue
		}
		for _, r := range a.Urgency.Reasons {
			if l := analyze.ReasonLabel(r); !slices.Contains(panel.Reasons, l) {
				panel.Reasons = append(panel.Reasons, l)
			}
		}
	}
	if p != nil {
		for _, who := range p.Call {
			panel.Call = append(panel.Call, crisisCall{Name: who.Name, Phone: who.Phone, Tel: telNumber(who.Phone), Email: who.Email})
		}
	}
	return panel
}

// telNumber is a phone number as a tel: link wants it: its digits, and
// a leading + when written.
func telNumber(phone string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(phone) {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}
