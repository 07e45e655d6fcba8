//! A function's compute mode (on-demand, SnapStart with its runtime, Lambda Managed Instances,
//! Lambda Web Functions) and the main settings of the mode chosen. What a mode cannot take
//! (provisioned concurrency with SnapStart, a VPC with Web Functions…) is refused by the engine
//! with its reason, shown beside the select.

use super::fields::{select_field, text_field, Ctx};
use lambdascape_engine::edit::{ComputeMode, Edit};
use lambdascape_engine::editor::{self as ed, parse_count, parse_optional_count};
use lambdascape_engine::scenario::{FunctionSpec, ManagedInstancesSpec, SnapStartRuntime, WebSpec};
use std::rc::Rc;
use yew::prelude::*;

const RUNTIMES: [(SnapStartRuntime, &str); 3] = [
    (SnapStartRuntime::Java, "java"),
    (SnapStartRuntime::Python, "python"),
    (SnapStartRuntime::Dotnet, "dotnet"),
];

// The select's options: each mode, SnapStart once per runtime ("snapstart:python").
fn mode_options() -> Vec<(String, String)> {
    let mut o = vec![("on_demand".to_string(), "On-demand (one request per environment)".to_string())];
    for (r, v) in RUNTIMES {
        o.push((format!("snapstart:{v}"), format!("SnapStart ({})", r.label())));
    }
    o.push(("managed_instances".into(), "Lambda Managed Instances".into()));
    o.push(("web".into(), "Lambda Web Functions".into()));
    o
}

// The option the function's mode is.
fn mode_value(f: &FunctionSpec) -> String {
    match ComputeMode::of(f) {
        ComputeMode::OnDemand => "on_demand".into(),
        ComputeMode::SnapStart => {
            let runtime = f.snapstart.as_ref().map(|s| s.runtime).unwrap_or_default();
            let v = RUNTIMES.iter().find(|(r, _)| *r == runtime).map_or("java", |x| x.1);
            format!("snapstart:{v}")
        }
        ComputeMode::ManagedInstances => "managed_instances".into(),
        ComputeMode::Web => "web".into(),
    }
}

// An option's value to the edit that switches to it.
fn mode_edit(function: &str, value: &str) -> Option<Edit> {
    let (mode, runtime) = match value {
        "on_demand" => (ComputeMode::OnDemand, None),
        "managed_instances" => (ComputeMode::ManagedInstances, None),
        "web" => (ComputeMode::Web, None),
        v => {
            let name = v.strip_prefix("snapstart:")?;
            let r = RUNTIMES.iter().find(|(_, x)| *x == name)?.0;
            (ComputeMode::SnapStart, Some(r))
        }
    };
    Some(Edit::SetComputeMode { function: function.to_string(), mode, runtime })
}

fn web_fields(c: &Ctx, name: &str, w: &WebSpec) -> Html {
    let k = |field: &str| format!("fn:{name}:web:{field}");
    let n = name.to_string();
    html! { <div class="ed-grid">
        { text_field(c, &k("concurrency"), "Max concurrency per environment (1–128)", w.max_concurrency_per_environment.to_string(), "",
            { let n = n.clone(); Rc::new(move |t: &str| parse_count(t).map(|m| Edit::SetWebConcurrency { function: n.clone(), max_concurrency_per_environment: m })) }) }
        { text_field(c, &k("envs"), "Maximum environments", w.max_environments.map(|m| m.to_string()).unwrap_or_default(), "empty: no limit",
            { let n = n.clone(); Rc::new(move |t: &str| parse_optional_count(t).map(|max_environments| Edit::SetWebMaxEnvironments { function: n.clone(), max_environments })) }) }
        { text_field(c, &k("rate"), "Rate limit, requests/s", w.rate_limit.map(|r| r.to_string()).unwrap_or_default(), "empty: none (quota 10,000)",
            Rc::new(move |t: &str| {
                let rate_limit = if t.trim().is_empty() { None } else { Some(ed::parse_number(t)?) };
                Ok(Edit::SetWebRateLimit { function: n.clone(), rate_limit })
            })) }
    </div> }
}

// A share as a percentage, without float noise (0.07 → "7").
fn percent(share: f64) -> String {
    format!("{}", (share * 100_000.0).round() / 1000.0)
}

fn managed_instances_fields(c: &Ctx, name: &str, m: &ManagedInstancesSpec) -> Html {
    let k = |field: &str| format!("fn:{name}:mi:{field}");
    let n = name.to_string();
    html! { <div class="ed-grid">
        { text_field(c, &k("concurrency"), "Max concurrency per environment (1–1,600)", m.per_environment_max_concurrency.to_string(), "",
            { let n = n.clone(); Rc::new(move |t: &str| parse_count(t).map(|p| Edit::SetManagedInstancesConcurrency { function: n.clone(), per_environment_max_concurrency: p })) }) }
        { text_field(c, &k("vcpus"), "Capacity provider's maximum vCPUs", m.max_vcpus.to_string(), "",
            { let n = n.clone(); Rc::new(move |t: &str| parse_count(t).map(|max_vcpus| Edit::SetManagedInstancesMaxVcpus { function: n.clone(), max_vcpus })) }) }
        { text_field(c, &k("target"), "Target utilization %", percent(m.target_utilization), "of the environments' concurrency",
            Rc::new(move |t: &str| ed::parse_number(t).map(|v| Edit::SetManagedInstancesTargetUtilization { function: n.clone(), target_utilization: v / 100.0 }))) }
    </div> }
}

/// The function's compute mode select and the settings of its mode.
pub fn compute_part(c: &Ctx, f: &FunctionSpec) -> Html {
    let name = f.name.clone();
    let settings = match (&f.web, &f.managed_instances) {
        (Some(w), _) => web_fields(c, &name, w),
        (None, Some(m)) => managed_instances_fields(c, &name, m),
        _ => html! {},
    };
    let n = name.clone();
    html! {
        <div class="ed-sub" data-testid="ed-compute">
            <h4>{"Compute"}</h4>
            { select_field(c, &format!("fn:{name}:compute"), "Compute mode", mode_options(), &mode_value(f),
                Rc::new(move |v: &str| mode_edit(&n, v))) }
            { settings }
        </div>
    }
}
