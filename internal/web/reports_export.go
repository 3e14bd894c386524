package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
)

// reportsExport serves one chart's numbers, or the headline figures, as
// CSV: the same rows as the page's table, raw values (ratios as
// fractions, durations in minutes, periods as RFC 3339 starts).
func (s *Server) reportsExport(w http.ResponseWriter, r *http.Request) {
	f, from, to, err := s.readReportsForm(r)
	if err != nil {
		http.Error(w, "Those report settings cannot be used: "+err.Error()+".", http.StatusBadRequest)
		return
	}
	id := r.URL.Query().Get("chart")
	rep, err := s.buildReport(r.Context(), f, from, to)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	var header []string
	var rows [][]string
	switch id {
	case "headline":
		if rep.summary == nil {
			http.Error(w, "This build cannot filter the headline figures yet.", http.StatusNotFound)
			return
		}
		header = []string{"figure", "value", "previous", "unit"}
		for _, fg := range rep.figures {
			rows = append(rows, []string{fg.ID, fg.Raw, fg.PrevRaw, fg.Unit})
		}
	case "groups":
		// Every figure per group, as GET /api/v1/reports/summary?format=csv
		// writes it.
		all := rep.summary.CSVRows()
		header, rows = all[0], all[1:]
	default:
		var p *panel
		for i := range rep.panels {
			if rep.panels[i].ID == id {
				p = &rep.panels[i]
			}
		}
		if p == nil {
			http.Error(w, "chart "+quoteForError(id)+" is not one of this report's charts.", http.StatusBadRequest)
			return
		}
		header = p.Columns
		for _, r := range p.Rows {
			row := make([]string, len(r))
			for i, c := range r {
				row[i] = c.Raw
				if row[i] == "" {
					row[i] = c.Text
				}
			}
			rows = append(rows, row)
		}
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(header)
	for _, row := range rows {
		for i, v := range row {
			row[i] = spreadsheetSafe(v)
		}
		cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.internal(w, r, err)
		return
	}
	name := "earshot-" + id + "-" + from.Format("2006-01-02") + "-" + to.AddDate(0, 0, -1).Format("2006-01-02") + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// spreadsheetSafe keeps outside text (a channel or topic name) from
// being read as a formula by a spreadsheet: a value that starts with =,
// +, - or @ and is not a number gets a leading apostrophe.
func spreadsheetSafe(v string) string {
	if v == "" || !strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return v
	}
	if v[0] == '-' && len(v) > 1 && (v[1] >= '0' && v[1] <= '9') && !strings.ContainsAny(v, "=+@") {
		return v
	}
	return "'" + v
}

// quoteForError quotes a value for a message, cut short.
func quoteForError(v string) string {
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return `"` + strings.ToValidUTF8(v, "?") + `"`
}
