//! Reachability, the way a packet-path analyzer answers it: from a function's network interface
//! in one subnet to one destination, hop by hop, either the whole path or the element where the
//! packets are dropped and why.
//!
//! The order of the checks follows a real call:
//! 1. the network interface (its AZ must be up);
//! 2. name resolution: an AWS service with an interface endpoint and private DNS resolves to
//!    the endpoint's private addresses; everything else resolves to a public address;
//! 3. the security groups' egress rules, against that address and port;
//! 4. the subnet's route table: the `local` route for the VPC block (resources, interface
//!    endpoints), a gateway endpoint's prefix-list route (more specific than 0.0.0.0/0, so it
//!    wins for S3 and DynamoDB), else the default route to a NAT or internet gateway;
//! 5. a NAT gateway must be in a healthy AZ and in a public subnet, and the internet gateway
//!    must exist and be attached. A Lambda network interface never has a public IP, so a
//!    default route straight to the internet gateway always drops the packets there.

use super::cidr::Cidr;
use super::spec::GatewayService;
use super::topology::{
    egress_allows, AzId, DefaultTarget, Destination, EgressTarget, EndpointId, FunctionVpc, NatId,
    ResourceId, RouteTable, RouteTableId, SgId, SubnetId, Target, Vpc, PUBLIC_ADDRESS,
};
use crate::time::Micros;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Latency added by the Hyperplane ENI hop into the customer VPC.
pub const ENI_LATENCY_US: Micros = 100;
/// Latency added by a NAT gateway (address translation and its own hop).
pub const NAT_LATENCY_US: Micros = 1_000;
/// Latency added by the internet gateway.
pub const IGW_LATENCY_US: Micros = 100;
/// Latency added by a gateway endpoint (a route, no device in the path).
pub const GATEWAY_ENDPOINT_LATENCY_US: Micros = 100;
/// Latency added by an interface endpoint (PrivateLink network interface).
pub const INTERFACE_ENDPOINT_LATENCY_US: Micros = 300;
/// Extra latency when the next element is in another AZ.
pub const CROSS_AZ_LATENCY_US: Micros = 500;

/// Fault injection: which AZs are out. NAT gateways, interface-endpoint interfaces, resources
/// and function interfaces in a down AZ carry no traffic.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NetworkHealth {
    pub azs_down: BTreeSet<AzId>,
}

impl NetworkHealth {
    /// Every AZ up.
    pub fn healthy() -> Self {
        Self::default()
    }
    pub fn is_down(&self, az: AzId) -> bool {
        self.azs_down.contains(&az)
    }
}

/// One element on a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Hop {
    /// Lambda-managed networking (no VpcConfig): straight to the internet and AWS services.
    LambdaNetwork,
    /// The function's Hyperplane network interface in a subnet.
    Eni {
        subnet: SubnetId,
        subnet_name: String,
        security_groups: Vec<String>,
    },
    /// The subnet's route table and the route that matched.
    RouteTable {
        route_table: RouteTableId,
        name: String,
        route: String,
    },
    NatGateway {
        nat: NatId,
        name: String,
    },
    InternetGateway {
        name: String,
    },
    GatewayEndpoint {
        service: GatewayService,
        route_table: String,
    },
    InterfaceEndpoint {
        endpoint: EndpointId,
        service: String,
        subnet_name: String,
    },
    /// The destination itself.
    Destination {
        name: String,
    },
}

impl Hop {
    /// Short text for a path diagram: "ENI in private-a", "NAT gateway nat-a", ...
    pub fn label(&self) -> String {
        match self {
            Hop::LambdaNetwork => "Lambda-managed network".into(),
            Hop::Eni { subnet_name, .. } => format!("ENI in {subnet_name}"),
            Hop::RouteTable { name, route, .. } => format!("route table {name} ({route})"),
            Hop::NatGateway { name, .. } => format!("NAT gateway {name}"),
            Hop::InternetGateway { name } => format!("internet gateway {name}"),
            Hop::GatewayEndpoint { service, .. } => {
                format!("gateway endpoint for {}", service.service())
            }
            Hop::InterfaceEndpoint { service, subnet_name, .. } => {
                format!("interface endpoint for {service} in {subnet_name}")
            }
            Hop::Destination { name } => name.clone(),
        }
    }
}

/// Which billable element the bytes of a call cross, so the simulation can add them up
/// (see [`super::TrafficTotals`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathCharge {
    /// No metered element: Lambda-managed networking, or the VPC's local route.
    Direct,
    NatGateway(NatId),
    InterfaceEndpoint(EndpointId),
    GatewayEndpoint(GatewayService),
}

/// Why a destination cannot be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnreachableCode {
    /// The route table has no route for the destination (no default route).
    NoRoute,
    /// The default route goes to the internet gateway, but Lambda's interfaces have no public IP.
    IgwNoPublicIp,
    /// The NAT gateway sits in a subnet whose route table has no internet gateway route.
    NatInPrivateSubnet,
    /// A route points to an internet gateway that is missing or detached.
    NoInternetGateway,
    /// The NAT gateway's AZ is down.
    NatGatewayDown,
    /// An AWS service with neither a VPC endpoint nor a default route out.
    NoEndpointOrNat,
    /// An interface endpoint exists but private DNS is off, so the public name needs internet.
    EndpointWithoutPrivateDns,
    /// Every interface of the service's endpoint is in a down AZ.
    EndpointUnavailable,
    /// No egress rule of the function's security groups allows the destination and port.
    SecurityGroupEgressDenied,
    /// The private resource cannot be reached over the VPC: its AZ is down. (Within one VPC
    /// the local route always covers a resource's subnet, so an outage is the only cause.)
    ResourceNotRouted,
    /// The function's own interface is in a down AZ.
    EniAzDown,
    /// Lambda-managed networking has no way into a VPC.
    NoVpcAccess,
    /// The Hyperplane ENIs of the function's subnet and security groups carry all the
    /// connections they can (65,000 each by default) and Lambda cannot add another: the VPC is
    /// at its quota of network interfaces (250 by default). The invocation cannot open its
    /// connections. Never a property of a path: the simulation decides it per invocation, from
    /// the connections in use.
    EniQuotaReached,
}

impl UnreachableCode {
    /// One general sentence about this kind of failure, for legends and glossaries.
    pub fn sentence(self) -> &'static str {
        match self {
            UnreachableCode::NoRoute => {
                "The subnet's route table has no route to the destination, so packets are dropped."
            }
            UnreachableCode::IgwNoPublicIp => {
                "Lambda's network interfaces never get a public IP, so a default route to an internet gateway does not reach the internet: packets are dropped at the gateway."
            }
            UnreachableCode::NatInPrivateSubnet => {
                "A NAT gateway only works in a public subnet (one whose route table sends 0.0.0.0/0 to an internet gateway)."
            }
            UnreachableCode::NoInternetGateway => {
                "The route points to an internet gateway that is missing or detached from the VPC."
            }
            UnreachableCode::NatGatewayDown => {
                "The NAT gateway's availability zone is down, and with it the way out for every subnet routed to it."
            }
            UnreachableCode::NoEndpointOrNat => {
                "The AWS service has no VPC endpoint and the subnet has no route to a NAT gateway, so the call cannot leave the VPC."
            }
            UnreachableCode::EndpointWithoutPrivateDns => {
                "The interface endpoint has private DNS off, so the service's public name still resolves to its public endpoint, which needs internet access."
            }
            UnreachableCode::EndpointUnavailable => {
                "The interface endpoint's network interfaces are all in availability zones that are down."
            }
            UnreachableCode::SecurityGroupEgressDenied => {
                "No egress rule of the function's security groups allows this address and port."
            }
            UnreachableCode::ResourceNotRouted => {
                "The private resource is in an availability zone that is down."
            }
            UnreachableCode::EniAzDown => {
                "The function's network interface is in an availability zone that is down."
            }
            UnreachableCode::NoVpcAccess => {
                "Without a VPC configuration a function cannot reach private resources inside a VPC."
            }
            UnreachableCode::EniQuotaReached => {
                "The Hyperplane network interfaces of the function's subnet and security groups carry all the connections they can (65,000 each), and Lambda cannot add another because the VPC is at its quota of network interfaces (250 by default, shared with other services), so new calls cannot connect and hang until the function times out."
            }
        }
    }
}

/// The answer of [`reach`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Reach {
    Reachable {
        hops: Vec<Hop>,
        /// Added to a call's duration compared with Lambda-managed networking.
        added_latency_us: Micros,
        /// The billable element the call's bytes cross.
        charge: PathCharge,
    },
    Unreachable {
        code: UnreachableCode,
        /// Names the elements involved; never empty.
        reason: String,
        /// The path up to the element where packets are dropped.
        hops: Vec<Hop>,
    },
}

impl Reach {
    pub fn is_reachable(&self) -> bool {
        matches!(self, Reach::Reachable { .. })
    }
    pub fn hops(&self) -> &[Hop] {
        match self {
            Reach::Reachable { hops, .. } | Reach::Unreachable { hops, .. } => hops,
        }
    }
    pub fn code(&self) -> Option<UnreachableCode> {
        match self {
            Reach::Unreachable { code, .. } => Some(*code),
            Reach::Reachable { .. } => None,
        }
    }
    pub fn reason(&self) -> Option<&str> {
        match self {
            Reach::Unreachable { reason, .. } => Some(reason),
            Reach::Reachable { .. } => None,
        }
    }
    pub fn charge(&self) -> Option<PathCharge> {
        match self {
            Reach::Reachable { charge, .. } => Some(*charge),
            Reach::Unreachable { .. } => None,
        }
    }
    pub fn added_latency_us(&self) -> Micros {
        match self {
            Reach::Reachable { added_latency_us, .. } => *added_latency_us,
            Reach::Unreachable { .. } => 0,
        }
    }
}

/// Reachability of `dest` from an environment of a function: `from = None` is Lambda-managed
/// networking; `Some((config, subnet))` is the function's interface in `subnet`.
pub fn reach(
    vpc: &Vpc,
    health: &NetworkHealth,
    from: Option<(&FunctionVpc, SubnetId)>,
    dest: &Destination,
) -> Reach {
    match from {
        None => reach_managed(Some(vpc), dest),
        Some((config, subnet)) => Walk::new(vpc, health, dest).walk_from(config, subnet),
    }
}

/// Reachability under Lambda-managed networking: the internet and AWS services yes, private
/// resources no. Works without any VPC in the scenario.
pub fn reach_managed(vpc: Option<&Vpc>, dest: &Destination) -> Reach {
    let hops = vec![Hop::LambdaNetwork];
    match &dest.target {
        Target::Resource(r) => {
            let (resource, vpc_name) = match vpc {
                Some(v) => (v.resource(*r).map_or("?", |r| r.name.as_str()), v.name.as_str()),
                None => ("?", "?"),
            };
            Reach::Unreachable {
                code: UnreachableCode::NoVpcAccess,
                reason: format!(
                    "the function has no VPC configuration (Lambda-managed networking), so it cannot reach {resource}, a private resource in VPC {vpc_name}"
                ),
                hops,
            }
        }
        _ => Reach::Reachable {
            hops: vec![Hop::LambdaNetwork, Hop::Destination { name: dest_label(None, dest) }],
            added_latency_us: 0,
            charge: PathCharge::Direct,
        },
    }
}

// What the destination is called in hops and messages.
fn dest_label(vpc: Option<&Vpc>, dest: &Destination) -> String {
    match &dest.target {
        Target::Internet { host } => host.clone(),
        Target::AwsService { service } => format!("{service} (AWS)"),
        Target::Resource(r) => {
            vpc.and_then(|v| v.resource(*r)).map_or_else(|| dest.name.clone(), |r| r.name.clone())
        }
    }
}

// Where the destination's name resolves to (step 2 of the module docs).
enum Resolved {
    Public,
    Endpoint { id: EndpointId, subnet: SubnetId, block: Cidr },
    EndpointAllDown { id: EndpointId },
    Resource { id: ResourceId, subnet: SubnetId, block: Cidr },
}

struct Walk<'a> {
    vpc: &'a Vpc,
    health: &'a NetworkHealth,
    dest: &'a Destination,
    hops: Vec<Hop>,
    latency: Micros,
}

impl<'a> Walk<'a> {
    fn new(vpc: &'a Vpc, health: &'a NetworkHealth, dest: &'a Destination) -> Self {
        Walk { vpc, health, dest, hops: Vec::with_capacity(6), latency: 0 }
    }

    fn fail(self, code: UnreachableCode, reason: String) -> Reach {
        Reach::Unreachable { code, reason, hops: self.hops }
    }

    fn arrive(mut self, charge: PathCharge) -> Reach {
        self.hops.push(Hop::Destination { name: dest_label(Some(self.vpc), self.dest) });
        Reach::Reachable { hops: self.hops, added_latency_us: self.latency, charge }
    }

    fn cross_az(&mut self, from: Option<AzId>, to: Option<AzId>) {
        if from != to {
            self.latency += CROSS_AZ_LATENCY_US;
        }
    }

    fn route_hop(&mut self, id: RouteTableId, rt: &RouteTable, route: String) {
        self.hops.push(Hop::RouteTable { route_table: id, name: rt.name.clone(), route });
    }

    fn walk_from(mut self, config: &FunctionVpc, subnet_id: SubnetId) -> Reach {
        let vpc = self.vpc;
        let Some(subnet) = vpc.subnet(subnet_id) else {
            return self.fail(
                UnreachableCode::NoRoute,
                format!("subnet #{} is not part of VPC {}", subnet_id.0, vpc.name),
            );
        };
        let sg_names: Vec<String> =
            config.security_groups.iter().map(|g| vpc.sg_name(*g).to_string()).collect();
        self.hops.push(Hop::Eni {
            subnet: subnet_id,
            subnet_name: subnet.name.clone(),
            security_groups: sg_names,
        });
        self.latency += ENI_LATENCY_US;
        if self.health.is_down(subnet.az) {
            return self.fail(
                UnreachableCode::EniAzDown,
                format!(
                    "subnet {} is in {}, which is down: the function's network interface there carries no traffic",
                    subnet.name,
                    vpc.az_name(subnet.az)
                ),
            );
        }

        let resolved = self.resolve(subnet.az);
        let (block, members): (Option<Cidr>, &[SgId]) = match &resolved {
            Resolved::Public => (Some(PUBLIC_ADDRESS), &[]),
            Resolved::Endpoint { block, .. } => (Some(*block), &[]),
            Resolved::EndpointAllDown { .. } => (None, &[]),
            Resolved::Resource { id, block, .. } => {
                (Some(*block), vpc.resource(*id).map_or(&[][..], |r| &r.security_groups[..]))
            }
        };
        let all_down = matches!(resolved, Resolved::EndpointAllDown { .. });
        if !all_down && !egress_allows(vpc, &config.security_groups, self.dest.port, block, members) {
            let reason = self.egress_denied_reason(config, &resolved);
            return self.fail(UnreachableCode::SecurityGroupEgressDenied, reason);
        }

        let rt_id = subnet.route_table;
        let Some(rt) = vpc.route_table(rt_id) else {
            return self.fail(UnreachableCode::NoRoute, format!("subnet {} has no route table", subnet.name));
        };
        let local = format!("local {}", vpc.cidr);
        match resolved {
            Resolved::Resource { id, subnet: rs, .. } => {
                self.route_hop(rt_id, rt, local);
                let res_az = vpc.subnet_az(rs);
                let name = vpc.resource(id).map_or("?", |r| r.name.as_str());
                if res_az.is_some_and(|a| self.health.is_down(a)) {
                    let reason = format!(
                        "{name} is in subnet {} in {}, which is down",
                        vpc.subnet_name(rs),
                        res_az.map_or("?", |a| vpc.az_name(a))
                    );
                    return self.fail(UnreachableCode::ResourceNotRouted, reason);
                }
                self.cross_az(Some(subnet.az), res_az);
                self.arrive(PathCharge::Direct)
            }
            Resolved::Endpoint { id, subnet: es, .. } => {
                self.route_hop(rt_id, rt, local);
                let service = vpc.interface_endpoint(id).map_or("?", |e| e.service.as_str());
                self.hops.push(Hop::InterfaceEndpoint {
                    endpoint: id,
                    service: service.to_string(),
                    subnet_name: vpc.subnet_name(es).to_string(),
                });
                self.latency += INTERFACE_ENDPOINT_LATENCY_US;
                self.cross_az(Some(subnet.az), vpc.subnet_az(es));
                self.arrive(PathCharge::InterfaceEndpoint(id))
            }
            Resolved::EndpointAllDown { id } => {
                self.route_hop(rt_id, rt, local);
                let (service, azs) = match vpc.interface_endpoint(id) {
                    Some(e) => (
                        e.service.as_str(),
                        vpc.endpoint_azs(id)
                            .into_iter()
                            .map(|a| vpc.az_name(a).to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    None => ("?", String::new()),
                };
                self.fail(
                    UnreachableCode::EndpointUnavailable,
                    format!(
                        "the interface endpoint for {service} has network interfaces only in {azs}, which are down"
                    ),
                )
            }
            Resolved::Public => {
                let gateway = self.dest.target.gateway_service();
                if let Some(g) = gateway.filter(|g| rt.gateway_endpoints.contains(g)) {
                    self.route_hop(rt_id, rt, format!("prefix list {} -> gateway endpoint", g.service()));
                    self.hops.push(Hop::GatewayEndpoint { service: g, route_table: rt.name.clone() });
                    self.latency += GATEWAY_ENDPOINT_LATENCY_US;
                    return self.arrive(PathCharge::GatewayEndpoint(g));
                }
                self.default_route(subnet.az, rt_id, rt)
            }
        }
    }

    // Step 2: where does the destination's name resolve to?
    fn resolve(&self, from_az: AzId) -> Resolved {
        let vpc = self.vpc;
        match &self.dest.target {
            Target::Internet { .. } => Resolved::Public,
            Target::Resource(id) => match vpc.resource(*id) {
                Some(r) => Resolved::Resource {
                    id: *id,
                    subnet: r.subnet,
                    block: vpc.subnet(r.subnet).map_or(PUBLIC_ADDRESS, |s| s.cidr),
                },
                None => Resolved::Public,
            },
            Target::AwsService { service } => {
                let Some(id) = vpc.endpoint_for(service) else { return Resolved::Public };
                let Some(ep) = vpc.interface_endpoint(id).filter(|e| e.private_dns) else {
                    return Resolved::Public;
                };
                // DNS returns every AZ's address; clients in practice reach the healthy ones,
                // and the same AZ's first when there is one.
                let healthy: Vec<SubnetId> = ep
                    .subnets
                    .iter()
                    .copied()
                    .filter(|s| vpc.subnet_az(*s).is_some_and(|a| !self.health.is_down(a)))
                    .collect();
                let chosen = healthy
                    .iter()
                    .copied()
                    .find(|s| vpc.subnet_az(*s) == Some(from_az))
                    .or(healthy.first().copied());
                match chosen.and_then(|s| vpc.subnet(s).map(|sub| (s, sub.cidr))) {
                    Some((subnet, block)) => Resolved::Endpoint { id, subnet, block },
                    None => Resolved::EndpointAllDown { id },
                }
            }
        }
    }

    fn egress_denied_reason(&self, config: &FunctionVpc, resolved: &Resolved) -> String {
        let vpc = self.vpc;
        let names: Vec<&str> = config.security_groups.iter().map(|g| vpc.sg_name(*g)).collect();
        let groups = match names.as_slice() {
            [one] => format!("security group {one}"),
            many => format!("security groups {}", many.join(", ")),
        };
        let what = match resolved {
            Resolved::Public => format!("{} (a public address)", dest_label(Some(vpc), self.dest)),
            Resolved::Endpoint { subnet, block, .. } => format!(
                "{} through its interface endpoint in {} ({block})",
                dest_label(Some(vpc), self.dest),
                vpc.subnet_name(*subnet)
            ),
            Resolved::EndpointAllDown { .. } => dest_label(Some(vpc), self.dest),
            Resolved::Resource { subnet, block, .. } => {
                format!("{} in {} ({block})", dest_label(Some(vpc), self.dest), vpc.subnet_name(*subnet))
            }
        };
        let rules: Vec<String> = config
            .security_groups
            .iter()
            .filter_map(|g| vpc.security_group(*g))
            .flat_map(|g| g.egress.iter())
            .map(|r| {
                let to = match r.to {
                    EgressTarget::Cidr(c) => c.to_string(),
                    EgressTarget::SecurityGroup(g) => format!("sg:{}", vpc.sg_name(g)),
                };
                match r.ports {
                    None => format!("{to} all ports"),
                    Some((lo, hi)) if lo == hi => format!("{to} port {lo}"),
                    Some((lo, hi)) => format!("{to} ports {lo}-{hi}"),
                }
            })
            .collect();
        let allowed = if rules.is_empty() {
            "they have no egress rules".to_string()
        } else {
            format!("they allow only {}", rules.join("; "))
        };
        format!("no egress rule of {groups} allows TCP port {} to {what}: {allowed}", self.dest.port)
    }

    // Step 4-5 for a public address: the default route and what it leads to.
    fn default_route(mut self, from_az: AzId, rt_id: RouteTableId, rt: &RouteTable) -> Reach {
        let vpc = self.vpc;
        let label = dest_label(Some(vpc), self.dest);
        let outcome = match rt.default_route {
            DefaultTarget::None => {
                self.route_hop(rt_id, rt, "no 0.0.0.0/0 route".into());
                Err((
                    UnreachableCode::NoRoute,
                    format!(
                        "route table {} has no default route (0.0.0.0/0): {label} is outside the VPC's {}, so the packets have nowhere to go",
                        rt.name, vpc.cidr
                    ),
                ))
            }
            DefaultTarget::InternetGateway => {
                let igw_name = vpc.internet_gateway().map_or("internet gateway", |g| g.name.as_str());
                self.route_hop(rt_id, rt, format!("0.0.0.0/0 -> {igw_name}"));
                match vpc.internet_gateway() {
                    None => Err((
                        UnreachableCode::NoInternetGateway,
                        format!(
                            "default route of {} points to an internet gateway, but VPC {} has none",
                            rt.name, vpc.name
                        ),
                    )),
                    Some(g) if !g.attached => Err((
                        UnreachableCode::NoInternetGateway,
                        format!(
                            "default route of {} points to {}, which is detached from the VPC",
                            rt.name, g.name
                        ),
                    )),
                    Some(g) => {
                        self.hops.push(Hop::InternetGateway { name: g.name.clone() });
                        Err((
                            UnreachableCode::IgwNoPublicIp,
                            format!(
                                "default route of {} points to {}, but Lambda's network interfaces have no public IP: packets are dropped at the internet gateway",
                                rt.name, g.name
                            ),
                        ))
                    }
                }
            }
            DefaultTarget::NatGateway(nat_id) => {
                let nat_name = vpc.nat_name(nat_id).to_string();
                self.route_hop(rt_id, rt, format!("0.0.0.0/0 -> {nat_name}"));
                self.through_nat(from_az, rt, nat_id)
            }
        };
        match outcome {
            Ok(charge) => self.arrive(charge),
            Err((code, reason)) => {
                let (code, reason) = self.explain_service(rt, code, reason);
                self.fail(code, reason)
            }
        }
    }

    fn through_nat(
        &mut self,
        from_az: AzId,
        rt: &RouteTable,
        nat_id: NatId,
    ) -> Result<PathCharge, (UnreachableCode, String)> {
        let vpc = self.vpc;
        let Some(nat) = vpc.nat_gateway(nat_id) else {
            return Err((UnreachableCode::NoRoute, format!("{} routes to an unknown NAT gateway", rt.name)));
        };
        self.hops.push(Hop::NatGateway { nat: nat_id, name: nat.name.clone() });
        self.latency += NAT_LATENCY_US;
        let nat_az = vpc.nat_az(nat_id);
        self.cross_az(Some(from_az), nat_az);
        if let Some(az) = nat_az.filter(|a| self.health.is_down(*a)) {
            return Err((
                UnreachableCode::NatGatewayDown,
                format!(
                    "{} is in {}, which is down: traffic that {} sends to it is lost",
                    nat.name,
                    vpc.az_name(az),
                    rt.name
                ),
            ));
        }
        let nat_subnet = vpc.subnet_name(nat.subnet).to_string();
        let Some(nat_rt) = vpc.subnet_route_table(nat.subnet) else {
            return Err((UnreachableCode::NoRoute, format!("subnet {nat_subnet} has no route table")));
        };
        let not_public = |why: String| {
            Err((
                UnreachableCode::NatInPrivateSubnet,
                format!(
                    "{} is in subnet {nat_subnet}, whose route table {} has no route to an internet gateway ({why}): a NAT gateway must sit in a public subnet",
                    nat.name, nat_rt.name
                ),
            ))
        };
        match nat_rt.default_route {
            DefaultTarget::None => not_public("it has no default route".into()),
            DefaultTarget::NatGateway(other) => {
                not_public(format!("its default route points to {}", vpc.nat_name(other)))
            }
            DefaultTarget::InternetGateway => match vpc.internet_gateway() {
                None => Err((
                    UnreachableCode::NoInternetGateway,
                    format!(
                        "{}'s subnet {nat_subnet} routes to an internet gateway, but VPC {} has none",
                        nat.name, vpc.name
                    ),
                )),
                Some(g) if !g.attached => Err((
                    UnreachableCode::NoInternetGateway,
                    format!(
                        "{}'s subnet {nat_subnet} routes to {}, which is detached from the VPC",
                        nat.name, g.name
                    ),
                )),
                Some(g) => {
                    self.hops.push(Hop::InternetGateway { name: g.name.clone() });
                    self.latency += IGW_LATENCY_US;
                    Ok(PathCharge::NatGateway(nat_id))
                }
            },
        }
    }

    // For AWS services, say what the missing endpoint has to do with it.
    fn explain_service(
        &self,
        rt: &RouteTable,
        code: UnreachableCode,
        reason: String,
    ) -> (UnreachableCode, String) {
        let Target::AwsService { service } = &self.dest.target else { return (code, reason) };
        if self.vpc.endpoint_for(service).is_some() {
            // resolve() only returns Public for an existing endpoint when private DNS is off.
            return (
                UnreachableCode::EndpointWithoutPrivateDns,
                format!(
                    "the interface endpoint for {service} has private DNS off, so the service's public name resolves to its public endpoint, which needs internet access: {reason}"
                ),
            );
        }
        if rt.default_route == DefaultTarget::None {
            let gateway = if GatewayService::from_service(service).is_some() {
                " (a gateway endpoint would be free)"
            } else {
                ""
            };
            return (
                UnreachableCode::NoEndpointOrNat,
                format!(
                    "{service} has no VPC endpoint{gateway}, and route table {} has no default route to a NAT gateway: the call cannot leave the VPC",
                    rt.name
                ),
            );
        }
        (code, format!("{reason} (and there is no VPC endpoint for {service})"))
    }
}

/// Memoized reachability. Results depend on the subnet, the security-group set, the
/// destination and the health of the network; the cache is cleared whenever the caller's
/// topology `generation` or the health differs from the last call.
#[derive(Debug, Default)]
pub struct ReachCache {
    generation: u64,
    health: NetworkHealth,
    entries: BTreeMap<(Option<SubnetId>, u32), Vec<CacheEntry>>,
    hits: u64,
    misses: u64,
}

#[derive(Debug)]
struct CacheEntry {
    sgs: Vec<SgId>,
    // Kept to check the destination really is the one cached under this index, so two lists
    // sharing a cache can never return each other's answers.
    target: Target,
    port: u16,
    reach: Reach,
}

impl ReachCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// Drops every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// (hits, misses) since creation, for tests and benches.
    pub fn stats(&self) -> (u64, u64) {
        (self.hits, self.misses)
    }

    /// Like [`reach`] (and [`reach_managed`] when `vpc` is `None`), memoized. Bump
    /// `generation` whenever the topology changes.
    pub fn get(
        &mut self,
        generation: u64,
        vpc: Option<&Vpc>,
        health: &NetworkHealth,
        from: Option<(&FunctionVpc, SubnetId)>,
        dest: &Destination,
    ) -> &Reach {
        if generation != self.generation || *health != self.health {
            self.entries.clear();
            self.generation = generation;
            self.health = health.clone();
        }
        let sgs: &[SgId] = from.map_or(&[], |(c, _)| &c.security_groups[..]);
        let list = self.entries.entry((from.map(|(_, s)| s), dest.id.0)).or_default();
        let found = list.iter().position(|e| e.sgs == sgs && e.port == dest.port && e.target == dest.target);
        let pos = match found {
            Some(p) => {
                self.hits += 1;
                p
            }
            None => {
                self.misses += 1;
                let answer = match (vpc, from) {
                    (Some(v), _) => reach(v, health, from, dest),
                    (None, None) => reach_managed(None, dest),
                    (None, Some(_)) => Reach::Unreachable {
                        code: UnreachableCode::NoRoute,
                        reason: "the function has a VPC configuration but the scenario has no VPC".into(),
                        hops: vec![],
                    },
                };
                list.push(CacheEntry {
                    sgs: sgs.to_vec(),
                    target: dest.target.clone(),
                    port: dest.port,
                    reach: answer,
                });
                list.len() - 1
            }
        };
        &list[pos].reach
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Errors;
    use crate::network::examples::*;
    use crate::network::spec::{DestinationKind, VpcSpec};
    use crate::network::topology::{validate_destinations, validate_function_vpc, validate_vpc};

    fn setup(spec: &VpcSpec, subnets: &[&str]) -> (Vpc, FunctionVpc, Vec<Destination>) {
        let mut errs = Errors::default();
        let vpc = validate_vpc(spec, "vpc", &mut errs).expect("valid vpc");
        let f = validate_function_vpc(Some(&vpc), &function_vpc(subnets, &["lambda"]), "f", &mut errs)
            .expect("valid function");
        let d = validate_destinations(Some(&vpc), &example_destinations(), "d", &mut errs);
        assert!(errs.is_empty(), "{:?}", errs.list);
        (vpc, f, d)
    }

    #[test]
    fn nat_path_hops() {
        let (vpc, f, d) = setup(&example_mixed_subnets(), &["private-a"]);
        let s = vpc.subnet_by_name("private-a").unwrap();
        let r = reach(&vpc, &NetworkHealth::healthy(), Some((&f, s)), &d[0]);
        let labels: Vec<String> = r.hops().iter().map(Hop::label).collect();
        assert_eq!(
            labels,
            [
                "ENI in private-a",
                "route table rt-private (0.0.0.0/0 -> nat-a)",
                "NAT gateway nat-a",
                "internet gateway igw",
                "api.payments.example"
            ]
        );
        assert_eq!(r.charge(), Some(PathCharge::NatGateway(NatId(0))));
        assert_eq!(r.added_latency_us(), ENI_LATENCY_US + NAT_LATENCY_US + IGW_LATENCY_US);
    }

    #[test]
    fn public_subnet_drops_at_igw() {
        let (vpc, f, d) = setup(&example_mixed_subnets(), &["public-b"]);
        let s = vpc.subnet_by_name("public-b").unwrap();
        let r = reach(&vpc, &NetworkHealth::healthy(), Some((&f, s)), &d[0]);
        assert_eq!(r.code(), Some(UnreachableCode::IgwNoPublicIp));
        assert_eq!(
            r.reason().unwrap(),
            "default route of rt-public points to igw, but Lambda's network interfaces have no public IP: packets are dropped at the internet gateway"
        );
        assert!(matches!(r.hops().last(), Some(Hop::InternetGateway { .. })));
    }

    #[test]
    fn cache_matches_and_invalidates() {
        let (vpc, f, d) = setup(&example_private_subnets_with_nat(), &["private-a", "private-b"]);
        let mut cache = ReachCache::new();
        let s = vpc.subnet_by_name("private-a").unwrap();
        let healthy = NetworkHealth::healthy();
        for dest in &d {
            let direct = reach(&vpc, &healthy, Some((&f, s)), dest);
            assert_eq!(cache.get(1, Some(&vpc), &healthy, Some((&f, s)), dest), &direct);
            assert_eq!(cache.get(1, Some(&vpc), &healthy, Some((&f, s)), dest), &direct);
        }
        assert_eq!(cache.stats(), (d.len() as u64, d.len() as u64));
        let mut down = NetworkHealth::healthy();
        down.azs_down.insert(vpc.az_by_name("us-east-1a").unwrap());
        let r = cache.get(1, Some(&vpc), &down, Some((&f, s)), &d[0]).clone();
        assert_eq!(r.code(), Some(UnreachableCode::EniAzDown));
        let managed = cache.get(2, None, &down, None, &d[0]).clone();
        assert!(managed.is_reachable());
    }

    #[test]
    fn managed_networking_without_vpc() {
        let mut errs = Errors::default();
        let d = validate_destinations(
            None,
            &[destination("x", DestinationKind::Internet("example.com".into()))],
            "d",
            &mut errs,
        );
        assert!(reach_managed(None, &d[0]).is_reachable());
    }
}
