package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"earshot/internal/model"
)

// This file holds what differs between the engines. The rest of the
// package writes its SQL once, with $N placeholders, and asks the
// functions here for the clauses, placeholders, time values and
// procedures that SQLite and PostgreSQL spell differently, rather than
// testing s.engine itself.

// ts converts t to the engine's parameter form, in UTC, cut to the
// microsecond and within model.TimeRange on both engines (see
// storedTime): fixed-width text on SQLite, a time on PostgreSQL.
func (s *Store) ts(t time.Time) any {
	if s.engine == SQLite {
		return formatSQLiteTime(model.ClampTime(t))
	}
	return storedTime(t)
}

// tsPtr is ts for optional times; nil stays NULL.
func (s *Store) tsPtr(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	return s.ts(*t)
}

// param returns the placeholder of the nth parameter of a query whose
// other placeholders are positional: "?" on SQLite, "$n" on PostgreSQL.
func (s *Store) param(n int) string {
	if s.engine == SQLite {
		return "?"
	}
	return "$" + strconv.Itoa(n)
}

// valuesList returns "($1, $2), ($3, $4)" for rows of cols placeholders
// ("(?, ?), (?, ?)" on SQLite, whose driver looks each $N up by name, one
// linear scan per parameter).
func (s *Store) valuesList(rows, cols int) string {
	var sb strings.Builder
	n := 0
	for r := range rows {
		if r > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for c := range cols {
			if c > 0 {
				sb.WriteString(", ")
			}
			n++
			if s.engine == SQLite {
				sb.WriteByte('?')
				continue
			}
			sb.WriteByte('$')
			sb.WriteString(strconv.Itoa(n))
		}
		sb.WriteByte(')')
	}
	return sb.String()
}

// rowLocks reports whether transactions lock the rows they read to
// update (PostgreSQL, where several writers run at once). On SQLite one
// writer holds the write lock for the whole transaction, and the locking
// clauses below are empty.
func (s *Store) rowLocks() bool { return s.engine == Postgres }

// forUpdate is the clause that locks the rows a query reads until the
// transaction ends: " FOR UPDATE" on PostgreSQL, nothing on SQLite.
func (s *Store) forUpdate() string {
	if s.rowLocks() {
		return ` FOR UPDATE`
	}
	return ``
}

// forUpdateSkipLocked is forUpdate leaving out the rows another
// transaction holds.
func (s *Store) forUpdateSkipLocked() string {
	if s.rowLocks() {
		return ` FOR UPDATE SKIP LOCKED`
	}
	return ``
}

// forNoKeyUpdate is the clause that locks the rows a query reads to
// update, in id order, until the transaction ends, without blocking rows
// that only reference them; nothing on SQLite.
func (s *Store) forNoKeyUpdate() string {
	if s.rowLocks() {
		return ` ORDER BY id FOR NO KEY UPDATE`
	}
	return ``
}

// lockRows runs q, a SELECT ... FOR UPDATE, for its locks alone on
// PostgreSQL; on SQLite, whose one writer already serialises the
// transaction, it does nothing.
func (s *Store) lockRows(ctx context.Context, tx execer, q string, args ...any) error {
	if !s.rowLocks() {
		return nil
	}
	_, err := tx.ExecContext(ctx, q, args...)
	return err
}

// indexedBy is table (with alias) read through index. SQLite is told to
// use it: without statistics it may walk a worse one; PostgreSQL plans
// with statistics and is left to choose.
func (s *Store) indexedBy(table, alias, index string) string {
	if s.engine == SQLite {
		return table + ` ` + alias + ` INDEXED BY ` + index
	}
	return table + ` ` + alias
}

// replan returns args, on PostgreSQL led by pgx.QueryExecModeExec, which
// has the query planned for its arguments each time rather than once for
// any, as a cached statement may be after its fifth run. Search queries
// need it: the way to a word's mentions depends on how common it is (the
// index for a rare word, the newest mentions for one in most), and one
// generic plan, walking the newest mentions, took seconds a page for a
// word in one mention of 200.
func (s *Store) replan(args ...any) []any {
	if s.engine == SQLite {
		return args
	}
	return append([]any{pgx.QueryExecModeExec}, args...)
}

// seriesQuery is a query whose rows are the integers 1 to the value of
// parameter $n, one a row, in a column named i.
func (s *Store) seriesQuery(n int) string {
	p := `$` + strconv.Itoa(n)
	if s.engine == Postgres {
		return `SELECT i FROM generate_series(1, ` + p + `::bigint) AS g(i)`
	}
	return `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ` + p + `) SELECT i FROM seq`
}

// refillIDs gives p more unused ids of table (cases or mentions) within
// a batch's transaction. SQLite has one writer, which holds the write
// lock for the whole batch, so the ids above the largest one are free;
// PostgreSQL draws from the identity sequence, which is safe with several
// writers.
func (s *Store) refillIDs(ctx context.Context, tx dbtx, table string, p *idPool) error {
	if s.engine == SQLite {
		var maxID int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&maxID); err != nil {
			return fmt.Errorf("allocate %s id: %w", table, err)
		}
		p.next, p.end = maxID+1, 1<<62
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, 256)`, table)
	if err != nil {
		return fmt.Errorf("allocate %s ids: %w", table, err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("allocate %s ids: %w", table, err)
		}
		p.free = append(p.free, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(p.free) == 0 {
		return fmt.Errorf("allocate %s ids: %v", table, err)
	}
	return nil
}

// inBatchTx is inTx for the ingest batch, the one writer's main work: on
// SQLite by hand on the writer's connection (see inSQLiteBatchTx), on
// PostgreSQL an ordinary transaction.
func (s *Store) inBatchTx(ctx context.Context, fn func(tx dbtx) error) error {
	if s.engine == SQLite {
		return s.inSQLiteBatchTx(ctx, fn)
	}
	return s.inTx(ctx, func(tx *sql.Tx) error { return fn(tx) })
}

// checksReferencesOnWrite reports whether the engine refuses, as rows
// are written, every row that names a missing one. PostgreSQL does;
// SQLite's ingest batch leaves the check out for speed (see
// inSQLiteBatchTx), so CheckReferences looks for what it would have
// refused.
func (s *Store) checksReferencesOnWrite() bool { return s.engine == Postgres }

// lockSetUp takes the lock that processes opening one SQLite data
// directory share while they set it up (a file beside the database) and
// returns its release. On PostgreSQL it takes nothing: migrate takes a
// session advisory lock of its own.
func (s *Store) lockSetUp() (func(), error) {
	if s.engine != SQLite {
		return func() {}, nil
	}
	unlock, err := lockFile(filepath.Join(s.dir, "migrate.lock"))
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return unlock, nil
}

// migrationSource returns the folder of the engine's migrations within
// the embedded files and goose's name for the engine.
func (s *Store) migrationSource() (string, goose.Dialect) {
	if s.engine == Postgres {
		return "migrations/postgres", goose.DialectPostgres
	}
	return "migrations/sqlite", goose.DialectSQLite3
}

// migrationOptions returns goose's options for the engine. On
// PostgreSQL, migrations take a session advisory lock: replicas of one
// deployment share a schema and so a lock; other schemas in the same
// database (tests, other tenants) do not wait.
func (s *Store) migrationOptions(ctx context.Context) ([]goose.ProviderOption, error) {
	if s.engine != Postgres {
		return nil, nil
	}
	var schema string
	if err := s.write.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("earshot-migrate:" + schema))
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64())), lock.WithLockTimeout(1, 600))
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return []goose.ProviderOption{goose.WithSessionLocker(locker)}, nil
}

// startBackground starts the store's own maintenance once it is set up:
// on SQLite the checkpointer and the full-text index (see sqlite.go);
// PostgreSQL needs none.
func (s *Store) startBackground(ctx context.Context) error {
	if s.engine != SQLite {
		return nil
	}
	return s.startSQLiteBackground(ctx)
}

// idsIn is the condition that col is among the ids of the JSON array
// parameter $n.
func (s *Store) idsIn(col string, n int) string {
	if s.engine == SQLite {
		return col + ` IN (SELECT value FROM json_each($` + strconv.Itoa(n) + `))`
	}
	return col + ` IN (SELECT (jsonb_array_elements_text($` + strconv.Itoa(n) + `::jsonb))::bigint)`
}

// jsonTextElements is a join, to put right after the table of col, that
// yields as alias.value each text element of the array at key of the
// JSON object in col (none when it is missing or not an array).
func (s *Store) jsonTextElements(col, key, alias string) string {
	if s.engine == SQLite {
		return ` CROSS JOIN json_each(CASE WHEN json_type(` + col + `, '$.` + key + `') = 'array' THEN ` + col + ` ELSE '{"` + key + `":[]}' END, '$.` + key + `') AS ` + alias
	}
	return ` CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(` + col + `->'` + key + `') = 'array' THEN ` + col + `->'` + key + `' ELSE '[]'::jsonb END) AS ` + alias + `(value)`
}

// sentimentScore is the expression of the sentiment score stored in the
// analysis JSON of the mention aliased m (0 when it has none).
func (s *Store) sentimentScore() string {
	if s.engine == SQLite {
		return `COALESCE(CAST(json_extract(m.analysis, '$.sentiment.score') AS REAL), 0)`
	}
	return `COALESCE((m.analysis->'sentiment'->>'score')::float8, 0)`
}
