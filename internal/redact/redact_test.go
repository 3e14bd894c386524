package redact

import (
	"encoding/json"
	"strings"
	"testing"

	"earshot/internal/analyze"
	"earshot/internal/model"
)

func TestSplit(t *testing.T) {
	text := "my id is XJH123456789 ok"
	phi := []model.PHIFinding{{Type: "member_id", Start: 9, End: 21}}
	got := Split(text, phi, false)
	if len(got) != 3 || got[1].Text != "XJH123456789" || !got[1].PHI || got[1].Masked || got[0].Text != "my id is " || got[2].Text != " ok" {
		t.Fatalf("Split = %+v", got)
	}
	masked := Split(text, phi, true)
	if len(masked) != 3 || masked[1].Text != "[member id]" || !masked[1].Masked || masked[1].Type != "member_id" {
		t.Fatalf("masked = %+v", masked)
	}
	// Overlapping, unsorted and out-of-range findings; the earliest gives
	// the merged span its type.
	got = Split("abcdefghij", []model.PHIFinding{{Type: "date", Start: 6, End: 50}, {Type: "phone", Start: 2, End: 4}, {Start: 3, End: 7}, {Start: -5, End: -1}}, true)
	if len(got) != 2 || got[0].Text != "ab" || got[1].Text != "[phone]" {
		t.Fatalf("merged = %+v", got)
	}
	// A finding that cuts a character is widened to the whole character.
	if got := Split("né", []model.PHIFinding{{Type: "name", Start: 2, End: 3}}, true); len(got) != 2 || got[0].Text != "n" {
		t.Fatalf("mid-character = %+v", got)
	}
}

func TestJoinPlacesFindingsOnTheLabels(t *testing.T) {
	text := "born 04/12/1961, call 512-555-0199"
	phi := analyze.New().FindPHI(text)
	got, moved := Join(Split(text, phi, true))
	if got != "born [date], call [phone]" {
		t.Fatalf("masked text %q", got)
	}
	if len(moved) != 2 {
		t.Fatalf("findings %+v", moved)
	}
	for _, f := range moved {
		if got[f.Start:f.End] != Label(f.Type) {
			t.Errorf("finding %+v marks %q", f, got[f.Start:f.End])
		}
	}
	if plain, same := Join(Split(text, phi, false)); plain != text || len(same) != len(phi) || same[0] != phi[0] {
		t.Fatalf("unmasked join %q, %+v", plain, same)
	}
}

func TestLabel(t *testing.T) {
	for typ, want := range map[string]string{
		analyze.PHIDate: "[date]", analyze.PHIClaimNumber: "[claim number]", analyze.PHISSN: "[SSN]",
		analyze.PHIMRN: "[medical record number]", "": "[health information]", "<b>": "[health information]",
	} {
		if got := Label(typ); got != want {
			t.Errorf("Label(%q) = %q, want %q", typ, got, want)
		}
	}
}

func TestMaskMemberID(t *testing.T) {
	for id, want := range map[string]string{
		"XJH123456789": "••••6789", "LSH100200301": "••••0301", "AB12345": "••••", "": "••••", "ÅÄÖ12345é": "••••345é",
	} {
		if got := MaskMemberID(id); got != want {
			t.Errorf("MaskMemberID(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestReadersByRole(t *testing.T) {
	p := New(nil, nil)
	for role, full := range map[string]bool{
		model.RoleAdmin: true, model.RoleSupervisor: true, model.RoleAgent: true, model.RoleViewer: false, model.RoleIntegration: false, "": false,
	} {
		if got := p.For(role).Full(); got != full {
			t.Errorf("For(%q).Full() = %v, want %v", role, got, full)
		}
	}
}

func TestEventKeepsWhatIsNotText(t *testing.T) {
	rd := New(nil, nil).For(model.RoleViewer)
	e := model.Event{Data: json.RawMessage(`{"task_id":9007199254740993,"title":"call 512-555-0199","team":{"from":"a","to":"b"}}`)}
	rd.Event(&e)
	if want := `{"task_id":9007199254740993,"team":{"from":"a","to":"b"},"title":"call [phone]"}`; string(e.Data) != want {
		t.Fatalf("data %s, want %s", e.Data, want)
	}
	for _, data := range []string{`[1,2]`, `{"title":7}`, `{"note_id":1}`, `not json`} {
		e := model.Event{Data: json.RawMessage(data)}
		rd.Event(&e)
		if string(e.Data) != data {
			t.Errorf("data %s changed to %s", data, e.Data)
		}
	}
	full := New(nil, nil).For(model.RoleAgent)
	e = model.Event{Data: json.RawMessage(`{"member_id":"XJH123456789"}`)}
	full.Event(&e)
	rd.Event(&e)
	if string(e.Data) != `{"member_id":"••••6789"}` {
		t.Fatalf("member event %s", e.Data)
	}
}

func TestMentionMasksWhatTheAnalysisMissed(t *testing.T) {
	rd := New(nil, nil).For(model.RoleViewer)
	m := model.Mention{Text: "my claim CLM-88412207"}
	rd.Mention(&m)
	if m.Text != "my claim [claim number]" || m.Analysis != nil {
		t.Fatalf("mention %+v", m)
	}
	// What the stored analysis missed is masked all the same, and the
	// stored analysis is copied, not changed.
	stored := &model.Analysis{PHI: []model.PHIFinding{}}
	m = model.Mention{Text: "my claim CLM-88412207", Analysis: stored}
	rd.Mention(&m)
	if m.Text != "my claim [claim number]" || m.Analysis == stored || len(stored.PHI) != 0 {
		t.Fatalf("mention %+v", m)
	}
	if len(m.Analysis.PHI) != 1 || m.Text[m.Analysis.PHI[0].Start:m.Analysis.PHI[0].End] != "[claim number]" {
		t.Fatalf("findings %+v", m.Analysis.PHI)
	}
}

func FuzzSplit(f *testing.F) {
	f.Add("héllo wörld", 1, 4, 3, 9, true)
	f.Add("abc", -1, 100, 0, 0, false)
	f.Fuzz(func(t *testing.T, text string, a, b, c, d int, mask bool) {
		phi := []model.PHIFinding{{Type: "date", Start: a, End: b}, {Type: "phone", Start: c, End: d}}
		spans := Split(text, phi, mask)
		joined, moved := Join(spans)
		if !mask && joined != text {
			t.Fatalf("spans of %q join to %q", text, joined)
		}
		for _, s := range spans {
			if mask && s.PHI && s.Text != Label(s.Type) {
				t.Fatalf("masked span has text %q", s.Text)
			}
		}
		for _, f := range moved {
			if f.Start < 0 || f.End > len(joined) || f.Start > f.End {
				t.Fatalf("finding %+v outside %q", f, joined)
			}
		}
		if mask && strings.Count(joined, "[") < len(moved) {
			t.Fatalf("labels missing from %q", joined)
		}
	})
}

func TestSummaryCutInsideHealthInformation(t *testing.T) {
	p := New(nil, nil)
	cut := "Hi, please call me back about my member id XJH1234…"
	if got, _ := Join(p.For(model.RoleViewer).Summary(cut)); got != "Hi, please call me back about my member id …" {
		t.Errorf("masked summary %q", got)
	}
	if got, _ := Join(p.For(model.RoleAgent).Summary(cut)); got != cut {
		t.Errorf("full summary %q", got)
	}
	whole := "Born 04/12/1961 and still waiting"
	if got, _ := Join(p.For(model.RoleViewer).Summary(whole)); got != "Born [date] and still waiting" {
		t.Errorf("masked summary %q", got)
	}
}
