package analyze

import (
	"cmp"
	"slices"
	"strings"

	"earshot/internal/model"
)

// PHI finding types.
const (
	PHIName        = "name"
	PHIMemberID    = "member_id"
	PHIGroupNumber = "group_number"
	PHIClaimNumber = "claim_number"
	PHIMRN         = "medical_record_number"
	PHISSN         = "ssn"
	PHIDate        = "date"
	PHIPhone       = "phone"
	PHIEmail       = "email"
	PHIAddress     = "address"
	PHICardNumber  = "card_number"
	PHICondition   = "condition"
	PHIMedication  = "medication"
	PHIProcedure   = "procedure"
)

// PHITypes lists every PHI finding type.
var PHITypes = []string{PHIName, PHIMemberID, PHIGroupNumber, PHIClaimNumber, PHIMRN, PHISSN, PHIDate,
	PHIPhone, PHIEmail, PHIAddress, PHICardNumber, PHICondition, PHIMedication, PHIProcedure}

// FindPHI returns the PHI findings in text (bounded to MaxTextBytes).
func (a *Analyzer) FindPHI(text string) []model.PHIFinding {
	sc := a.pool.Get().(*scratch)
	defer a.pool.Put(sc)
	text = boundText(text)
	tokenize(sc, text)
	return a.findPHI(sc, text)
}

// findPHI runs every detector over the tokenised text and returns
// non-overlapping findings sorted by start.
//
// When the text holds look-alike characters ("512–555–0199", see
// fold.go), the detectors run on the folded text, which is tokenised
// again into sc, and the findings are mapped back to offsets into text:
// sc.toks no longer describe text afterwards.
func (a *Analyzer) findPHI(sc *scratch, text string) []model.PHIFinding {
	if !sc.lookalike || !foldLookalikes(sc, text) {
		return a.detectPHI(sc, text)
	}
	// The folded text is copied to a string only for the rare post that
	// has look-alikes; sc.foldAt stays in the pooled scratch.
	folded := string(sc.fold)
	tokenize(sc, folded)
	out := a.detectPHI(sc, folded)
	for i := range out {
		out[i].Start = int(sc.foldAt[out[i].Start])
		out[i].End = int(sc.foldAt[out[i].End])
	}
	return out
}

// detectPHI runs every detector over the tokenised text and returns
// non-overlapping findings sorted by start. Earlier detectors in the list
// win overlaps with later ones only when longer or more specific.
func (a *Analyzer) detectPHI(sc *scratch, text string) []model.PHIFinding {
	out := make([]model.PHIFinding, 0, 2)
	if strings.IndexByte(text, '@') >= 0 {
		out = findEmails(text, out)
	}
	if hasDigitString(text) {
		out = findNumbers(sc, &a.lex.numbers, text, out)
	} else {
		out = findWordDates(sc, text, out)
	}
	out = a.findAddresses(sc, text, out)
	out = a.findStreetFirst(sc, text, out)
	out = a.findNames(sc, text, out)
	out = a.findHealthTerms(sc, out)
	if len(out) > 1 {
		out = resolveOverlaps(text, out)
	}
	return out
}

// hasDigitString reports whether s has an ASCII digit.
func hasDigitString(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}

// phiRank orders types when findings overlap: the more specific wins.
func phiRank(t string) int {
	switch t {
	case PHIEmail:
		return 9
	case PHISSN, PHICardNumber, PHIMemberID, PHIGroupNumber, PHIClaimNumber, PHIMRN:
		return 8
	case PHIPhone, PHIDate:
		return 7
	case PHIAddress:
		return 6
	case PHIMedication, PHICondition, PHIProcedure:
		return 5
	}
	return 4
}

// resolveOverlaps keeps, of overlapping findings, the higher ranked (then
// longer) one. It reuses fs for the findings kept.
func resolveOverlaps(text string, fs []model.PHIFinding) []model.PHIFinding {
	// slices.SortFunc runs the same pattern-defeating quicksort as
	// sort.Slice, comparison for comparison, without sort.Slice's
	// allocations, so findings that tie come out in the same order.
	slices.SortFunc(fs, func(a, b model.PHIFinding) int {
		ra, rb := phiRank(a.Type), phiRank(b.Type)
		if ra != rb {
			return cmp.Compare(rb, ra)
		}
		return cmp.Compare(b.End-b.Start, a.End-a.Start)
	})
	// kept grows behind the finding being read, so it can share fs.
	kept := fs[:0]
	for _, f := range fs {
		ok := true
		for _, k := range kept {
			if !(f.Start < k.End && k.Start < f.End) {
				continue
			}
			// Keep the part of a long finding before the stronger one
			// ("12 Main St, Springfield 555-0100" keeps the address).
			if f.Start < k.Start && f.Type == PHIAddress {
				f.End = trimSpan(text, f.Start, k.Start)
				ok = f.End > f.Start
				continue
			}
			ok = false
			break
		}
		if ok {
			kept = append(kept, f)
		}
	}
	slices.SortFunc(kept, func(a, b model.PHIFinding) int { return cmp.Compare(a.Start, b.Start) })
	return kept
}

func isAlnum(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// findEmails finds local@domain.tld.
func findEmails(text string, out []model.PHIFinding) []model.PHIFinding {
	for i := 0; i < len(text); i++ {
		at := strings.IndexByte(text[i:], '@')
		if at < 0 {
			break
		}
		i += at
		s := i
		for s > 0 && (isAlnum(text[s-1]) || text[s-1] == '.' || text[s-1] == '_' || text[s-1] == '%' || text[s-1] == '+' || text[s-1] == '-') {
			s--
		}
		if s == i || (s > 0 && text[s-1] >= 0x80) {
			continue
		}
		e, dots := i+1, 0
		for e < len(text) && (isAlnum(text[e]) || text[e] == '-' || text[e] == '.' && e+1 < len(text) && isAlnum(text[e+1])) {
			if text[e] == '.' {
				dots++
			}
			e++
		}
		if dots == 0 || e-i < 4 {
			continue
		}
		out = append(out, model.PHIFinding{Type: PHIEmail, Start: s, End: e})
		i = e
	}
	return out
}

// trimSpan returns end moved back over spaces and punctuation, not before
// start.
func trimSpan(text string, start, end int) int {
	for end > start {
		c := text[end-1]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ',' || c == '>' || c == '(' || c == '-' {
			end--
			continue
		}
		break
	}
	return end
}
