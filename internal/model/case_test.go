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
					names = append(names, e.Type)
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
