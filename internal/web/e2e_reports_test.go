package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2EViewerReadsReports signs in as a viewer, opens the reports from
// the menu, changes the window and a filter, follows a figure of the
// volume table to the inbox and sees the cases behind it, and downloads
// a chart's CSV. The data and figures are reportData's.
func TestE2EViewerReadsReports(t *testing.T) {
	h := reportHarness(t)
	tb := newTab(t, h)
	tb.signIn("viewer")
	tb.run(chromedp.Click(chromedp.CSS(`nav a[href="/reports"]`)), chromedp.WaitVisible(chromedp.CSS(`#panel-volume`)))
	tb.waitReady()
	tb.waitText("#report-window", "Thu 5 Feb 2026 to Wed 11 Feb 2026")
	// Last 7 days: ann, bob and cy opened cases.
	if v := tb.text("#fig-cases_opened .fig-value"); !strings.HasPrefix(v, "3") {
		t.Fatalf("cases opened %q, want 3", v)
	}
	// This week (Mon 9 to Sun 15 Feb): bob and cy.
	tb.setValue("#r-window", "this_week")
	tb.submit("#r-window")
	tb.waitText("#report-window", "Mon 9 Feb 2026 to Sun 15 Feb 2026")
	if v := tb.text("#fig-cases_opened .fig-value"); !strings.HasPrefix(v, "2") {
		t.Fatalf("this week: cases opened %q, want 2", v)
	}
	// Choosing a date makes the window custom: Tue 10 Feb alone holds bob
	// and our answer.
	tb.setValue("#r-from", "2026-02-10")
	tb.setValue("#r-to", "2026-02-10")
	if w := eval[string](tb, `document.getElementById("r-window").value`); w != "custom" {
		t.Fatalf("window after choosing dates: %q", w)
	}
	// And a filter: X only.
	tb.setValue("#r-platform", "x")
	tb.submit("#r-platform")
	tb.waitText("#report-window", "Tue 10 Feb 2026 to Tue 10 Feb 2026")
	// One day is hours: 09:00 holds bob, 09:30 our answer, in the 09:00 row.
	row := eval[string](tb, `(function(){var out="";document.querySelectorAll("#table-volume tbody tr").forEach(function(r){if(r.cells[2].textContent.trim()!=="0"||r.querySelector("th").textContent.indexOf("09:00")>=0){out=r.innerText}});return out})()`)
	if !strings.Contains(row, "09:00") || !strings.Contains(row, "1\t1\t2") {
		t.Fatalf("volume row of 09:00: %q, want 1 inbound, 1 outbound, 2 in all", row)
	}
	// Its period links to the inbox: bob's case, with the window and the
	// platform named above the queue.
	eval[bool](tb, `(function(){var a=[].slice.call(document.querySelectorAll("#table-volume tbody th a")).filter(function(a){return a.textContent.indexOf("09:00")>=0})[0]; a.click(); return true})()`)
	tb.run(chromedp.WaitVisible(chromedp.CSS(`#rows`)))
	tb.waitText("#report-filters", "a mention from")
	rows := tb.text("#rows")
	if !strings.Contains(rows, "@bob") || strings.Contains(rows, "@cy") || strings.Contains(rows, "@ann") {
		t.Fatalf("inbox behind 09:00 on 10 Feb: %q, want bob's case alone", rows)
	}
	if p := eval[string](tb, `document.getElementById("f-platform").value`); p != "x" {
		t.Fatalf("inbox platform filter %q, want x", p)
	}
	// Back on the reports, the volume CSV of the same settings.
	tb.run(chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.CSS(`#panel-volume`)))
	csv := eval[string](tb, `fetch(document.querySelector("#panel-volume h2 a").href).then(function(r){var d=r.headers.get("Content-Disposition");return r.text().then(function(t){return d+"\n"+t})})`)
	if !strings.Contains(csv, "earshot-volume-2026-02-10-2026-02-10.csv") || !strings.Contains(csv, "2026-02-10T09:00:00-06:00,1,1,2") {
		t.Fatalf("CSV: %q", csv)
	}
}
