package store

import (
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// closeWait bounds how long closeDB waits for connections in use.
const closeWait = 30 * time.Second

// closeDB closes db and waits until every one of its connections has
// closed. database/sql's Close leaves a connection that is in use to
// close when it is released, later. On SQLite that is not harmless: the
// last connection to close a database checkpoints it and removes its
// -wal and -shm files by name, and by then those names may belong to a
// store opened again on the same folder, whose log would vanish under
// it.
func closeDB(db *sql.DB, what string) error {
	err := db.Close()
	deadline := time.Now().Add(closeWait)
	for pause := time.Millisecond; ; pause = min(2*pause, 50*time.Millisecond) {
		n := db.Stats().OpenConnections
		if n == 0 {
			return err
		}
		if time.Now().After(deadline) {
			return errors.Join(err, fmt.Errorf("close %s: %d connections still in use after %s", what, n, closeWait))
		}
		time.Sleep(pause)
	}
}
