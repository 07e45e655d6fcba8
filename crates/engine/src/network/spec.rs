//! The network part of the scenario file, as written: names refer to names, nothing is checked
//! yet. [`super::validate_vpc`] and friends turn these into the typed model.
//!
//! JSON shape (lowercase snake_case tags; lists default to empty):
//!
//! ```json
//! { "name": "demo", "cidr": "10.0.0.0/16", "azs": ["us-east-1a"],
//!   "subnets": [{ "name": "private-a", "az": "us-east-1a", "cidr": "10.0.1.0/24",
//!                 "route_table": "rt-private" }],
//!   "route_tables": [{ "name": "rt-private", "default_route": { "nat_gateway": "nat-a" },
//!                      "gateway_endpoints": ["s3"] }],
//!   "internet_gateway": { "name": "igw" },
//!   "nat_gateways": [{ "name": "nat-a", "subnet": "public-a" }],
//!   "interface_endpoints": [{ "service": "sqs", "subnets": ["private-a"] }],
//!   "security_groups": [{ "name": "lambda", "egress": [{ "to": "0.0.0.0/0" }] }],
//!   "resources": [{ "name": "orders-db", "kind": "rds", "subnet": "private-a" }] }
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One VPC: its address space, availability zones, subnets and the elements that route traffic
/// out of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VpcSpec {
    /// Shown in the UI; any text up to 64 characters.
    pub name: String,
    /// The VPC's IPv4 block, /16 to /28, e.g. "10.0.0.0/16".
    pub cidr: String,
    /// Availability zone names, e.g. ["us-east-1a", "us-east-1b"].
    pub azs: Vec<String>,
    #[serde(default)]
    pub subnets: Vec<SubnetSpec>,
    #[serde(default)]
    pub route_tables: Vec<RouteTableSpec>,
    /// At most one per VPC, as in AWS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internet_gateway: Option<InternetGatewaySpec>,
    #[serde(default)]
    pub nat_gateways: Vec<NatGatewaySpec>,
    #[serde(default)]
    pub interface_endpoints: Vec<InterfaceEndpointSpec>,
    #[serde(default)]
    pub security_groups: Vec<SecurityGroupSpec>,
    /// Private resources (databases, caches) that functions may need to reach.
    #[serde(default)]
    pub resources: Vec<ResourceSpec>,
    /// Connections one Hyperplane ENI carries at once (AWS: 65,000). Past it, Lambda adds an
    /// ENI to the (subnet, security-group set)'s group, as long as the VPC's `eni_quota` allows.
    #[serde(
        default = "default_eni_connection_limit",
        skip_serializing_if = "is_default_eni_connection_limit"
    )]
    #[schemars(range(min = 1, max = 1_000_000), extend("default" = 65_000))]
    pub eni_connection_limit: u32,
    /// Elastic network interfaces the VPC may hold (Lambda quotas: 250 per VPC, adjustable,
    /// shared with other services). When Lambda needs another Hyperplane ENI and the quota is
    /// reached, the invocation cannot open its connections: its calls hang until the function
    /// times out (reason `eni_quota_reached`).
    #[serde(default = "default_eni_quota", skip_serializing_if = "is_default_eni_quota")]
    #[schemars(range(min = 1, max = 100_000), extend("default" = 250))]
    pub eni_quota: u32,
    /// Network interfaces of the VPC used by other services (EC2, RDS, endpoints...): they count
    /// against `eni_quota` too.
    #[serde(default, skip_serializing_if = "is_zero_u32")]
    #[schemars(range(min = 0, max = 100_000))]
    pub other_enis: u32,
    /// How long Lambda takes to add a Hyperplane ENI when a group's connections outgrow it
    /// (AWS documents no figure: 0 by default). Invocations that need the new ENI wait for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eni_scale_out_time: Option<crate::time::DurationSpec>,
}

/// Connections per Hyperplane ENI (docs/model.md#vpc: "up to 65,000 connections/ports").
pub const DEFAULT_ENI_CONNECTION_LIMIT: u32 = 65_000;

fn default_eni_connection_limit() -> u32 {
    DEFAULT_ENI_CONNECTION_LIMIT
}

fn is_default_eni_connection_limit(v: &u32) -> bool {
    *v == DEFAULT_ENI_CONNECTION_LIMIT
}

/// Elastic network interfaces per VPC (docs/model.md#vpc: Lambda quotas, "250").
pub const DEFAULT_ENI_QUOTA: u32 = 250;

fn default_eni_quota() -> u32 {
    DEFAULT_ENI_QUOTA
}

fn is_default_eni_quota(v: &u32) -> bool {
    *v == DEFAULT_ENI_QUOTA
}

fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

/// A subnet: a block of the VPC's addresses in one AZ, associated with one route table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubnetSpec {
    pub name: String,
    /// One of the VPC's `azs`.
    pub az: String,
    /// Inside the VPC's block, /16 to /28, not overlapping another subnet.
    pub cidr: String,
    /// Name of a route table in `route_tables`.
    pub route_table: String,
}

/// A route table. Every route table also has the implicit `local` route for the VPC's block,
/// which cannot be removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteTableSpec {
    pub name: String,
    /// Where 0.0.0.0/0 goes.
    #[serde(default)]
    pub default_route: DefaultRoute,
    /// Gateway endpoints associated with this route table: their prefix-list routes are more
    /// specific than 0.0.0.0/0, so they win over the default route for that service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gateway_endpoints: Vec<GatewayService>,
}

/// Target of a route table's 0.0.0.0/0 route: `"none"`, `"internet_gateway"` or
/// `{"nat_gateway": "nat-a"}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DefaultRoute {
    /// No default route: only the VPC itself (and gateway endpoints) are reachable.
    #[default]
    None,
    /// The VPC's internet gateway: makes the subnet public.
    InternetGateway,
    /// A NAT gateway, by name.
    NatGateway(String),
}

/// A service reachable through a (free) gateway endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
pub enum GatewayService {
    #[serde(rename = "s3")]
    S3,
    #[serde(rename = "dynamodb")]
    DynamoDb,
}

impl GatewayService {
    /// The short service name, as in destinations and endpoint names ("s3", "dynamodb").
    pub fn service(self) -> &'static str {
        match self {
            GatewayService::S3 => "s3",
            GatewayService::DynamoDb => "dynamodb",
        }
    }

    /// The gateway-endpoint service of a short service name, if it has one.
    pub fn from_service(service: &str) -> Option<GatewayService> {
        match service {
            "s3" => Some(GatewayService::S3),
            "dynamodb" => Some(GatewayService::DynamoDb),
            _ => None,
        }
    }
}

/// The VPC's internet gateway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InternetGatewaySpec {
    pub name: String,
    /// A detached internet gateway is a blackhole for routes that point to it.
    #[serde(default = "yes")]
    pub attached: bool,
}

fn yes() -> bool {
    true
}

/// A NAT gateway, placed in a subnet (which must be public for it to work).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NatGatewaySpec {
    pub name: String,
    pub subnet: String,
}

/// An interface endpoint (PrivateLink) for one AWS service, with a network interface in each of
/// its subnets (at most one subnet per AZ). Billed per AZ-hour and per GB.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InterfaceEndpointSpec {
    /// Short service name: "sqs", "sns", "logs", "monitoring", "sts", "secretsmanager", ...
    pub service: String,
    pub subnets: Vec<String>,
    /// With private DNS on, the service's public name resolves to the endpoint's private
    /// addresses; with it off, code using the default name still goes to the public endpoint.
    #[serde(default = "yes")]
    pub private_dns: bool,
}

/// A security group; only its egress rules matter to the model (functions make outbound calls).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecurityGroupSpec {
    pub name: String,
    /// Outbound rules. Omitted means AWS's default (all traffic to 0.0.0.0/0); `[]` allows none.
    #[serde(default = "allow_all_egress")]
    pub egress: Vec<EgressRule>,
}

/// AWS's default egress rule of a new security group: everything, anywhere.
pub fn allow_all_egress() -> Vec<EgressRule> {
    vec![EgressRule { to: "0.0.0.0/0".into(), ports: None }]
}

/// One outbound rule (TCP).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EgressRule {
    /// "0.0.0.0/0", a CIDR block such as "10.0.0.0/16", or `"sg:<name>"` for the members of a
    /// security group.
    pub to: String,
    /// Inclusive port range `[from, to]`, e.g. `[443, 443]`; omitted means all ports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ports: Option<(u16, u16)>,
}

/// A private resource in a subnet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResourceSpec {
    pub name: String,
    pub kind: ResourceKind,
    pub subnet: String,
    /// Omitted means the kind's usual port (rds 5432, cache 6379, other 443).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Security groups of the resource, for egress rules written as `"sg:<name>"`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<String>,
}

/// What a private resource is; decides its default port and how the UI draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResourceKind {
    /// A relational database (RDS, Aurora).
    Rds,
    /// An in-memory cache (ElastiCache).
    Cache,
    Other,
}

impl ResourceKind {
    /// The usual port: PostgreSQL for rds, Redis for cache, HTTPS otherwise.
    pub fn default_port(self) -> u16 {
        match self {
            ResourceKind::Rds => 5432,
            ResourceKind::Cache => 6379,
            ResourceKind::Other => 443,
        }
    }
}

/// A function's VpcConfig. A function without one uses Lambda-managed networking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionVpcSpec {
    /// 1 to 16 subnet names. A new execution environment lands in any one of them.
    pub subnets: Vec<String>,
    /// 1 to 5 security group names.
    pub security_groups: Vec<String>,
    /// Connections one invocation holds on its environment's Hyperplane ENI while it runs
    /// (0–1,000). Absent: one per destination it calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 1_000))]
    pub connections_per_invocation: Option<u32>,
}

/// Something a function calls on every invocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DestinationSpec {
    pub name: String,
    pub kind: DestinationKind,
    /// Request plus response bytes per call (what NAT gateways and endpoints bill).
    #[serde(default = "default_bytes_per_call")]
    pub bytes_per_call: u64,
    /// TCP port; omitted means 443, or the resource's port for a resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// Default size of a call: 4 KiB, a typical small API request and response.
pub const DEFAULT_BYTES_PER_CALL: u64 = 4096;

fn default_bytes_per_call() -> u64 {
    DEFAULT_BYTES_PER_CALL
}

/// Where a destination is: `{"internet": "api.stripe.com"}`, `"s3"`, `"dynamodb"`,
/// `{"aws_service": "sqs"}` or `{"resource": "orders-db"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DestinationKind {
    /// A host on the public internet.
    Internet(String),
    S3,
    #[serde(rename = "dynamodb")]
    DynamoDb,
    /// Any other AWS service by short name ("sqs", "sns", "logs", "secretsmanager", ...).
    AwsService(String),
    /// A private resource of the VPC, by name.
    Resource(String),
}

/// Network prices, us-east-1 by default (see docs/model.md#prices-and-costs), all editable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkPrices {
    /// Per NAT gateway hour: $0.045.
    pub nat_gateway_per_hour_usd: f64,
    /// Per GB processed by a NAT gateway: $0.045.
    pub nat_gateway_per_gb_usd: f64,
    /// Per interface endpoint per AZ hour: $0.01.
    pub interface_endpoint_per_az_hour_usd: f64,
    /// Per GB processed by an interface endpoint: $0.01.
    pub interface_endpoint_per_gb_usd: f64,
    /// Gateway endpoints (S3, DynamoDB) are free; kept editable for what-if questions.
    pub gateway_endpoint_per_gb_usd: f64,
}

impl Default for NetworkPrices {
    fn default() -> Self {
        NetworkPrices {
            nat_gateway_per_hour_usd: 0.045,
            nat_gateway_per_gb_usd: 0.045,
            interface_endpoint_per_az_hour_usd: 0.01,
            interface_endpoint_per_gb_usd: 0.01,
            gateway_endpoint_per_gb_usd: 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shapes_round_trip() {
        let rt: RouteTableSpec = serde_json::from_str(
            r#"{"name":"rt","default_route":{"nat_gateway":"nat-a"},"gateway_endpoints":["s3","dynamodb"]}"#,
        )
        .unwrap();
        assert_eq!(rt.default_route, DefaultRoute::NatGateway("nat-a".into()));
        assert_eq!(rt.gateway_endpoints, vec![GatewayService::S3, GatewayService::DynamoDb]);
        let rt: RouteTableSpec =
            serde_json::from_str(r#"{"name":"rt","default_route":"internet_gateway"}"#).unwrap();
        assert_eq!(rt.default_route, DefaultRoute::InternetGateway);

        let d: DestinationSpec =
            serde_json::from_str(r#"{"name":"x","kind":{"internet":"api.example.com"}}"#).unwrap();
        assert_eq!(d.kind, DestinationKind::Internet("api.example.com".into()));
        assert_eq!(d.bytes_per_call, DEFAULT_BYTES_PER_CALL);
        let d: DestinationSpec = serde_json::from_str(r#"{"name":"x","kind":"dynamodb"}"#).unwrap();
        assert_eq!(d.kind, DestinationKind::DynamoDb);

        let sg: SecurityGroupSpec = serde_json::from_str(r#"{"name":"sg"}"#).unwrap();
        assert_eq!(sg.egress, allow_all_egress());
        let sg: SecurityGroupSpec =
            serde_json::from_str(r#"{"name":"sg","egress":[{"to":"sg:db","ports":[5432,5432]}]}"#).unwrap();
        assert_eq!(sg.egress[0].ports, Some((5432, 5432)));

        assert!(serde_json::from_str::<SubnetSpec>(
            r#"{"name":"a","az":"x","cidr":"10.0.0.0/24","route_table":"rt","oops":1}"#
        )
        .is_err());
        let p: NetworkPrices = serde_json::from_str(r#"{"nat_gateway_per_gb_usd":0.05}"#).unwrap();
        assert_eq!(p.nat_gateway_per_hour_usd, 0.045);
    }
}
