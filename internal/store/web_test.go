package store_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"earshot/internal/model"
	"earshot/internal/store"
	"earshot/internal/store/storetest"
)

func newUser(t *testing.T, st *store.Store, email, role string) *model.User {
	t.Helper()
	u := &model.User{Email: email, Role: role, PasswordHash: "x", CreatedAt: time.Now()}
	if err := st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSessions(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	u := newUser(t, st, "ana@example.org", model.RoleAgent)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	h1, h2 := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	for _, h := range [][]byte{h1, h2} {
		if err := st.CreateSession(ctx, store.Session{Hash: h, UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	se, got, err := st.SessionUser(ctx, h1, now.Add(time.Minute))
	if err != nil || got.Email != u.Email || se.UserID != u.ID || !se.ExpiresAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("SessionUser = %+v %+v %v", se, got, err)
	}
	if _, _, err := st.SessionUser(ctx, h1, now.Add(2*time.Hour)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired session: err = %v", err)
	}
	if err := st.TouchSession(ctx, h1, now.Add(time.Hour), now.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.SessionUser(ctx, h1, now.Add(2*time.Hour)); err != nil {
		t.Fatalf("touched session: %v", err)
	}
	if err := st.DeleteUserSessions(ctx, u.ID, h1); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.SessionUser(ctx, h2, now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("other session survived: %v", err)
	}
	if err := st.DeleteSession(ctx, h1); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.SessionUser(ctx, h1, now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("deleted session: %v", err)
	}
}

// seedAnalysed stores one case with one mention whose analysis is given.
func seedAnalysed(t *testing.T, st *store.Store, ext, sentiment, analysis string) int64 {
	t.Helper()
	at := time.Now().UTC()
	var id int64
	err := st.WriteBatch(context.Background(), func(b *store.Batch) error {
		a := model.Author{ID: "a-" + ext, Handle: "h" + ext}
		authorID, err := b.UpsertAuthor(context.Background(), "x", a, at)
		if err != nil {
			return err
		}
		c := &model.Case{Status: model.StatusNew, Priority: model.PriorityNormal, Platform: "x", Channel: "main", AuthorID: authorID, CreatedAt: at, UpdatedAt: at,
			LastActivityAt: at, SentimentFirst: sentiment, SentimentLast: sentiment, MentionCount: 1}
		if err := b.InsertCase(context.Background(), c); err != nil {
			return err
		}
		id = c.ID
		m := &model.Mention{Platform: "x", Channel: "main", ExternalID: ext, Kind: "post", Direction: "inbound", Text: "words of " + ext, CreatedAt: at, ReceivedAt: at, Author: a}
		return b.InsertMention(context.Background(), m, authorID, c.ID, []byte(analysis))
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestCaseFiltersAndCount(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	a := seedAnalysed(t, st, "m1", "negative", `{"intents":["billing","complaint"]}`)
	b := seedAnalysed(t, st, "m2", "positive", `{"intents":["praise"]}`)
	seedAnalysed(t, st, "m3", "negative", `{"intents":[]}`)
	assignee := "ana@example.org"
	newUser(t, st, assignee, model.RoleAgent)
	if err := st.Assign(ctx, b, store.Assignment{Assignee: &assignee}, "t", time.Now()); err != nil {
		t.Fatal(err)
	}
	ids := func(f store.CaseFilter) []int64 {
		cs, _, err := st.ListCases(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	// Limit 0: every intent that some mention has walks the queue; the
	// default: they all start from the intent's mentions.
	for _, limit := range []int{0, 1000} {
		store.SetRareIntentLimit(st, limit)
		checkFilters(t, st, ids, a, b, assignee)
	}
	if n, _ := st.CountCases(ctx, store.CaseFilter{}, 2); n != 2 {
		t.Errorf("capped count = %d, want 2", n)
	}
}

func checkFilters(t *testing.T, st *store.Store, ids func(store.CaseFilter) []int64, a, b int64, assignee string) {
	t.Helper()
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		f    store.CaseFilter
		want int
	}{
		{"all", store.CaseFilter{}, 3},
		{"intent billing", store.CaseFilter{Intent: "billing"}, 1},
		{"intent praise", store.CaseFilter{Intent: "praise"}, 1},
		{"intent none", store.CaseFilter{Intent: "claim"}, 0},
		{"negative", store.CaseFilter{Sentiment: "negative"}, 2},
		{"unassigned", store.CaseFilter{Unassigned: true}, 2},
		{"mine", store.CaseFilter{Assignee: assignee}, 1},
		{"channel", store.CaseFilter{Channel: "main"}, 3},
		{"other channel", store.CaseFilter{Channel: "else"}, 0},
		{"exclude", store.CaseFilter{ExcludeID: a}, 2},
	} {
		got := ids(tc.f)
		if len(got) != tc.want {
			t.Errorf("%s: %d cases %v, want %d", tc.name, len(got), got, tc.want)
		}
		n, err := st.CountCases(ctx, tc.f, 100)
		if err != nil || n != tc.want {
			t.Errorf("%s: count %d, %v, want %d", tc.name, n, err, tc.want)
		}
	}
	if got := ids(store.CaseFilter{Intent: "billing"}); len(got) != 1 || got[0] != a {
		t.Errorf("billing case = %v, want %d", got, a)
	}
	if got := ids(store.CaseFilter{Intent: "praise", Assignee: assignee}); len(got) != 1 || got[0] != b {
		t.Errorf("praise case of %s = %v, want %d", assignee, got, b)
	}
}

func TestMembersPraiseNotificationsViewsSettings(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Now().UTC()
	id := seedAnalysed(t, st, "p1", "positive", `{"intents":["praise"]}`)
	if err := st.PutMember(ctx, store.Member{ID: "XJH100200300", Name: "Gil Ortega", Plan: "PPO", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	found, err := st.SearchMembers(ctx, "orte", 10)
	if err != nil || len(found) != 1 || found[0].ID != "XJH100200300" {
		t.Fatalf("search by name = %v, %v", found, err)
	}
	if found, _ := st.SearchMembers(ctx, "xjh1", 10); len(found) != 1 {
		t.Fatalf("search by id prefix = %v", found)
	}
	if found, _ := st.SearchMembers(ctx, "%", 10); len(found) != 0 {
		t.Fatalf("wildcard matched: %v", found)
	}
	if err := st.LinkMember(ctx, id, "nobody", "ana", now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("link unknown member: %v", err)
	}
	for range 2 {
		if err := st.LinkMember(ctx, id, "XJH100200300", "ana", now); err != nil {
			t.Fatal(err)
		}
	}
	if ms, _ := st.CaseMembers(ctx, id); len(ms) != 1 {
		t.Fatalf("linked members = %v", ms)
	}
	if err := st.UnlinkMember(ctx, id, "XJH100200300", "ana", now); err != nil {
		t.Fatal(err)
	}
	if err := st.UnlinkMember(ctx, id, "XJH100200300", "ana", now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second unlink: %v", err)
	}
	c, err := st.GetCase(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var linked, unlinked int
	for _, e := range c.Events {
		switch e.Type {
		case model.EventMemberLinked:
			linked++
		case model.EventMemberUnlinked:
			unlinked++
		}
	}
	if linked != 1 || unlinked != 1 {
		t.Fatalf("timeline has %d linked, %d unlinked events", linked, unlinked)
	}

	mid := c.Mentions[0].ID
	if err := st.StarMention(ctx, mid, "ana", now); err != nil {
		t.Fatal(err)
	}
	if err := st.StarMention(ctx, 999999, "ana", now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("star unknown mention: %v", err)
	}
	wall, err := st.ListPraise(ctx, 10)
	if err != nil || len(wall) != 1 || wall[0].MentionID != mid || wall[0].CaseID != id {
		t.Fatalf("praise = %+v, %v", wall, err)
	}
	if starred, _ := st.StarredMentions(ctx, id); !starred[mid] {
		t.Fatal("mention not starred")
	}
	st.UnstarMention(ctx, mid)
	if wall, _ := st.ListPraise(ctx, 10); len(wall) != 0 {
		t.Fatalf("unstarred still on wall: %+v", wall)
	}

	u := newUser(t, st, "ana@example.org", model.RoleAgent)
	if err := st.AddNotifications(ctx, []store.Notification{{UserID: u.ID, CaseID: id, Actor: "bo", Kind: store.NotifyMentioned, CreatedAt: now}}); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.UnreadNotifications(ctx, u.ID); n != 1 {
		t.Fatalf("unread = %d", n)
	}
	st.MarkNotificationsRead(ctx, u.ID, now)
	ns, err := st.ListNotifications(ctx, u.ID, 10)
	if n, _ := st.UnreadNotifications(ctx, u.ID); err != nil || n != 0 || len(ns) != 1 || ns[0].ReadAt == nil {
		t.Fatalf("after read: unread %d, list %+v, %v", n, ns, err)
	}

	v := &store.SavedView{UserID: u.ID, Name: "Billing", Query: "intent=billing", CreatedAt: now}
	if err := st.AddSavedView(ctx, v); err != nil || v.ID == 0 {
		t.Fatal(err)
	}
	if vs, _ := st.ListSavedViews(ctx, u.ID); len(vs) != 1 || vs[0].Query != "intent=billing" {
		t.Fatalf("views = %+v", vs)
	}
	st.DeleteSavedView(ctx, u.ID, v.ID)
	if vs, _ := st.ListSavedViews(ctx, u.ID); len(vs) != 0 {
		t.Fatalf("views after delete = %+v", vs)
	}

	if v, err := st.Setting(ctx, store.SettingApproval); err != nil || v != "" {
		t.Fatalf("unset setting = %q, %v", v, err)
	}
	st.PutSetting(ctx, store.SettingApproval, "on")
	st.PutSetting(ctx, store.SettingApproval, "off")
	if v, _ := st.Setting(ctx, store.SettingApproval); v != "off" {
		t.Fatalf("setting = %q", v)
	}
}

func TestCorrectionsTasksApprovalHandOff(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	id := seedAnalysed(t, st, "c1", "negative", `{"intents":["billing"]}`)
	c, _ := st.GetCase(ctx, id)
	mid := c.Mentions[0].ID
	for _, s := range []string{"neutral", "positive"} {
		if err := st.AddCorrection(ctx, &store.Correction{MentionID: mid, Sentiment: s, Intents: []string{"praise", "staff"}, Author: "ana", CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.AddCorrection(ctx, &store.Correction{MentionID: 424242, Sentiment: "neutral", CreatedAt: now}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("correction of unknown mention: %v", err)
	}
	cs, err := st.ListCorrections(ctx)
	if err != nil || len(cs) != 1 || cs[0].Sentiment != "positive" || len(cs[0].Intents) != 2 || cs[0].Text != "words of c1" {
		t.Fatalf("corrections = %+v, %v", cs, err)
	}

	newUser(t, st, "ana@example.org", model.RoleAgent)
	due := now.Add(48 * time.Hour)
	for _, title := range []string{"later", "soon"} {
		tk := &model.Task{CaseID: id, Title: title, Assignee: "ana@example.org", CreatedAt: now}
		if title == "soon" {
			tk.DueAt = &due
		}
		if err := st.AddTask(ctx, tk); err != nil {
			t.Fatal(err)
		}
	}
	tasks, err := st.ListOpenTasks(ctx, "ana@example.org", 10)
	if err != nil || len(tasks) != 2 || tasks[0].Title != "soon" {
		t.Fatalf("tasks = %+v, %v", tasks, err)
	}
	if err := st.CompleteTask(ctx, id, tasks[0].ID, "ana", now); err != nil {
		t.Fatal(err)
	}
	if err := st.CompleteTask(ctx, id, tasks[0].ID, "ana", now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("completing twice: %v", err)
	}
	if tasks, _ := st.ListOpenTasks(ctx, "ana@example.org", 10); len(tasks) != 1 {
		t.Fatalf("open tasks after completing one = %+v", tasks)
	}

	r := &model.Reply{CaseID: id, Text: "Sorry to hear about your claim", Visibility: "public", State: model.ReplyAwaitingApproval,
		OverrideReason: "the author said it first", Author: "ana", CreatedAt: now}
	if err := st.AddReply(ctx, r, nil); err != nil {
		t.Fatal(err)
	}
	c, _ = st.GetCase(ctx, id)
	if c.FirstResponseAt != nil || c.Replies[0].OverrideReason != "the author said it first" || c.Replies[0].State != model.ReplyAwaitingApproval {
		t.Fatalf("held reply: first response %v, reply %+v", c.FirstResponseAt, c.Replies[0])
	}
	if err := st.ApproveReply(ctx, id, r.ID, "sam", now, respond(now)); err != nil {
		t.Fatal(err)
	}
	if err := st.ApproveReply(ctx, id, r.ID, "sam", now, respond(now)); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("approving twice: %v", err)
	}
	c, _ = st.GetCase(ctx, id)
	if c.FirstResponseAt == nil || c.Replies[0].State != model.ReplyQueued || c.Status != model.StatusOpen {
		t.Fatalf("approved: first response %v, reply %+v, status %s", c.FirstResponseAt, c.Replies[0], c.Status)
	}

	team, site := "claims", "north"
	if err := storetest.PutTeam(ctx, st, model.Team{ID: team, Name: "Claims"}); err != nil {
		t.Fatal(err)
	}
	if err := storetest.PutSite(ctx, st, model.Site{ID: site, Name: "North"}); err != nil {
		t.Fatal(err)
	}
	if err := st.HandOff(ctx, id, store.Assignment{Team: &team, Site: &site}, "Billing error, member called twice", "ana", now); err != nil {
		t.Fatal(err)
	}
	c, _ = st.GetCase(ctx, id)
	last := c.Events[len(c.Events)-1]
	if c.Team != "claims" || c.Site != "north" || len(c.Notes) != 1 || last.Type != model.EventHandedOff {
		t.Fatalf("hand-off: team %q site %q notes %d last event %s", c.Team, c.Site, len(c.Notes), last.Type)
	}
}
