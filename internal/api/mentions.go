package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"

	"earshot/internal/ingest"
	"earshot/internal/jsonexact"
	"earshot/internal/model"
)

// itemPos says where a mention was in the request body, so that a
// client can match each result to what it sent: index is the 0-based
// position in an array (0 for a single object), line the 1-based line in
// JSON Lines (blank lines are skipped but counted).
type itemPos struct {
	Index *int `json:"index,omitempty"`
	Line  int  `json:"line,omitempty"`
}

// mentionStored is the result item of a mention that was stored, or was
// already: the contract's {"id","case_id","duplicate","analysis"}, and
// "updated": true for a duplicate that was an edit of the stored mention.
type mentionStored struct {
	itemPos
	ID        int64           `json:"id"`
	CaseID    int64           `json:"case_id"`
	Duplicate bool            `json:"duplicate"`
	Updated   bool            `json:"updated,omitempty"`
	Analysis  *model.Analysis `json:"analysis,omitempty"`
}

// mentionRefused is the result item of a mention that was refused: only
// where it was and why.
type mentionRefused struct {
	itemPos
	Error *apiError `json:"error"`
}

// postMentions takes one mention (possibly spread over lines), an array,
// or JSON Lines. One mention that is refused is a 400, and so is a body
// that is none of the three; in a batch each item answers for itself and
// the good ones are stored.
func (a *API) postMentions(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r, MaxBodyBytes)
	if !ok {
		return
	}
	items, single, err := splitItems(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_json", err.Error())
		return
	}
	if len(items) == 0 {
		writeError(w, http.StatusBadRequest, "empty", "no mentions in the request body")
		return
	}
	if len(items) > MaxBatch {
		writeError(w, http.StatusRequestEntityTooLarge, "batch_too_large", fmt.Sprintf("%d mentions in one request; the limit is %d", len(items), MaxBatch))
		return
	}
	results := make([]any, len(items))
	ms := make([]*model.Mention, 0, len(items))
	idx := make([]int, 0, len(items))
	for i, it := range items {
		m, err := a.cfg.Pipeline.Decode(it.data)
		if err != nil {
			results[i] = mentionRefused{it.pos, itemError(err)}
			continue
		}
		a.cfg.Pipeline.Analyze(&m)
		ms = append(ms, &m)
		idx = append(idx, i)
	}
	if rejected := len(items) - len(ms); rejected > 0 {
		a.cfg.Pipeline.Metrics().Rejected(rejected)
	}
	if single && len(ms) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]*apiError{"error": results[0].(mentionRefused).Error})
		return
	}
	stored, err := a.cfg.Pipeline.Store(r.Context(), ms)
	if err != nil {
		a.internal(w, r, err)
		return
	}
	for j, res := range stored {
		i := idx[j]
		results[i] = mentionStored{items[i].pos, res.ID, res.CaseID, res.Duplicate, res.Updated, res.Analysis}
	}
	status := http.StatusOK
	if single && !stored[0].Duplicate {
		status = http.StatusCreated
	}
	writeJSON(w, status, map[string]any{"results": results})
}

func itemError(err error) *apiError {
	var fe *ingest.FieldError
	if errors.As(err, &fe) {
		return &apiError{Code: "invalid_mention", Message: fe.Error(), Field: fe.Field}
	}
	return &apiError{Code: "invalid_mention", Message: err.Error()}
}

// bodyItem is one mention of a request body and where it was.
type bodyItem struct {
	data []byte
	pos  itemPos
}

// bodyForms names the forms a mentions body may take, for errors.
const bodyForms = "send one mention object, a JSON array of them, or JSON Lines (one object per line)"

// splitItems finds the mentions in a body: a JSON array, one JSON value
// (an object, possibly spread over lines), or JSON Lines. single reports
// the one-value form. A body that is none of these (one object with a
// syntax error, or not JSON at all) is an error naming the problem and
// where it is. A leading byte-order mark is skipped.
func splitItems(body []byte) (items []bodyItem, single bool, err error) {
	sent := body
	body = jsonexact.TrimBOM(body)
	start := len(body) - len(bytes.TrimLeft(body, " \t\r\n"))
	if start == len(body) {
		return nil, false, nil
	}
	// at describes an offset into body as a position in the body as sent.
	at := func(off int) string { return jsonexact.Position(sent, off+len(sent)-len(body)) }
	if body[start] == '[' {
		elems, err := jsonexact.SplitArray(body[start:])
		if err != nil {
			return nil, false, fmt.Errorf("the body starts like a JSON array but is not one: %s", syntaxAt(err, start, at))
		}
		items = make([]bodyItem, len(elems))
		for i, e := range elems {
			items[i] = bodyItem{data: e, pos: itemPos{Index: &i}}
		}
		return items, false, nil
	}
	end, err := jsonexact.ScanValue(body)
	if err == nil && len(bytes.TrimRight(body[end:], " \t\r\n")) == 0 {
		zero := 0
		return []bodyItem{{data: body[start:end], pos: itemPos{Index: &zero}}}, true, nil
	}
	// Not one value: JSON Lines, or a broken object or garbage.
	stop := end
	var se *jsonexact.SyntaxError
	if errors.As(err, &se) {
		stop = se.Offset
	}
	lines := jsonLines(body)
	if !isJSONLines(body[start:], lines, stop-start) {
		if err != nil {
			return nil, false, fmt.Errorf("%s; %s", syntaxAt(err, 0, at), bodyForms)
		}
		next := end + len(body[end:]) - len(bytes.TrimLeft(body[end:], " \t\r\n"))
		return nil, false, fmt.Errorf("unexpected data after the first JSON value at %s; %s", at(next), bodyForms)
	}
	return lines, false, nil
}

// syntaxAt describes a syntax error err of data read from offset base
// with at.
func syntaxAt(err error, base int, at func(int) string) string {
	var se *jsonexact.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at %s: %s", at(base+se.Offset), se.Msg)
	}
	return err.Error()
}

// jsonLines returns the non-blank lines of body, trimmed, with their
// 1-based line numbers.
func jsonLines(body []byte) []bodyItem {
	var items []bodyItem
	n := 0
	for line := range bytes.Lines(body) {
		n++
		if line = bytes.TrimSpace(line); len(line) > 0 {
			items = append(items, bodyItem{data: line, pos: itemPos{Line: n}})
		}
	}
	return items
}

// isJSONLines reports whether body (from its first non-blank byte on),
// which is not one JSON value, is JSON
// Lines with some bad lines, rather than one object with an error in it
// (which may be pretty-printed over many lines) or garbage. Reading the
// body as one value stopped at offset stop: where the error is, or where
// the first value ended. It is JSON Lines when it has at least two
// lines, one of them a whole JSON value, and reading stopped on the
// first line, or at the start of a later line that is a whole value of
// its own (the line before it was cut short).
func isJSONLines(body []byte, lines []bodyItem, stop int) bool {
	if len(lines) < 2 {
		return false
	}
	whole := func(b []byte) bool {
		end, err := jsonexact.ScanValue(b)
		return err == nil && end == len(b)
	}
	var anyWhole bool
	for _, l := range lines {
		if whole(l.data) {
			anyWhole = true
			break
		}
	}
	if !anyWhole {
		return false
	}
	firstEnd := bytes.IndexByte(body, '\n')
	if firstEnd < 0 || stop <= firstEnd {
		return true
	}
	// Stopped on a later line: at its first byte, and is it whole?
	lineStart := bytes.LastIndexByte(body[:stop], '\n') + 1
	if len(bytes.TrimLeft(body[lineStart:stop], " \t\r")) != 0 {
		return false
	}
	lineEnd := bytes.IndexByte(body[stop:], '\n')
	if lineEnd < 0 {
		lineEnd = len(body) - stop
	}
	return whole(bytes.TrimSpace(body[stop : stop+lineEnd]))
}
