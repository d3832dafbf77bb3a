#!/usr/bin/env bash
# Property-based fuzzing of the JSON API against its own OpenAPI document with
# schemathesis (PyPI): thousands of generated requests, read and write (with an admin
# token), on a scratch database holding the registry and every research dataset.
# Fails on a server error (5xx), an undocumented status code, a response that does not
# match its schema, or a wrong content type; then requests outside the document (a path
# that is not UTF-8, an unsupported method, an unknown path) must get the JSON error too.
# Panels are left out: a whole directed dyad-year panel is ~230 MB of CSV, which only
# measures the fuzzer's download (the panel tests check them).
#   tools/api-fuzz.sh [EXAMPLES_PER_OPERATION]   (default 40; run from the repository)
# PACTBASE_PROFILE=debug uses the debug build instead of the release build; PACTBASE_BIN
# names a binary already built (CI passes the one `cargo test` built: building the CLI
# alone resolves dependency features differently and would compile them again).
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${1:-40}
data=${PACTBASE_SHARED_DATA:-../shared/data}
python3 -c "import schemathesis" 2>/dev/null || python3 -m pip install -q schemathesis
if [ -n "${PACTBASE_BIN:-}" ]; then
  bin=$PACTBASE_BIN
elif [ "${PACTBASE_PROFILE:-release}" = debug ]; then
  cargo build -q --locked -p pactbase-cli
  bin=target/debug/pactbase
else
  cargo build -q --locked --release -p pactbase-cli
  bin=target/release/pactbase
fi
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
pactbase() { "$bin" --db "$work/fuzz.db" "$@" >/dev/null; }
pactbase init
pactbase import atop "$data/atop-5.1"
pactbase import cow-states "$data/cow/states2016.csv"
pactbase import nmc "$data/cow/nmc-7.0-abridged.csv"
pactbase import mme "$data/mme-7/mme_v7.csv"
pactbase import sipri-milex "$data/sipri/sipri-milex-constant-2017usd.csv"
pactbase import rivalries "$data/rivalries/tss-strategic-rivalries.csv"
pactbase import sipri-arms "$data/sipri/arms-transfers-tiv-1950-2021"
token=$("$bin" --db "$work/fuzz.db" user add fuzz --role admin | grep -oE '[A-Za-z0-9_-]{40,}' | head -1)
addr=127.0.0.1:18081
"$bin" --db "$work/fuzz.db" serve --addr "$addr" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://$addr/healthz" >/dev/null && break; sleep 0.2; done
status=0
schemathesis run "http://$addr/api/openapi.json" \
  --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
  --exclude-path '/api/v1/panels/{unit}' --request-timeout 30 \
  --max-examples "$examples" --workers 2 --seed 1 -H "Authorization: Bearer $token" || status=$?
# Requests the document cannot describe: each must still get the JSON `Error`.
for request in "GET /api/v1/agreements/%ff%fe" "GET /api/v1/network/%c3%28" "DELETE /api/v1/states" \
  "PATCH /api/v1/agreements/nato" "GET /api/v1/nothing" "PUT /api/v1/agreements/nato"; do
  set -- $request
  reply=$(curl -s -o "$work/reply" -w '%{http_code} %{content_type}' -X "$1" "http://$addr$2")
  if ! [[ "$reply" =~ ^4[0-9][0-9]\ application/json ]] || ! grep -q '"error"' "$work/reply"; then
    echo "$request: $reply $(head -c 200 "$work/reply")" >&2
    status=1
  fi
done
if [ "$status" != 0 ]; then
  echo "--- the server's log (last 40 lines):"
  tail -n 40 "$work/serve.log"
fi
exit "$status"
