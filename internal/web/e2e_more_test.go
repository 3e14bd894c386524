package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// waitJS polls until the JavaScript expression is true, also across a
// navigation (evaluation fails while the page changes).
func (tb *tab) waitJS(js string) {
	tb.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			tb.fail(fmt.Errorf("waiting for %s: %v", js, err))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestE2EKeyboard(t *testing.T) {
	h := newHarness(t)
	for i, who := range []string{"ana", "ben", "cy"} {
		h.mention(fmt.Sprint(500+i), who, "Where is my new ID card?")
	}
	tb := newTab(t, h)
	tb.signIn("agent")
	eval[bool](tb, `document.activeElement.blur(), true`)
	selected := func() int {
		return eval[int](tb, `Array.prototype.indexOf.call(document.querySelectorAll('#rows tr[data-href]'), document.querySelector('#rows tr.sel'))`)
	}
	steps := []struct {
		key  string
		want int
	}{{"j", 0}, {"j", 1}, {"j", 2}, {"j", 2}, {"k", 1}}
	for _, s := range steps {
		tb.run(chromedp.KeyEvent(s.key))
		if got := selected(); got != s.want {
			t.Fatalf("after %q the selected row is %d, want %d", s.key, got, s.want)
		}
	}
	if sel := eval[string](tb, `document.querySelector('#rows tr.sel').getAttribute('aria-selected')`); sel != "true" {
		t.Fatalf("selected row aria-selected = %q", sel)
	}

	// ? shows the keys; Escape closes them.
	tb.run(chromedp.KeyEvent("?"))
	tb.waitJS(`document.getElementById('keys').open`)
	if txt := tb.text("#keys"); !strings.Contains(txt, "next / previous case") {
		t.Fatalf("keys dialog = %q", txt)
	}
	tb.run(chromedp.KeyEvent("\x1b"))
	tb.waitJS(`!document.getElementById('keys').open`)

	// / goes to search, where letters are typed, not taken as keys.
	tb.run(chromedp.KeyEvent("/"))
	tb.waitJS(`document.activeElement && document.activeElement.id === 'q'`)
	// (The synthetic "/" may also land in the box; a person's does not.)
	eval[bool](tb, `document.getElementById('q').value = '', true`)
	tb.run(chromedp.KeyEvent("jk"))
	if v := eval[string](tb, `document.getElementById('q').value`); v != "jk" {
		t.Fatalf("search box = %q", v)
	}
	if got := selected(); got != 1 {
		t.Fatalf("typing in search moved the selection to %d", got)
	}

	// Enter opens the selected case.
	eval[bool](tb, `document.activeElement.blur(), true`)
	href := eval[string](tb, `document.querySelector('#rows tr.sel').dataset.href`)
	tb.run(chromedp.KeyEvent("\r"))
	// The key handlers are wired once the deferred script has run.
	tb.waitJS(fmt.Sprintf(`location.pathname === %q && !!document.getElementById('reply-text') && document.documentElement.dataset.ready === '1'`, href))
	// r on the case page goes to the reply box.
	tb.run(chromedp.KeyEvent("r"))
	tb.waitJS(`document.activeElement && document.activeElement.id === 'reply-text'`)
}

func TestE2EDraftSurvivesReload(t *testing.T) {
	h := newHarness(t)
	id := h.mention("600", "dee", "Billing charged me twice")
	tb := newTab(t, h)
	tb.signIn("agent")
	tb.run(chromedp.Navigate(fmt.Sprintf("%s/cases/%d", h.srv.URL, id)), chromedp.WaitVisible(chromedp.CSS(`#reply-text`)))
	tb.run(
		chromedp.SendKeys(chromedp.CSS(`#reply-text`), "Sorry for the double charge, we are on it"),
		chromedp.SendKeys(chromedp.CSS(`#note-text`), "Check the refund queue"),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`#reply-text`)),
	)
	if v := eval[string](tb, `document.getElementById('reply-text').value`); v != "Sorry for the double charge, we are on it" {
		t.Fatalf("reply draft after reload = %q", v)
	}
	if v := eval[string](tb, `document.getElementById('note-text').value`); v != "Check the refund queue" {
		t.Fatalf("note draft after reload = %q", v)
	}
	// Sending the note clears its draft, and only its draft.
	tb.submit(`#note-text`)
	tb.run(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#note-text`)))
	if v := eval[string](tb, `document.getElementById('note-text').value`); v != "" {
		t.Fatalf("note draft survived sending: %q", v)
	}
	if v := eval[string](tb, `document.getElementById('reply-text').value`); v == "" {
		t.Fatal("sending a note lost the reply draft")
	}
}

func TestE2EPhoneLayout(t *testing.T) {
	h := newHarness(t)
	id := h.mention("700", "a_person_with_a_rather_long_handle_indeed", strings.Repeat("Supercalifragilistic ", 3)+
		"https://example.org/a/very/long/link/that/should/wrap/and/not/push/the/page/sideways/at/all/ever")
	tb := newTab(t, h)
	tb.run(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	tb.signIn("supervisor")
	for _, path := range []string{"/", fmt.Sprintf("/cases/%d", id), "/tasks", "/praise", "/notifications", "/approvals", "/settings"} {
		tb.run(chromedp.Navigate(h.srv.URL+path), chromedp.WaitVisible(chromedp.CSS(`main`)))
		w := eval[int](tb, `document.documentElement.scrollWidth`)
		vw := eval[int](tb, `window.innerWidth`)
		if vw != 390 || w > vw {
			t.Errorf("%s at a 390 px viewport: page is %d px wide (viewport %d)", path, w, vw)
		}
	}
}

func TestE2ENotificationBadgeLive(t *testing.T) {
	h := newHarness(t)
	id := h.mention("800", "eve", "Nobody answers the phone")
	tb := newTab(t, h)
	tb.signIn("agent")
	tb.run(chromedp.WaitReady(chromedp.CSS(`#live[data-connected]`)))
	if !eval[bool](tb, `document.getElementById('unread').hidden`) {
		t.Fatal("the badge shows before any notification")
	}
	sup := h.signIn("supervisor")
	if code, _, _ := h.post(sup, fmt.Sprintf("/cases/%d/note", id), url.Values{"text": {"@agent please call them"}}); code != 303 {
		t.Fatalf("note: %d", code)
	}
	tb.waitJS(`!document.getElementById('unread').hidden && document.getElementById('unread-n').textContent === '1'`)
}

// TestE2ESearchFindsNewMentions searches from the inbox's box, as an
// agent does, for words of mentions just stored: by text and by author.
func TestE2ESearchFindsNewMentions(t *testing.T) {
	h := newHarness(t)
	card := h.mention("700", "sam_k", "My zorblax card never came and nobody answers")
	other := h.mention("701", "lee_b", "Question about my billing statement")
	tb := newTab(t, h)
	tb.signIn("agent")
	rows := func() string {
		return eval[string](tb, `[...document.querySelectorAll('#rows tr')].map(r => r.dataset.href).join(' ')`)
	}
	for _, tc := range []struct {
		query     string
		want, not int64
	}{{"zorblax", card, other}, {"lee_b", other, card}} {
		tb.run(chromedp.Navigate(h.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#q`)))
		tb.run(chromedp.SendKeys(chromedp.CSS(`#q`), tc.query+"\r"))
		tb.waitJS(fmt.Sprintf(`new URLSearchParams(location.search).get('q') === %q && document.documentElement.dataset.ready === '1'`, tc.query))
		got := rows()
		if !strings.Contains(got+" ", fmt.Sprintf("/cases/%d ", tc.want)) || strings.Contains(got+" ", fmt.Sprintf("/cases/%d ", tc.not)) {
			t.Fatalf("search %q listed %q, want case %d and not %d", tc.query, got, tc.want, tc.not)
		}
	}
}

// TestE2EInboxSaysWhatItCannotUse opens the inbox, as a damaged or
// hand-edited link would, with a cursor this server never issued and a
// search holding a NUL: the page says why in an alert above the queue
// (the first page, everything), and a search with punctuation between
// its words, typed in the box, finds the mention that has the words.
func TestE2EInboxSaysWhatItCannotUse(t *testing.T) {
	h := newHarness(t)
	id := h.mention("710", "rae_p", "My claim was denied again")
	tb := newTab(t, h)
	tb.signIn("agent")
	row := fmt.Sprintf("/cases/%d", id)
	for _, tc := range []struct{ query, alert string }{
		{"cursor=zz!!", "not one this server issued"},
		{"q=claim%00", "q contains a NUL character"},
	} {
		tb.run(chromedp.Navigate(h.srv.URL+"/?"+tc.query), chromedp.WaitVisible(chromedp.CSS(`#rows`)))
		tb.waitText(`.error[role=alert]`, tc.alert)
		if rows := eval[string](tb, `[...document.querySelectorAll('#rows tr')].map(r => r.dataset.href).join(' ')`); !strings.Contains(rows, row) {
			t.Fatalf("inbox ?%s lists %q, want case %d", tc.query, rows, id)
		}
	}
	tb.run(chromedp.Navigate(h.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#q`)))
	tb.run(chromedp.SendKeys(chromedp.CSS(`#q`), "claim - denied\r"))
	tb.waitJS(`new URLSearchParams(location.search).get('q') === 'claim - denied' && document.documentElement.dataset.ready === '1'`)
	if rows := eval[string](tb, `[...document.querySelectorAll('#rows tr')].map(r => r.dataset.href).join(' ')`); !strings.Contains(rows, row) {
		t.Fatalf("search %q lists %q, want case %d", "claim - denied", rows, id)
	}
	if n := eval[int](tb, `document.querySelectorAll('.error[role=alert]').length`); n != 0 {
		t.Fatalf("a good search shows %d alerts", n)
	}
}
