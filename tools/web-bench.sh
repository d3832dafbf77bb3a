#!/usr/bin/env bash
# Load test of `pactbase serve` from a loopback load generator (wrk): the country-profile
# and network endpoints alone, then a mixed workload (country pages, network years,
# searches, small panel downloads, with two editors writing all along). Builds the
# release binary, sets up a scratch database (with ATOP and COW states from ../shared/data
# when present, so the network is ATOP's), serves it, warms the caches, and reports
# requests/s and latency percentiles, the editors' writes, and the server's memory
# (resident at start, at most, and after the load). Figures: docs/PERFORMANCE.md ("Web").
#
#   tools/web-bench.sh [SECONDS] [CONNECTIONS]
#   PACTBASE_BIN=path/to/pactbase tools/web-bench.sh …   # measure another build
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-32}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 1; }
if [ -n "${PACTBASE_BIN:-}" ]; then
  bin=$PACTBASE_BIN
else
  cargo build --release --quiet -p pactbase-cli
  bin=target/release/pactbase
fi
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/bench.db"
"$bin" --db "$db" init >/dev/null
shared=${PACTBASE_SHARED_DATA:-../shared/data}
if [ -d "$shared/atop-5.1" ]; then
  "$bin" --db "$db" import atop "$shared/atop-5.1" >/dev/null
  "$bin" --db "$db" import cow-states "$shared/cow/states2016.csv" >/dev/null
fi
editor1=$("$bin" --db "$db" user add bench-erin --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
editor2=$("$bin" --db "$db" user add bench-omar --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
RUST_LOG=warn "$bin" --db "$db" serve --addr "127.0.0.1:$port" >/dev/null &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
rss() { awk -v f="$1" '$1 == f":" { printf "%.0f MB", $2 / 1024 }' "/proc/$server/status"; }
echo "== server memory at start: $(rss VmRSS)"

paths=(/api/v1/countries/PAK /countries/PAK /countries/IND "/api/v1/network/1990?level=any"
  "/api/v1/network/1962?level=defense" /api/v1/network/2010 "/api/v1/search?q=defense+treaty"
  "/api/v1/search?q=north+atlantic" "/api/v1/agreements?member=PAK" "/api/v1/panels/state-year?years=2000")
for path in "${paths[@]}"; do
  curl -sf "$base$path" >/dev/null   # warm the cache
done
for path in /api/v1/countries/PAK "/api/v1/network/1990?level=any"; do
  echo "== $path ($secs s, $conns connections, 2 threads)"
  wrk -t2 -c"$conns" -d"${secs}s" --latency "$base$path" | grep -E 'Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx'
done

# The mixed workload: wrk cycles through the reads while two editors change an agreement
# each (read its version, set a provision), one change after another.
lua="$work/mixed.lua"
{
  echo "paths = {"
  for path in "${paths[@]}"; do echo "  \"$path\","; done
  echo "}"
  echo 'i = 0'
  echo 'request = function() i = i + 1; return wrk.format("GET", paths[(i % #paths) + 1]) end'
} >"$lua"
writer() {
  local token=$1 id=$2 until=$(( $(date +%s) + secs )) flag=true version
  while [ "$(date +%s)" -lt "$until" ]; do
    version=$(curl -s -D - -o /dev/null "$base/api/v1/agreements/$id" | tr -d '\r"' | awk 'tolower($1) == "etag:" { print $2 }')
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X PATCH -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "{\"version\": $version, \"provisions\": {\"military_aid\": $flag}}" \
      "$base/api/v1/agreements/$id/provisions" >>"$work/writes.log"
    if [ "$flag" = true ]; then flag=false; else flag=true; fi
  done
}
echo "== mixed: ${#paths[@]} reads in turn ($secs s, $conns connections, 2 threads) + two editors writing"
writer "$editor1" anzus &
w1=$!
writer "$editor2" seato &
w2=$!
wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$lua" "$base" | grep -E 'Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx'
wait "$w1" "$w2"
n=$(wc -l <"$work/writes.log")
statuses=$(cut -d' ' -f1 "$work/writes.log" | sort | uniq -c | awk '{ printf " %s×%s", $2, $1 }')
times=$(cut -d' ' -f2 "$work/writes.log" | sort -n)
pct() { echo "$times" | awk -v n="$n" -v p="$1" 'NR == int(n * p) + 1 { printf "%.1f ms", $1 * 1000 }'; }
echo "   writes: $n in $secs s; statuses:$statuses; p50 $(pct 0.5), p99 $(pct 0.99)"
echo "== server memory: at most $(rss VmHWM), after the load $(rss VmRSS)"
