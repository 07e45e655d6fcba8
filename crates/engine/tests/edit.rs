//! The editor's edits (`lambdascape_engine::edit`): every kind on the fixtures, renames that keep
//! references, refusals with their field, hostile names, undo/redo and autosave, live edits
//! recorded as changes (and replayed exactly by `replace_scenario`), the mixed-subnets
//! story as a learner would fix it, compute modes and their settings, and random edit
//! sequences that never panic.

use lambdascape_engine::dist::DistSpec;
use lambdascape_engine::edit::{
    apply, apply_live, effective_spec_at, ComputeMode, Edit, EditError, EditErrorKind, History,
    HISTORY_LIMIT, MAX_LABEL_CHARS,
};
use lambdascape_engine::network::{
    DefaultRoute, DestinationKind, DestinationSpec, EgressRule, GatewayService, ResourceKind,
};
use lambdascape_engine::scenario::{
    FaultSpec, FunctionSpec, InvocationType, LifetimeSpec, ManagedInstancesSpec, Placement, ScalingModel,
    ScenarioSpec, ScheduleSpec, ScheduledActionSpec, SnapStartRuntime, WebSpec,
};
use lambdascape_engine::sim::{Options, Simulation};
use lambdascape_engine::time::{DurationSpec, Micros, MICROS_PER_SEC};
use lambdascape_engine::traffic::{Arrivals, TrafficSpec};
use proptest::prelude::*;
use std::path::PathBuf;

fn load(name: &str) -> ScenarioSpec {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios").join(name);
    ScenarioSpec::from_json(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn mixed() -> ScenarioSpec {
    load("seed-mixed-subnets.json")
}

fn burst() -> ScenarioSpec {
    load("seed-burst-5000.json")
}

/// Applies an edit that must succeed, and checks the result validates.
fn ok(spec: &ScenarioSpec, edit: Edit) -> ScenarioSpec {
    let out = apply(spec, &edit).unwrap_or_else(|e| panic!("{}: {e} {:?}", edit.label(), e.errors));
    out.validate().unwrap_or_else(|e| panic!("{}: result does not validate: {e}", edit.label()));
    assert!(&out != spec, "{} changed nothing", edit.label());
    out
}

/// Applies an edit that must fail, and checks nothing leaks out of bounds.
fn refused(spec: &ScenarioSpec, edit: Edit, kind: EditErrorKind) -> EditError {
    let e = apply(spec, &edit).expect_err(&edit.label());
    assert_eq!(e.kind, kind, "{}: {e}", edit.label());
    assert!(!e.message.is_empty() && e.message.chars().count() <= 400, "{}", e.message);
    e
}

fn s(x: &str) -> String {
    x.to_string()
}

fn names(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|x| x.to_string()).collect()
}

fn f0(spec: &ScenarioSpec) -> &FunctionSpec {
    &spec.functions[0]
}

fn secs(n: u64) -> Micros {
    n * MICROS_PER_SEC
}

// --- Each edit kind ------------------------------------------------------------------------

/// Account and function edits on seed-burst-5000 change their field and validate.
#[test]
fn account_and_function_edits_change_what_they_should() {
    let f = || s("product-api");
    let sp = burst();
    let sp = ok(&sp, Edit::SetRegion { region: s("eu-west-1") });
    assert_eq!(sp.account.region, "eu-west-1");
    let sp = ok(&sp, Edit::SetConcurrencyLimit { limit: 6000 });
    assert_eq!(sp.account.concurrency_limit, 6000);
    let sp = ok(&sp, Edit::SetScalingModel { model: ScalingModel::Current });
    assert_eq!(sp.account.scaling_model, ScalingModel::Current);

    let sp = ok(&sp, Edit::SetReservedConcurrency { function: f(), reserved: Some(900) });
    assert_eq!(f0(&sp).reserved_concurrency, Some(900));
    let sp = ok(&sp, Edit::SetProvisionedConcurrency { function: f(), initial: Some(50) });
    assert_eq!(f0(&sp).provisioned.as_ref().unwrap().initial, 50);
    let sp = ok(&sp, Edit::SetProvisionedConcurrency { function: f(), initial: Some(80) });
    assert_eq!(f0(&sp).provisioned.as_ref().unwrap().initial, 80);
    let policy =
        serde_json::from_value(serde_json::json!({"min_capacity": 10, "max_capacity": 200})).unwrap();
    let sp = ok(&sp, Edit::SetTargetTracking { function: f(), policy: Some(policy) });
    assert_eq!(f0(&sp).provisioned.as_ref().unwrap().target_tracking.as_ref().unwrap().max_capacity, 200);
    let action = ScheduledActionSpec {
        name: s("morning"),
        schedule: ScheduleSpec::At("2m".into()),
        min_capacity: Some(100),
        max_capacity: Some(300),
    };
    let sp = ok(&sp, Edit::AddScheduledAction { function: f(), action: action.clone() });
    assert_eq!(f0(&sp).provisioned.as_ref().unwrap().scheduled_actions, vec![action.clone()]);
    refused(&sp, Edit::AddScheduledAction { function: f(), action }, EditErrorKind::BadInput);
    let sp = ok(&sp, Edit::RemoveScheduledAction { function: f(), name: s("morning") });
    assert!(f0(&sp).provisioned.as_ref().unwrap().scheduled_actions.is_empty());
    let sp = ok(&sp, Edit::SetTargetTracking { function: f(), policy: None });
    assert!(f0(&sp).provisioned.as_ref().unwrap().target_tracking.is_none());
    let sp = ok(&sp, Edit::SetProvisionedConcurrency { function: f(), initial: None });
    assert!(f0(&sp).provisioned.is_none());
    let e = refused(&sp, Edit::SetTargetTracking { function: f(), policy: None }, EditErrorKind::BadInput);
    assert!(e.message.contains("no provisioned concurrency"), "{e}");
    let sp = ok(&sp, Edit::SetReservedConcurrency { function: f(), reserved: None });
    assert_eq!(f0(&sp).reserved_concurrency, None);

    let sp = ok(&sp, Edit::SetMemory { function: f(), memory_mb: 2048 });
    assert_eq!(f0(&sp).memory_mb, 2048);
    let sp = ok(&sp, Edit::SetTimeout { function: f(), timeout: "60s".into() });
    assert_eq!(f0(&sp).timeout.micros(), secs(60));
    let sp = ok(&sp, Edit::SetInitDuration { function: f(), init: DistSpec::constant(800.0) });
    assert_eq!(f0(&sp).init, DistSpec::constant(800.0));
    let dur = DistSpec::Lognormal { mean_ms: 250.0, std_ms: 50.0 };
    let sp = ok(&sp, Edit::SetDuration { function: f(), duration: dur.clone() });
    assert_eq!(f0(&sp).duration, dur);
    let sp =
        ok(&sp, Edit::SetIdleLifetime { function: f(), idle_lifetime: LifetimeSpec::Fixed("5m".into()) });
    assert_eq!(f0(&sp).idle_lifetime, LifetimeSpec::Fixed("5m".into()));
    let sp = ok(&sp, Edit::SetInvocationType { function: f(), invocation: InvocationType::Async });
    assert_eq!(f0(&sp).invocation, InvocationType::Async);
    let sp = ok(&sp, Edit::SetErrorRate { function: f(), error_rate: 0.05 });
    assert_eq!(f0(&sp).error_rate, 0.05);
    let dest =
        DestinationSpec { name: s("bucket"), kind: DestinationKind::S3, bytes_per_call: 1000, port: None };
    let sp = ok(&sp, Edit::SetDestinations { function: f(), destinations: vec![dest.clone()] });
    assert_eq!(f0(&sp).destinations, vec![dest]);
    let sp = ok(&sp, Edit::SetTraffic { function: f(), traffic: TrafficSpec::constant(42.0) });
    assert_eq!(f0(&sp).traffic, TrafficSpec::constant(42.0));
    let csv = s("time_s,rate\n0,1\n60,50\n\n120,5\n");
    let sp = ok(&sp, Edit::SetTrafficCsv { function: f(), csv, arrivals: Arrivals::Regular });
    match &f0(&sp).traffic {
        TrafficSpec::Points { points, csv: None, arrivals: Arrivals::Regular } => {
            assert_eq!(points.len(), 3);
            assert_eq!((points[1].at.micros(), points[1].rate), (secs(60), 50.0));
        }
        other => panic!("{other:?}"),
    }
    let e = refused(
        &sp,
        Edit::SetTrafficCsv { function: f(), csv: s("0,1\n5,x"), arrivals: Arrivals::Poisson },
        EditErrorKind::BadInput,
    );
    assert_eq!(e.field.as_deref(), Some("functions[0].traffic"));
    assert!(e.message.contains("line 2"), "{e}");
    let sp = ok(&sp, Edit::SetPlacement { function: f(), placement: Placement::RoundRobinAz });
    assert_eq!(f0(&sp).placement, Placement::RoundRobinAz);

    // A VPC for a scenario without one, then a function connected to it.
    let sp = ok(&sp, Edit::AddVpc { name: s("v"), cidr: s("10.1.0.0/16"), azs: names(&["eu-west-1a"]) });
    let sp = ok(&sp, Edit::AddRouteTable { name: s("rt"), default_route: DefaultRoute::None });
    let sp = ok(
        &sp,
        Edit::AddSubnet { name: s("p"), az: s("eu-west-1a"), cidr: s("10.1.1.0/24"), route_table: s("rt") },
    );
    let sp = ok(
        &sp,
        Edit::AddSecurityGroup { name: s("sg"), egress: lambdascape_engine::network::allow_all_egress() },
    );
    let e = refused(
        &sp,
        Edit::SetFunctionSubnets { function: f(), subnets: names(&["p"]) },
        EditErrorKind::BadInput,
    );
    assert!(e.message.contains("no VPC configuration"), "{e}");
    let sp = ok(
        &sp,
        Edit::SetFunctionVpc { function: f(), subnets: names(&["p"]), security_groups: names(&["sg"]) },
    );
    assert_eq!(f0(&sp).vpc.as_ref().unwrap().subnets, names(&["p"]));
    let sp = ok(&sp, Edit::RemoveFunctionVpc { function: f() });
    assert!(f0(&sp).vpc.is_none());
    refused(&sp, Edit::SetMemory { function: s("nope"), memory_mb: 256 }, EditErrorKind::NotFound);
}

/// Topology edits on seed-mixed-subnets change their element and validate.
#[test]
fn topology_edits_change_what_they_should() {
    let sp = mixed();
    let vpc = |x: &ScenarioSpec| x.vpc.clone().unwrap();
    let sp = ok(&sp, Edit::AddAz { name: s("us-east-1c") });
    assert_eq!(vpc(&sp).azs.last().unwrap(), "us-east-1c");
    let sp = ok(&sp, Edit::RemoveAz { name: s("us-east-1c") });
    assert_eq!(vpc(&sp).azs.len(), 2);
    let e = refused(&sp, Edit::RemoveAz { name: s("us-east-1b") }, EditErrorKind::InUse);
    assert!(e.message.contains("subnet public-b"), "{e}");

    let sp = ok(&sp, Edit::AddRouteTable { name: s("rt-b"), default_route: DefaultRoute::None });
    let sp = ok(
        &sp,
        Edit::AddSubnet {
            name: s("private-b"),
            az: s("us-east-1b"),
            cidr: s("10.0.11.0/24"),
            route_table: s("rt-b"),
        },
    );
    let sub = |x: &ScenarioSpec, n: &str| vpc(x).subnets.into_iter().find(|y| y.name == n).unwrap();
    assert_eq!(sub(&sp, "private-b").az, "us-east-1b");
    let e = refused(
        &sp,
        Edit::AddSubnet {
            name: s("overlap"),
            az: s("us-east-1b"),
            cidr: s("10.0.11.0/25"),
            route_table: s("rt-b"),
        },
        EditErrorKind::Invalid,
    );
    assert!(e.field.as_deref().unwrap().starts_with("vpc.subnets[4]"), "{e}");
    let sp = ok(&sp, Edit::SetSubnetCidr { subnet: s("private-b"), cidr: s("10.0.12.0/24") });
    assert_eq!(sub(&sp, "private-b").cidr, "10.0.12.0/24");
    let sp = ok(&sp, Edit::AddNatGateway { name: s("nat-b"), subnet: s("public-b") });
    assert_eq!(vpc(&sp).nat_gateways[1].subnet, "public-b");
    let sp = ok(
        &sp,
        Edit::SetDefaultRoute { route_table: s("rt-b"), target: DefaultRoute::NatGateway(s("nat-b")) },
    );
    assert_eq!(vpc(&sp).route_tables[2].default_route, DefaultRoute::NatGateway(s("nat-b")));
    refused(
        &sp,
        Edit::SetDefaultRoute { route_table: s("rt-b"), target: DefaultRoute::NatGateway(s("nat-z")) },
        EditErrorKind::NotFound,
    );
    let e = refused(&sp, Edit::RemoveNatGateway { name: s("nat-b") }, EditErrorKind::InUse);
    assert!(e.message.contains("route table rt-b"), "{e}");
    let sp = ok(&sp, Edit::SetDefaultRoute { route_table: s("rt-b"), target: DefaultRoute::InternetGateway });
    let sp = ok(&sp, Edit::MoveNatGateway { name: s("nat-b"), subnet: s("public-a") });
    assert_eq!(vpc(&sp).nat_gateways[1].subnet, "public-a");
    let sp = ok(&sp, Edit::RemoveNatGateway { name: s("nat-b") });
    assert_eq!(vpc(&sp).nat_gateways.len(), 1);
    let sp = ok(&sp, Edit::SetSubnetRouteTable { subnet: s("private-b"), route_table: s("rt-private") });
    assert_eq!(sub(&sp, "private-b").route_table, "rt-private");

    let sp = ok(&sp, Edit::AddGatewayEndpoint { route_table: s("rt-private"), service: GatewayService::S3 });
    assert_eq!(vpc(&sp).route_tables[1].gateway_endpoints, vec![GatewayService::S3]);
    let sp =
        ok(&sp, Edit::RemoveGatewayEndpoint { route_table: s("rt-private"), service: GatewayService::S3 });
    assert!(vpc(&sp).route_tables[1].gateway_endpoints.is_empty());
    refused(
        &sp,
        Edit::RemoveGatewayEndpoint { route_table: s("rt-private"), service: GatewayService::DynamoDb },
        EditErrorKind::NotFound,
    );

    let sp = ok(&sp, Edit::DetachInternetGateway);
    assert!(!vpc(&sp).internet_gateway.unwrap().attached);
    let sp = ok(&sp, Edit::AttachInternetGateway);
    assert!(vpc(&sp).internet_gateway.unwrap().attached);
    let e = refused(&sp, Edit::AddInternetGateway { name: s("igw-2") }, EditErrorKind::BadInput);
    assert!(e.message.contains("at most one"), "{e}");

    let sp = ok(
        &sp,
        Edit::AddInterfaceEndpoint {
            service: s("sqs"),
            subnets: names(&["private-a", "private-b"]),
            private_dns: true,
        },
    );
    assert_eq!(vpc(&sp).interface_endpoints[0].subnets.len(), 2);
    let sp = ok(&sp, Edit::SetPrivateDns { service: s("sqs"), enabled: false });
    assert!(!vpc(&sp).interface_endpoints[0].private_dns);
    let e = refused(&sp, Edit::RemoveSubnet { name: s("private-b") }, EditErrorKind::InUse);
    assert!(e.message.contains("the sqs endpoint"), "{e}");
    let sp = ok(&sp, Edit::RemoveInterfaceEndpoint { service: s("sqs") });
    assert!(vpc(&sp).interface_endpoints.is_empty());

    let sp = ok(
        &sp,
        Edit::AddResource {
            name: s("cache"),
            kind: ResourceKind::Cache,
            subnet: s("private-a"),
            port: None,
            security_groups: names(&["db"]),
        },
    );
    let sp = ok(&sp, Edit::MoveResource { name: s("cache"), subnet: s("private-b") });
    assert_eq!(vpc(&sp).resources[1].subnet, "private-b");
    let sp = ok(&sp, Edit::RemoveResource { name: s("cache") });
    assert_eq!(vpc(&sp).resources.len(), 1);
    let mut calls_db = sp.clone();
    calls_db.functions[0].destinations.push(DestinationSpec {
        name: s("db"),
        kind: DestinationKind::Resource(s("orders-db")),
        bytes_per_call: 100,
        port: None,
    });
    let e = refused(&calls_db, Edit::RemoveResource { name: s("orders-db") }, EditErrorKind::InUse);
    assert!(e.message.contains("function orders-api"), "{e}");

    let sp = ok(&sp, Edit::AddSecurityGroup { name: s("web"), egress: vec![] });
    let rule = EgressRule { to: s("0.0.0.0/0"), ports: Some((443, 443)) };
    let sp = ok(&sp, Edit::SetEgressRules { security_group: s("web"), egress: vec![rule.clone()] });
    assert_eq!(vpc(&sp).security_groups[2].egress, vec![rule]);
    let sp = ok(
        &sp,
        Edit::SetFunctionSecurityGroups { function: s("orders-api"), security_groups: names(&["web"]) },
    );
    assert_eq!(f0(&sp).vpc.as_ref().unwrap().security_groups, names(&["web"]));
    let sp = ok(&sp, Edit::SetFunctionSubnets { function: s("orders-api"), subnets: names(&["private-a"]) });
    let sp = ok(&sp, Edit::RemoveSubnet { name: s("public-b") });
    assert!(vpc(&sp).subnets.iter().all(|x| x.name != "public-b"));

    // Several edits as one (the advisor's fixes), all or nothing.
    let fix = Edit::Steps {
        steps: vec![
            Edit::AddGatewayEndpoint { route_table: s("rt-private"), service: GatewayService::DynamoDb },
            Edit::SetFunctionSubnets {
                function: s("orders-api"),
                subnets: names(&["private-a", "private-b"]),
            },
        ],
    };
    assert_eq!(
        fix.label(),
        "add gateway endpoint dynamodb to rt-private; then set subnets of orders-api to private-a, private-b"
    );
    let sp = ok(&sp, fix);
    assert_eq!(f0(&sp).vpc.as_ref().unwrap().subnets, names(&["private-a", "private-b"]));
    assert_eq!(vpc(&sp).route_tables[1].gateway_endpoints, vec![GatewayService::DynamoDb]);
    let bad = Edit::Steps {
        steps: vec![
            Edit::AddNatGateway { name: s("nat-c"), subnet: s("public-a") },
            Edit::MoveNatGateway { name: s("nope"), subnet: s("public-a") },
        ],
    };
    let e = refused(&sp, bad, EditErrorKind::NotFound);
    assert!(e.message.contains("no NAT gateway named 'nope'"), "{e}");
    // A step's name is checked as the editor checks it.
    let long =
        Edit::Steps { steps: vec![Edit::AddNatGateway { name: "n".repeat(65), subnet: s("public-a") }] };
    let e = refused(&sp, long, EditErrorKind::BadInput);
    assert_eq!(e.field.as_deref(), Some("vpc.nat_gateways[1].name"), "{e}");
    let rule = EgressRule { to: s("sg:db"), ports: Some((5432, 5432)) };
    let sp = ok(&sp, Edit::AddEgressRule { security_group: s("web"), rule: rule.clone() });
    assert_eq!(vpc(&sp).security_groups[2].egress.last(), Some(&rule));
    // Steps inside steps, to a bounded depth.
    let mut nested = Edit::SetPrivateDns { service: s("sqs"), enabled: true };
    for _ in 0..20 {
        nested = Edit::Steps { steps: vec![nested] };
    }
    let e = refused(&sp, nested, EditErrorKind::BadInput);
    assert!(e.message.contains("too many steps"), "{e}");
}

/// Every edit's JSON is tagged by "op", snake_case, and reads back.
#[test]
fn edits_are_json_tagged_by_op() {
    let e = Edit::AddNatGateway { name: s("nat-b"), subnet: s("public-b") };
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v, serde_json::json!({"op": "add_nat_gateway", "name": "nat-b", "subnet": "public-b"}));
    let e: Edit = serde_json::from_value(serde_json::json!({
        "op": "set_default_route", "route_table": "rt-private", "target": {"nat_gateway": "nat-a"}
    }))
    .unwrap();
    assert_eq!(e.label(), "point the default route of rt-private to nat-a");
    let e: Edit = serde_json::from_value(
        serde_json::json!({"op": "set_reserved_concurrency", "function": "payments", "reserved": 950}),
    )
    .unwrap();
    assert_eq!(e.label(), "set reserved concurrency of payments to 950");
    assert_eq!(
        Edit::AddNatGateway { name: s("nat-b"), subnet: s("public-b") }.label(),
        "add NAT gateway nat-b in public-b"
    );
    assert!(serde_json::from_value::<Edit>(serde_json::json!({"op": "explode"})).is_err());
}

// --- Renames ---------------------------------------------------------------------------------

/// A renamed subnet stays attached to functions, NAT gateways, resources and endpoints, and its
/// checks and highlights follow; a renamed AZ keeps its subnets and faults.
#[test]
fn renames_keep_every_reference() {
    let mut sp = mixed();
    sp.faults.push(FaultSpec { az_down: s("us-east-1a"), at: "20m".into(), until: None });
    sp.chapters.push(
        serde_json::from_value(serde_json::json!({
            "at": "0s", "title": "The NAT", "highlight": ["subnet:public-a", "nat:nat-a"]
        }))
        .unwrap(),
    );
    let sp = ok(
        &sp,
        Edit::AddInterfaceEndpoint { service: s("sqs"), subnets: names(&["private-a"]), private_dns: true },
    );
    let sp = ok(&sp, Edit::RenameSubnet { from: s("private-a"), to: s("private <a> & co") });
    let sp = ok(&sp, Edit::RenameSubnet { from: s("public-a"), to: s("pub-a") });
    let v = sp.vpc.clone().unwrap();
    assert_eq!(f0(&sp).vpc.as_ref().unwrap().subnets, names(&["private <a> & co", "public-b"]));
    assert_eq!(v.nat_gateways[0].subnet, "pub-a");
    assert_eq!(v.resources[0].subnet, "private <a> & co");
    assert_eq!(v.interface_endpoints[0].subnets, names(&["private <a> & co"]));
    assert_eq!(sp.chapters[0].highlight, names(&["subnet:pub-a", "nat:nat-a"]));
    assert!(sp.checks.iter().any(|c| c.metric == "timeouts_by_subnet.private <a> & co"));
    assert!(sp.checks.iter().all(|c| !c.metric.ends_with(".private-a")));

    let sp = ok(&sp, Edit::RenameAz { from: s("us-east-1a"), to: s("zone A") });
    let v = sp.vpc.clone().unwrap();
    assert_eq!(v.azs, names(&["zone A", "us-east-1b"]));
    assert_eq!(v.subnets.iter().filter(|x| x.az == "zone A").count(), 2);
    assert_eq!(sp.faults[0].az_down, "zone A");

    let e = refused(&sp, Edit::RenameSubnet { from: s("pub-a"), to: s("public-b") }, EditErrorKind::BadInput);
    assert!(e.message.contains("already exists"), "{e}");
    refused(&sp, Edit::RenameSubnet { from: s("private-a"), to: s("x") }, EditErrorKind::NotFound);
}

/// At time 0 a rename reaches the scenario's live changes too, so they keep working.
#[test]
fn a_rename_at_time_0_reaches_the_live_changes() {
    let sp = mixed();
    let edit = Edit::SetFunctionSubnets { function: s("orders-api"), subnets: names(&["private-a"]) };
    let sp = apply_live(&sp, secs(300), &edit).unwrap();
    let sp =
        apply_live(&sp, secs(400), &Edit::AddNatGateway { name: s("nat-b"), subnet: s("public-b") }).unwrap();
    let sp = ok(&sp, Edit::RenameSubnet { from: s("private-a"), to: s("priv-a") });
    let sp = ok(&sp, Edit::RenameSubnet { from: s("public-b"), to: s("pub-b") });
    assert_eq!(sp.changes.len(), 2);
    let later = effective_spec_at(&sp, secs(500));
    assert_eq!(later.functions[0].vpc.as_ref().unwrap().subnets, names(&["priv-a"]));
    assert_eq!(later.vpc.as_ref().unwrap().nat_gateways[1].subnet, "pub-b");
    // And a time-0 edit a later change overrides stays overridden from then on.
    let sp = ok(&sp, Edit::SetFunctionSubnets { function: s("orders-api"), subnets: names(&["pub-b"]) });
    assert_eq!(effective_spec_at(&sp, 0).functions[0].vpc.as_ref().unwrap().subnets, names(&["pub-b"]));
    assert_eq!(
        effective_spec_at(&sp, secs(300)).functions[0].vpc.as_ref().unwrap().subnets,
        names(&["priv-a"])
    );
}

// --- Refusals --------------------------------------------------------------------------------

/// Reserved concurrency that leaves less than 100 unreserved names its field; nothing changes.
#[test]
fn out_of_range_reserved_concurrency_names_its_field() {
    let mut sp = ScenarioSpec::new(
        "t",
        vec![
            FunctionSpec::new("api", TrafficSpec::constant(1.0)),
            FunctionSpec::new("payments", TrafficSpec::constant(1.0)),
        ],
    );
    sp.functions[0].memory_mb = 256;
    let before = sp.clone();
    let e = apply(&sp, &Edit::SetReservedConcurrency { function: s("payments"), reserved: Some(950) })
        .unwrap_err();
    assert_eq!(sp, before);
    assert_eq!(e.kind, EditErrorKind::Invalid);
    assert_eq!(e.field.as_deref(), Some("functions[1].reserved_concurrency"));
    assert_eq!(e.message, "950 leaves fewer than 100 unreserved of 1000 (reserved in all: 950)");
    assert_eq!(e.errors[0].path, "functions[1].reserved_concurrency");
    assert_eq!(
        e.to_string(),
        "functions[1].reserved_concurrency: 950 leaves fewer than 100 unreserved of 1000 (reserved in all: 950)"
    );
    let e = apply(&burst(), &Edit::SetMemory { function: s("product-api"), memory_mb: 64 }).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("functions[0].memory_mb"));
    assert!(e.message.contains("128–10,240"), "{e}");
}

/// Removing a subnet a function uses is refused (never silently detached): the learner moves
/// the function first, and the message says who uses it.
#[test]
fn removing_a_subnet_in_use_is_refused_with_its_users() {
    let sp = mixed();
    let e = refused(&sp, Edit::RemoveSubnet { name: s("private-a") }, EditErrorKind::InUse);
    assert_eq!(e.field.as_deref(), Some("vpc.subnets[2]"));
    assert_eq!(
        e.message,
        "subnet 'private-a' is used by function orders-api and resource orders-db: move or detach them first"
    );
    let e = refused(&sp, Edit::RemoveSubnet { name: s("public-a") }, EditErrorKind::InUse);
    assert!(e.message.contains("NAT gateway nat-a"), "{e}");
    let sp = ok(&sp, Edit::SetFunctionSubnets { function: s("orders-api"), subnets: names(&["private-a"]) });
    let sp = ok(&sp, Edit::RemoveSubnet { name: s("public-b") });
    assert_eq!(sp.vpc.unwrap().subnets.len(), 2);
}

/// Markup is kept as text; over-long names, control characters and empty names are refused;
/// unknown targets with absurd names give bounded messages.
#[test]
fn hostile_names_are_refused_or_bounded() {
    let sp = mixed();
    let markup = s("<img src=x onerror=alert(1)>");
    let out = ok(&sp, Edit::AddNatGateway { name: markup.clone(), subnet: s("public-b") });
    assert_eq!(out.vpc.unwrap().nat_gateways[1].name, markup);

    let long = "n".repeat(10_000);
    for name in [long.clone(), s(""), s("bad\u{0}name"), s("line\nbreak"), s("bell\u{7}")] {
        let e = refused(
            &sp,
            Edit::AddNatGateway { name: name.clone(), subnet: s("public-b") },
            EditErrorKind::BadInput,
        );
        assert_eq!(e.field.as_deref(), Some("vpc.nat_gateways[1].name"));
        refused(
            &sp,
            Edit::AddSubnet {
                name: name.clone(),
                az: s("us-east-1b"),
                cidr: s("10.0.30.0/24"),
                route_table: s("rt-public"),
            },
            EditErrorKind::BadInput,
        );
        refused(&sp, Edit::RenameSubnet { from: s("public-b"), to: name.clone() }, EditErrorKind::BadInput);
        refused(&sp, Edit::AddAz { name: name.clone() }, EditErrorKind::BadInput);
    }
    let e = refused(
        &sp,
        Edit::MoveNatGateway { name: long.clone(), subnet: s("public-a") },
        EditErrorKind::NotFound,
    );
    assert!(e.message.chars().count() < 100, "{}", e.message);
    let e = refused(&sp, Edit::SetMemory { function: long.clone(), memory_mb: 128 }, EditErrorKind::NotFound);
    assert!(e.message.starts_with("no function named 'nnnn"), "{}", e.message);
    let e = refused(
        &sp,
        Edit::SetSubnetCidr { subnet: s("public-b"), cidr: long.clone() },
        EditErrorKind::BadInput,
    );
    assert!(e.message.chars().count() < 150);
    let e = refused(&sp, Edit::SetRegion { region: long.clone() }, EditErrorKind::BadInput);
    assert_eq!(e.field.as_deref(), Some("account.region"));
    // Labels are bounded and free of control characters, whatever the input.
    let label = Edit::SetFunctionSubnets { function: long.clone(), subnets: vec![long.clone(); 16] }.label();
    assert!(label.chars().count() <= MAX_LABEL_CHARS);
    assert!(!Edit::AddAz { name: s("a\u{1b}[31mred") }.label().chars().any(char::is_control));
}

// --- History -----------------------------------------------------------------------------------

/// Undo and redo walk the specs; a new push clears redo; labels name the edit.
#[test]
fn undo_redo_round_trips() {
    let sp0 = mixed();
    let e1 = Edit::AddNatGateway { name: s("nat-b"), subnet: s("public-b") };
    let sp1 = ok(&sp0, e1.clone());
    let e2 = Edit::SetFunctionSubnets { function: s("orders-api"), subnets: names(&["private-a"]) };
    let sp2 = ok(&sp1, e2.clone());
    let mut h = History::new(sp0.clone());
    assert!(!h.can_undo() && !h.can_redo() && h.undo().is_none() && h.redo().is_none());
    assert!(h.push(sp1.clone(), e1.label()));
    assert!(h.push(sp2.clone(), e2.label()));
    assert!(!h.push(sp2.clone(), "nothing"), "an unchanged spec is not recorded");
    assert_eq!(h.undo_label().unwrap(), "Undo set subnets of orders-api to private-a");
    assert_eq!(h.undo(), Some(&sp1));
    assert_eq!(h.undo_label().unwrap(), "Undo add NAT gateway nat-b in public-b");
    assert_eq!(h.redo_label().unwrap(), "Redo set subnets of orders-api to private-a");
    assert_eq!(h.undo(), Some(&sp0));
    assert!(!h.can_undo() && h.can_redo());
    assert_eq!(h.redo(), Some(&sp1));
    assert_eq!(h.redo(), Some(&sp2));
    assert!(!h.can_redo());
    h.undo();
    let sp3 = ok(&sp1, Edit::SetMemory { function: s("orders-api"), memory_mb: 1024 });
    h.push(sp3.clone(), "set memory");
    assert!(!h.can_redo(), "a new push clears redo");
    assert_eq!(h.current(), &sp3);

    // Autosave round trip.
    let back = History::from_json(&h.to_json()).unwrap();
    assert_eq!(back, h);
    let mut back = back;
    assert_eq!(back.undo(), Some(&sp1));

    // Bounded: the oldest entries go.
    let mut h = History::new(sp0.clone());
    for i in 0..250u32 {
        let mut x = sp0.clone();
        x.functions[0].memory_mb = 128 + i;
        h.push(x, format!("edit {i}"));
    }
    assert_eq!(h.len(), HISTORY_LIMIT);
    let mut undos = 0;
    while h.undo().is_some() {
        undos += 1;
    }
    assert_eq!(undos, HISTORY_LIMIT - 1);
    assert_eq!(h.current().functions[0].memory_mb, 128 + 50);
}

/// A damaged, foreign, old or newer autosave is an error, never a panic.
#[test]
fn corrupt_or_old_autosaves_are_errors() {
    let good = History::new(mixed()).to_json();
    let mut v: serde_json::Value = serde_json::from_str(&good).unwrap();
    let mut bad_cases: Vec<String> = vec![
        s(""),
        s("{"),
        s("null"),
        s("[]"),
        s(r#"{"format":"something-else","version":1}"#),
        good[..good.len() / 2].to_string(),
    ];
    for (key, value) in [
        ("version", serde_json::json!(0)),
        ("version", serde_json::json!(2)),
        ("version", serde_json::json!("1")),
        ("position", serde_json::json!(5)),
        ("position", serde_json::json!(-1)),
        ("entries", serde_json::json!([])),
        ("entries", serde_json::json!([{"label": "x", "spec": {"version": 1}}])),
        ("extra", serde_json::json!(true)),
    ] {
        let mut x = v.clone();
        x[key] = value;
        bad_cases.push(x.to_string());
    }
    v["entries"][0]["spec"]["version"] = serde_json::json!(0);
    bad_cases.push(v.to_string());
    for text in bad_cases {
        let e = History::from_json(&text).expect_err(&text[..text.len().min(80)]);
        assert_eq!(e.kind, EditErrorKind::Corrupt, "{e}");
    }
}

// --- Live edits -----------------------------------------------------------------------------------

fn traced(spec: &ScenarioSpec) -> Simulation {
    let opts = Options { trace_limit: 1_000_000, ..Default::default() };
    let mut sim = Simulation::with_seed(spec.validate().unwrap(), spec.seed, opts);
    sim.run();
    sim
}

fn timeouts(sim: &Simulation, from: Micros, to: Micros) -> usize {
    sim.recorder().trace.iter().filter(|r| r.outcome == "timeout" && r.start >= from && r.start < to).count()
}

/// The mixed-subnets story as a learner fixes it: open seed-mixed-subnets, at 10 min move the function
/// to the private subnet only and add a NAT gateway in public-b, run. Timeouts before 10 min,
/// none from a little after (new environments replace the old ones; calls in flight finish);
/// undo brings them back.
#[test]
fn mixed_subnets_story_fixed_at_10_minutes() {
    let mut open = mixed();
    open.checks.clear();
    let t10 = secs(600);
    let mut history = History::new(open.clone());
    let e1 = Edit::SetFunctionSubnets { function: s("orders-api"), subnets: names(&["private-a"]) };
    let s1 = apply_live(&open, t10, &e1).unwrap();
    history.push(s1.clone(), e1.label());
    let e2 = Edit::AddNatGateway { name: s("nat-b"), subnet: s("public-b") };
    let s2 = apply_live(&s1, t10, &e2).unwrap();
    history.push(s2.clone(), e2.label());
    assert_eq!(s2.changes.len(), 2);
    assert_eq!(s2.changes[0].label, "set subnets of orders-api to private-a");
    assert_eq!(s2.changes[1].label, "add NAT gateway nat-b in public-b");
    assert_eq!(s2.changes[1].at.micros(), t10);
    // The scenario itself is untouched; the changes hold the edit from 10 min on.
    assert_eq!(effective_spec_at(&s2, t10 - 1), {
        let mut x = open.clone();
        x.changes.clear();
        x
    });
    let at10 = effective_spec_at(&s2, t10);
    assert_eq!(at10.functions[0].vpc.as_ref().unwrap().subnets, names(&["private-a"]));
    assert_eq!(at10.vpc.as_ref().unwrap().nat_gateways.len(), 2);

    let fixed = traced(&s2);
    let end = secs(1800);
    assert!(timeouts(&fixed, 0, t10) > 10, "timeouts before the fix");
    assert_eq!(timeouts(&fixed, t10 + secs(1), end), 0, "no timeouts after the fix");
    let after = fixed.recorder().trace.iter().filter(|r| r.start > t10 + secs(1)).count();
    assert!(after > 500, "{after} invocations after the fix");
    assert!(fixed
        .recorder()
        .narrative
        .iter()
        .any(|e| e.time == t10 && e.text.contains("add NAT gateway nat-b")));
    assert!(fixed.recorder().narrative.iter().any(|e| e.time == t10
        && e.text.contains("set subnets of orders-api to private-a")
        && e.text.contains("configuration updated")));

    assert_eq!(history.undo_label().unwrap(), "Undo add NAT gateway nat-b in public-b");
    history.undo();
    assert_eq!(history.undo(), Some(&open));
    let again = traced(history.current());
    assert!(timeouts(&again, t10 + secs(1), end) > 10, "undo brings the timeouts back");
}

/// A live edit through `replace_scenario` gives exactly the run of the edited scenario.
#[test]
fn apply_live_then_replace_scenario_equals_a_fresh_run() {
    let mut spec = mixed();
    spec.checks.clear();
    let t10 = secs(600);
    let edited = apply_live(
        &spec,
        t10,
        &Edit::SetFunctionSubnets { function: s("orders-api"), subnets: names(&["private-a"]) },
    )
    .unwrap();
    let edited =
        apply_live(&edited, t10, &Edit::AddNatGateway { name: s("nat-b"), subnet: s("public-b") }).unwrap();
    let opts = Options { checkpoints: true, ..Default::default() };
    let mut live = Simulation::with_seed(spec.validate().unwrap(), spec.seed, opts.clone());
    live.advance_to(secs(900)); // played past the edit, then sought back to it
    live.seek(t10);
    live.replace_scenario(edited.validate().unwrap(), t10);
    assert_eq!(live.now(), t10);
    live.run();
    let mut fresh = Simulation::with_seed(edited.validate().unwrap(), edited.seed, opts);
    fresh.run();
    assert_eq!(serde_json::to_value(live.summary()).unwrap(), serde_json::to_value(fresh.summary()).unwrap());
    assert_eq!(live.recorder().account.times, fresh.recorder().account.times);
    assert_eq!(live.recorder().narrative.len(), fresh.recorder().narrative.len());
}

/// A run cannot take removals or renames of subnets and AZs: the error says so and points to
/// time 0, where the same edit works.
#[test]
fn edits_a_run_cannot_take_point_to_time_0() {
    let sp =
        ok(&mixed(), Edit::SetFunctionSubnets { function: s("orders-api"), subnets: names(&["private-a"]) });
    for edit in [
        Edit::RemoveSubnet { name: s("public-b") },
        Edit::RenameSubnet { from: s("public-b"), to: s("pb") },
        Edit::RenameAz { from: s("us-east-1a"), to: s("a") },
    ] {
        let e = apply_live(&sp, secs(60), &edit).unwrap_err();
        assert_eq!(e.kind, EditErrorKind::NotLive, "{e}");
        assert!(e.message.contains("time 0"), "{e}");
        apply_live(&sp, 0, &edit).unwrap().validate().unwrap();
    }
    let e = apply_live(&sp, secs(3600), &Edit::SetMemory { function: s("orders-api"), memory_mb: 1024 })
        .unwrap_err();
    assert!(e.message.contains("after the end"), "{e}");
    // Live validation errors keep the plain field path.
    let e =
        apply_live(&sp, secs(60), &Edit::SetMemory { function: s("orders-api"), memory_mb: 1 }).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("functions[0].memory_mb"));
    assert_eq!(e.kind, EditErrorKind::Invalid);
}

/// An edit inserted before later changes is carried through them where they set nothing else.
#[test]
fn live_edits_before_later_changes_carry_through() {
    let sp = burst();
    let f = || s("product-api");
    let sp = apply_live(&sp, secs(240), &Edit::SetMemory { function: f(), memory_mb: 2048 }).unwrap();
    let sp = apply_live(&sp, secs(120), &Edit::SetTimeout { function: f(), timeout: "40s".into() }).unwrap();
    let sp =
        apply_live(&sp, secs(120), &Edit::SetReservedConcurrency { function: f(), reserved: Some(4000) })
            .unwrap();
    assert_eq!(
        sp.changes.iter().map(|c| c.at.micros()).collect::<Vec<_>>(),
        [secs(120), secs(120), secs(240)]
    );
    let at = |t| effective_spec_at(&sp, t).functions[0].clone();
    assert_eq!((at(secs(60)).memory_mb, at(secs(60)).timeout.micros()), (1024, secs(30)));
    assert_eq!((at(secs(130)).memory_mb, at(secs(130)).timeout.micros()), (1024, secs(40)));
    assert_eq!(at(secs(130)).reserved_concurrency, Some(4000));
    let late = at(secs(300));
    assert_eq!(
        (late.memory_mb, late.timeout.micros(), late.reserved_concurrency),
        (2048, secs(40), Some(4000))
    );
    sp.validate().unwrap();
    // A no-op edit records nothing.
    let same = apply_live(&sp, secs(200), &Edit::SetMemory { function: f(), memory_mb: 1024 }).unwrap();
    assert_eq!(same, sp);
}

// --- Compute modes ----------------------------------------------------------------------------

fn web_fixture() -> ScenarioSpec {
    let mut sp = load("web-queue-then-throttle.json");
    sp.checks.clear();
    sp
}

fn mode(function: &str, mode: ComputeMode) -> Edit {
    Edit::SetComputeMode { function: s(function), mode, runtime: None }
}

/// The function's mode fields as (snapstart, managed_instances, web) set or not.
fn modes_of(f: &FunctionSpec) -> (bool, bool, bool) {
    (f.snapstart.is_some(), f.managed_instances.is_some(), f.web.is_some())
}

/// Each compute mode in turn on seed-burst-5000 (and Managed Instances on seed-mixed-subnets,
/// which has the VPC they need): switching sets the mode's field with AWS's defaults and
/// removes the others; a mode the function already has keeps its settings.
#[test]
fn compute_mode_edits_switch_the_mode() {
    let f = || s("product-api");
    let sp = burst();
    let sp = ok(&sp, mode("product-api", ComputeMode::Web));
    assert_eq!(f0(&sp).web, Some(WebSpec::default()));
    assert_eq!(modes_of(f0(&sp)), (false, false, true));
    assert_eq!(ComputeMode::of(f0(&sp)), ComputeMode::Web);
    let sp = ok(&sp, Edit::SetWebConcurrency { function: f(), max_concurrency_per_environment: 8 });
    // Web again keeps its settings: nothing changes.
    assert_eq!(apply(&sp, &mode("product-api", ComputeMode::Web)).unwrap(), sp);
    assert_eq!(sp.validate().unwrap().functions[0].compute.per_env(), 8);

    let python = Edit::SetComputeMode {
        function: f(),
        mode: ComputeMode::SnapStart,
        runtime: Some(SnapStartRuntime::Python),
    };
    assert_eq!(python.label(), "switch product-api to SnapStart (Python)");
    let sp = ok(&sp, python);
    assert_eq!(modes_of(f0(&sp)), (true, false, false));
    assert_eq!(f0(&sp).snapstart.as_ref().unwrap().runtime, SnapStartRuntime::Python);
    // SnapStart again without a runtime keeps Python; with one it changes only the runtime.
    assert_eq!(apply(&sp, &mode("product-api", ComputeMode::SnapStart)).unwrap(), sp);
    let mut slow = sp.clone();
    slow.functions[0].snapstart.as_mut().unwrap().cache_warmup_restores = 5;
    let dotnet = Edit::SetComputeMode {
        function: f(),
        mode: ComputeMode::SnapStart,
        runtime: Some(SnapStartRuntime::Dotnet),
    };
    let d = ok(&slow, dotnet).functions[0].snapstart.clone().unwrap();
    assert_eq!((d.runtime, d.cache_warmup_restores), (SnapStartRuntime::Dotnet, 5));
    let sp = ok(&sp, mode("product-api", ComputeMode::OnDemand));
    assert_eq!(modes_of(f0(&sp)), (false, false, false));
    assert_eq!(mode("product-api", ComputeMode::OnDemand).label(), "switch product-api to on-demand");

    // Managed Instances need the VPC's subnets and 2 GB: on seed-mixed-subnets, after memory.
    let sp = ok(&mixed(), Edit::SetMemory { function: s("orders-api"), memory_mb: 2048 });
    let sp = ok(&sp, mode("orders-api", ComputeMode::ManagedInstances));
    assert_eq!(f0(&sp).managed_instances, Some(ManagedInstancesSpec::default()));
    assert_eq!(modes_of(f0(&sp)), (false, true, false));
    assert_eq!(
        mode("orders-api", ComputeMode::ManagedInstances).label(),
        "switch orders-api to Lambda Managed Instances"
    );
}

/// The settings of Web Functions and Managed Instances change their field and validate.
#[test]
fn web_and_managed_instances_settings_change_their_field() {
    let f = || s("site");
    let sp = web_fixture();
    let sp = ok(&sp, Edit::SetWebConcurrency { function: f(), max_concurrency_per_environment: 128 });
    assert_eq!(f0(&sp).web.as_ref().unwrap().max_concurrency_per_environment, 128);
    let sp = ok(&sp, Edit::SetWebMaxEnvironments { function: f(), max_environments: Some(10) });
    assert_eq!(f0(&sp).web.as_ref().unwrap().max_environments, Some(10));
    let sp = ok(&sp, Edit::SetWebMaxEnvironments { function: f(), max_environments: None });
    assert_eq!(f0(&sp).web.as_ref().unwrap().max_environments, None);
    let sp = ok(&sp, Edit::SetWebRateLimit { function: f(), rate_limit: Some(250.5) });
    assert_eq!(f0(&sp).web.as_ref().unwrap().rate_limit, Some(250.5));
    let sp = ok(&sp, Edit::SetWebRateLimit { function: f(), rate_limit: Some(0.0) });
    assert_eq!(f0(&sp).web.as_ref().unwrap().rate_limit, Some(0.0), "0 blocks all traffic");
    let sp = ok(&sp, Edit::SetWebRateLimit { function: f(), rate_limit: None });
    assert_eq!(f0(&sp).web.as_ref().unwrap().rate_limit, None);

    let mut mi = load("managed-instances-doubling.json");
    mi.checks.clear();
    let f = || s("api");
    let sp = ok(
        &mi,
        Edit::SetManagedInstancesConcurrency { function: f(), per_environment_max_concurrency: 1600 },
    );
    assert_eq!(f0(&sp).managed_instances.as_ref().unwrap().per_environment_max_concurrency, 1600);
    let sp = ok(&sp, Edit::SetManagedInstancesMaxVcpus { function: f(), max_vcpus: 12 });
    assert_eq!(f0(&sp).managed_instances.as_ref().unwrap().max_vcpus, 12);
    let sp = ok(&sp, Edit::SetManagedInstancesTargetUtilization { function: f(), target_utilization: 0.75 });
    assert_eq!(f0(&sp).managed_instances.as_ref().unwrap().target_utilization, 0.75);

    for (edit, label) in [
        (
            Edit::SetWebConcurrency { function: s("site"), max_concurrency_per_environment: 8 },
            "set the concurrency per environment of site to 8",
        ),
        (
            Edit::SetWebMaxEnvironments { function: s("site"), max_environments: Some(3) },
            "set the maximum environments of site to 3",
        ),
        (
            Edit::SetWebMaxEnvironments { function: s("site"), max_environments: None },
            "remove the environment limit of site",
        ),
        (
            Edit::SetWebRateLimit { function: s("site"), rate_limit: Some(100.0) },
            "set the rate limit of site to 100 requests/s",
        ),
        (Edit::SetWebRateLimit { function: s("site"), rate_limit: None }, "remove the rate limit of site"),
        (
            Edit::SetManagedInstancesConcurrency { function: f(), per_environment_max_concurrency: 32 },
            "set the concurrency per environment of api to 32",
        ),
        (
            Edit::SetManagedInstancesMaxVcpus { function: f(), max_vcpus: 800 },
            "set the capacity provider's maximum vCPUs of api to 800",
        ),
        (
            Edit::SetManagedInstancesTargetUtilization { function: f(), target_utilization: 0.7 },
            "set the target utilization of api to 70%",
        ),
    ] {
        assert_eq!(edit.label(), label);
    }
}

/// Out-of-range settings are refused with the field's path and AWS's range; nothing changes.
#[test]
fn out_of_range_compute_settings_name_their_field() {
    let web = web_fixture();
    let site = || s("site");
    let cases = [
        (
            Edit::SetWebConcurrency { function: site(), max_concurrency_per_environment: 0 },
            "functions[0].web.max_concurrency_per_environment",
            "0 is outside AWS's 1–128",
        ),
        (
            Edit::SetWebConcurrency { function: site(), max_concurrency_per_environment: 129 },
            "functions[0].web.max_concurrency_per_environment",
            "129 is outside AWS's 1–128",
        ),
        (
            Edit::SetWebMaxEnvironments { function: site(), max_environments: Some(0) },
            "functions[0].web.max_environments",
            "must be at least 1 (leave it out for no limit)",
        ),
        (
            Edit::SetWebRateLimit { function: site(), rate_limit: Some(-1.0) },
            "functions[0].web.rate_limit",
            "-1 is outside 0–10,000 requests per second (the endpoint quota)",
        ),
        (
            Edit::SetWebRateLimit { function: site(), rate_limit: Some(10_001.0) },
            "functions[0].web.rate_limit",
            "10001 is outside 0–10,000 requests per second (the endpoint quota)",
        ),
    ];
    for (edit, field, message) in cases {
        let e = refused(&web, edit, EditErrorKind::Invalid);
        assert_eq!(e.field.as_deref(), Some(field), "{e}");
        assert_eq!(e.message, message);
        assert_eq!(e.errors[0].path, field);
    }

    let mut mi = load("managed-instances-doubling.json");
    mi.checks.clear();
    let api = || s("api");
    let cases = [
        (
            Edit::SetManagedInstancesConcurrency { function: api(), per_environment_max_concurrency: 0 },
            "functions[0].managed_instances.per_environment_max_concurrency",
            "0 is outside AWS's 1–1,600",
        ),
        (
            Edit::SetManagedInstancesConcurrency { function: api(), per_environment_max_concurrency: 1601 },
            "functions[0].managed_instances.per_environment_max_concurrency",
            "1601 is outside AWS's 1–1,600",
        ),
        (
            Edit::SetManagedInstancesMaxVcpus { function: api(), max_vcpus: 8 },
            "functions[0].managed_instances.max_vcpus",
            "8 is fewer than the 12 vCPUs of the 3 instances launched at first",
        ),
        (
            Edit::SetManagedInstancesTargetUtilization { function: api(), target_utilization: 0.05 },
            "functions[0].managed_instances.target_utilization",
            "0.05 is outside 0.05–1",
        ),
        (
            Edit::SetManagedInstancesTargetUtilization { function: api(), target_utilization: 1.5 },
            "functions[0].managed_instances.target_utilization",
            "1.5 is outside 0.05–1",
        ),
        (
            Edit::SetManagedInstancesTargetUtilization { function: api(), target_utilization: f64::NAN },
            "functions[0].managed_instances.target_utilization",
            "NaN is outside 0.05–1",
        ),
    ];
    for (edit, field, message) in cases {
        let e = refused(&mi, edit, EditErrorKind::Invalid);
        assert_eq!(e.field.as_deref(), Some(field), "{e}");
        assert_eq!(e.message, message);
    }

    // A mode's settings need the mode; a runtime is SnapStart's only; unknown functions.
    let e = refused(
        &burst(),
        Edit::SetWebConcurrency { function: s("product-api"), max_concurrency_per_environment: 8 },
        EditErrorKind::BadInput,
    );
    assert_eq!(e.field.as_deref(), Some("functions[0].web.max_concurrency_per_environment"));
    assert_eq!(e.message, "product-api does not run as a Lambda Web Function: switch its compute mode first");
    let e = refused(
        &web,
        Edit::SetManagedInstancesMaxVcpus { function: site(), max_vcpus: 800 },
        EditErrorKind::BadInput,
    );
    assert_eq!(e.field.as_deref(), Some("functions[0].managed_instances.max_vcpus"));
    assert!(e.message.contains("does not run on Lambda Managed Instances"), "{e}");
    let e = refused(
        &web,
        Edit::SetComputeMode {
            function: site(),
            mode: ComputeMode::Web,
            runtime: Some(SnapStartRuntime::Java),
        },
        EditErrorKind::BadInput,
    );
    assert_eq!(
        (e.field.as_deref(), e.message.as_str()),
        (Some("functions[0]"), "a runtime is chosen for SnapStart only")
    );
    refused(&web, mode("nope", ComputeMode::OnDemand), EditErrorKind::NotFound);
    refused(&web, Edit::SetWebRateLimit { function: s("nope"), rate_limit: None }, EditErrorKind::NotFound);
}

/// A mode switch removes nothing but the other modes: what the new mode cannot take is refused
/// with AWS's (or the model's) reason at its field, and the learner removes it.
#[test]
fn a_mode_switch_the_function_cannot_take_is_refused_with_the_field_to_change() {
    let f = || s("product-api");
    let pc = ok(&burst(), Edit::SetProvisionedConcurrency { function: f(), initial: Some(10) });
    let e = refused(&pc, mode("product-api", ComputeMode::SnapStart), EditErrorKind::Invalid);
    assert_eq!(e.field.as_deref(), Some("functions[0]"));
    assert_eq!(
        e.message,
        "SnapStart cannot be combined with provisioned concurrency (AWS): remove one of them"
    );
    assert_eq!(e.errors[0].path, "functions[0].provisioned");
    // Remove provisioned concurrency, then SnapStart works; provisioned concurrency back is refused.
    let none = ok(&pc, Edit::SetProvisionedConcurrency { function: f(), initial: None });
    let snap = ok(&none, mode("product-api", ComputeMode::SnapStart));
    let e = refused(
        &snap,
        Edit::SetProvisionedConcurrency { function: f(), initial: Some(10) },
        EditErrorKind::Invalid,
    );
    assert_eq!(e.field.as_deref(), Some("functions[0].provisioned"));
    assert!(e.message.starts_with("SnapStart cannot be combined"), "{e}");
    // Back on demand, provisioned concurrency is allowed again; a switch to on-demand keeps it.
    let back = ok(&snap, mode("product-api", ComputeMode::OnDemand));
    ok(&back, Edit::SetProvisionedConcurrency { function: f(), initial: Some(10) });
    assert_eq!(apply(&pc, &mode("product-api", ComputeMode::OnDemand)).unwrap(), pc);

    let e = refused(&pc, mode("product-api", ComputeMode::Web), EditErrorKind::Invalid);
    assert_eq!(e.errors[0].path, "functions[0].provisioned");
    assert_eq!(e.message, "provisioned concurrency applies to on-demand functions only: remove it");
    let reserved = ok(&burst(), Edit::SetReservedConcurrency { function: f(), reserved: Some(100) });
    let e = refused(&reserved, mode("product-api", ComputeMode::Web), EditErrorKind::Invalid);
    assert_eq!(e.errors[0].path, "functions[0].reserved_concurrency");
    let asynchronous =
        ok(&burst(), Edit::SetInvocationType { function: f(), invocation: InvocationType::Async });
    let e = refused(&asynchronous, mode("product-api", ComputeMode::Web), EditErrorKind::Invalid);
    assert_eq!(e.errors[0].path, "functions[0].web");
    assert!(e.message.contains("synchronous requests only"), "{e}");
    // A Web Function's VPC access is not modelled; Managed Instances need subnets and 2 GB.
    let e = refused(&mixed(), mode("orders-api", ComputeMode::Web), EditErrorKind::Invalid);
    assert_eq!(e.errors[0].path, "functions[0].vpc");
    assert_eq!(e.message, "Lambdascape does not model a Web Function's VPC access: remove vpc");
    let two_gb = ok(&burst(), Edit::SetMemory { function: f(), memory_mb: 2048 });
    let e = refused(&two_gb, mode("product-api", ComputeMode::ManagedInstances), EditErrorKind::Invalid);
    assert_eq!(e.errors[0].path, "functions[0].managed_instances");
    assert!(e.message.contains("give the function a vpc with subnets"), "{e}");
    let e = refused(&mixed(), mode("orders-api", ComputeMode::ManagedInstances), EditErrorKind::Invalid);
    assert_eq!(e.errors[0].path, "functions[0].managed_instances.memory_mb");
    assert!(e.message.contains("512 MB is below the 2 GB"), "{e}");
    // The learner's fix: remove what the mode cannot take first, in one step or two.
    let fix = Edit::Steps {
        steps: vec![
            Edit::RemoveFunctionVpc { function: s("orders-api") },
            mode("orders-api", ComputeMode::Web),
        ],
    };
    assert_eq!(
        fix.label(),
        "remove the VPC configuration of orders-api; then switch orders-api to Lambda Web Functions"
    );
    let sp = ok(&mixed(), fix);
    assert_eq!(modes_of(f0(&sp)), (false, false, true));
}

/// Compute edits are undone and redone like any other; their labels name them.
#[test]
fn compute_edits_undo_and_redo() {
    let sp0 = burst();
    let e1 = mode("product-api", ComputeMode::Web);
    let sp1 = ok(&sp0, e1.clone());
    let e2 = Edit::SetWebConcurrency { function: s("product-api"), max_concurrency_per_environment: 8 };
    let sp2 = ok(&sp1, e2.clone());
    let mut h = History::new(sp0.clone());
    assert!(h.push(sp1.clone(), e1.label()));
    assert!(h.push(sp2.clone(), e2.label()));
    assert_eq!(h.undo_label().unwrap(), "Undo set the concurrency per environment of product-api to 8");
    assert_eq!(h.undo(), Some(&sp1));
    assert_eq!(h.undo_label().unwrap(), "Undo switch product-api to Lambda Web Functions");
    assert_eq!(h.undo(), Some(&sp0));
    assert!(f0(h.current()).web.is_none());
    assert_eq!(h.redo_label().unwrap(), "Redo switch product-api to Lambda Web Functions");
    assert_eq!(h.redo(), Some(&sp1));
    assert_eq!(h.redo(), Some(&sp2));
    assert_eq!(f0(h.current()).web.as_ref().unwrap().max_concurrency_per_environment, 8);
    let back = History::from_json(&h.to_json()).unwrap();
    assert_eq!(back, h, "the autosave keeps compute modes");
}

/// During a run the compute mode and its settings cannot change (the simulation does not
/// switch a running function's environments): the error points to time 0, where they work.
#[test]
fn compute_edits_point_to_time_0_during_a_run() {
    let web = web_fixture();
    for (sp, edit) in [
        (burst(), mode("product-api", ComputeMode::Web)),
        (web.clone(), mode("site", ComputeMode::OnDemand)),
        (web.clone(), Edit::SetWebConcurrency { function: s("site"), max_concurrency_per_environment: 8 }),
        (web.clone(), Edit::SetWebMaxEnvironments { function: s("site"), max_environments: None }),
        (web.clone(), Edit::SetWebRateLimit { function: s("site"), rate_limit: Some(50.0) }),
        (web.clone(), Edit::Steps { steps: vec![mode("site", ComputeMode::SnapStart)] }),
    ] {
        let e = apply_live(&sp, secs(20), &edit).unwrap_err();
        assert_eq!(e.kind, EditErrorKind::NotLive, "{e}");
        assert!(e.message.contains("cannot happen during a run") && e.message.contains("time 0"), "{e}");
        apply_live(&sp, 0, &edit).unwrap().validate().unwrap();
    }
    let mut mi = load("managed-instances-doubling.json");
    mi.checks.clear();
    let e = apply_live(
        &mi,
        secs(60),
        &Edit::SetManagedInstancesTargetUtilization { function: s("api"), target_utilization: 0.9 },
    )
    .unwrap_err();
    assert_eq!(e.kind, EditErrorKind::NotLive);
    assert!(e.message.starts_with("changing the Managed Instances settings of 'api'"), "{e}");
}

/// The compute edits' JSON: `mode` by the scenario's field names, `runtime` only for SnapStart.
#[test]
fn compute_edits_are_json_tagged_by_op() {
    let e = Edit::SetComputeMode {
        function: s("api"),
        mode: ComputeMode::SnapStart,
        runtime: Some(SnapStartRuntime::Dotnet),
    };
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"op": "set_compute_mode", "function": "api", "mode": "snapstart", "runtime": "dotnet"})
    );
    assert_eq!(lambdascape_engine::size::reader::read::<Edit>(&v).unwrap(), e);
    assert_eq!(e.label(), "switch api to SnapStart (.NET)");
    let e: Edit = serde_json::from_value(
        serde_json::json!({"op": "set_compute_mode", "function": "api", "mode": "managed_instances"}),
    )
    .unwrap();
    assert_eq!(e, mode("api", ComputeMode::ManagedInstances));
    assert_eq!(
        serde_json::to_value(mode("api", ComputeMode::OnDemand)).unwrap(),
        serde_json::json!({"op": "set_compute_mode", "function": "api", "mode": "on_demand"})
    );
    let e: Edit = serde_json::from_value(
        serde_json::json!({"op": "set_web_rate_limit", "function": "api", "rate_limit": null}),
    )
    .unwrap();
    assert_eq!(e, Edit::SetWebRateLimit { function: s("api"), rate_limit: None });
    let e: Edit = serde_json::from_value(serde_json::json!(
        {"op": "set_managed_instances_concurrency", "function": "api", "per_environment_max_concurrency": 64}
    ))
    .unwrap();
    assert_eq!(e.label(), "set the concurrency per environment of api to 64");
    assert!(serde_json::from_value::<Edit>(
        serde_json::json!({"op": "set_compute_mode", "function": "api", "mode": "spot"})
    )
    .is_err());
}

// --- Random sequences ---------------------------------------------------------------------------

// Names of one kind: mostly ones the fixture has (or a new one), sometimes hostile.
fn pool(known: &'static [&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        12 => prop::sample::select(known.to_vec()).prop_map(str::to_string),
        1 => "\\PC{0,12}",
        1 => Just("<b>&amp;</b>".to_string()),
        1 => Just("x".repeat(10_000)),
        1 => Just("ctl\u{0}\u{1b}".to_string()),
    ]
    .boxed()
}

fn function() -> BoxedStrategy<String> {
    pool(&["orders-api"])
}
fn subnet() -> BoxedStrategy<String> {
    pool(&["public-a", "public-b", "private-a", "private-b", "sub-new"])
}
fn route_table() -> BoxedStrategy<String> {
    pool(&["rt-public", "rt-private", "rt-new"])
}
fn nat() -> BoxedStrategy<String> {
    pool(&["nat-a", "nat-b"])
}
fn sg() -> BoxedStrategy<String> {
    pool(&["lambda", "db", "sg-new"])
}
fn az() -> BoxedStrategy<String> {
    pool(&["us-east-1a", "us-east-1b", "us-east-1c"])
}
fn service() -> BoxedStrategy<String> {
    pool(&["sqs", "sns", "logs"])
}
fn resource() -> BoxedStrategy<String> {
    pool(&["orders-db", "cache"])
}

fn cidr() -> BoxedStrategy<String> {
    prop_oneof![
        6 => (0u8..=40).prop_map(|i| format!("10.0.{i}.0/24")),
        1 => Just("10.0.0.0/8".to_string()),
        1 => Just("300.1.1.1/24".to_string()),
        1 => "\\PC{0,20}",
    ]
    .boxed()
}

fn route() -> BoxedStrategy<DefaultRoute> {
    prop_oneof![
        Just(DefaultRoute::None),
        Just(DefaultRoute::InternetGateway),
        nat().prop_map(DefaultRoute::NatGateway)
    ]
    .boxed()
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    let f = function;
    prop_oneof![
        (0u32..3000).prop_map(|limit| Edit::SetConcurrencyLimit { limit }),
        pool(&["us-east-1", "eu-west-1"]).prop_map(|region| Edit::SetRegion { region }),
        (f(), prop::option::of(0u32..1200))
            .prop_map(|(function, reserved)| Edit::SetReservedConcurrency { function, reserved }),
        (f(), prop::option::of(0u32..300))
            .prop_map(|(function, initial)| Edit::SetProvisionedConcurrency { function, initial }),
        (f(), 0u32..12_000).prop_map(|(function, memory_mb)| Edit::SetMemory { function, memory_mb }),
        (f(), -5.0f64..1000.0)
            .prop_map(|(function, t)| Edit::SetTimeout { function, timeout: DurationSpec::Seconds(t) }),
        (f(), -1.0f64..2.0).prop_map(|(function, error_rate)| Edit::SetErrorRate { function, error_rate }),
        (f(), -10.0f64..1e7)
            .prop_map(|(function, r)| Edit::SetTraffic { function, traffic: TrafficSpec::constant(r) }),
        (f(), "[0-9,\\n.a-z]{0,40}").prop_map(|(function, csv)| Edit::SetTrafficCsv {
            function,
            csv,
            arrivals: Arrivals::Poisson
        }),
        (f(), prop::collection::vec(subnet(), 0..4))
            .prop_map(|(function, subnets)| Edit::SetFunctionSubnets { function, subnets }),
        (f(), prop::collection::vec(sg(), 0..3)).prop_map(|(function, security_groups)| {
            Edit::SetFunctionSecurityGroups { function, security_groups }
        }),
        (f(), prop::collection::vec(subnet(), 0..3), prop::collection::vec(sg(), 0..2)).prop_map(
            |(function, subnets, security_groups)| Edit::SetFunctionVpc {
                function,
                subnets,
                security_groups
            }
        ),
        f().prop_map(|function| Edit::RemoveFunctionVpc { function }),
        az().prop_map(|name| Edit::AddAz { name }),
        (az(), az()).prop_map(|(from, to)| Edit::RenameAz { from, to }),
        az().prop_map(|name| Edit::RemoveAz { name }),
        (subnet(), az(), cidr(), route_table()).prop_map(|(name, az, cidr, route_table)| Edit::AddSubnet {
            name,
            az,
            cidr,
            route_table
        }),
        (subnet(), subnet()).prop_map(|(from, to)| Edit::RenameSubnet { from, to }),
        subnet().prop_map(|name| Edit::RemoveSubnet { name }),
        (subnet(), cidr()).prop_map(|(subnet, cidr)| Edit::SetSubnetCidr { subnet, cidr }),
        (subnet(), route_table())
            .prop_map(|(subnet, route_table)| Edit::SetSubnetRouteTable { subnet, route_table }),
        (route_table(), route())
            .prop_map(|(name, default_route)| Edit::AddRouteTable { name, default_route }),
        (route_table(), route())
            .prop_map(|(route_table, target)| Edit::SetDefaultRoute { route_table, target }),
        route_table()
            .prop_map(|route_table| Edit::AddGatewayEndpoint { route_table, service: GatewayService::S3 }),
        route_table()
            .prop_map(|route_table| Edit::RemoveGatewayEndpoint { route_table, service: GatewayService::S3 }),
        pool(&["igw-2"]).prop_map(|name| Edit::AddInternetGateway { name }),
        Just(Edit::AttachInternetGateway),
        Just(Edit::DetachInternetGateway),
        (nat(), subnet()).prop_map(|(name, subnet)| Edit::AddNatGateway { name, subnet }),
        (nat(), subnet()).prop_map(|(name, subnet)| Edit::MoveNatGateway { name, subnet }),
        nat().prop_map(|name| Edit::RemoveNatGateway { name }),
        (service(), prop::collection::vec(subnet(), 0..3), any::<bool>()).prop_map(
            |(service, subnets, private_dns)| Edit::AddInterfaceEndpoint { service, subnets, private_dns }
        ),
        service().prop_map(|service| Edit::RemoveInterfaceEndpoint { service }),
        (service(), any::<bool>()).prop_map(|(service, enabled)| Edit::SetPrivateDns { service, enabled }),
        (resource(), subnet()).prop_map(|(name, subnet)| Edit::AddResource {
            name,
            kind: ResourceKind::Cache,
            subnet,
            port: None,
            security_groups: vec![]
        }),
        (resource(), subnet()).prop_map(|(name, subnet)| Edit::MoveResource { name, subnet }),
        resource().prop_map(|name| Edit::RemoveResource { name }),
        sg().prop_map(|name| Edit::AddSecurityGroup { name, egress: vec![] }),
        (sg(), pool(&["0.0.0.0/0", "sg:db", "10.0.0.0/16"])).prop_map(|(security_group, to)| {
            Edit::SetEgressRules { security_group, egress: vec![EgressRule { to, ports: None }] }
        }),
        (sg(), pool(&["0.0.0.0/0", "sg:db", "10.0.0.0/16"])).prop_map(|(security_group, to)| {
            Edit::AddEgressRule { security_group, rule: EgressRule { to, ports: Some((443, 443)) } }
        }),
        (nat(), subnet(), route_table()).prop_map(|(name, subnet, route_table)| Edit::Steps {
            steps: vec![
                Edit::AddNatGateway { name: name.clone(), subnet },
                Edit::SetDefaultRoute { route_table, target: DefaultRoute::NatGateway(name) },
            ]
        }),
        service()
            .prop_map(|service| Edit::Steps { steps: vec![Edit::SetPrivateDns { service, enabled: true }] }),
        (f(), compute_mode(), prop::option::of(runtime()))
            .prop_map(|(function, mode, runtime)| Edit::SetComputeMode { function, mode, runtime }),
        (f(), 0u32..200).prop_map(|(function, n)| Edit::SetWebConcurrency {
            function,
            max_concurrency_per_environment: n
        }),
        (f(), prop::option::of(0u32..20)).prop_map(|(function, max_environments)| {
            Edit::SetWebMaxEnvironments { function, max_environments }
        }),
        (f(), prop::option::of(-10.0f64..20_000.0))
            .prop_map(|(function, rate_limit)| Edit::SetWebRateLimit { function, rate_limit }),
        (f(), 0u32..2000).prop_map(|(function, n)| Edit::SetManagedInstancesConcurrency {
            function,
            per_environment_max_concurrency: n
        }),
        (f(), 0u32..1000)
            .prop_map(|(function, max_vcpus)| Edit::SetManagedInstancesMaxVcpus { function, max_vcpus }),
        (f(), -0.5f64..1.5).prop_map(|(function, target_utilization)| {
            Edit::SetManagedInstancesTargetUtilization { function, target_utilization }
        }),
    ]
}

fn compute_mode() -> BoxedStrategy<ComputeMode> {
    prop::sample::select(vec![
        ComputeMode::OnDemand,
        ComputeMode::SnapStart,
        ComputeMode::ManagedInstances,
        ComputeMode::Web,
    ])
    .boxed()
}

fn runtime() -> BoxedStrategy<SnapStartRuntime> {
    prop::sample::select(vec![SnapStartRuntime::Java, SnapStartRuntime::Python, SnapStartRuntime::Dotnet])
        .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Random edits, at time 0 or during the run, never panic; every Ok result validates and
    /// every error is bounded.
    #[test]
    fn random_edit_sequences_never_panic(
        steps in prop::collection::vec((edit_strategy(), prop::sample::select(vec![0u64, 0, 0, 60, 300, 600, 600, 2400])), 1..10)
    ) {
        let mut spec = mixed();
        spec.checks.clear();
        for (edit, t) in steps {
            let _ = edit.label();
            let json = serde_json::to_string(&edit).unwrap();
            let back: Edit = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(&back.label(), &edit.label());
            match apply_live(&spec, secs(t), &edit) {
                Ok(next) => {
                    prop_assert!(next.validate().is_ok(), "{} at {}s gave an invalid spec", edit.label(), t);
                    spec = next;
                }
                Err(e) => {
                    prop_assert!(!e.message.is_empty());
                    prop_assert!(e.message.chars().count() <= 400, "{}", e.message);
                }
            }
        }
    }
}
