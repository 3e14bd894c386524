package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"earshot/internal/org"
)

// benchLoad is how long each rate is held in BenchmarkWebhookToInbox.
const benchLoad = 3 * time.Second

// BenchmarkWebhookToInbox measures how long a signed X Activity API
// delivery takes to become a case in the inbox, under serve with the
// real X webhook (signature check, parse, the ingest pipeline, the
// store), at a fixed rate of new mentions, each its own conversation.
// Deliveries go out on schedule whether or not earlier ones have been
// answered (an open loop, as a platform delivers), and latency runs from
// the scheduled send to the answer: the handler stores the mention
// before it answers 200, and the pass checks that every answered
// delivery is in the store. It reports p50 and p99 in milliseconds and
// the rate achieved. Run with
//
//	go test -run '^$' -bench WebhookToInbox ./internal/app/
func BenchmarkWebhookToInbox(b *testing.B) {
	for _, rate := range []int{100, 1000} {
		b.Run(fmt.Sprintf("%d_per_s", rate), func(b *testing.B) { benchWebhookRate(b, rate) })
	}
}

func benchWebhookRate(b *testing.B, rate int) {
	ctx := context.Background()
	env := map[string]string{"ACME_X_TOKEN": "x-user-token", "ACME_X_SECRET": "consumer-secret"}
	s := build(b, Config{Getenv: func(k string) string { return env[k] }})
	src := `organization: Acme Health
timezone: UTC
channels:
  - {id: acme-x, platform: x, account_id: "42", name: "@acmehealth", token_env: ACME_X_TOKEN, secret_env: ACME_X_SECRET}
`
	o, err := org.Parse([]byte(src))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Store().ApplyOrg(ctx, []byte(src), o, "bench", time.Now().UTC()); err != nil {
		b.Fatal(err)
	}
	if err := s.ReloadOrg(ctx); err != nil {
		b.Fatal(err)
	}
	run(b, s)

	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxConnsPerHost: 256, MaxIdleConnsPerHost: 256}}
	defer client.CloseIdleConnections()
	var seq atomic.Int64
	deliver := func() error {
		n := seq.Add(1)
		at := time.Now().UTC().Add(-time.Minute).Format(time.RFC3339)
		id := fmt.Sprint(1800000000000000000 + n)
		body := `{"data":{"event_uuid":"e-` + id + `","filter":{"user_id":"42"},"event_type":"post.mention.create",
			"payload":{"id":"` + id + `","text":"@acmehealth my member card number ` + id + ` never came and I need my meds","author_id":"` + fmt.Sprint(7000+n) + `",
			"created_at":"` + at + `","conversation_id":"` + id + `"},
			"includes":{"users":[{"id":"` + fmt.Sprint(7000+n) + `","username":"member_` + fmt.Sprint(n) + `","name":"Member"}]}}}`
		req, err := http.NewRequest("POST", s.URL()+"/webhooks/x", strings.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("x-twitter-webhooks-signature", xSign("consumer-secret", []byte(body)))
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("delivery answered %d", res.StatusCode)
		}
		return nil
	}
	// Warm up the connections, the analyser and the store's caches.
	for range 20 {
		if err := deliver(); err != nil {
			b.Fatal(err)
		}
	}
	stored := func() int {
		total, _, err := s.Store().MentionCounts(ctx, time.Now().Add(-48*time.Hour), time.Now().Add(time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		return total
	}

	var lat []time.Duration
	var achieved float64
	var failed int
	b.ResetTimer()
	for range b.N {
		before := stored()
		lat, achieved, failed = webhookPass(rate, benchLoad, deliver)
		b.StopTimer()
		if got := stored() - before; got != len(lat) {
			b.Fatalf("%d deliveries answered 200, %d mentions stored", len(lat), got)
		}
		b.StartTimer()
	}
	b.StopTimer()
	if failed > 0 {
		b.Logf("%d deliveries of %d failed", failed, failed+len(lat))
	}
	slices.Sort(lat)
	b.ReportMetric(ms(quantile(lat, 0.50)), "p50_ms")
	b.ReportMetric(ms(quantile(lat, 0.99)), "p99_ms")
	b.ReportMetric(achieved, "events/s")
	b.ReportMetric(float64(failed), "failed")
}

// webhookPass sends deliveries at rate a second for d, each on schedule
// in its own goroutine, and returns the latencies of those that
// succeeded (from the scheduled send to the answer), the rate of
// successful deliveries achieved (until the last answer) and how many
// failed.
func webhookPass(rate int, d time.Duration, deliver func() error) (lat []time.Duration, achieved float64, failed int) {
	total := rate * int(d/time.Second)
	interval := time.Second / time.Duration(rate)
	var (
		mu   sync.Mutex
		last time.Time
		wg   sync.WaitGroup
	)
	start := time.Now()
	for i := range total {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		wg.Go(func() {
			err := deliver()
			done := time.Now()
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed++
				return
			}
			lat = append(lat, done.Sub(due))
			if done.After(last) {
				last = done
			}
		})
	}
	wg.Wait()
	if len(lat) > 0 {
		achieved = float64(len(lat)) / last.Sub(start).Seconds()
	}
	return lat, achieved, failed
}

// quantile returns the q-quantile of sorted (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
