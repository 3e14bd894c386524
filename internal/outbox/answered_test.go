package outbox

import (
	"testing"
	"time"

	"earshot/internal/model"
)

func TestAnsweredIsTheLatestInboundBeforeTheReply(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	m := func(ext, dir string, at time.Duration) model.Mention {
		return model.Mention{ExternalID: ext, Direction: dir, CreatedAt: t0.Add(at), ReceivedAt: t0.Add(at)}
	}
	rp := model.Reply{CreatedAt: t0.Add(10 * time.Minute)}
	for _, tc := range []struct {
		name     string
		mentions []model.Mention
		want     string
	}{
		{"latest before", []model.Mention{m("1", "inbound", 0), m("2", "inbound", 5*time.Minute), m("3", "outbound", 6*time.Minute)}, "2"},
		{"one that came after is not answered", []model.Mention{m("1", "inbound", 0), m("4", "inbound", 20*time.Minute)}, "1"},
		{"only later ones", []model.Mention{m("4", "inbound", 20*time.Minute), m("5", "inbound", 30*time.Minute)}, "5"},
		{"only ours", []model.Mention{m("6", "outbound", 0)}, "6"},
		{"none", nil, ""},
	} {
		if got := answered(&model.Case{Mentions: tc.mentions}, rp).ExternalID; got != tc.want {
			t.Errorf("%s: answered %q, want %q", tc.name, got, tc.want)
		}
	}
}
