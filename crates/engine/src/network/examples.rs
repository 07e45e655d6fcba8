//! Small example topologies for tests and presets, each telling one classic story of working
//! in a VPC (docs/model.md#vpc). All use the VPC block 10.0.0.0/16, a security group `lambda`
//! (egress anywhere), a security group `db` and an RDS database `orders-db` in `private-a`.

use super::spec::*;

fn subnet(name: &str, az: &str, cidr: &str, route_table: &str) -> SubnetSpec {
    SubnetSpec { name: name.into(), az: az.into(), cidr: cidr.into(), route_table: route_table.into() }
}

fn route_table(name: &str, default_route: DefaultRoute) -> RouteTableSpec {
    RouteTableSpec { name: name.into(), default_route, gateway_endpoints: vec![] }
}

fn nat(name: &str, subnet: &str) -> NatGatewaySpec {
    NatGatewaySpec { name: name.into(), subnet: subnet.into() }
}

fn base(azs: &[&str], subnets: Vec<SubnetSpec>, route_tables: Vec<RouteTableSpec>) -> VpcSpec {
    VpcSpec {
        name: "demo".into(),
        cidr: "10.0.0.0/16".into(),
        azs: azs.iter().map(|a| a.to_string()).collect(),
        subnets,
        route_tables,
        internet_gateway: Some(InternetGatewaySpec { name: "igw".into(), attached: true }),
        nat_gateways: vec![],
        interface_endpoints: vec![],
        security_groups: vec![
            SecurityGroupSpec { name: "lambda".into(), egress: allow_all_egress() },
            SecurityGroupSpec { name: "db".into(), egress: vec![] },
        ],
        resources: vec![ResourceSpec {
            name: "orders-db".into(),
            kind: ResourceKind::Rds,
            subnet: "private-a".into(),
            port: None,
            security_groups: vec!["db".into()],
        }],
        eni_connection_limit: DEFAULT_ENI_CONNECTION_LIMIT,
        eni_quota: crate::network::spec::DEFAULT_ENI_QUOTA,
        other_enis: 0,
        eni_scale_out_time: None,
    }
}

/// The classic intermittent-connectivity story: `private-a` routes to `nat-a` in `public-a`,
/// whose route table goes to the attached internet gateway; `public-b` (in the second AZ) is
/// public too. A function attached to both `private-a` and `public-b`
/// ([`example_mixed_subnets_function`]) works while its environments land in `private-a` and
/// times out on internet calls from those that land in `public-b`.
pub fn example_mixed_subnets() -> VpcSpec {
    let mut vpc = base(
        &["us-east-1a", "us-east-1b"],
        vec![
            subnet("public-a", "us-east-1a", "10.0.0.0/24", "rt-public"),
            subnet("public-b", "us-east-1b", "10.0.1.0/24", "rt-public"),
            subnet("private-a", "us-east-1a", "10.0.10.0/24", "rt-private"),
        ],
        vec![
            route_table("rt-public", DefaultRoute::InternetGateway),
            route_table("rt-private", DefaultRoute::NatGateway("nat-a".into())),
        ],
    );
    vpc.nat_gateways = vec![nat("nat-a", "public-a")];
    vpc
}

/// The function config of the mixed-subnets story: `private-a` and `public-b`.
pub fn example_mixed_subnets_function() -> FunctionVpcSpec {
    function_vpc(&["private-a", "public-b"], &["lambda"])
}

/// A NAT gateway placed in the private subnet it is meant to serve: `private-a` routes to
/// `nat-a`, which sits in `private-a` itself, so no internet call ever gets out. `public-a` is
/// there (with the internet gateway route) but unused: moving the NAT there is the fix.
pub fn example_nat_in_private_subnet() -> VpcSpec {
    let mut vpc = base(
        &["us-east-1a"],
        vec![
            subnet("public-a", "us-east-1a", "10.0.0.0/24", "rt-public"),
            subnet("private-a", "us-east-1a", "10.0.10.0/24", "rt-private"),
        ],
        vec![
            route_table("rt-public", DefaultRoute::InternetGateway),
            route_table("rt-private", DefaultRoute::NatGateway("nat-a".into())),
        ],
    );
    vpc.nat_gateways = vec![nat("nat-a", "private-a")];
    vpc
}

/// The recommended layout: two AZs, a private subnet in each with its own route table to a NAT
/// gateway in the same AZ's public subnet.
pub fn example_private_subnets_with_nat() -> VpcSpec {
    let mut vpc = base(
        &["us-east-1a", "us-east-1b"],
        vec![
            subnet("public-a", "us-east-1a", "10.0.0.0/24", "rt-public"),
            subnet("public-b", "us-east-1b", "10.0.1.0/24", "rt-public"),
            subnet("private-a", "us-east-1a", "10.0.10.0/24", "rt-private-a"),
            subnet("private-b", "us-east-1b", "10.0.11.0/24", "rt-private-b"),
        ],
        vec![
            route_table("rt-public", DefaultRoute::InternetGateway),
            route_table("rt-private-a", DefaultRoute::NatGateway("nat-a".into())),
            route_table("rt-private-b", DefaultRoute::NatGateway("nat-b".into())),
        ],
    );
    vpc.nat_gateways = vec![nat("nat-a", "public-a"), nat("nat-b", "public-b")];
    vpc
}

/// A function VpcConfig from names.
pub fn function_vpc(subnets: &[&str], security_groups: &[&str]) -> FunctionVpcSpec {
    FunctionVpcSpec {
        subnets: subnets.iter().map(|s| s.to_string()).collect(),
        security_groups: security_groups.iter().map(|s| s.to_string()).collect(),
        connections_per_invocation: None,
    }
}

/// A destination with the default size and port.
pub fn destination(name: &str, kind: DestinationKind) -> DestinationSpec {
    DestinationSpec { name: name.into(), kind, bytes_per_call: DEFAULT_BYTES_PER_CALL, port: None }
}

/// The destinations the examples are meant for: a third-party API, S3, DynamoDB, SQS and the
/// `orders-db` database.
pub fn example_destinations() -> Vec<DestinationSpec> {
    vec![
        destination("payments-api", DestinationKind::Internet("api.payments.example".into())),
        destination("s3", DestinationKind::S3),
        destination("dynamodb", DestinationKind::DynamoDb),
        destination("sqs", DestinationKind::AwsService("sqs".into())),
        destination("orders-db", DestinationKind::Resource("orders-db".into())),
    ]
}
