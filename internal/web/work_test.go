package web

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

func TestNotesHandOffTasksMembersPraise(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	id := h.mention("1", "gil", "The nurses at Mission were wonderful, thank you")
	a := h.signIn("agent")
	base := fmt.Sprintf("/cases/%d", id)

	if code, _, _ := h.post(a, base+"/note", url.Values{"text": {"Looping in @supervisor and @nobody; also @agent (me)"}}); code != 303 {
		t.Fatalf("note: %d", code)
	}
	sup, _ := h.st.UserByEmail(ctx, "supervisor@example.org")
	me, _ := h.st.UserByEmail(ctx, "agent@example.org")
	if n, _ := h.st.UnreadNotifications(ctx, sup.ID); n != 1 {
		t.Fatalf("supervisor has %d notifications, want 1", n)
	}
	if n, _ := h.st.UnreadNotifications(ctx, me.ID); n != 0 {
		t.Fatalf("the writer notified themself: %d", n)
	}
	s := h.signIn("supervisor")
	if _, body := h.get(s, "/"); !strings.Contains(body, `<span id="unread-n">1</span>`) {
		t.Fatal("unread badge missing")
	}
	if _, body := h.get(s, "/notifications"); !strings.Contains(body, fmt.Sprintf("/cases/%d", id)) {
		t.Fatal("notification does not link the case")
	}
	if n, _ := h.st.UnreadNotifications(ctx, sup.ID); n != 0 {
		t.Fatalf("notifications not marked read: %d", n)
	}

	storetest.PutTeam(ctx, h.st, model.Team{ID: "claims", Name: "Claims"})
	if code, _, _ := h.post(a, base+"/handoff", url.Values{"team": {"claims"}}); code != 400 {
		t.Fatalf("hand-off without a note: %d", code)
	}
	if code, _, _ := h.post(a, base+"/handoff", url.Values{"team": {"claims"}, "assignee": {"supervisor@example.org"}, "note": {"Please call her back"}}); code != 303 {
		t.Fatalf("hand-off: %d", code)
	}
	c, _ := h.st.GetCase(ctx, id)
	if c.Team != "claims" || c.Assignee != "supervisor@example.org" || len(c.Notes) != 2 {
		t.Fatalf("after hand-off: team %q assignee %q notes %d", c.Team, c.Assignee, len(c.Notes))
	}
	if _, body := h.get(s, "/?assignee=mine"); !strings.Contains(body, fmt.Sprintf(`href="/cases/%d"`, id)) {
		t.Fatal("handed-off case not in the supervisor's Mine view")
	}

	if code, _, _ := h.post(a, base+"/tasks", url.Values{"title": {"Call back"}, "assignee": {"agent@example.org"}, "due": {"2030-01-02T09:30"}, "tz_offset": {"-60"}}); code != 303 {
		t.Fatalf("task: %d", code)
	}
	if code, _, _ := h.post(a, base+"/tasks", url.Values{"title": {"x"}, "due": {"tomorrow"}}); code != 400 {
		t.Fatalf("task with a bad due time: %d", code)
	}
	tasks, _ := h.st.ListOpenTasks(ctx, "agent@example.org", 10)
	if len(tasks) != 1 || tasks[0].DueAt == nil || !tasks[0].DueAt.Equal(time.Date(2030, 1, 2, 8, 30, 0, 0, time.UTC)) {
		t.Fatalf("tasks = %+v", tasks)
	}
	if _, body := h.get(a, "/tasks"); !strings.Contains(body, "Call back") {
		t.Fatal("my tasks misses the task")
	}
	if code, _, _ := h.post(a, fmt.Sprintf("%s/tasks/%d/done", base, tasks[0].ID), url.Values{"back": {"tasks"}}); code != 303 {
		t.Fatalf("task done: %d", code)
	}
	if _, body := h.get(a, "/tasks"); strings.Contains(body, "Call back") {
		t.Fatal("done task still listed")
	}

	h.st.PutMember(ctx, store.Member{ID: "LSH100200301", Name: "Gil Ortega", Plan: "PPO", CreatedAt: time.Now()})
	if _, body := h.get(a, base+"?member_q=ortega"); !strings.Contains(body, "LSH100200301") {
		t.Fatal("member search finds nothing")
	}
	if code, _, _ := h.post(a, base+"/members", url.Values{"member": {"LSH100200301"}}); code != 303 {
		t.Fatalf("link: %d", code)
	}
	v := h.signIn("viewer")
	if _, body := h.get(v, base); strings.Contains(body, "LSH100200301") || !strings.Contains(body, "••••0301") {
		t.Fatal("viewer sees the member id unmasked")
	}
	if code, _, _ := h.post(a, base+"/members/unlink", url.Values{"member": {"LSH100200301"}}); code != 303 {
		t.Fatalf("unlink: %d", code)
	}
	if _, body := h.get(a, base); !strings.Contains(body, "Member record linked") || !strings.Contains(body, "Member record unlinked") {
		t.Fatal("timeline misses the link events")
	}

	mid := c.Mentions[0].ID
	if code, _, _ := h.post(a, fmt.Sprintf("%s/mentions/%d/star", base, mid), nil); code != 303 {
		t.Fatalf("star: %d", code)
	}
	if _, body := h.get(v, "/praise"); !strings.Contains(body, "The nurses at Mission were wonderful") {
		t.Fatal("praise wall misses the starred mention")
	}
	if code, _, _ := h.post(a, fmt.Sprintf("/cases/%d/mentions/%d/star", id+999, mid), nil); code != 404 {
		t.Fatalf("star through another case: %d", code)
	}
	if code, _, _ := h.post(a, fmt.Sprintf("%s/mentions/%d/correct", base, mid), url.Values{"sentiment": {"positive"}, "intent": {"praise", "staff"}}); code != 303 {
		t.Fatalf("correct: %d", code)
	}
	if code, _, _ := h.post(a, fmt.Sprintf("%s/mentions/%d/correct", base, mid), url.Values{"sentiment": {"ecstatic"}}); code != 400 {
		t.Fatalf("bad correction: %d", code)
	}
	cs, _ := h.st.ListCorrections(ctx)
	if len(cs) != 1 || cs[0].Sentiment != "positive" || strings.Join(cs[0].Intents, ",") != "praise,staff" {
		t.Fatalf("corrections = %+v", cs)
	}

	if code, _, _ := h.post(a, base+"/status", url.Values{"status": {"resolved"}}); code != 303 {
		t.Fatalf("resolve: %d", code)
	}
	// The author writes again in the thread: the case reopens (ingest
	// does this; an unrelated new post starts a new case instead).
	again := model.Mention{Platform: "x", Channel: "acme", ExternalID: "2", Kind: model.KindComment, Direction: model.DirectionInbound,
		Text: "Actually one more question about my bill", InReplyTo: "1", CreatedAt: time.Now().UTC(), Author: model.Author{ID: "id-gil", Handle: "gil"}}
	if _, err := h.p.Ingest(ctx, []model.Mention{again}); err != nil {
		t.Fatal(err)
	}
	c, _ = h.st.GetCase(ctx, id)
	if c.Status != model.StatusOpen {
		t.Fatalf("the author wrote again but the case is %s", c.Status)
	}
	if _, body := h.get(a, base); !strings.Contains(body, "Reopened: the author wrote again") {
		t.Fatal("timeline misses the reopening")
	}
}

func TestInboxFiltersAndViews(t *testing.T) {
	h := newHarness(t)
	neg := h.mention("1", "angry", "Worst billing experience ever, charged twice and nobody answers")
	pos := h.mention("2", "happy", "Thank you, the staff were wonderful and kind")
	a := h.signIn("agent")
	_, body := h.get(a, "/?sentiment=negative")
	if !strings.Contains(body, fmt.Sprintf(`href="/cases/%d"`, neg)) || strings.Contains(body, fmt.Sprintf(`href="/cases/%d"`, pos)) {
		t.Fatal("sentiment filter")
	}
	_, body = h.get(a, "/?q=wonderful")
	if strings.Contains(body, fmt.Sprintf(`href="/cases/%d"`, neg)) || !strings.Contains(body, fmt.Sprintf(`href="/cases/%d"`, pos)) {
		t.Fatal("search")
	}
	if code, body := h.get(a, "/?status=bogus"); code != 400 || !strings.Contains(body, "outside its choices") {
		t.Fatalf("bad filter: %d", code)
	}
	if code, loc, _ := h.post(a, "/views", url.Values{"name": {"Angry"}, "query": {"sentiment=negative"}}); code != 303 || loc != "/?sentiment=negative" {
		t.Fatalf("save view: %d %q", code, loc)
	}
	_, body = h.get(a, "/")
	if !strings.Contains(body, `Angry <span class="count">1</span>`) || !strings.Contains(body, `Everything <span class="count">2</span>`) {
		t.Fatal("view counts")
	}
	code, rows := h.get(a, "/inbox/rows?sentiment=positive")
	if code != 200 || !strings.Contains(rows, "happy") || strings.Contains(rows, "angry") || strings.Contains(rows, "<html") {
		t.Fatalf("rows fragment: %d", code)
	}
}

func TestLiveEventsAndPresence(t *testing.T) {
	h := newHarness(t)
	id := h.mention("1", "gil", "Hello")
	a := h.signIn("agent")
	s := h.signIn("supervisor")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/events?case=%d", h.srv.URL, id), nil)
	req.Header.Set("Accept", "text/event-stream")
	res, err := a.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(res.Body)
	next := func(event string) string {
		t.Helper()
		seen := ""
		for lines.Scan() {
			l := lines.Text()
			if strings.HasPrefix(l, "event: ") {
				seen = strings.TrimPrefix(l, "event: ")
			}
			if strings.HasPrefix(l, "data: ") && seen == event {
				return strings.TrimPrefix(l, "data: ")
			}
		}
		t.Fatalf("stream ended before a %s event: %v", event, lines.Err())
		return ""
	}
	if d := next("presence"); !strings.Contains(d, "agent@example.org") {
		t.Fatalf("first presence = %s", d)
	}
	// The supervisor starts typing on the case.
	sreq, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/events?case=%d", h.srv.URL, id), nil)
	sres, err := s.Do(sreq)
	if err != nil {
		t.Fatal(err)
	}
	defer sres.Body.Close()
	next("presence")
	if code, _, _ := h.post(s, fmt.Sprintf("/cases/%d/typing", id), nil); code != 204 {
		t.Fatalf("typing: %d", code)
	}
	if d := next("presence"); !strings.Contains(d, `{"name":"supervisor@example.org","typing":true}`) {
		t.Fatalf("typing presence = %s", d)
	}
	other := h.mention("2", "new_person", "A new mention")
	if d := next("change"); !strings.Contains(d, fmt.Sprintf(`"case_id":%d`, other)) || strings.Contains(d, "A new mention") {
		t.Fatalf("change event = %s", d)
	}
	if code, _ := h.get(h.client(), "/events"); code != http.StatusSeeOther && code != http.StatusUnauthorized {
		t.Fatalf("signed-out events: %d", code)
	}
}

func FuzzParseReplyForm(f *testing.F) {
	f.Add("text=hi&visibility=public&seen=2&reason=x&confirm=1")
	f.Add("text=%ff&visibility=private&seen=-1")
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		r, err := parseReplyForm(v)
		if err != nil {
			return
		}
		if r.Seen < 0 || r.Text != strings.TrimSpace(r.Text) {
			t.Fatalf("accepted %+v", r)
		}
	})
}

func FuzzDecodeGuardRequest(f *testing.F) {
	f.Add(`{"text":"your visit","visibility":"public"}`)
	f.Add(`{"text":1}`)
	f.Fuzz(func(t *testing.T, body string) {
		in, err := decodeGuardRequest(strings.NewReader(body))
		if err != nil {
			return
		}
		if len(in.Text) > maxReplyBytes || (in.Visibility != "public" && in.Visibility != "private") {
			t.Fatalf("accepted %+v", in)
		}
	})
}

// TestHandOffAndTasksCheckNames checks that the hand-off and task forms
// refuse, as the API does, a team, site or person Earshot does not know
// (or a viewer, who may not work cases), and change nothing.
func TestHandOffAndTasksCheckNames(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	storetest.PutTeam(ctx, h.st, model.Team{ID: "claims", Name: "Claims"})
	storetest.PutSite(ctx, h.st, model.Site{ID: "austin", Name: "Austin"})
	id := h.mention("1", "hal", "My claim was denied twice")
	a := h.signIn("agent")
	base := fmt.Sprintf("/cases/%d", id)
	note := "Member called, see the claim"
	for _, tc := range []struct {
		name, path string
		form       url.Values
		field      string
	}{
		{"unknown team", "/handoff", url.Values{"team": {"no-such-team"}, "note": {note}}, "team"},
		{"unknown site", "/handoff", url.Values{"team": {"claims"}, "site": {"no-such-site"}, "note": {note}}, "site"},
		{"unknown person", "/handoff", url.Values{"assignee": {"nobody@nowhere"}, "note": {note}}, "assignee"},
		{"a viewer", "/handoff", url.Values{"assignee": {"viewer@example.org"}, "note": {note}}, "assignee"},
		{"task for nobody", "/tasks", url.Values{"title": {"Call back"}, "assignee": {"nobody@nowhere"}}, "assignee"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, _, body := h.post(a, base+tc.path, tc.form); code != 400 || !strings.Contains(body, "was refused") || !strings.Contains(body, tc.field) {
				t.Fatalf("%s %v: %d, want 400 naming the field", tc.path, tc.form, code)
			}
		})
	}
	c, _ := h.st.GetCase(ctx, id)
	if c.Team != "" || c.Site != "" || c.Assignee != "" || len(c.Notes) != 0 || len(c.Tasks) != 0 {
		t.Fatalf("refused forms changed the case: %q/%q/%q, %d notes, %d tasks", c.Team, c.Site, c.Assignee, len(c.Notes), len(c.Tasks))
	}
	if code, _, _ := h.post(a, base+"/handoff", url.Values{"team": {"claims"}, "site": {"austin"}, "assignee": {"agent@example.org"}, "note": {note}}); code != 303 {
		t.Fatalf("hand-off to known names: %d", code)
	}
}

// TestReplyTemplateChecks checks that the composer refuses a public reply
// with a template variable left in it, and a template that is gone.
func TestReplyTemplateChecks(t *testing.T) {
	h := newHarness(t)
	storetest.PutTemplate(context.Background(), h.st, model.Template{ID: "dm", Name: "Move to DM", Text: "Hi {first_name}, please DM us {when}."})
	id := h.mention("1", "ivy", "The parking garage is always full")
	a := h.signIn("agent")
	path := fmt.Sprintf("/cases/%d/reply", id)
	for _, tc := range []struct {
		name string
		form url.Values
		code int
		want string
	}{
		{"unfilled variable", url.Values{"text": {"Hello there, please DM us {when}."}, "template": {"dm"}, "visibility": {"public"}, "seen": {"0"}}, 422, "{when}"},
		{"template gone", url.Values{"text": {"Hello there, please DM us."}, "template": {"gone"}, "visibility": {"public"}, "seen": {"0"}}, 400, "no longer exists"},
		{"filled in", url.Values{"text": {"Hello there, please DM us today."}, "template": {"dm"}, "visibility": {"public"}, "seen": {"0"}}, 303, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, _, body := h.post(a, path, tc.form); code != tc.code || !strings.Contains(body, tc.want) {
				t.Fatalf("%v: %d, want %d with %q", tc.form, code, tc.code, tc.want)
			}
		})
	}
	if c, _ := h.st.GetCase(context.Background(), id); len(c.Replies) != 1 {
		t.Fatalf("%d replies stored, want the filled one", len(c.Replies))
	}
}

// TestReplyFormLimitsMatchTheAPI: the composer takes a template id and an
// override reason as long as the API does (one reply policy,
// cases.Service.Reply), and a refusal names the field at fault.
func TestReplyFormLimitsMatchTheAPI(t *testing.T) {
	h := newHarness(t)
	agent := h.signIn("agent")
	id := h.mention("1", "gil", "Where is my new card?")
	form := func(template, reason string) url.Values {
		return url.Values{"text": {"Please DM us."}, "visibility": {"private"}, "template": {template}, "reason": {reason}, "confirm": {"1"}}
	}
	long := func(n int) string { return strings.Repeat("t", n) }
	for _, tc := range []struct {
		name    string
		v       url.Values
		code    int
		wantErr string
	}{
		// At the limit, the template id is checked against the store.
		{"template id at the API's limit", form(long(model.MaxTemplateIDBytes), ""), http.StatusBadRequest, "That template no longer exists"},
		{"template id past it", form(long(model.MaxTemplateIDBytes+1), ""), http.StatusBadRequest, "reply template is not one of ours"},
		{"reason at the limit", form("", long(model.MaxOverrideReasonBytes)), http.StatusSeeOther, ""},
		{"reason past it", form("", long(model.MaxOverrideReasonBytes+1)), http.StatusBadRequest, "override reason"},
	} {
		code, _, body := h.post(agent, fmt.Sprintf("/cases/%d/reply", id), tc.v)
		if code != tc.code || tc.wantErr != "" && !strings.Contains(body, tc.wantErr) {
			t.Errorf("%s: %d, want %d with %q", tc.name, code, tc.code, tc.wantErr)
		}
	}
}
