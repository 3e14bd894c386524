package store

import (
	"testing"
	"time"

	"earshot/internal/model"
)

func TestTimersRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
	in := []model.SLATimer{
		{Deadline: model.DeadlineFirstResponse, Stage: model.StageWarning, At: at, Due: at.Add(time.Hour), Fired: true},
		{Deadline: model.DeadlineResolution, Stage: model.StageBreach, At: at.Add(72 * time.Hour), Due: at.Add(72 * time.Hour)},
		{Deadline: model.DeadlineNextResponse, Stage: model.StageBreach, At: at.Add(time.Minute), Due: at.Add(time.Minute)},
	}
	out, err := decodeTimers(encodeTimers(in))
	if err != nil || len(out) != len(in) {
		t.Fatalf("decode: %v %v", out, err)
	}
	for i := range in {
		if out[i] != in[i] {
			t.Errorf("timer %d: %+v, want %+v", i, out[i], in[i])
		}
	}
	for _, bad := range []string{"x", "fw,1,2", "zz,1,2,0", "fw,a,2,0"} {
		if _, err := decodeTimers(bad); err == nil {
			t.Errorf("decodeTimers(%q) accepted", bad)
		}
	}
	if ts, err := decodeTimers(""); err != nil || ts != nil {
		t.Errorf("empty: %v %v", ts, err)
	}
}
