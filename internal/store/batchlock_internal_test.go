package store

import (
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// A deadlock or a serialization failure, however deeply wrapped, reads
// as ErrRetry and keeps the server's error; other errors stay as they are.
func TestRetryable(t *testing.T) {
	for _, tc := range []struct {
		code  string
		retry bool
	}{{"40P01", true}, {"40001", true}, {"23505", false}, {"57014", false}} {
		pe := &pgconn.PgError{Code: tc.code, Message: "x"}
		err := retryable(fmt.Errorf("read cases: %w", pe))
		if errors.Is(err, ErrRetry) != tc.retry {
			t.Errorf("SQLSTATE %s: retry %v, want %v", tc.code, !tc.retry, tc.retry)
		}
		var got *pgconn.PgError
		if !errors.As(err, &got) || got != pe {
			t.Errorf("SQLSTATE %s: %v lost the server's error", tc.code, err)
		}
	}
	if err := retryable(errors.New("disk full")); errors.Is(err, ErrRetry) {
		t.Errorf("a plain error reads as %v", err)
	}
}
