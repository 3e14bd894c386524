package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"earshot/internal/store/storetest"
)

func TestChannelRefreshTokenKeepsTheNewest(t *testing.T) {
	ctx := context.Background()
	replicas := storetest.Replicas(t, 2)
	a, b := replicas[0], replicas[1]
	if got, err := a.ChannelRefreshToken(ctx, "x1"); err != nil || got != nil {
		t.Fatalf("before any: %x, %v", got, err)
	}
	now := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	for i, sealed := range [][]byte{{1, 0, 2, 255}, {1, 9, 9}} {
		if err := a.SetChannelRefreshToken(ctx, "x1", sealed, now.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, err := b.ChannelRefreshToken(ctx, "x1"); err != nil || !bytes.Equal(got, sealed) {
			t.Fatalf("the other replica reads %x, %v; want %x", got, err, sealed)
		}
	}
	if got, err := b.ChannelRefreshToken(ctx, "x2"); err != nil || got != nil {
		t.Errorf("another channel: %x, %v", got, err)
	}
	if err := a.SetChannelRefreshToken(ctx, "x1", nil, now); err == nil {
		t.Error("an empty token was stored")
	}
}
