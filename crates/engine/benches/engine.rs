//! Engine speed benchmarks (`cargo bench -p lambdascape-engine`):
//! (a) the SimFaaS example over 1,000,000 s (~900k requests), budget 100 ms;
//! (b) a legacy spike, account 10,000, 8,000 requests/s of 1 s for one hour (~29M requests),
//!     budget 3 s (memory: see scripts/bench-memory.sh);
//! (c) 20 functions with mixed patterns over 24 hours (reported);
//! (d) 24 hours with provisioned concurrency auto scaling, async and SQS traffic;
//! (e) the legacy spike of (b) with a VPC (placement, reachability, NAT and endpoint bytes).

use criterion::{criterion_group, criterion_main, Criterion};
use lambdascape_engine::scenario::ScenarioSpec;
use lambdascape_engine::sim::Simulation;
use std::time::Duration;

fn load(path: &str) -> lambdascape_engine::Scenario {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    ScenarioSpec::parse_and_validate(&text).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn bench(c: &mut Criterion) {
    let cases = [
        ("a_simfaas_1e6s", "../../tests/scenarios/simfaas-example.json", 20),
        ("b_legacy_spike_1h_8000rps", "benches/legacy-spike.json", 10),
        ("c_mixed_20_functions_24h", "benches/mixed-20-functions.json", 10),
        ("d_pc_async_sqs_24h", "benches/pc-async-24h.json", 10),
        ("e_legacy_spike_1h_vpc", "benches/legacy-spike-vpc.json", 10),
        ("f_web_spike_1h_8000rps", "benches/web-spike.json", 10),
    ];
    for (name, path, samples) in cases {
        let scenario = load(path);
        {
            let mut sim = Simulation::new(scenario.clone());
            sim.run();
            let s = sim.summary();
            eprintln!(
                "{name}: {} requests, {} invocations, {} environments created, {} events",
                s.requests, s.invocations, s.environments_created, s.events_processed
            );
        }
        let mut g = c.benchmark_group(name);
        g.sample_size(samples).measurement_time(Duration::from_secs(20)).warm_up_time(Duration::from_secs(1));
        g.bench_function("run", |b| {
            b.iter(|| {
                let mut sim = Simulation::new(scenario.clone());
                sim.run();
                sim.summary().invocations
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
