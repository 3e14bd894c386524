package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"earshot/internal/model"
)

// This file reads the rows the report figures are made of (see
// internal/report): counts grouped in SQL for mentions, and the few
// facts per case (its mentions' times and kinds, our answers, its status
// changes) that the figures of cases are computed from. It decides
// nothing about what counts: report does.

// ReportScope is what report rows cover: a window, the filters that
// narrow it (an empty field does not narrow) and the dimension whose
// value each row is keyed by ("" for none; channel, platform, team,
// site, intent or agent).
type ReportScope struct {
	From, To                                     time.Time
	GroupBy                                      string
	Platform, Channel, Team, Site, Intent, Agent string
}

// reportGroupBys are the dimensions a scope may be keyed by.
var reportGroupBys = map[string]bool{"": true, "channel": true, "platform": true, "team": true, "site": true, "intent": true, "agent": true}

// MentionCount is the number of mentions of one key, platform,
// direction and sentiment.
type MentionCount struct {
	Key, Platform, Direction, Sentiment string
	N                                   int64
}

// KeyCount is the number of rows of one key and value.
type KeyCount struct {
	Key, Value string
	N          int64
}

// ReportCase is one case opened in a scope's window with what its
// figures are made of. Slices are in no particular order.
type ReportCase struct {
	ID int64
	// Keys are the values of the scope's dimension the case falls under:
	// one, or for intent each of its intents (none when it has none).
	Keys      []string
	Team      string
	Priority  string
	CreatedAt time.Time
	// SentimentFirst is the case's first sentiment as it was heard: that
	// of the mention that opened it, before any edit.
	SentimentFirst string
	Mentions       []ReportMention
	// Answers are our answers that went out: our own posts on the
	// platform in the case and replies sent (by the outbox or by hand).
	Answers  []ReportAnswer
	Statuses []StatusChange
}

// ReportMention is one mention of a case.
type ReportMention struct {
	At            time.Time
	Inbound       bool
	NeedsResponse bool
	Kind          string
	Platform      string
	Sentiment     string
}

// ReportAnswer is one answer of ours in a case.
type ReportAnswer struct {
	At time.Time
	// Private is a private reply, or our own direct message.
	Private bool
	// Reply tells a reply written in Earshot from our own post.
	Reply bool
	Kind  string
}

// StatusChange is one change of a case's status, by a person or by the
// member's answer reopening it.
type StatusChange struct {
	At       time.Time
	From, To string
}

// RatingEdit is one edit of a review's rating (a mention_edited event
// whose rating moved or was set).
type RatingEdit struct {
	MentionID, CaseID int64
	Keys              []string
	At                time.Time
	From, To          *int
}

// checkScope refuses a scope keyed by an unknown dimension.
func checkScope(sc ReportScope) error {
	if !reportGroupBys[sc.GroupBy] {
		return fmt.Errorf("report rows: group by %q: unknown dimension", sc.GroupBy)
	}
	return nil
}

// reportArgs collects a query's parameters and hands out their $N.
type reportArgs struct{ args []any }

func (a *reportArgs) add(v any) string {
	a.args = append(a.args, v)
	return "$" + strconv.Itoa(len(a.args))
}

// caseFilters are the conditions of sc's filters on the case c (its
// platform and channel too when caseOwn, else those are the mention m's).
func caseFilters(sc ReportScope, a *reportArgs, caseOwn bool) []string {
	var where []string
	own := "m"
	if caseOwn {
		own = "c"
	}
	if sc.Platform != "" {
		where = append(where, own+".platform = "+a.add(sc.Platform))
	}
	if sc.Channel != "" {
		where = append(where, own+".channel = "+a.add(sc.Channel))
	}
	if sc.Team != "" {
		where = append(where, "c.team = "+a.add(sc.Team))
	}
	if sc.Site != "" {
		where = append(where, "c.site = "+a.add(sc.Site))
	}
	if sc.Agent != "" {
		where = append(where, "c.assignee = "+a.add(sc.Agent))
	}
	if sc.Intent != "" {
		where = append(where, "EXISTS (SELECT 1 FROM case_intents fi WHERE fi.case_id = c.id AND fi.intent = "+a.add(sc.Intent)+")")
	}
	return where
}

// needsCase says whether mention rows of sc must join their case.
func needsCase(sc ReportScope) bool {
	switch sc.GroupBy {
	case "team", "site", "agent":
		return true
	}
	return sc.Team != "" || sc.Site != "" || sc.Agent != "" || sc.Intent != ""
}

// mentionKey is the SQL of a mention row's key under sc, with the joins
// it needs.
func mentionKey(sc ReportScope) (key, joins string) {
	joins = ""
	if needsCase(sc) {
		joins = " LEFT JOIN cases c ON c.id = m.case_id"
	}
	switch sc.GroupBy {
	case "channel":
		return "m.channel", joins
	case "platform":
		return "m.platform", joins
	case "team":
		return "COALESCE(c.team, '')", joins
	case "site":
		return "COALESCE(c.site, '')", joins
	case "agent":
		return "COALESCE(c.assignee, '')", joins
	case "intent":
		return "m.case_id", joins // see byCaseIntent
	}
	return "''", joins
}

// byCaseIntent is q, whose columns are k (under intent, the mention's
// case id), values v1..vN and a count n, keyed by each intent of that
// case when sc groups by intent: the mentions are counted per case
// first, so that each is read (and its analysis parsed) once, however
// many intents its case has. A mention with no case has no intent.
func byCaseIntent(sc ReportScope, q string, values int) string {
	if sc.GroupBy != "intent" {
		return q
	}
	cols, group := []string{"ci.intent"}, []string{"1"}
	for i := 1; i <= values; i++ {
		cols = append(cols, "x.v"+strconv.Itoa(i))
		group = append(group, strconv.Itoa(i+1))
	}
	return `SELECT ` + strings.Join(cols, ", ") + `, CAST(SUM(x.n) AS BIGINT) FROM (` + q + `) x
		JOIN case_intents ci ON ci.case_id = x.k GROUP BY ` + strings.Join(group, ", ")
}

// mentionScope is the FROM and WHERE of the mentions made in sc's window
// and filters, with the key expression.
func (s *Store) mentionScope(sc ReportScope, a *reportArgs, extra ...string) (key, from string) {
	key, joins := mentionKey(sc)
	where := append([]string{"m.created_at >= " + a.add(s.ts(sc.From)), "m.created_at < " + a.add(s.ts(sc.To))}, extra...)
	where = append(where, caseFilters(sc, a, false)...)
	return key, s.indexedBy("mentions", "m", "mentions_created") + joins + " WHERE " + strings.Join(where, " AND ")
}

// ReportMentionCounts counts the mentions made in sc's window by key,
// platform, direction and sentiment. Under intent, a mention counts once
// per intent of its case; a mention with no case has no intent.
func (s *Store) ReportMentionCounts(ctx context.Context, sc ReportScope) ([]MentionCount, error) {
	if err := checkScope(sc); err != nil {
		return nil, err
	}
	var a reportArgs
	key, from := s.mentionScope(sc, &a)
	rows, err := s.read.QueryContext(ctx, byCaseIntent(sc, `SELECT `+key+` AS k, m.platform AS v1, m.direction AS v2, m.sentiment AS v3,
		COUNT(*) AS n FROM `+from+` GROUP BY 1, 2, 3, 4`, 3), a.args...)
	if err != nil {
		return nil, fmt.Errorf("report mention counts: %w", err)
	}
	defer rows.Close()
	var out []MentionCount
	for rows.Next() {
		var mc MentionCount
		if err := rows.Scan(&mc.Key, &mc.Platform, &mc.Direction, &mc.Sentiment, &mc.N); err != nil {
			return nil, fmt.Errorf("report mention counts: %w", err)
		}
		out = append(out, mc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report mention counts: %w", err)
	}
	return out, nil
}

// ReportMentionIntents counts the inbound mentions of sc by key and each
// intent of the mention's own analysis.
func (s *Store) ReportMentionIntents(ctx context.Context, sc ReportScope) ([]KeyCount, error) {
	if err := checkScope(sc); err != nil {
		return nil, err
	}
	var a reportArgs
	key, from := s.mentionScope(sc, &a, "m.direction = 'inbound'")
	return s.keyCounts(ctx, "report mention intents", byCaseIntent(sc, `SELECT `+key+` AS k, i.value AS v1, COUNT(*) AS n FROM `+from+`
		GROUP BY 1, 2`, 1), s.jsonTextElements("m.analysis", "intents", "i"), a.args)
}

// ReportMentionTopics counts the inbound mentions of sc by key and the
// tags of their case, as stored (comma separated); mentions whose case
// has no tags are left out.
func (s *Store) ReportMentionTopics(ctx context.Context, sc ReportScope) ([]KeyCount, error) {
	if err := checkScope(sc); err != nil {
		return nil, err
	}
	var a reportArgs
	key, joins := mentionKey(sc)
	if !needsCase(sc) {
		joins = " LEFT JOIN cases c ON c.id = m.case_id"
	}
	where := append([]string{"m.created_at >= " + a.add(s.ts(sc.From)), "m.created_at < " + a.add(s.ts(sc.To)),
		"m.direction = 'inbound'", "c.tags <> ''"}, caseFilters(sc, &a, false)...)
	return s.keyCounts(ctx, "report mention topics", byCaseIntent(sc, `SELECT `+key+` AS k, c.tags AS v1, COUNT(*) AS n
		FROM `+s.indexedBy("mentions", "m", "mentions_created")+joins+`
		WHERE `+strings.Join(where, " AND ")+` GROUP BY 1, 2`, 1), "", a.args)
}

// keyCounts runs a query of (key, value, count) rows; join, if any, is
// put right after its mentions m.
func (s *Store) keyCounts(ctx context.Context, what, q, join string, args []any) ([]KeyCount, error) {
	if join != "" {
		m := s.indexedBy("mentions", "m", "mentions_created")
		q = strings.Replace(q, m, m+join, 1)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []KeyCount
	for rows.Next() {
		var kc KeyCount
		if err := rows.Scan(&kc.Key, &kc.Value, &kc.N); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, kc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

// caseScope is the WHERE of the cases opened in sc's window and filters.
func (s *Store) caseScope(sc ReportScope, a *reportArgs) string {
	where := append([]string{"c.created_at >= " + a.add(s.ts(sc.From)), "c.created_at < " + a.add(s.ts(sc.To))}, caseFilters(sc, a, true)...)
	return strings.Join(where, " AND ")
}

// caseKey is the SQL of a case's key under sc; intent keys come apart.
func caseKey(sc ReportScope) string {
	switch sc.GroupBy {
	case "channel":
		return "c.channel"
	case "platform":
		return "c.platform"
	case "team":
		return "c.team"
	case "site":
		return "c.site"
	case "agent":
		return "c.assignee"
	}
	return "''"
}

// ReportCases returns the cases opened in sc's window that its filters
// keep, each with its mentions, our answers that went out and its
// status changes.
func (s *Store) ReportCases(ctx context.Context, sc ReportScope) ([]ReportCase, error) {
	if err := checkScope(sc); err != nil {
		return nil, err
	}
	var out []ReportCase
	byID := map[int64]int{}
	var a reportArgs
	where := s.caseScope(sc, &a)
	// The window, not a filter, leads: SQLite without statistics may
	// otherwise walk every case of a platform or team.
	cases := s.indexedBy("cases", "c", "cases_created")
	err := s.eachRow(ctx, "report cases", `SELECT c.id, `+caseKey(sc)+`, c.team, c.priority, c.created_at, c.sentiment_first FROM `+cases+` WHERE `+where, a.args,
		func(rows *sql.Rows) error {
			var rc ReportCase
			var key string
			var at dbTime
			if err := rows.Scan(&rc.ID, &key, &rc.Team, &rc.Priority, &at, &rc.SentimentFirst); err != nil {
				return err
			}
			rc.CreatedAt = at.T
			if sc.GroupBy != "intent" {
				rc.Keys = []string{key}
			}
			byID[rc.ID] = len(out)
			out = append(out, rc)
			return nil
		})
	if err != nil || len(out) == 0 {
		return out, err
	}
	if sc.GroupBy == "intent" {
		err = s.eachRow(ctx, "report case intents", `SELECT ci.case_id, ci.intent FROM `+cases+` JOIN case_intents ci ON ci.case_id = c.id WHERE `+where, a.args,
			func(rows *sql.Rows) error {
				var id int64
				var intent string
				if err := rows.Scan(&id, &intent); err != nil {
					return err
				}
				if i, ok := byID[id]; ok {
					out[i].Keys = append(out[i].Keys, intent)
				}
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	err = s.eachRow(ctx, "report case mentions", `SELECT m.case_id, m.created_at, m.direction, m.needs_response, m.kind, m.platform, m.sentiment
		FROM `+cases+` JOIN mentions m ON m.case_id = c.id WHERE `+where, a.args,
		func(rows *sql.Rows) error {
			var id int64
			var at dbTime
			var dir string
			var m ReportMention
			if err := rows.Scan(&id, &at, &dir, &m.NeedsResponse, &m.Kind, &m.Platform, &m.Sentiment); err != nil {
				return err
			}
			i, ok := byID[id]
			if !ok {
				return nil
			}
			m.At, m.Inbound = at.T, dir != model.DirectionOutbound
			out[i].Mentions = append(out[i].Mentions, m)
			if !m.Inbound {
				out[i].Answers = append(out[i].Answers, ReportAnswer{At: at.T, Private: m.Kind == model.KindDirectMessage, Kind: m.Kind})
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = s.eachRow(ctx, "report case replies", `SELECT r.case_id, COALESCE(r.sent_at, r.created_at), r.visibility
		FROM `+cases+` JOIN replies r ON r.case_id = c.id WHERE r.state = 'sent' AND `+where, a.args,
		func(rows *sql.Rows) error {
			var id int64
			var at dbTime
			var vis string
			if err := rows.Scan(&id, &at, &vis); err != nil {
				return err
			}
			if i, ok := byID[id]; ok {
				out[i].Answers = append(out[i].Answers, ReportAnswer{At: at.T, Private: vis == string(model.VisibilityPrivate), Reply: true})
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = s.eachRow(ctx, "report case statuses", `SELECT e.case_id, e.created_at, e.data
		FROM `+cases+` JOIN events e ON e.case_id = c.id WHERE e.type IN ('status_changed', 'reopened') AND `+where, a.args,
		func(rows *sql.Rows) error {
			var id int64
			var at dbTime
			var data []byte
			if err := rows.Scan(&id, &at, &data); err != nil {
				return err
			}
			var d struct{ From, To string }
			if json.Unmarshal(data, &d) != nil {
				return nil // not a change this report can read
			}
			if i, ok := byID[id]; ok {
				out[i].Statuses = append(out[i].Statuses, StatusChange{At: at.T, From: d.From, To: d.To})
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReportRatingEdits returns every rating edit made before sc.To of the
// reviews whose rating was edited in sc's window, in the cases its
// filters keep (a review's platform and channel are its case's), with
// our answers in those cases.
func (s *Store) ReportRatingEdits(ctx context.Context, sc ReportScope) ([]RatingEdit, map[int64][]time.Time, error) {
	if err := checkScope(sc); err != nil {
		return nil, nil, err
	}
	var a reportArgs
	where := append([]string{"e.type = 'mention_edited'", "e.created_at < " + a.add(s.ts(sc.To))}, caseFilters(sc, &a, true)...)
	var edits []RatingEdit
	inWindow := map[int64]bool{}
	caseIDs := map[int64]bool{}
	from := sc.From.UTC()
	err := s.eachRow(ctx, "report rating edits", `SELECT e.case_id, e.created_at, e.data, `+caseKey(sc)+`
		FROM `+s.indexedBy("events", "e", "events_mention_edited")+` JOIN cases c ON c.id = e.case_id WHERE `+strings.Join(where, " AND "), a.args,
		func(rows *sql.Rows) error {
			var re RatingEdit
			var at dbTime
			var data []byte
			var key string
			if err := rows.Scan(&re.CaseID, &at, &data, &key); err != nil {
				return err
			}
			var d struct {
				MentionID int64 `json:"mention_id"`
				From      *int  `json:"rating_from"`
				To        *int  `json:"rating_to"`
			}
			if json.Unmarshal(data, &d) != nil || (d.From == nil && d.To == nil) || (d.From != nil && d.To != nil && *d.From == *d.To) {
				return nil // a text edit
			}
			re.MentionID, re.At, re.From, re.To = d.MentionID, at.T, d.From, d.To
			if sc.GroupBy != "intent" {
				re.Keys = []string{key}
			}
			if !re.At.Before(from) {
				inWindow[re.MentionID] = true
			}
			edits = append(edits, re)
			caseIDs[re.CaseID] = true
			return nil
		})
	if err != nil {
		return nil, nil, err
	}
	kept := edits[:0]
	for _, e := range edits {
		if inWindow[e.MentionID] {
			kept = append(kept, e)
		} else {
			delete(caseIDs, e.CaseID)
		}
	}
	for _, e := range kept {
		caseIDs[e.CaseID] = true
	}
	if len(kept) == 0 {
		return nil, map[int64][]time.Time{}, nil
	}
	ids := make([]int64, 0, len(caseIDs))
	for id := range caseIDs {
		ids = append(ids, id)
	}
	idsJSON, _ := json.Marshal(ids) // int64s always marshal
	answers := map[int64][]time.Time{}
	addAnswer := func(rows *sql.Rows) error {
		var id int64
		var at dbTime
		if err := rows.Scan(&id, &at); err != nil {
			return err
		}
		answers[id] = append(answers[id], at.T)
		return nil
	}
	if err := s.eachRow(ctx, "report review answers", `SELECT case_id, created_at FROM mentions WHERE direction = 'outbound' AND `+s.idsIn("case_id", 1),
		[]any{string(idsJSON)}, addAnswer); err != nil {
		return nil, nil, err
	}
	if err := s.eachRow(ctx, "report review replies", `SELECT case_id, COALESCE(sent_at, created_at) FROM replies WHERE state = 'sent' AND `+s.idsIn("case_id", 1),
		[]any{string(idsJSON)}, addAnswer); err != nil {
		return nil, nil, err
	}
	if sc.GroupBy == "intent" {
		byCase := map[int64][]string{}
		if err := s.eachRow(ctx, "report review intents", `SELECT case_id, intent FROM case_intents WHERE `+s.idsIn("case_id", 1), []any{string(idsJSON)},
			func(rows *sql.Rows) error {
				var id int64
				var intent string
				if err := rows.Scan(&id, &intent); err != nil {
					return err
				}
				byCase[id] = append(byCase[id], intent)
				return nil
			}); err != nil {
			return nil, nil, err
		}
		for i := range kept {
			kept[i].Keys = byCase[kept[i].CaseID]
		}
	}
	return kept, answers, nil
}

// eachRow runs q and calls fn on each row.
func (s *Store) eachRow(ctx context.Context, what, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
