package redact

import (
	"testing"

	"earshot/internal/model"
)

// A platform's reason for refusing a reply may quote it: a viewer reads
// it masked like the reply itself.
func TestReplyMasksTheDeliveryError(t *testing.T) {
	rp := model.Reply{Text: "call 512-555-0199", ReplyDelivery: model.ReplyDelivery{DeliveryError: "HTTP 403: duplicate of call 512-555-0199", PlatformID: "555"}}
	New(nil, nil).For(model.RoleViewer).Reply(&rp)
	if rp.Text != "call [phone]" || rp.DeliveryError != "HTTP 403: duplicate of call [phone]" || rp.PlatformID != "555" {
		t.Errorf("masked reply = %+v", rp)
	}
}
