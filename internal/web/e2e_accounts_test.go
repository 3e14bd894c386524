package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// apiStatus calls GET /api/v1/cases with a bearer token and returns the
// status.
func apiStatus(t *testing.T, h *harness, secret string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/cases", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func TestE2EAdminManagesTokensAndPeople(t *testing.T) {
	h := newHarness(t)
	tb := newTab(t, h)
	tb.signIn("admin")
	tb.run(chromedp.Navigate(h.srv.URL+"/settings"), chromedp.WaitVisible(chromedp.CSS(`#add-token`)))

	// Create a token: its secret is shown once and works.
	tb.setValue(`#token-name`, "zapier")
	tb.setValue(`#token-role`, "agent")
	tb.submit(`#token-name`)
	tb.waitText(`.one-time`, "zapier")
	secret := eval[string](tb, `document.querySelector('#one-time-value').value`)
	if !strings.HasPrefix(secret, "es_") || apiStatus(t, h, secret) != http.StatusOK {
		t.Fatalf("the created token %q does not work", secret)
	}
	// Revoke it: the next request is refused.
	tb.submit(`tr[data-name="zapier"] button.revoke`)
	tb.waitText(`tr[data-name="zapier"]`, "revoked")
	if n := eval[int](tb, `document.querySelectorAll('#one-time-value').length`); n != 0 {
		t.Fatal("the secret is shown again after revoking")
	}
	if code := apiStatus(t, h, secret); code != http.StatusUnauthorized {
		t.Fatalf("a revoked token gets %d", code)
	}

	// Deactivate the agent, who is signed in elsewhere: they are out and
	// cannot sign in again.
	agent := newTab(t, h)
	agent.signIn("agent")
	tb.submit(`tr[data-email="agent@example.org"] button.deactivate`)
	tb.waitText(`tr[data-email="agent@example.org"]`, "deactivated")
	agent.run(chromedp.Navigate(h.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#password`)))
	agent.run(
		chromedp.SendKeys(chromedp.CSS(`#email`), "agent@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#password`), testPassword),
	)
	agent.submit(`#password`)
	agent.waitText(`.error`, "This account has been deactivated")
	if got := eval[string](agent, `location.pathname`); got != "/login" {
		t.Fatalf("a deactivated agent reached %s", got)
	}
}
