package cases

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"earshot/internal/guard"
	"earshot/internal/input"
	"earshot/internal/model"
	"earshot/internal/route"
	"earshot/internal/store"
)

// Service carries out what agents do on cases, for the web app and the
// API alike: each action runs the case's rules and deadlines within the
// store's write.
type Service struct {
	store  *store.Store
	routes *route.Live
	guard  *guard.Guard
	now    func() time.Time
}

// NewService returns a Service over st, with the deadlines of the
// organisation file in force in routes (nil: no file), judging replies
// with g, on the clock now (nil: time.Now).
func NewService(st *store.Store, routes *route.Live, g *guard.Guard, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: st, routes: routes, guard: g, now: now}
}

func (s *Service) clock() time.Time { return s.now().UTC() }

// Guard is the privacy guard the service judges replies with, for the
// composer's check as the agent types: the same guard, with the same
// organisation contacts, as the send.
func (s *Service) Guard() *guard.Guard { return s.guard }

// Draft is a reply an agent wants to send.
type Draft struct {
	CaseID     int64
	Author     string
	Text       string
	Visibility model.Visibility
	// Template is the id of the reply template it started from, if any.
	Template string
	// OverrideReason is why it may go over a relationship warning.
	OverrideReason string
	// CheckSeen asks to refuse the reply (RefusedColleagueReplied) when
	// the case has more replies than Seen, the number its author saw.
	CheckSeen bool
	Seen      int
}

// Reply runs the reply policy over d and stores the reply: the limits
// of model (text, visibility, override reason, template id), the case
// exists (store.ErrNotFound), a private reply has a private channel on
// the case's platform (RefusedNoPrivateChannel), the template exists, the privacy guard, the
// crisis rule (RefusedCrisis: no public reply that discusses the crisis on a critical case), no
// colleague replied meanwhile (when asked), and, with the reply_approval
// setting on, whether a supervisor must approve it first. It returns the
// stored reply, queued (a response: the case moves on) or awaiting
// approval, or a *Refusal saying why it may not go.
func (s *Service) Reply(ctx context.Context, d Draft) (*model.Reply, error) {
	if ref := checkDraft(&d); ref != nil {
		return nil, ref
	}
	c, err := s.store.GetCase(ctx, d.CaseID)
	if err != nil {
		return nil, err
	}
	if d.Visibility == model.VisibilityPrivate && !HasPrivateChannel(c.Platform) {
		return nil, &Refusal{Code: RefusedNoPrivateChannel, Field: "visibility", Message: NoPrivateChannelMessage}
	}
	if err := s.store.CheckTemplate(ctx, d.Template); err != nil {
		if errors.Is(err, store.ErrInvalid) {
			return nil, &Refusal{Code: RefusedUnknownTemplate, Field: "template", Message: err.Error(), Err: err}
		}
		return nil, err
	}
	// The crisis rule first: its refusal carries the protocol's reply,
	// which a reply that discusses the crisis (and so, often, health
	// information) should be replaced with.
	if ref := CheckCrisisReply(c, d.Text, d.Visibility, s.Protocol()); ref != nil {
		return nil, ref
	}
	verdict, err := s.guard.Vet(d.Text, d.Visibility, d.OverrideReason)
	if gr := (*guard.Refusal)(nil); errors.As(err, &gr) {
		return nil, &Refusal{Code: gr.Code, Guard: gr}
	}
	if err != nil {
		return nil, err
	}
	reason := ""
	if verdict.NeedsReason() {
		reason = d.OverrideReason
	}
	if d.CheckSeen && len(c.Replies) > d.Seen {
		return nil, &Refusal{Code: RefusedColleagueReplied, Message: "a colleague replied while this reply was written",
			Replies: c.Replies[d.Seen:]}
	}
	approval, err := s.store.Setting(ctx, store.SettingApproval)
	if err != nil {
		return nil, err
	}
	rp := &model.Reply{CaseID: d.CaseID, Text: d.Text, Visibility: d.Visibility, Template: d.Template, OverrideReason: reason,
		Author: d.Author, State: model.ReplyQueued, CreatedAt: s.clock()}
	var change store.CaseChange
	if guard.NeedsApproval(approval == "on", d.Visibility, reason != "", c) {
		// Not a response until a supervisor lets it go.
		rp.State = model.ReplyAwaitingApproval
	} else {
		change = s.respond(rp.CreatedAt)
	}
	if err := s.store.AddReply(ctx, rp, change); err != nil {
		return nil, err
	}
	return rp, nil
}

// checkDraft trims d's text and reason and checks them, its visibility
// and its template id against model's limits.
func checkDraft(d *Draft) *Refusal {
	d.Text, d.OverrideReason = strings.TrimSpace(d.Text), strings.TrimSpace(d.OverrideReason)
	if d.Text == "" {
		return &Refusal{Code: RefusedMissing, Field: "text", Message: "text is required"}
	}
	if err := input.Text("text", d.Text, model.MaxReplyBytes); err != nil {
		return badField("text", "%s", err.Error())
	}
	if !d.Visibility.Valid() {
		return badField("visibility", "visibility must be public or private")
	}
	if len(d.OverrideReason) > model.MaxOverrideReasonBytes || input.Check(d.OverrideReason, 0) != "" {
		return badField("override_reason", "override_reason must be at most %d bytes of UTF-8", model.MaxOverrideReasonBytes)
	}
	if len(d.Template) > model.MaxTemplateIDBytes || input.Check(d.Template, 0) != "" {
		return badField("template", "template must be at most %d bytes of UTF-8", model.MaxTemplateIDBytes)
	}
	return nil
}

// respond is Response with the Router in force.
func (s *Service) respond(at time.Time) store.CaseChange {
	return Response(s.routes.Router(), at)
}

// Response is the change our response at `at` makes to its case, for
// the store's write of the reply (see Respond): its activity is then.
func Response(r *route.Router, at time.Time) store.CaseChange {
	return func(c *model.Case) error {
		Respond(r, c, at)
		c.UpdatedAt, c.LastActivityAt = at, at
		return nil
	}
}

// Approve lets reply replyID of case caseID, held for approval, go to
// the outbox as actor's decision: the privacy guard and the crisis rule judge
// it again first (a *Refusal), its author cannot approve it (store.ErrOwnReply),
// and it counts as the case's response.
func (s *Service) Approve(ctx context.Context, caseID, replyID int64, actor string) error {
	rp, err := s.store.Reply(ctx, caseID, replyID)
	if err != nil {
		return err
	}
	c, err := s.store.GetCase(ctx, caseID)
	if err != nil {
		return err
	}
	if err := JudgeStored(s.guard, c, &rp, s.Protocol()); err != nil {
		return err
	}
	at := s.clock()
	return s.store.ApproveReply(ctx, caseID, replyID, actor, at, s.respond(at))
}

// Reject refuses a held reply for reason, as actor's decision; it never
// leaves.
func (s *Service) Reject(ctx context.Context, caseID, replyID int64, actor, reason string) error {
	return s.store.RejectReply(ctx, caseID, replyID, actor, reason, s.clock())
}

// SetStatus moves case id to status as actor, pausing, resuming or
// stopping its deadlines. A status an agent may not set is ErrBadStatus.
func (s *Service) SetStatus(ctx context.Context, id int64, status model.Status, actor string) error {
	if !status.AgentSettable() {
		return fmt.Errorf("status %q: %w", status, ErrBadStatus)
	}
	at := s.clock()
	return s.store.UpdateCase(ctx, id, func(c *model.Case) ([]model.Event, error) {
		e, changed := SetStatus(s.routes.Router(), c, status, actor, at)
		if !changed {
			return nil, nil
		}
		c.UpdatedAt = at
		return []model.Event{e}, nil
	})
}

// Assign changes who handles case id (see store.Assign).
func (s *Service) Assign(ctx context.Context, id int64, a store.Assignment, actor string) error {
	return s.store.Assign(ctx, id, a, actor, s.clock())
}

// HandOff passes case id on with a context note (see store.HandOff).
func (s *Service) HandOff(ctx context.Context, id int64, a store.Assignment, note, actor string) error {
	return s.store.HandOff(ctx, id, a, note, actor, s.clock())
}

// AddNote adds an internal note to its case, written now.
func (s *Service) AddNote(ctx context.Context, n *model.Note) error {
	n.CreatedAt = s.clock()
	return s.store.AddNote(ctx, n)
}

// AddTask adds a follow-up task to its case, created now.
func (s *Service) AddTask(ctx context.Context, t *model.Task) error {
	t.CreatedAt = s.clock()
	return s.store.AddTask(ctx, t)
}

// CompleteTask marks task taskID of case caseID done as actor.
func (s *Service) CompleteTask(ctx context.Context, caseID, taskID int64, actor string) error {
	return s.store.CompleteTask(ctx, caseID, taskID, actor, s.clock())
}
