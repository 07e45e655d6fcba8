#!/usr/bin/env bash
# Engine speed and memory figures: criterion benches (a) SimFaaS 1,000,000 s, (b) legacy spike
# 8,000 req/s for 1 h, (c) 20 functions for 24 h, (d) PC, async and SQS for 24 h, (e) the spike in
# a VPC, (f) the spike's traffic on Web Functions (64 per environment); then peak memory of each
# run through the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p lambdascape-cli
for s in tests/scenarios/simfaas-example.json crates/engine/benches/legacy-spike.json crates/engine/benches/mixed-20-functions.json crates/engine/benches/pc-async-24h.json crates/engine/benches/legacy-spike-vpc.json crates/engine/benches/web-spike.json; do
  /usr/bin/time -f "$s: %e s wall, peak RSS %M KB" ./target/release/lambdascape simulate "$s" > /dev/null
done
[ "${1:-}" = "--memory-only" ] || cargo bench -p lambdascape-engine --bench engine
