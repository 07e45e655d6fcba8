//! The validated VPC: elements reached by typed ids, names resolved, every CIDR parsed and
//! checked. Built only by [`validate_vpc`], [`validate_function_vpc`] and
//! [`validate_destinations`], which report every problem with its field path.

use super::cidr::{Cidr, ANYWHERE};
use super::spec::{
    DefaultRoute, DestinationKind, DestinationSpec, FunctionVpcSpec, GatewayService, NetworkPrices,
    ResourceKind, VpcSpec,
};
use crate::error::{index, join, Errors};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// Longest name of any network element, in characters. Names are otherwise free text.
pub const MAX_NAME_CHARS: usize = 64;
/// Most elements of one kind in a VPC (the AWS default quota for subnets per VPC); keeps every
/// check bounded.
pub const MAX_ELEMENTS: usize = 200;
/// Most availability zones listed for one VPC.
pub const MAX_AZS: usize = 32;
/// Most egress rules in one security group (the AWS default quota).
pub const MAX_RULES: usize = 60;
/// Most NAT gateways per AZ (the AWS default quota).
pub const MAX_NATS_PER_AZ: usize = 5;
/// A function's VpcConfig takes at most 16 subnets and 5 security groups.
pub const MAX_FUNCTION_SUBNETS: usize = 16;
pub const MAX_FUNCTION_SGS: usize = 5;
/// Most destinations in one list.
pub const MAX_DESTINATIONS: usize = 200;
/// Largest `bytes_per_call`: 10 GiB, beyond any single call's payload.
pub const MAX_BYTES_PER_CALL: u64 = 10 << 30;
/// Smallest and largest prefix of a VPC or subnet block, as AWS allows.
const PREFIX_RANGE: (u8, u8) = (16, 28);

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub struct $name(pub u32);

        impl $name {
            // Lists are capped far below u32::MAX by validation, so this never saturates in
            // practice; saturating keeps it panic-free regardless.
            fn at(i: usize) -> Self {
                $name(u32::try_from(i).unwrap_or(u32::MAX))
            }
            #[allow(dead_code)] // not every id indexes a list of the Vpc
            fn ix(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// An availability zone of the VPC.
    AzId
);
id_type!(
    /// A subnet of the VPC.
    SubnetId
);
id_type!(
    /// A route table of the VPC.
    RouteTableId
);
id_type!(
    /// A NAT gateway.
    NatId
);
id_type!(
    /// An interface endpoint.
    EndpointId
);
id_type!(
    /// A security group.
    SgId
);
id_type!(
    /// A private resource.
    ResourceId
);
id_type!(
    /// A destination in a validated destination list.
    DestinationId
);

/// An availability zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Az {
    pub name: String,
}

/// A subnet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subnet {
    pub name: String,
    pub az: AzId,
    pub cidr: Cidr,
    pub route_table: RouteTableId,
}

/// Where a route table's 0.0.0.0/0 goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultTarget {
    None,
    InternetGateway,
    NatGateway(NatId),
}

/// A route table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteTable {
    pub name: String,
    pub default_route: DefaultTarget,
    pub gateway_endpoints: BTreeSet<GatewayService>,
}

/// The internet gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InternetGateway {
    pub name: String,
    pub attached: bool,
}

/// A NAT gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NatGateway {
    pub name: String,
    pub subnet: SubnetId,
}

/// An interface endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InterfaceEndpoint {
    pub service: String,
    /// One subnet per AZ, in the order written.
    pub subnets: Vec<SubnetId>,
    pub private_dns: bool,
}

/// Where an egress rule allows traffic to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EgressTarget {
    Cidr(Cidr),
    SecurityGroup(SgId),
}

/// One egress rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Egress {
    pub to: EgressTarget,
    /// Inclusive; `None` is all ports.
    pub ports: Option<(u16, u16)>,
}

impl Egress {
    /// Whether the rule's port range takes `port`.
    pub fn allows_port(&self, port: u16) -> bool {
        self.ports.is_none_or(|(lo, hi)| lo <= port && port <= hi)
    }
}

/// A security group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecurityGroup {
    pub name: String,
    pub egress: Vec<Egress>,
}

/// A private resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resource {
    pub name: String,
    pub kind: ResourceKind,
    pub subnet: SubnetId,
    pub port: u16,
    pub security_groups: Vec<SgId>,
}

/// A validated VPC. Elements are reached by id; looking up an id that is not from this VPC
/// returns `None` rather than panicking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vpc {
    pub name: String,
    pub cidr: Cidr,
    azs: Vec<Az>,
    subnets: Vec<Subnet>,
    route_tables: Vec<RouteTable>,
    internet_gateway: Option<InternetGateway>,
    nat_gateways: Vec<NatGateway>,
    interface_endpoints: Vec<InterfaceEndpoint>,
    security_groups: Vec<SecurityGroup>,
    resources: Vec<Resource>,
    /// Connections one Hyperplane ENI carries at once.
    pub eni_connection_limit: u32,
    /// Network interfaces the VPC may hold, and those other services use.
    pub eni_quota: u32,
    pub other_enis: u32,
    /// Time Lambda takes to add a Hyperplane ENI to a group.
    pub eni_scale_out: crate::time::Micros,
}

/// Most connections one ENI may be given (`eni_connection_limit`), and one invocation may hold
/// (`connections_per_invocation`): bounds that keep the figures sane, far above AWS's.
pub const MAX_ENI_CONNECTION_LIMIT: u32 = 1_000_000;
/// Most network interfaces a VPC's quota (`eni_quota`, `other_enis`) may be set to.
pub const MAX_ENI_QUOTA: u32 = 100_000;
pub const MAX_CONNECTIONS_PER_INVOCATION: u32 = 1_000;

/// Whether a subnet gives a function a way to the internet by itself (public) or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubnetKind {
    /// Its route table sends 0.0.0.0/0 to an attached internet gateway.
    Public,
    Private,
}

impl Vpc {
    pub fn az(&self, id: AzId) -> Option<&Az> {
        self.azs.get(id.ix())
    }
    pub fn subnet(&self, id: SubnetId) -> Option<&Subnet> {
        self.subnets.get(id.ix())
    }
    pub fn route_table(&self, id: RouteTableId) -> Option<&RouteTable> {
        self.route_tables.get(id.ix())
    }
    pub fn nat_gateway(&self, id: NatId) -> Option<&NatGateway> {
        self.nat_gateways.get(id.ix())
    }
    pub fn interface_endpoint(&self, id: EndpointId) -> Option<&InterfaceEndpoint> {
        self.interface_endpoints.get(id.ix())
    }
    pub fn security_group(&self, id: SgId) -> Option<&SecurityGroup> {
        self.security_groups.get(id.ix())
    }
    pub fn resource(&self, id: ResourceId) -> Option<&Resource> {
        self.resources.get(id.ix())
    }
    pub fn internet_gateway(&self) -> Option<&InternetGateway> {
        self.internet_gateway.as_ref()
    }

    pub fn azs(&self) -> impl Iterator<Item = (AzId, &Az)> {
        self.azs.iter().enumerate().map(|(i, a)| (AzId::at(i), a))
    }
    pub fn subnets(&self) -> impl Iterator<Item = (SubnetId, &Subnet)> {
        self.subnets.iter().enumerate().map(|(i, s)| (SubnetId::at(i), s))
    }
    pub fn route_tables(&self) -> impl Iterator<Item = (RouteTableId, &RouteTable)> {
        self.route_tables.iter().enumerate().map(|(i, r)| (RouteTableId::at(i), r))
    }
    pub fn nat_gateways(&self) -> impl Iterator<Item = (NatId, &NatGateway)> {
        self.nat_gateways.iter().enumerate().map(|(i, n)| (NatId::at(i), n))
    }
    pub fn interface_endpoints(&self) -> impl Iterator<Item = (EndpointId, &InterfaceEndpoint)> {
        self.interface_endpoints.iter().enumerate().map(|(i, e)| (EndpointId::at(i), e))
    }
    pub fn security_groups(&self) -> impl Iterator<Item = (SgId, &SecurityGroup)> {
        self.security_groups.iter().enumerate().map(|(i, s)| (SgId::at(i), s))
    }
    pub fn resources(&self) -> impl Iterator<Item = (ResourceId, &Resource)> {
        self.resources.iter().enumerate().map(|(i, r)| (ResourceId::at(i), r))
    }

    pub fn az_by_name(&self, name: &str) -> Option<AzId> {
        self.azs.iter().position(|a| a.name == name).map(AzId::at)
    }
    pub fn subnet_by_name(&self, name: &str) -> Option<SubnetId> {
        self.subnets.iter().position(|s| s.name == name).map(SubnetId::at)
    }
    pub fn route_table_by_name(&self, name: &str) -> Option<RouteTableId> {
        self.route_tables.iter().position(|r| r.name == name).map(RouteTableId::at)
    }
    pub fn nat_by_name(&self, name: &str) -> Option<NatId> {
        self.nat_gateways.iter().position(|n| n.name == name).map(NatId::at)
    }
    pub fn sg_by_name(&self, name: &str) -> Option<SgId> {
        self.security_groups.iter().position(|s| s.name == name).map(SgId::at)
    }
    pub fn resource_by_name(&self, name: &str) -> Option<ResourceId> {
        self.resources.iter().position(|r| r.name == name).map(ResourceId::at)
    }
    /// The interface endpoint of a service, if the VPC has one.
    pub fn endpoint_for(&self, service: &str) -> Option<EndpointId> {
        self.interface_endpoints.iter().position(|e| e.service == service).map(EndpointId::at)
    }

    /// Name of a subnet, or "?" for an id from elsewhere (for messages only).
    pub fn subnet_name(&self, id: SubnetId) -> &str {
        self.subnet(id).map_or("?", |s| s.name.as_str())
    }
    pub fn az_name(&self, id: AzId) -> &str {
        self.az(id).map_or("?", |a| a.name.as_str())
    }
    pub fn route_table_name(&self, id: RouteTableId) -> &str {
        self.route_table(id).map_or("?", |r| r.name.as_str())
    }
    pub fn nat_name(&self, id: NatId) -> &str {
        self.nat_gateway(id).map_or("?", |n| n.name.as_str())
    }
    pub fn sg_name(&self, id: SgId) -> &str {
        self.security_group(id).map_or("?", |s| s.name.as_str())
    }

    /// The AZ a subnet is in.
    pub fn subnet_az(&self, id: SubnetId) -> Option<AzId> {
        self.subnet(id).map(|s| s.az)
    }

    /// The AZ a NAT gateway is in (its subnet's).
    pub fn nat_az(&self, id: NatId) -> Option<AzId> {
        self.nat_gateway(id).and_then(|n| self.subnet_az(n.subnet))
    }

    /// The route table of a subnet.
    pub fn subnet_route_table(&self, id: SubnetId) -> Option<&RouteTable> {
        self.subnet(id).and_then(|s| self.route_table(s.route_table))
    }

    /// Whether the internet gateway exists and is attached.
    pub fn igw_attached(&self) -> bool {
        self.internet_gateway.as_ref().is_some_and(|g| g.attached)
    }

    /// Public: the subnet's route table sends 0.0.0.0/0 to an attached internet gateway.
    pub fn is_public(&self, id: SubnetId) -> bool {
        self.subnet_route_table(id).is_some_and(|rt| rt.default_route == DefaultTarget::InternetGateway)
            && self.igw_attached()
    }

    /// Public or private (see [`Vpc::is_public`]).
    pub fn subnet_kind(&self, id: SubnetId) -> SubnetKind {
        if self.is_public(id) {
            SubnetKind::Public
        } else {
            SubnetKind::Private
        }
    }

    /// Distinct AZs an interface endpoint has network interfaces in (what it is billed for).
    pub fn endpoint_azs(&self, id: EndpointId) -> BTreeSet<AzId> {
        self.interface_endpoint(id)
            .map(|e| crate::size::order::set_of(e.subnets.iter().filter_map(|s| self.subnet_az(*s))))
            .unwrap_or_default()
    }
}

/// A validated function VpcConfig.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionVpc {
    /// In the order written; no duplicates.
    pub subnets: Vec<SubnetId>,
    /// Sorted, no duplicates: the order security groups are listed in does not matter to AWS.
    pub security_groups: Vec<SgId>,
}

/// The identity of a Hyperplane ENI: Lambda creates one per (subnet, security-group set) and
/// shares it among all functions with that combination.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EniKey {
    pub subnet: SubnetId,
    /// Sorted, no duplicates.
    pub sgs: Vec<SgId>,
}

impl FunctionVpc {
    /// The ENIs this config uses, one per subnet.
    pub fn eni_keys(&self) -> impl Iterator<Item = EniKey> + '_ {
        self.subnets.iter().map(|s| EniKey { subnet: *s, sgs: self.security_groups.clone() })
    }

    /// The ENI used by an environment placed in `subnet`.
    pub fn eni_key(&self, subnet: SubnetId) -> EniKey {
        EniKey { subnet, sgs: self.security_groups.clone() }
    }
}

/// The distinct Hyperplane ENIs of a set of function configs, sorted.
pub fn unique_eni_keys<'a>(configs: impl IntoIterator<Item = &'a FunctionVpc>) -> Vec<EniKey> {
    let set: BTreeSet<EniKey> = configs.into_iter().flat_map(|c| c.eni_keys()).collect();
    set.into_iter().collect()
}

/// A validated destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Destination {
    /// Position in the validated list this destination came from.
    pub id: DestinationId,
    pub name: String,
    pub target: Target,
    pub bytes_per_call: u64,
    pub port: u16,
}

/// What a destination is, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Internet {
        host: String,
    },
    /// An AWS service by short name; "s3" and "dynamodb" can also use gateway endpoints.
    AwsService {
        service: String,
    },
    Resource(ResourceId),
}

impl Target {
    /// The gateway-endpoint service, for S3 and DynamoDB.
    pub fn gateway_service(&self) -> Option<GatewayService> {
        match self {
            Target::AwsService { service } => GatewayService::from_service(service),
            _ => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Validation

fn check_name(name: &str, path: &str, errs: &mut Errors) {
    if name.is_empty() {
        errs.push(path, "name is empty");
    } else if name.chars().count() > MAX_NAME_CHARS {
        errs.push(path, format!("name is longer than {MAX_NAME_CHARS} characters"));
    }
}

// Checks names and duplicates of one list; returns name -> first position.
fn name_index<'a>(
    names: impl Iterator<Item = &'a str>,
    list_path: &str,
    field: &str,
    what: &str,
    errs: &mut Errors,
) -> BTreeMap<&'a str, usize> {
    let mut seen = BTreeMap::new();
    for (i, name) in names.enumerate() {
        let path = join(&index(list_path, i), field);
        check_name(name, &path, errs);
        if seen.contains_key(name) {
            errs.push(path, format!("duplicate {what} name '{name}'"));
        } else {
            seen.insert(name, i);
        }
    }
    seen
}

fn check_len(len: usize, max: usize, path: &str, what: &str, errs: &mut Errors) {
    if len > max {
        errs.push(path, format!("{len} {what}: at most {max} are allowed"));
    }
}

// Parses a VPC or subnet block and checks its size.
fn parse_block(text: &str, path: &str, errs: &mut Errors) -> Option<Cidr> {
    let cidr = match Cidr::from_str(text) {
        Ok(c) => c,
        Err(e) => {
            errs.push(path, e);
            return None;
        }
    };
    if !cidr.is_network() {
        errs.push(path, format!("{text} has host bits set: did you mean {}?", cidr.network()));
        return None;
    }
    let (lo, hi) = PREFIX_RANGE;
    if cidr.prefix < lo || cidr.prefix > hi {
        errs.push(path, format!("{text}: the block size must be between /{lo} and /{hi}"));
        return None;
    }
    Some(cidr)
}

/// Checks a VPC spec; `None` (with errors pushed) if anything is wrong. Each kind of element
/// is checked by its own function below, in the order the errors are reported.
pub fn validate_vpc(spec: &VpcSpec, path: &str, errs: &mut Errors) -> Option<Vpc> {
    let before = errs.list.len();
    check_name(&spec.name, &join(path, "name"), errs);
    let vpc_cidr = parse_block(&spec.cidr, &join(path, "cidr"), errs);
    check_eni_limits(spec, path, errs);
    let eni_scale_out = spec.eni_scale_out_time.map_or(0, |d| d.micros());
    let az_index = check_azs(spec, &join(path, "azs"), errs);

    let paths = Paths::new(path);
    check_len(spec.subnets.len(), MAX_ELEMENTS, &paths.subnets, "subnets", errs);
    check_len(spec.route_tables.len(), MAX_ELEMENTS, &paths.route_tables, "route tables", errs);
    check_len(spec.nat_gateways.len(), MAX_ELEMENTS, &paths.nat_gateways, "NAT gateways", errs);
    check_len(spec.interface_endpoints.len(), MAX_ELEMENTS, &paths.endpoints, "interface endpoints", errs);
    check_len(spec.security_groups.len(), MAX_ELEMENTS, &paths.security_groups, "security groups", errs);
    check_len(spec.resources.len(), MAX_ELEMENTS, &paths.resources, "resources", errs);
    if errs.list.len() > before && spec.subnets.len() > MAX_ELEMENTS {
        // Pairwise checks below are quadratic: don't run them on absurd input.
        return None;
    }
    let ix = Indexes::new(spec, &paths, errs);

    let subnets = check_subnets(spec, &paths, &ix, &az_index, vpc_cidr, errs);
    let route_tables = check_route_tables(spec, &paths, &ix, errs);
    let internet_gateway = spec.internet_gateway.as_ref().map(|g| {
        check_name(&g.name, &join(&join(path, "internet_gateway"), "name"), errs);
        InternetGateway { name: g.name.clone(), attached: g.attached }
    });
    let nat_gateways = check_nat_gateways(spec, &paths, &ix, errs);
    let interface_endpoints = check_interface_endpoints(spec, &paths, &ix, errs);
    let security_groups = check_security_groups(spec, &paths, &ix, errs);
    let resources = check_resources(spec, &paths, &ix, errs);

    if errs.list.len() > before {
        return None;
    }
    Some(Vpc {
        name: spec.name.clone(),
        cidr: vpc_cidr?,
        azs: spec.azs.iter().map(|n| Az { name: n.clone() }).collect(),
        subnets,
        route_tables,
        internet_gateway,
        nat_gateways,
        interface_endpoints,
        security_groups,
        resources,
        eni_connection_limit: spec.eni_connection_limit,
        eni_quota: spec.eni_quota,
        other_enis: spec.other_enis,
        eni_scale_out,
    })
}

/// The field paths of a VPC's lists.
struct Paths {
    subnets: String,
    route_tables: String,
    nat_gateways: String,
    endpoints: String,
    security_groups: String,
    resources: String,
}

impl Paths {
    fn new(path: &str) -> Self {
        Paths {
            subnets: join(path, "subnets"),
            route_tables: join(path, "route_tables"),
            nat_gateways: join(path, "nat_gateways"),
            endpoints: join(path, "interface_endpoints"),
            security_groups: join(path, "security_groups"),
            resources: join(path, "resources"),
        }
    }
}

/// Each named element's position by name (a name listed twice is reported here).
struct Indexes<'a> {
    subnet: BTreeMap<&'a str, usize>,
    route_table: BTreeMap<&'a str, usize>,
    nat: BTreeMap<&'a str, usize>,
    sg: BTreeMap<&'a str, usize>,
}

impl<'a> Indexes<'a> {
    fn new(spec: &'a VpcSpec, p: &Paths, errs: &mut Errors) -> Self {
        let subnet =
            name_index(spec.subnets.iter().map(|s| s.name.as_str()), &p.subnets, "name", "subnet", errs);
        let route_table = name_index(
            spec.route_tables.iter().map(|r| r.name.as_str()),
            &p.route_tables,
            "name",
            "route table",
            errs,
        );
        let nat = name_index(
            spec.nat_gateways.iter().map(|n| n.name.as_str()),
            &p.nat_gateways,
            "name",
            "NAT gateway",
            errs,
        );
        let sg = name_index(
            spec.security_groups.iter().map(|s| s.name.as_str()),
            &p.security_groups,
            "name",
            "security group",
            errs,
        );
        name_index(spec.resources.iter().map(|r| r.name.as_str()), &p.resources, "name", "resource", errs);
        Indexes { subnet, route_table, nat, sg }
    }
}

/// The ENI figures: connections per ENI, the VPC's network-interface quota, the interfaces
/// taken by others and the scale-out time.
fn check_eni_limits(spec: &VpcSpec, path: &str, errs: &mut Errors) {
    if !(1..=MAX_ENI_CONNECTION_LIMIT).contains(&spec.eni_connection_limit) {
        errs.push(
            join(path, "eni_connection_limit"),
            format!(
                "{} must be between 1 and 1,000,000 connections per ENI (AWS: 65,000)",
                spec.eni_connection_limit
            ),
        );
    }
    if !(1..=MAX_ENI_QUOTA).contains(&spec.eni_quota) {
        errs.push(
            join(path, "eni_quota"),
            format!("{} must be between 1 and 100,000 network interfaces per VPC (AWS: 250)", spec.eni_quota),
        );
    }
    if spec.other_enis > MAX_ENI_QUOTA {
        errs.push(
            join(path, "other_enis"),
            format!("{} must be between 0 and 100,000 network interfaces", spec.other_enis),
        );
    }
    if spec
        .eni_scale_out_time
        .is_some_and(|d| !d.is_valid() || d.micros() > crate::time::MICROS_PER_SEC * 3600)
    {
        errs.push(join(path, "eni_scale_out_time"), "must be between 0 and 1 h");
    }
}

/// The availability zones, each once; their positions by name.
fn check_azs<'a>(spec: &'a VpcSpec, azs_path: &str, errs: &mut Errors) -> BTreeMap<&'a str, usize> {
    if spec.azs.is_empty() {
        errs.push(azs_path, "list at least one availability zone");
    }
    check_len(spec.azs.len(), MAX_AZS, azs_path, "availability zones", errs);
    let mut az_index: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, name) in spec.azs.iter().enumerate() {
        let p = index(azs_path, i);
        check_name(name, &p, errs);
        if az_index.contains_key(name.as_str()) {
            errs.push(p, format!("availability zone '{name}' is listed twice"));
        } else {
            az_index.insert(name, i);
        }
    }
    az_index
}

/// Subnets: a known AZ and route table, a block inside the VPC's, no two overlapping.
fn check_subnets(
    spec: &VpcSpec,
    paths: &Paths,
    ix: &Indexes,
    az_index: &BTreeMap<&str, usize>,
    vpc_cidr: Option<Cidr>,
    errs: &mut Errors,
) -> Vec<Subnet> {
    let (sub_path, rt_index) = (&paths.subnets, &ix.route_table);
    let mut subnets = Vec::with_capacity(spec.subnets.len());
    let mut parsed: Vec<Option<Cidr>> = Vec::with_capacity(spec.subnets.len());
    for (i, s) in spec.subnets.iter().enumerate() {
        let p = index(&sub_path, i);
        let az = az_index.get(s.az.as_str()).copied();
        if az.is_none() {
            errs.push(
                join(&p, "az"),
                format!("unknown availability zone '{}': the VPC lists {}", s.az, list(&spec.azs)),
            );
        }
        let rt = rt_index.get(s.route_table.as_str()).copied();
        if rt.is_none() {
            errs.push(join(&p, "route_table"), format!("unknown route table '{}'", s.route_table));
        }
        let cidr_path = join(&p, "cidr");
        let cidr = parse_block(&s.cidr, &cidr_path, errs);
        if let (Some(c), Some(v)) = (cidr, vpc_cidr) {
            if !v.contains(&c) {
                errs.push(&cidr_path, format!("{c} is outside the VPC's {v}"));
            }
        }
        if let Some(c) = cidr {
            for (j, other) in parsed.iter().enumerate() {
                if let Some(o) = other.filter(|o| o.overlaps(&c)) {
                    errs.push(
                        &cidr_path,
                        format!("subnets '{}' and '{}' overlap ({o} and {c})", spec.subnets[j].name, s.name),
                    );
                }
            }
        }
        parsed.push(cidr);
        if let (Some(az), Some(rt), Some(cidr)) = (az, rt, cidr) {
            subnets.push(Subnet {
                name: s.name.clone(),
                az: AzId::at(az),
                cidr,
                route_table: RouteTableId::at(rt),
            });
        }
    }

    subnets
}

/// Route tables: a known NAT gateway as the default route, each gateway endpoint once.
fn check_route_tables(spec: &VpcSpec, paths: &Paths, ix: &Indexes, errs: &mut Errors) -> Vec<RouteTable> {
    let (rt_path, nat_index) = (&paths.route_tables, &ix.nat);
    let mut route_tables = Vec::with_capacity(spec.route_tables.len());
    for (i, r) in spec.route_tables.iter().enumerate() {
        let p = index(&rt_path, i);
        let default_route = match &r.default_route {
            DefaultRoute::None => Some(DefaultTarget::None),
            DefaultRoute::InternetGateway => Some(DefaultTarget::InternetGateway),
            DefaultRoute::NatGateway(name) => match nat_index.get(name.as_str()) {
                Some(n) => Some(DefaultTarget::NatGateway(NatId::at(*n))),
                None => {
                    errs.push(join(&p, "default_route"), format!("unknown NAT gateway '{name}'"));
                    None
                }
            },
        };
        let mut endpoints = BTreeSet::new();
        for (j, g) in r.gateway_endpoints.iter().enumerate() {
            if !endpoints.insert(*g) {
                errs.push(
                    index(&join(&p, "gateway_endpoints"), j),
                    format!("gateway endpoint for {} is listed twice", g.service()),
                );
            }
        }
        if let Some(default_route) = default_route {
            route_tables.push(RouteTable {
                name: r.name.clone(),
                default_route,
                gateway_endpoints: endpoints,
            });
        }
    }

    route_tables
}

/// NAT gateways: in a known subnet, at most `MAX_NATS_PER_AZ` per AZ.
fn check_nat_gateways(spec: &VpcSpec, paths: &Paths, ix: &Indexes, errs: &mut Errors) -> Vec<NatGateway> {
    let (nat_path, subnet_index) = (&paths.nat_gateways, &ix.subnet);
    let mut nat_gateways = Vec::with_capacity(spec.nat_gateways.len());
    let mut nats_per_az: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, n) in spec.nat_gateways.iter().enumerate() {
        let p = join(&index(&nat_path, i), "subnet");
        match subnet_index.get(n.subnet.as_str()) {
            Some(s) => {
                let az = spec.subnets[*s].az.as_str();
                let count = nats_per_az.entry(az).or_insert(0);
                *count += 1;
                if *count == MAX_NATS_PER_AZ + 1 {
                    errs.push(
                        &p,
                        format!("more than {MAX_NATS_PER_AZ} NAT gateways in availability zone '{az}'"),
                    );
                }
                nat_gateways.push(NatGateway { name: n.name.clone(), subnet: SubnetId::at(*s) });
            }
            None => errs.push(p, format!("NAT gateway '{}' is in unknown subnet '{}'", n.name, n.subnet)),
        }
    }

    nat_gateways
}

/// Interface endpoints: a service named once, in known subnets, one subnet per AZ.
fn check_interface_endpoints(
    spec: &VpcSpec,
    paths: &Paths,
    ix: &Indexes,
    errs: &mut Errors,
) -> Vec<InterfaceEndpoint> {
    let (ep_path, subnet_index) = (&paths.endpoints, &ix.subnet);
    let mut interface_endpoints = Vec::with_capacity(spec.interface_endpoints.len());
    let mut services: BTreeSet<&str> = BTreeSet::new();
    for (i, e) in spec.interface_endpoints.iter().enumerate() {
        let p = index(&ep_path, i);
        let svc_path = join(&p, "service");
        check_service(&e.service, &svc_path, errs);
        if !services.insert(e.service.as_str()) {
            errs.push(&svc_path, format!("a second interface endpoint for '{}'", e.service));
        }
        let subs_path = join(&p, "subnets");
        if e.subnets.is_empty() {
            errs.push(&subs_path, "an interface endpoint needs at least one subnet");
        }
        check_len(e.subnets.len(), MAX_ELEMENTS, &subs_path, "subnets", errs);
        let mut ids = Vec::new();
        let mut azs_used: BTreeMap<&str, &str> = BTreeMap::new();
        for (j, name) in e.subnets.iter().enumerate() {
            let sp = index(&subs_path, j);
            let Some(s) = subnet_index.get(name.as_str()) else {
                errs.push(sp, format!("unknown subnet '{name}'"));
                continue;
            };
            let az = spec.subnets[*s].az.as_str();
            if let Some(first) = azs_used.insert(az, name.as_str()) {
                errs.push(
                    sp,
                    format!(
                        "subnets '{first}' and '{name}' are both in {az}: an endpoint takes one subnet per availability zone"
                    ),
                );
                continue;
            }
            ids.push(SubnetId::at(*s));
        }
        interface_endpoints.push(InterfaceEndpoint {
            service: e.service.clone(),
            subnets: ids,
            private_dns: e.private_dns,
        });
    }

    interface_endpoints
}

/// Security groups and their egress rules.
fn check_security_groups(
    spec: &VpcSpec,
    paths: &Paths,
    ix: &Indexes,
    errs: &mut Errors,
) -> Vec<SecurityGroup> {
    let sg_path = &paths.security_groups;
    let mut security_groups = Vec::with_capacity(spec.security_groups.len());
    for (i, g) in spec.security_groups.iter().enumerate() {
        let egress_path = join(&index(sg_path, i), "egress");
        check_len(g.egress.len(), MAX_RULES, &egress_path, "egress rules", errs);
        let mut egress = Vec::with_capacity(g.egress.len());
        for (j, rule) in g.egress.iter().enumerate() {
            if let Some(e) = check_egress_rule(rule, &index(&egress_path, j), &ix.sg, errs) {
                egress.push(e);
            }
        }
        security_groups.push(SecurityGroup { name: g.name.clone(), egress });
    }
    security_groups
}

/// One egress rule: to a CIDR block or a known security group, over a valid port range.
fn check_egress_rule(
    rule: &crate::network::EgressRule,
    rp: &str,
    sg_index: &BTreeMap<&str, usize>,
    errs: &mut Errors,
) -> Option<Egress> {
    let to = if let Some(sg) = rule.to.strip_prefix("sg:") {
        match sg_index.get(sg) {
            Some(k) => Some(EgressTarget::SecurityGroup(SgId::at(*k))),
            None => {
                errs.push(join(rp, "to"), format!("unknown security group '{sg}'"));
                None
            }
        }
    } else {
        match Cidr::from_str(&rule.to) {
            Ok(c) if c.is_network() => Some(EgressTarget::Cidr(c)),
            Ok(c) => {
                errs.push(
                    join(rp, "to"),
                    format!("{} has host bits set: did you mean {}?", rule.to, c.network()),
                );
                None
            }
            Err(_) => {
                errs.push(
                    join(rp, "to"),
                    format!("'{}' is neither a CIDR block (like 0.0.0.0/0) nor 'sg:<name>'", rule.to),
                );
                None
            }
        }
    };
    let ports_ok = match rule.ports {
        Some((lo, hi)) if lo == 0 || lo > hi => {
            errs.push(
                join(rp, "ports"),
                format!("[{lo}, {hi}] is not a port range: write [from, to] with 1 <= from <= to"),
            );
            false
        }
        _ => true,
    };
    match (to, ports_ok) {
        (Some(to), true) => Some(Egress { to, ports: rule.ports }),
        _ => None,
    }
}

/// Resources: in a known subnet, on a usable port, with known security groups.
fn check_resources(spec: &VpcSpec, paths: &Paths, ix: &Indexes, errs: &mut Errors) -> Vec<Resource> {
    let (res_path, subnet_index, sg_index) = (&paths.resources, &ix.subnet, &ix.sg);
    let mut resources = Vec::with_capacity(spec.resources.len());
    for (i, r) in spec.resources.iter().enumerate() {
        let p = index(&res_path, i);
        let subnet = subnet_index.get(r.subnet.as_str()).copied();
        if subnet.is_none() {
            errs.push(join(&p, "subnet"), format!("unknown subnet '{}'", r.subnet));
        }
        let port = r.port.unwrap_or(r.kind.default_port());
        if port == 0 {
            errs.push(join(&p, "port"), "port 0 is not a usable port");
        }
        let sgs_path = join(&p, "security_groups");
        check_len(r.security_groups.len(), MAX_FUNCTION_SGS, &sgs_path, "security groups", errs);
        let mut sgs = BTreeSet::new();
        for (j, name) in r.security_groups.iter().enumerate() {
            match sg_index.get(name.as_str()) {
                Some(k) => {
                    sgs.insert(SgId::at(*k));
                }
                None => errs.push(index(&sgs_path, j), format!("unknown security group '{name}'")),
            }
        }
        if let Some(s) = subnet {
            resources.push(Resource {
                name: r.name.clone(),
                kind: r.kind,
                subnet: SubnetId::at(s),
                port,
                security_groups: sgs.into_iter().collect(),
            });
        }
    }

    resources
}

// Short AWS service names: lowercase letters, digits, '-' and '.' ("ecr.api", "execute-api").
fn check_service(service: &str, path: &str, errs: &mut Errors) {
    let ok = !service.is_empty()
        && service.len() <= MAX_NAME_CHARS
        && service.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    if !ok {
        errs.push(
            path,
            format!(
                "'{service}' is not a service name: use the short lowercase name, like sqs or secretsmanager"
            ),
        );
    }
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")
}

/// Checks a function's VpcConfig against the scenario's VPC.
pub fn validate_function_vpc(
    vpc: Option<&Vpc>,
    spec: &FunctionVpcSpec,
    path: &str,
    errs: &mut Errors,
) -> Option<FunctionVpc> {
    let Some(vpc) = vpc else {
        errs.push(path, "this function has a vpc config, but the scenario has no vpc");
        return None;
    };
    let before = errs.list.len();
    let sub_path = join(path, "subnets");
    let sg_path = join(path, "security_groups");
    if spec.subnets.is_empty() {
        errs.push(&sub_path, "list at least one subnet");
    }
    check_len(spec.subnets.len(), MAX_FUNCTION_SUBNETS, &sub_path, "subnets", errs);
    if spec.security_groups.is_empty() {
        errs.push(&sg_path, "list at least one security group");
    }
    check_len(spec.security_groups.len(), MAX_FUNCTION_SGS, &sg_path, "security groups", errs);
    if let Some(n) = spec.connections_per_invocation.filter(|&n| n > MAX_CONNECTIONS_PER_INVOCATION) {
        errs.push(
            join(path, "connections_per_invocation"),
            format!("{n} is more than 1,000 connections per invocation"),
        );
    }

    let mut subnets = Vec::new();
    for (i, name) in spec.subnets.iter().enumerate() {
        match vpc.subnet_by_name(name) {
            Some(id) if subnets.contains(&id) => {
                errs.push(index(&sub_path, i), format!("subnet '{name}' is listed twice"))
            }
            Some(id) => subnets.push(id),
            None => errs.push(index(&sub_path, i), format!("unknown subnet '{name}'")),
        }
    }
    let mut sgs = BTreeSet::new();
    for (i, name) in spec.security_groups.iter().enumerate() {
        match vpc.sg_by_name(name) {
            Some(id) if !sgs.insert(id) => {
                errs.push(index(&sg_path, i), format!("security group '{name}' is listed twice"))
            }
            Some(_) => {}
            None => errs.push(index(&sg_path, i), format!("unknown security group '{name}'")),
        }
    }
    if errs.list.len() > before {
        return None;
    }
    Some(FunctionVpc { subnets, security_groups: sgs.into_iter().collect() })
}

/// Checks a list of destinations; returns the valid ones (the list is complete when no error
/// was pushed). Resources are looked up in `vpc`.
pub fn validate_destinations(
    vpc: Option<&Vpc>,
    specs: &[DestinationSpec],
    path: &str,
    errs: &mut Errors,
) -> Vec<Destination> {
    check_len(specs.len(), MAX_DESTINATIONS, path, "destinations", errs);
    name_index(specs.iter().map(|d| d.name.as_str()), path, "name", "destination", errs);
    let mut out = Vec::with_capacity(specs.len().min(MAX_DESTINATIONS));
    for (i, d) in specs.iter().enumerate().take(MAX_DESTINATIONS) {
        let p = index(path, i);
        let kind_path = join(&p, "kind");
        let mut port = d.port.unwrap_or(443);
        let target = match &d.kind {
            DestinationKind::Internet(host) => {
                let ok = !host.is_empty()
                    && host.len() <= 253
                    && !host.chars().any(|c| c.is_whitespace() || c == '/');
                if !ok {
                    errs.push(&kind_path, format!("'{host}' is not a host name"));
                }
                ok.then(|| Target::Internet { host: host.clone() })
            }
            DestinationKind::S3 => Some(Target::AwsService { service: "s3".into() }),
            DestinationKind::DynamoDb => Some(Target::AwsService { service: "dynamodb".into() }),
            DestinationKind::AwsService(service) => {
                let before = errs.list.len();
                check_service(service, &kind_path, errs);
                (errs.list.len() == before).then(|| Target::AwsService { service: service.clone() })
            }
            DestinationKind::Resource(name) => match vpc {
                None => {
                    errs.push(
                        &kind_path,
                        format!("resource '{name}' needs a vpc in the scenario, and there is none"),
                    );
                    None
                }
                Some(v) => match v.resource_by_name(name) {
                    Some(r) => {
                        port = d.port.or(v.resource(r).map(|r| r.port)).unwrap_or(443);
                        Some(Target::Resource(r))
                    }
                    None => {
                        errs.push(&kind_path, format!("unknown resource '{name}'"));
                        None
                    }
                },
            },
        };
        if port == 0 {
            errs.push(join(&p, "port"), "port 0 is not a usable port");
        }
        if d.bytes_per_call > MAX_BYTES_PER_CALL {
            errs.push(
                join(&p, "bytes_per_call"),
                format!("{} bytes per call is more than the 10 GiB this model allows", d.bytes_per_call),
            );
        }
        if let Some(target) = target {
            out.push(Destination {
                id: DestinationId::at(out.len()),
                name: d.name.clone(),
                target,
                bytes_per_call: d.bytes_per_call,
                port,
            });
        }
    }
    out
}

/// Checks that every price is a finite, non-negative number.
pub fn validate_prices(prices: &NetworkPrices, path: &str, errs: &mut Errors) {
    for (field, v) in [
        ("nat_gateway_per_hour_usd", prices.nat_gateway_per_hour_usd),
        ("nat_gateway_per_gb_usd", prices.nat_gateway_per_gb_usd),
        ("interface_endpoint_per_az_hour_usd", prices.interface_endpoint_per_az_hour_usd),
        ("interface_endpoint_per_gb_usd", prices.interface_endpoint_per_gb_usd),
        ("gateway_endpoint_per_gb_usd", prices.gateway_endpoint_per_gb_usd),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            errs.push(join(path, field), format!("{v} is not a price: use a number >= 0"));
        }
    }
}

/// Whether a security group rule set lets TCP traffic to `port` reach addresses in `block`
/// (contained in a rule's CIDR) or members of any of `member_of`.
pub(crate) fn egress_allows(
    vpc: &Vpc,
    sgs: &[SgId],
    port: u16,
    block: Option<Cidr>,
    member_of: &[SgId],
) -> bool {
    sgs.iter().filter_map(|g| vpc.security_group(*g)).flat_map(|g| g.egress.iter()).any(|rule| {
        rule.allows_port(port)
            && match rule.to {
                EgressTarget::Cidr(c) => block.is_some_and(|b| c.contains(&b)),
                EgressTarget::SecurityGroup(g) => member_of.contains(&g),
            }
    })
}

/// A public address outside any VPC: only a 0.0.0.0/0 rule is sure to cover it, because the
/// model does not resolve public host names to addresses.
pub(crate) const PUBLIC_ADDRESS: Cidr = ANYWHERE;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::examples::*;

    #[test]
    fn examples_validate() {
        for spec in
            [example_mixed_subnets(), example_nat_in_private_subnet(), example_private_subnets_with_nat()]
        {
            let mut errs = Errors::default();
            let vpc = validate_vpc(&spec, "vpc", &mut errs);
            assert!(errs.is_empty(), "{:?}", errs.list);
            assert!(vpc.is_some());
        }
    }

    #[test]
    fn public_and_private() {
        let mut errs = Errors::default();
        let vpc = validate_vpc(&example_mixed_subnets(), "vpc", &mut errs).unwrap();
        let public = vpc.subnet_by_name("public-a").unwrap();
        let private = vpc.subnet_by_name("private-a").unwrap();
        assert!(vpc.is_public(public));
        assert_eq!(vpc.subnet_kind(private), SubnetKind::Private);
        assert_eq!(vpc.az_name(vpc.subnet_az(private).unwrap()), "us-east-1a");
    }

    #[test]
    fn eni_keys_are_shared() {
        let a = FunctionVpc { subnets: vec![SubnetId(0), SubnetId(1)], security_groups: vec![SgId(0)] };
        let b = FunctionVpc { subnets: vec![SubnetId(1)], security_groups: vec![SgId(0)] };
        let c = FunctionVpc { subnets: vec![SubnetId(1)], security_groups: vec![SgId(0), SgId(1)] };
        let keys = unique_eni_keys([&a, &b, &c]);
        assert_eq!(keys.len(), 3);
        assert_eq!(keys[0], EniKey { subnet: SubnetId(0), sgs: vec![SgId(0)] });
    }

    #[test]
    fn function_sg_order_does_not_matter() {
        let mut errs = Errors::default();
        let vpc = validate_vpc(&example_private_subnets_with_nat(), "vpc", &mut errs).unwrap();
        let f1 = FunctionVpcSpec {
            subnets: vec!["private-a".into()],
            security_groups: vec!["lambda".into(), "db".into()],
            connections_per_invocation: None,
        };
        let f2 = FunctionVpcSpec {
            subnets: vec!["private-a".into()],
            security_groups: vec!["db".into(), "lambda".into()],
            connections_per_invocation: None,
        };
        let a = validate_function_vpc(Some(&vpc), &f1, "f", &mut errs).unwrap();
        let b = validate_function_vpc(Some(&vpc), &f2, "f", &mut errs).unwrap();
        assert_eq!(a.eni_keys().collect::<Vec<_>>(), b.eni_keys().collect::<Vec<_>>());
    }
}
