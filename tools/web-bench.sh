#!/usr/bin/env bash
# Load test of `pactbase serve` from a loopback load generator (wrk): the country-profile
# and network endpoints. Builds the release binary, sets up a scratch database (with ATOP
# and COW states from ../shared/data when present, so the network is ATOP's), serves it,
# warms the caches, and runs wrk against each endpoint. Figures: docs/PERFORMANCE.md ("Web").
#
#   tools/web-bench.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-32}
command -v wrk >/dev/null || { echo "needs wrk: apt-get install -y wrk" >&2; exit 1; }
cargo build --release --quiet -p pactbase-cli
bin=target/release/pactbase
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/bench.db"
"$bin" --db "$db" init >/dev/null
shared=${PACTBASE_SHARED_DATA:-../shared/data}
if [ -d "$shared/atop-5.1" ]; then
  "$bin" --db "$db" import atop "$shared/atop-5.1" >/dev/null
  "$bin" --db "$db" import cow-states "$shared/cow/states2016.csv" >/dev/null
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
RUST_LOG=warn "$bin" --db "$db" serve --addr "127.0.0.1:$port" >/dev/null &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
for path in /api/v1/countries/PAK /api/v1/network/1990?level=any /api/v1/network/1990?level=defense; do
  curl -sf "$base$path" >/dev/null   # warm the cache
done
for path in /api/v1/countries/PAK "/api/v1/network/1990?level=any"; do
  echo "== $path ($secs s, $conns connections, 2 threads)"
  wrk -t2 -c"$conns" -d"${secs}s" --latency "$base$path" | grep -E 'Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx'
done
