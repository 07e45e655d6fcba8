//! The human text of edits: each edit's label (the undo menu, a live change's narrative, the
//! advisor's fix buttons), and how names, numbers and durations are shown in labels and
//! messages (bounded, control characters replaced: names are free text).

use super::{ComputeMode, Edit, MAX_LABEL_CHARS};
use crate::dist::DistSpec;
use crate::network::{DefaultRoute, EgressRule};
use crate::scenario::{InvocationType, LifetimeSpec, Placement, ScalingModel};
use crate::time::{format_duration, DurationSpec};
use crate::traffic::TrafficSpec;

// At most `max` characters, with an ellipsis when cut.
pub(super) fn bounded(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

// A name as shown in labels and messages: bounded, control characters replaced.
pub(super) fn shown(name: &str) -> String {
    let clean: String = name.chars().map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect();
    bounded(&clean, 40)
}

pub(super) fn quoted(name: &str) -> String {
    format!("'{}'", shown(name))
}

// A few names, then how many more.
pub(super) fn shown_list(names: &[String]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    let mut parts: Vec<String> = names.iter().take(4).map(|n| shown(n)).collect();
    if names.len() > 4 {
        parts.push(format!("{} more", names.len() - 4));
    }
    parts.join(", ")
}

/// A number as labels and fields show it: at most three decimals, no trailing zeros.
pub(crate) fn number(x: f64) -> String {
    if x.is_finite() && x.abs() < 1e15 {
        let r = (x * 1000.0).round() / 1000.0;
        format!("{r}")
    } else {
        format!("{x}")
    }
}

fn duration_text(d: &DurationSpec) -> String {
    if d.is_valid() {
        format_duration(d.micros())
    } else {
        "an invalid duration".into()
    }
}

fn lifetime_text(l: &LifetimeSpec) -> String {
    match l {
        LifetimeSpec::Fixed(d) => duration_text(d),
        LifetimeSpec::Range { min, max } => format!("{}–{}", duration_text(min), duration_text(max)),
    }
}

fn dist_text(d: &DistSpec) -> String {
    match d {
        DistSpec::Constant { ms } => format!("{} ms", number(*ms)),
        DistSpec::Uniform { min_ms, max_ms } => format!("{}–{} ms", number(*min_ms), number(*max_ms)),
        DistSpec::Exponential { mean_ms } => format!("exponential, mean {} ms", number(*mean_ms)),
        DistSpec::Normal { mean_ms, .. } => format!("normal, mean {} ms", number(*mean_ms)),
        DistSpec::Lognormal { mean_ms, .. } => format!("lognormal, mean {} ms", number(*mean_ms)),
        DistSpec::Empirical { samples_ms } => format!("{} measured samples", samples_ms.len()),
    }
}

fn traffic_text(t: &TrafficSpec) -> String {
    match t {
        TrafficSpec::None {} => "none".into(),
        TrafficSpec::Constant { rate, .. } => format!("{}/s", number(*rate)),
        TrafficSpec::Step { rate, steps, .. } => format!("{}/s with {} steps", number(*rate), steps.len()),
        TrafficSpec::Ramp { from, to, .. } => format!("a ramp from {}/s to {}/s", number(*from), number(*to)),
        TrafficSpec::Sine { mean, .. } => format!("a wave around {}/s", number(*mean)),
        TrafficSpec::Bursts { burst_rate, every, .. } => {
            format!("bursts of {}/s every {}", number(*burst_rate), duration_text(every))
        }
        TrafficSpec::Points { points, csv: Some(_), .. } if points.is_empty() => "a CSV curve".into(),
        TrafficSpec::Points { points, .. } => format!("a curve of {} points", points.len()),
    }
}

fn route_text(r: &DefaultRoute) -> String {
    match r {
        DefaultRoute::None => "nowhere".into(),
        DefaultRoute::InternetGateway => "the internet gateway".into(),
        DefaultRoute::NatGateway(n) => shown(n),
    }
}

// "Function 'x' ..." with a list of who uses something.
pub(super) fn users_text(users: &[String]) -> String {
    match users {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let head: Vec<&String> = init.iter().take(4).collect();
            let more = init.len().saturating_sub(4);
            let mut s = head.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", ");
            if more > 0 {
                s.push_str(&format!(", {more} more"));
            }
            format!("{s} and {last}")
        }
    }
}

// "port 443", "ports 1024-2048", "all ports".
fn ports_text(rule: &EgressRule) -> String {
    match rule.ports {
        None => "all ports".to_string(),
        Some((lo, hi)) if lo == hi => format!("port {lo}"),
        Some((lo, hi)) => format!("ports {lo}-{hi}"),
    }
}

impl Edit {
    /// The edit in plain words, for the undo menu, the narrative of a live change and the
    /// advisor's fix buttons ("add NAT gateway nat-b in public-b", "set reserved concurrency of
    /// payments to 950"; steps joined by "; then "). At most [`MAX_LABEL_CHARS`] characters;
    /// names are shortened and control characters replaced.
    pub fn label(&self) -> String {
        let text = match self {
            Edit::Steps { steps } if steps.is_empty() => "change nothing".to_string(),
            Edit::Steps { steps } => steps.iter().map(Edit::label).collect::<Vec<_>>().join("; then "),
            e => e
                .account_or_function_text()
                .or_else(|| e.compute_text())
                .or_else(|| e.network_text())
                .unwrap_or_default(),
        };
        let clean: String = text.chars().map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect();
        bounded(&clean, MAX_LABEL_CHARS)
    }

    /// Why a run cannot take this edit, if so: it renames or removes AZs or subnets, which
    /// running environments sit in, or it changes a function's compute mode or the settings of
    /// Web Functions or Managed Instances, which its environments were started with (the
    /// simulation does not switch them mid-run).
    pub fn live_refusal(&self) -> Option<String> {
        use Edit::*;
        const IN_IT: &str = "environments are running in it";
        const STARTED: &str = "its environments were started with them";
        let (what, why) = match self {
            RenameAz { from, .. } => (format!("renaming availability zone {}", quoted(from)), IN_IT),
            RemoveAz { name } => (format!("removing availability zone {}", quoted(name)), IN_IT),
            RenameSubnet { from, .. } => (format!("renaming subnet {}", quoted(from)), IN_IT),
            RemoveSubnet { name } => (format!("removing subnet {}", quoted(name)), IN_IT),
            SetComputeMode { function, .. } => (
                format!("switching the compute mode of {}", quoted(function)),
                "its environments were started in the mode it has",
            ),
            SetWebConcurrency { function, .. }
            | SetWebMaxEnvironments { function, .. }
            | SetWebRateLimit { function, .. } => {
                (format!("changing the Web Functions settings of {}", quoted(function)), STARTED)
            }
            SetManagedInstancesConcurrency { function, .. }
            | SetManagedInstancesMaxVcpus { function, .. }
            | SetManagedInstancesTargetUtilization { function, .. } => {
                (format!("changing the Managed Instances settings of {}", quoted(function)), STARTED)
            }
            Steps { steps } => return steps.iter().find_map(Edit::live_refusal),
            _ => return None,
        };
        Some(format!("{what} cannot happen during a run ({why}): make this edit at time 0, before playing"))
    }

    /// Whether the edit renames an AZ or a subnet (then it is made again in every version of
    /// the scenario its live changes give, which may refer to the old name).
    pub(super) fn renames(&self) -> bool {
        match self {
            Edit::RenameAz { .. } | Edit::RenameSubnet { .. } => true,
            Edit::Steps { steps } => steps.iter().any(Edit::renames),
            _ => false,
        }
    }

    // The label of an edit of the account or of a function.
    fn account_or_function_text(&self) -> Option<String> {
        use Edit::*;
        let s = shown;
        Some(match self {
            SetRegion { region } => format!("set the Region to {}", s(region)),
            SetConcurrencyLimit { limit } => format!("set the account concurrency limit to {limit}"),
            SetScalingModel { model } => match model {
                ScalingModel::Legacy => "switch to the legacy scaling model".into(),
                ScalingModel::Current => "switch to the current scaling model".into(),
            },
            SetReservedConcurrency { function, reserved: Some(r) } => {
                format!("set reserved concurrency of {} to {r}", s(function))
            }
            SetReservedConcurrency { function, reserved: None } => {
                format!("remove reserved concurrency of {}", s(function))
            }
            SetProvisionedConcurrency { function, initial: Some(n) } => {
                format!("set provisioned concurrency of {} to {n}", s(function))
            }
            SetProvisionedConcurrency { function, initial: None } => {
                format!("remove provisioned concurrency of {}", s(function))
            }
            SetTargetTracking { function, policy: Some(p) } => format!(
                "set target tracking of {} to {}% ({}–{})",
                s(function),
                number(p.target_value * 100.0),
                p.min_capacity,
                p.max_capacity
            ),
            SetTargetTracking { function, policy: None } => {
                format!("remove target tracking of {}", s(function))
            }
            AddScheduledAction { function, action } => {
                format!("add scheduled action {} to {}", s(&action.name), s(function))
            }
            RemoveScheduledAction { function, name } => {
                format!("remove scheduled action {} from {}", s(name), s(function))
            }
            SetMemory { function, memory_mb } => format!("set memory of {} to {memory_mb} MB", s(function)),
            SetTimeout { function, timeout } => {
                format!("set timeout of {} to {}", s(function), duration_text(timeout))
            }
            SetInitDuration { function, init } => {
                format!("set init duration of {} to {}", s(function), dist_text(init))
            }
            SetDuration { function, duration } => {
                format!("set duration of {} to {}", s(function), dist_text(duration))
            }
            SetIdleLifetime { function, idle_lifetime } => {
                format!("set idle lifetime of {} to {}", s(function), lifetime_text(idle_lifetime))
            }
            SetCpuBound { function, cpu_bound: Some(c) } => format!(
                "set CPU work of {} to {}% at {} MB",
                s(function),
                number(c.share * 100.0),
                c.at_memory_mb
            ),
            SetCpuBound { function, cpu_bound: None } => format!("remove CPU work of {}", s(function)),
            SetInvocationType { function, invocation } => match invocation {
                InvocationType::Sync => format!("invoke {} synchronously", s(function)),
                InvocationType::Async => format!("invoke {} asynchronously", s(function)),
            },
            SetErrorRate { function, error_rate } => {
                format!("set error rate of {} to {}%", s(function), number(error_rate * 100.0))
            }
            SetDestinations { function, destinations } => {
                let names: Vec<String> = destinations.iter().map(|d| d.name.clone()).collect();
                format!("set destinations of {} to {}", s(function), shown_list(&names))
            }
            SetTraffic { function, traffic } => {
                format!("set traffic of {} to {}", s(function), traffic_text(traffic))
            }
            SetTrafficCsv { function, .. } => format!("set traffic of {} from CSV", s(function)),
            SetFunctionSubnets { function, subnets } => {
                format!("set subnets of {} to {}", s(function), shown_list(subnets))
            }
            SetFunctionSecurityGroups { function, security_groups } => {
                format!("set security groups of {} to {}", s(function), shown_list(security_groups))
            }
            SetFunctionVpc { function, subnets, security_groups } => format!(
                "connect {} to the VPC (subnets {}; security groups {})",
                s(function),
                shown_list(subnets),
                shown_list(security_groups)
            ),
            RemoveFunctionVpc { function } => format!("remove the VPC configuration of {}", s(function)),
            SetPlacement { function, placement } => match placement {
                Placement::Random => format!("place new environments of {} at random", s(function)),
                Placement::RoundRobinAz => {
                    format!("place new environments of {} round-robin across AZs", s(function))
                }
            },
            _ => return None,
        })
    }

    // The label of an edit of a function's compute mode and its settings.
    fn compute_text(&self) -> Option<String> {
        use Edit::*;
        let s = shown;
        Some(match self {
            SetComputeMode { function, mode: ComputeMode::SnapStart, runtime: Some(r) } => {
                format!("switch {} to SnapStart ({})", s(function), r.label())
            }
            SetComputeMode { function, mode, .. } => format!("switch {} to {}", s(function), mode.label()),
            SetWebConcurrency { function, max_concurrency_per_environment: n }
            | SetManagedInstancesConcurrency { function, per_environment_max_concurrency: n } => {
                format!("set the concurrency per environment of {} to {n}", s(function))
            }
            SetWebMaxEnvironments { function, max_environments: Some(n) } => {
                format!("set the maximum environments of {} to {n}", s(function))
            }
            SetWebMaxEnvironments { function, max_environments: None } => {
                format!("remove the environment limit of {}", s(function))
            }
            SetWebRateLimit { function, rate_limit: Some(r) } => {
                format!("set the rate limit of {} to {} requests/s", s(function), number(*r))
            }
            SetWebRateLimit { function, rate_limit: None } => {
                format!("remove the rate limit of {}", s(function))
            }
            SetManagedInstancesMaxVcpus { function, max_vcpus } => {
                format!("set the capacity provider's maximum vCPUs of {} to {max_vcpus}", s(function))
            }
            SetManagedInstancesTargetUtilization { function, target_utilization } => format!(
                "set the target utilization of {} to {}%",
                s(function),
                number(target_utilization * 100.0)
            ),
            _ => return None,
        })
    }

    // The label of an edit of the VPC.
    fn network_text(&self) -> Option<String> {
        use Edit::*;
        let s = shown;
        Some(match self {
            AddVpc { name, cidr, .. } => format!("add VPC {} ({})", s(name), s(cidr)),
            AddAz { name } => format!("add availability zone {}", s(name)),
            RenameAz { from, to } => format!("rename availability zone {} to {}", s(from), s(to)),
            RemoveAz { name } => format!("remove availability zone {}", s(name)),
            AddSubnet { name, az, cidr, route_table } => {
                format!("add subnet {} in {} ({}, {})", s(name), s(az), s(cidr), s(route_table))
            }
            RenameSubnet { from, to } => format!("rename subnet {} to {}", s(from), s(to)),
            RemoveSubnet { name } => format!("remove subnet {}", s(name)),
            SetSubnetCidr { subnet, cidr } => format!("set the CIDR block of {} to {}", s(subnet), s(cidr)),
            SetSubnetRouteTable { subnet, route_table } => {
                format!("associate subnet {} with route table {}", s(subnet), s(route_table))
            }
            AddRouteTable { name, .. } => format!("add route table {}", s(name)),
            SetDefaultRoute { route_table, target } => {
                format!("point the default route of {} to {}", s(route_table), route_text(target))
            }
            AddGatewayEndpoint { route_table, service } => {
                format!("add gateway endpoint {} to {}", service.service(), s(route_table))
            }
            RemoveGatewayEndpoint { route_table, service } => {
                format!("remove gateway endpoint {} from {}", service.service(), s(route_table))
            }
            AddInternetGateway { name } => format!("add internet gateway {}", s(name)),
            AttachInternetGateway => "attach the internet gateway".into(),
            DetachInternetGateway => "detach the internet gateway".into(),
            AddNatGateway { name, subnet } => format!("add NAT gateway {} in {}", s(name), s(subnet)),
            MoveNatGateway { name, subnet } => format!("move NAT gateway {} to {}", s(name), s(subnet)),
            RemoveNatGateway { name } => format!("remove NAT gateway {}", s(name)),
            AddInterfaceEndpoint { service, subnets, .. } => {
                format!("add interface endpoint {} in {}", s(service), shown_list(subnets))
            }
            RemoveInterfaceEndpoint { service } => format!("remove interface endpoint {}", s(service)),
            SetPrivateDns { service, enabled } => format!(
                "turn private DNS {} for the {} endpoint",
                if *enabled { "on" } else { "off" },
                s(service)
            ),
            AddResource { name, subnet, .. } => format!("add resource {} in {}", s(name), s(subnet)),
            MoveResource { name, subnet } => format!("move resource {} to {}", s(name), s(subnet)),
            RemoveResource { name } => format!("remove resource {}", s(name)),
            AddSecurityGroup { name, .. } => format!("add security group {}", s(name)),
            SetEgressRules { security_group, egress } => {
                format!("set the egress rules of {} ({} rules)", s(security_group), egress.len())
            }
            AddEgressRule { security_group, rule } => {
                format!("allow egress from {} to {} on {}", s(security_group), s(&rule.to), ports_text(rule))
            }
            _ => return None,
        })
    }
}
