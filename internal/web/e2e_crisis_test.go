package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"earshot/internal/model"
)

// TestE2ECrisisPanel: in the browser, a critical case opens with the
// crisis panel (reasons, who to call, steps, the public reply); its
// button puts the public reply in the composer as a public reply; a
// public reply that discusses the crisis is refused with the words
// marked and why, and Use suggestion puts the protocol's reply in the
// composer, which then goes.
func TestE2ECrisisPanel(t *testing.T) {
	h := crisisHarness(t, crisisOrgFile)
	id, labels := criticalCase(t, h)
	tb := newTab(t, h)
	tb.signIn("agent")
	tb.run(chromedp.Navigate(fmt.Sprintf("%s/cases/%d", h.srv.URL, id)), chromedp.WaitVisible(chromedp.CSS(`#crisis`)))
	tb.waitReady()
	reasons := tb.text("#crisis-reasons")
	for _, l := range labels {
		if !strings.Contains(reasons, l) {
			t.Errorf("crisis reasons %q lack %q", reasons, l)
		}
	}
	if href := eval[string](tb, `document.querySelector('#crisis-call a[href^="tel:"]').getAttribute('href')`); href != "tel:+15125550142" {
		t.Errorf("tel link = %q", href)
	}
	if href := eval[string](tb, `document.querySelector('#crisis-call a[href^="mailto:"]').getAttribute('href')`); href != "mailto:risk@lonestarhealth.example" {
		t.Errorf("mailto link = %q", href)
	}
	if steps := eval[int](tb, `document.querySelectorAll('#crisis-steps li').length`); steps != 2 {
		t.Errorf("%d steps shown, want 2", steps)
	}
	// The panel is above everything else of the case.
	if above := eval[bool](tb, `document.querySelector('#crisis').getBoundingClientRect().bottom <= document.querySelector('.case-head').getBoundingClientRect().top`); !above {
		t.Error("the crisis panel is not at the top")
	}

	tb.run(chromedp.Click(chromedp.CSS(`input[name=visibility][value=private]`)))
	tb.run(chromedp.Click(chromedp.CSS(`#use-crisis-reply`)))
	if v := eval[string](tb, `document.querySelector('#reply-text').value`); v != crisisReply {
		t.Fatalf("composer after the panel's button = %q", v)
	}
	if pub := eval[bool](tb, `document.querySelector('input[name=visibility][value=public]').checked`); !pub {
		t.Error("the protocol's public reply was not made public")
	}

	// The live check says it before the send does.
	tb.setValue("#reply-text", "We're so sorry you feel suicidal. Please DM us.")
	tb.waitText("#guard .blocked", "this case is a crisis")
	if m := tb.text(`#guard mark.phi`); m != "suicidal" {
		t.Errorf("live mark = %q", m)
	}
	tb.submit(`#reply-text`)
	tb.run(chromedp.WaitVisible(chromedp.CSS(`#reply-error`)))
	if e := tb.text(`#reply-error`); !strings.Contains(e, "must not discuss it") {
		t.Fatalf("error = %q", e)
	}
	if m := tb.text(`#marked mark`); m != "suicidal" {
		t.Errorf("marked = %q", m)
	}
	if r := tb.text(`#reasons`); !strings.Contains(r, "suicidal") || !strings.Contains(r, "discusses the crisis in public") {
		t.Errorf("reasons = %q", r)
	}
	tb.run(chromedp.Click(chromedp.CSS(`#use-suggestion`)))
	if v := eval[string](tb, `document.querySelector('#reply-text').value`); v != crisisReply {
		t.Fatalf("composer after Use suggestion = %q", v)
	}
	tb.submit(`#reply-text`)
	tb.run(chromedp.WaitVisible(chromedp.CSS(`#flash`)))
	c, err := h.st.GetCase(tb.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Replies) != 1 || c.Replies[0].Text != crisisReply || c.Replies[0].Visibility != model.VisibilityPublic {
		t.Fatalf("replies: %+v", c.Replies)
	}
}

// TestE2ERefusalShowsWordsAndWhy: in the browser, a public reply that
// the guard in force refuses (a social security number) comes back with
// the words marked and a reason listed for them; Use suggestion, when
// the guard suggests a rewrite, puts it in the composer, and is absent
// when it does not.
func TestE2ERefusalShowsWordsAndWhy(t *testing.T) {
	h := newHarness(t)
	id := h.mention("1", "gil", "Where is my new card?")
	text := "We found SSN 123-45-6789 on the form, please DM us."
	want := h.app.guard.Check(text, model.VisibilityPublic)
	if !want.Blocked {
		t.Fatalf("the guard lets %q go", text)
	}
	tb := newTab(t, h)
	tb.signIn("agent")
	tb.run(chromedp.Navigate(fmt.Sprintf("%s/cases/%d", h.srv.URL, id)), chromedp.WaitVisible(chromedp.CSS(`#reply-text`)))
	tb.waitReady()
	tb.run(chromedp.Click(chromedp.CSS(`input[name=visibility][value=public]`)))
	tb.setValue("#reply-text", text)
	tb.submit(`#reply-text`)
	tb.run(chromedp.WaitVisible(chromedp.CSS(`#reply-error`)))
	if m := tb.text(`#marked mark.phi`); !strings.Contains(m, "123-45-6789") {
		t.Errorf("marked = %q", m)
	}
	if n := eval[int](tb, `document.querySelectorAll('#reasons li').length`); n == 0 {
		t.Fatal("no reasons listed")
	}
	if r := tb.text(`#reasons`); !strings.Contains(r, "123-45-6789") {
		t.Errorf("reasons = %q", r)
	}
	has := eval[bool](tb, `!!document.querySelector('#use-suggestion')`)
	if has != (want.Suggestion != "") {
		t.Fatalf("Use suggestion shown: %v; the guard suggests %q", has, want.Suggestion)
	}
	if has {
		tb.run(chromedp.Click(chromedp.CSS(`#use-suggestion`)))
		if v := eval[string](tb, `document.querySelector('#reply-text').value`); v != want.Suggestion {
			t.Errorf("composer after Use suggestion = %q, want %q", v, want.Suggestion)
		}
	}
}
