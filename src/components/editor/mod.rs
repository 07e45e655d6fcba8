//! The scenario editor: a side panel beside the picture (never a modal), with undo/redo,
//! reset, and sections for the account, the selected function, its traffic, and the VPC
//! topology. Every field validates as typed with the engine's own validation; edits apply from
//! the current simulated time (see `state::edit`). Clicking an element in the picture opens its
//! section here; the advisor's findings sit in the section of the element they name.

mod compute;
mod fields;
mod traffic;

use fields::{edit_button, findings_view, key_error, select_field, text_field, Ctx};
use lambdascape_engine::edit::Edit;
use lambdascape_engine::editor::{self as ed, parse_count, parse_optional_count};
use lambdascape_engine::network::{DefaultRoute, ElementRef, Finding, GatewayService, ResourceKind, VpcSpec};
use lambdascape_engine::scenario::{FunctionSpec, InvocationType, ScalingModel, ScenarioSpec};
use lambdascape_engine::time::{micros_to_secs, Micros};
use lambdascape_ui::format::clock;
use lambdascape_ui::state::{Action, EditAction, Editing, Selection, Shared};
use std::rc::Rc;
use traffic::TrafficEditor;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub editing: Shared<Editing>,
    pub selection: Selection,
    pub now: Micros,
    pub findings: Shared<Vec<Finding>>,
    pub dispatch: Callback<Action>,
}

fn opts<'a>(it: impl Iterator<Item = &'a String>) -> Vec<(String, String)> {
    it.map(|s| (s.clone(), s.clone())).collect()
}

fn findings_of(all: &[Finding], hit: impl Fn(&ElementRef) -> bool) -> Vec<&Finding> {
    all.iter().filter(|f| f.elements.first().is_some_and(&hit)).collect()
}

fn account_section(c: &Ctx, s: &ScenarioSpec) -> Html {
    let a = &s.account;
    html! {
        <details class="ed-section" data-testid="ed-account">
            <summary>{"Account and Region"}</summary>
            { text_field(c, "account:region", "Region", a.region.clone(), "",
                Rc::new(|t: &str| Ok(Edit::SetRegion { region: t.trim().to_string() }))) }
            { text_field(c, "account:limit", "Concurrency limit (account)", a.concurrency_limit.to_string(), "",
                Rc::new(|t: &str| parse_count(t).map(|limit| Edit::SetConcurrencyLimit { limit }))) }
            { select_field(c, "account:model", "Scaling model",
                vec![("current".into(), "current (+1,000 per function every 10 s)".into()), ("legacy".into(), "legacy (burst quota, then +500/min)".into())],
                if a.scaling_model == ScalingModel::Legacy { "legacy" } else { "current" },
                Rc::new(|v: &str| Some(Edit::SetScalingModel { model: if v == "legacy" { ScalingModel::Legacy } else { ScalingModel::Current } }))) }
        </details>
    }
}

/// The function's VPC configuration: its subnets and security groups (toggled), picking
/// subnets on the picture, or connecting it to the VPC.
fn network_part(c: &Ctx, s: &ScenarioSpec, f: &FunctionSpec, picking: bool, p: &Props) -> Html {
    let name = f.name.clone();
    let k = |field: &str| format!("fn:{name}:{field}");
    let n = name.clone();
    match (&s.vpc, &f.vpc) {
        (Some(v), Some(fv)) => {
            let subnet_buttons = v.subnets.iter().map(|sn| {
                let on = fv.subnets.contains(&sn.name);
                let mut next = fv.subnets.clone();
                if on { next.retain(|x| x != &sn.name) } else { next.push(sn.name.clone()) }
                let edit = Edit::SetFunctionSubnets { function: n.clone(), subnets: next };
                html! { <button type="button" class={classes!("ed-chip", on.then_some("on"))} aria-pressed={on.to_string()}
                    data-testid={format!("fn-subnet-{}", sn.name)} onclick={c.commit(&k("subnets"), edit)}>{ &sn.name }</button> }
            });
            let sg_buttons = v.security_groups.iter().map(|g| {
                let on = fv.security_groups.contains(&g.name);
                let mut next = fv.security_groups.clone();
                if on { next.retain(|x| x != &g.name) } else { next.push(g.name.clone()) }
                let edit = Edit::SetFunctionSecurityGroups { function: n.clone(), security_groups: next };
                html! { <button type="button" class={classes!("ed-chip", on.then_some("on"))} aria-pressed={on.to_string()}
                    onclick={c.commit(&k("sgs"), edit)}>{ &g.name }</button> }
            });
            let pick = {
                let d = p.dispatch.clone();
                let target = if picking { None } else { Some(n.clone()) };
                Callback::from(move |_| d.emit(Action::Edit(EditAction::Pick(target.clone()))))
            };
            html! { <>
                <div class="ed-field"><span class="ed-label" id="ed-fn-subnets">{"Subnets (click to toggle)"}</span>
                    <div class="ed-chips" role="group" aria-labelledby="ed-fn-subnets">{ for subnet_buttons }</div>{ key_error(c, &k("subnets")) }</div>
                <button type="button" class={classes!("ed-btn", picking.then_some("on"))} aria-pressed={picking.to_string()} onclick={pick} data-testid="pick-subnets">
                    { if picking { "Done picking subnets" } else { "Pick subnets on the picture" } }</button>
                <div class="ed-field"><span class="ed-label" id="ed-fn-sgs">{"Security groups"}</span>
                    <div class="ed-chips" role="group" aria-labelledby="ed-fn-sgs">{ for sg_buttons }</div>{ key_error(c, &k("sgs")) }</div>
                { edit_button(c, &k("novpc"), "Remove VPC configuration", &format!("Remove the VPC configuration of {name}"), Edit::RemoveFunctionVpc { function: n.clone() }) }
                { key_error(c, &k("novpc")) }
            </> }
        }
        (Some(v), None) => html! { <>
            { edit_button(c, &k("vpc"), "Connect to the VPC", "Connect to the VPC (first subnet and security group)",
                Edit::SetFunctionVpc { function: n.clone(), subnets: v.subnets.iter().take(1).map(|x| x.name.clone()).collect(),
                    security_groups: v.security_groups.iter().take(1).map(|x| x.name.clone()).collect() }) }
            { key_error(c, &k("vpc")) }
        </> },
        _ => html! {},
    }
}

fn function_section(
    c: &Ctx,
    s: &ScenarioSpec,
    f: &FunctionSpec,
    findings: &[Finding],
    picking: bool,
    p: &Props,
) -> Html {
    let name = f.name.clone();
    let k = |field: &str| format!("fn:{name}:{field}");
    let n = name.clone();
    let pc = f.provisioned.as_ref();
    let found = findings_of(findings, |e| matches!(e, ElementRef::Function(x) if x == &name));
    let vpc_part = network_part(c, s, f, picking, p);
    let dests = f.destinations.iter().enumerate().map(|(i, d)| {
        let (list, n2) = (f.destinations.clone(), n.clone());
        let mut removed = f.destinations.clone();
        removed.remove(i);
        html! { <div class="ed-row">
            { text_field(c, &k(&format!("dest{i}")), &format!("{} — bytes per call", d.name), d.bytes_per_call.to_string(), "",
                Rc::new(move |t: &str| parse_count(t).map(|b| { let mut l = list.clone(); l[i].bytes_per_call = b as u64; Edit::SetDestinations { function: n2.clone(), destinations: l } }))) }
            { edit_button(c, &k("dests"), "Remove", &format!("Remove destination {}", d.name), Edit::SetDestinations { function: n.clone(), destinations: removed }) }
        </div> }
    });
    let add_dest = {
        let (list, n2) = (f.destinations.clone(), n.clone());
        text_field(
            c,
            &k("adddest"),
            "Add a destination (host on the internet, or s3, dynamodb, sqs…)",
            String::new(),
            "press Enter to add",
            Rc::new(move |t: &str| {
                let t = t.trim();
                if t.is_empty() {
                    return Err("enter a host name or a service".into());
                }
                let kind: lambdascape_engine::network::DestinationKind = match t {
                    "s3" => lambdascape_engine::network::DestinationKind::S3,
                    "dynamodb" => lambdascape_engine::network::DestinationKind::DynamoDb,
                    x if x.contains('.') => lambdascape_engine::network::DestinationKind::Internet(x.into()),
                    x => lambdascape_engine::network::DestinationKind::AwsService(x.into()),
                };
                let mut l = list.clone();
                l.push(
                    lambdascape_engine::size::reader::read(
                        &serde_json::json!({"name": t, "kind": kind, "bytes_per_call": 10000}),
                    )
                    .map_err(|e| e.to_string())?,
                );
                Ok(Edit::SetDestinations { function: n2.clone(), destinations: l })
            }),
        )
    };
    let scheduled = pc.map(|pc| pc.scheduled_actions.iter().map(|a| html! { <div class="ed-row">
        <span>{ format!("{} → min {:?}, max {:?}", a.name, a.min_capacity, a.max_capacity) }</span>
        { edit_button(c, &k("sched"), "Remove", &format!("Remove scheduled action {}", a.name), Edit::RemoveScheduledAction { function: n.clone(), name: a.name.clone() }) }
    </div> }).collect::<Html>()).unwrap_or_default();
    let tt = pc.and_then(|p| p.target_tracking.clone());
    html! {
        <details class="ed-section" open=true data-testid="ed-function">
            <summary>{ format!("Function {}", shorten(&name)) }</summary>
            { findings_view(c, &found) }
            <div class="ed-grid">
                { text_field(c, &k("reserved"), "Reserved concurrency", f.reserved_concurrency.map(|r| r.to_string()).unwrap_or_default(), "empty: none",
                    { let n = n.clone(); Rc::new(move |t: &str| parse_optional_count(t).map(|reserved| Edit::SetReservedConcurrency { function: n.clone(), reserved })) }) }
                { text_field(c, &k("pc"), "Provisioned concurrency", pc.map(|p| p.initial.to_string()).unwrap_or_default(), "empty: none",
                    { let n = n.clone(); Rc::new(move |t: &str| parse_optional_count(t).map(|initial| Edit::SetProvisionedConcurrency { function: n.clone(), initial })) }) }
                { text_field(c, &k("memory"), "Memory (MB)", f.memory_mb.to_string(), "",
                    { let n = n.clone(); Rc::new(move |t: &str| parse_count(t).map(|memory_mb| Edit::SetMemory { function: n.clone(), memory_mb })) }) }
                { text_field(c, &k("cpu"), "CPU share of duration", ed::cpu_bound_text(&f.cpu_bound), "e.g. 60% at 1024 MB; empty: none",
                    { let n = n.clone(); Rc::new(move |t: &str| ed::parse_cpu_bound(t).map(|cpu_bound| Edit::SetCpuBound { function: n.clone(), cpu_bound })) }) }
                { text_field(c, &k("timeout"), "Timeout", ed::duration_text(&f.timeout), "e.g. 5s, 15m",
                    { let n = n.clone(); Rc::new(move |t: &str| ed::parse_duration_field(t).map(|timeout| Edit::SetTimeout { function: n.clone(), timeout })) }) }
                { text_field(c, &k("init"), "Init (cold start) duration, ms", ed::dist_text(&f.init), "300 or lognormal 300 100",
                    { let n = n.clone(); Rc::new(move |t: &str| ed::parse_dist(t).map(|init| Edit::SetInitDuration { function: n.clone(), init })) }) }
                { text_field(c, &k("duration"), "Duration, ms", ed::dist_text(&f.duration), "300 or lognormal 300 100",
                    { let n = n.clone(); Rc::new(move |t: &str| ed::parse_dist(t).map(|duration| Edit::SetDuration { function: n.clone(), duration })) }) }
                { text_field(c, &k("idle"), "Idle lifetime", ed::lifetime_text(&f.idle_lifetime), "5m or 5m-10m",
                    { let n = n.clone(); Rc::new(move |t: &str| ed::parse_lifetime(t).map(|idle_lifetime| Edit::SetIdleLifetime { function: n.clone(), idle_lifetime })) }) }
                { select_field(c, &k("invocation"), "Invocation type", vec![("sync".into(), "synchronous".into()), ("async".into(), "asynchronous (event)".into())],
                    if f.invocation == InvocationType::Async { "async" } else { "sync" },
                    { let n = n.clone(); Rc::new(move |v: &str| Some(Edit::SetInvocationType { function: n.clone(), invocation: if v == "async" { InvocationType::Async } else { InvocationType::Sync } })) }) }
            </div>
            { compute::compute_part(c, f) }
            { if pc.is_some() { html! { <div class="ed-sub">
                <h4>{"Provisioned concurrency auto scaling"}</h4>
                { text_field(c, &k("tt"), "Target utilization % (empty: no policy)", tt.as_ref().map(|t| format!("{}", t.target_value * 100.0)).unwrap_or_default(), "",
                    { let (n, tt, init) = (n.clone(), tt.clone(), pc.map_or(1, |p| p.initial)); Rc::new(move |t: &str| {
                        if t.trim().is_empty() { return Ok(Edit::SetTargetTracking { function: n.clone(), policy: None }); }
                        let v = ed::parse_number(t)? / 100.0;
                        let mut pol = match tt.clone() { Some(p) => p, None => lambdascape_engine::size::reader::read(&serde_json::json!({"target_value": 0.7, "min_capacity": init.max(1), "max_capacity": init.max(1) * 4})).map_err(|e| e.to_string())? };
                        pol.target_value = v;
                        Ok(Edit::SetTargetTracking { function: n.clone(), policy: Some(pol) })
                    }) }) }
                { scheduled }
                { text_field(c, &k("addsched"), "Add scheduled action: name at min max", String::new(), "e.g. peak 8h 50 200",
                    { let n = n.clone(); Rc::new(move |t: &str| {
                        let w: Vec<&str> = t.split_whitespace().collect();
                        let [nm, at, lo, hi] = w.as_slice() else { return Err("write: name time min max, e.g. peak 8h 50 200".into()) };
                        let at = ed::duration_text(&ed::parse_duration_field(at)?);
                        let action = lambdascape_engine::size::reader::read(&serde_json::json!({"name": nm, "schedule": {"at": at}, "min_capacity": parse_count(lo)?, "max_capacity": parse_count(hi)?})).map_err(|e| e.to_string())?;
                        Ok(Edit::AddScheduledAction { function: n.clone(), action })
                    }) }) }
                { key_error(c, &k("sched")) }
            </div> } } else { html!{} } }
            <div class="ed-sub"><h4>{"Destinations"}</h4>{ for dests }{ add_dest }{ key_error(c, &k("dests")) }</div>
            { if s.vpc.is_some() { html! { <div class="ed-sub"><h4>{"Network"}</h4>{ vpc_part }</div> } } else { html!{} } }
            <div class="ed-sub"><h4>{"Traffic"}</h4>
                <TrafficEditor function={name.clone()} traffic={f.traffic.clone()} horizon_s={micros_to_secs(s.duration.micros())}
                    now_s={micros_to_secs(p.now)} errors={c.errors.clone()} dispatch={p.dispatch.clone()} />
            </div>
        </details>
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 48 {
        s.chars().take(47).chain(['…']).collect()
    } else {
        s.to_string()
    }
}

fn route_value(r: &DefaultRoute) -> String {
    match r {
        DefaultRoute::None => "none".into(),
        DefaultRoute::InternetGateway => "igw".into(),
        DefaultRoute::NatGateway(n) => format!("nat:{n}"),
    }
}

fn subnet_block(c: &Ctx, v: &VpcSpec, i: usize, open: bool, findings: &[Finding]) -> Html {
    let sn = &v.subnets[i];
    let name = sn.name.clone();
    let k = |f: &str| format!("subnet:{name}:{f}");
    let rt = v.route_tables.iter().find(|r| r.name == sn.route_table);
    let shared: Vec<&String> = v
        .subnets
        .iter()
        .filter(|x| x.route_table == sn.route_table && x.name != name)
        .map(|x| &x.name)
        .collect();
    let mut routes = vec![("none".to_string(), "none (VPC only)".to_string())];
    if v.internet_gateway.is_some() {
        routes.push(("igw".into(), "internet gateway (public)".into()));
    }
    routes.extend(
        v.nat_gateways
            .iter()
            .map(|n| (format!("nat:{}", n.name), format!("NAT gateway {} (in {})", n.name, n.subnet))),
    );
    let rt_name = sn.route_table.clone();
    let found = findings_of(findings, |e| {
        matches!(e, ElementRef::Subnet(x) if x == &name)
            || matches!(e, ElementRef::RouteTable(x) if x == &rt_name)
    });
    let nats = v.nat_gateways.iter().filter(|n| n.subnet == name).map(|n| html! {
        <div class="ed-row" data-testid={format!("nat-{}", n.name)}>
            <span>{ format!("NAT gateway {}", n.name) }</span>
            { select_field(c, &format!("nat:{}:move", n.name), "Move to", opts(v.subnets.iter().map(|s| &s.name)), &name,
                { let nn = n.name.clone(); Rc::new(move |to: &str| Some(Edit::MoveNatGateway { name: nn.clone(), subnet: to.to_string() })) }) }
            { edit_button(c, &format!("nat:{}:remove", n.name), "Remove", &format!("Remove NAT gateway {}", n.name), Edit::RemoveNatGateway { name: n.name.clone() }) }
            { key_error(c, &format!("nat:{}:remove", n.name)) }
        </div>
    });
    let resources = v.resources.iter().filter(|r| r.subnet == name).map(|r| html! {
        <div class="ed-row"><span>{ format!("{:?} {}", r.kind, r.name) }</span>
            { edit_button(c, &format!("res:{}", r.name), "Remove", &format!("Remove resource {}", r.name), Edit::RemoveResource { name: r.name.clone() }) }
            { key_error(c, &format!("res:{}", r.name)) }</div>
    });
    let next_nat = (1..)
        .map(|i| format!("nat-{i}"))
        .find(|n| v.nat_gateways.iter().all(|x| &x.name != n))
        .unwrap_or_default();
    let gw = rt.map(|rt| [GatewayService::S3, GatewayService::DynamoDb].into_iter().map(|g| {
        let on = rt.gateway_endpoints.contains(&g);
        let edit = if on { Edit::RemoveGatewayEndpoint { route_table: rt.name.clone(), service: g } } else { Edit::AddGatewayEndpoint { route_table: rt.name.clone(), service: g } };
        html! { <button type="button" class={classes!("ed-chip", on.then_some("on"))} aria-pressed={on.to_string()} onclick={c.commit(&k("gw"), edit)}>
            { format!("{} gateway endpoint", g.service()) }</button> }
    }).collect::<Html>()).unwrap_or_default();
    html! {
        <details class={classes!("ed-section", "ed-subnet")} open={open} id={fields::dom_id(&format!("subnet-{name}"))} data-testid={format!("ed-subnet-{name}")}>
            <summary>{ format!("Subnet {} · {} · {}", shorten(&name), sn.az, sn.cidr) }</summary>
            { findings_view(c, &found) }
            { text_field(c, &k("name"), "Name", name.clone(), "", { let n = name.clone(); Rc::new(move |t: &str| Ok(Edit::RenameSubnet { from: n.clone(), to: t.to_string() })) }) }
            { text_field(c, &k("cidr"), "CIDR block", sn.cidr.clone(), "", { let n = name.clone(); Rc::new(move |t: &str| Ok(Edit::SetSubnetCidr { subnet: n.clone(), cidr: t.trim().to_string() })) }) }
            { select_field(c, &k("route"), &format!("Default route (route table {}{})", rt_name, if shared.is_empty() { String::new() } else { format!(", shared with {}", shared.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")) }),
                routes, &rt.map(|r| route_value(&r.default_route)).unwrap_or_default(),
                { let rtn = rt_name.clone(); Rc::new(move |v: &str| Some(Edit::SetDefaultRoute { route_table: rtn.clone(), target: match v {
                    "igw" => DefaultRoute::InternetGateway, "none" => DefaultRoute::None, x => DefaultRoute::NatGateway(x.trim_start_matches("nat:").to_string()) } })) }) }
            { select_field(c, &k("rt"), "Route table", opts(v.route_tables.iter().map(|r| &r.name)), &rt_name,
                { let n = name.clone(); Rc::new(move |v: &str| Some(Edit::SetSubnetRouteTable { subnet: n.clone(), route_table: v.to_string() })) }) }
            <div class="ed-chips">{ gw }</div>{ key_error(c, &k("gw")) }
            { for nats }
            { for resources }
            <div class="ed-actions">
                { edit_button(c, &k("addnat"), "+ NAT gateway here", &format!("Add NAT gateway {next_nat} in {name}"), Edit::AddNatGateway { name: next_nat.clone(), subnet: name.clone() }) }
                { edit_button(c, &k("remove"), "Remove subnet", &format!("Remove subnet {name}"), Edit::RemoveSubnet { name: name.clone() }) }
            </div>
            { key_error(c, &k("addnat")) }{ key_error(c, &k("remove")) }
            { text_field(c, &k("addres"), "Place a private resource here: name [rds|cache|other]", String::new(), "e.g. orders-db rds",
                { let n = name.clone(); Rc::new(move |t: &str| {
                    let t = t.trim();
                    // The last word names the kind if it is one; the name may hold spaces.
                    let (nm, kind) = match t.rsplit_once(' ') {
                        Some((n, "rds")) => (n.trim(), ResourceKind::Rds),
                        Some((n, "cache")) => (n.trim(), ResourceKind::Cache),
                        Some((n, "other")) => (n.trim(), ResourceKind::Other),
                        _ => (t, ResourceKind::Other),
                    };
                    Ok(Edit::AddResource { name: nm.to_string(), kind, subnet: n.clone(), port: None, security_groups: vec![] })
                }) }) }
        </details>
    }
}

fn topology_section(c: &Ctx, v: &VpcSpec, sel: Option<&str>, findings: &[Finding]) -> Html {
    let azs = v.azs.iter().map(|az| html! { <div class="ed-row">
        { text_field(c, &format!("az:{az}"), "AZ", az.clone(), "", { let a = az.clone(); Rc::new(move |t: &str| Ok(Edit::RenameAz { from: a.clone(), to: t.to_string() })) }) }
        { edit_button(c, &format!("az:{az}:rm"), "Remove", &format!("Remove availability zone {az}"), Edit::RemoveAz { name: az.clone() }) }
        { key_error(c, &format!("az:{az}:rm")) }
    </div> });
    let igw = match &v.internet_gateway {
        Some(g) if g.attached => edit_button(
            c,
            "igw",
            "Detach internet gateway",
            &format!("Detach internet gateway {}", g.name),
            Edit::DetachInternetGateway,
        ),
        Some(g) => edit_button(
            c,
            "igw",
            "Attach internet gateway",
            &format!("Attach internet gateway {}", g.name),
            Edit::AttachInternetGateway,
        ),
        None => edit_button(
            c,
            "igw",
            "Add internet gateway",
            "Add an internet gateway",
            Edit::AddInternetGateway { name: "igw".into() },
        ),
    };
    let igw_found = findings_of(findings, |e| matches!(e, ElementRef::InternetGateway(_)));
    let endpoints = v.interface_endpoints.iter().map(|ep| html! { <div class="ed-row">
        <span>{ format!("{} in {}", ep.service, ep.subnets.join(", ")) }</span>
        { edit_button(c, &format!("ep:{}", ep.service), if ep.private_dns { "Private DNS on" } else { "Private DNS off" }, &format!("Turn private DNS {} for {}", if ep.private_dns { "off" } else { "on" }, ep.service),
            Edit::SetPrivateDns { service: ep.service.clone(), enabled: !ep.private_dns }) }
        { edit_button(c, &format!("ep:{}", ep.service), "Remove", &format!("Remove interface endpoint {}", ep.service), Edit::RemoveInterfaceEndpoint { service: ep.service.clone() }) }
        { key_error(c, &format!("ep:{}", ep.service)) }
    </div> });
    let sgs = v.security_groups.iter().map(|g| {
        let n = g.name.clone();
        text_field(
            c,
            &format!("sg:{n}"),
            &format!("Security group {n}: egress"),
            ed::egress_text(&g.egress),
            "0.0.0.0/0 or sg:db 5432, … (empty: none)",
            Rc::new(move |t: &str| {
                ed::parse_egress(t).map(|egress| Edit::SetEgressRules { security_group: n.clone(), egress })
            }),
        )
    });
    let first_az = v.azs.first().cloned().unwrap_or_default();
    let first_rt = v.route_tables.first().map(|r| r.name.clone()).unwrap_or_default();
    html! { <>
        { for v.subnets.iter().enumerate().map(|(i, s)| subnet_block(c, v, i, sel == Some(s.name.as_str()), findings)) }
        <details class="ed-section" data-testid="ed-vpc">
            <summary>{ format!("VPC {} · {}", shorten(&v.name), v.cidr) }</summary>
            <div class="ed-sub"><h4>{"Internet gateway"}</h4>{ findings_view(c, &igw_found) }{ igw }{ key_error(c, "igw") }</div>
            <div class="ed-sub"><h4>{"Availability zones"}</h4>{ for azs }
                { text_field(c, "az:add", "Add an AZ", String::new(), "press Enter", Rc::new(|t: &str| Ok(Edit::AddAz { name: t.trim().to_string() }))) }</div>
            <div class="ed-sub"><h4>{"Add a subnet"}</h4>
                { text_field(c, "subnet:add", "name cidr [az] [route table]", String::new(), &format!("e.g. private-c 10.0.12.0/24 {first_az} {first_rt}"),
                    Rc::new(move |t: &str| {
                        let w: Vec<&str> = t.split_whitespace().collect();
                        let (n, cidr, az, rt) = match w.as_slice() {
                            [n, c] => (*n, *c, first_az.as_str(), first_rt.as_str()),
                            [n, c, a] => (*n, *c, *a, first_rt.as_str()),
                            [n, c, a, r] => (*n, *c, *a, *r),
                            _ => return Err("write a name and a CIDR block, e.g. private-c 10.0.12.0/24".into()),
                        };
                        Ok(Edit::AddSubnet { name: n.into(), az: az.into(), cidr: cidr.into(), route_table: rt.into() })
                    })) }</div>
            <div class="ed-sub"><h4>{"Interface endpoints"}</h4>{ for endpoints }
                { text_field(c, "ep:add", "Add: service subnet[,subnet]", String::new(), "e.g. sqs private-a,private-b",
                    Rc::new(|t: &str| match t.split_whitespace().collect::<Vec<_>>().as_slice() {
                        [svc, subnets] => Ok(Edit::AddInterfaceEndpoint { service: svc.to_string(), subnets: ed::parse_names(subnets), private_dns: true }),
                        _ => Err("write a service and its subnets, e.g. sqs private-a,private-b".into()),
                    })) }</div>
            <div class="ed-sub"><h4>{"Security groups"}</h4>{ for sgs }</div>
        </details>
    </> }
}

#[derive(Properties, PartialEq)]
pub struct BarProps {
    pub editing: Shared<Editing>,
    pub dispatch: Callback<Action>,
}

/// The header's editing tools: open/close the editor, undo and redo (named by what they undo).
#[component]
pub fn EditBar(p: &BarProps) -> Html {
    let e = &*p.editing;
    let Some(session) = e.session.as_ref() else { return html! {} };
    let toggle = p.dispatch.reform(|_: MouseEvent| Action::Edit(EditAction::Toggle));
    let undo_label = session.history.undo_label();
    let redo_label = session.history.redo_label();
    let undo = p.dispatch.reform(|_: MouseEvent| Action::Edit(EditAction::Undo));
    let redo = p.dispatch.reform(|_: MouseEvent| Action::Edit(EditAction::Redo));
    html! {
        <div class="ed-bar" role="toolbar" aria-label="Editing">
            <button type="button" class={classes!("ed-btn", "ed-toggle", e.open.then_some("on"))} aria-expanded={e.open.to_string()}
                aria-controls="editor-body" onclick={toggle} data-testid="editor-toggle">{ if e.open { "✕ Close editor" } else { "✎ Edit" } }</button>
            <button type="button" class="ed-btn" disabled={undo_label.is_none()} onclick={undo} data-testid="undo"
                aria-label={undo_label.clone().unwrap_or_else(|| "Undo (nothing to undo)".into())} title={undo_label.clone().unwrap_or_default()}>{"↶"}</button>
            <button type="button" class="ed-btn" disabled={redo_label.is_none()} onclick={redo} data-testid="redo"
                aria-label={redo_label.clone().unwrap_or_else(|| "Redo (nothing to redo)".into())} title={redo_label.clone().unwrap_or_default()}>{"↷"}</button>
        </div>
    }
}

#[component]
pub fn EditorPanel(p: &Props) -> Html {
    use_edit_keys(p.dispatch.clone());
    // A subnet or NAT gateway clicked in the picture: bring its section into view.
    {
        let sel = p.selection;
        let name =
            match sel {
                Selection::Subnet(id) => p
                    .editing
                    .active
                    .as_ref()
                    .and_then(|a| a.spec.vpc.as_ref()?.subnets.get(id as usize).map(|x| x.name.clone())),
                Selection::Nat(id) => p.editing.active.as_ref().and_then(|a| {
                    a.spec.vpc.as_ref()?.nat_gateways.get(id as usize).map(|x| x.subnet.clone())
                }),
                _ => None,
            };
        let open = p.editing.open;
        use_effect_with((name, open), |(name, open)| {
            if let (Some(name), true) = (name, open) {
                let el = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(&fields::dom_id(&format!("subnet-{name}"))));
                if let Some(el) = el {
                    el.scroll_into_view();
                }
            }
        });
    }
    let e = &*p.editing;
    // The scenario as it stands now (its changes up to now applied): recomputed when the
    // session or the version in force changes.
    let spec_now = {
        let session = e.session.clone();
        let key = (e.session.as_ref().map_or(0, |s| Rc::as_ptr(s) as usize), e.active.clone());
        let now = p.now;
        use_memo(key, move |_| session.map(|s| lambdascape_engine::edit::effective_spec_at(s.current(), now)))
    };
    let Some(session) = e.session.as_ref() else { return html! {} };
    if !e.open {
        return html! {};
    }
    let Some(s) = spec_now.as_ref().as_ref() else { return html! {} };
    let c = Ctx { errors: Rc::new(session.errors.clone()), dispatch: p.dispatch.clone() };
    let fn_ix = match p.selection {
        Selection::Function(i) => i as usize,
        Selection::Env(_) | Selection::None | Selection::Subnet(_) | Selection::Nat(_) => 0,
    }
    .min(s.functions.len().saturating_sub(1));
    let sel_subnet = match p.selection {
        Selection::Subnet(id) => {
            s.vpc.as_ref().and_then(|v| v.subnets.get(id as usize)).map(|x| x.name.clone())
        }
        Selection::Nat(id) => {
            s.vpc.as_ref().and_then(|v| v.nat_gateways.get(id as usize)).map(|n| n.subnet.clone())
        }
        _ => None,
    };
    let fn_picker = if s.functions.len() > 1 {
        let d = p.dispatch.clone();
        let onchange = Callback::from(move |ev: Event| {
            if let Some(sel) =
                ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(t).ok())
            {
                if let Some(i) = lambdascape_engine::size::number::parse_uint::<u32>(&sel.value()) {
                    d.emit(Action::Select(Selection::Function(i)));
                }
            }
        });
        html! { <div class="ed-field"><label for="ed-fn-pick">{"Function"}</label>
        <select id="ed-fn-pick" {onchange}>{ for s.functions.iter().enumerate().map(|(i, f)| html! {
            <option value={i.to_string()} selected={i == fn_ix}>{ shorten(&f.name) }</option> }) }</select></div> }
    } else {
        html! {}
    };
    let when = if p.now == 0 {
        "Edits change the scenario from the start.".to_string()
    } else {
        format!("Edits apply from sim {} (recorded as a change); the past stays.", clock(p.now))
    };
    let reset = p.dispatch.reform(|_: MouseEvent| Action::Edit(EditAction::Reset));
    let picking = e.picking.is_some();
    let general = findings_of(&p.findings, |el| {
        !matches!(
            el,
            ElementRef::Function(_)
                | ElementRef::Subnet(_)
                | ElementRef::RouteTable(_)
                | ElementRef::InternetGateway(_)
        )
    });
    html! {
        <aside class="editor open" aria-label="Scenario editor" data-testid="editor">
            <div class="ed-body" id="editor-body">
                <p class="ed-when" data-testid="ed-when">{ when }</p>
                { session.status.as_ref().map(|st| html!{ <p class="ed-status" role="status" data-testid="ed-status">{ format!("✓ {}", shorten(st)) }</p> }).unwrap_or_default() }
                { if picking { html!{ <p class="ed-status picking" role="status">{"Click subnets in the picture to attach or detach them."}</p> } } else { html!{} } }
                { findings_view(&c, &general) }
                { fn_picker }
                { s.functions.get(fn_ix).map(|f| function_section(&c, s, f, &p.findings, picking, p)).unwrap_or_default() }
                { s.vpc.as_ref().map(|v| topology_section(&c, v, sel_subnet.as_deref(), &p.findings)).unwrap_or_default() }
                { account_section(&c, s) }
                <button type="button" class="ed-btn ed-reset" onclick={reset} data-testid="reset-preset">{"Reset to preset"}</button>
            </div>
        </aside>
    }
}

/// Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo (not while typing in a field, where the
/// browser's own undo of the text applies).
#[hook]
fn use_edit_keys(dispatch: Callback<Action>) {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use_effect_with((), move |_| {
        let cb = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(move |e: web_sys::KeyboardEvent| {
            if !(e.ctrl_key() || e.meta_key()) || e.alt_key() {
                return;
            }
            let tag = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .map(|t| t.tag_name())
                .unwrap_or_default();
            if matches!(tag.as_str(), "INPUT" | "TEXTAREA") {
                return;
            }
            let key = e.key().to_lowercase();
            let a = match (key.as_str(), e.shift_key()) {
                ("z", false) => EditAction::Undo,
                ("z", true) | ("y", _) => EditAction::Redo,
                _ => return,
            };
            e.prevent_default();
            dispatch.emit(Action::Edit(a));
        });
        let doc = web_sys::window().and_then(|w| w.document());
        if let Some(d) = &doc {
            let _ = d.add_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
        }
        move || {
            if let Some(d) = &doc {
                let _ = d.remove_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref());
            }
            drop(cb);
        }
    });
}
