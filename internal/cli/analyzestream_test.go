package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"earshot/internal/analyze"
	"earshot/internal/generate"
)

// generatedMentions returns n generated mentions as JSON Lines.
func generatedMentions(t testing.TB, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	opts := generate.Options{Seed: 7, Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Days: 30, Count: n}
	if err := writeMentions(context.Background(), &buf, opts, n); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// analyzeAll runs analyzeStream over in with workers and returns the
// output, failing the test on an error.
func analyzeAll(t *testing.T, in io.Reader, workers int) []byte {
	t.Helper()
	var out bytes.Buffer
	if _, _, err := analyzeStream(context.Background(), analyze.New(), in, &out, workers); err != nil {
		t.Fatalf("%d workers: %v", workers, err)
	}
	return out.Bytes()
}

// TestAnalyzeWorkersWriteWhatOneWorkerWrites: many workers, over
// thousands of rows and many batches, write exactly the bytes one worker
// writes, whatever sizes the input's reads come in.
func TestAnalyzeWorkersWriteWhatOneWorkerWrites(t *testing.T) {
	in := generatedMentions(t, 5000)
	// Blank lines, a byte-order mark and a last line without '\n' ride
	// along: they must be handled the same everywhere.
	in = append([]byte("\xef\xbb\xbf{\"text\":\"first\"}\n\n"), in...)
	in = append(in, "\n  \n{\"text\":\"last, no newline\"}"...)
	one := analyzeAll(t, bytes.NewReader(in), 1)
	if got, want := bytes.Count(one, []byte("\n")), 5002; got != want {
		t.Fatalf("one worker wrote %d rows, want %d", got, want)
	}
	for _, c := range []struct {
		name    string
		r       io.Reader
		workers int
	}{
		{"4 workers", bytes.NewReader(in), 4},
		{"8 workers", bytes.NewReader(in), 8},
		{"3 workers, reads of one byte", iotest.OneByteReader(bytes.NewReader(in)), 3},
		{"3 workers, reads of 1000 bytes", &chunkReader{data: in, size: 1000}, 3},
	} {
		if got := analyzeAll(t, c.r, c.workers); !bytes.Equal(got, one) {
			t.Errorf("%s: %d bytes differ from one worker's %d", c.name, len(got), len(one))
		}
	}
}

// chunkReader returns data size bytes a read.
type chunkReader struct {
	data []byte
	size int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.size)], r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestAnalyzeLongLineAcrossReads(t *testing.T) {
	long := strings.Repeat("on hold again ", 20000) // several read chunks
	in := fmt.Sprintf("{\"text\":%q}\n{\"text\":\"short\"}\n", long)
	out := analyzeAll(t, strings.NewReader(in), 2)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], fmt.Sprintf("{\"text\":%q,\"analysis\":", long)) {
		t.Fatalf("%d lines, first starts %.60q", len(lines), lines[0])
	}
}

func TestAnalyzeReadErrorAfterRows(t *testing.T) {
	r := io.MultiReader(strings.NewReader("{\"text\":\"a\"}\n{\"text\":\"b\"}\n"), iotest.ErrReader(fmt.Errorf("disk gone")))
	var out bytes.Buffer
	n, _, err := analyzeStream(context.Background(), analyze.New(), r, &out, 2)
	if err == nil || !strings.Contains(err.Error(), "disk gone") || n != 2 {
		t.Fatalf("wrote %d rows, err %v; want 2 rows and the read error", n, err)
	}
}

func TestAnalyzeWorkersFlag(t *testing.T) {
	in := "{\"text\":\"on hold for two hours\"}\n{\"text\":\"thanks!\"}\n"
	code, one, errs := runWithInput(t, in, nil, "analyze", "--workers", "1")
	if code != 0 {
		t.Fatalf("--workers 1: exit %d: %s", code, errs)
	}
	code, all, errs := runWithInput(t, in, nil, "analyze", "--stats")
	if code != 0 || one != all || !strings.Contains(errs, "workers") {
		t.Fatalf("default workers: exit %d, stderr %q, output same as one worker: %v", code, errs, one == all)
	}
	if code, _, errs := runWithInput(t, in, nil, "analyze", "--workers", "-1"); code != 2 || !strings.Contains(errs, "--workers") {
		t.Errorf("--workers -1: exit %d, stderr %q; want a usage error", code, errs)
	}
}

// BenchmarkAnalyzeStream is the whole of earshot analyze but the process:
// generated mentions in, analysed rows out, per row.
func BenchmarkAnalyzeStream(b *testing.B) {
	in := generatedMentions(b, 20000)
	a := analyze.New()
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := analyzeStream(context.Background(), a, bytes.NewReader(in), io.Discard, workers); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*20000), "ns/row")
		})
	}
}
