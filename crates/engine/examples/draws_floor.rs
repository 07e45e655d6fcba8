//! The floor under any simulator of a scenario that makes the random draws Lambdascape makes:
//! the time the draws alone take, with nothing simulated. For each function, every arrival time
//! to the horizon (the engine's `ArrivalGen` on a ChaCha8 stream) and a duration for each
//! request (the engine's `Dist::sample`); no environments, events, metrics or output. A run of
//! the scenario cannot take less. `scripts/bench_compare.sh` prints it beside the SimFaaS
//! example's run, as the floor under its 1000x goal.
//!
//!   cargo run --release -p lambdascape-engine --example draws_floor -- tests/scenarios/simfaas-example.json

use lambdascape_engine::traffic::ArrivalGen;
use lambdascape_engine::ScenarioSpec;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "tests/scenarios/simfaas-example.json".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let spec = ScenarioSpec::from_json(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let sc = spec.validate().unwrap_or_else(|e| panic!("{path}: {e}"));
    let start = Instant::now();
    let (mut requests, mut busy_us) = (0u64, 0u64);
    for (i, f) in sc.functions.iter().enumerate() {
        let mut arrivals = ChaCha8Rng::seed_from_u64(spec.seed.wrapping_add(i as u64));
        let mut durations = ChaCha8Rng::seed_from_u64(!spec.seed.wrapping_add(i as u64));
        let mut gen = ArrivalGen::new(&f.traffic.pattern);
        while let Some(t) = gen.next(&f.traffic, &mut arrivals) {
            if t > sc.horizon {
                break;
            }
            busy_us = busy_us.wrapping_add(f.duration.sample(&mut durations));
            requests += 1;
        }
    }
    let took = start.elapsed().as_secs_f64();
    // The sum keeps the draws from being optimised away.
    println!(
        "{requests} requests, their arrival and duration draws alone: {:.1} ms (busy {} s)",
        took * 1e3,
        busy_us / 1_000_000
    );
}
