package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"earshot/internal/model"
)

// CaseFilter selects cases for the queue. Empty fields do not filter.
type CaseFilter struct {
	Status   string
	Team     string
	Site     string
	Priority string
	Assignee string
	Platform string
	Channel  string
	// Sentiment matches the case's latest sentiment label.
	Sentiment string
	// Intent matches cases with a mention of that intent.
	Intent string
	// Unassigned keeps only cases with no assignee.
	Unassigned bool
	// OpenedFrom and OpenedTo keep the cases opened in [OpenedFrom,
	// OpenedTo), as the reports count them; a zero time does not narrow.
	OpenedFrom, OpenedTo time.Time
	// MentionFrom and MentionTo keep the cases with a mention made in
	// [MentionFrom, MentionTo): the cases behind a window's volumes.
	MentionFrom, MentionTo time.Time
	// Tag keeps the cases that carry the tag (a topic the organisation's
	// rules put on cases).
	Tag string
	// SentimentFirst matches the case's first sentiment label (with
	// Sentiment, the latest, it finds the saves: negative to positive).
	SentimentFirst string
	// Answered "yes" keeps the cases we have answered (a first response
	// is recorded), "no" those we have not.
	Answered string
	// NeedsResponse keeps the cases with a member's mention that asks
	// for an answer.
	NeedsResponse bool
	// Breached keeps the cases one of whose deadlines passed unmet.
	Breached bool
	// AuthorID keeps only cases of one author; ExcludeID leaves one case out.
	AuthorID  int64
	ExcludeID int64
	// Q searches mention text and author handles and names. ListCases
	// goes through the matches SearchWindow at a time, newest first, so
	// that a word found in every mention costs no more than a rare one;
	// CountCases counts the cases of the first window.
	Q      string
	Limit  int
	Cursor string
}

// MaxPageSize caps CaseFilter.Limit.
const MaxPageSize = 200

// SearchWindow is how many matching mentions one step of a search looks
// at, newest first; their cases are then put in queue order (see
// searchWindow).
const SearchWindow = 1000

// ErrBadCursor is returned (wrapped) for a cursor this store did not issue.
var ErrBadCursor = errors.New("bad cursor")

// cursor is the keyset position after the last case of a page, in the
// queue order: priority rank descending, deadline ascending, id ascending.
// A search's cursor also names its window (see searchWindow): Hi and Top,
// both 0 outside a search.
type cursor struct {
	Rank    int
	Due     int64
	ID      int64
	Hi, Top int64
}

// beforeFirstRank is above every priority rank (see PriorityRank): a
// cursor of this rank comes before the first case, as a search's cursor
// does at the start of a window.
const beforeFirstRank = 4

func (c cursor) encode() string {
	s := fmt.Appendf(nil, "%d.%d.%d", c.Rank, c.Due, c.ID)
	if c.Top != 0 {
		s = fmt.Appendf(s, ".%d.%d", c.Hi, c.Top)
	}
	return base64.RawURLEncoding.EncodeToString(s)
}

func decodeCursor(s string) (cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, fmt.Errorf("%w: %v", ErrBadCursor, err)
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 3 && len(parts) != 5 {
		return cursor{}, fmt.Errorf("%w: malformed", ErrBadCursor)
	}
	var n [5]int64
	for i, p := range parts {
		if n[i], err = strconv.ParseInt(p, 10, 64); err != nil {
			return cursor{}, fmt.Errorf("%w: %v", ErrBadCursor, err)
		}
	}
	if n[3] < 0 || n[4] < 0 || n[3] > n[4] {
		return cursor{}, fmt.Errorf("%w: bad search window", ErrBadCursor)
	}
	return cursor{Rank: int(n[0]), Due: n[1], ID: n[2], Hi: n[3], Top: n[4]}, nil
}

const caseListCols = `c.id, c.status, c.priority, c.prio_rank, c.platform, c.channel, c.author_id, c.team, c.site, c.assignee, c.urgency,
	c.created_at, c.updated_at, c.last_activity_at, c.first_response_due, c.first_response_at, c.sort_due,
	c.sentiment_first, c.sentiment_last, c.mention_count, c.summary,
	c.next_response_due, c.resolution_due, c.sla_policy, c.sla_paused_at, c.sla_timers, c.tags,
	a.ext_id, a.handle, a.name, a.followers, a.following, a.posts, a.verified, a.location`

func scanCase(row interface{ Scan(...any) error }, c *model.Case, cur *cursor) error {
	var created, updated, last, due, first dbTime
	var v slaScan
	sla := v.dest(c)
	if err := row.Scan(&c.ID, &c.Status, &c.Priority, &cur.Rank, &c.Platform, &c.Channel, &c.AuthorID, &c.Team, &c.Site, &c.Assignee, &c.Urgency,
		&created, &updated, &last, &due, &first, &cur.Due,
		&c.SentimentFirst, &c.SentimentLast, &c.MentionCount, &c.Summary,
		sla[0], sla[1], sla[2], sla[3], sla[4], sla[5],
		&c.Author.ID, &c.Author.Handle, &c.Author.Name, &c.Author.Followers, &c.Author.Following, &c.Author.Posts,
		&c.Author.Verified, &c.Author.Location); err != nil {
		return err
	}
	cur.ID = c.ID
	c.CreatedAt, c.UpdatedAt, c.LastActivityAt = created.T, updated.T, last.T
	c.FirstResponseDue, c.FirstResponseAt = due.ptr(), first.ptr()
	return v.fill(c)
}

// ListCases returns one page of cases in queue order (most pressing
// first, then the nearest deadline, then the oldest) and the cursor of the
// next page ("" on the last).
//
// With f.Q, the pages go through the matching mentions a window of
// SearchWindow at a time, newest first, and list each window's cases in
// queue order (see searchWindow): every matching case comes once, and a
// page may hold fewer than f.Limit cases, even none, while the cursor
// moves on to older windows. Only an empty cursor ends the list.
func (s *Store) ListCases(ctx context.Context, f CaseFilter) ([]model.Case, string, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, MaxPageSize)
	where, args, err := s.caseWhere(ctx, f)
	if err != nil {
		return nil, "", fmt.Errorf("list cases: %w", err)
	}
	cur := cursor{Rank: beforeFirstRank}
	if f.Cursor != "" {
		if cur, err = decodeCursor(f.Cursor); err != nil {
			return nil, "", err
		}
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		return s.searchCases(ctx, q, where, args, cur, limit)
	}
	cases, more, last, err := s.casePage(ctx, where, args, cur, f.Cursor != "", false, limit)
	if err != nil || !more {
		return cases, "", err
	}
	return cases, last.encode(), nil
}

// maxSearchSteps bounds how many search windows one page may read before
// it answers with the cases found so far (when filters leave out most of
// the matches' cases, say).
const maxSearchSteps = 4

// searchCases is ListCases with a search: the page of cases from cur on,
// window by window.
func (s *Store) searchCases(ctx context.Context, q string, where []string, args []any, cur cursor, limit int) ([]model.Case, string, error) {
	if err := s.syncForSearch(ctx); err != nil {
		return nil, "", fmt.Errorf("list cases: %w", err)
	}
	out := make([]model.Case, 0, limit)
	for step := 0; ; step++ {
		w, err := s.window(ctx, q, cur.Hi, cur.Top)
		if err != nil {
			return nil, "", fmt.Errorf("list cases: %w", err)
		}
		if w.n > 0 {
			ww, wa := w.where(s, len(args)+1)
			page, more, last, err := s.casePage(ctx, append(slices.Clip(where), ww), append(slices.Clip(args), wa), cur, true, true, limit-len(out))
			if err != nil {
				return nil, "", err
			}
			out = append(out, page...)
			if more {
				last.Hi, last.Top = w.hi, w.top
				return out, last.encode(), nil
			}
		}
		if !w.more {
			return out, "", nil
		}
		cur = cursor{Rank: beforeFirstRank, Hi: w.lo, Top: w.top}
		if len(out) == limit || step+1 == maxSearchSteps {
			return out, cur.encode(), nil
		}
	}
}

// casePage reads up to limit cases matching where, after cur when
// keyset is set, in queue order; more says whether others follow, and
// last is the position of the last case read. replan plans the query
// for its arguments (see Store.replan), as a search's must be.
func (s *Store) casePage(ctx context.Context, where []string, args []any, cur cursor, keyset, replan bool, limit int) (cases []model.Case, more bool, last cursor, err error) {
	where, args = slices.Clip(where), slices.Clip(args)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if keyset {
		r, d, i := arg(cur.Rank), arg(cur.Due), arg(cur.ID)
		where = append(where, fmt.Sprintf(`(c.prio_rank < %s OR (c.prio_rank = %s AND (c.sort_due > %s OR (c.sort_due = %s AND c.id > %s))))`, r, r, d, d, i))
	}
	q := `SELECT ` + caseListCols + ` FROM cases c JOIN authors a ON a.id = c.author_id`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY c.prio_rank DESC, c.sort_due, c.id LIMIT ` + arg(limit+1)
	if replan {
		args = s.replan(args...)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, false, last, fmt.Errorf("list cases: %w", err)
	}
	defer rows.Close()
	cases = make([]model.Case, 0, limit)
	for rows.Next() {
		if len(cases) == limit {
			more = true
			break
		}
		var c model.Case
		if err := scanCase(rows, &c, &last); err != nil {
			return nil, false, last, fmt.Errorf("list cases: %w", err)
		}
		cases = append(cases, c)
	}
	if err := rows.Err(); err != nil {
		return nil, false, last, fmt.Errorf("list cases: %w", err)
	}
	return cases, more, last, nil
}

// rareIntent is how many cases may have an intent for the intent filter
// to start from them (and sort them) rather than walk the queue checking
// each case. Measured at 1,000,000 mentions, when the index held a row
// per mention, starting from the rows cost about 4µs each and walking
// about 50s/m µs for m rows with the intent: they crossed near 3,500.
// A row per case makes both sides cheaper alike.
const rareIntent = 4_000

// rareIntentLimit is rareIntent unless a test set another limit.
func (s *Store) rareIntentLimit() int {
	if s.rareIntent >= 0 {
		return s.rareIntent
	}
	return rareIntent
}

// caseWhere turns a filter (except its search, cursor and limit) into SQL
// conditions over cases c and their arguments, numbered from $1.
func (s *Store) caseWhere(ctx context.Context, f CaseFilter) ([]string, []any, error) {
	rare := false
	if f.Intent != "" {
		var n int
		if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM case_intents WHERE intent = $1 LIMIT $2) x`,
			f.Intent, s.rareIntentLimit()+1).Scan(&n); err != nil {
			return nil, nil, fmt.Errorf("count intent %q: %w", f.Intent, err)
		}
		rare = n <= s.rareIntentLimit()
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	for _, eq := range []struct{ col, v string }{
		{"c.status", f.Status}, {"c.team", f.Team}, {"c.site", f.Site}, {"c.priority", f.Priority},
		{"c.assignee", f.Assignee}, {"c.platform", f.Platform}, {"c.channel", f.Channel}, {"c.sentiment_last", f.Sentiment},
	} {
		if eq.v != "" {
			where = append(where, eq.col+" = "+arg(eq.v))
			if eq.col == "c.team" || eq.col == "c.assignee" {
				// Lets the planner use the partial queue indexes.
				where = append(where, eq.col+" <> ''")
			}
		}
	}
	if f.Unassigned {
		where = append(where, "c.assignee = ''")
	}
	if f.SentimentFirst != "" {
		where = append(where, "c.sentiment_first = "+arg(f.SentimentFirst))
	}
	if !f.OpenedFrom.IsZero() {
		where = append(where, "c.created_at >= "+arg(s.ts(f.OpenedFrom)))
	}
	if !f.OpenedTo.IsZero() {
		where = append(where, "c.created_at < "+arg(s.ts(f.OpenedTo)))
	}
	if !f.MentionFrom.IsZero() || !f.MentionTo.IsZero() {
		cond := "mm.case_id = c.id"
		if !f.MentionFrom.IsZero() {
			cond += " AND mm.created_at >= " + arg(s.ts(f.MentionFrom))
		}
		if !f.MentionTo.IsZero() {
			cond += " AND mm.created_at < " + arg(s.ts(f.MentionTo))
		}
		where = append(where, "EXISTS (SELECT 1 FROM mentions mm WHERE "+cond+")")
	}
	if f.Tag != "" {
		// Tags are stored joined by commas; the pattern's own % and _
		// are escaped so that a tag matches only itself.
		esc := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(f.Tag)
		where = append(where, "(',' || c.tags || ',') LIKE "+arg("%,"+esc+",%")+` ESCAPE '\'`)
	}
	switch f.Answered {
	case "yes":
		where = append(where, "c.first_response_at IS NOT NULL")
	case "no":
		where = append(where, "c.first_response_at IS NULL")
	}
	if f.NeedsResponse {
		where = append(where, `EXISTS (SELECT 1 FROM mentions nm WHERE nm.case_id = c.id AND nm.direction = 'inbound' AND nm.needs_response = `+arg(true)+`)`)
	}
	if f.Breached {
		where = append(where, `EXISTS (SELECT 1 FROM events be WHERE be.case_id = c.id AND be.type = `+arg(string(model.EventSLABreach))+`)`)
	}
	if f.AuthorID != 0 {
		where = append(where, "c.author_id = "+arg(f.AuthorID))
	}
	if f.ExcludeID != 0 {
		where = append(where, "c.id <> "+arg(f.ExcludeID))
	}
	if f.Intent != "" {
		if rare {
			// Few cases have it: start from them, then sort.
			where = append(where, `c.id IN (SELECT ci.case_id FROM case_intents ci WHERE ci.intent = `+arg(f.Intent)+`)`)
		} else {
			// Many have it: walk the queue in order, checking each case.
			where = append(where, `EXISTS (SELECT 1 FROM case_intents ci WHERE ci.intent = `+arg(f.Intent)+` AND ci.case_id = c.id)`)
		}
	}
	return where, args, nil
}

// CountCases counts the cases matching f (its cursor and limit ignored),
// stopping at upTo: a count of upTo means "upTo or more".
func (s *Store) CountCases(ctx context.Context, f CaseFilter, upTo int) (int, error) {
	where, args, err := s.caseWhere(ctx, f)
	if err != nil {
		return 0, fmt.Errorf("count cases: %w", err)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		// A search counts the cases of its first window, the SearchWindow
		// most recent matches: the count of one in every mention costs no
		// more than that of a rare one.
		if err := s.syncForSearch(ctx); err != nil {
			return 0, fmt.Errorf("count cases: %w", err)
		}
		w, err := s.window(ctx, q, 0, 0)
		if err != nil {
			return 0, fmt.Errorf("count cases: %w", err)
		}
		if w.n == 0 {
			return 0, nil
		}
		ww, wa := w.where(s, len(args)+1)
		where, args = append(where, ww), append(args, wa)
	}
	q := `SELECT 1 FROM cases c`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	args = append(args, upTo)
	q = `SELECT COUNT(*) FROM (` + q + ` LIMIT $` + strconv.Itoa(len(args)) + `) x`
	if strings.TrimSpace(f.Q) != "" {
		args = s.replan(args...)
	}
	var n int
	if err := s.read.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count cases: %w", err)
	}
	return n, nil
}

// CaseExists returns nil when case id exists, an error wrapping
// ErrNotFound when it does not. It reads one row of one index, for the
// handlers that must refuse a missing case before anything else.
func (s *Store) CaseExists(ctx context.Context, id int64) error {
	var one int
	switch err := s.read.QueryRowContext(ctx, `SELECT 1 FROM cases WHERE id = $1`, id).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("case %d: %w", id, ErrNotFound)
	case err != nil:
		return fmt.Errorf("check case %d: %w", id, err)
	}
	return nil
}

// GetCase returns one case with its mentions, replies, notes, tasks and
// events.
func (s *Store) GetCase(ctx context.Context, id int64) (*model.Case, error) {
	c := new(model.Case)
	var cur cursor
	row := s.read.QueryRowContext(ctx, `SELECT `+caseListCols+` FROM cases c JOIN authors a ON a.id = c.author_id WHERE c.id = $1`, id)
	switch err := scanCase(row, c, &cur); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("case %d: %w", id, ErrNotFound)
	case err != nil:
		return nil, fmt.Errorf("read case %d: %w", id, err)
	}
	var err error
	if c.Mentions, err = s.caseMentions(ctx, id); err != nil {
		return nil, err
	}
	if c.Replies, err = s.caseReplies(ctx, id); err != nil {
		return nil, err
	}
	if err := s.fillReplyDelivery(ctx, id, c.Replies); err != nil {
		return nil, err
	}
	if c.Notes, err = s.caseNotes(ctx, id); err != nil {
		return nil, err
	}
	if c.Tasks, err = s.caseTasks(ctx, id); err != nil {
		return nil, err
	}
	if c.Events, err = s.caseEvents(ctx, id); err != nil {
		return nil, err
	}
	return c, nil
}

// mentionReadCols are the columns scanMention reads, of mentions m joined
// with their authors a.
const mentionReadCols = `m.id, m.case_id, m.platform, m.channel, m.external_id, m.kind, m.direction, m.text, m.url,
	m.created_at, m.received_at, m.in_reply_to, m.thread_id, m.rating, m.place, m.analysis,
	a.ext_id, a.handle, a.name, a.followers, a.following, a.posts, a.verified, a.location`

// scanMention reads one row of mentionReadCols.
func scanMention(row interface{ Scan(...any) error }, m *model.Mention) error {
	var created, received dbTime
	var rating sql.NullInt64
	var analysis []byte
	var caseID sql.NullInt64
	if err := row.Scan(&m.ID, &caseID, &m.Platform, &m.Channel, &m.ExternalID, &m.Kind, &m.Direction, &m.Text, &m.URL,
		&created, &received, &m.InReplyTo, &m.ThreadID, &rating, &m.Place, &analysis,
		&m.Author.ID, &m.Author.Handle, &m.Author.Name, &m.Author.Followers, &m.Author.Following, &m.Author.Posts,
		&m.Author.Verified, &m.Author.Location); err != nil {
		return err
	}
	m.CaseID = caseID.Int64
	m.CreatedAt, m.ReceivedAt = created.T, received.T
	if rating.Valid {
		r := int(rating.Int64)
		m.Rating = &r
	}
	var err error
	m.Analysis, err = decodeAnalysis(m.ID, analysis)
	return err
}

// queryMentions runs a query selecting mentionReadCols and reads its rows;
// what names them in errors.
func (s *Store) queryMentions(ctx context.Context, what, q string, args ...any) ([]model.Mention, error) {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	defer rows.Close()
	ms := []model.Mention{}
	for rows.Next() {
		var m model.Mention
		if err := scanMention(rows, &m); err != nil {
			return nil, fmt.Errorf("read %s: %w", what, err)
		}
		ms = append(ms, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	return ms, nil
}

func (s *Store) caseMentions(ctx context.Context, caseID int64) ([]model.Mention, error) {
	return s.queryMentions(ctx, fmt.Sprintf("mentions of case %d", caseID), `SELECT `+mentionReadCols+`
		FROM mentions m JOIN authors a ON a.id = m.author_id
		WHERE m.case_id = $1 ORDER BY m.created_at, m.id`, caseID)
}

// FillEdgeMentions sets the Mentions of each case in cases, a page of a
// case list, to the mention that opened it and the latest to arrive, in
// that order (one when they are the same), so that a list shows what
// started each case and what was said last without reading every
// mention. It reads them in one query, whatever the page's size.
//
// The mention that opened a case is its first inbound one: our own
// replies never open a case, though one stored before the mention it
// answers (and linked to its case when that came) has the smaller id.
//
// "Opened" and "latest" go by mention id, the order of arrival: on SQLite
// the case index (case_id, with the id) finds both in a step each, where
// an order by posting time would read every mention of the page's cases
// (some have thousands). PostgreSQL's case index holds no id, so there
// the cost grows with the page's mentions (1M mentions: about 2 ms for
// the queue's first 50 cases, a third of a second for 200 cases with
// 27,000 mentions between them).
func (s *Store) FillEdgeMentions(ctx context.Context, cases []model.Case) error {
	if len(cases) == 0 {
		return nil
	}
	ids := make([]int64, len(cases))
	at := make(map[int64]int, len(cases))
	for i := range cases {
		ids[i] = cases[i].ID
		at[cases[i].ID] = i
		cases[i].Mentions = []model.Mention{}
	}
	page := s.idsIn("c.id", 1)
	ms, err := s.queryMentions(ctx, "first and latest mentions", `SELECT `+mentionReadCols+`
		FROM mentions m JOIN authors a ON a.id = m.author_id
		WHERE m.id IN (
			SELECT (SELECT MIN(x.id) FROM mentions x WHERE x.case_id = c.id AND x.direction = 'inbound') FROM cases c WHERE `+page+`
			UNION
			SELECT (SELECT MAX(x.id) FROM mentions x WHERE x.case_id = c.id) FROM cases c WHERE `+page+`)
		ORDER BY m.case_id, m.id`, int64sJSON(ids))
	if err != nil {
		return err
	}
	for _, m := range ms {
		if i, ok := at[m.CaseID]; ok {
			cases[i].Mentions = append(cases[i].Mentions, m)
		}
	}
	return nil
}

// int64sJSON is ids as a JSON array.
func int64sJSON(ids []int64) string {
	b := make([]byte, 0, 2+len(ids)*8)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}
