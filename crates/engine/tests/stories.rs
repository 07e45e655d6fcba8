//! The classic stories as conformance tests that need more than a headline figure: traces of
//! individual invocations, per-subnet series, and invariants over async and event sources.

use lambdascape_engine::network::{
    DefaultRoute, DestinationKind, DestinationSpec, FunctionVpcSpec, GatewayService, InternetGatewaySpec,
    RouteTableSpec, SecurityGroupSpec, SubnetSpec, VpcSpec,
};
use lambdascape_engine::scenario::{FunctionSpec, ScenarioSpec};
use lambdascape_engine::sim::{Options, Simulation};
use lambdascape_engine::time::{DurationSpec, MICROS_PER_SEC};
use lambdascape_engine::traffic::{Arrivals, TrafficSpec};
use std::path::PathBuf;

fn load(name: &str) -> ScenarioSpec {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios").join(name);
    ScenarioSpec::from_json(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn traced(spec: &ScenarioSpec) -> Simulation {
    let opts = Options { trace_limit: 1_000_000, ..Default::default() };
    let mut sim = Simulation::with_seed(spec.validate().unwrap(), spec.seed, opts);
    sim.run();
    sim
}

/// One private + one public subnet: each environment keeps its subnet, so its invocations all
/// succeed or all time out; outcomes change only at a cold start, giving runs of successes
/// followed by a timeout right after a cold start in the public subnet.
#[test]
fn mixed_subnets_warm_reuse_gives_runs_then_a_timeout_at_a_cold_start() {
    let mut spec = load("seed-mixed-subnets.json");
    // One request at a time: concurrency 1, so one environment serves a run of requests.
    // A request every 8 s (longer than the 5 s timeout plus init) during 2 minutes, then 3
    // quiet minutes in which the idle environment is reaped.
    spec.functions[0].traffic = TrafficSpec::Bursts {
        base: 0.0,
        burst_rate: 0.125,
        every: "5m".into(),
        burst_for: "2m".into(),
        start: DurationSpec::Seconds(0.0),
        arrivals: Arrivals::Regular,
    };
    spec.functions[0].idle_lifetime = lambdascape_engine::scenario::LifetimeSpec::Fixed("60s".into());
    spec.duration = "6h".into();
    let sim = traced(&spec);
    let mut trace = sim.recorder().trace.clone();
    trace.sort_by_key(|r| r.start);
    assert!(trace.len() > 500, "{} invocations", trace.len());
    assert_eq!(sim.summary().max_concurrency, 1);
    // Same environment, same outcome.
    let mut by_env = std::collections::BTreeMap::new();
    for r in &trace {
        let o = by_env.entry(r.env).or_insert(r.outcome);
        assert_eq!(*o, r.outcome, "env #{} changed outcome", r.env);
    }
    // Outcomes change only at cold starts.
    for w in trace.windows(2) {
        if w[0].outcome != w[1].outcome {
            assert!(w[1].cold, "outcome changed at a warm invocation: {:?} -> {:?}", w[0], w[1]);
        }
    }
    // And the story happens: a run of at least 5 successes, then a cold start that times out.
    let story = trace
        .windows(6)
        .any(|w| w[..5].iter().all(|r| r.outcome == "success") && w[5].cold && w[5].outcome == "timeout");
    assert!(story, "no run of 5 successes followed by a timing-out cold start");
    // Timeouts are in proportion to the environments placed in the public subnet.
    let public = sim.scenario().vpc.as_ref().unwrap().subnet_by_name("public-b").unwrap().0;
    let in_public = trace.iter().filter(|r| r.subnet == Some(public)).count();
    let timeouts = trace.iter().filter(|r| r.outcome == "timeout").count();
    assert_eq!(in_public, timeouts, "every invocation in the public subnet, and only those, times out");
    let envs = sim.summary().environments_by_subnet;
    let share = envs["public-b"] as f64 / (envs["public-b"] + envs["private-a"]) as f64;
    assert!((0.3..=0.7).contains(&share), "uniform placement: {share}");
}

/// The narrative follows the placements of the mixed-subnets story: each environment's line
/// names its subnet and says what its invocations then do, and it is right about them.
#[test]
fn mixed_subnets_narrative_names_each_placement_and_its_outcome() {
    let mut spec = load("seed-mixed-subnets.json");
    spec.functions[0].traffic = TrafficSpec::Bursts {
        base: 0.0,
        burst_rate: 0.125,
        every: "5m".into(),
        burst_for: "2m".into(),
        start: DurationSpec::Seconds(0.0),
        arrivals: Arrivals::Regular,
    };
    spec.functions[0].idle_lifetime = lambdascape_engine::scenario::LifetimeSpec::Fixed("60s".into());
    spec.duration = "3h".into();
    let sim = traced(&spec);
    let rec = sim.recorder();
    let mut told = std::collections::BTreeMap::new();
    for e in &rec.narrative {
        let Some(rest) = e.text.strip_prefix("orders-api: env #") else { continue };
        let (serial, what) = rest.split_once(" started in subnet ").expect("a placement line");
        let fails = what.contains("time out");
        assert!(fails != what.ends_with("its calls work"), "{}", e.text);
        assert_eq!(what.starts_with("public-b"), fails, "{}", e.text);
        told.insert(serial.parse::<u32>().unwrap(), fails);
    }
    // One environment at a time, a few minutes apart: every one is told (none over the
    // per-minute budget), and then no separate "cold start" line repeats it.
    let envs: std::collections::BTreeSet<u32> = rec.trace.iter().map(|r| r.env).collect();
    assert_eq!(told.keys().copied().collect::<std::collections::BTreeSet<_>>(), envs);
    assert!(told.values().any(|f| *f) && told.values().any(|f| !*f), "both subnets appear");
    for r in &rec.trace {
        assert_eq!(told[&r.env], r.outcome == "timeout", "env #{} was told wrong", r.env);
    }
    assert!(!rec.narrative.iter().any(|e| e.text.contains("cold start —")));

    // Busier: the cold-start lines say how many landed where calls time out; over the run
    // that adds up to the environments created in the public subnet.
    let mut spec = load("seed-mixed-subnets.json");
    spec.duration = "30m".into();
    let sim = traced(&spec);
    let failing: u64 = sim
        .recorder()
        .narrative
        .iter()
        .filter(|e| e.text.contains("cold start"))
        .filter_map(|e| {
            let tail = e.text.split("; ").nth(1)?;
            if tail.starts_with("all of them") {
                e.text.split(": ").nth(1)?.split(' ').next()?.replace(',', "").parse::<u64>().ok()
            } else {
                tail.split(' ').next()?.replace(',', "").parse::<u64>().ok()
            }
        })
        .sum();
    let in_public = sim.summary().environments_by_subnet["public-b"];
    assert!(failing > 0 && failing <= in_public, "{failing} told, {in_public} placed in public-b");
}

/// A gateway endpoint makes S3 reachable without NAT, while the internet is not.
#[test]
fn gateway_endpoint_reaches_s3_without_nat() {
    let vpc = VpcSpec {
        name: "v".into(),
        cidr: "10.0.0.0/16".into(),
        azs: vec!["us-east-1a".into(), "us-east-1b".into()],
        subnets: vec![
            SubnetSpec {
                name: "private-a".into(),
                az: "us-east-1a".into(),
                cidr: "10.0.1.0/24".into(),
                route_table: "rt".into(),
            },
            SubnetSpec {
                name: "private-b".into(),
                az: "us-east-1b".into(),
                cidr: "10.0.2.0/24".into(),
                route_table: "rt".into(),
            },
        ],
        route_tables: vec![RouteTableSpec {
            name: "rt".into(),
            default_route: DefaultRoute::None,
            gateway_endpoints: vec![GatewayService::S3],
        }],
        internet_gateway: Some(InternetGatewaySpec { name: "igw".into(), attached: true }),
        nat_gateways: vec![],
        interface_endpoints: vec![],
        security_groups: vec![SecurityGroupSpec {
            name: "lambda".into(),
            egress: lambdascape_engine::network::allow_all_egress(),
        }],
        resources: vec![],
        eni_connection_limit: lambdascape_engine::network::DEFAULT_ENI_CONNECTION_LIMIT,
        eni_quota: lambdascape_engine::network::DEFAULT_ENI_QUOTA,
        other_enis: 0,
        eni_scale_out_time: None,
    };
    let dest =
        |name: &str, kind| DestinationSpec { name: name.into(), kind, bytes_per_call: 1_000_000, port: None };
    let mut to_s3 = FunctionSpec::new("to-s3", TrafficSpec::constant(5.0));
    to_s3.vpc = Some(FunctionVpcSpec {
        subnets: vec!["private-a".into(), "private-b".into()],
        security_groups: vec!["lambda".into()],
        connections_per_invocation: None,
    });
    to_s3.destinations = vec![dest("s3", DestinationKind::S3)];
    let mut to_web = to_s3.clone();
    to_web.name = "to-web".into();
    to_web.destinations = vec![dest("web", DestinationKind::Internet("example.com".into()))];
    let mut spec = ScenarioSpec::new("gw", vec![to_s3, to_web]);
    spec.vpc = Some(vpc);
    spec.duration = "5m".into();
    let mut sim = Simulation::new(spec.validate().unwrap());
    sim.run();
    let s = sim.summary();
    assert_eq!(s.functions["to-s3"].timeouts, 0);
    assert!(s.functions["to-s3"].invocations > 1000);
    let still_running = sim.state().functions[1].in_flight as u64;
    assert_eq!(s.functions["to-web"].timeouts + still_running, s.functions["to-web"].invocations);
    assert_eq!(s.unreachable.get("no_route"), Some(&s.functions["to-web"].timeouts), "{:?}", s.unreachable);
    assert_eq!(s.network_cost_usd, 0.0, "gateway endpoints are free and there is no NAT gateway");
}

/// An AZ outage: environments there are lost, and new ones land in the other AZ only.
#[test]
fn az_outage_moves_new_environments_to_the_other_az() {
    let spec = load("private-subnets-with-nat.json");
    let sim = traced(&spec);
    let vpc = sim.scenario().vpc.as_ref().unwrap();
    let a = vpc.subnet_by_name("private-a").unwrap().0 as usize;
    let b = vpc.subnet_by_name("private-b").unwrap().0 as usize;
    let rec = sim.recorder();
    let down = 600 * MICROS_PER_SEC;
    let envs_a = rec.subnets[a].column("environments").unwrap();
    let cold_a = rec.subnets[a].column("cold_starts").unwrap();
    let cold_b = rec.subnets[b].column("cold_starts").unwrap();
    let after: Vec<usize> = (0..rec.subnets[a].len()).filter(|&i| rec.subnets[a].times[i] > down).collect();
    assert!(
        after.iter().all(|&i| envs_a[i] == 0.0 && cold_a[i] == 0.0),
        "nothing in the down AZ after the outage"
    );
    assert!(after.iter().map(|&i| cold_b[i]).sum::<f32>() > 0.0, "new environments start in the other AZ");
    let before: f32 =
        (0..rec.subnets[a].len()).filter(|&i| rec.subnets[a].times[i] <= down).map(|i| cold_a[i]).sum();
    assert!(before > 0.0);
    assert!(rec.narrative.iter().any(|e| e.text.contains("us-east-1a is down")));
}

/// Until the Hyperplane ENIs exist the function is Pending: its invocations fail.
#[test]
fn pending_until_the_enis_are_ready() {
    let mut spec = load("private-subnets-with-nat.json");
    spec.faults.clear();
    spec.eni_creation_time = Some("2m".into());
    let sim = traced(&spec);
    let s = sim.summary();
    assert!(s.pending_failures > 100, "{}", s.pending_failures);
    let first_run = sim.recorder().trace.iter().map(|r| r.start).min().unwrap();
    assert!(first_run >= 120 * MICROS_PER_SEC);
    assert_eq!(s.requests, s.throttles + s.pending_failures + s.invocations);
}

/// Every async event ends exactly once: succeeded, DLQ, dropped, or still queued / running.
#[test]
fn every_async_event_ends_exactly_once() {
    let spec = load("async-throttle-dlq.json");
    for until in [20u64, 70, 300, 900] {
        let mut sim = Simulation::new(spec.validate().unwrap());
        sim.advance_to(until * MICROS_PER_SEC);
        let s = sim.summary();
        for (name, f) in &s.functions {
            let running =
                sim.state().functions[sim.scenario().function_id(name).unwrap().0 as usize].in_flight as u64;
            assert_eq!(
                f.async_events,
                f.async_succeeded + f.dlq_events + f.dropped_events + f.async_queued_at_end + running,
                "{name} at {until}s"
            );
        }
    }
}

/// SQS messages are all accounted for: deleted, in the DLQ, or still in the queue.
#[test]
fn sqs_messages_are_conserved() {
    let mut spec = load("sqs-pollers.json");
    spec.functions[0].error_rate = 0.3;
    spec.duration = "20m".into();
    let mut sim = Simulation::new(spec.validate().unwrap());
    sim.run();
    let s = sim.summary();
    let f = &s.functions["worker"];
    let backlog = sim.recorder().functions[0].value_at("sqs_backlog", sim.now()).unwrap() as u64;
    let in_flight_msgs = sim.state().functions[0].in_flight as u64 * 10;
    assert!(f.sqs_deleted + f.dlq_events + backlog <= f.sqs_messages);
    assert!(f.sqs_deleted + f.dlq_events + backlog + in_flight_msgs >= f.sqs_messages);
    assert!(f.dlq_events > 0, "failed batches are redriven after maxReceiveCount");
}

fn nat_fix_change(at: &str) -> lambdascape_engine::scenario::ChangeSpec {
    lambdascape_engine::scenario::ChangeSpec {
        at: at.into(),
        label: "move nat-a into public-a".into(),
        patch: serde_json::json!({"vpc": {"nat_gateways": [{"name": "nat-a", "subnet": "public-a"}]}}),
    }
}

/// A trainer's "fix the NAT gateway at minute 3": timeouts stop from that moment, in the
/// replay and in the CLI alike (the change is part of the scenario).
#[test]
fn a_change_at_minute_3_stops_the_timeouts_from_then_on() {
    let mut spec = load("seed-nat-in-private-subnet.json");
    spec.checks.clear();
    spec.changes.push(nat_fix_change("3m"));
    let sim = traced(&spec);
    let t3 = 180 * MICROS_PER_SEC;
    let trace = &sim.recorder().trace;
    let sync_job = sim.scenario().function_id("sync-job").unwrap().0;
    let before = trace.iter().filter(|r| r.function == sync_job && r.start < t3);
    assert!(before.clone().count() > 300 && before.clone().all(|r| r.outcome == "timeout"));
    let after: Vec<_> = trace.iter().filter(|r| r.function == sync_job && r.start >= t3).collect();
    assert!(after.len() > 500 && after.iter().all(|r| r.outcome == "success"), "{}", after.len());
    assert!(sim
        .recorder()
        .narrative
        .iter()
        .any(|e| e.time == t3 && e.text.contains("move nat-a into public-a")));
}

/// A live edit through `replace_scenario` gives exactly the run of the edited scenario.
#[test]
fn live_edit_equals_a_run_of_the_edited_scenario() {
    let mut spec = load("seed-nat-in-private-subnet.json");
    spec.checks.clear();
    let opts = Options { checkpoints: true, ..Default::default() };
    let mut live = Simulation::with_seed(spec.validate().unwrap(), spec.seed, opts.clone());
    live.advance_to(400 * MICROS_PER_SEC); // played past the edit time, then sought back
    live.seek(150 * MICROS_PER_SEC);
    let mut edited = spec.clone();
    edited.changes.push(nat_fix_change("150s"));
    live.replace_scenario(edited.validate().unwrap(), 150 * MICROS_PER_SEC);
    assert_eq!(live.now(), 150 * MICROS_PER_SEC);
    live.run();
    let mut fresh = Simulation::with_seed(edited.validate().unwrap(), edited.seed, opts);
    fresh.run();
    assert_eq!(serde_json::to_value(live.summary()).unwrap(), serde_json::to_value(fresh.summary()).unwrap());
    assert_eq!(live.recorder().account.times, fresh.recorder().account.times);
    assert_eq!(live.recorder().narrative.len(), fresh.recorder().narrative.len());
}

/// Changes that a run cannot take are refused with their path.
#[test]
fn impossible_changes_are_refused_with_a_path() {
    let mut spec = load("seed-mixed-subnets.json");
    spec.changes.push(lambdascape_engine::scenario::ChangeSpec {
        at: "1m".into(),
        label: String::new(),
        patch: serde_json::json!({"duration": "2h"}),
    });
    spec.changes.push(lambdascape_engine::scenario::ChangeSpec {
        at: "2m".into(),
        label: String::new(),
        patch: serde_json::json!({"functions": []}),
    });
    spec.changes.push(lambdascape_engine::scenario::ChangeSpec {
        at: "3m".into(),
        label: String::new(),
        patch: serde_json::json!({"vpc": {"subnets": [{"name": "only", "az": "us-east-1a", "cidr": "10.0.50.0/24", "route_table": "rt-public"}]}}),
    });
    let errs = spec.validate().unwrap_err();
    let paths: Vec<_> = errs.iter().map(|e| e.path.clone()).collect();
    assert!(paths.contains(&"changes[0].patch.duration".to_string()), "{paths:?}");
    assert!(paths.contains(&"changes[1].patch.functions".to_string()), "{paths:?}");
    assert!(paths.iter().any(|p| p.starts_with("changes[2].patch")), "{errs}");
}

/// Moving the function to private subnets only mid-run: timeouts stop once the environments
/// in the public subnet are gone (the configuration update replaces them).
#[test]
fn moving_to_private_subnets_stops_timeouts() {
    let mut spec = load("seed-mixed-subnets.json");
    spec.checks.clear();
    let mut functions = serde_json::to_value(&spec.functions).unwrap();
    functions[0]["vpc"]["subnets"] = serde_json::json!(["private-a"]);
    spec.changes.push(lambdascape_engine::scenario::ChangeSpec {
        at: "12m".into(),
        label: "attach orders-api to private subnets only".into(),
        patch: serde_json::json!({ "functions": functions }),
    });
    let sim = traced(&spec);
    let t = 12 * 60 * MICROS_PER_SEC;
    let trace = &sim.recorder().trace;
    assert!(trace.iter().any(|r| r.start < t && r.outcome == "timeout"));
    assert!(trace.iter().filter(|r| r.start >= t).all(|r| r.outcome == "success"));
    assert!(trace.iter().filter(|r| r.start >= t).count() > 100);
}

/// One group of Hyperplane ENIs per (subnet, security-group set), shared: two functions with
/// the same subnet and security group fill one group together (each holding its own count of
/// connections), while a third with another security-group set has a group of its own. Past the
/// connections per ENI each group gets more ENIs (AWS: "Lambda scales the number of ENIs
/// automatically"); with the VPC's quota of network interfaces nearly full, only the group that
/// needs one first gets it, and the invocations past the others' ENIs are refused, told and
/// counted.
#[test]
fn functions_on_one_subnet_and_security_groups_share_an_eni() {
    let mut spec = load("eni-connection-limit.json");
    spec.checks.clear();
    let mut vpc = spec.vpc.clone().unwrap();
    vpc.security_groups.push(SecurityGroupSpec {
        name: "batch".into(),
        egress: lambdascape_engine::network::allow_all_egress(),
    });
    vpc.eni_connection_limit = 120;
    spec.vpc = Some(vpc);
    let mut api = spec.functions[0].clone();
    api.vpc.as_mut().unwrap().connections_per_invocation = Some(1);
    // 150 + 60 invocations on one group at 1 connection each: 210 need 2 ENIs of 120.
    let mut worker = api.clone();
    worker.name = "worker".into();
    worker.traffic = TrafficSpec::Step {
        rate: 40.0,
        steps: vec![lambdascape_engine::traffic::RatePoint { at: "1505ms".into(), rate: 0.0 }],
        arrivals: Arrivals::Regular,
    };
    // 150 invocations at 2 connections each, alone on their group: 300 need 3 ENIs.
    let mut batch = api.clone();
    batch.name = "batch".into();
    batch.vpc.as_mut().unwrap().security_groups = vec!["batch".into()];
    batch.vpc.as_mut().unwrap().connections_per_invocation = Some(2);
    spec.functions = vec![api, worker, batch];
    let sim = traced(&spec);
    let s = sim.summary();
    assert_eq!(s.requests, 150 + 60 + 150);
    assert_eq!(s.eni_max_connections["private-a+lambda"], 210);
    assert_eq!(s.eni_max_connections["private-a+batch"], 300);
    assert_eq!(s.eni_max_count["private-a+lambda"], 2);
    assert_eq!(s.eni_max_count["private-a+batch"], 3);
    assert_eq!((s.timeouts, s.errors), (0, 0));
    assert!(s.unreachable.is_empty(), "{:?}", s.unreachable);
    // The two groups are in the same subnet: the per-subnet series shows the busier one's
    // connections and every ENI of the subnet.
    let sub = &sim.recorder().subnets[0];
    assert_eq!(sub.value_at("eni_connections", 2 * MICROS_PER_SEC), Some(300.0));
    assert_eq!(sub.value_at("eni_connections", 40 * MICROS_PER_SEC), Some(0.0));
    assert_eq!(sub.value_at("enis", 2 * MICROS_PER_SEC), Some(5.0));
    let told: Vec<_> =
        sim.recorder().narrative.iter().filter(|e| e.text.contains("Lambda adds")).map(|e| &e.text).collect();
    assert!(told.iter().any(|t| t.contains("for subnet private-a + lambda to 121 connections")), "{told:?}");
    assert!(told.iter().any(|t| t.starts_with("batch: opening 2 connections")), "{told:?}");

    // The VPC's quota leaves room for one more ENI (2 groups of 1 + 1 = 3): the batch group
    // passes 120 connections first (at 0.6 s; the shared group at about 0.86 s) and takes it.
    spec.vpc.as_mut().unwrap().eni_quota = 3;
    let sim = traced(&spec);
    let s = sim.summary();
    assert_eq!(s.eni_max_count["private-a+batch"], 2);
    assert_eq!(s.eni_max_count["private-a+lambda"], 1);
    assert_eq!(s.eni_max_connections["private-a+lambda"], 120);
    assert_eq!(s.eni_max_connections["private-a+batch"], 240);
    let refused = s.unreachable["eni_quota_reached"];
    assert_eq!(refused, (150 + 60 - 120) + (150 - 120));
    assert_eq!(s.functions["batch"].timeouts, 30);
    assert_eq!(s.functions["orders-api"].timeouts + s.functions["worker"].timeouts, 90);
    assert_eq!(s.timeouts, refused);
    let told: Vec<_> = sim
        .recorder()
        .narrative
        .iter()
        .filter(|e| e.text.contains("cannot open its"))
        .map(|e| &e.text)
        .collect();
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(told.iter().any(|t| t.contains("subnet private-a + lambda (shared by every function on that subnet and security groups) carry 120 connections on 1 ENI (120 each)")));
    assert!(told.iter().any(|t| t.starts_with("batch: ")
        && t.contains("its 2 connections")
        && t.contains("quota of 3 network interfaces")));
    // Refused invocations hang until the 10 s timeout and hold nothing meanwhile.
    for r in sim.recorder().trace.iter().filter(|r| r.outcome == "timeout") {
        assert_eq!(r.end - r.start, 200_000 + 10 * MICROS_PER_SEC);
    }
    assert!(sim.state().net.enis.iter().all(|e| e.connections == 0));
}

/// A change that makes room in the VPC's quota of network interfaces mid-run lets the group
/// grow and later invocations connect; the groups keep their identity (and their open
/// connections) across the change, and a live edit gives the same run.
#[test]
fn raising_the_eni_quota_mid_run_and_by_live_edit() {
    let mut spec = load("eni-quota-reached.json");
    spec.checks.clear();
    spec.functions[0].traffic = TrafficSpec::Constant { rate: 40.0, arrivals: Arrivals::Regular };
    let base = spec.validate().unwrap();
    let mut sim = Simulation::new(base);
    sim.run();
    let before = sim.summary();
    // 40/s x 5 s = 200 in flight x 500 connections against one ENI of 65,000 (the quota leaves
    // no room for a second): about a third are refused all along.
    assert!(before.unreachable["eni_quota_reached"] > 500, "{:?}", before.unreachable);
    assert_eq!(before.eni_max_count["private-a+lambda"], 1);

    let change = lambdascape_engine::scenario::ChangeSpec {
        at: "30s".into(),
        label: "other services release their network interfaces".into(),
        patch: serde_json::json!({"vpc": {"other_enis": 0}}),
    };
    let mut changed = spec.clone();
    changed.changes.push(change);
    let mut fresh = Simulation::new(changed.validate().unwrap());
    fresh.run();
    let after = fresh.summary();
    let refused = after.unreachable["eni_quota_reached"];
    assert!(refused < before.unreachable["eni_quota_reached"]);
    // Only invocations that started before 30 s can have been refused.
    assert!(refused <= 40 * 30, "{refused}");
    // 40/s x 5 s (plus the path's latency) in flight once the group can grow.
    assert!(
        (100_000..=101_000).contains(&after.eni_max_connections["private-a+lambda"]),
        "{:?}",
        after.eni_max_connections
    );
    assert_eq!(after.eni_max_count["private-a+lambda"], 2);

    let opts = Options { checkpoints: true, ..Default::default() };
    let mut live = Simulation::with_seed(spec.validate().unwrap(), spec.seed, opts);
    live.advance_to(50 * MICROS_PER_SEC);
    live.seek(30 * MICROS_PER_SEC);
    live.replace_scenario(changed.validate().unwrap(), 30 * MICROS_PER_SEC);
    live.run();
    assert_eq!(serde_json::to_value(live.summary()).unwrap(), serde_json::to_value(fresh.summary()).unwrap());
    assert_eq!(live.recorder().narrative.len(), fresh.recorder().narrative.len());
}

/// An asynchronous invocation refused its connections fails like any timeout: Lambda retries
/// the event (after a minute, then two), and the retries find the ENI free again.
#[test]
fn async_invocations_refused_a_connection_are_retried() {
    let mut spec = load("eni-quota-reached.json");
    spec.checks.clear();
    spec.duration = "5m".into();
    spec.functions[0].invocation = lambdascape_engine::scenario::InvocationType::Async;
    let mut sim = Simulation::new(spec.validate().unwrap());
    sim.run();
    let s = sim.summary();
    let f = &s.functions["orders-api"];
    assert_eq!(s.unreachable["eni_quota_reached"], 20);
    assert_eq!(f.async_retries, 20);
    assert_eq!(f.async_succeeded, 150);
    assert_eq!(s.eni_max_connections["private-a+lambda"], 65_000);
}
