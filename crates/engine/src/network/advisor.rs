//! The network advisor: reads the VPC and each function's placement and destinations, and
//! reports what is wrong or wasteful, why, and an edit of the scenario spec that fixes it.
//!
//! Every finding has a stable `id` (the kind of problem) and a `key` (the kind plus the
//! elements it is about), so a UI can track a finding across edits. Every fix is an [`Edit`]
//! of the scenario, made through [`crate::edit::apply`] like the editor's own (with the same
//! checks, undoable, labelled by [`Edit::label`]; several edits as one [`Edit::Steps`]);
//! making a finding's fix makes that finding (same key) disappear, which the tests check for
//! each kind.

use super::cost::BYTES_PER_GB;
use super::reach::{reach, NetworkHealth, PathCharge, Reach, UnreachableCode};
use super::spec::{DefaultRoute, EgressRule, GatewayService, NetworkPrices};
use super::topology::{
    AzId, DefaultTarget, Destination, FunctionVpc, NatId, RouteTableId, SgId, SubnetId, Target, Vpc,
    MAX_FUNCTION_SUBNETS, MAX_NAME_CHARS,
};
use crate::edit::Edit;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What the advisor needs to know about one function.
#[derive(Debug, Clone, Copy)]
pub struct FunctionNetView<'a> {
    pub name: &'a str,
    /// `None`: Lambda-managed networking.
    pub vpc: Option<&'a FunctionVpc>,
    pub destinations: &'a [Destination],
    /// Calls to each destination per month (one per invocation), for savings estimates.
    pub calls_per_month: f64,
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Costs or habits worth knowing.
    Info,
    /// Works today, but fragile or wasteful.
    Warning,
    /// Calls fail, now or intermittently.
    Error,
}

/// An element a finding is about, by kind and name (what the UI highlights).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum ElementRef {
    Function(String),
    Subnet(String),
    RouteTable(String),
    NatGateway(String),
    InternetGateway(String),
    Az(String),
    SecurityGroup(String),
    /// An interface endpoint, by service.
    InterfaceEndpoint(String),
    Resource(String),
    Destination(String),
}

/// One piece of advice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Kind of problem, stable: "function-in-public-subnet", "mixed-public-private-subnets",
    /// "single-az", "no-internet-path", "security-group-blocks-egress",
    /// "endpoint-private-dns-off", "s3-or-dynamodb-through-nat", "vpc-without-private-resources",
    /// "private-resource-needs-vpc", "nat-in-private-subnet", "no-internet-gateway",
    /// "nat-serves-several-azs".
    pub id: &'static str,
    /// `id` plus the names it is about, e.g. "single-az:orders-api": identifies the finding
    /// across edits.
    pub key: String,
    pub severity: Severity,
    /// The subject first, then the other elements involved.
    pub elements: Vec<ElementRef>,
    pub title: String,
    pub why: String,
    /// The edit that fixes it, made like any other ([`crate::edit::apply`]).
    pub fix: Option<Edit>,
    /// What the fix saves per month, where it is a cost finding.
    pub monthly_saving_usd: Option<f64>,
}

// One edit as itself, several as steps.
fn steps(mut edits: Vec<Edit>) -> Option<Edit> {
    match edits.len() {
        0 => None,
        1 => edits.pop(),
        _ => Some(Edit::Steps { steps: edits }),
    }
}

/// [`advise_with_prices`] at the default (us-east-1) prices.
pub fn advise(vpc: Option<&Vpc>, functions: &[FunctionNetView]) -> Vec<Finding> {
    advise_with_prices(vpc, functions, &NetworkPrices::default())
}

/// All findings for a scenario's network, errors first, otherwise in a fixed order (functions
/// in the order given, then the VPC's own elements).
pub fn advise_with_prices(
    vpc: Option<&Vpc>,
    functions: &[FunctionNetView],
    prices: &NetworkPrices,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut dns_off: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in functions {
        match (f.vpc, vpc) {
            (None, Some(v)) => needs_vpc(v, f, &mut out),
            (Some(config), Some(v)) => Advisor { vpc: v, f, config, prices }.run(&mut out, &mut dns_off),
            // No VPC and no VPC config: nothing network-shaped to advise. A VPC config without
            // a VPC is refused by validation.
            _ => {}
        }
    }
    if let Some(v) = vpc {
        private_dns_off(dns_off, &mut out);
        nat_in_private_subnet(v, &mut out);
        missing_internet_gateway(v, &mut out);
        nat_serves_several_azs(v, &mut out);
    }
    crate::size::order::sort_by_key(&mut out, |f| std::cmp::Reverse(f.severity));
    out
}

fn sane(x: f64) -> f64 {
    if x.is_finite() && x > 0.0 {
        x
    } else {
        0.0
    }
}

fn names(vpc: &Vpc, ids: &[SubnetId]) -> Vec<String> {
    ids.iter().map(|s| vpc.subnet_name(*s).to_string()).collect()
}

fn quoted_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn reach_from(vpc: &Vpc, sgs: &[SgId], subnet: SubnetId, d: &Destination) -> Reach {
    let config = FunctionVpc { subnets: vec![subnet], security_groups: sgs.to_vec() };
    reach(vpc, &NetworkHealth::healthy(), Some((&config, subnet)), d)
}

// Every destination reachable from `subnet` with these security groups.
fn serves_all(vpc: &Vpc, sgs: &[SgId], subnet: SubnetId, dests: &[Destination]) -> bool {
    dests.iter().all(|d| reach_from(vpc, sgs, subnet, d).is_reachable())
}

// Private subnets, the ones from which every destination works first.
fn private_candidates(vpc: &Vpc, sgs: &[SgId], dests: &[Destination]) -> Vec<SubnetId> {
    let private: Vec<SubnetId> = vpc.subnets().map(|(id, _)| id).filter(|s| !vpc.is_public(*s)).collect();
    let good: Vec<SubnetId> = private.iter().copied().filter(|s| serves_all(vpc, sgs, *s, dests)).collect();
    let mut chosen = if good.is_empty() { private } else { good };
    chosen.truncate(MAX_FUNCTION_SUBNETS);
    chosen
}

// A NAT gateway that works: in a public subnet. The one in `az` first.
fn working_nat(vpc: &Vpc, az: Option<AzId>) -> Option<NatId> {
    let working: Vec<NatId> =
        vpc.nat_gateways().filter(|(_, n)| vpc.is_public(n.subnet)).map(|(id, _)| id).collect();
    working.iter().copied().find(|n| vpc.nat_az(*n) == az).or(working.first().copied())
}

// A public subnet, the one in `az` first.
fn public_subnet(vpc: &Vpc, az: Option<AzId>) -> Option<SubnetId> {
    let public: Vec<SubnetId> = vpc.subnets().map(|(id, _)| id).filter(|s| vpc.is_public(*s)).collect();
    public.iter().copied().find(|s| vpc.subnet_az(*s) == az).or(public.first().copied())
}

// `base`, or `base-2`, `base-3`, ... whichever is free, within the name length limit.
fn unique_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let base: String = base.chars().take(MAX_NAME_CHARS - 6).collect();
    if !taken(&base) {
        return base;
    }
    (2..10_000).map(|i| format!("{base}-{i}")).find(|n| !taken(n)).unwrap_or(base)
}

struct Advisor<'a> {
    vpc: &'a Vpc,
    f: &'a FunctionNetView<'a>,
    config: &'a FunctionVpc,
    prices: &'a NetworkPrices,
}

impl Advisor<'_> {
    fn run(&self, out: &mut Vec<Finding>, dns_off: &mut BTreeMap<String, BTreeSet<String>>) {
        let vpc = self.vpc;
        // Reachability of every destination from every subnet of the function, healthy network.
        let matrix: Vec<(SubnetId, Vec<Reach>)> = self
            .config
            .subnets
            .iter()
            .map(|s| {
                let row = self
                    .f
                    .destinations
                    .iter()
                    .map(|d| reach(vpc, &NetworkHealth::healthy(), Some((self.config, *s)), d))
                    .collect();
                (*s, row)
            })
            .collect();
        self.public_subnets(&matrix, out);
        self.single_az(out);
        self.no_internet_path(&matrix, out);
        self.egress_denied(&matrix, out);
        for (_, row) in &matrix {
            for (d, r) in self.f.destinations.iter().zip(row) {
                if r.code() == Some(UnreachableCode::EndpointWithoutPrivateDns) {
                    if let Target::AwsService { service } = &d.target {
                        dns_off.entry(service.clone()).or_default().insert(self.f.name.to_string());
                    }
                }
            }
        }
        self.storage_through_nat(&matrix, out);
        self.vpc_not_needed(&matrix, out);
    }

    fn function_ref(&self) -> ElementRef {
        ElementRef::Function(self.f.name.to_string())
    }

    fn public_subnets(&self, matrix: &[(SubnetId, Vec<Reach>)], out: &mut Vec<Finding>) {
        let vpc = self.vpc;
        let fname = self.f.name;
        let (public, private): (Vec<SubnetId>, Vec<SubnetId>) =
            self.config.subnets.iter().partition(|s| vpc.is_public(**s));
        if public.is_empty() {
            return;
        }
        let failing: BTreeSet<String> = crate::size::order::set_of(
            matrix
                .iter()
                .filter(|(s, _)| public.contains(s))
                .flat_map(|(_, row)| self.f.destinations.iter().zip(row))
                .filter(|(_, r)| !r.is_reachable())
                .map(|(d, _)| d.name.clone()),
        );
        let failing: Vec<String> = failing.into_iter().collect();
        let severity = if failing.is_empty() { Severity::Warning } else { Severity::Error };
        let public_names = names(vpc, &public);
        let mut elements = vec![self.function_ref()];
        elements.extend(public_names.iter().cloned().map(ElementRef::Subnet));
        let no_public_ip = "a Lambda network interface never has a public IP, so the public subnet's default route to the internet gateway drops its packets at the gateway";
        if !private.is_empty() {
            let private_names = names(vpc, &private);
            let consequence = if failing.is_empty() {
                "Today every destination works from both kinds, but the public subnets give Lambda nothing and break the first internet call the function makes.".to_string()
            } else {
                format!(
                    "Environments in {} reach {}; those in {} cannot: {no_public_ip}. The function may succeed 5 times in a row on a warm environment in a private subnet, then time out on a cold start that landed in a public one.",
                    quoted_list(&private_names),
                    quoted_list(&failing),
                    quoted_list(&public_names)
                )
            };
            out.push(Finding {
                id: "mixed-public-private-subnets",
                key: format!("mixed-public-private-subnets:{fname}"),
                severity,
                elements,
                title: format!("{fname} mixes public and private subnets"),
                why: format!(
                    "{fname} is attached to private {} and public {}. Lambda puts each new execution environment in any one of them, and a warm environment keeps its subnet. {consequence}",
                    quoted_list(&private_names),
                    quoted_list(&public_names)
                ),
                fix: Some(Edit::SetFunctionSubnets {
                    function: fname.to_string(),
                    subnets: private_names,
                }),
                monthly_saving_usd: None,
            });
        } else {
            let candidates = private_candidates(vpc, &self.config.security_groups, self.f.destinations);
            let fix = (!candidates.is_empty()).then(|| Edit::SetFunctionSubnets {
                function: fname.to_string(),
                subnets: names(vpc, &candidates),
            });
            let consequence = if failing.is_empty() {
                "It reaches its destinations today only because none of them is outside the VPC.".to_string()
            } else {
                format!("So {} cannot be reached.", quoted_list(&failing))
            };
            let instead = if fix.is_some() {
                " Attach it to private subnets instead, with a default route to a NAT gateway in a public subnet if it needs the internet."
            } else {
                " The VPC has no private subnet: add one whose route table points to a NAT gateway in a public subnet."
            };
            out.push(Finding {
                id: "function-in-public-subnet",
                key: format!("function-in-public-subnet:{fname}"),
                severity,
                elements,
                title: format!("{fname} is in a public subnet"),
                why: format!(
                    "{fname} is attached only to public {}: {no_public_ip}. {consequence}{instead}",
                    quoted_list(&public_names)
                ),
                fix,
                monthly_saving_usd: None,
            });
        }
    }

    fn single_az(&self, out: &mut Vec<Finding>) {
        let vpc = self.vpc;
        let fname = self.f.name;
        let azs: BTreeSet<AzId> =
            crate::size::order::set_of(self.config.subnets.iter().filter_map(|s| vpc.subnet_az(*s)));
        let [az] = azs.into_iter().collect::<Vec<_>>()[..] else { return };
        // One more subnet per other AZ: private, and serving every destination if possible.
        let sgs = &self.config.security_groups;
        let mut added = Vec::new();
        for (other, _) in vpc.azs().filter(|(a, _)| *a != az) {
            let in_az: Vec<SubnetId> = vpc
                .subnets()
                .map(|(id, _)| id)
                .filter(|s| vpc.subnet_az(*s) == Some(other) && !vpc.is_public(*s))
                .collect();
            let pick = in_az
                .iter()
                .copied()
                .find(|s| serves_all(vpc, sgs, *s, self.f.destinations))
                .or(in_az.first().copied());
            added.extend(pick);
        }
        let fix = (!added.is_empty()).then(|| {
            let mut subnets = self.config.subnets.clone();
            subnets.truncate(MAX_FUNCTION_SUBNETS - 1);
            subnets.extend(added.iter().copied().take(MAX_FUNCTION_SUBNETS - subnets.len()));
            Edit::SetFunctionSubnets { function: fname.to_string(), subnets: names(vpc, &subnets) }
        });
        let az_name = vpc.az_name(az).to_string();
        let instead = if fix.is_some() {
            "Add a private subnet in another AZ, as AWS recommends for high availability."
        } else {
            "The VPC has no usable private subnet in another AZ: add one, with its own route to a NAT gateway in its AZ if the function needs the internet."
        };
        out.push(Finding {
            id: "single-az",
            key: format!("single-az:{fname}"),
            severity: Severity::Warning,
            elements: vec![self.function_ref(), ElementRef::Az(az_name.clone())],
            title: format!("{fname} runs in one availability zone"),
            why: format!(
                "Every subnet of {fname} is in {az_name}: an outage of that AZ stops the function entirely. {instead}"
            ),
            fix,
            monthly_saving_usd: None,
        });
    }

    fn no_internet_path(&self, matrix: &[(SubnetId, Vec<Reach>)], out: &mut Vec<Finding>) {
        let vpc = self.vpc;
        let fname = self.f.name;
        // route table -> (its subnets used by the function, failing destination positions)
        let mut by_rt: BTreeMap<RouteTableId, (Vec<SubnetId>, BTreeSet<usize>)> = BTreeMap::new();
        for (s, row) in matrix {
            let Some(rt) = vpc.subnet(*s).map(|x| x.route_table) else { continue };
            for (i, r) in row.iter().enumerate() {
                if matches!(r.code(), Some(UnreachableCode::NoRoute | UnreachableCode::NoEndpointOrNat)) {
                    let entry = by_rt.entry(rt).or_default();
                    if !entry.0.contains(s) {
                        entry.0.push(*s);
                    }
                    entry.1.insert(i);
                }
            }
        }
        for (rt, (subnets, failing)) in by_rt {
            let rt_name = vpc.route_table_name(rt).to_string();
            let dests: Vec<&Destination> =
                failing.iter().filter_map(|i| self.f.destinations.get(*i)).collect();
            let services: BTreeSet<GatewayService> =
                crate::size::order::set_of(dests.iter().filter_map(|d| d.target.gateway_service()));
            let only_gateway = dests.iter().all(|d| d.target.gateway_service().is_some());
            let az = subnets.first().and_then(|s| vpc.subnet_az(*s));
            let fix = if only_gateway {
                steps(
                    services
                        .iter()
                        .map(|g| Edit::AddGatewayEndpoint { route_table: rt_name.clone(), service: *g })
                        .collect(),
                )
            } else if let Some(nat) = working_nat(vpc, az) {
                Some(Edit::SetDefaultRoute {
                    route_table: rt_name.clone(),
                    target: DefaultRoute::NatGateway(vpc.nat_name(nat).to_string()),
                })
            } else if let Some(public) = public_subnet(vpc, az) {
                let az_name = vpc.subnet_az(public).map_or("", |a| vpc.az_name(a));
                let name = unique_name(&format!("nat-{az_name}"), |n| vpc.nat_by_name(n).is_some());
                steps(vec![
                    Edit::AddNatGateway { name: name.clone(), subnet: vpc.subnet_name(public).to_string() },
                    Edit::SetDefaultRoute {
                        route_table: rt_name.clone(),
                        target: DefaultRoute::NatGateway(name),
                    },
                ])
            } else {
                None
            };
            let dest_names: Vec<String> = dests.iter().map(|d| d.name.clone()).collect();
            let subnet_names = names(vpc, &subnets);
            let advice = if only_gateway {
                "A gateway endpoint for S3 and DynamoDB is free and needs no NAT gateway."
            } else {
                "The way out of a private subnet is a default route to a NAT gateway in a public subnet (and an attached internet gateway); for AWS services, VPC endpoints also work."
            };
            let mut elements = vec![self.function_ref(), ElementRef::RouteTable(rt_name.clone())];
            elements.extend(subnet_names.iter().cloned().map(ElementRef::Subnet));
            elements.extend(dest_names.iter().cloned().map(ElementRef::Destination));
            out.push(Finding {
                id: "no-internet-path",
                key: format!("no-internet-path:{fname}:{rt_name}"),
                severity: Severity::Error,
                elements,
                title: format!("{fname} has no way out of {}", quoted_list(&subnet_names)),
                why: format!(
                    "{fname} calls {} from {}, whose route table {rt_name} has no default route: those calls time out. {advice}",
                    quoted_list(&dest_names),
                    quoted_list(&subnet_names)
                ),
                fix,
                monthly_saving_usd: None,
            });
        }
    }

    fn egress_denied(&self, matrix: &[(SubnetId, Vec<Reach>)], out: &mut Vec<Finding>) {
        let vpc = self.vpc;
        let fname = self.f.name;
        for (i, d) in self.f.destinations.iter().enumerate() {
            let denied = matrix.iter().any(|(_, row)| {
                row.get(i).and_then(Reach::code) == Some(UnreachableCode::SecurityGroupEgressDenied)
            });
            if !denied {
                continue;
            }
            let to = match &d.target {
                Target::Resource(r) => match vpc.resource(*r) {
                    Some(res) => match res.security_groups.first() {
                        Some(g) => format!("sg:{}", vpc.sg_name(*g)),
                        None => vpc.subnet(res.subnet).map_or(vpc.cidr, |s| s.cidr).to_string(),
                    },
                    None => vpc.cidr.to_string(),
                },
                Target::AwsService { service }
                    if vpc
                        .endpoint_for(service)
                        .and_then(|e| vpc.interface_endpoint(e))
                        .is_some_and(|e| e.private_dns) =>
                {
                    vpc.cidr.to_string()
                }
                _ => "0.0.0.0/0".to_string(),
            };
            let sg = self.config.security_groups.first().map(|g| vpc.sg_name(*g).to_string());
            let fix = sg.clone().map(|security_group| Edit::AddEgressRule {
                security_group,
                rule: EgressRule { to: to.clone(), ports: Some((d.port, d.port)) },
            });
            let groups: Vec<String> =
                self.config.security_groups.iter().map(|g| vpc.sg_name(*g).to_string()).collect();
            let mut elements = vec![self.function_ref(), ElementRef::Destination(d.name.clone())];
            elements.extend(groups.iter().cloned().map(ElementRef::SecurityGroup));
            out.push(Finding {
                id: "security-group-blocks-egress",
                key: format!("security-group-blocks-egress:{fname}:{}", d.name),
                severity: Severity::Error,
                elements,
                title: format!("Security groups of {fname} block {}", d.name),
                why: format!(
                    "No egress rule of {} allows TCP port {} to {} ({to}), so the function's calls to it are dropped at its own network interface.",
                    quoted_list(&groups),
                    d.port,
                    d.name
                ),
                fix,
                monthly_saving_usd: None,
            });
        }
    }

    fn storage_through_nat(&self, matrix: &[(SubnetId, Vec<Reach>)], out: &mut Vec<Finding>) {
        let vpc = self.vpc;
        let fname = self.f.name;
        let subnets = matrix.len().max(1) as f64;
        // service -> (route tables whose NAT carries it, bytes per month through a NAT)
        let mut by_service: BTreeMap<GatewayService, (BTreeSet<RouteTableId>, f64)> = BTreeMap::new();
        for (i, d) in self.f.destinations.iter().enumerate() {
            let Some(g) = d.target.gateway_service() else { continue };
            let via_nat: Vec<SubnetId> = matrix
                .iter()
                .filter(|(_, row)| {
                    matches!(row.get(i).and_then(Reach::charge), Some(PathCharge::NatGateway(_)))
                })
                .map(|(s, _)| *s)
                .collect();
            if via_nat.is_empty() {
                continue;
            }
            let entry = by_service.entry(g).or_default();
            entry.0.extend(via_nat.iter().filter_map(|s| vpc.subnet(*s).map(|x| x.route_table)));
            // Environments spread evenly over the function's subnets.
            entry.1 +=
                d.bytes_per_call as f64 * sane(self.f.calls_per_month) * via_nat.len() as f64 / subnets;
        }
        for (g, (rts, bytes)) in by_service {
            let saving = bytes / BYTES_PER_GB * sane(self.prices.nat_gateway_per_gb_usd);
            let rt_names: Vec<String> = rts.iter().map(|r| vpc.route_table_name(*r).to_string()).collect();
            let fix = steps(
                rt_names
                    .iter()
                    .map(|rt| Edit::AddGatewayEndpoint { route_table: rt.clone(), service: g })
                    .collect(),
            );
            let service = g.service();
            let mut elements = vec![self.function_ref()];
            elements.extend(rt_names.iter().cloned().map(ElementRef::RouteTable));
            out.push(Finding {
                id: "s3-or-dynamodb-through-nat",
                key: format!("s3-or-dynamodb-through-nat:{fname}:{service}"),
                severity: Severity::Warning,
                elements,
                title: format!("{fname} reaches {service} through a NAT gateway"),
                why: format!(
                    "Calls from {fname} to {service} leave through a NAT gateway, which bills ${}/GB processed (about {:.1} GB a month here). A gateway endpoint for {service} on {} carries the same traffic for free, and its route wins over the default route.",
                    sane(self.prices.nat_gateway_per_gb_usd),
                    bytes / BYTES_PER_GB,
                    quoted_list(&rt_names)
                ),
                fix,
                monthly_saving_usd: Some(saving),
            });
        }
    }

    fn vpc_not_needed(&self, matrix: &[(SubnetId, Vec<Reach>)], out: &mut Vec<Finding>) {
        let fname = self.f.name;
        if self.f.destinations.iter().any(|d| matches!(d.target, Target::Resource(_))) {
            return;
        }
        // What the function's traffic pays in the VPC (NAT and endpoint processing), averaged
        // over its subnets; Lambda-managed networking pays none of it.
        let subnets = matrix.len().max(1) as f64;
        let mut usd = 0.0;
        for (_, row) in matrix {
            for (d, r) in self.f.destinations.iter().zip(row) {
                let per_gb = match r.charge() {
                    Some(PathCharge::NatGateway(_)) => self.prices.nat_gateway_per_gb_usd,
                    Some(PathCharge::InterfaceEndpoint(_)) => self.prices.interface_endpoint_per_gb_usd,
                    _ => 0.0,
                };
                usd += d.bytes_per_call as f64 * sane(self.f.calls_per_month) / BYTES_PER_GB * sane(per_gb)
                    / subnets;
            }
        }
        out.push(Finding {
            id: "vpc-without-private-resources",
            key: format!("vpc-without-private-resources:{fname}"),
            severity: Severity::Info,
            elements: vec![self.function_ref()],
            title: format!("{fname} does not need the VPC"),
            why: format!(
                "{fname} reaches no private resource in the VPC. Without a VPC configuration it reaches the internet and AWS services directly, with no NAT gateway, endpoint or network interface to set up or pay for."
            ),
            fix: Some(Edit::RemoveFunctionVpc { function: fname.to_string() }),
            monthly_saving_usd: (usd > 0.0).then_some(usd),
        });
    }
}

// A function without VPC config that calls a private resource.
fn needs_vpc(vpc: &Vpc, f: &FunctionNetView, out: &mut Vec<Finding>) {
    let resources: Vec<&Destination> =
        f.destinations.iter().filter(|d| matches!(d.target, Target::Resource(_))).collect();
    if resources.is_empty() {
        return;
    }
    let sgs: Vec<SgId> = vpc.security_groups().map(|(id, _)| id).collect();
    // Prefer a security group and private subnets that serve every destination, else ones
    // that at least serve the private resources.
    let owned: Vec<Destination> = resources.iter().map(|d| (*d).clone()).collect();
    let pick = [f.destinations, &owned[..]].into_iter().find_map(|dests| {
        sgs.iter().find_map(|g| {
            let subnets: Vec<SubnetId> = vpc
                .subnets()
                .map(|(id, _)| id)
                .filter(|s| !vpc.is_public(*s) && serves_all(vpc, &[*g], *s, dests))
                .take(MAX_FUNCTION_SUBNETS)
                .collect();
            (!subnets.is_empty()).then_some((*g, subnets))
        })
    });
    let fix = pick.map(|(g, subnets)| Edit::SetFunctionVpc {
        function: f.name.to_string(),
        subnets: names(vpc, &subnets),
        security_groups: vec![vpc.sg_name(g).to_string()],
    });
    let res_names: Vec<String> = resources.iter().map(|d| d.name.clone()).collect();
    let mut elements = vec![ElementRef::Function(f.name.to_string())];
    elements.extend(res_names.iter().cloned().map(ElementRef::Destination));
    out.push(Finding {
        id: "private-resource-needs-vpc",
        key: format!("private-resource-needs-vpc:{}", f.name),
        severity: Severity::Error,
        elements,
        title: format!("{} cannot reach {}", f.name, quoted_list(&res_names)),
        why: format!(
            "{} uses Lambda-managed networking, which has no way into a VPC, so calls to {} fail. Connect it to private subnets of the VPC with a security group that allows the resource's port.",
            f.name,
            quoted_list(&res_names)
        ),
        fix,
        monthly_saving_usd: None,
    });
}

fn private_dns_off(dns_off: BTreeMap<String, BTreeSet<String>>, out: &mut Vec<Finding>) {
    for (service, functions) in dns_off {
        let fns: Vec<String> = functions.into_iter().collect();
        let mut elements = vec![ElementRef::InterfaceEndpoint(service.clone())];
        elements.extend(fns.iter().cloned().map(ElementRef::Function));
        out.push(Finding {
            id: "endpoint-private-dns-off",
            key: format!("endpoint-private-dns-off:{service}"),
            severity: Severity::Error,
            elements,
            title: format!("The {service} endpoint has private DNS off"),
            why: format!(
                "With private DNS off, the SDK's default name for {service} resolves to the public endpoint, so {} still need a way to the internet and fail without one. Turn private DNS on to send those calls through the endpoint.",
                quoted_list(&fns)
            ),
            fix: Some(Edit::SetPrivateDns { service, enabled: true }),
            monthly_saving_usd: None,
        });
    }
}

fn nat_in_private_subnet(vpc: &Vpc, out: &mut Vec<Finding>) {
    for (id, nat) in vpc.nat_gateways() {
        let Some(subnet) = vpc.subnet(nat.subnet) else { continue };
        let Some(rt) = vpc.route_table(subnet.route_table) else { continue };
        if rt.default_route == DefaultTarget::InternetGateway {
            // Public, or missing/detached gateway: that is "no-internet-gateway".
            continue;
        }
        let used = vpc.route_tables().any(|(_, r)| r.default_route == DefaultTarget::NatGateway(id));
        let target = public_subnet(vpc, Some(subnet.az));
        let fix = target
            .map(|s| Edit::MoveNatGateway { name: nat.name.clone(), subnet: vpc.subnet_name(s).to_string() });
        let route = match rt.default_route {
            DefaultTarget::NatGateway(n) => format!("its default route points to {}", vpc.nat_name(n)),
            _ => "it has no default route".into(),
        };
        out.push(Finding {
            id: "nat-in-private-subnet",
            key: format!("nat-in-private-subnet:{}", nat.name),
            severity: if used { Severity::Error } else { Severity::Warning },
            elements: vec![
                ElementRef::NatGateway(nat.name.clone()),
                ElementRef::Subnet(subnet.name.clone()),
                ElementRef::RouteTable(rt.name.clone()),
            ],
            title: format!("NAT gateway {} is in a private subnet", nat.name),
            why: format!(
                "{} is in {}, whose route table {} has no route to an internet gateway ({route}). A NAT gateway translates private addresses to its own public one and sends the packets on to the internet gateway, so it must sit in a public subnet: every internet call routed to it fails.",
                nat.name, subnet.name, rt.name
            ),
            fix,
            monthly_saving_usd: None,
        });
    }
}

fn missing_internet_gateway(vpc: &Vpc, out: &mut Vec<Finding>) {
    if vpc.igw_attached() {
        return;
    }
    let rts: Vec<String> = vpc
        .route_tables()
        .filter(|(_, r)| r.default_route == DefaultTarget::InternetGateway)
        .map(|(_, r)| r.name.clone())
        .collect();
    if rts.is_empty() {
        return;
    }
    let (name, state, fix) = match vpc.internet_gateway() {
        Some(g) => (g.name.clone(), "is detached from the VPC", Edit::AttachInternetGateway),
        None => ("igw".to_string(), "does not exist", Edit::AddInternetGateway { name: "igw".into() }),
    };
    let mut elements = vec![ElementRef::InternetGateway(name.clone())];
    elements.extend(rts.iter().cloned().map(ElementRef::RouteTable));
    out.push(Finding {
        id: "no-internet-gateway",
        key: "no-internet-gateway".into(),
        severity: Severity::Error,
        elements,
        title: "The internet gateway is missing".into(),
        why: format!(
            "{} send 0.0.0.0/0 to the internet gateway, which {state}: those routes are blackholes, and NAT gateways behind them cannot reach the internet either.",
            quoted_list(&rts)
        ),
        fix: Some(fix),
        monthly_saving_usd: None,
    });
}

fn nat_serves_several_azs(vpc: &Vpc, out: &mut Vec<Finding>) {
    let mut taken_nats: BTreeSet<String> =
        crate::size::order::set_of(vpc.nat_gateways().map(|(_, n)| n.name.clone()));
    let mut taken_rts: BTreeSet<String> =
        crate::size::order::set_of(vpc.route_tables().map(|(_, r)| r.name.clone()));
    for (nat_id, nat) in vpc.nat_gateways() {
        let Some(nat_az) = vpc.nat_az(nat_id) else { continue };
        // Route tables that send 0.0.0.0/0 to this NAT, with their subnets by AZ.
        let mut rts: BTreeMap<RouteTableId, BTreeMap<AzId, Vec<SubnetId>>> = BTreeMap::new();
        for (sid, s) in vpc.subnets() {
            let routed = vpc
                .route_table(s.route_table)
                .is_some_and(|r| r.default_route == DefaultTarget::NatGateway(nat_id));
            if routed {
                rts.entry(s.route_table).or_default().entry(s.az).or_default().push(sid);
            }
        }
        let foreign: Vec<SubnetId> = rts
            .values()
            .flat_map(|by_az| by_az.iter().filter(|(a, _)| **a != nat_az).flat_map(|(_, s)| s))
            .copied()
            .collect();
        if foreign.is_empty() {
            continue;
        }
        let other_azs: BTreeSet<AzId> =
            crate::size::order::set_of(foreign.iter().filter_map(|s| vpc.subnet_az(*s)));

        // The fix: a NAT gateway per other AZ (an existing working one if there is), and each
        // route table pointing to the NAT of its AZ, split per AZ where it serves several.
        let mut actions = Vec::new();
        let mut nat_of: BTreeMap<AzId, String> = BTreeMap::new();
        let mut possible = true;
        for az in &other_azs {
            let existing = working_nat(vpc, Some(*az)).filter(|n| vpc.nat_az(*n) == Some(*az));
            if let Some(n) = existing {
                nat_of.insert(*az, vpc.nat_name(n).to_string());
                continue;
            }
            let Some(public) = public_subnet(vpc, Some(*az)).filter(|s| vpc.subnet_az(*s) == Some(*az))
            else {
                possible = false;
                break;
            };
            let name = unique_name(&format!("nat-{}", vpc.az_name(*az)), |n| taken_nats.contains(n));
            taken_nats.insert(name.clone());
            actions.push(Edit::AddNatGateway {
                name: name.clone(),
                subnet: vpc.subnet_name(public).to_string(),
            });
            nat_of.insert(*az, name);
        }
        if possible {
            for (rt_id, by_az) in &rts {
                let Some(rt) = vpc.route_table(*rt_id) else { continue };
                let spans_nat_az = by_az.contains_key(&nat_az);
                let foreign_azs: Vec<&AzId> = by_az.keys().filter(|a| **a != nat_az).collect();
                match foreign_azs.as_slice() {
                    [] => {}
                    [only] if !spans_nat_az => {
                        if let Some(target) = nat_of.get(only) {
                            actions.push(Edit::SetDefaultRoute {
                                route_table: rt.name.clone(),
                                target: DefaultRoute::NatGateway(target.clone()),
                            });
                        }
                    }
                    several => {
                        for az in several {
                            let Some(target) = nat_of.get(az) else { continue };
                            let name = unique_name(&format!("{}-{}", rt.name, vpc.az_name(**az)), |n| {
                                taken_rts.contains(n)
                            });
                            taken_rts.insert(name.clone());
                            actions.push(Edit::AddRouteTable {
                                name: name.clone(),
                                default_route: DefaultRoute::NatGateway(target.clone()),
                            });
                            actions.extend(rt.gateway_endpoints.iter().map(|g| Edit::AddGatewayEndpoint {
                                route_table: name.clone(),
                                service: *g,
                            }));
                            for s in by_az.get(az).into_iter().flatten() {
                                actions.push(Edit::SetSubnetRouteTable {
                                    subnet: vpc.subnet_name(*s).to_string(),
                                    route_table: name.clone(),
                                });
                            }
                        }
                    }
                }
            }
        }
        let fix = if possible { steps(actions) } else { None };
        let foreign_names = names(vpc, &foreign);
        let az_name = vpc.az_name(nat_az);
        let mut elements = vec![ElementRef::NatGateway(nat.name.clone())];
        elements.extend(foreign_names.iter().cloned().map(ElementRef::Subnet));
        out.push(Finding {
            id: "nat-serves-several-azs",
            key: format!("nat-serves-several-azs:{}", nat.name),
            severity: Severity::Warning,
            elements,
            title: format!("NAT gateway {} serves several availability zones", nat.name),
            why: format!(
                "{} is in {az_name} but {} in other AZs route to it: if {az_name} goes down they lose the internet too, and their traffic pays cross-AZ data transfer on top of NAT processing. Give each AZ its own NAT gateway and route table.",
                nat.name,
                quoted_list(&foreign_names)
            ),
            fix,
            monthly_saving_usd: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names() {
        assert_eq!(unique_name("nat", |n| n == "nat" || n == "nat-2"), "nat-3");
        let long = "x".repeat(100);
        assert!(unique_name(&long, |_| false).chars().count() <= MAX_NAME_CHARS);
    }
}
