package web

import (
	"context"
	"earshot/internal/cases"
	"earshot/internal/guard"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"earshot/internal/analyze"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/org"
	"earshot/internal/route"
)

func TestCaseDeadlinesSayWhereEachStands(t *testing.T) {
	now := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
	at := func(min int) *time.Time { v := now.Add(time.Duration(min) * time.Minute); return &v }
	resolvedEvent := model.Event{Type: model.EventStatusChanged, Data: []byte(`{"from":"open","to":"resolved"}`), CreatedAt: *at(-3)}
	for _, tc := range []struct {
		name string
		c    model.Case
		want [3]string // first response, next response, resolution: "state: text"
	}{
		{"running", model.Case{Status: model.StatusOpen, FirstResponseDue: at(25), ResolutionDue: at(-180)}, [3]string{
			"running: due in 25m", "none: none (no message of the member waits for an answer)", "running: 3h overdue"}},
		{"answered late, next response running", model.Case{Status: model.StatusOpen, FirstResponseDue: at(-30), FirstResponseAt: at(-18),
			NextResponseDue: at(12), ResolutionDue: at(60 * 50)}, [3]string{"met: met 12m late", "running: due in 12m", "running: due in 2d"}},
		{"paused", model.Case{Status: model.StatusPending, FirstResponseDue: at(5), NextResponseDue: nil, ResolutionDue: at(90), SLAPausedAt: at(-1)}, [3]string{
			"paused: paused while the case waits on the member: the due time moves on when it resumes", "none: none (no message of the member waits for an answer)",
			"paused: paused while the case waits on the member: the due time moves on when it resumes"}},
		{"resolved", model.Case{Status: model.StatusResolved, FirstResponseDue: at(-2), Events: []model.Event{resolvedEvent}}, [3]string{
			"stopped: not met: the case was resolved first", "none: none (no message of the member waits for an answer)", "met: met: case resolved"}},
		{"no response needed", model.Case{Status: model.StatusNew}, [3]string{
			"none: none (nothing in the case needs a response)", "none: none (no message of the member waits for an answer)", "none: none set"}},
	} {
		views := caseDeadlines(&tc.c, now)
		var got [3]string
		for i, v := range views {
			got[i] = v.State + ": " + v.Text
			if v.Overdue != strings.HasSuffix(v.Text, "overdue") {
				t.Errorf("%s: %s overdue %v but says %q", tc.name, v.Label, v.Overdue, v.Text)
			}
		}
		if got != tc.want {
			t.Errorf("%s:\n got %q\nwant %q", tc.name, got, tc.want)
		}
		if tc.name == "resolved" && (views[2].MetAt == nil || !views[2].MetAt.Equal(*at(-3))) {
			t.Errorf("resolved: resolution met at %v, want the time of the change to resolved", views[2].MetAt)
		}
	}
}

// deadlineOrg has a policy with all three deadlines, counted around the
// clock.
const deadlineOrg = `
organization: Test Plan
timezone: UTC
sla_policies:
  - {id: standard, first_response: 1h, next_response: 20m, resolution: 3h, hours: 24/7}
`

// deadlineCases routes h's store by deadlineOrg and stores, as of h's
// clock, cases whose nearest running deadlines differ:
//
//   - next: answered; the member wrote again 15m ago: the next response
//     is due in 5m (the resolution in 15m);
//   - late: answered 10m after its first response was due; the
//     resolution is due in 90m;
//   - overdue: its first response is 10m overdue;
//   - paused: pending, so nothing runs.
func deadlineCases(t *testing.T, h *harness) (next, late, overdue, paused int64) {
	t.Helper()
	ctx := context.Background()
	o, err := org.Parse([]byte(deadlineOrg))
	if err != nil {
		t.Fatal(err)
	}
	r, err := route.Compile(o)
	if err != nil {
		t.Fatal(err)
	}
	live := route.NewLive(r)
	// On a whole second, so that stored times (cut to the microsecond)
	// are as far from the page's clock as the test says.
	now := h.clock.Now()
	h.clock.Add(now.Truncate(time.Second).Sub(now))
	now = h.clock.Now()
	p := ingest.New(h.st, analyze.New(), ingest.Options{Routes: live, Now: func() time.Time { return now }})
	min := func(n int) time.Time { return now.Add(time.Duration(n) * time.Minute) }
	post := func(author string, at time.Time) int64 {
		res, err := p.Store(ctx, []*model.Mention{{Platform: "x", ExternalID: fmt.Sprint(author, at.Unix()), Kind: "post",
			Direction: "inbound", Text: "Where is my new ID card?", CreatedAt: at, Author: model.Author{ID: author, Handle: author},
			Analysis: &model.Analysis{NeedsResponse: true, Sentiment: model.Sentiment{Label: "negative"}, Urgency: model.Urgency{Level: "normal"}}}})
		if err != nil || len(res) != 1 || res[0].CaseID == 0 {
			t.Fatalf("store mention of %s: %+v, %v", author, res, err)
		}
		return res[0].CaseID
	}
	reply := func(id int64, at time.Time) {
		if err := h.st.AddReply(ctx, &model.Reply{CaseID: id, Text: "Sorry, please DM us", Visibility: "public", Author: "agent@example.org", CreatedAt: at}, cases.Response(live.Router(), at)); err != nil {
			t.Fatal(err)
		}
	}
	next = post("next_one", min(-165))
	reply(next, min(-150))
	if post("next_one", min(-15)) != next {
		t.Fatal("the member's second post opened a new case")
	}
	late = post("late_one", min(-90))
	reply(late, min(-20))
	overdue = post("overdue_one", min(-70))
	paused = post("paused_one", min(-59))
	if err := cases.NewService(h.st, live, guard.New(analyze.New()), func() time.Time { return min(-1) }).SetStatus(ctx, paused, model.StatusPending, "agent@example.org"); err != nil {
		t.Fatal(err)
	}
	return next, late, overdue, paused
}

// rowIDs returns the case ids of the inbox rows in page order.
func rowIDs(page string) []int64 {
	var ids []int64
	for _, m := range regexp.MustCompile(`data-href="/cases/(\d+)"`).FindAllStringSubmatch(page, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		ids = append(ids, id)
	}
	return ids
}

func TestWorkspaceShowsEveryDeadline(t *testing.T) {
	h := newHarness(t)
	next, late, overdue, paused := deadlineCases(t, h)
	c := h.signIn("agent")

	code, page := h.get(c, "/")
	if code != 200 {
		t.Fatalf("inbox: %d", code)
	}
	// Nearest running deadline first: 10m overdue, due in 5m, due in
	// 90m; then the paused case, which has none running.
	if got, want := rowIDs(page), []int64{overdue, next, late, paused}; !slices.Equal(got, want) {
		t.Fatalf("inbox order %v, want %v", got, want)
	}
	for _, want := range []string{`<span class="overdue">first response 10m overdue</span>`, `<span class="due">next response due in 5m</span>`,
		`<span class="due">resolution due in 1h</span>`, `Next deadline</th>`} {
		if !strings.Contains(page, want) {
			t.Errorf("inbox does not show %q", want)
		}
	}

	for id, want := range map[int64][]string{
		next: {"First response</strong>:", "<span>met</span>", "Next response</strong>:", `<span class="due">due in 5m</span>`,
			"Resolution</strong>:", `<span class="due">due in 15m</span>`},
		late:    {`<span>met 10m late</span>`, `<span class="due">due in 1h</span>`, "no message of the member waits for an answer"},
		overdue: {`<span class="overdue">10m overdue</span>`},
		paused:  {`data-deadline="first_response"><strong>First response</strong>:`, "paused while the case waits on the member"},
	} {
		code, page := h.get(c, fmt.Sprintf("/cases/%d", id))
		if code != 200 {
			t.Fatalf("case %d: %d", id, code)
		}
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("case %d page does not show %q", id, w)
			}
		}
	}
	// The due times themselves, in the page's time format.
	cs, err := h.st.GetCase(context.Background(), next)
	if err != nil {
		t.Fatal(err)
	}
	_, page = h.get(c, fmt.Sprintf("/cases/%d", next))
	for _, due := range []*time.Time{cs.FirstResponseDue, cs.NextResponseDue, cs.ResolutionDue} {
		if due == nil || !strings.Contains(page, `datetime="`+due.UTC().Format(time.RFC3339)+`"`) {
			t.Errorf("case page does not show the due time %v", due)
		}
	}
}

func TestE2EWorkspaceShowsEveryDeadline(t *testing.T) {
	h := newHarness(t)
	next, _, overdue, _ := deadlineCases(t, h)
	tb := newTab(t, h)
	tb.signIn("agent")
	first := eval[string](tb, `document.querySelector('#rows tr[data-href]').getAttribute('data-href')`)
	second := eval[string](tb, `document.querySelectorAll('#rows tr[data-href]')[1].textContent`)
	if first != fmt.Sprintf("/cases/%d", overdue) || !strings.Contains(second, "next response due in 5m") {
		t.Fatalf("inbox starts with %s, then %q", first, second)
	}
	tb.run(
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", h.srv.URL, next)),
		chromedp.WaitVisible(chromedp.CSS(`#deadlines`)),
	)
	got := eval[string](tb, `Array.from(document.querySelectorAll('#deadlines li')).map(li => li.innerText.replace(/\s+/g, ' ').trim()).join('\n')`)
	lines := strings.Split(got, "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "First response: met at ") || !strings.Contains(lines[0], " · due ") ||
		!strings.HasPrefix(lines[1], "Next response: due in 5m (") || !strings.HasPrefix(lines[2], "Resolution: due in 15m (") {
		t.Fatalf("deadlines read:\n%s", got)
	}
}
