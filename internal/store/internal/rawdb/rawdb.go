// Package rawdb holds the key to the database under a store.Store. Being
// internal to package store, it can be imported only by store and the
// packages under it (storetest), so that only they can ask the store for
// its database handle: the rest of Earshot reads and writes through the
// store's methods.
package rawdb

// Key is what store.Store.RawDB asks for. Its field keeps a literal of
// another package from standing in for it.
type Key struct{ storetest bool }

// New returns a Key.
func New() Key { return Key{storetest: true} }
