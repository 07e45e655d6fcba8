//! The VPC network model against the classic "Working in VPC" stories: reachability paths and
//! failure codes, validation errors with their paths, advisor fixes, and properties over random
//! topologies.

use lambdascape_engine::edit::{self, Edit};
use lambdascape_engine::error::Errors;
use lambdascape_engine::network::examples::*;
use lambdascape_engine::network::*;
use lambdascape_engine::scenario::{FunctionSpec, ScenarioSpec};
use lambdascape_engine::traffic::TrafficSpec;
use proptest::prelude::*;
use std::collections::BTreeSet;

// ---------------------------------------------------------------------------------------------
// Helpers

fn vpc_of(spec: &VpcSpec) -> Vpc {
    let mut errs = Errors::default();
    let vpc = validate_vpc(spec, "vpc", &mut errs);
    assert!(errs.is_empty(), "{:?}", errs.list);
    vpc.expect("valid vpc")
}

fn fn_of(vpc: &Vpc, subnets: &[&str], sgs: &[&str]) -> FunctionVpc {
    let mut errs = Errors::default();
    let f = validate_function_vpc(Some(vpc), &function_vpc(subnets, sgs), "f", &mut errs);
    assert!(errs.is_empty(), "{:?}", errs.list);
    f.expect("valid function vpc")
}

fn dests(vpc: Option<&Vpc>, specs: &[DestinationSpec]) -> Vec<Destination> {
    let mut errs = Errors::default();
    let d = validate_destinations(vpc, specs, "destinations", &mut errs);
    assert!(errs.is_empty(), "{:?}", errs.list);
    d
}

fn dest_named<'a>(d: &'a [Destination], name: &str) -> &'a Destination {
    d.iter().find(|x| x.name == name).expect("destination")
}

/// Reach of the named example destination from `subnet`, with security group `lambda`.
fn reach_in(spec: &VpcSpec, subnet: &str, dest: &str) -> Reach {
    reach_with(spec, subnet, &["lambda"], dest, &[])
}

fn reach_with(spec: &VpcSpec, subnet: &str, sgs: &[&str], dest: &str, down: &[&str]) -> Reach {
    let vpc = vpc_of(spec);
    let f = fn_of(&vpc, &[subnet], sgs);
    let d = dests(Some(&vpc), &example_destinations());
    let health = NetworkHealth { azs_down: down.iter().map(|a| vpc.az_by_name(a).expect("az")).collect() };
    let s = vpc.subnet_by_name(subnet).expect("subnet");
    let r = reach(&vpc, &health, Some((&f, s)), dest_named(&d, dest));
    if let Reach::Unreachable { reason, .. } = &r {
        assert!(!reason.is_empty());
    }
    r
}

fn kinds(r: &Reach) -> Vec<&'static str> {
    r.hops()
        .iter()
        .map(|h| match h {
            Hop::LambdaNetwork => "lambda",
            Hop::Eni { .. } => "eni",
            Hop::RouteTable { .. } => "rt",
            Hop::NatGateway { .. } => "nat",
            Hop::InternetGateway { .. } => "igw",
            Hop::GatewayEndpoint { .. } => "gateway-endpoint",
            Hop::InterfaceEndpoint { .. } => "interface-endpoint",
            Hop::Destination { .. } => "dest",
        })
        .collect()
}

fn set_default_route(spec: &mut VpcSpec, rt: &str, target: DefaultRoute) {
    spec.route_tables.iter_mut().find(|r| r.name == rt).expect("rt").default_route = target;
}

// ---------------------------------------------------------------------------------------------
// The classic VPC stories

#[test]
fn private_subnet_reaches_internet_through_nat_in_public_subnet() {
    let r = reach_in(&example_mixed_subnets(), "private-a", "payments-api");
    assert!(r.is_reachable(), "{r:?}");
    assert_eq!(kinds(&r), ["eni", "rt", "nat", "igw", "dest"]);
    assert!(matches!(r.charge(), Some(PathCharge::NatGateway(_))));
    assert!(r.added_latency_us() >= 1_000, "NAT adds about a millisecond");
}

#[test]
fn public_subnet_drops_packets_at_the_internet_gateway() {
    for dest in ["payments-api", "sqs", "s3"] {
        let r = reach_in(&example_mixed_subnets(), "public-b", dest);
        assert_eq!(r.code(), Some(UnreachableCode::IgwNoPublicIp), "{dest}");
        assert_eq!(kinds(&r), ["eni", "rt", "igw"]);
        assert!(r.reason().unwrap().contains("rt-public"));
        assert!(r.reason().unwrap().contains("no public IP"));
    }
    // A private resource is still fine from a public subnet: the local route.
    assert!(reach_in(&example_mixed_subnets(), "public-b", "orders-db").is_reachable());
}

#[test]
fn nat_in_private_subnet_fails_every_internet_call() {
    for dest in ["payments-api", "sqs", "s3", "dynamodb"] {
        let r = reach_in(&example_nat_in_private_subnet(), "private-a", dest);
        assert_eq!(r.code(), Some(UnreachableCode::NatInPrivateSubnet), "{dest}");
        assert_eq!(kinds(&r), ["eni", "rt", "nat"]);
        assert!(r.reason().unwrap().contains("nat-a"));
    }
    assert!(reach_in(&example_nat_in_private_subnet(), "private-a", "orders-db").is_reachable());
}

#[test]
fn detached_internet_gateway() {
    let mut spec = example_private_subnets_with_nat();
    spec.internet_gateway.as_mut().unwrap().attached = false;
    let r = reach_in(&spec, "private-a", "payments-api");
    assert_eq!(r.code(), Some(UnreachableCode::NoInternetGateway));
    assert!(r.reason().unwrap().contains("detached"));
    assert_eq!(kinds(&r), ["eni", "rt", "nat"]);

    spec.internet_gateway = None;
    let r = reach_in(&spec, "private-a", "payments-api");
    assert_eq!(r.code(), Some(UnreachableCode::NoInternetGateway));
    assert!(r.reason().unwrap().contains("has none"));
}

#[test]
fn gateway_endpoint_reaches_s3_without_nat_or_default_route() {
    let mut spec = example_private_subnets_with_nat();
    set_default_route(&mut spec, "rt-private-a", DefaultRoute::None);
    spec.route_tables[1].gateway_endpoints = vec![GatewayService::S3];
    let r = reach_in(&spec, "private-a", "s3");
    assert!(r.is_reachable(), "{r:?}");
    assert_eq!(kinds(&r), ["eni", "rt", "gateway-endpoint", "dest"]);
    assert_eq!(r.charge(), Some(PathCharge::GatewayEndpoint(GatewayService::S3)));
    // ... but not DynamoDB, nor the internet.
    assert_eq!(reach_in(&spec, "private-a", "dynamodb").code(), Some(UnreachableCode::NoEndpointOrNat));
    assert_eq!(reach_in(&spec, "private-a", "payments-api").code(), Some(UnreachableCode::NoRoute));

    // With a NAT route too, the gateway endpoint still wins for S3 (and is free).
    let mut spec = example_private_subnets_with_nat();
    spec.route_tables[1].gateway_endpoints = vec![GatewayService::S3];
    let r = reach_in(&spec, "private-a", "s3");
    assert_eq!(r.charge(), Some(PathCharge::GatewayEndpoint(GatewayService::S3)));
}

#[test]
fn dynamodb_without_endpoint_or_nat() {
    let mut spec = example_private_subnets_with_nat();
    set_default_route(&mut spec, "rt-private-a", DefaultRoute::None);
    let r = reach_in(&spec, "private-a", "dynamodb");
    assert_eq!(r.code(), Some(UnreachableCode::NoEndpointOrNat));
    assert!(r.reason().unwrap().contains("dynamodb"));
    assert!(r.reason().unwrap().contains("rt-private-a"));
}

#[test]
fn interface_endpoint_private_dns() {
    let mut spec = example_private_subnets_with_nat();
    set_default_route(&mut spec, "rt-private-a", DefaultRoute::None);
    spec.interface_endpoints.push(InterfaceEndpointSpec {
        service: "sqs".into(),
        subnets: vec!["private-a".into(), "private-b".into()],
        private_dns: false,
    });
    let r = reach_in(&spec, "private-a", "sqs");
    assert_eq!(r.code(), Some(UnreachableCode::EndpointWithoutPrivateDns));
    assert!(r.reason().unwrap().contains("private DNS off"));

    spec.interface_endpoints[0].private_dns = true;
    let r = reach_in(&spec, "private-a", "sqs");
    assert!(r.is_reachable(), "{r:?}");
    assert_eq!(kinds(&r), ["eni", "rt", "interface-endpoint", "dest"]);
    assert!(matches!(r.charge(), Some(PathCharge::InterfaceEndpoint(_))));
    // Served from another subnet of the VPC too (private-b's route table has a NAT, unused).
    let r = reach_in(&spec, "private-b", "sqs");
    assert!(matches!(r.charge(), Some(PathCharge::InterfaceEndpoint(_))));

    // Its AZ a down: private-b's calls use the interface in private-b; both down: unavailable.
    let r = reach_with(&spec, "private-b", &["lambda"], "sqs", &["us-east-1a"]);
    assert!(r.is_reachable());
    spec.interface_endpoints[0].subnets = vec!["private-a".into()];
    let r = reach_with(&spec, "private-b", &["lambda"], "sqs", &["us-east-1a"]);
    assert_eq!(r.code(), Some(UnreachableCode::EndpointUnavailable));
}

#[test]
fn security_group_egress() {
    let mut spec = example_private_subnets_with_nat();
    spec.security_groups.push(SecurityGroupSpec {
        name: "db-only".into(),
        egress: vec![EgressRule { to: "sg:db".into(), ports: Some((5432, 5432)) }],
    });
    spec.security_groups.push(SecurityGroupSpec { name: "closed".into(), egress: vec![] });
    let r = reach_with(&spec, "private-a", &["db-only"], "payments-api", &[]);
    assert_eq!(r.code(), Some(UnreachableCode::SecurityGroupEgressDenied));
    assert_eq!(kinds(&r), ["eni"]);
    assert!(r.reason().unwrap().contains("db-only"));
    assert!(reach_with(&spec, "private-a", &["db-only"], "orders-db", &[]).is_reachable());
    let r = reach_with(&spec, "private-a", &["closed"], "orders-db", &[]);
    assert_eq!(r.code(), Some(UnreachableCode::SecurityGroupEgressDenied));
    assert!(r.reason().unwrap().contains("no egress rules"));
    // Rules add up across the function's groups.
    assert!(reach_with(&spec, "private-a", &["closed", "lambda"], "payments-api", &[]).is_reachable());
}

#[test]
fn az_outage_takes_its_nat_gateway_down() {
    let mut spec = example_private_subnets_with_nat();
    set_default_route(&mut spec, "rt-private-b", DefaultRoute::NatGateway("nat-a".into()));
    let healthy = reach_with(&spec, "private-b", &["lambda"], "payments-api", &[]);
    assert!(healthy.is_reachable());
    let r = reach_with(&spec, "private-b", &["lambda"], "payments-api", &["us-east-1a"]);
    assert_eq!(r.code(), Some(UnreachableCode::NatGatewayDown));
    assert!(r.reason().unwrap().contains("nat-a"));
    assert!(r.reason().unwrap().contains("us-east-1a"));
    // The database in us-east-1a is unreachable too; the function's own ENI in 1a is down.
    let r = reach_with(&spec, "private-b", &["lambda"], "orders-db", &["us-east-1a"]);
    assert_eq!(r.code(), Some(UnreachableCode::ResourceNotRouted));
    let r = reach_with(&spec, "private-a", &["lambda"], "payments-api", &["us-east-1a"]);
    assert_eq!(r.code(), Some(UnreachableCode::EniAzDown));
    // The untouched layout keeps AZ b working when AZ a goes down.
    let r = reach_with(
        &example_private_subnets_with_nat(),
        "private-b",
        &["lambda"],
        "payments-api",
        &["us-east-1a"],
    );
    assert!(r.is_reachable());
}

#[test]
fn lambda_managed_networking() {
    let vpc = vpc_of(&example_private_subnets_with_nat());
    let d = dests(Some(&vpc), &example_destinations());
    let h = NetworkHealth::healthy();
    for name in ["payments-api", "s3", "dynamodb", "sqs"] {
        let r = reach(&vpc, &h, None, dest_named(&d, name));
        assert!(r.is_reachable());
        assert_eq!(kinds(&r), ["lambda", "dest"]);
        assert_eq!(r.charge(), Some(PathCharge::Direct));
    }
    let r = reach(&vpc, &h, None, dest_named(&d, "orders-db"));
    assert_eq!(r.code(), Some(UnreachableCode::NoVpcAccess));
    assert!(r.reason().unwrap().contains("orders-db"));
}

#[test]
fn cross_az_resource_costs_latency() {
    let near = reach_in(&example_private_subnets_with_nat(), "private-a", "orders-db");
    let far = reach_in(&example_private_subnets_with_nat(), "private-b", "orders-db");
    assert!(far.added_latency_us() > near.added_latency_us());
    assert_eq!(kinds(&near), ["eni", "rt", "dest"]);
}

#[test]
fn eni_keys_shared_across_functions() {
    let vpc = vpc_of(&example_private_subnets_with_nat());
    let a = fn_of(&vpc, &["private-a", "private-b"], &["lambda"]);
    let b = fn_of(&vpc, &["private-b", "private-a"], &["lambda"]);
    let c = fn_of(&vpc, &["private-a"], &["db", "lambda"]);
    let keys = unique_eni_keys([&a, &b, &c]);
    assert_eq!(keys.len(), 3);
}

#[test]
fn every_code_has_a_sentence() {
    use UnreachableCode::*;
    for c in [
        NoRoute,
        IgwNoPublicIp,
        NatInPrivateSubnet,
        NoInternetGateway,
        NatGatewayDown,
        NoEndpointOrNat,
        EndpointWithoutPrivateDns,
        EndpointUnavailable,
        SecurityGroupEgressDenied,
        ResourceNotRouted,
        EniAzDown,
        NoVpcAccess,
        EniQuotaReached,
    ] {
        assert!(c.sentence().ends_with('.'));
    }
    assert_eq!(serde_json::to_string(&IgwNoPublicIp).unwrap(), "\"igw_no_public_ip\"");
}

/// The mixed-subnets example in JSON, as a scenario file would hold it.
const MIXED_JSON: &str = r#"{
  "name": "demo", "cidr": "10.0.0.0/16", "azs": ["us-east-1a", "us-east-1b"],
  "subnets": [
    { "name": "public-a", "az": "us-east-1a", "cidr": "10.0.0.0/24", "route_table": "rt-public" },
    { "name": "public-b", "az": "us-east-1b", "cidr": "10.0.1.0/24", "route_table": "rt-public" },
    { "name": "private-a", "az": "us-east-1a", "cidr": "10.0.10.0/24", "route_table": "rt-private" }
  ],
  "route_tables": [
    { "name": "rt-public", "default_route": "internet_gateway" },
    { "name": "rt-private", "default_route": { "nat_gateway": "nat-a" } }
  ],
  "internet_gateway": { "name": "igw" },
  "nat_gateways": [{ "name": "nat-a", "subnet": "public-a" }],
  "security_groups": [{ "name": "lambda" }, { "name": "db", "egress": [] }],
  "resources": [{ "name": "orders-db", "kind": "rds", "subnet": "private-a", "security_groups": ["db"] }]
}"#;

#[test]
fn mixed_subnets_json_matches_the_builder() {
    let spec: VpcSpec = serde_json::from_str(MIXED_JSON).unwrap();
    assert_eq!(spec, example_mixed_subnets());
    let back: VpcSpec = serde_json::from_str(&serde_json::to_string(&spec).unwrap()).unwrap();
    assert_eq!(back, spec);
    let f: FunctionVpcSpec =
        serde_json::from_str(r#"{"subnets":["private-a","public-b"],"security_groups":["lambda"]}"#).unwrap();
    assert_eq!(f, example_mixed_subnets_function());
    let d: Vec<DestinationSpec> = serde_json::from_str(
        r#"[{"name":"payments-api","kind":{"internet":"api.payments.example"}},
            {"name":"s3","kind":"s3"},{"name":"dynamodb","kind":"dynamodb"},
            {"name":"sqs","kind":{"aws_service":"sqs"}},
            {"name":"orders-db","kind":{"resource":"orders-db"}}]"#,
    )
    .unwrap();
    assert_eq!(d, example_destinations());
}

#[test]
fn schema_is_generated() {
    let schema = schemars::schema_for!(VpcSpec);
    let text = serde_json::to_string(&schema).unwrap();
    assert!(text.contains("nat_gateway"));
    let _ = schemars::schema_for!(DestinationSpec);
    let _ = schemars::schema_for!(Edit);
}

// ---------------------------------------------------------------------------------------------
// Validation: every problem with its path

fn vpc_errors(spec: &VpcSpec) -> Vec<(String, String)> {
    let mut errs = Errors::default();
    let vpc = validate_vpc(spec, "vpc", &mut errs);
    assert_eq!(vpc.is_none(), !errs.is_empty());
    errs.list.into_iter().map(|e| (e.path, e.message)).collect()
}

fn has(errs: &[(String, String)], path: &str, fragment: &str) -> bool {
    errs.iter().any(|(p, m)| p == path && m.contains(fragment))
}

#[test]
fn subnet_outside_vpc_and_overlap() {
    let mut spec = example_private_subnets_with_nat();
    spec.subnets[2].cidr = "10.1.0.0/24".into();
    spec.subnets[3].cidr = "10.0.0.0/23".into();
    let e = vpc_errors(&spec);
    assert!(has(&e, "vpc.subnets[2].cidr", "10.1.0.0/24 is outside the VPC's 10.0.0.0/16"), "{e:?}");
    assert!(has(&e, "vpc.subnets[3].cidr", "subnets 'public-a' and 'private-b' overlap"), "{e:?}");
    assert!(has(&e, "vpc.subnets[3].cidr", "subnets 'public-b' and 'private-b' overlap"), "{e:?}");
}

#[test]
fn bad_blocks() {
    let mut spec = example_mixed_subnets();
    spec.cidr = "10.0.0.1/16".into();
    assert!(has(&vpc_errors(&spec), "vpc.cidr", "did you mean 10.0.0.0/16"));
    spec.cidr = "10.0.0.0/8".into();
    assert!(has(&vpc_errors(&spec), "vpc.cidr", "between /16 and /28"));
    spec.cidr = "ten".into();
    assert!(has(&vpc_errors(&spec), "vpc.cidr", "not an IPv4 CIDR block"));
    let mut spec = example_mixed_subnets();
    spec.subnets[0].cidr = "10.0.0.0/29".into();
    assert!(has(&vpc_errors(&spec), "vpc.subnets[0].cidr", "between /16 and /28"));
}

#[test]
fn unknown_and_duplicate_names() {
    let mut spec = example_private_subnets_with_nat();
    spec.subnets[0].az = "us-west-2a".into();
    spec.subnets[1].route_table = "rt-nope".into();
    spec.subnets[3].name = "private-a".into();
    spec.nat_gateways[1].subnet = "nowhere".into();
    spec.route_tables[2].default_route = DefaultRoute::NatGateway("nat-z".into());
    spec.route_tables[0].gateway_endpoints = vec![GatewayService::S3, GatewayService::S3];
    spec.azs.push("us-east-1a".into());
    let e = vpc_errors(&spec);
    assert!(has(&e, "vpc.subnets[0].az", "unknown availability zone 'us-west-2a'"), "{e:?}");
    assert!(has(&e, "vpc.subnets[1].route_table", "unknown route table 'rt-nope'"), "{e:?}");
    assert!(has(&e, "vpc.subnets[3].name", "duplicate subnet name 'private-a'"), "{e:?}");
    assert!(has(&e, "vpc.nat_gateways[1].subnet", "unknown subnet 'nowhere'"), "{e:?}");
    assert!(has(&e, "vpc.route_tables[2].default_route", "unknown NAT gateway 'nat-z'"), "{e:?}");
    assert!(has(&e, "vpc.route_tables[0].gateway_endpoints[1]", "listed twice"), "{e:?}");
    assert!(has(&e, "vpc.azs[2]", "listed twice"), "{e:?}");
}

#[test]
fn names_are_bounded_but_free() {
    let mut spec = example_mixed_subnets();
    spec.name = "x".repeat(65);
    spec.security_groups[0].name = String::new();
    let e = vpc_errors(&spec);
    assert!(has(&e, "vpc.name", "longer than 64"), "{e:?}");
    assert!(has(&e, "vpc.security_groups[0].name", "empty"), "{e:?}");
    let mut spec = example_mixed_subnets();
    spec.name = "My VPC — prod <script> 🚀".into();
    assert!(vpc_errors(&spec).is_empty());
}

#[test]
fn endpoints_rules_and_resources() {
    let mut spec = example_private_subnets_with_nat();
    spec.interface_endpoints = vec![
        InterfaceEndpointSpec {
            service: "SQS!".into(),
            subnets: vec!["private-a".into(), "public-a".into(), "ghost".into()],
            private_dns: true,
        },
        InterfaceEndpointSpec { service: "logs".into(), subnets: vec![], private_dns: true },
        InterfaceEndpointSpec {
            service: "logs".into(),
            subnets: vec!["private-a".into()],
            private_dns: true,
        },
    ];
    spec.security_groups[0].egress = vec![
        EgressRule { to: "sg:nobody".into(), ports: None },
        EgressRule { to: "everywhere".into(), ports: None },
        EgressRule { to: "0.0.0.0/0".into(), ports: Some((443, 80)) },
        EgressRule { to: "10.0.0.0/16".into(), ports: Some((0, 80)) },
    ];
    spec.resources[0].subnet = "ghost".into();
    spec.resources[0].security_groups = vec!["nobody".into()];
    spec.resources[0].port = Some(0);
    let e = vpc_errors(&spec);
    assert!(has(&e, "vpc.interface_endpoints[0].service", "not a service name"), "{e:?}");
    assert!(has(&e, "vpc.interface_endpoints[0].subnets[1]", "one subnet per availability zone"), "{e:?}");
    assert!(has(&e, "vpc.interface_endpoints[0].subnets[2]", "unknown subnet 'ghost'"), "{e:?}");
    assert!(has(&e, "vpc.interface_endpoints[1].subnets", "at least one subnet"), "{e:?}");
    assert!(has(&e, "vpc.interface_endpoints[2].service", "second interface endpoint"), "{e:?}");
    assert!(has(&e, "vpc.security_groups[0].egress[0].to", "unknown security group 'nobody'"), "{e:?}");
    assert!(has(&e, "vpc.security_groups[0].egress[1].to", "neither a CIDR block"), "{e:?}");
    assert!(has(&e, "vpc.security_groups[0].egress[2].ports", "not a port range"), "{e:?}");
    assert!(has(&e, "vpc.security_groups[0].egress[3].ports", "not a port range"), "{e:?}");
    assert!(has(&e, "vpc.resources[0].subnet", "unknown subnet 'ghost'"), "{e:?}");
    assert!(has(&e, "vpc.resources[0].security_groups[0]", "unknown security group"), "{e:?}");
    assert!(has(&e, "vpc.resources[0].port", "port 0"), "{e:?}");
}

#[test]
fn too_many_nats_in_one_az_and_empty_azs() {
    let mut spec = example_private_subnets_with_nat();
    for i in 0..5 {
        spec.nat_gateways.push(NatGatewaySpec { name: format!("extra-{i}"), subnet: "public-a".into() });
    }
    assert!(has(&vpc_errors(&spec), "vpc.nat_gateways[6].subnet", "more than 5 NAT gateways"));
    let mut spec = example_private_subnets_with_nat();
    spec.azs.clear();
    assert!(has(&vpc_errors(&spec), "vpc.azs", "at least one availability zone"));
}

#[test]
fn function_vpc_validation() {
    let vpc = vpc_of(&example_private_subnets_with_nat());
    let check = |spec: FunctionVpcSpec, with_vpc: bool| {
        let mut errs = Errors::default();
        let r = validate_function_vpc(with_vpc.then_some(&vpc), &spec, "functions[0].vpc", &mut errs);
        assert_eq!(r.is_none(), !errs.is_empty());
        errs.list.into_iter().map(|e| (e.path, e.message)).collect::<Vec<_>>()
    };
    let e = check(function_vpc(&[], &[]), true);
    assert!(has(&e, "functions[0].vpc.subnets", "at least one subnet"));
    assert!(has(&e, "functions[0].vpc.security_groups", "at least one security group"));
    let many: Vec<String> = (0..17).map(|_| "private-a".to_string()).collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let e = check(function_vpc(&refs, &["lambda", "db", "lambda", "db", "lambda", "db"]), true);
    assert!(has(&e, "functions[0].vpc.subnets", "at most 16"));
    assert!(has(&e, "functions[0].vpc.security_groups", "at most 5"));
    assert!(has(&e, "functions[0].vpc.subnets[1]", "listed twice"));
    assert!(has(&e, "functions[0].vpc.security_groups[2]", "listed twice"));
    let e = check(function_vpc(&["nowhere"], &["nobody"]), true);
    assert!(has(&e, "functions[0].vpc.subnets[0]", "unknown subnet 'nowhere'"));
    assert!(has(&e, "functions[0].vpc.security_groups[0]", "unknown security group 'nobody'"));
    let e = check(function_vpc(&["private-a"], &["lambda"]), false);
    assert!(has(&e, "functions[0].vpc", "the scenario has no vpc"));
    let mut heavy = function_vpc(&["private-a"], &["lambda"]);
    heavy.connections_per_invocation = Some(1001);
    assert!(has(
        &check(heavy.clone(), true),
        "functions[0].vpc.connections_per_invocation",
        "more than 1,000"
    ));
    for ok in [0, 1, 1000] {
        heavy.connections_per_invocation = Some(ok);
        assert!(check(heavy.clone(), true).is_empty());
    }
}

#[test]
fn eni_connection_limit_validation() {
    let mut spec = example_private_subnets_with_nat();
    assert_eq!(spec.eni_connection_limit, 65_000);
    assert!(vpc_errors(&spec).is_empty());
    for bad in [0, 1_000_001] {
        spec.eni_connection_limit = bad;
        assert!(has(&vpc_errors(&spec), "vpc.eni_connection_limit", "between 1 and 1,000,000"), "{bad}");
    }
    spec.eni_connection_limit = 100;
    assert_eq!(vpc_of(&spec).eni_connection_limit, 100);
    // Absent from a file: the default, and not written back out when it is the default.
    let text = serde_json::to_string(&example_private_subnets_with_nat()).unwrap();
    assert!(!text.contains("eni_connection_limit"));
    let back: VpcSpec = serde_json::from_str(&text).unwrap();
    assert_eq!(back.eni_connection_limit, DEFAULT_ENI_CONNECTION_LIMIT);
    let text = serde_json::to_string(&spec).unwrap();
    assert!(text.contains("\"eni_connection_limit\":100"));
    // A whole scenario reports it with its path too.
    let mut sc = lambdascape_engine::scenario::ScenarioSpec::from_json(
        &std::fs::read_to_string(
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/scenarios/eni-connection-limit.json"),
        )
        .unwrap(),
    )
    .unwrap();
    sc.vpc.as_mut().unwrap().eni_connection_limit = 0;
    let errs = sc.validate().unwrap_err();
    assert_eq!(errs.0[0].path, "vpc.eni_connection_limit");
    assert_eq!(errs.0[0].message, "0 must be between 1 and 1,000,000 connections per ENI (AWS: 65,000)");
    sc.vpc.as_mut().unwrap().eni_connection_limit = 100;
    sc.functions[0].vpc.as_mut().unwrap().connections_per_invocation = Some(5000);
    let errs = sc.validate().unwrap_err();
    let paths: Vec<_> = errs.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["functions[0].vpc.connections_per_invocation"]);
}

/// The VPC's quota of network interfaces (Lambda quotas: 250 per VPC), those other services
/// use, and the time to add a Hyperplane ENI: defaults, ranges, and left out of files at default.
#[test]
fn eni_quota_validation() {
    let mut spec = example_private_subnets_with_nat();
    assert_eq!((spec.eni_quota, spec.other_enis, spec.eni_scale_out_time), (250, 0, None));
    let vpc = vpc_of(&spec);
    assert_eq!((vpc.eni_quota, vpc.other_enis, vpc.eni_scale_out), (250, 0, 0));
    let text = serde_json::to_string(&spec).unwrap();
    assert!(
        !text.contains("eni_quota") && !text.contains("other_enis") && !text.contains("eni_scale_out_time")
    );
    for bad in [0, 100_001] {
        spec.eni_quota = bad;
        assert!(has(&vpc_errors(&spec), "vpc.eni_quota", "between 1 and 100,000"), "{bad}");
    }
    spec.eni_quota = 10;
    spec.other_enis = 100_001;
    assert!(has(&vpc_errors(&spec), "vpc.other_enis", "between 0 and 100,000"));
    spec.other_enis = 9;
    spec.eni_scale_out_time = Some("2h".into());
    assert!(has(&vpc_errors(&spec), "vpc.eni_scale_out_time", "between 0 and 1 h"));
    spec.eni_scale_out_time = Some("30s".into());
    let vpc = vpc_of(&spec);
    assert_eq!((vpc.eni_quota, vpc.other_enis, vpc.eni_scale_out), (10, 9, 30 * 1_000_000));
    let text = serde_json::to_string(&spec).unwrap();
    assert!(text.contains("\"eni_quota\":10,\"other_enis\":9,\"eni_scale_out_time\":\"30s\""), "{text}");
    let back: VpcSpec = serde_json::from_str(&text).unwrap();
    assert_eq!(back, spec);
}

#[test]
fn destination_validation() {
    let vpc = vpc_of(&example_private_subnets_with_nat());
    let specs = vec![
        destination("a", DestinationKind::Resource("ghost".into())),
        destination("a", DestinationKind::Internet("has space.com".into())),
        destination("c", DestinationKind::AwsService("Not A Service".into())),
        DestinationSpec {
            name: "d".into(),
            kind: DestinationKind::S3,
            bytes_per_call: u64::MAX,
            port: Some(0),
        },
    ];
    let mut errs = Errors::default();
    validate_destinations(Some(&vpc), &specs, "functions[0].destinations", &mut errs);
    let e: Vec<_> = errs.list.into_iter().map(|e| (e.path, e.message)).collect();
    assert!(has(&e, "functions[0].destinations[0].kind", "unknown resource 'ghost'"), "{e:?}");
    assert!(has(&e, "functions[0].destinations[1].name", "duplicate destination name 'a'"), "{e:?}");
    assert!(has(&e, "functions[0].destinations[1].kind", "not a host name"), "{e:?}");
    assert!(has(&e, "functions[0].destinations[2].kind", "not a service name"), "{e:?}");
    assert!(has(&e, "functions[0].destinations[3].port", "port 0"), "{e:?}");
    assert!(has(&e, "functions[0].destinations[3].bytes_per_call", "10 GiB"), "{e:?}");

    let mut errs = Errors::default();
    validate_destinations(None, &example_destinations(), "d", &mut errs);
    assert!(has(
        &errs.list.into_iter().map(|e| (e.path, e.message)).collect::<Vec<_>>(),
        "d[4].kind",
        "needs a vpc"
    ));
    // Resource destinations default to the resource's port.
    let d = dests(Some(&vpc), &example_destinations());
    assert_eq!(dest_named(&d, "orders-db").port, 5432);
    assert_eq!(dest_named(&d, "sqs").port, 443);
}

#[test]
fn price_validation() {
    let prices = NetworkPrices {
        nat_gateway_per_gb_usd: -1.0,
        interface_endpoint_per_az_hour_usd: f64::NAN,
        ..NetworkPrices::default()
    };
    let mut errs = Errors::default();
    validate_prices(&prices, "prices", &mut errs);
    let paths: Vec<_> = errs.list.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["prices.nat_gateway_per_gb_usd", "prices.interface_endpoint_per_az_hour_usd"]);
}

// ---------------------------------------------------------------------------------------------
// Advisor: each finding appears where it should, and its fix makes it go away

/// A scenario's network: the VPC, and per function its name, VpcConfig and destinations.
#[derive(Clone, Debug)]
struct Net {
    vpc: VpcSpec,
    functions: Vec<(String, Option<FunctionVpcSpec>, Vec<DestinationSpec>)>,
}

fn findings(net: &Net) -> Vec<Finding> {
    let vpc = vpc_of(&net.vpc);
    let mut errs = Errors::default();
    let configs: Vec<Option<FunctionVpc>> = net
        .functions
        .iter()
        .map(|(_, c, _)| c.as_ref().and_then(|c| validate_function_vpc(Some(&vpc), c, "f", &mut errs)))
        .collect();
    let ds: Vec<Vec<Destination>> =
        net.functions.iter().map(|(_, _, d)| validate_destinations(Some(&vpc), d, "d", &mut errs)).collect();
    assert!(errs.is_empty(), "{:?}", errs.list);
    let views: Vec<FunctionNetView> = net
        .functions
        .iter()
        .zip(&configs)
        .zip(&ds)
        .map(|(((name, _, _), c), d)| FunctionNetView {
            name,
            vpc: c.as_ref(),
            destinations: d,
            calls_per_month: 1_000_000.0,
        })
        .collect();
    advise(Some(&vpc), &views)
}

/// The network as a scenario: its VPC, and a function (a little traffic) per entry.
fn scenario_of(net: &Net) -> ScenarioSpec {
    let functions = net
        .functions
        .iter()
        .map(|(name, config, d)| {
            let mut f = FunctionSpec::new(name, TrafficSpec::constant(1.0));
            f.vpc = config.clone();
            f.destinations = d.clone();
            f
        })
        .collect();
    let mut spec = ScenarioSpec::new("network", functions);
    spec.vpc = Some(net.vpc.clone());
    spec
}

/// The network after `fix`, made like any edit of the scenario (checked, then validated).
fn fixed(net: &Net, fix: &Edit) -> Net {
    let spec = edit::apply(&scenario_of(net), fix).unwrap_or_else(|e| panic!("{}: {e}", fix.label()));
    Net {
        vpc: spec.vpc.expect("the fixed scenario has its VPC"),
        functions: net
            .functions
            .iter()
            .zip(&spec.functions)
            .map(|((n, _, d), f)| (n.clone(), f.vpc.clone(), d.clone()))
            .collect(),
    }
}

/// Applies every finding's fix in turn (each to the original) and checks the finding is gone.
/// Returns the ids seen.
fn check_fixes(net: &Net) -> BTreeSet<&'static str> {
    let found = findings(net);
    for f in &found {
        assert!(!f.why.is_empty() && !f.title.is_empty());
        let Some(fix) = &f.fix else { continue };
        let after = findings(&fixed(net, fix));
        assert!(
            after.iter().all(|g| g.key != f.key),
            "fix '{}' did not remove {}: {after:#?}",
            fix.label(),
            f.key
        );
    }
    found.iter().map(|f| f.id).collect()
}

fn one_fn(vpc: VpcSpec, config: Option<FunctionVpcSpec>, d: Vec<DestinationSpec>) -> Net {
    Net { vpc, functions: vec![("orders-api".into(), config, d)] }
}

fn internet_only() -> Vec<DestinationSpec> {
    vec![destination("payments-api", DestinationKind::Internet("api.payments.example".into()))]
}

fn with_db(mut d: Vec<DestinationSpec>) -> Vec<DestinationSpec> {
    d.push(destination("orders-db", DestinationKind::Resource("orders-db".into())));
    d
}

fn all_nets() -> Vec<Net> {
    let good = || function_vpc(&["private-a", "private-b"], &["lambda"]);
    let mut nets = vec![
        // The mixed subnets, with S3 and DynamoDB through the NAT.
        one_fn(example_mixed_subnets(), Some(example_mixed_subnets_function()), example_destinations()),
        // Only a public subnet.
        one_fn(
            example_mixed_subnets(),
            Some(function_vpc(&["public-b"], &["lambda"])),
            example_destinations(),
        ),
        one_fn(
            example_nat_in_private_subnet(),
            Some(function_vpc(&["private-a"], &["lambda"])),
            example_destinations(),
        ),
        // Recommended layout, but nothing private to reach.
        one_fn(example_private_subnets_with_nat(), Some(good()), internet_only()),
        // A function without VPC config that needs the database.
        one_fn(example_private_subnets_with_nat(), None, example_destinations()),
    ];
    // No default route in one AZ (a NAT exists in the VPC).
    let mut v = example_private_subnets_with_nat();
    set_default_route(&mut v, "rt-private-a", DefaultRoute::None);
    nets.push(one_fn(v, Some(good()), with_db(internet_only())));
    // No NAT at all: the fix adds one.
    let mut v = example_private_subnets_with_nat();
    set_default_route(&mut v, "rt-private-a", DefaultRoute::None);
    set_default_route(&mut v, "rt-private-b", DefaultRoute::None);
    v.nat_gateways.clear();
    nets.push(one_fn(v.clone(), Some(good()), with_db(internet_only())));
    // Only S3 and DynamoDB needed: gateway endpoints.
    nets.push(one_fn(
        v,
        Some(good()),
        vec![
            destination("s3", DestinationKind::S3),
            destination("ddb", DestinationKind::DynamoDb),
            destination("orders-db", DestinationKind::Resource("orders-db".into())),
        ],
    ));
    // Narrow security group.
    let mut v = example_private_subnets_with_nat();
    v.security_groups.push(SecurityGroupSpec { name: "closed".into(), egress: vec![] });
    nets.push(one_fn(
        v,
        Some(function_vpc(&["private-a", "private-b"], &["closed"])),
        example_destinations(),
    ));
    // Interface endpoint with private DNS off, no NAT route.
    let mut v = example_private_subnets_with_nat();
    set_default_route(&mut v, "rt-private-a", DefaultRoute::None);
    set_default_route(&mut v, "rt-private-b", DefaultRoute::None);
    v.interface_endpoints.push(InterfaceEndpointSpec {
        service: "sqs".into(),
        subnets: vec!["private-a".into()],
        private_dns: false,
    });
    nets.push(one_fn(
        v,
        Some(good()),
        vec![
            destination("sqs", DestinationKind::AwsService("sqs".into())),
            destination("orders-db", DestinationKind::Resource("orders-db".into())),
        ],
    ));
    // Detached internet gateway.
    let mut v = example_private_subnets_with_nat();
    v.internet_gateway.as_mut().unwrap().attached = false;
    nets.push(one_fn(v.clone(), Some(good()), with_db(internet_only())));
    v.internet_gateway = None;
    nets.push(one_fn(v, Some(good()), with_db(internet_only())));
    // One NAT for both AZs, with a route table per AZ ...
    let mut v = example_private_subnets_with_nat();
    set_default_route(&mut v, "rt-private-b", DefaultRoute::NatGateway("nat-a".into()));
    nets.push(one_fn(v.clone(), Some(good()), with_db(internet_only())));
    // ... and with one route table shared by both AZs (the fix splits it), no NAT in AZ b yet.
    v.nat_gateways.retain(|n| n.name == "nat-a");
    for s in &mut v.subnets {
        if s.route_table == "rt-private-b" {
            s.route_table = "rt-private-a".into();
        }
    }
    v.route_tables.retain(|r| r.name != "rt-private-b");
    nets.push(one_fn(v, Some(good()), with_db(internet_only())));
    nets
}

#[test]
fn advisor_fixes_remove_their_findings() {
    let mut seen = BTreeSet::new();
    for net in all_nets() {
        seen.extend(check_fixes(&net));
    }
    let all = [
        "function-in-public-subnet",
        "mixed-public-private-subnets",
        "single-az",
        "no-internet-path",
        "security-group-blocks-egress",
        "endpoint-private-dns-off",
        "s3-or-dynamodb-through-nat",
        "vpc-without-private-resources",
        "private-resource-needs-vpc",
        "nat-in-private-subnet",
        "no-internet-gateway",
        "nat-serves-several-azs",
    ];
    for id in all {
        assert!(seen.contains(id), "no scenario produced {id}");
    }
}

/// Splitting a route table shared by two AZs gives the new one the same gateway endpoints.
#[test]
fn split_route_table_keeps_its_gateway_endpoints() {
    let mut net = all_nets().pop().expect("the shared route table");
    let rt = net.vpc.route_tables.iter_mut().find(|r| r.name == "rt-private-a").unwrap();
    rt.gateway_endpoints = vec![GatewayService::S3];
    let found = findings(&net);
    let f = found.iter().find(|f| f.id == "nat-serves-several-azs").expect("finding");
    let after = fixed(&net, f.fix.as_ref().expect("fix"));
    let split =
        after.vpc.route_tables.iter().find(|r| r.name == "rt-private-a-us-east-1b").expect("new table");
    assert_eq!(split.gateway_endpoints, vec![GatewayService::S3]);
    assert_eq!(split.default_route, DefaultRoute::NatGateway("nat-us-east-1b".into()));
    assert!(findings(&after).iter().all(|g| g.key != f.key));
}

#[test]
fn mixed_subnets_finding_tells_the_story() {
    let net = &all_nets()[0];
    let found = findings(net);
    let mixed = found.iter().find(|f| f.id == "mixed-public-private-subnets").expect("finding");
    assert_eq!(mixed.severity, Severity::Error);
    assert!(mixed.why.contains("5 times"));
    assert!(mixed.why.contains("public-b"));
    assert_eq!(
        mixed.fix,
        Some(Edit::SetFunctionSubnets { function: "orders-api".into(), subnets: vec!["private-a".into()] })
    );
    // Errors come first.
    let sev: Vec<Severity> = found.iter().map(|f| f.severity).collect();
    let mut sorted = sev.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(sev, sorted);
}

#[test]
fn gateway_endpoint_saving_is_priced() {
    let net = &all_nets()[0];
    let found = findings(net);
    let s3 = found.iter().find(|f| f.key == "s3-or-dynamodb-through-nat:orders-api:s3").expect("s3 finding");
    // 4 KiB x 1M calls, half of the environments in the NAT-routed subnet, $0.045/GB.
    let expected = 4096.0 * 1e6 * 0.5 / BYTES_PER_GB * 0.045;
    let saving = s3.monthly_saving_usd.unwrap();
    assert!((saving - expected).abs() < 1e-9, "{saving} vs {expected}");
}

#[test]
fn healthy_layout_has_no_errors() {
    let net = one_fn(
        example_private_subnets_with_nat(),
        Some(function_vpc(&["private-a", "private-b"], &["lambda"])),
        example_destinations(),
    );
    let found = findings(&net);
    assert!(found.iter().all(|f| f.severity != Severity::Error), "{found:#?}");
}

// ---------------------------------------------------------------------------------------------
// Properties over random topologies

/// A random small topology that always validates: subnet i is 10.0.i.0/24.
#[derive(Debug, Clone)]
struct Topo {
    azs: usize,
    subnets: Vec<(usize, usize)>,      // (az, route table)
    rts: Vec<(u8, usize, bool, bool)>, // (default kind 0 none/1 igw/2 nat, nat, s3, ddb)
    igw: u8,                           // 0 none, 1 attached, 2 detached
    nats: Vec<usize>,                  // subnet
    endpoints: Vec<(u8, usize, bool)>, // (service, subnet, private dns)
    narrow_rule: u8,                   // egress of "narrow"
    resources: Vec<usize>,             // subnet
    function_subnets: Vec<usize>,
    function_sgs: u8, // 1 open, 2 narrow, 3 both
    down: Vec<usize>,
}

fn topo() -> impl Strategy<Value = Topo> {
    (1usize..=3, 1usize..=6, 1usize..=3, 0usize..=3).prop_flat_map(|(azs, ns, nrt, nnat)| {
        (
            proptest::collection::vec((0..azs, 0..nrt), ns),
            proptest::collection::vec((0u8..3, 0..nnat.max(1), any::<bool>(), any::<bool>()), nrt),
            prop_oneof![3 => Just(1u8), 1 => Just(0u8), 1 => Just(2u8)],
            proptest::collection::vec(0..ns, nnat),
            proptest::collection::vec((0u8..3, 0..ns, any::<bool>()), 0..=2),
            0u8..4,
            proptest::collection::vec(0..ns, 0..=2),
            proptest::collection::vec(0..ns, 1..=3),
            1u8..=3,
            proptest::collection::vec(0..azs, 0..=1),
        )
            .prop_map(
                move |(subnets, rts, igw, nats, endpoints, narrow_rule, resources, fs, sgs, down)| Topo {
                    azs,
                    subnets,
                    rts,
                    igw,
                    nats,
                    endpoints,
                    narrow_rule,
                    resources,
                    function_subnets: fs,
                    function_sgs: sgs,
                    down,
                },
            )
    })
}

const SERVICES: [&str; 3] = ["sqs", "s3", "logs"];

impl Topo {
    fn spec(&self) -> VpcSpec {
        let az = |i: usize| format!("az-{i}");
        let mut endpoints: Vec<InterfaceEndpointSpec> = Vec::new();
        for (svc, subnet, dns) in &self.endpoints {
            let service = SERVICES[usize::from(*svc)].to_string();
            if endpoints.iter().all(|e| e.service != service) {
                endpoints.push(InterfaceEndpointSpec {
                    service,
                    subnets: vec![format!("s{subnet}")],
                    private_dns: *dns,
                });
            }
        }
        VpcSpec {
            name: "p".into(),
            cidr: "10.0.0.0/16".into(),
            azs: (0..self.azs).map(az).collect(),
            subnets: self
                .subnets
                .iter()
                .enumerate()
                .map(|(i, (a, rt))| SubnetSpec {
                    name: format!("s{i}"),
                    az: az(*a),
                    cidr: format!("10.0.{i}.0/24"),
                    route_table: format!("rt{rt}"),
                })
                .collect(),
            route_tables: self
                .rts
                .iter()
                .enumerate()
                .map(|(i, (kind, nat, s3, ddb))| RouteTableSpec {
                    name: format!("rt{i}"),
                    default_route: match kind {
                        1 => DefaultRoute::InternetGateway,
                        2 if !self.nats.is_empty() => DefaultRoute::NatGateway(format!("nat{nat}")),
                        _ => DefaultRoute::None,
                    },
                    gateway_endpoints: [(*s3, GatewayService::S3), (*ddb, GatewayService::DynamoDb)]
                        .into_iter()
                        .filter(|(on, _)| *on)
                        .map(|(_, g)| g)
                        .collect(),
                })
                .collect(),
            internet_gateway: (self.igw != 0)
                .then(|| InternetGatewaySpec { name: "igw".into(), attached: self.igw == 1 }),
            nat_gateways: self
                .nats
                .iter()
                .enumerate()
                .map(|(i, s)| NatGatewaySpec { name: format!("nat{i}"), subnet: format!("s{s}") })
                .collect(),
            interface_endpoints: endpoints,
            security_groups: vec![
                SecurityGroupSpec { name: "open".into(), egress: allow_all_egress() },
                SecurityGroupSpec {
                    name: "narrow".into(),
                    egress: match self.narrow_rule {
                        0 => vec![],
                        1 => vec![EgressRule { to: "10.0.0.0/16".into(), ports: Some((5432, 5432)) }],
                        2 => vec![EgressRule { to: "0.0.0.0/0".into(), ports: Some((443, 443)) }],
                        _ => vec![EgressRule { to: "sg:db".into(), ports: None }],
                    },
                },
                SecurityGroupSpec { name: "db".into(), egress: vec![] },
            ],
            resources: self
                .resources
                .iter()
                .enumerate()
                .map(|(i, s)| ResourceSpec {
                    name: format!("db{i}"),
                    kind: ResourceKind::Rds,
                    subnet: format!("s{s}"),
                    port: None,
                    security_groups: vec!["db".into()],
                })
                .collect(),
            eni_connection_limit: DEFAULT_ENI_CONNECTION_LIMIT,
            eni_quota: lambdascape_engine::network::DEFAULT_ENI_QUOTA,
            other_enis: 0,
            eni_scale_out_time: None,
        }
    }

    fn function(&self) -> FunctionVpcSpec {
        let mut subnets: Vec<String> = Vec::new();
        for s in &self.function_subnets {
            let n = format!("s{s}");
            if !subnets.contains(&n) {
                subnets.push(n);
            }
        }
        let sgs: &[&str] = match self.function_sgs {
            1 => &["open"],
            2 => &["narrow"],
            _ => &["open", "narrow"],
        };
        FunctionVpcSpec {
            subnets,
            security_groups: sgs.iter().map(|s| s.to_string()).collect(),
            connections_per_invocation: None,
        }
    }

    fn destinations(&self) -> Vec<DestinationSpec> {
        let mut d = vec![
            destination("web", DestinationKind::Internet("example.com".into())),
            destination("s3", DestinationKind::S3),
            destination("ddb", DestinationKind::DynamoDb),
            destination("sqs", DestinationKind::AwsService("sqs".into())),
            destination("logs", DestinationKind::AwsService("logs".into())),
        ];
        for i in 0..self.resources.len() {
            d.push(destination(&format!("to-db{i}"), DestinationKind::Resource(format!("db{i}"))));
        }
        d
    }

    fn health(&self, vpc: &Vpc) -> NetworkHealth {
        NetworkHealth {
            azs_down: self.down.iter().filter_map(|a| vpc.az_by_name(&format!("az-{a}"))).collect(),
        }
    }
}

/// Every (subnet, destination) answer of a topology, for every subnet of the VPC.
fn all_answers(spec: &VpcSpec, t: &Topo) -> Vec<Reach> {
    let vpc = vpc_of(spec);
    let config = {
        let mut errs = Errors::default();
        validate_function_vpc(Some(&vpc), &t.function(), "f", &mut errs).expect("valid function")
    };
    let d = dests(Some(&vpc), &t.destinations());
    let health = t.health(&vpc);
    let mut out = Vec::new();
    for (s, _) in vpc.subnets() {
        for dest in &d {
            out.push(reach(&vpc, &health, Some((&config, s)), dest));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn reachability_is_deterministic_and_explained(t in topo()) {
        let spec = t.spec();
        let vpc = vpc_of(&spec);
        let config = {
            let mut errs = Errors::default();
            validate_function_vpc(Some(&vpc), &t.function(), "f", &mut errs).expect("valid")
        };
        let d = dests(Some(&vpc), &t.destinations());
        let health = t.health(&vpc);
        let mut cache = ReachCache::new();
        for (s, _) in vpc.subnets() {
            for dest in &d {
                let a = reach(&vpc, &health, Some((&config, s)), dest);
                let b = reach(&vpc, &health, Some((&config, s)), dest);
                prop_assert_eq!(&a, &b);
                prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
                prop_assert_eq!(cache.get(7, Some(&vpc), &health, Some((&config, s)), dest), &a);
                prop_assert!(!a.hops().is_empty());
                if let Reach::Unreachable { reason, .. } = &a {
                    prop_assert!(!reason.trim().is_empty());
                }
            }
        }
        for dest in &d {
            if let Reach::Unreachable { reason, .. } = reach(&vpc, &health, None, dest) {
                prop_assert!(!reason.is_empty());
            }
        }
    }

    #[test]
    fn a_nat_default_route_never_breaks_a_working_path(t in topo()) {
        let spec = t.spec();
        let vpc = vpc_of(&spec);
        let health = t.health(&vpc);
        // NAT gateways in healthy public subnets.
        let good_nats: Vec<String> = vpc
            .nat_gateways()
            .filter(|(id, n)| {
                vpc.is_public(n.subnet) && vpc.nat_az(*id).is_some_and(|a| !health.is_down(a))
            })
            .map(|(_, n)| n.name.clone())
            .collect();
        // ... or a new one in a healthy public subnet (adding it alone changes no path).
        let mut base = spec.clone();
        let mut candidates = good_nats;
        let mut azs_with_new = BTreeSet::new();
        for (id, subnet) in vpc.subnets() {
            // One new NAT per AZ keeps within the quota of 5 per AZ.
            if vpc.is_public(id) && !health.is_down(subnet.az) && azs_with_new.insert(subnet.az) {
                let name = format!("new-nat-{}", subnet.name);
                base.nat_gateways.push(NatGatewaySpec { name: name.clone(), subnet: subnet.name.clone() });
                candidates.push(name);
            }
        }
        let before = all_answers(&spec, &t);
        prop_assert_eq!(&before, &all_answers(&base, &t));
        for nat in &candidates {
            for (i, rt) in base.route_tables.iter().enumerate() {
                if rt.default_route != DefaultRoute::None {
                    continue;
                }
                let mut changed = base.clone();
                changed.route_tables[i].default_route = DefaultRoute::NatGateway(nat.clone());
                let after = all_answers(&changed, &t);
                for (b, a) in before.iter().zip(&after) {
                    if b.is_reachable() {
                        prop_assert!(a.is_reachable(), "{:?} became {:?}", b, a);
                    }
                }
            }
        }
    }

    #[test]
    fn every_fix_applies_and_removes_its_finding(t in topo()) {
        let net = Net {
            vpc: t.spec(),
            functions: vec![
                ("in-vpc".into(), Some(t.function()), t.destinations()),
                ("managed".into(), None, t.destinations()),
            ],
        };
        check_fixes(&net);
    }
}

// Arbitrary specs: names from a small pool (duplicates, empty and over-long ones), CIDRs that
// may be garbage, references that may dangle.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just(String::new()),
        Just("x".repeat(70)),
        Just("sg:a".to_string()),
        "[a-c]{1,3}",
    ]
}

fn cidr() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("10.0.0.0/16".to_string()),
        Just("0.0.0.0/0".to_string()),
        Just("10.0.0.0/33".to_string()),
        Just("garbage".to_string()),
        (0u8..=255, 0u8..=255, 0u8..=40).prop_map(|(b, c, p)| format!("10.{b}.{c}.0/{p}")),
        ".{0,12}",
    ]
}

fn arbitrary_spec() -> impl Strategy<Value = (VpcSpec, FunctionVpcSpec, Vec<DestinationSpec>)> {
    let subnets = proptest::collection::vec(
        (name(), name(), cidr(), name()).prop_map(|(name, az, cidr, route_table)| SubnetSpec {
            name,
            az,
            cidr,
            route_table,
        }),
        0..6,
    );
    let route = prop_oneof![
        Just(DefaultRoute::None),
        Just(DefaultRoute::InternetGateway),
        name().prop_map(DefaultRoute::NatGateway),
    ];
    let rts = proptest::collection::vec(
        (
            name(),
            route,
            proptest::collection::vec(
                prop_oneof![Just(GatewayService::S3), Just(GatewayService::DynamoDb)],
                0..3,
            ),
        )
            .prop_map(|(name, default_route, gateway_endpoints)| RouteTableSpec {
                name,
                default_route,
                gateway_endpoints,
            }),
        0..4,
    );
    let nats = proptest::collection::vec(
        (name(), name()).prop_map(|(name, subnet)| NatGatewaySpec { name, subnet }),
        0..4,
    );
    let endpoints = proptest::collection::vec(
        (name(), proptest::collection::vec(name(), 0..3), any::<bool>()).prop_map(
            |(service, subnets, private_dns)| InterfaceEndpointSpec { service, subnets, private_dns },
        ),
        0..3,
    );
    let rule = (
        prop_oneof![cidr(), name().prop_map(|n| format!("sg:{n}"))],
        proptest::option::of((any::<u16>(), any::<u16>())),
    )
        .prop_map(|(to, ports)| EgressRule { to, ports });
    let sgs = proptest::collection::vec(
        (name(), proptest::collection::vec(rule, 0..3))
            .prop_map(|(name, egress)| SecurityGroupSpec { name, egress }),
        0..3,
    );
    let resources = proptest::collection::vec(
        (name(), name(), proptest::option::of(any::<u16>()), proptest::collection::vec(name(), 0..2))
            .prop_map(|(name, subnet, port, security_groups)| ResourceSpec {
                name,
                kind: ResourceKind::Cache,
                subnet,
                port,
                security_groups,
            }),
        0..3,
    );
    let igw = proptest::option::of(
        (name(), any::<bool>()).prop_map(|(name, attached)| InternetGatewaySpec { name, attached }),
    );
    let vpc = (
        name(),
        cidr(),
        proptest::collection::vec(name(), 0..4),
        subnets,
        rts,
        igw,
        nats,
        endpoints,
        sgs,
        resources,
    )
        .prop_map(
            |(
                name,
                cidr,
                azs,
                subnets,
                route_tables,
                internet_gateway,
                nat_gateways,
                interface_endpoints,
                security_groups,
                resources,
            )| VpcSpec {
                name,
                cidr,
                azs,
                subnets,
                route_tables,
                internet_gateway,
                nat_gateways,
                interface_endpoints,
                security_groups,
                resources,
                eni_connection_limit: DEFAULT_ENI_CONNECTION_LIMIT,
                eni_quota: lambdascape_engine::network::DEFAULT_ENI_QUOTA,
                other_enis: 0,
                eni_scale_out_time: None,
            },
        );
    let function = (proptest::collection::vec(name(), 0..18), proptest::collection::vec(name(), 0..7))
        .prop_map(|(subnets, security_groups)| FunctionVpcSpec {
            subnets,
            security_groups,
            connections_per_invocation: None,
        });
    let kind = prop_oneof![
        name().prop_map(DestinationKind::Internet),
        Just(DestinationKind::S3),
        Just(DestinationKind::DynamoDb),
        name().prop_map(DestinationKind::AwsService),
        name().prop_map(DestinationKind::Resource),
    ];
    let dests = proptest::collection::vec(
        (name(), kind, any::<u64>(), proptest::option::of(any::<u16>())).prop_map(
            |(name, kind, bytes_per_call, port)| DestinationSpec { name, kind, bytes_per_call, port },
        ),
        0..4,
    );
    (vpc, function, dests)
}

// A valid random topology with at most one field made wrong, so that about half validate and
// the analysis behind validation runs on varied input too.
fn mutated_spec() -> impl Strategy<Value = (VpcSpec, FunctionVpcSpec, Vec<DestinationSpec>)> {
    (topo(), 0u8..14, name(), cidr()).prop_map(|(t, k, n, c)| {
        let mut spec = t.spec();
        let mut function = t.function();
        let mut dests = t.destinations();
        match k {
            1 => spec.subnets[0].cidr = c,
            2 => spec.subnets[0].name = n,
            3 => spec.route_tables[0].default_route = DefaultRoute::NatGateway(n),
            4 => spec.nat_gateways.push(NatGatewaySpec { name: n.clone(), subnet: n }),
            5 => spec.cidr = c,
            6 => spec.azs.push(n),
            7 => spec.security_groups[1].egress.push(EgressRule { to: c, ports: Some((0, 1)) }),
            8 => spec.resources.push(ResourceSpec {
                name: n.clone(),
                kind: ResourceKind::Other,
                subnet: n,
                port: None,
                security_groups: vec![],
            }),
            9 => spec.interface_endpoints.push(InterfaceEndpointSpec {
                service: n.clone(),
                subnets: vec![n],
                private_dns: true,
            }),
            10 => spec.subnets[0].az = n,
            11 => function.subnets.push(n),
            12 => dests.push(destination(&n, DestinationKind::Resource(n.clone()))),
            _ => {}
        }
        (spec, function, dests)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn validation_never_panics((spec, function, dspecs) in prop_oneof![arbitrary_spec(), mutated_spec()]) {
        let mut errs = Errors::default();
        let vpc = validate_vpc(&spec, "vpc", &mut errs);
        prop_assert_eq!(vpc.is_none(), !errs.is_empty());
        for e in &errs.list {
            prop_assert!(e.path.starts_with("vpc"));
            prop_assert!(!e.message.is_empty());
        }
        let mut errs = Errors::default();
        let config = validate_function_vpc(vpc.as_ref(), &function, "f", &mut errs);
        let d = validate_destinations(vpc.as_ref(), &dspecs, "d", &mut errs);
        // Whatever validated must also be safe to analyse.
        if let Some(v) = &vpc {
            let health = NetworkHealth { azs_down: v.azs().map(|(id, _)| id).take(1).collect() };
            for dest in &d {
                let _ = reach(v, &health, None, dest);
                if let Some(c) = &config {
                    for s in &c.subnets {
                        let r = reach(v, &health, Some((c, *s)), dest);
                        if let Reach::Unreachable { reason, .. } = r {
                            prop_assert!(!reason.is_empty());
                        }
                    }
                }
            }
            let view = FunctionNetView { name: "f", vpc: config.as_ref(), destinations: &d, calls_per_month: f64::NAN };
            let _ = advise(Some(v), &[view]);
            let _ = network_cost(v, &NetworkPrices::default(), -1.0, &TrafficTotals::default());
        }
    }
}
