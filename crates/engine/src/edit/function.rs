//! Edits of a function: concurrency, provisioned concurrency and its scaling, durations,
//! invocation, destinations, traffic, its VPC configuration, and its compute mode with the main
//! settings of Web Functions and Managed Instances.

use super::checks::{
    check_new_name, check_sgs_exist, check_subnets_exist, check_text, fn_index, join, unique, vpc_ref,
};
use super::labels::shown;
use super::{ComputeMode, EditError, MAX_CSV_BYTES};
use crate::network::{DestinationKind, DestinationSpec, FunctionVpcSpec};
use crate::scenario::{
    FunctionSpec, ManagedInstancesSpec, ProvisionedSpec, ScenarioSpec, ScheduledActionSpec, SnapStartRuntime,
    TargetTrackingSpec, WebSpec,
};
use crate::time::DurationSpec;
use crate::traffic::{parse_points_csv, Arrivals, RatePoint, TrafficSpec};

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

/// Sets `field` of the named function with `change` (which checks nothing: validation does).
pub(super) fn set(
    s: &mut ScenarioSpec,
    function: &str,
    field: &str,
    change: impl FnOnce(&mut FunctionSpec),
) -> Result<String, EditError> {
    function_field(s, function, field, |f| {
        change(f);
        Ok(())
    })
}

/// Provisioned concurrency of `initial` environments with the format's defaults for the rest
/// (read once: a sweep sets it for each of its points).
fn provisioned_defaults(initial: u32) -> Result<ProvisionedSpec, EditError> {
    static DEFAULTS: std::sync::OnceLock<Result<ProvisionedSpec, String>> = std::sync::OnceLock::new();
    let defaults =
        DEFAULTS.get_or_init(|| crate::size::reader::from_str("{\"initial\": 0}").map_err(|e| e.to_string()));
    let mut p = defaults.clone().map_err(|e| EditError::bad("provisioned", e))?;
    p.initial = initial;
    Ok(p)
}

pub(super) fn set_provisioned(
    s: &mut ScenarioSpec,
    function: &str,
    initial: Option<u32>,
) -> Result<String, EditError> {
    function_field(s, function, "provisioned", |f| {
        match (initial, f.provisioned.as_mut()) {
            (None, _) => f.provisioned = None,
            (Some(n), Some(p)) => p.initial = n,
            (Some(n), None) => f.provisioned = Some(provisioned_defaults(n)?),
        }
        Ok(())
    })
}

pub(super) fn set_target_tracking(
    s: &mut ScenarioSpec,
    function: &str,
    policy: &Option<TargetTrackingSpec>,
) -> Result<String, EditError> {
    function_field(s, function, "provisioned.target_tracking", |f| {
        let name = shown(&f.name);
        let p = f.provisioned.as_mut().ok_or_else(|| {
            EditError::bad("", format!("{name} has no provisioned concurrency: set it first"))
        })?;
        p.target_tracking = policy.clone();
        Ok(())
    })
}

pub(super) fn add_scheduled_action(
    s: &mut ScenarioSpec,
    function: &str,
    action: &ScheduledActionSpec,
) -> Result<String, EditError> {
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

pub(super) fn remove_scheduled_action(
    s: &mut ScenarioSpec,
    function: &str,
    name: &str,
) -> Result<String, EditError> {
    let i = fn_index(s, function)?;
    let field = format!("functions[{i}].provisioned.scheduled_actions");
    let actions = s.functions[i].provisioned.as_mut().map(|p| &mut p.scheduled_actions);
    let Some(actions) = actions else {
        return Err(EditError::not_found("scheduled action", name, &field));
    };
    let j = actions
        .iter()
        .position(|a| a.name == name)
        .ok_or_else(|| EditError::not_found("scheduled action", name, &field))?;
    actions.remove(j);
    Ok(field)
}

pub(super) fn set_destinations(
    s: &mut ScenarioSpec,
    function: &str,
    destinations: &[DestinationSpec],
) -> Result<String, EditError> {
    function_field(s, function, "destinations", |f| {
        for d in destinations {
            check_new_name(&d.name, "destination", "")?;
            if let DestinationKind::Internet(x)
            | DestinationKind::AwsService(x)
            | DestinationKind::Resource(x) = &d.kind
            {
                check_text(x, "", 253, "a host, service or resource name")?;
            }
        }
        f.destinations = destinations.to_vec();
        Ok(())
    })
}

pub(super) fn set_traffic(
    s: &mut ScenarioSpec,
    function: &str,
    traffic: &TrafficSpec,
) -> Result<String, EditError> {
    function_field(s, function, "traffic", |f| {
        if let TrafficSpec::Points { csv: Some(text), .. } = traffic {
            if text.len() > MAX_CSV_BYTES {
                return Err(EditError::bad("", "the CSV text is longer than 8 MiB"));
            }
        }
        f.traffic = traffic.clone();
        Ok(())
    })
}

pub(super) fn set_traffic_csv(
    s: &mut ScenarioSpec,
    function: &str,
    csv: &str,
    arrivals: Arrivals,
) -> Result<String, EditError> {
    function_field(s, function, "traffic", |f| {
        if csv.len() > MAX_CSV_BYTES {
            return Err(EditError::bad("", "the CSV text is longer than 8 MiB"));
        }
        let knots = parse_points_csv(csv).map_err(|e| EditError::bad("", e))?;
        let points =
            knots.into_iter().map(|(t, rate)| RatePoint { at: DurationSpec::Seconds(t), rate }).collect();
        f.traffic = TrafficSpec::Points { points, csv: None, arrivals };
        Ok(())
    })
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

pub(super) fn set_subnets(
    s: &mut ScenarioSpec,
    function: &str,
    subnets: &[String],
) -> Result<String, EditError> {
    let i = fn_index(s, function)?;
    let field = format!("functions[{i}].vpc.subnets");
    check_subnets_exist(vpc_ref(s)?, subnets, &field)?;
    function_vpc(s, i, function, &field)?.subnets = subnets.to_vec();
    Ok(field)
}

pub(super) fn set_security_groups(
    s: &mut ScenarioSpec,
    function: &str,
    security_groups: &[String],
) -> Result<String, EditError> {
    let i = fn_index(s, function)?;
    let field = format!("functions[{i}].vpc.security_groups");
    check_sgs_exist(vpc_ref(s)?, security_groups, &field)?;
    function_vpc(s, i, function, &field)?.security_groups = security_groups.to_vec();
    Ok(field)
}

pub(super) fn set_vpc(
    s: &mut ScenarioSpec,
    function: &str,
    subnets: &[String],
    security_groups: &[String],
) -> Result<String, EditError> {
    let i = fn_index(s, function)?;
    let field = format!("functions[{i}].vpc");
    let v = vpc_ref(s)?;
    check_subnets_exist(v, subnets, &join(&field, "subnets"))?;
    check_sgs_exist(v, security_groups, &join(&field, "security_groups"))?;
    // The per-invocation connection count is not part of this edit: keep it.
    let connections_per_invocation = s.functions[i].vpc.as_ref().and_then(|v| v.connections_per_invocation);
    s.functions[i].vpc = Some(FunctionVpcSpec {
        subnets: subnets.to_vec(),
        security_groups: security_groups.to_vec(),
        connections_per_invocation,
    });
    Ok(field)
}

/// Switches the function's compute mode (see [`super::Edit::SetComputeMode`]): the new mode's
/// field is set (kept if the function already runs in that mode) and the other modes' fields
/// removed; provisioned and reserved concurrency, the VPC and the invocation stay as they are,
/// for validation to refuse what the new mode cannot take. The touched field is the function
/// (`functions[i]`): the mode's fields are several.
pub(super) fn set_compute_mode(
    s: &mut ScenarioSpec,
    function: &str,
    mode: ComputeMode,
    runtime: Option<SnapStartRuntime>,
) -> Result<String, EditError> {
    let i = fn_index(s, function)?;
    let path = format!("functions[{i}]");
    if runtime.is_some() && mode != ComputeMode::SnapStart {
        return Err(EditError::bad(&path, "a runtime is chosen for SnapStart only"));
    }
    let f = &mut s.functions[i];
    let snapstart = f.snapstart.take();
    let managed_instances = f.managed_instances.take();
    let web = f.web.take();
    match mode {
        ComputeMode::OnDemand => {}
        ComputeMode::SnapStart => {
            let mut spec = snapstart.unwrap_or_default();
            if let Some(r) = runtime {
                spec.runtime = r;
            }
            f.snapstart = Some(spec);
        }
        ComputeMode::ManagedInstances => {
            f.managed_instances = Some(managed_instances.unwrap_or_default());
        }
        ComputeMode::Web => f.web = Some(web.unwrap_or_default()),
    }
    Ok(path)
}

/// Sets `field` of the named Web Function with `change` (validation checks the value).
pub(super) fn set_web(
    s: &mut ScenarioSpec,
    function: &str,
    field: &str,
    change: impl FnOnce(&mut WebSpec),
) -> Result<String, EditError> {
    function_field(s, function, &format!("web.{field}"), |f| {
        let name = shown(&f.name);
        let w = f.web.as_mut().ok_or_else(|| {
            EditError::bad(
                "",
                format!("{name} does not run as a Lambda Web Function: switch its compute mode first"),
            )
        })?;
        change(w);
        Ok(())
    })
}

/// Sets `field` of the named Managed Instances function with `change` (validation checks the
/// value).
pub(super) fn set_managed_instances(
    s: &mut ScenarioSpec,
    function: &str,
    field: &str,
    change: impl FnOnce(&mut ManagedInstancesSpec),
) -> Result<String, EditError> {
    function_field(s, function, &format!("managed_instances.{field}"), |f| {
        let name = shown(&f.name);
        let m = f.managed_instances.as_mut().ok_or_else(|| {
            EditError::bad(
                "",
                format!("{name} does not run on Lambda Managed Instances: switch its compute mode first"),
            )
        })?;
        change(m);
        Ok(())
    })
}
