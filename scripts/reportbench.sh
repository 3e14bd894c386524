#!/usr/bin/env bash
# Builds the 1,000,000-mention stores the report benchmarks read, on
# SQLite and on PostgreSQL, with the demo organisation (teams, hours,
# SLA policies) applied first so that cases carry teams and deadlines.
# The mentions spread over the 90 days from 2026-09-06 (seed 1) to
# 2026-12-05, our replies trailing into 6 December: import refuses
# mentions from the future, so run it after that day.
#
# Usage: scripts/reportbench.sh [DIR] [DATABASE]
#   DIR       SQLite data directory (default /work/bench/report-1m)
#   DATABASE  PostgreSQL database on 127.0.0.1 (default report1m);
#             "-" skips PostgreSQL.
# Then run, for example:
#   EARSHOT_BENCH_DATA=DIR go test ./internal/report/ -run '^$' -bench Series1M -benchtime 20x
#   EARSHOT_BENCH_DATABASE_URL='postgres://postgres@127.0.0.1:5432/DATABASE?sslmode=disable' go test ./internal/report/ -run '^$' -bench Series1M -benchtime 20x
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-/work/bench/report-1m}"
DB="${2:-report1m}"
N="${REPORTBENCH_COUNT:-1000000}"
WORK="$(dirname "$DIR")/report-1m-work"
mkdir -p "$WORK"
# REPORTBENCH_SRC builds the importing binary from another checkout
# (the shared stores are built with main's, so every branch can read them).
(cd "${REPORTBENCH_SRC:-.}" && go build -o "$WORK/earshot" ./cmd/earshot)
E="$WORK/earshot"

echo "== generating $N mentions over 90 days"
if [ ! -s "$WORK/mentions.jsonl" ]; then
  "$E" generate --count "$N" --seed 1 --start 2026-09-06T00:00:00Z --days 90 --out "$WORK/mentions.jsonl"
fi

echo "== SQLite: $DIR"
rm -rf "$DIR"
"$E" apply -f internal/cli/demo-org.yaml --data "$DIR"
/usr/bin/time -f "import: %e s wall, peak memory %M KB" "$E" import "$WORK/mentions.jsonl" --data "$DIR" --quiet
du -sh "$DIR"

if [ "$DB" != "-" ]; then
  URL="postgres://postgres@127.0.0.1:5432/$DB?sslmode=disable"
  echo "== PostgreSQL: $URL"
  dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
  createdb -h 127.0.0.1 -U postgres "$DB"
  "$E" apply -f internal/cli/demo-org.yaml --database-url "$URL"
  /usr/bin/time -f "import: %e s wall, peak memory %M KB" "$E" import "$WORK/mentions.jsonl" --database-url "$URL" --quiet
  psql -h 127.0.0.1 -U postgres -d "$DB" -c 'VACUUM ANALYZE' # index-only scans need the visibility map
fi
