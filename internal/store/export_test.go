package store

// SetRareIntentLimit lets tests take both ways of the intent filter.
func SetRareIntentLimit(s *Store, n int) { s.rareIntent = n }
