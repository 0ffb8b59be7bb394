#!/usr/bin/env bash
# Usage: Scripts/bench-backfill.sh [SMALL_ROWS] [LARGE_ROWS]
#
# The backfill engine against the single unbatched UPDATE, in one run on one server
# (docs/benchmarks.md explains the figures). Defaults: 1,000,000 and 4,000,000 rows.
#
# PostgreSQL (a throwaway server from Scripts/with-postgres.sh, started here unless
# SAFESHIFT_TEST_DATABASE_URL is set):
#   1. SMALL_ROWS table: `UPDATE bench SET c = a * 2` in one statement, then (fresh table)
#      `safeshift backfill --table bench --set "c = a * 2"`; rows/s of each;
#   2. during each, a concurrent writer (pgbench, 1 client, 100 single-row UPDATEs/s at
#      random keys): its p50/p99 latency over the job's duration;
#   3. LARGE_ROWS table: the engine again (rows/s, writer p99); peak RSS of every engine run.
# SQLite (a file in a temporary directory): the same single UPDATE vs engine on SMALL_ROWS
# rows, with a writer process doing 100 single-row UPDATEs/s (busy timeout 30 s).
#
# SAFESHIFT_BIN overrides the binary (default .build/release/safeshift, built if missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${SAFESHIFT_TEST_DATABASE_URL:-}" ]]; then
  exec Scripts/with-postgres.sh "$0" "$@"
fi

small=${1:-1000000}
large=${2:-4000000}
bin=${SAFESHIFT_BIN:-.build/release/safeshift}
if [[ ! -x "$bin" ]]; then swift build -c release --product safeshift >&2; fi
pgbench="$SAFESHIFT_TEST_PG_BINDIR/pgbench"
url=$SAFESHIFT_TEST_DATABASE_URL
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT

now_us() { date +%s%6N; }
log() { echo "bench: $*" >&2; }

make_table() { # rows
  psql -q -v ON_ERROR_STOP=1 <<SQL >/dev/null
DROP TABLE IF EXISTS bench;
DO \$\$ BEGIN
  IF to_regclass('safeshift.backfills') IS NOT NULL THEN DELETE FROM safeshift.backfills; END IF;
END \$\$;
CREATE TABLE bench (id bigint PRIMARY KEY, a integer NOT NULL, pad text NOT NULL, c integer);
INSERT INTO bench SELECT g, g % 1000, repeat('x', 60), NULL FROM generate_series(1, $1) g;
VACUUM ANALYZE bench;
CHECKPOINT;
SQL
}

start_writer() { # rows label
  cat >"$work/writer.sql" <<'SQL'
\set id random(1, :rows)
UPDATE bench SET pad = repeat('y', 60) WHERE id = :id;
SQL
  "$pgbench" -n -c 1 -j 1 -R 100 -T 3600 -f "$work/writer.sql" -D rows="$1" \
    --log --log-prefix="$work/writer_$2" >"$work/pgbench_$2.out" 2>&1 &
  writer=$!
  sleep 1
}

stop_writer() {
  # pgbench writes its log when its client ends: end the client's session.
  psql -q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE application_name = 'pgbench' AND pid <> pg_backend_pid()" >/dev/null
  wait "$writer" 2>/dev/null || true
}

# p50, p99, count and max (ms) of the writer's transactions that started between $2 and $3
# (µs epoch); pgbench logs each transaction's end time and latency.
latency() { # label start_us end_us
  cat "$work"/writer_"$1"* | awk -v s="$2" -v e="$3" '{
      started = $5 * 1000000 + $6 - $3
      if (started >= s && started <= e) print $3 / 1000 }' | sort -n |
    awk '{ v[NR] = $1 } END {
      if (NR == 0) { print "n/a n/a 0 n/a"; exit }
      i50 = int(NR * 0.50 + 0.5); if (i50 < 1) i50 = 1
      i99 = int(NR * 0.99 + 0.5); if (i99 < 1) i99 = 1
      printf "%.1f %.1f %d %.1f\n", v[i50], v[i99], NR, v[NR] }'
}

rate() { awk -v r="$1" -v t="$2" 'BEGIN { printf "%.0f", r / (t / 1000000) }'; }
seconds() { awk -v t="$1" 'BEGIN { printf "%.2f", t / 1000000 }'; }

results=()
ratios=()
declare -A rates
# The median rows/s of the engine runs whose label starts with $1.
median_rate() {
  local key
  for key in "${!rates[@]}"; do [[ "$key" == "$1"_* ]] && echo "${rates[$key]}"; done |
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
record() { results+=("$*"); log "$*"; }

run_single_update() { # rows label
  make_table "$1"
  start_writer "$1" "$2"
  local s e
  s=$(now_us)
  psql -q -v ON_ERROR_STOP=1 -c "UPDATE bench SET c = a * 2" >/dev/null
  e=$(now_us)
  sleep 1
  stop_writer
  read -r p50 p99 n max < <(latency "$2" "$s" "$e")
  last_rate=$(rate "$1" $((e - s)))
  record "| PostgreSQL | single UPDATE | $1 | $(seconds $((e - s))) | $(rate "$1" $((e - s))) | $p50 | $p99 | $max | $n | — |"
}

run_engine() { # rows label [extra args]
  local rows=$1 label=$2
  shift 2
  make_table "$rows"
  start_writer "$rows" "$label"
  local s e
  s=$(now_us)
  /usr/bin/time -f "%M" -o "$work/mem_$label" "$bin" backfill --table bench \
    --set "c = a * 2" --database-url "$url" --name "bench-$label" --progress none "$@" \
    >"$work/engine_$label.out"
  e=$(now_us)
  sleep 1
  stop_writer
  local changed
  changed=$(psql -tA -c "SELECT count(*) FROM bench WHERE c = a * 2")
  [[ "$changed" == "$rows" ]] || { log "engine left $changed of $rows rows changed"; exit 2; }
  read -r p50 p99 n max < <(latency "$label" "$s" "$e")
  last_rate=$(rate "$rows" $((e - s)))
  rates["$label"]=$last_rate
  record "| PostgreSQL | engine $* | $rows | $(seconds $((e - s))) | $(rate "$rows" $((e - s))) | $p50 | $p99 | $max | $n | $(($(cat "$work/mem_$label") / 1024)) MB |"
}

rounds=${BENCH_ROUNDS:-3}
if [[ "${BENCH_SQLITE_ONLY:-}" != 1 ]]; then
  log "PostgreSQL $(psql -tA -c 'SHOW server_version'), binary $bin, $rounds rounds"
  # Alternating rounds: the machine is shared, so each ratio compares neighbours in time.
  for ((round = 1; round <= rounds; round++)); do
    run_single_update "$small" "single_small_$round"
    single_rate=$last_rate
    run_engine "$small" "engine_small_$round"
    ratios+=("$(awk -v a="$last_rate" -v b="$single_rate" 'BEGIN { printf "%.2f", a / b }')")
  done
  run_engine "$small" workers2_small --workers 2
  run_engine "$large" engine_large
  large_ratio=$(awk -v a="$last_rate" -v b="$(median_rate engine_small)" 'BEGIN { printf "%.2f", a / b }')
fi

# --- SQLite ---
db="$work/bench.db"
python3 - "$db" "$small" <<'PY'
import sqlite3, sys
db, rows = sys.argv[1], int(sys.argv[2])
c = sqlite3.connect(db)
c.execute("PRAGMA journal_mode=WAL")
c.execute("CREATE TABLE bench (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, pad TEXT NOT NULL, c INTEGER)")
c.executemany("INSERT INTO bench VALUES (?, ?, ?, NULL)", ((i, i % 1000, "x" * 60) for i in range(1, rows + 1)))
c.commit()
c.execute("VACUUM")
c.close()
PY
cp "$db" "$work/pristine.db"

sqlite_writer() { # db out: 100 single-row updates/s until killed; one latency (ms) per line
  python3 - "$1" "$2" "$small" <<'PY' &
import random, sqlite3, sys, time, signal
db, out, rows = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = sqlite3.connect(db, timeout=30, isolation_level=None)
f = open(out, "w", buffering=1)
signal.signal(signal.SIGTERM, lambda *_: (f.close(), sys.exit(0)))
next_at = time.monotonic()
while True:
    next_at += 0.01
    start = time.monotonic()
    c.execute("UPDATE bench SET pad = ? WHERE id = ?", ("y" * 60, random.randint(1, rows)))
    end = time.monotonic()
    f.write(f"{time.time():.6f} {(end - start) * 1000:.3f}\n")
    delay = next_at - time.monotonic()
    if delay > 0:
        time.sleep(delay)
PY
  swriter=$!
  sleep 0.5
}

sqlite_latency() { # file start_us end_us: transactions started in the window
  awk -v s="$2" -v e="$3" '{ t = $1 * 1000000 - $2 * 1000; if (t >= s && t <= e) print $2 }' "$1" |
    sort -n |
    awk '{ v[NR] = $1 } END {
      if (NR == 0) { print "n/a n/a 0 n/a"; exit }
      i50 = int(NR * 0.50 + 0.5); if (i50 < 1) i50 = 1
      i99 = int(NR * 0.99 + 0.5); if (i99 < 1) i99 = 1
      printf "%.1f %.1f %d %.1f\n", v[i50], v[i99], NR, v[NR] }'
}

cp "$work/pristine.db" "$db"
sqlite_writer "$db" "$work/sw_single"
s=$(now_us)
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=30); c.execute('UPDATE bench SET c = a * 2'); c.commit()" "$db"
e=$(now_us)
sleep 1
kill -TERM "$swriter"; wait "$swriter" 2>/dev/null || true
read -r p50 p99 n max < <(sqlite_latency "$work/sw_single" "$s" "$e")
record "| SQLite | single UPDATE | $small | $(seconds $((e - s))) | $(rate "$small" $((e - s))) | $p50 | $p99 | $max | $n | — |"

sqlite_engine() { # label [extra args]
  local label=$1
  shift
  cp "$work/pristine.db" "$db"
  rm -f "$db-wal" "$db-shm"
  sqlite_writer "$db" "$work/sw_$label"
  s=$(now_us)
  /usr/bin/time -f "%M" -o "$work/mem_$label" "$bin" backfill --table bench --set "c = a * 2" \
    --database-url "sqlite:$db" --name bench --progress none "$@" >"$work/engine_$label.out"
  e=$(now_us)
  sleep 1
  kill -TERM "$swriter"; wait "$swriter" 2>/dev/null || true
  read -r p50 p99 n max < <(sqlite_latency "$work/sw_$label" "$s" "$e")
  record "| SQLite | engine $* | $small | $(seconds $((e - s))) | $(rate "$small" $((e - s))) | $p50 | $p99 | $max | $n | $(($(cat "$work/mem_$label") / 1024)) MB |"
}

sqlite_engine sqlite_engine
sqlite_engine sqlite_engine_rest --rest-ratio 1

echo "| database | job | rows | seconds | rows/s | writer p50 ms | writer p99 ms | writer max ms | writer txns | engine peak RSS |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${results[@]}"
if ((${#ratios[@]} > 0)); then
  echo
  echo "engine / single UPDATE rows/s per round: ${ratios[*]}"
  echo "engine at $large rows / median engine at $small rows: $large_ratio"
fi
