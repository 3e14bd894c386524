package outbox_test

import (
	"strings"
	"testing"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/cases"
	"earshot/internal/connector"
	"earshot/internal/ingest"
	"earshot/internal/model"
	"earshot/internal/org"
)

// turnCritical ingests the rig's member's next post, from a person at
// risk now, into the rig's case, which must then be critical.
func (r *rig) turnCritical() {
	r.t.Helper()
	p := ingest.New(r.st, analyze.New(), ingest.Options{})
	res, err := p.Ingest(r.ctx, []model.Mention{{Platform: "x", Channel: "acme", ExternalID: "1002", Kind: "post",
		Text: "I have the pills in my hand and I want to die tonight", CreatedAt: r.now, InReplyTo: "1001", ThreadID: "1001",
		Author: model.Author{ID: "998", Handle: "gil"}}})
	if err != nil || res[0].Err != nil {
		r.t.Fatalf("ingest: %v %+v", err, res)
	}
	if res[0].CaseID != r.caseID {
		r.t.Fatalf("the member's second post opened case %d, not %d", res[0].CaseID, r.caseID)
	}
	c, err := r.st.GetCase(r.ctx, r.caseID)
	if err != nil {
		r.t.Fatal(err)
	}
	if c.Urgency != model.UrgencyCritical {
		r.t.Fatalf("the analyzer reads a person at risk now as %s urgency", c.Urgency)
	}
}

// TestCrisisRuleRefusesAtSendingTime: a public reply queued before its
// case turned critical is judged by the crisis rule when it is to be
// sent, as the composer and approval judge it: one that discusses the
// crisis never leaves and says why with the rule's code; the protocol's
// public reply, one that says nothing of the crisis, and a private one
// that discusses it still go.
func TestCrisisRuleRefusesAtSendingTime(t *testing.T) {
	const protocolReply = "We're concerned and want to help. Please call or text 988 now, or send us a direct message."
	r := newRig(t, answer{sent: connector.Sent{ID: "11"}})
	r.protocol = &org.Crisis{PublicReply: protocolReply}
	discusses := r.reply("So sorry you feel suicidal after your card trouble. Please DM us.", model.VisibilityPublic)
	own := r.reply(protocolReply, model.VisibilityPublic)
	silent := r.reply("Thank you for telling us. Please send us a direct message now.", model.VisibilityPublic)
	private := r.reply("So sorry you feel suicidal. A nurse will call you now.", model.VisibilityPrivate)
	r.turnCritical()
	r.tick(0)
	r.tick(time.Second)

	rp := r.get(discusses)
	if rp.State != model.ReplyFailed || !strings.Contains(rp.DeliveryError, cases.RefusedCrisis) || !strings.Contains(rp.DeliveryError, "crisis rule") {
		t.Errorf("public reply discussing the crisis: state %s, error %q", rp.State, rp.DeliveryError)
	}
	for _, id := range []int64{own, silent, private} {
		if rp := r.get(id); rp.State != model.ReplySent {
			t.Errorf("reply %q: state %s, error %q, want sent", rp.Text, rp.State, rp.DeliveryError)
		}
	}
	// Three of the four went out; the refused one never reached the platform.
	if r.fake.sends() != 3 {
		t.Errorf("%d sends, want 3", r.fake.sends())
	}
	for _, out := range r.fake.got {
		if out.ReplyID == discusses {
			t.Errorf("the refused reply was sent: %+v", out)
		}
	}
}

// TestCrisisRuleWithoutAProtocol: with no crisis protocol in the file,
// a public reply that discusses a crisis goes while its case is not
// critical, and the same words queued again are refused once it is.
func TestCrisisRuleWithoutAProtocol(t *testing.T) {
	const text = "Please don't hurt yourself, message us."
	r := newRig(t, answer{sent: connector.Sent{ID: "11"}})
	before := r.reply(text, model.VisibilityPublic)
	r.tick(0)
	if rp := r.get(before); rp.State != model.ReplySent {
		t.Fatalf("before the case turned critical: state %s, error %q", rp.State, rp.DeliveryError)
	}
	after := r.reply(text, model.VisibilityPublic)
	r.turnCritical()
	r.tick(time.Second)
	if rp := r.get(after); r.fake.sends() != 1 || rp.State != model.ReplyFailed || !strings.Contains(rp.DeliveryError, cases.RefusedCrisis) {
		t.Fatalf("%d sends, reply state %s, error %q", r.fake.sends(), rp.State, rp.DeliveryError)
	}
}
