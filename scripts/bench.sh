#!/usr/bin/env bash
# Earshot's headline benchmarks on this machine:
#   1. earshot import of N generated mentions on SQLite (rate, peak memory)
#   2. API ingest over loopback, batches of 500, into that store
#   3. GET /api/v1/cases first-page latency with the store full
# Usage: scripts/bench.sh [N]   (default 1000000). Work files go to ./bench-out.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
OUT=bench-out
rm -rf "$OUT" && mkdir -p "$OUT" && sync
go build -o "$OUT/earshot" ./cmd/earshot
go build -o "$OUT/apibench" ./scripts/apibench
E="$OUT/earshot"

# Machines of the same kind differ by up to twice in speed: say which one
# this is, and give one single-core figure to compare runs by.
echo "== host"
if [ -r /proc/cpuinfo ]; then
  echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(grep -m1 'cpu MHz' /proc/cpuinfo | cut -d: -f2 | xargs) MHz"
fi
go test -run '^$' -bench '^BenchmarkAnalyze$' -benchtime 2s ./internal/analyze | grep '^Benchmark'

echo "== generating $N mentions"
"$E" generate --count "$N" --seed 1 --out "$OUT/mentions.jsonl"
"$E" generate --count 100000 --seed 2 --out "$OUT/api.jsonl"
sync # write the generated files out now, not during the import

echo "== earshot import (SQLite)"
/usr/bin/time -f "peak memory %M KB, %e s wall, %U s user, %S s sys" \
  "$E" import "$OUT/mentions.jsonl" --data "$OUT/data" --quiet

echo "== API ingest and queue latency"
ADDR=127.0.0.1:18089
"$E" serve --data "$OUT/data" --addr "$ADDR" --api-rate 0 >"$OUT/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true' EXIT
TOKEN=$("$E" token create --name bench --role admin --data "$OUT/data" 2>/dev/null)
for _ in $(seq 1 100); do curl -fs "http://$ADDR/readyz" >/dev/null && break; sleep 0.2; done
"$OUT/apibench" --url "http://$ADDR" --token "$TOKEN" --queries 0 --file "$OUT/api.jsonl" --batch 500 --concurrency 4
"$OUT/apibench" --url "http://$ADDR" --token "$TOKEN" --queries 1000
kill -TERM $SERVE; wait $SERVE || true
du -sh "$OUT/data"
