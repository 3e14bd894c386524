package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2ESignInStaysHomeAndRefusesWeakPasswords drives the browser: a
// next that Chromium would turn into another site (a tab in "/<tab>/host")
// leads to the inbox here, and a common new password is refused with the
// reason on the page.
func TestE2ESignInStaysHomeAndRefusesWeakPasswords(t *testing.T) {
	h := newHarness(t)
	tb := newTab(t, h)
	tb.run(
		chromedp.Navigate(h.srv.URL+"/login?next="+url.QueryEscape("/\t/evil.example/x")),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), "agent@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
		chromedp.Submit(chromedp.CSS(`#password`)),
		chromedp.WaitVisible(chromedp.CSS(`#rows`)),
	)
	if loc := eval[string](tb, `location.href`); loc != h.srv.URL+"/" {
		t.Fatalf("after sign-in the browser is at %q, want %q", loc, h.srv.URL+"/")
	}
	tb.run(
		chromedp.Navigate(h.srv.URL+"/password"),
		chromedp.WaitVisible(chromedp.CSS(`#current`)),
		chromedp.SendKeys(chromedp.CSS(`#current`), testPassword),
		chromedp.SendKeys(chromedp.CSS(`#new`), "Password1234"),
		chromedp.SendKeys(chromedp.CSS(`#confirm`), "Password1234"),
	)
	tb.submit(`#confirm`)
	if msg := tb.text(`p.error`); !strings.Contains(msg, "too common") {
		t.Fatalf("weak new password: the page says %q", msg)
	}
}
