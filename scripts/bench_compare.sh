#!/usr/bin/env bash
# Engine speed side by side, in one run on this machine: SimFaaS (the Python simulator the
# SimFaaS example comes from, installed from PyPI into target/simfaas-venv) against the
# `lambdascape` CLI on the same example, then the legacy spike, 20 functions for 24 hours and a
# 50-point sizing sweep of a one-hour, 100 requests/s scenario; beside the SimFaaS example and
# the spike, the floor: their random draws alone (crates/engine/examples/draws_floor.rs), which
# no run can beat. Whole-process wall times, the
# best of RUNS (default 3). With BEFORE=<path of another lambdascape binary> each figure is
# also measured with that binary (e.g. a build of an earlier commit), side by side.
#   scripts/bench_compare.sh
#   BEFORE=/tmp/lambdascape-old RUNS=5 scripts/bench_compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
cargo build --release -q -p lambdascape-cli
cargo build --release -q -p lambdascape-engine --example draws_floor
NOW=./target/release/lambdascape
FLOOR=./target/release/examples/draws_floor
VENV=target/simfaas-venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import simfaas' 2>/dev/null; then
  echo "bench: installing SimFaaS 0.2.2 from PyPI into $VENV (once)" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q simfaas==0.2.2
fi

# best WALL_SECONDS of $RUNS runs of a command; "n/a" when it fails (e.g. a BEFORE build older
# than the command)
best() {
  local b=""
  for _ in $(seq "$RUNS"); do
    local s e
    s=$(date +%s.%N)
    if ! "$@" > /dev/null 2>&1; then echo "n/a"; return; fi
    e=$(date +%s.%N)
    b=$(echo "$e - $s" | bc -l | awk -v b="$b" '{ if (b == "" || $1 < b) print $1; else print b }')
  done
  printf '%.3f' "$b"
}

simfaas() {
  "$VENV/bin/python" - <<'PY'
from simfaas.ServerlessSimulator import ServerlessSimulator
# The SimFaaS README example: tests/scenarios/simfaas-example.json is the same model.
sim = ServerlessSimulator(arrival_rate=0.9, warm_service_rate=1/1.991, cold_service_rate=1/2.244,
                          expiration_threshold=600, max_time=1e6)
sim.generate_trace(debug_print=False, progress=False)
PY
}

row() { # label, then the lambdascape arguments
  local label=$1; shift
  local now before=""
  now=$(best "$NOW" -q "$@")
  if [ -n "${BEFORE:-}" ]; then before=$(best "$BEFORE" -q "$@"); fi
  printf '%-44s %10s %10s\n' "$label" "${before:--}" "$now"
}

echo "machine: $(nproc) cores, $(uname -m); best of $RUNS runs, whole process, seconds"
sf=$(RUNS=1 best simfaas)
printf '%-44s %10s %10s\n' "" "before" "now"
printf '%-44s %10s\n' "SimFaaS 0.2.2, its example over 1,000,000 s" "$sf"
row "lambdascape, the same example" simulate tests/scenarios/simfaas-example.json
lf=$(best "$NOW" -q simulate tests/scenarios/simfaas-example.json)
echo "  lambdascape is $(echo "$sf / $lf" | bc -l | xargs printf '%.0f')x faster than SimFaaS on it"
# The floor: the example's arrival and duration draws alone (crates/engine/examples/draws_floor.rs),
# nothing simulated; no run of the example can take less.
fl=$(best "$FLOOR" tests/scenarios/simfaas-example.json)
printf '%-44s %10s %10s\n' "  floor: the same draws alone, nothing else" "" "$fl"
echo "  1000x SimFaaS would be $(echo "$sf / 1000" | bc -l | xargs printf '%.4f') s; the draws alone are $(echo "$sf / $fl" | bc -l | xargs printf '%.0f')x"
row "legacy spike, 8,000 requests/s for 1 h" simulate crates/engine/benches/legacy-spike.json
printf '%-44s %10s %10s\n' "  floor: its draws alone" "" "$(best "$FLOOR" crates/engine/benches/legacy-spike.json)"
row "20 functions for 24 h" simulate crates/engine/benches/mixed-20-functions.json
row "sweep: 50 points x 1 seed, 1 h at 100 req/s" sweep crates/engine/benches/sweep-hour-100rps.json --vary provisioned=0..245:5 --seeds 1
