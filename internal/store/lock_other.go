//go:build !unix

package store

// lockFile is a no-op where advisory file locks are not available; run
// one process at a time on a fresh data directory there.
func lockFile(string) (func(), error) { return func() {}, nil }
