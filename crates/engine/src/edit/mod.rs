//! The editing core of the scenario editor: every edit a learner makes, as data ([`Edit`], serde
//! JSON tagged by `"op"`), applied to a [`ScenarioSpec`] and validated by the engine's own
//! [`ScenarioSpec::validate`] ([`apply`]); the same edit made while a run is playing, recorded as
//! a [`ChangeSpec`] at that time ([`apply_live`]); and undo/redo with autosave ([`History`]).
//! The network advisor's fixes are edits too (several in order as one [`Edit::Steps`]), made
//! through the same checks as the editor's own.
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
//!   AZs and subnets, and edits of a function's compute mode and its settings, are refused
//!   during a run, with a pointer to time 0.
//! - Switching a function's compute mode ([`Edit::SetComputeMode`]) replaces the other modes'
//!   fields but removes nothing else: SnapStart on a function with provisioned concurrency is
//!   refused with AWS's reason at `functions[i].provisioned`, and the learner removes one of
//!   them (as with every combination a mode does not allow). The settings of a mode are edited
//!   only while the function runs in it.
//!
//! The modules: the edits of the account (`account`), of a function (`function`), of the VPC's
//! zones and subnets (`vpc`), its routing and gateways (`routing`), its security groups and
//! resources (`security`); the checks they share (`checks`); what an edit is called
//! (`labels`); how live changes are carried over an edit (`rebase`); undo and redo
//! (`history`). The editor session built on them is [`crate::editor`].

mod account;
mod checks;
mod error;
mod function;
mod history;
pub(crate) mod labels;
mod rebase;
mod routing;
mod security;
mod vpc;

pub use error::{EditError, EditErrorKind};
pub use history::{History, HISTORY_LIMIT, HISTORY_VERSION};

use crate::dist::DistSpec;
use crate::network::{
    allow_all_egress, DefaultRoute, DestinationSpec, EgressRule, GatewayService, ResourceKind,
};
use crate::scenario::{
    diff_patch, ChangeSpec, CpuBoundSpec, FunctionSpec, InvocationType, LifetimeSpec, Placement,
    ScalingModel, ScenarioSpec, ScheduledActionSpec, SnapStartRuntime, TargetTrackingSpec,
};
use crate::time::{format_duration, DurationSpec, Micros};
use crate::traffic::{Arrivals, TrafficSpec};
use rebase::{rebase, to_value};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Longest CSV text accepted for a traffic curve (100,000 lines fit easily).
pub const MAX_CSV_BYTES: usize = 8 << 20;
/// Longest label of an edit (the limit of a change's label).
pub const MAX_LABEL_CHARS: usize = 200;
/// Deepest nesting of [`Edit::Steps`] inside one another.
pub const MAX_STEP_DEPTH: u32 = 16;
/// Longest reason kept in an error (validation messages echo the values they refuse).
const MAX_MESSAGE_CHARS: usize = 300;

fn default_true() -> bool {
    true
}

/// One edit a learner makes in the editor, or a fix the network advisor proposes. JSON:
/// `{"op": "add_nat_gateway", "name": "nat-b", "subnet": "public-b"}`; several edits made as
/// one: `{"op": "steps", "steps": [{"op": ...}, ...]}`.
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
    /// The share of the duration that is CPU work on one thread and the memory it was measured
    /// at (`None` removes it: durations do not depend on memory).
    SetCpuBound {
        function: String,
        cpu_bound: Option<CpuBoundSpec>,
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
    /// Connects the function to the VPC (or replaces its subnets and security groups; its
    /// connections per invocation are kept).
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

    // --- Compute mode (docs/model.md#compute-modes) ----------------------------------------
    /// Switches the function to `mode`: its field (`snapstart`, `managed_instances`, `web`) is
    /// set, with AWS's defaults or the settings it already has in that mode, and the other
    /// modes' fields are removed. `runtime` is for SnapStart only (omitted: the runtime it has,
    /// else Java). Nothing else is removed: what the new mode cannot take (provisioned
    /// concurrency with SnapStart; provisioned or reserved concurrency, an event source or
    /// asynchronous invocation with Managed Instances and Web Functions; Managed Instances
    /// without VPC subnets or with less than 2 GB; a Web Function with a VPC) is refused with
    /// its field, and the learner removes it. Not during a run.
    SetComputeMode {
        function: String,
        mode: ComputeMode,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        runtime: Option<SnapStartRuntime>,
    },
    /// Web Functions' `maxConcurrencyPerEnvironment` (1–128). Needs Web Functions.
    SetWebConcurrency {
        function: String,
        max_concurrency_per_environment: u32,
    },
    /// Web Functions' `maxEnvironments`; `null` removes the limit. Needs Web Functions.
    SetWebMaxEnvironments {
        function: String,
        max_environments: Option<u32>,
    },
    /// Web Functions' `rateLimit` in requests per second (0–10,000); `null` removes it. Needs
    /// Web Functions.
    SetWebRateLimit {
        function: String,
        rate_limit: Option<f64>,
    },
    /// Managed Instances' `PerExecutionEnvironmentMaxConcurrency` (1–1,600). Needs Managed
    /// Instances.
    SetManagedInstancesConcurrency {
        function: String,
        per_environment_max_concurrency: u32,
    },
    /// The capacity provider's maximum vCPU count (at least the vCPUs of the instances
    /// launched at first). Needs Managed Instances.
    SetManagedInstancesMaxVcpus {
        function: String,
        max_vcpus: u32,
    },
    /// Share of the environments' concurrency the Managed Instances scaler aims to keep in use
    /// (above 0.05, at most 1). Needs Managed Instances.
    SetManagedInstancesTargetUtilization {
        function: String,
        target_utilization: f64,
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
    /// A route table without gateway endpoints (add them with `add_gateway_endpoint`).
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
    /// Adds the endpoint's route to the route table (nothing changes if it has it).
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
    /// Adds one egress rule after the security group's others.
    AddEgressRule {
        security_group: String,
        rule: EgressRule,
    },

    // --- Several -------------------------------------------------------------------------
    /// Several edits made in order as one, all or none (the advisor's fixes that take more
    /// than one edit). At most [`MAX_STEP_DEPTH`] levels of steps inside steps.
    Steps {
        steps: Vec<Edit>,
    },
}

/// A function's compute mode, as [`Edit::SetComputeMode`] chooses it (JSON: `"on_demand"`,
/// `"snapstart"`, `"managed_instances"`, `"web"`, the names of the scenario's fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComputeMode {
    /// On demand (with provisioned concurrency if the function has some).
    OnDemand,
    #[serde(rename = "snapstart")]
    SnapStart,
    ManagedInstances,
    Web,
}

impl ComputeMode {
    /// The mode's name as AWS spells it (as [`crate::scenario::Compute::label`]).
    pub fn label(self) -> &'static str {
        match self {
            ComputeMode::OnDemand => "on-demand",
            ComputeMode::SnapStart => "SnapStart",
            ComputeMode::ManagedInstances => "Lambda Managed Instances",
            ComputeMode::Web => "Lambda Web Functions",
        }
    }

    /// The mode `f` runs in (the first of its mode fields if it has several).
    pub fn of(f: &FunctionSpec) -> ComputeMode {
        if f.snapstart.is_some() {
            ComputeMode::SnapStart
        } else if f.managed_instances.is_some() {
            ComputeMode::ManagedInstances
        } else if f.web.is_some() {
            ComputeMode::Web
        } else {
            ComputeMode::OnDemand
        }
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
    apply_validated(spec, edit).map(|(spec, _)| spec)
}

/// [`apply`], with the edited scenario validated (checked once, for a caller that runs it).
pub fn apply_validated(
    spec: &ScenarioSpec,
    edit: &Edit,
) -> Result<(ScenarioSpec, crate::Scenario), EditError> {
    let mut base = spec.clone();
    base.changes.clear();
    let (edited, field) = edit_raw(&base, edit)?;
    let mut out = edited.clone();
    if !spec.changes.is_empty() {
        // A rename is made in every version of the scenario the changes give (they may have
        // added references to the old name); anything else is merged into them.
        let replay = edit.renames().then_some(edit);
        out.changes = rebase(&base, &edited, &spec.changes, replay);
    }
    let valid = out.validate().map_err(|e| EditError::invalid(e.0, &field))?;
    Ok((out, valid))
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

// The edit made on a copy, unvalidated, with the path of the field it touched.
fn edit_raw(spec: &ScenarioSpec, edit: &Edit) -> Result<(ScenarioSpec, String), EditError> {
    let mut s = spec.clone();
    let field = edit_in_place(&mut s, edit, 0)?;
    Ok((s, field))
}

// Makes the edit (`depth` steps deep); returns the path of the field it touched. On error `s`
// may be half edited: callers work on a copy.
fn edit_in_place(s: &mut ScenarioSpec, edit: &Edit, depth: u32) -> Result<String, EditError> {
    use Edit::*;
    match edit {
        SetRegion { region } => account::set_region(s, region),
        SetConcurrencyLimit { limit } => account::set_concurrency_limit(s, *limit),
        SetScalingModel { model } => account::set_scaling_model(s, *model),

        SetReservedConcurrency { function, reserved } => {
            function::set(s, function, "reserved_concurrency", |f| f.reserved_concurrency = *reserved)
        }
        SetProvisionedConcurrency { function, initial } => function::set_provisioned(s, function, *initial),
        SetTargetTracking { function, policy } => function::set_target_tracking(s, function, policy),
        AddScheduledAction { function, action } => function::add_scheduled_action(s, function, action),
        RemoveScheduledAction { function, name } => function::remove_scheduled_action(s, function, name),
        SetMemory { function, memory_mb } => {
            function::set(s, function, "memory_mb", |f| f.memory_mb = *memory_mb)
        }
        SetTimeout { function, timeout } => function::set(s, function, "timeout", |f| f.timeout = *timeout),
        SetInitDuration { function, init } => function::set(s, function, "init", |f| f.init = init.clone()),
        SetDuration { function, duration } => {
            function::set(s, function, "duration", |f| f.duration = duration.clone())
        }
        SetIdleLifetime { function, idle_lifetime } => {
            function::set(s, function, "idle_lifetime", |f| f.idle_lifetime = idle_lifetime.clone())
        }
        SetCpuBound { function, cpu_bound } => {
            function::set(s, function, "cpu_bound", |f| f.cpu_bound = *cpu_bound)
        }
        SetInvocationType { function, invocation } => {
            function::set(s, function, "invocation", |f| f.invocation = *invocation)
        }
        SetErrorRate { function, error_rate } => {
            function::set(s, function, "error_rate", |f| f.error_rate = *error_rate)
        }
        SetDestinations { function, destinations } => function::set_destinations(s, function, destinations),
        SetTraffic { function, traffic } => function::set_traffic(s, function, traffic),
        SetTrafficCsv { function, csv, arrivals } => function::set_traffic_csv(s, function, csv, *arrivals),
        SetFunctionSubnets { function, subnets } => function::set_subnets(s, function, subnets),
        SetFunctionSecurityGroups { function, security_groups } => {
            function::set_security_groups(s, function, security_groups)
        }
        SetFunctionVpc { function, subnets, security_groups } => {
            function::set_vpc(s, function, subnets, security_groups)
        }
        RemoveFunctionVpc { function } => function::set(s, function, "vpc", |f| f.vpc = None),
        SetPlacement { function, placement } => {
            function::set(s, function, "placement", |f| f.placement = *placement)
        }

        SetComputeMode { function, mode, runtime } => {
            function::set_compute_mode(s, function, *mode, *runtime)
        }
        SetWebConcurrency { function, max_concurrency_per_environment: n } => {
            function::set_web(s, function, "max_concurrency_per_environment", |w| {
                w.max_concurrency_per_environment = *n
            })
        }
        SetWebMaxEnvironments { function, max_environments } => {
            function::set_web(s, function, "max_environments", |w| w.max_environments = *max_environments)
        }
        SetWebRateLimit { function, rate_limit } => {
            function::set_web(s, function, "rate_limit", |w| w.rate_limit = *rate_limit)
        }
        SetManagedInstancesConcurrency { function, per_environment_max_concurrency: n } => {
            function::set_managed_instances(s, function, "per_environment_max_concurrency", |m| {
                m.per_environment_max_concurrency = *n
            })
        }
        SetManagedInstancesMaxVcpus { function, max_vcpus } => {
            function::set_managed_instances(s, function, "max_vcpus", |m| m.max_vcpus = *max_vcpus)
        }
        SetManagedInstancesTargetUtilization { function, target_utilization } => {
            function::set_managed_instances(s, function, "target_utilization", |m| {
                m.target_utilization = *target_utilization
            })
        }

        AddVpc { name, cidr, azs } => vpc::add_vpc(s, name, cidr, azs),
        AddAz { name } => vpc::add_az(s, name),
        RenameAz { from, to } => vpc::rename_az(s, from, to),
        RemoveAz { name } => vpc::remove_az(s, name),
        AddSubnet { name, az, cidr, route_table } => vpc::add_subnet(s, name, az, cidr, route_table),
        RenameSubnet { from, to } => vpc::rename_subnet(s, from, to),
        RemoveSubnet { name } => vpc::remove_subnet(s, name),
        SetSubnetCidr { subnet, cidr } => vpc::set_subnet_cidr(s, subnet, cidr),
        SetSubnetRouteTable { subnet, route_table } => vpc::set_subnet_route_table(s, subnet, route_table),

        AddRouteTable { name, default_route } => routing::add_route_table(s, name, default_route),
        SetDefaultRoute { route_table, target } => routing::set_default_route(s, route_table, target),
        AddGatewayEndpoint { route_table, service } => {
            routing::add_gateway_endpoint(s, route_table, *service)
        }
        RemoveGatewayEndpoint { route_table, service } => {
            routing::remove_gateway_endpoint(s, route_table, *service)
        }
        AddInternetGateway { name } => routing::add_internet_gateway(s, name),
        AttachInternetGateway => routing::attach_internet_gateway(s, true),
        DetachInternetGateway => routing::attach_internet_gateway(s, false),
        AddNatGateway { name, subnet } => routing::add_nat_gateway(s, name, subnet),
        MoveNatGateway { name, subnet } => routing::move_nat_gateway(s, name, subnet),
        RemoveNatGateway { name } => routing::remove_nat_gateway(s, name),
        AddInterfaceEndpoint { service, subnets, private_dns } => {
            routing::add_interface_endpoint(s, service, subnets, *private_dns)
        }
        RemoveInterfaceEndpoint { service } => routing::remove_interface_endpoint(s, service),
        SetPrivateDns { service, enabled } => routing::set_private_dns(s, service, *enabled),

        AddResource { name, kind, subnet, port, security_groups } => {
            security::add_resource(s, name, *kind, subnet, *port, security_groups)
        }
        MoveResource { name, subnet } => security::move_resource(s, name, subnet),
        RemoveResource { name } => security::remove_resource(s, name),
        AddSecurityGroup { name, egress } => security::add_security_group(s, name, egress),
        SetEgressRules { security_group, egress } => security::set_egress_rules(s, security_group, egress),
        AddEgressRule { security_group, rule } => security::add_egress_rule(s, security_group, rule),

        Steps { steps } => steps_in_place(s, steps, depth),
    }
}

// Each step in order; the touched field is the one all steps are under ("" if none).
fn steps_in_place(s: &mut ScenarioSpec, steps: &[Edit], depth: u32) -> Result<String, EditError> {
    if depth >= MAX_STEP_DEPTH {
        return Err(EditError::bad("", "the edit nests too many steps"));
    }
    let mut common: Option<String> = None;
    for step in steps {
        let field = edit_in_place(s, step, depth + 1)?;
        common = Some(match common {
            None => field,
            Some(c) => common_field(&c, &field).to_string(),
        });
    }
    Ok(common.unwrap_or_default())
}

// The longest field path both `a` and `b` are at or under: "vpc" for "vpc.nat_gateways[2]" and
// "vpc.route_tables[0].default_route".
fn common_field<'a>(a: &'a str, b: &str) -> &'a str {
    let mut end = 0;
    for ((i, x), y) in a.char_indices().zip(b.chars()) {
        if x != y {
            return &a[..end];
        }
        if matches!(x, '.' | '[') {
            end = i;
        }
    }
    let n = a.len().min(b.len());
    let at_boundary = |s: &str| s.len() == n || s[n..].starts_with(['.', '[']);
    if at_boundary(a) && at_boundary(b) {
        &a[..n]
    } else {
        &a[..end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::GatewayService;

    #[test]
    fn edits_round_trip_json() {
        let e = Edit::Steps {
            steps: vec![
                Edit::SetPrivateDns { service: "sqs".into(), enabled: true },
                Edit::AddGatewayEndpoint { route_table: "rt".into(), service: GatewayService::S3 },
            ],
        };
        let text = serde_json::to_string(&e).unwrap();
        assert_eq!(
            text,
            r#"{"op":"steps","steps":[{"op":"set_private_dns","service":"sqs","enabled":true},{"op":"add_gateway_endpoint","route_table":"rt","service":"s3"}]}"#
        );
        assert_eq!(crate::size::reader::from_str::<Edit>(&text).unwrap(), e);
        let e = Edit::AttachInternetGateway;
        assert_eq!(serde_json::to_string(&e).unwrap(), r#"{"op":"attach_internet_gateway"}"#);
    }

    #[test]
    fn edits_have_a_json_schema() {
        let schema = serde_json::to_string(&schemars::schema_for!(Edit)).unwrap();
        assert!(schema.contains("add_nat_gateway") && schema.contains("add_egress_rule"));
        assert!(schema.contains("steps"));
    }

    #[test]
    fn common_field_stops_at_a_path_boundary() {
        assert_eq!(common_field("vpc.nat_gateways[2]", "vpc.route_tables[0].default_route"), "vpc");
        assert_eq!(common_field("vpc.subnets[2].cidr", "vpc.subnets[2].name"), "vpc.subnets[2]");
        assert_eq!(common_field("vpc.subnets[2]", "vpc.subnets[20]"), "vpc.subnets");
        assert_eq!(common_field("vpc.subnets[2]", "vpc.subnets[2].cidr"), "vpc.subnets[2]");
        assert_eq!(common_field("vpc", "vpc"), "vpc");
        assert_eq!(common_field("functions[0].vpc", "vpc.route_tables"), "");
    }
}
