#!/usr/bin/env bash
# earshot analyze as a whole process on N generated posts, with one worker
# and with every core, against the JavaScript lexicon tools (AFINN's
# sentiment, wink-sentiment, vader-sentiment) reading the same lines, when
# node and those npm packages are installed.
# Usage: scripts/analyzebench.sh [N] [NPM_DIR]
#   N        posts (default 100000)
#   NPM_DIR  folder where `npm install sentiment wink-sentiment vader-sentiment`
#            ran (default $EARSHOT_NPM); without it only Earshot is timed.
# Timing is hyperfine's (apt-get install hyperfine) when present, else one
# run each; peak memory is /usr/bin/time's. Work files go to ./bench-out/analyze.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
NPM="${2:-${EARSHOT_NPM:-}}"
OUT=bench-out/analyze
rm -rf "$OUT" && mkdir -p "$OUT"
go build -o "$OUT/earshot" ./cmd/earshot
E="$OUT/earshot"
"$E" generate --count "$N" --seed 1 --out "$OUT/posts.jsonl"
POSTS="$OUT/posts.jsonl"

echo "== host"
if [ -r /proc/cpuinfo ]; then
  echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
fi

names=("earshot --workers 1" "earshot (every core)")
cmds=("$E analyze --workers 1 < $POSTS > /dev/null" "$E analyze < $POSTS > /dev/null")

have_js=
if [ -n "$NPM" ] && command -v node >/dev/null; then
  have_js=1
  for p in sentiment wink-sentiment vader-sentiment; do
    [ -d "$NPM/node_modules/$p" ] || have_js=
  done
  [ -n "$have_js" ] || echo "(no sentiment, wink-sentiment and vader-sentiment under $NPM/node_modules: Earshot only)"
fi
if [ -n "$have_js" ]; then
  # Each tool scores the text of every line; one number a line out.
  cat > "$OUT/bench.js" <<'JS'
'use strict';
const fs = require('fs');
const tool = process.argv[2];
let score;
if (tool === 'vader') {
  const vader = require('vader-sentiment');
  score = (t) => vader.SentimentIntensityAnalyzer.polarity_scores(t).compound;
} else if (tool === 'afinn') {
  const s = new (require('sentiment'))();
  score = (t) => s.analyze(t).score;
} else if (tool === 'wink') {
  const wink = require('wink-sentiment');
  score = (t) => wink(t).score;
} else {
  console.error('usage: node bench.js vader|afinn|wink < rows.jsonl');
  process.exit(2);
}
const out = [];
for (const line of fs.readFileSync(0, 'utf8').split('\n')) {
  if (line.trim() === '') continue;
  out.push(String(score(JSON.parse(line).text || '')));
  if (out.length === 4096) { fs.writeSync(1, out.join('\n') + '\n'); out.length = 0; }
}
if (out.length) fs.writeSync(1, out.join('\n') + '\n');
JS
  export NODE_PATH="$NPM/node_modules"
  for t in afinn wink vader; do
    names+=("node $t")
    cmds+=("node $OUT/bench.js $t < $POSTS > /dev/null")
  done
fi

echo "== $N posts: wall time"
if command -v hyperfine >/dev/null; then
  args=()
  for i in "${!cmds[@]}"; do
    runs=5
    [[ "${names[$i]}" == "node vader" ]] && runs=2 # about 25 s a run
    hyperfine --warmup 1 --runs "$runs" --style none -n "${names[$i]}" "${cmds[$i]}" \
      --export-json "$OUT/time$i.json" >/dev/null
    # mean and fastest run, in seconds and posts a second
    tr ',' '\n' < "$OUT/time$i.json" | awk -F: -v n="$N" -v name="${names[$i]}" '
      /"mean"/ {mean = $2} /"min"/ {min = $2}
      END {printf "%-22s mean %6.3f s (%7.0f posts/s), fastest %6.3f s (%7.0f posts/s)\n", name, mean, n/mean, min, n/min}'
  done
else
  for i in "${!cmds[@]}"; do
    /usr/bin/time -f "${names[$i]}: %e s wall" bash -c "${cmds[$i]}"
  done
fi

echo "== $N posts: peak memory"
for i in "${!cmds[@]}"; do
  /usr/bin/time -f "${names[$i]}: peak RSS %M KB, %e s wall, %U s user, %S s sys" bash -c "${cmds[$i]}"
done
