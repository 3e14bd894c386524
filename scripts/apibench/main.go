// Command apibench measures a running Earshot over loopback: the rate of
// POST /api/v1/mentions with batches of JSON Lines, and the latency of the
// first page of GET /api/v1/cases. scripts/bench.sh runs it.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "Earshot base URL")
	token := flag.String("token", os.Getenv("EARSHOT_TOKEN"), "API token (env EARSHOT_TOKEN)")
	file := flag.String("file", "", "JSON Lines mentions to post (empty: skip the ingest test)")
	batch := flag.Int("batch", 500, "mentions per request")
	conc := flag.Int("concurrency", 4, "requests in flight")
	queries := flag.Int("queries", 500, "GET /api/v1/cases requests to time")
	flag.Parse()
	if *token == "" {
		fmt.Fprintln(os.Stderr, "apibench: --token or EARSHOT_TOKEN is required")
		os.Exit(2)
	}
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc * 2}}
	ctx := context.Background()
	if *file != "" {
		if err := ingest(ctx, c, *url, *token, *file, *batch, *conc); err != nil {
			fmt.Fprintln(os.Stderr, "apibench:", err)
			os.Exit(1)
		}
	}
	if *queries > 0 {
		if err := queue(ctx, c, *url, *token, *queries); err != nil {
			fmt.Fprintln(os.Stderr, "apibench:", err)
			os.Exit(1)
		}
	}
}

func ingest(ctx context.Context, c *http.Client, url, token, file string, batch, conc int) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	bodies := make(chan []byte, conc)
	var sent, failed atomic.Int64
	var wg sync.WaitGroup
	errc := make(chan error, conc)
	for range conc {
		wg.Go(func() {
			for body := range bodies {
				n := int64(bytes.Count(body, []byte{'\n'}))
				req, _ := http.NewRequestWithContext(ctx, "POST", url+"/api/v1/mentions", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/x-ndjson")
				res, err := c.Do(req)
				if err != nil {
					errc <- err
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					failed.Add(n)
					continue
				}
				sent.Add(n)
			}
		})
	}
	start := time.Now()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var buf bytes.Buffer
	lines := 0
	for sc.Scan() {
		buf.Write(sc.Bytes())
		buf.WriteByte('\n')
		if lines++; lines == batch {
			bodies <- bytes.Clone(buf.Bytes())
			buf.Reset()
			lines = 0
		}
	}
	if lines > 0 {
		bodies <- bytes.Clone(buf.Bytes())
	}
	close(bodies)
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
	}
	el := time.Since(start)
	fmt.Printf("API ingest: %d mentions in %.2fs = %.0f mentions/s (batches of %d, %d in flight, %d refused)\n",
		sent.Load(), el.Seconds(), float64(sent.Load())/el.Seconds(), batch, conc, failed.Load())
	return sc.Err()
}

func queue(ctx context.Context, c *http.Client, url, token string, n int) error {
	lat := make([]time.Duration, 0, n)
	for i := range n + 20 {
		req, _ := http.NewRequestWithContext(ctx, "GET", url+"/api/v1/cases?limit=50", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		res, err := c.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("GET /api/v1/cases: %s", res.Status)
		}
		if i >= 20 { // warm-up excluded
			lat = append(lat, time.Since(start))
		}
	}
	slices.Sort(lat)
	p := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
	fmt.Printf("GET /api/v1/cases first page (limit 50), %d requests: p50 %v, p95 %v, p99 %v\n",
		len(lat), p(0.50).Round(10*time.Microsecond), p(0.95).Round(10*time.Microsecond), p(0.99).Round(10*time.Microsecond))
	return nil
}
