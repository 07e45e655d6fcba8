//! The VPC network model: where a function's environments sit and what they can reach.
//!
//! - [`spec`]: the network part of the scenario file (`VpcSpec`, `FunctionVpcSpec`,
//!   `DestinationSpec`, `NetworkPrices`), serde and JSON Schema.
//! - [`topology`]: validation into the typed [`Vpc`] (ids such as [`SubnetId`]), public/private
//!   subnets, and the Hyperplane ENI keys (one per subnet + security-group set).
//! - [`mod@reach`]: a packet-path analyzer, hop by hop, with an [`UnreachableCode`] and a reason
//!   naming the elements when packets are dropped; [`ReachCache`] memoizes it.
//! - [`advisor`]: findings with explanations, each with the [`Edit`](crate::edit::Edit) that
//!   fixes it.
//! - [`cost`]: NAT gateway and endpoint bills, and the table comparing the ways to reach AWS services.
//! - [`examples`]: small topologies telling the classic VPC stories.
//!
//! A Lambda function without a VPC configuration uses Lambda-managed networking: the internet
//! and AWS services, never private resources. With one, each execution environment uses the
//! shared network interface of one of its subnets, which never has a public IP: a private
//! subnet routed to a NAT gateway in a public subnet reaches the internet, a public subnet does
//! not.

pub mod advisor;
pub mod cidr;
pub mod cost;
pub mod examples;
pub mod reach;
pub mod spec;
pub mod topology;

pub use advisor::{advise, advise_with_prices, ElementRef, Finding, FunctionNetView, Severity};
pub use cidr::Cidr;
pub use cost::{
    cost_comparison, network_cost, CostRow, NetworkCost, TrafficTotals, BYTES_PER_GB, HOURS_PER_MONTH,
};
pub use reach::{reach, reach_managed, Hop, NetworkHealth, PathCharge, Reach, ReachCache, UnreachableCode};
pub use spec::{
    allow_all_egress, DefaultRoute, DestinationKind, DestinationSpec, EgressRule, FunctionVpcSpec,
    GatewayService, InterfaceEndpointSpec, InternetGatewaySpec, NatGatewaySpec, NetworkPrices, ResourceKind,
    ResourceSpec, RouteTableSpec, SecurityGroupSpec, SubnetSpec, VpcSpec, DEFAULT_ENI_CONNECTION_LIMIT,
    DEFAULT_ENI_QUOTA,
};
pub use topology::{
    unique_eni_keys, validate_destinations, validate_function_vpc, validate_prices, validate_vpc, AzId,
    Destination, DestinationId, EndpointId, EniKey, FunctionVpc, NatId, ResourceId, RouteTableId, SgId,
    SubnetId, SubnetKind, Target, Vpc,
};
