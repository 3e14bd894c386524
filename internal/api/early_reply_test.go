package api

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"earshot/internal/model"
)

// ourReplyJSON is our account's reply id to parent, minutes after the
// test's start.
func ourReplyJSON(id, parent string, minutes int) string {
	at := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(minutes) * time.Minute)
	b, _ := json.Marshal(map[string]any{"platform": "x", "channel": "lonestar", "external_id": id, "direction": "outbound",
		"kind": "comment", "in_reply_to": parent, "thread_id": parent, "text": "We're sorry! Please send us a DM.",
		"created_at": at.Format(time.RFC3339), "author": map[string]any{"id": "org", "handle": "lonestar"}})
	return string(b)
}

// A reply of ours posted before the mention it answers (in an earlier
// request, or earlier in the same one) is in that mention's case once
// it arrives: GET /api/v1/cases/{id} shows the first response, the
// reply among the mentions and in the timeline; posting it all again
// answers duplicates with the same ids.
func TestReplyBeforeParentThroughAPI(t *testing.T) {
	for _, tc := range []struct {
		name     string
		requests [][]string
	}{
		{"two requests", [][]string{{ourReplyJSON("r1", "m1", 20)}, {mentionJSON("m1", "ann", "My claim was denied twice", 0)}}},
		{"one request, reply first", [][]string{{ourReplyJSON("r1", "m1", 20), mentionJSON("m1", "ann", "My claim was denied twice", 0)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			ids := map[string]resultItem{}
			var all []string
			for _, lines := range tc.requests {
				res := h.ingest(lines...)
				for i, r := range res {
					var m struct {
						ExternalID string `json:"external_id"`
					}
					json.Unmarshal([]byte(lines[i]), &m)
					ids[m.ExternalID] = r
				}
				all = append(all, lines...)
			}
			parent, reply := ids["m1"], ids["r1"]
			if parent.CaseID == 0 {
				t.Fatalf("parent has no case: %+v", parent)
			}
			if len(tc.requests) == 1 && reply.CaseID != parent.CaseID {
				t.Errorf("reply answered case %d in its parent's request, want %d", reply.CaseID, parent.CaseID)
			}
			var raw map[string]json.RawMessage
			if code := h.do(model.RoleViewer, "GET", fmt.Sprintf("/api/v1/cases/%d", parent.CaseID), "", &raw); code != 200 {
				t.Fatalf("get case: %d", code)
			}
			var c model.Case
			body, _ := json.Marshal(raw)
			if err := json.Unmarshal(body, &c); err != nil {
				t.Fatal(err)
			}
			want := time.Date(2026, 4, 1, 9, 20, 0, 0, time.UTC)
			if string(raw["first_response_at"]) == "null" || c.FirstResponseAt == nil || !c.FirstResponseAt.Equal(want) {
				t.Errorf("first_response_at %s, want %v", raw["first_response_at"], want)
			}
			if c.Status != model.StatusOpen || c.MentionCount != 2 {
				t.Errorf("status %s, mention count %d", c.Status, c.MentionCount)
			}
			var got []int64
			for _, m := range c.Mentions {
				got = append(got, m.ID)
			}
			if !slices.Equal(got, []int64{parent.ID, reply.ID}) || c.Mentions[1].Direction != model.DirectionOutbound {
				t.Errorf("mentions %v, want the parent %d then our reply %d", got, parent.ID, reply.ID)
			}
			// The list shows the mention that opened the case, not our
			// reply stored before it.
			var list struct {
				Cases []model.Case `json:"cases"`
			}
			if code := h.do(model.RoleViewer, "GET", "/api/v1/cases", "", &list); code != 200 || len(list.Cases) != 1 {
				t.Fatalf("list: %d, %d cases", code, len(list.Cases))
			}
			if ms := list.Cases[0].Mentions; len(ms) != 1 || ms[0].ID != parent.ID {
				t.Errorf("list mentions %+v, want the parent %d alone (it opened the case and arrived last)", ms, parent.ID)
			}
			var inTimeline bool
			for _, e := range c.Events {
				var d struct {
					MentionID int64 `json:"mention_id"`
				}
				json.Unmarshal(e.Data, &d)
				inTimeline = inTimeline || e.Type == model.EventMentionAdded && d.MentionID == reply.ID
			}
			if !inTimeline {
				t.Errorf("the reply is not in the timeline: %+v", c.Events)
			}

			for i, r := range h.ingest(all...) {
				var m struct {
					ExternalID string `json:"external_id"`
				}
				json.Unmarshal([]byte(all[i]), &m)
				prev := ids[m.ExternalID]
				if r.Duplicate == nil || !*r.Duplicate || r.ID != prev.ID || r.CaseID != parent.CaseID {
					t.Errorf("again %s: %+v, want a duplicate of %d in case %d", m.ExternalID, r, prev.ID, parent.CaseID)
				}
			}
		})
	}
}
