package model

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

func TestTimeline(t *testing.T) {
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	opened := Event{ID: 1, CaseID: 7, Type: EventCaseOpened, CreatedAt: at(0)}
	routed := Event{ID: 2, CaseID: 7, Type: EventRouted, Actor: "router", CreatedAt: at(0)}
	note := Event{ID: 3, CaseID: 7, Type: EventNoteAdded, CreatedAt: at(5)}
	reopened := Event{ID: 4, CaseID: 7, Type: EventReopened, CreatedAt: at(9)}
	openedBy := func(mention int64, when time.Time) Event {
		data, _ := json.Marshal(mentionAddedData{MentionID: mention, Direction: DirectionInbound})
		return Event{ID: 5, CaseID: 7, Type: EventCaseOpened, Data: data, CreatedAt: when}
	}
	m := func(id int64, received, posted time.Time, dir string) Mention {
		return Mention{ID: id, CaseID: 7, Direction: dir, ReceivedAt: received, CreatedAt: posted}
	}
	for _, tc := range []struct {
		name     string
		events   []Event
		mentions []Mention
		// want lists the entries as "type" or "mention_added:<id>".
		want []string
	}{
		{"no mentions", []Event{opened, note}, nil, []string{"case_opened", "note_added"}},
		{"opening first, then its mention, then what it caused",
			[]Event{opened, routed, note, reopened},
			[]Mention{m(10, at(0), at(-60), DirectionInbound), m(11, at(3), at(2), DirectionInbound), m(12, at(9), at(8), DirectionOutbound)},
			[]string{"case_opened", "mention_added:10", "routed", "mention_added:11", "note_added", "mention_added:12", "reopened"}},
		{"by arrival, not by posting time",
			[]Event{opened},
			[]Mention{m(20, at(4), at(1), DirectionInbound), m(21, at(2), at(3), DirectionInbound)},
			[]string{"case_opened", "mention_added:21", "mention_added:20"}},
		{"a mention stored before the case opened joins it at the opening, after the one that opened it",
			[]Event{openedBy(40, at(2)), note},
			[]Mention{m(41, at(0), at(1), DirectionOutbound), m(40, at(2), at(0), DirectionInbound), m(42, at(6), at(6), DirectionInbound)},
			[]string{"case_opened", "mention_added:40", "mention_added:41", "note_added", "mention_added:42"}},
		{"several stored before the opening keep their order",
			[]Event{openedBy(50, at(3))},
			[]Mention{m(52, at(1), at(1), DirectionOutbound), m(51, at(0), at(0), DirectionOutbound), m(50, at(3), at(0), DirectionInbound)},
			[]string{"case_opened", "mention_added:50", "mention_added:52", "mention_added:51"}},
		{"a mention without an arrival time goes by its posting time",
			[]Event{opened, note},
			[]Mention{m(30, time.Time{}, at(7), DirectionInbound)},
			[]string{"case_opened", "note_added", "mention_added:30"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			events := append([]Event(nil), tc.events...)
			got := Timeline(events, tc.mentions)
			var names []string
			for _, e := range got {
				if e.Type != EventMentionAdded {
					if e.Derived {
						t.Errorf("stored event %+v marked derived", e)
					}
					names = append(names, string(e.Type))
					continue
				}
				var d mentionAddedData
				if err := json.Unmarshal(e.Data, &d); err != nil {
					t.Fatal(err)
				}
				if !e.Derived || e.ID != 0 || e.CaseID != 7 || d.Direction == "" {
					t.Errorf("mention entry %+v, data %s", e, e.Data)
				}
				names = append(names, fmt.Sprintf("mention_added:%d", d.MentionID))
			}
			for i, e := range got {
				if i > 0 && e.CreatedAt.Before(got[0].CreatedAt) && got[0].Type == EventCaseOpened {
					t.Errorf("entry %d (%s) at %v, before the case opened at %v", i, e.Type, e.CreatedAt, got[0].CreatedAt)
				}
			}
			if fmt.Sprint(names) != fmt.Sprint(tc.want) {
				t.Errorf("timeline %v, want %v", names, tc.want)
			}
			if fmt.Sprint(events) != fmt.Sprint(tc.events) {
				t.Error("Timeline changed the events it was given")
			}
		})
	}
	// A derived entry has no id in JSON; a stored event keeps its id.
	b, _ := json.Marshal(Timeline([]Event{opened}, []Mention{m(10, at(1), at(1), DirectionInbound)}))
	var raw []map[string]any
	json.Unmarshal(b, &raw)
	if _, ok := raw[0]["id"]; !ok || raw[0]["derived"] != nil {
		t.Errorf("stored event JSON %v", raw[0])
	}
	if _, ok := raw[1]["id"]; ok || raw[1]["derived"] != true {
		t.Errorf("derived entry JSON %v", raw[1])
	}
}

func TestMentionJoinedAt(t *testing.T) {
	t0 := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	opened := []Event{{ID: 1, Type: EventRouted, CreatedAt: t0.Add(-time.Hour)}, {ID: 2, Type: EventCaseOpened, CreatedAt: t0}}
	for _, tc := range []struct {
		name   string
		events []Event
		m      Mention
		want   time.Time
	}{
		{"after the opening: its arrival", opened, Mention{ReceivedAt: t0.Add(time.Minute), CreatedAt: t0.Add(-time.Hour)}, t0.Add(time.Minute)},
		{"before the opening: the opening", opened, Mention{ReceivedAt: t0.Add(-2 * time.Second)}, t0},
		{"no arrival time: its posting time", opened, Mention{CreatedAt: t0.Add(time.Hour)}, t0.Add(time.Hour)},
		{"no opening event: its arrival", opened[:1], Mention{ReceivedAt: t0.Add(-2 * time.Hour)}, t0.Add(-2 * time.Hour)},
	} {
		if got := MentionJoinedAt(tc.events, &tc.m); !got.Equal(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
