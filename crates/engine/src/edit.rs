//! The editing core of the scenario editor: every edit a learner makes, as data ([`Edit`], serde
//! JSON tagged by `"op"`), applied to a [`ScenarioSpec`] and validated by the engine's own
//! [`ScenarioSpec::validate`] ([`apply`]); the same edit made while a run is playing, recorded as
//! a [`ChangeSpec`] at that time ([`apply_live`]); and undo/redo with autosave ([`History`]).
//!
//! Edits name their targets by name, never by position. New names are bounded (1 to 64
//! characters, no control characters) and otherwise free text: they are shown as text, never as
//! markup. An edit either returns a new spec that validates, or an [`EditError`] and nothing
//! changes; no input makes it panic.
//!
//! Decisions a UI can rely on:
//! - Renaming an AZ or a subnet updates every reference: subnets' AZs, faults, function VPC
//!   configs, NAT gateways, resources, interface endpoints, chapter highlights (`subnet:<name>`)
//!   and per-subnet checks (`timeouts_by_subnet.<name>`), and the scenario's live changes.
//! - Removing something still in use (a subnet a function, NAT gateway, endpoint or resource
//!   uses; an AZ with subnets or faults; a NAT gateway a route points to; a resource a function
//!   calls) is refused with the users named, never silently detached: the learner decides.
//! - At time 0 an edit changes the scenario itself and its live changes are rebased on top
//!   (they keep what they set; the edit carries through where they set nothing). Later it is
//!   recorded as a change, after the changes at or before that time; renames and removals of
//!   AZs and subnets are refused during a run, with a pointer to time 0.

use crate::dist::DistSpec;
use crate::error::ValidationError;
use crate::network::{
    allow_all_egress, DefaultRoute, DestinationKind, DestinationSpec, EgressRule, FixAction, FunctionVpcSpec,
    GatewayService, InterfaceEndpointSpec, InternetGatewaySpec, NatGatewaySpec, ResourceKind, ResourceSpec,
    RouteTableSpec, SecurityGroupSpec, SubnetSpec, VpcSpec,
};
use crate::scenario::{
    diff_patch, merge_patch, ChangeSpec, FunctionSpec, InvocationType, LifetimeSpec, Placement,
    ProvisionedSpec, ScalingModel, ScenarioSpec, ScheduledActionSpec, TargetTrackingSpec, MAX_NAME_LEN,
};
use crate::time::{format_duration, DurationSpec, Micros};
use crate::traffic::{parse_points_csv, Arrivals, RatePoint, TrafficSpec};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Longest CSV text accepted for a traffic curve (100,000 lines fit easily).
pub const MAX_CSV_BYTES: usize = 8 << 20;
/// Longest label of an edit (the limit of a change's label).
pub const MAX_LABEL_CHARS: usize = 200;
/// Longest reason kept in an error (validation messages echo the values they refuse).
const MAX_MESSAGE_CHARS: usize = 300;

fn default_true() -> bool {
    true
}

/// One edit a learner makes in the editor. JSON: `{"op": "add_nat_gateway", "name": "nat-b",
/// "subnet": "public-b"}`; [`Edit::ApplyFix`] carries the advisor's action inline:
/// `{"op": "apply_fix", "action": "enable_private_dns", "service": "sqs"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    // --- Account -------------------------------------------------------------------------
    SetRegion {
        region: String,
    },
    SetConcurrencyLimit {
        limit: u32,
    },
    SetScalingModel {
        model: ScalingModel,
    },

    // --- Function ------------------------------------------------------------------------
    /// `null` removes reserved concurrency.
    SetReservedConcurrency {
        function: String,
        reserved: Option<u32>,
    },
    /// `null` removes provisioned concurrency; a number sets its initial allocation (adding it
    /// with AWS's defaults if the function had none).
    SetProvisionedConcurrency {
        function: String,
        initial: Option<u32>,
    },
    /// `null` removes the target tracking policy. Needs provisioned concurrency.
    SetTargetTracking {
        function: String,
        policy: Option<TargetTrackingSpec>,
    },
    /// Needs provisioned concurrency and a name not yet used by the function's actions.
    AddScheduledAction {
        function: String,
        action: ScheduledActionSpec,
    },
    RemoveScheduledAction {
        function: String,
        name: String,
    },
    SetMemory {
        function: String,
        memory_mb: u32,
    },
    SetTimeout {
        function: String,
        timeout: DurationSpec,
    },
    /// Init (cold start) duration.
    SetInitDuration {
        function: String,
        init: DistSpec,
    },
    /// Invocation (handler) duration.
    SetDuration {
        function: String,
        duration: DistSpec,
    },
    SetIdleLifetime {
        function: String,
        idle_lifetime: LifetimeSpec,
    },
    SetInvocationType {
        function: String,
        invocation: InvocationType,
    },
    SetErrorRate {
        function: String,
        error_rate: f64,
    },
    SetDestinations {
        function: String,
        destinations: Vec<DestinationSpec>,
    },
    SetTraffic {
        function: String,
        traffic: TrafficSpec,
    },
    /// Traffic as straight lines between `time_s,rate` lines of CSV text (stored as points).
    SetTrafficCsv {
        function: String,
        csv: String,
        #[serde(default)]
        arrivals: Arrivals,
    },
    /// Needs a VPC configuration (see `set_function_vpc`).
    SetFunctionSubnets {
        function: String,
        subnets: Vec<String>,
    },
    /// Needs a VPC configuration (see `set_function_vpc`).
    SetFunctionSecurityGroups {
        function: String,
        security_groups: Vec<String>,
    },
    /// Connects the function to the VPC (or replaces its whole VPC configuration).
    SetFunctionVpc {
        function: String,
        subnets: Vec<String>,
        security_groups: Vec<String>,
    },
    /// Back to Lambda-managed networking.
    RemoveFunctionVpc {
        function: String,
    },
    SetPlacement {
        function: String,
        placement: Placement,
    },

    // --- Topology ------------------------------------------------------------------------
    /// Adds a VPC to a scenario that has none.
    AddVpc {
        name: String,
        cidr: String,
        azs: Vec<String>,
    },
    AddAz {
        name: String,
    },
    RenameAz {
        from: String,
        to: String,
    },
    RemoveAz {
        name: String,
    },
    AddSubnet {
        name: String,
        az: String,
        cidr: String,
        route_table: String,
    },
    RenameSubnet {
        from: String,
        to: String,
    },
    RemoveSubnet {
        name: String,
    },
    SetSubnetCidr {
        subnet: String,
        cidr: String,
    },
    SetSubnetRouteTable {
        subnet: String,
        route_table: String,
    },
    AddRouteTable {
        name: String,
        #[serde(default)]
        default_route: DefaultRoute,
    },
    /// `"none"`, `"internet_gateway"` or `{"nat_gateway": "nat-a"}`.
    SetDefaultRoute {
        route_table: String,
        target: DefaultRoute,
    },
    AddGatewayEndpoint {
        route_table: String,
        service: GatewayService,
    },
    RemoveGatewayEndpoint {
        route_table: String,
        service: GatewayService,
    },
    /// Adds the VPC's (one) internet gateway, attached.
    AddInternetGateway {
        name: String,
    },
    AttachInternetGateway,
    DetachInternetGateway,
    AddNatGateway {
        name: String,
        subnet: String,
    },
    MoveNatGateway {
        name: String,
        subnet: String,
    },
    RemoveNatGateway {
        name: String,
    },
    AddInterfaceEndpoint {
        service: String,
        subnets: Vec<String>,
        #[serde(default = "default_true")]
        private_dns: bool,
    },
    RemoveInterfaceEndpoint {
        service: String,
    },
    SetPrivateDns {
        service: String,
        enabled: bool,
    },
    AddResource {
        name: String,
        kind: ResourceKind,
        subnet: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        port: Option<u16>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        security_groups: Vec<String>,
    },
    MoveResource {
        name: String,
        subnet: String,
    },
    RemoveResource {
        name: String,
    },
    /// Omitted `egress` is AWS's default: everything, anywhere.
    AddSecurityGroup {
        name: String,
        #[serde(default = "allow_all_egress")]
        egress: Vec<EgressRule>,
    },
    SetEgressRules {
        security_group: String,
        egress: Vec<EgressRule>,
    },

    /// A fix proposed by the network advisor.
    ApplyFix(FixAction),
}

/// What went wrong, for a UI to choose how to show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditErrorKind {
    /// A target named by the edit does not exist.
    NotFound,
    /// The edit's own input is refused (a name too long, a CIDR that is not one).
    BadInput,
    /// The target is still used by something else.
    InUse,
    /// The edited scenario does not validate: see `errors`.
    Invalid,
    /// A run cannot take this edit: make it at time 0.
    NotLive,
    /// An autosave that cannot be read back.
    Corrupt,
}

/// Why an edit was not made. The spec it was applied to is unchanged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EditError {
    pub kind: EditErrorKind,
    /// A short reason for the field the edit touched (what the editor shows beside it).
    pub message: String,
    /// The field the edit touched, e.g. `functions[1].reserved_concurrency` or `vpc.subnets`.
    pub field: Option<String>,
    /// Every validation error of the edited scenario (empty unless `kind` is `Invalid` or
    /// `NotLive`).
    pub errors: Vec<ValidationError>,
}

impl EditError {
    fn new(kind: EditErrorKind, field: &str, message: impl Into<String>) -> Self {
        EditError {
            kind,
            message: bounded(&message.into(), MAX_MESSAGE_CHARS),
            field: (!field.is_empty()).then(|| field.to_string()),
            errors: Vec::new(),
        }
    }
    fn not_found(what: &str, name: &str, field: &str) -> Self {
        Self::new(EditErrorKind::NotFound, field, format!("no {what} named {}", quoted(name)))
    }
    fn bad(field: &str, message: impl Into<String>) -> Self {
        Self::new(EditErrorKind::BadInput, field, message)
    }
    fn in_use(field: &str, message: impl Into<String>) -> Self {
        Self::new(EditErrorKind::InUse, field, message)
    }
    fn corrupt(message: impl Into<String>) -> Self {
        Self::new(EditErrorKind::Corrupt, "", message)
    }

    /// The validation errors of an edited scenario, with the reason for `field` first: the
    /// first error at or under it, else the first one (with its path).
    fn invalid(errors: Vec<ValidationError>, field: &str) -> Self {
        let errors: Vec<ValidationError> = errors
            .into_iter()
            .map(|e| {
                ValidationError::new(
                    bounded(&e.path, MAX_MESSAGE_CHARS),
                    bounded(&e.message, MAX_MESSAGE_CHARS),
                )
            })
            .collect();
        let live = errors.iter().any(|e| e.message.contains("during a run"));
        let own = errors.iter().find(|e| concerns(&e.path, field));
        let message = match (own, errors.first()) {
            (Some(e), _) => e.message.clone(),
            (None, Some(e)) if e.path.is_empty() => e.message.clone(),
            (None, Some(e)) => format!("{}: {}", e.path, e.message),
            (None, None) => "the edited scenario does not validate".into(),
        };
        let (kind, message) = if live {
            (EditErrorKind::NotLive, format!("{message} (make this edit at time 0, before playing)"))
        } else {
            (EditErrorKind::Invalid, message)
        };
        let mut e = Self::new(kind, field, message);
        e.errors = errors;
        e
    }
}

// Whether a validation error at `path` is about `field` (or inside it), also inside a change's
// patch ("changes[2].patch: functions[0].memory_mb").
fn concerns(path: &str, field: &str) -> bool {
    if field.is_empty() {
        return false;
    }
    let inner = path.rsplit(": ").next().unwrap_or(path);
    [path, inner]
        .iter()
        .any(|p| p.strip_prefix(field).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '['])))
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for EditError {}

// ---------------------------------------------------------------------------------------------
// Text helpers

// At most `max` characters, with an ellipsis when cut.
fn bounded(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

// A name as shown in labels and messages: bounded, control characters replaced.
fn shown(name: &str) -> String {
    let clean: String = name.chars().map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect();
    bounded(&clean, 40)
}

fn quoted(name: &str) -> String {
    format!("'{}'", shown(name))
}

// A few names, then how many more.
fn shown_list(names: &[String]) -> String {
    if names.is_empty() {
        return "none".into();
    }
    let mut parts: Vec<String> = names.iter().take(4).map(|n| shown(n)).collect();
    if names.len() > 4 {
        parts.push(format!("{} more", names.len() - 4));
    }
    parts.join(", ")
}

fn number(x: f64) -> String {
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

// A new name: 1 to 64 characters, no control characters; anything else is allowed (markup
// included: names are shown as text).
fn check_new_name(name: &str, what: &str, field: &str) -> Result<(), EditError> {
    if name.is_empty() {
        return Err(EditError::bad(field, format!("the {what} needs a name")));
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Err(EditError::bad(field, format!("{what} names are at most {MAX_NAME_LEN} characters")));
    }
    if name.chars().any(char::is_control) {
        return Err(EditError::bad(field, format!("{what} names must not contain control characters")));
    }
    Ok(())
}

// Free text other than names (CIDR blocks, Region, egress targets, service names).
fn check_text(text: &str, field: &str, max: usize, example: &str) -> Result<(), EditError> {
    if text.is_empty() || text.chars().count() > max || text.chars().any(char::is_control) {
        return Err(EditError::bad(field, format!("{} is not {example}", quoted(text))));
    }
    Ok(())
}

fn check_cidr(cidr: &str, field: &str) -> Result<(), EditError> {
    check_text(cidr, field, 43, "a CIDR block such as 10.0.1.0/24")
}

// ---------------------------------------------------------------------------------------------
// Labels

impl Edit {
    /// The edit in plain words, for the undo menu and the narrative of a live change ("add NAT
    /// gateway nat-b in public-b", "set reserved concurrency of payments to 950"). At most
    /// [`MAX_LABEL_CHARS`] characters; names are shortened and control characters replaced.
    pub fn label(&self) -> String {
        use Edit::*;
        let s = shown;
        let text = match self {
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
            ApplyFix(fix) => {
                let text = fix.describe();
                let mut chars = text.chars();
                match chars.next() {
                    Some(c) => c.to_lowercase().chain(chars).collect(),
                    None => text,
                }
            }
        };
        let clean: String = text.chars().map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect();
        bounded(&clean, MAX_LABEL_CHARS)
    }

    /// Why a run cannot take this edit (it renames or removes AZs or subnets, which running
    /// environments sit in), if so.
    pub fn live_refusal(&self) -> Option<String> {
        let what = match self {
            Edit::RenameAz { from, .. } => format!("renaming availability zone {}", quoted(from)),
            Edit::RemoveAz { name } => format!("removing availability zone {}", quoted(name)),
            Edit::RenameSubnet { from, .. } => format!("renaming subnet {}", quoted(from)),
            Edit::RemoveSubnet { name } => format!("removing subnet {}", quoted(name)),
            _ => return None,
        };
        Some(format!(
            "{what} cannot happen during a run (environments are running in it): make this edit at time 0, before playing"
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Applying an edit

/// The scenario with `edit` made, validated by [`ScenarioSpec::validate`]. On any failure the
/// error says why (and `spec`, borrowed, is unchanged). The scenario's live changes are kept and
/// rebased on the edited scenario (a renamed subnet is renamed in them too).
///
/// # Examples
///
/// ```
/// use lambdascape_engine::edit::{apply, Edit};
/// use lambdascape_engine::scenario::{FunctionSpec, ScenarioSpec};
/// use lambdascape_engine::traffic::TrafficSpec;
///
/// let spec = ScenarioSpec::new("demo", vec![FunctionSpec::new("payments", TrafficSpec::constant(5.0))]);
/// let edit = Edit::SetReservedConcurrency { function: "payments".into(), reserved: Some(950) };
/// assert_eq!(edit.label(), "set reserved concurrency of payments to 950");
/// let err = apply(&spec, &edit).unwrap_err();
/// assert_eq!(err.field.as_deref(), Some("functions[0].reserved_concurrency"));
/// let ok = apply(&spec, &Edit::SetReservedConcurrency { function: "payments".into(), reserved: Some(900) });
/// assert_eq!(ok.unwrap().functions[0].reserved_concurrency, Some(900));
/// ```
pub fn apply(spec: &ScenarioSpec, edit: &Edit) -> Result<ScenarioSpec, EditError> {
    let mut base = spec.clone();
    base.changes.clear();
    let (edited, field) = edit_raw(&base, edit)?;
    let mut out = edited.clone();
    if !spec.changes.is_empty() {
        // A rename is made in every version of the scenario the changes give (they may have
        // added references to the old name); anything else is merged into them.
        let replay = matches!(edit, Edit::RenameAz { .. } | Edit::RenameSubnet { .. }).then_some(edit);
        out.changes = rebase(&base, &edited, &spec.changes, replay);
    }
    out.validate().map_err(|e| EditError::invalid(e.0, &field))?;
    Ok(out)
}

/// The scenario in force at time `t` of a run: the scenario with its changes at or before `t`
/// applied in order, without its changes. A change whose patch does not apply (only in a
/// scenario that does not validate) is skipped.
pub fn effective_spec_at(spec: &ScenarioSpec, t: Micros) -> ScenarioSpec {
    let mut current = spec.clone();
    current.changes.clear();
    for c in &spec.changes {
        if c.at.is_valid() && c.at.micros() <= t {
            if let Ok(next) = current.patched(&c.patch, "changes") {
                current = next;
            }
        }
    }
    current
}

/// `edit` made at time `at` of a run. At 0 (before playing) it changes the scenario itself
/// ([`apply`]). Later it is recorded as a [`ChangeSpec`] at `at` labelled [`Edit::label`], whose
/// patch turns the scenario in force at `at` into the edited one; it goes after the changes at
/// or before `at`, and the later ones are rebased on it (they keep what they set). The result
/// validates, and `Simulation::replace_scenario(result.validate()?, at)` continues a run as a
/// fresh run of the result would. Edits a run cannot take ([`Edit::live_refusal`]) are refused
/// with [`EditErrorKind::NotLive`].
pub fn apply_live(spec: &ScenarioSpec, at: Micros, edit: &Edit) -> Result<ScenarioSpec, EditError> {
    if at == 0 {
        return apply(spec, edit);
    }
    if let Some(why) = edit.live_refusal() {
        return Err(EditError::new(EditErrorKind::NotLive, "", why));
    }
    if spec.duration.is_valid() && at > spec.duration.micros() {
        return Err(EditError::bad(
            "changes",
            format!("{} is after the end of the scenario", format_duration(at)),
        ));
    }
    let before = effective_spec_at(spec, at);
    let (after, field) = edit_raw(&before, edit)?;
    // The scenario as edited must stand on its own (plain field paths in its errors).
    after.validate().map_err(|e| EditError::invalid(e.0, &field))?;
    let (bv, av) = (to_value(&before)?, to_value(&after)?);
    let patch = diff_patch(&bv, &av);
    if patch.as_object().is_some_and(|m| m.is_empty()) {
        return Ok(spec.clone());
    }
    let pos = spec.changes.iter().position(|c| c.at.micros() > at).unwrap_or(spec.changes.len());
    let mut out = spec.clone();
    let later = rebase(&before, &after, &spec.changes[pos..], None);
    out.changes.truncate(pos);
    out.changes.push(ChangeSpec { at: DurationSpec::from_micros(at), label: edit.label(), patch });
    out.changes.extend(later);
    out.validate().map_err(|e| EditError::invalid(e.0, &field))?;
    // The recorded change must give exactly the edited scenario at `at`.
    if effective_spec_at(&out, at) != after {
        return Err(EditError::bad(
            &field,
            "this edit cannot be recorded as a change during the run: make it at time 0",
        ));
    }
    Ok(out)
}

fn to_value(spec: &ScenarioSpec) -> Result<Value, EditError> {
    spec.to_doc().map_err(|e| EditError::bad("", format!("the scenario cannot be written as JSON: {e}")))
}

// The changes re-expressed over an edited starting point: the scenario in force after each
// change is the old one with the edit carried through where the change did not set the same
// thing (a three-way merge), or, with `replay`, that version with the edit made again; each
// patch is recomputed from the one before. If the old changes do not apply, they are kept as
// they are (validation reports them).
fn rebase(
    old_start: &ScenarioSpec,
    new_start: &ScenarioSpec,
    changes: &[ChangeSpec],
    replay: Option<&Edit>,
) -> Vec<ChangeSpec> {
    let (Ok(base), Ok(ours)) = (to_value(old_start), to_value(new_start)) else {
        return changes.to_vec();
    };
    let mut old = base.clone();
    let mut prev = ours.clone();
    let mut out = Vec::with_capacity(changes.len());
    for c in changes {
        let mut next_old = old.clone();
        merge_patch(&mut next_old, &c.patch);
        let replayed = replay.and_then(|edit| {
            let spec = ScenarioSpec::from_json(&next_old.to_string()).ok()?;
            let (edited, _) = edit_raw(&spec, edit).ok()?;
            to_value(&edited).ok()
        });
        let next_new = replayed.unwrap_or_else(|| merge3(&base, &ours, &next_old));
        out.push(ChangeSpec { at: c.at, label: c.label.clone(), patch: diff_patch(&prev, &next_new) });
        old = next_old;
        prev = next_new;
    }
    out
}

// Three-way merge of JSON values: what `theirs` changed from `base` wins, `ours` fills in the
// rest. Objects merge by key; lists of the same length by position; lists of named elements
// (objects with a "name" or "service", or strings) that theirs only added to, by name, keeping
// ours' order and appending theirs' additions; any other conflict goes to theirs.
fn merge3(base: &Value, ours: &Value, theirs: &Value) -> Value {
    if theirs == base {
        return ours.clone();
    }
    if ours == base || ours == theirs {
        return theirs.clone();
    }
    match (base, ours, theirs) {
        (Value::Object(b), Value::Object(o), Value::Object(t)) => {
            let keys: BTreeSet<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
            let mut out = serde_json::Map::new();
            for k in keys {
                let (bv, ov, tv) = (b.get(k), o.get(k), t.get(k));
                let v = if tv == bv {
                    ov.cloned()
                } else if ov == bv {
                    tv.cloned()
                } else {
                    match (bv, ov, tv) {
                        (Some(bv), Some(ov), Some(tv)) => Some(merge3(bv, ov, tv)),
                        _ => tv.cloned(),
                    }
                };
                if let Some(v) = v {
                    out.insert(k.clone(), v);
                }
            }
            Value::Object(out)
        }
        (Value::Array(b), Value::Array(o), Value::Array(t)) => {
            if b.len() == o.len() && b.len() == t.len() {
                return Value::Array(b.iter().zip(o).zip(t).map(|((b, o), t)| merge3(b, o, t)).collect());
            }
            merge_named(b, o, t).map(Value::Array).unwrap_or_else(|| theirs.clone())
        }
        _ => theirs.clone(),
    }
}

fn element_key(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(m) => m.get("name").or_else(|| m.get("service")).and_then(Value::as_str),
        _ => None,
    }
}

fn keyed(list: &[Value]) -> Option<BTreeMap<&str, &Value>> {
    let mut out = BTreeMap::new();
    for v in list {
        if out.insert(element_key(v)?, v).is_some() {
            return None;
        }
    }
    Some(out)
}

fn merge_named(b: &[Value], o: &[Value], t: &[Value]) -> Option<Vec<Value>> {
    let (bk, ok, tk) = (keyed(b)?, keyed(o)?, keyed(t)?);
    // Only when theirs kept every element (edited some, added others); otherwise theirs wins.
    if !bk.keys().all(|k| tk.contains_key(k)) {
        return None;
    }
    let mut out = Vec::new();
    let mut done = BTreeSet::new();
    for v in o {
        let k = element_key(v)?;
        match (bk.get(k), tk.get(k)) {
            (Some(bv), Some(tv)) => out.push(merge3(bv, v, tv)),
            (Some(_), None) => {} // not reached: theirs kept every element of base
            (None, Some(tv)) => out.push((*tv).clone()),
            (None, None) => out.push(v.clone()),
        }
        done.insert(k);
    }
    for v in t {
        let k = element_key(v)?;
        // Theirs' additions; what ours removed stays removed.
        if !done.contains(k) && !bk.contains_key(k) && !ok.contains_key(k) {
            out.push(v.clone());
        }
    }
    Some(out)
}

// The edit made on a copy, unvalidated, with the path of the field it touched.
fn edit_raw(spec: &ScenarioSpec, edit: &Edit) -> Result<(ScenarioSpec, String), EditError> {
    let mut s = spec.clone();
    let field = edit_in_place(&mut s, edit)?;
    Ok((s, field))
}

/// The VPC configuration of function `i` (named `function`), for an edit of `field`.
fn function_vpc<'a>(
    s: &'a mut ScenarioSpec,
    i: usize,
    function: &str,
    field: &str,
) -> Result<&'a mut FunctionVpcSpec, EditError> {
    let name = shown(function);
    s.functions[i].vpc.as_mut().ok_or_else(|| {
        EditError::bad(field, format!("{name} has no VPC configuration: connect it to the VPC first"))
    })
}

fn fn_index(s: &ScenarioSpec, name: &str) -> Result<usize, EditError> {
    s.functions
        .iter()
        .position(|f| f.name == name)
        .ok_or_else(|| EditError::not_found("function", name, "functions"))
}

fn vpc_mut(s: &mut ScenarioSpec) -> Result<&mut VpcSpec, EditError> {
    s.vpc.as_mut().ok_or_else(|| EditError::bad("vpc", "the scenario has no VPC: add one first"))
}

fn vpc_ref(s: &ScenarioSpec) -> Result<&VpcSpec, EditError> {
    s.vpc.as_ref().ok_or_else(|| EditError::bad("vpc", "the scenario has no VPC: add one first"))
}

/// Position of the element whose key is `name`, or a not-found error naming what was sought.
fn find_ix<T>(
    items: &[T],
    key: impl Fn(&T) -> &str,
    what: &str,
    name: &str,
    field: &str,
) -> Result<usize, EditError> {
    items.iter().position(|x| key(x) == name).ok_or_else(|| EditError::not_found(what, name, field))
}

fn subnet_ix(v: &VpcSpec, name: &str, field: &str) -> Result<usize, EditError> {
    find_ix(&v.subnets, |x| &x.name, "subnet", name, field)
}

fn rt_ix(v: &VpcSpec, name: &str, field: &str) -> Result<usize, EditError> {
    find_ix(&v.route_tables, |x| &x.name, "route table", name, field)
}

fn nat_ix(v: &VpcSpec, name: &str, field: &str) -> Result<usize, EditError> {
    find_ix(&v.nat_gateways, |x| &x.name, "NAT gateway", name, field)
}

fn sg_ix(v: &VpcSpec, name: &str, field: &str) -> Result<usize, EditError> {
    find_ix(&v.security_groups, |x| &x.name, "security group", name, field)
}

fn endpoint_ix(v: &VpcSpec, service: &str, field: &str) -> Result<usize, EditError> {
    find_ix(&v.interface_endpoints, |x| &x.service, "interface endpoint for service", service, field)
}

fn resource_ix(v: &VpcSpec, name: &str, field: &str) -> Result<usize, EditError> {
    find_ix(&v.resources, |x| &x.name, "resource", name, field)
}

fn unique(taken: bool, what: &str, name: &str, field: &str) -> Result<(), EditError> {
    if taken {
        return Err(EditError::bad(field, format!("a {what} named {} already exists", quoted(name))));
    }
    Ok(())
}

fn check_subnets_exist(v: &VpcSpec, names: &[String], field: &str) -> Result<(), EditError> {
    for n in names {
        subnet_ix(v, n, field)?;
    }
    Ok(())
}

fn check_sgs_exist(v: &VpcSpec, names: &[String], field: &str) -> Result<(), EditError> {
    for n in names {
        sg_ix(v, n, field)?;
    }
    Ok(())
}

fn check_egress(rules: &[EgressRule], field: &str) -> Result<(), EditError> {
    for r in rules {
        check_text(&r.to, field, MAX_NAME_LEN + 3, "a CIDR block or sg:<name>")?;
    }
    Ok(())
}

fn provisioned_defaults(initial: u32) -> Result<ProvisionedSpec, EditError> {
    crate::reader::from_str(&format!("{{\"initial\": {initial}}}"))
        .map_err(|e| EditError::bad("provisioned", e.to_string()))
}

// "Function 'x' ..." with a list of who uses something.
fn users_text(users: &[String]) -> String {
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

// Makes the edit; returns the path of the field it touched.
fn edit_in_place(s: &mut ScenarioSpec, edit: &Edit) -> Result<String, EditError> {
    use Edit::*;
    match edit {
        SetRegion { region } => {
            check_text(region, "account.region", 32, "a Region name such as us-east-1")?;
            s.account.region = region.clone();
            Ok("account.region".into())
        }
        SetConcurrencyLimit { limit } => {
            s.account.concurrency_limit = *limit;
            Ok("account.concurrency_limit".into())
        }
        SetScalingModel { model } => {
            s.account.scaling_model = *model;
            Ok("account.scaling_model".into())
        }
        SetReservedConcurrency { function, reserved } => {
            function_field(s, function, "reserved_concurrency", |f| {
                f.reserved_concurrency = *reserved;
                Ok(())
            })
        }
        SetProvisionedConcurrency { function, initial } => function_field(s, function, "provisioned", |f| {
            match (initial, f.provisioned.as_mut()) {
                (None, _) => f.provisioned = None,
                (Some(n), Some(p)) => p.initial = *n,
                (Some(n), None) => f.provisioned = Some(provisioned_defaults(*n)?),
            }
            Ok(())
        }),
        SetTargetTracking { function, policy } => {
            function_field(s, function, "provisioned.target_tracking", |f| {
                let name = shown(&f.name);
                let p = f.provisioned.as_mut().ok_or_else(|| {
                    EditError::bad("", format!("{name} has no provisioned concurrency: set it first"))
                })?;
                p.target_tracking = policy.clone();
                Ok(())
            })
        }
        AddScheduledAction { function, action } => {
            let i = fn_index(s, function)?;
            let field = format!("functions[{i}].provisioned.scheduled_actions");
            check_new_name(&action.name, "scheduled action", &field)?;
            let f = &mut s.functions[i];
            let name = shown(&f.name);
            let p = f.provisioned.as_mut().ok_or_else(|| {
                EditError::bad(&field, format!("{name} has no provisioned concurrency: set it first"))
            })?;
            unique(
                p.scheduled_actions.iter().any(|a| a.name == action.name),
                "scheduled action",
                &action.name,
                &field,
            )?;
            p.scheduled_actions.push(action.clone());
            Ok(format!("{field}[{}]", p.scheduled_actions.len() - 1))
        }
        RemoveScheduledAction { function, name } => {
            let i = fn_index(s, function)?;
            let field = format!("functions[{i}].provisioned.scheduled_actions");
            let actions = s.functions[i].provisioned.as_mut().map(|p| &mut p.scheduled_actions);
            let Some(actions) = actions else {
                return Err(EditError::not_found("scheduled action", name, &field));
            };
            let j = actions
                .iter()
                .position(|a| &a.name == name)
                .ok_or_else(|| EditError::not_found("scheduled action", name, &field))?;
            actions.remove(j);
            Ok(field)
        }
        SetMemory { function, memory_mb } => function_field(s, function, "memory_mb", |f| {
            f.memory_mb = *memory_mb;
            Ok(())
        }),
        SetTimeout { function, timeout } => function_field(s, function, "timeout", |f| {
            f.timeout = *timeout;
            Ok(())
        }),
        SetInitDuration { function, init } => function_field(s, function, "init", |f| {
            f.init = init.clone();
            Ok(())
        }),
        SetDuration { function, duration } => function_field(s, function, "duration", |f| {
            f.duration = duration.clone();
            Ok(())
        }),
        SetIdleLifetime { function, idle_lifetime } => function_field(s, function, "idle_lifetime", |f| {
            f.idle_lifetime = idle_lifetime.clone();
            Ok(())
        }),
        SetInvocationType { function, invocation } => function_field(s, function, "invocation", |f| {
            f.invocation = *invocation;
            Ok(())
        }),
        SetErrorRate { function, error_rate } => function_field(s, function, "error_rate", |f| {
            f.error_rate = *error_rate;
            Ok(())
        }),
        SetDestinations { function, destinations } => function_field(s, function, "destinations", |f| {
            for d in destinations {
                check_new_name(&d.name, "destination", "")?;
                if let DestinationKind::Internet(x)
                | DestinationKind::AwsService(x)
                | DestinationKind::Resource(x) = &d.kind
                {
                    check_text(x, "", 253, "a host, service or resource name")?;
                }
            }
            f.destinations = destinations.clone();
            Ok(())
        }),
        SetTraffic { function, traffic } => function_field(s, function, "traffic", |f| {
            if let TrafficSpec::Points { csv: Some(text), .. } = traffic {
                if text.len() > MAX_CSV_BYTES {
                    return Err(EditError::bad("", "the CSV text is longer than 8 MiB"));
                }
            }
            f.traffic = traffic.clone();
            Ok(())
        }),
        SetTrafficCsv { function, csv, arrivals } => function_field(s, function, "traffic", |f| {
            if csv.len() > MAX_CSV_BYTES {
                return Err(EditError::bad("", "the CSV text is longer than 8 MiB"));
            }
            let knots = parse_points_csv(csv).map_err(|e| EditError::bad("", e))?;
            let points =
                knots.into_iter().map(|(t, rate)| RatePoint { at: DurationSpec::Seconds(t), rate }).collect();
            f.traffic = TrafficSpec::Points { points, csv: None, arrivals: *arrivals };
            Ok(())
        }),
        SetFunctionSubnets { function, subnets } => {
            let i = fn_index(s, function)?;
            let field = format!("functions[{i}].vpc.subnets");
            check_subnets_exist(vpc_ref(s)?, subnets, &field)?;
            function_vpc(s, i, function, &field)?.subnets = subnets.clone();
            Ok(field)
        }
        SetFunctionSecurityGroups { function, security_groups } => {
            let i = fn_index(s, function)?;
            let field = format!("functions[{i}].vpc.security_groups");
            check_sgs_exist(vpc_ref(s)?, security_groups, &field)?;
            function_vpc(s, i, function, &field)?.security_groups = security_groups.clone();
            Ok(field)
        }
        SetFunctionVpc { function, subnets, security_groups } => {
            let i = fn_index(s, function)?;
            let field = format!("functions[{i}].vpc");
            let v = vpc_ref(s)?;
            check_subnets_exist(v, subnets, &join(&field, "subnets"))?;
            check_sgs_exist(v, security_groups, &join(&field, "security_groups"))?;
            // The per-invocation connection count is not part of this edit: keep it.
            let connections_per_invocation =
                s.functions[i].vpc.as_ref().and_then(|v| v.connections_per_invocation);
            s.functions[i].vpc = Some(FunctionVpcSpec {
                subnets: subnets.clone(),
                security_groups: security_groups.clone(),
                connections_per_invocation,
            });
            Ok(field)
        }
        RemoveFunctionVpc { function } => function_field(s, function, "vpc", |f| {
            f.vpc = None;
            Ok(())
        }),
        SetPlacement { function, placement } => function_field(s, function, "placement", |f| {
            f.placement = *placement;
            Ok(())
        }),

        AddVpc { name, cidr, azs } => {
            if s.vpc.is_some() {
                return Err(EditError::bad("vpc", "the scenario already has a VPC"));
            }
            check_new_name(name, "VPC", "vpc.name")?;
            check_cidr(cidr, "vpc.cidr")?;
            for az in azs {
                check_new_name(az, "availability zone", "vpc.azs")?;
            }
            s.vpc = Some(VpcSpec {
                name: name.clone(),
                cidr: cidr.clone(),
                azs: azs.clone(),
                subnets: vec![],
                route_tables: vec![],
                internet_gateway: None,
                nat_gateways: vec![],
                interface_endpoints: vec![],
                security_groups: vec![],
                resources: vec![],
                eni_connection_limit: crate::network::spec::DEFAULT_ENI_CONNECTION_LIMIT,
                eni_quota: crate::network::spec::DEFAULT_ENI_QUOTA,
                other_enis: 0,
                eni_scale_out_time: None,
            });
            Ok("vpc".into())
        }
        AddAz { name } => {
            let v = vpc_mut(s)?;
            check_new_name(name, "availability zone", "vpc.azs")?;
            unique(v.azs.contains(name), "availability zone", name, "vpc.azs")?;
            v.azs.push(name.clone());
            Ok(format!("vpc.azs[{}]", v.azs.len() - 1))
        }
        RenameAz { from, to } => {
            let v = vpc_mut(s)?;
            let i = v
                .azs
                .iter()
                .position(|a| a == from)
                .ok_or_else(|| EditError::not_found("availability zone", from, "vpc.azs"))?;
            let field = format!("vpc.azs[{i}]");
            check_new_name(to, "availability zone", &field)?;
            if from == to {
                return Ok(field);
            }
            unique(v.azs.contains(to), "availability zone", to, &field)?;
            v.azs[i] = to.clone();
            for sub in v.subnets.iter_mut().filter(|x| &x.az == from) {
                sub.az = to.clone();
            }
            for f in s.faults.iter_mut().filter(|f| &f.az_down == from) {
                f.az_down = to.clone();
            }
            Ok(field)
        }
        RemoveAz { name } => {
            let has_fault = s.faults.iter().any(|f| &f.az_down == name);
            let v = vpc_mut(s)?;
            let i = v
                .azs
                .iter()
                .position(|a| a == name)
                .ok_or_else(|| EditError::not_found("availability zone", name, "vpc.azs"))?;
            let field = format!("vpc.azs[{i}]");
            let mut users: Vec<String> = v
                .subnets
                .iter()
                .filter(|x| &x.az == name)
                .map(|x| format!("subnet {}", shown(&x.name)))
                .collect();
            if has_fault {
                users.push("an AZ outage fault".into());
            }
            if !users.is_empty() {
                return Err(EditError::in_use(
                    &field,
                    format!(
                        "availability zone {} is used by {}: remove or move them first",
                        quoted(name),
                        users_text(&users)
                    ),
                ));
            }
            v.azs.remove(i);
            Ok("vpc.azs".into())
        }
        AddSubnet { name, az, cidr, route_table } => {
            let v = vpc_mut(s)?;
            let field = format!("vpc.subnets[{}]", v.subnets.len());
            check_new_name(name, "subnet", &join(&field, "name"))?;
            unique(v.subnets.iter().any(|x| &x.name == name), "subnet", name, &join(&field, "name"))?;
            if !v.azs.contains(az) {
                return Err(EditError::not_found("availability zone", az, &join(&field, "az")));
            }
            check_cidr(cidr, &join(&field, "cidr"))?;
            rt_ix(v, route_table, &join(&field, "route_table"))?;
            v.subnets.push(SubnetSpec {
                name: name.clone(),
                az: az.clone(),
                cidr: cidr.clone(),
                route_table: route_table.clone(),
            });
            Ok(field)
        }
        RenameSubnet { from, to } => {
            let v = vpc_mut(s)?;
            let i = subnet_ix(v, from, "vpc.subnets")?;
            let field = format!("vpc.subnets[{i}].name");
            check_new_name(to, "subnet", &field)?;
            if from == to {
                return Ok(field);
            }
            unique(v.subnets.iter().any(|x| &x.name == to), "subnet", to, &field)?;
            v.subnets[i].name = to.clone();
            let re = |x: &mut String| {
                if x == from {
                    *x = to.clone();
                }
            };
            v.nat_gateways.iter_mut().for_each(|n| re(&mut n.subnet));
            v.resources.iter_mut().for_each(|r| re(&mut r.subnet));
            v.interface_endpoints.iter_mut().flat_map(|e| e.subnets.iter_mut()).for_each(re);
            s.functions
                .iter_mut()
                .filter_map(|f| f.vpc.as_mut())
                .flat_map(|c| c.subnets.iter_mut())
                .for_each(re);
            let (old_tag, new_tag) = (format!("subnet:{from}"), format!("subnet:{to}"));
            for h in s.chapters.iter_mut().flat_map(|c| c.highlight.iter_mut()) {
                if *h == old_tag {
                    *h = new_tag.clone();
                }
            }
            for c in &mut s.checks {
                let renamed = c.metric.split_once('.').and_then(|(head, tail)| {
                    (head.ends_with("_by_subnet") && tail == from).then(|| format!("{head}.{to}"))
                });
                if let Some(m) = renamed {
                    c.metric = m;
                }
            }
            Ok(field)
        }
        RemoveSubnet { name } => {
            let fn_users: Vec<String> = s
                .functions
                .iter()
                .filter(|f| f.vpc.as_ref().is_some_and(|c| c.subnets.contains(name)))
                .map(|f| format!("function {}", shown(&f.name)))
                .collect();
            let v = vpc_mut(s)?;
            let i = subnet_ix(v, name, "vpc.subnets")?;
            let field = format!("vpc.subnets[{i}]");
            let mut users = fn_users;
            users.extend(
                v.nat_gateways
                    .iter()
                    .filter(|n| &n.subnet == name)
                    .map(|n| format!("NAT gateway {}", shown(&n.name))),
            );
            users.extend(
                v.interface_endpoints
                    .iter()
                    .filter(|e| e.subnets.contains(name))
                    .map(|e| format!("the {} endpoint", shown(&e.service))),
            );
            users.extend(
                v.resources
                    .iter()
                    .filter(|r| &r.subnet == name)
                    .map(|r| format!("resource {}", shown(&r.name))),
            );
            if !users.is_empty() {
                return Err(EditError::in_use(
                    &field,
                    format!(
                        "subnet {} is used by {}: move or detach them first",
                        quoted(name),
                        users_text(&users)
                    ),
                ));
            }
            v.subnets.remove(i);
            Ok("vpc.subnets".into())
        }
        SetSubnetCidr { subnet, cidr } => {
            let v = vpc_mut(s)?;
            let i = subnet_ix(v, subnet, "vpc.subnets")?;
            let field = format!("vpc.subnets[{i}].cidr");
            check_cidr(cidr, &field)?;
            v.subnets[i].cidr = cidr.clone();
            Ok(field)
        }
        SetSubnetRouteTable { subnet, route_table } => {
            let v = vpc_mut(s)?;
            let i = subnet_ix(v, subnet, "vpc.subnets")?;
            let field = format!("vpc.subnets[{i}].route_table");
            rt_ix(v, route_table, &field)?;
            v.subnets[i].route_table = route_table.clone();
            Ok(field)
        }
        AddRouteTable { name, default_route } => {
            let v = vpc_mut(s)?;
            let field = format!("vpc.route_tables[{}]", v.route_tables.len());
            check_new_name(name, "route table", &join(&field, "name"))?;
            unique(
                v.route_tables.iter().any(|r| &r.name == name),
                "route table",
                name,
                &join(&field, "name"),
            )?;
            if let DefaultRoute::NatGateway(n) = default_route {
                nat_ix(v, n, &join(&field, "default_route"))?;
            }
            v.route_tables.push(RouteTableSpec {
                name: name.clone(),
                default_route: default_route.clone(),
                gateway_endpoints: vec![],
            });
            Ok(field)
        }
        SetDefaultRoute { route_table, target } => {
            let v = vpc_mut(s)?;
            let i = rt_ix(v, route_table, "vpc.route_tables")?;
            let field = format!("vpc.route_tables[{i}].default_route");
            if let DefaultRoute::NatGateway(n) = target {
                nat_ix(v, n, &field)?;
            }
            v.route_tables[i].default_route = target.clone();
            Ok(field)
        }
        AddGatewayEndpoint { route_table, service } => {
            let v = vpc_mut(s)?;
            let i = rt_ix(v, route_table, "vpc.route_tables")?;
            let rt = &mut v.route_tables[i];
            if !rt.gateway_endpoints.contains(service) {
                rt.gateway_endpoints.push(*service);
            }
            Ok(format!("vpc.route_tables[{i}].gateway_endpoints"))
        }
        RemoveGatewayEndpoint { route_table, service } => {
            let v = vpc_mut(s)?;
            let i = rt_ix(v, route_table, "vpc.route_tables")?;
            let field = format!("vpc.route_tables[{i}].gateway_endpoints");
            let rt = &mut v.route_tables[i];
            if !rt.gateway_endpoints.contains(service) {
                return Err(EditError::new(
                    EditErrorKind::NotFound,
                    &field,
                    format!("{} has no {} gateway endpoint", quoted(route_table), service.service()),
                ));
            }
            rt.gateway_endpoints.retain(|x| x != service);
            Ok(field)
        }
        AddInternetGateway { name } => {
            let v = vpc_mut(s)?;
            check_new_name(name, "internet gateway", "vpc.internet_gateway.name")?;
            if let Some(g) = &v.internet_gateway {
                return Err(EditError::bad(
                    "vpc.internet_gateway",
                    format!(
                        "the VPC already has internet gateway {}: a VPC has at most one",
                        quoted(&g.name)
                    ),
                ));
            }
            v.internet_gateway = Some(InternetGatewaySpec { name: name.clone(), attached: true });
            Ok("vpc.internet_gateway".into())
        }
        AttachInternetGateway | DetachInternetGateway => {
            let v = vpc_mut(s)?;
            let g = v.internet_gateway.as_mut().ok_or_else(|| {
                EditError::new(
                    EditErrorKind::NotFound,
                    "vpc.internet_gateway",
                    "the VPC has no internet gateway",
                )
            })?;
            g.attached = matches!(edit, AttachInternetGateway);
            Ok("vpc.internet_gateway.attached".into())
        }
        AddNatGateway { name, subnet } => {
            let v = vpc_mut(s)?;
            let field = format!("vpc.nat_gateways[{}]", v.nat_gateways.len());
            check_new_name(name, "NAT gateway", &join(&field, "name"))?;
            unique(
                v.nat_gateways.iter().any(|n| &n.name == name),
                "NAT gateway",
                name,
                &join(&field, "name"),
            )?;
            subnet_ix(v, subnet, &join(&field, "subnet"))?;
            v.nat_gateways.push(NatGatewaySpec { name: name.clone(), subnet: subnet.clone() });
            Ok(field)
        }
        MoveNatGateway { name, subnet } => {
            let v = vpc_mut(s)?;
            let i = nat_ix(v, name, "vpc.nat_gateways")?;
            let field = format!("vpc.nat_gateways[{i}].subnet");
            subnet_ix(v, subnet, &field)?;
            v.nat_gateways[i].subnet = subnet.clone();
            Ok(field)
        }
        RemoveNatGateway { name } => {
            let v = vpc_mut(s)?;
            let i = nat_ix(v, name, "vpc.nat_gateways")?;
            let field = format!("vpc.nat_gateways[{i}]");
            let users: Vec<String> = v
                .route_tables
                .iter()
                .filter(|r| r.default_route == DefaultRoute::NatGateway(name.clone()))
                .map(|r| format!("route table {}", shown(&r.name)))
                .collect();
            if !users.is_empty() {
                return Err(EditError::in_use(
                    &field,
                    format!(
                        "{} sends its default route to {}: point it elsewhere first",
                        users_text(&users),
                        quoted(name)
                    ),
                ));
            }
            v.nat_gateways.remove(i);
            Ok("vpc.nat_gateways".into())
        }
        AddInterfaceEndpoint { service, subnets, private_dns } => {
            let v = vpc_mut(s)?;
            let field = format!("vpc.interface_endpoints[{}]", v.interface_endpoints.len());
            check_text(service, &join(&field, "service"), MAX_NAME_LEN, "a service name such as sqs")?;
            if v.interface_endpoints.iter().any(|e| &e.service == service) {
                return Err(EditError::bad(
                    &join(&field, "service"),
                    format!("the VPC already has an interface endpoint for {}", quoted(service)),
                ));
            }
            check_subnets_exist(v, subnets, &join(&field, "subnets"))?;
            v.interface_endpoints.push(InterfaceEndpointSpec {
                service: service.clone(),
                subnets: subnets.clone(),
                private_dns: *private_dns,
            });
            Ok(field)
        }
        RemoveInterfaceEndpoint { service } => {
            let v = vpc_mut(s)?;
            let i = endpoint_ix(v, service, "vpc.interface_endpoints")?;
            v.interface_endpoints.remove(i);
            Ok("vpc.interface_endpoints".into())
        }
        SetPrivateDns { service, enabled } => {
            let v = vpc_mut(s)?;
            let i = endpoint_ix(v, service, "vpc.interface_endpoints")?;
            v.interface_endpoints[i].private_dns = *enabled;
            Ok(format!("vpc.interface_endpoints[{i}].private_dns"))
        }
        AddResource { name, kind, subnet, port, security_groups } => {
            let v = vpc_mut(s)?;
            let field = format!("vpc.resources[{}]", v.resources.len());
            check_new_name(name, "resource", &join(&field, "name"))?;
            unique(v.resources.iter().any(|r| &r.name == name), "resource", name, &join(&field, "name"))?;
            subnet_ix(v, subnet, &join(&field, "subnet"))?;
            check_sgs_exist(v, security_groups, &join(&field, "security_groups"))?;
            v.resources.push(ResourceSpec {
                name: name.clone(),
                kind: *kind,
                subnet: subnet.clone(),
                port: *port,
                security_groups: security_groups.clone(),
            });
            Ok(field)
        }
        MoveResource { name, subnet } => {
            let v = vpc_mut(s)?;
            let i = resource_ix(v, name, "vpc.resources")?;
            let field = format!("vpc.resources[{i}].subnet");
            subnet_ix(v, subnet, &field)?;
            v.resources[i].subnet = subnet.clone();
            Ok(field)
        }
        RemoveResource { name } => {
            let users: Vec<String> = s
                .functions
                .iter()
                .filter(|f| f.destinations.iter().any(|d| d.kind == DestinationKind::Resource(name.clone())))
                .map(|f| format!("function {}", shown(&f.name)))
                .collect();
            let v = vpc_mut(s)?;
            let i = resource_ix(v, name, "vpc.resources")?;
            if !users.is_empty() {
                return Err(EditError::in_use(
                    &format!("vpc.resources[{i}]"),
                    format!("{} calls {}: remove that destination first", users_text(&users), quoted(name)),
                ));
            }
            v.resources.remove(i);
            Ok("vpc.resources".into())
        }
        AddSecurityGroup { name, egress } => {
            let v = vpc_mut(s)?;
            let field = format!("vpc.security_groups[{}]", v.security_groups.len());
            check_new_name(name, "security group", &join(&field, "name"))?;
            unique(
                v.security_groups.iter().any(|g| &g.name == name),
                "security group",
                name,
                &join(&field, "name"),
            )?;
            check_egress(egress, &join(&field, "egress"))?;
            v.security_groups.push(SecurityGroupSpec { name: name.clone(), egress: egress.clone() });
            Ok(field)
        }
        SetEgressRules { security_group, egress } => {
            let v = vpc_mut(s)?;
            let i = sg_ix(v, security_group, "vpc.security_groups")?;
            let field = format!("vpc.security_groups[{i}].egress");
            check_egress(egress, &field)?;
            v.security_groups[i].egress = egress.clone();
            Ok(field)
        }
        ApplyFix(fix) => {
            check_fix_names(fix, 0)?;
            let mut fns: Vec<(String, Option<FunctionVpcSpec>)> =
                s.functions.iter().map(|f| (f.name.clone(), f.vpc.clone())).collect();
            let v = vpc_mut(s)?;
            fix.apply(v, &mut fns).map_err(|e| {
                let kind =
                    if e.starts_with("no ") { EditErrorKind::NotFound } else { EditErrorKind::BadInput };
                EditError::new(kind, "vpc", e)
            })?;
            for (f, (_, config)) in s.functions.iter_mut().zip(fns) {
                f.vpc = config;
            }
            Ok("vpc".into())
        }
    }
}

fn join(parent: &str, field: &str) -> String {
    crate::error::join(parent, field)
}

// Runs `change` on the named function; the touched field is `functions[i].<field>`.
fn function_field(
    s: &mut ScenarioSpec,
    function: &str,
    field: &str,
    change: impl FnOnce(&mut FunctionSpec) -> Result<(), EditError>,
) -> Result<String, EditError> {
    let i = fn_index(s, function)?;
    let path = format!("functions[{i}].{field}");
    let f = s.functions.get_mut(i).ok_or_else(|| EditError::not_found("function", function, "functions"))?;
    change(f).map_err(|mut e| {
        e.field = Some(path.clone());
        e
    })?;
    Ok(path)
}

// The names a fix creates follow the same rules as the editor's own; nesting is bounded.
fn check_fix_names(fix: &FixAction, depth: u32) -> Result<(), EditError> {
    if depth > 16 {
        return Err(EditError::bad("vpc", "the fix nests too many steps"));
    }
    match fix {
        FixAction::AddNatGateway { name, .. } => check_new_name(name, "NAT gateway", "vpc.nat_gateways"),
        FixAction::SetInternetGateway { name, .. } => {
            check_new_name(name, "internet gateway", "vpc.internet_gateway.name")
        }
        FixAction::AddRouteTable { route_table } => {
            check_new_name(&route_table.name, "route table", "vpc.route_tables")
        }
        FixAction::AddEgressRule { rule, .. } => {
            check_egress(std::slice::from_ref(rule), "vpc.security_groups")
        }
        FixAction::Steps { steps } => steps.iter().try_for_each(|f| check_fix_names(f, depth + 1)),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Undo and redo

/// Most entries an undo history keeps (the oldest go first).
pub const HISTORY_LIMIT: usize = 200;
/// Format version of an autosaved history.
pub const HISTORY_VERSION: u32 = 1;
const HISTORY_FORMAT: &str = "lambdascape-history";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryEntry {
    /// The edit that led to this spec ("open" for the first).
    label: String,
    spec: ScenarioSpec,
}

/// Undo and redo over whole specs: each entry is a scenario and the label of the edit that
/// produced it. Bounded to [`HISTORY_LIMIT`] entries; a new push clears what could be redone.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    entries: Vec<HistoryEntry>,
    position: usize,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedHistory {
    format: String,
    version: u32,
    position: u32,
    entries: Vec<HistoryEntry>,
}

impl History {
    /// A history whose only entry is `spec` (as opened).
    pub fn new(spec: ScenarioSpec) -> Self {
        History { entries: vec![HistoryEntry { label: "open".into(), spec }], position: 0 }
    }

    /// The scenario now in the editor.
    pub fn current(&self) -> &ScenarioSpec {
        // `position` always indexes `entries`, which is never empty.
        &self.entries[self.position.min(self.entries.len() - 1)].spec
    }

    /// Records `spec`, made by the edit `label`, as the current scenario; clears redo. A spec
    /// equal to the current one is not recorded (returns false).
    pub fn push(&mut self, spec: ScenarioSpec, label: impl Into<String>) -> bool {
        if &spec == self.current() {
            return false;
        }
        self.entries.truncate(self.position + 1);
        self.entries.push(HistoryEntry { label: bounded(&label.into(), MAX_LABEL_CHARS), spec });
        if self.entries.len() > HISTORY_LIMIT {
            let excess = self.entries.len() - HISTORY_LIMIT;
            self.entries.drain(..excess);
        }
        self.position = self.entries.len() - 1;
        true
    }

    /// Goes back one edit; the scenario now current.
    pub fn undo(&mut self) -> Option<&ScenarioSpec> {
        if !self.can_undo() {
            return None;
        }
        self.position -= 1;
        Some(self.current())
    }

    /// Goes forward one undone edit; the scenario now current.
    pub fn redo(&mut self) -> Option<&ScenarioSpec> {
        if !self.can_redo() {
            return None;
        }
        self.position += 1;
        Some(self.current())
    }

    pub fn can_undo(&self) -> bool {
        self.position > 0
    }

    pub fn can_redo(&self) -> bool {
        self.position + 1 < self.entries.len()
    }

    /// "Undo add NAT gateway nat-b", if there is something to undo.
    pub fn undo_label(&self) -> Option<String> {
        self.can_undo().then(|| format!("Undo {}", self.entries[self.position].label))
    }

    /// "Redo add NAT gateway nat-b", if there is something to redo.
    pub fn redo_label(&self) -> Option<String> {
        self.can_redo().then(|| format!("Redo {}", self.entries[self.position + 1].label))
    }

    /// Number of entries (the current one included).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Never true: a history always holds the current scenario.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The history as JSON for autosave: `{"format": "lambdascape-history", "version": 1,
    /// "position": p, "entries": [{"label", "spec"}]}`, the current scenario at `position`.
    pub fn to_json(&self) -> String {
        let saved = SavedHistory {
            format: HISTORY_FORMAT.into(),
            version: HISTORY_VERSION,
            position: u32::try_from(self.position).unwrap_or(0),
            entries: self.entries.clone(),
        };
        serde_json::to_string(&saved).unwrap_or_default()
    }

    /// Reads an autosave back. A damaged, foreign, older or newer autosave, or one whose
    /// scenarios no longer validate, gives a [`EditErrorKind::Corrupt`] error.
    pub fn from_json(text: &str) -> Result<History, EditError> {
        let value: Value = crate::reader::parse(text)
            .map_err(|e| EditError::corrupt(format!("the autosave is not readable JSON: {e}")))?;
        if value.get("format").and_then(Value::as_str) != Some(HISTORY_FORMAT) {
            return Err(EditError::corrupt("this is not a Lambdascape editor autosave"));
        }
        match value.get("version").and_then(Value::as_u64) {
            Some(v) if v == HISTORY_VERSION as u64 => {}
            Some(v) => {
                return Err(EditError::corrupt(format!(
                    "the autosave is version {v}; this Lambdascape reads version {HISTORY_VERSION}"
                )))
            }
            None => return Err(EditError::corrupt("the autosave has no version")),
        }
        let saved: SavedHistory = crate::reader::read(&value)
            .map_err(|e| EditError::corrupt(format!("the autosave is damaged: {e}")))?;
        if saved.entries.is_empty() || saved.entries.len() > HISTORY_LIMIT {
            return Err(EditError::corrupt(format!(
                "the autosave holds {} scenarios: expected 1 to {HISTORY_LIMIT}",
                saved.entries.len()
            )));
        }
        let position = saved.position as usize;
        if position >= saved.entries.len() {
            return Err(EditError::corrupt("the autosave's position is outside its history"));
        }
        for (i, e) in saved.entries.iter().enumerate() {
            if let Err(errs) = e.spec.validate() {
                let first = errs.0.first().map(|x| x.to_string()).unwrap_or_default();
                return Err(EditError::corrupt(format!(
                    "scenario {} of the autosave does not validate: {}",
                    i + 1,
                    bounded(&first, MAX_MESSAGE_CHARS)
                )));
            }
        }
        let entries = saved
            .entries
            .into_iter()
            .map(|e| HistoryEntry { label: bounded(&e.label, MAX_LABEL_CHARS), spec: e.spec })
            .collect();
        Ok(History { entries, position })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge3_carries_ours_where_theirs_did_not_touch() {
        let base = json!({"a": 1, "l": [{"name": "x", "v": 1}, {"name": "y", "v": 1}]});
        let ours = json!({"a": 2, "l": [{"name": "x2", "v": 1}, {"name": "y", "v": 1}]});
        let theirs =
            json!({"a": 1, "l": [{"name": "x", "v": 1}, {"name": "y", "v": 5}, {"name": "z", "v": 0}]});
        let m = merge3(&base, &ours, &theirs);
        assert_eq!(
            m,
            json!({"a": 2, "l": [{"name": "x2", "v": 1}, {"name": "y", "v": 5}, {"name": "z", "v": 0}]})
        );
        // A conflict goes to theirs.
        assert_eq!(merge3(&json!(1), &json!(2), &json!(3)), json!(3));
    }

    #[test]
    fn edits_round_trip_json() {
        let e = Edit::ApplyFix(FixAction::EnablePrivateDns { service: "sqs".into() });
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(text, r#"{"op":"apply_fix","action":"enable_private_dns","service":"sqs"}"#);
        assert_eq!(serde_json::from_str::<Edit>(&text).unwrap(), e);
        let e = Edit::AttachInternetGateway;
        assert_eq!(serde_json::to_string(&e).unwrap(), r#"{"op":"attach_internet_gateway"}"#);
    }

    #[test]
    fn edits_have_a_json_schema() {
        let schema = serde_json::to_string(&schemars::schema_for!(Edit)).unwrap();
        assert!(schema.contains("add_nat_gateway") && schema.contains("apply_fix"));
    }

    #[test]
    fn concerns_matches_fields_and_children() {
        assert!(concerns("functions[1].reserved_concurrency", "functions[1].reserved_concurrency"));
        assert!(concerns("vpc.subnets[2].cidr", "vpc.subnets[2]"));
        assert!(!concerns("vpc.subnets[20].cidr", "vpc.subnets[2]"));
        assert!(concerns("changes[0].patch: functions[0].memory_mb", "functions[0].memory_mb"));
    }
}
