//! The inspector: what is selected (an environment or a function), its state, age, work done,
//! and why its calls fail.

use lambdascape_engine::chart::throttle_explanation;
use lambdascape_engine::network::{topology::DefaultTarget, ElementRef, Finding, NatId, SubnetId};
use lambdascape_engine::scenario::{Compute, InvocationType, ScalingModel, Scenario};
use lambdascape_engine::sim::{EnvState, ThrottleCause};
use lambdascape_engine::view::{EnvInfo, Frame, NetPath};
use lambdascape_ui::format::{clock, count, countf, span};
use lambdascape_ui::state::{Selection, Shared};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub scenario: Shared<Scenario>,
    pub frame: Shared<Frame>,
    pub selection: Selection,
    pub env: Option<EnvInfo>,
    pub findings: Shared<Vec<Finding>>,
    pub on_select: Callback<Selection>,
}

/// One path, hop by hop, and why it fails.
fn path_item(sc: &Scenario, path: &NetPath) -> Html {
    let func = &sc.functions[path.function as usize].name;
    let hops: Vec<String> = path.reach.hops().iter().map(|h| h.label()).collect();
    match (path.reach.reason(), path.reach.code()) {
        (Some(reason), Some(code)) => html! {
            <li class="path-item failing" data-testid="path-item">
                <div><strong class="c-timeout">{ format!("✕ {func} → {}: unreachable", path.dest_name) }</strong></div>
                <div class="hops">{ hops.join(" → ") }{" ✕"}</div>
                <div class="why">{ format!("Why: {reason}. ") }{ code.sentence() }</div>
                <div class="why">{ format!("So each call waits until the function's {} timeout (Task timed out) and the environment stays in this subnet while warm.", span(sc.functions[path.function as usize].timeout)) }</div>
            </li>
        },
        _ => html! {
            <li class="path-item ok" data-testid="path-item">
                <div><strong class="c-ok">{ format!("✓ {func} → {}: reachable", path.dest_name) }</strong>
                    { if path.reach.added_latency_us() > 0 { format!(" (+{} ms)", path.reach.added_latency_us() as f64 / 1000.0) } else { String::new() } }</div>
                <div class="hops">{ hops.join(" → ") }</div>
            </li>
        },
    }
}

fn findings_list(found: &[&Finding]) -> Html {
    if found.is_empty() {
        return html! {};
    }
    html! {
        <div class="why-fail">
            <h4>{"Advisor"}</h4>
            <ul>{ for found.iter().map(|f| html! {
                <li data-testid="finding"><strong>{ format!("⚠ {}", f.title) }</strong><div class="why">{ &f.why }</div>
                    { f.fix.as_ref().map(|x| html!{ <div class="fix">{ format!("Fix: {}", x.label()) }</div> }).unwrap_or_default() }</li>
            }) }</ul>
        </div>
    }
}

fn row(k: &str, v: String) -> Html {
    html! { <><dt>{ k.to_string() }</dt><dd>{ v }</dd></> }
}

#[component]
pub fn Inspector(p: &Props) -> Html {
    let sc = &*p.scenario;
    let f = &*p.frame;
    let body = match p.selection {
        Selection::Env(_) => match &p.env {
            Some(e) => {
                let func = &sc.functions[e.function as usize];
                let gone = e.reap_due == Some(0);
                let multi = e.slots > 1;
                let snap = matches!(func.compute, Compute::SnapStart(_));
                let (state, why) = match (gone, e.state) {
                    (true, _) => ("reaped", "Lambda shut it down (idle too long, or recycled); the next request needs another environment"),
                    (_, EnvState::Initializing) if multi => ("starting", "running its init; it takes requests once ready (several at once)"),
                    (_, EnvState::Initializing) if snap => ("restoring", "resuming from the version's cached snapshot (a SnapStart restore, not an init): its first request waits for the restore"),
                    (_, EnvState::Initializing) => ("cold starting", "downloading code and running init before its first request: that request waits (a cold start)"),
                    (_, EnvState::Busy) if multi => ("busy", "serving requests; it takes more while it has free slots (several requests per environment)"),
                    (_, EnvState::Busy) => ("busy", "serving one request; it takes no other until done (one request per environment)"),
                    (_, EnvState::Idle) if multi => ("idle (warm)", "ready, with no request in flight: the next requests go to it without a cold start"),
                    (_, EnvState::Idle) => ("idle (warm)", "warm and waiting: the next request for this function can reuse it without a cold start"),
                };
                let instance = e.instance.map(|i| {
                    let place = match (i.subnet, &sc.vpc) {
                        (Some(s), Some(v)) => format!(" in subnet {}", v.subnet_name(SubnetId(s))),
                        _ => String::new(),
                    };
                    let launching = if i.ready { "" } else { ", launching" };
                    format!(
                        "#{}{place} ({} environment{} on it{launching})",
                        i.serial,
                        i.envs,
                        if i.envs == 1 { "" } else { "s" }
                    )
                });
                let on_fn = {
                    let id = e.function;
                    p.on_select.reform(move |_: MouseEvent| Selection::Function(id))
                };
                html! { <>
                    <h3>{ format!("Environment #{}", e.serial) }<span class={classes!("state-tag", state.replace(' ', "-"))}>{ state }</span></h3>
                    <p class="why">{ why }</p>
                    <dl>
                        <dt>{"function"}</dt><dd><button class="link" onclick={on_fn}>{ &func.name }</button></dd>
                        { row("age", span(f.now.saturating_sub(e.created))) }
                        { row("created at", format!("{} sim", clock(e.created))) }
                        { if multi { row("requests in flight", format!("{} of {} ({}% full)", count(e.load as u64), count(e.slots as u64), (e.load as f64 * 100.0 / e.slots as f64).round())) } else { html!{} } }
                        { if let Some(i) = instance { row("instance", i) } else { html!{} } }
                        { row("invocations served", count(e.invocations as u64)) }
                        { row("in this state for", span(f.now.saturating_sub(e.since))) }
                        { if let (false, Some(due)) = (gone, e.reap_due) { row("reaped if still idle at", format!("{} sim", clock(due))) } else { html!{} } }
                        { row("kind", if e.provisioned { "provisioned (pre-initialized)".into() } else { func.compute.label().to_string() }) }
                        { row("network", match (e.subnet, &sc.vpc) {
                            (Some(s), Some(v)) => format!("subnet {} ({})", v.subnet_name(SubnetId(s)), if v.is_public(SubnetId(s)) { "public" } else { "private" }),
                            _ => "Lambda-managed".into() }) }
                    </dl>
                </> }
            }
            None => html! { <p>{"That environment no longer exists."}</p> },
        },
        Selection::Function(id) => {
            let Some(func) = sc.functions.get(id as usize) else { return html! {} };
            let ff = &f.functions[id as usize];
            let reasons: Vec<_> =
                ThrottleCause::ALL.iter().filter(|r| ff.throttles_by_cause[r.index()] > 0).collect();
            let caller = if func.source.is_some() {
                Caller::EventSource
            } else if func.invocation == InvocationType::Async {
                Caller::Async
            } else {
                Caller::Sync
            };
            let latency = match ff.latency {
                Some([p50, p99, max]) => format!("p50 {}, p99 {}, max {}", ms(p50), ms(p99), ms(max)),
                None => "no request completed yet".into(),
            };
            let multi = ff.multi;
            html! { <>
                <h3>{ format!("Function {}", func.name) }</h3>
                <dl>
                    { row("compute", ff.compute.to_string()) }
                    <dt>{"latency so far"}</dt><dd data-testid="fn-latency">{ latency }</dd>
                    { if multi { html! { <>
                        { row("environments now", format!("{} ({} busy, {} idle, {} starting)", count((ff.busy + ff.idle + ff.initializing) as u64), count(ff.busy as u64), count(ff.idle as u64), count(ff.initializing as u64))) }
                        { row("requests in flight", format!("{} of {} slots", count(ff.load as u64), count(ff.capacity as u64))) }
                        { if ff.instances + ff.instances_launching > 0 { row("instances", format!("{} ready, {} launching", count(ff.instances as u64), count(ff.instances_launching as u64))) } else { html!{} } }
                        { if matches!(func.compute, Compute::Web(_)) { row("waiting for a slot", count(ff.queued as u64)) } else { html!{} } }
                    </> } } else { html! { <>
                        { row("in flight now", format!("{} ({} busy, {} {})", count(ff.in_flight as u64), count(ff.busy as u64), count(ff.initializing as u64), if ff.snapstart { "restoring" } else { "cold starting" })) }
                        { row("idle (warm)", count(ff.idle as u64)) }
                        { row("reserved concurrency", ff.reserved.map_or("none (shares the unreserved pool)".into(), |r| count(r as u64))) }
                        { row("can start now", format!("{} more environments", countf(ff.headroom.floor()))) }
                    </> } } }
                    { row("requests", count(ff.requests)) }
                    { row("invocations", count(ff.invocations)) }
                    { row(if ff.snapstart { "cold starts (restores)" } else { "cold starts" }, count(ff.cold_starts)) }
                    { row("throttled", count(ff.throttles)) }
                    { row("timeouts", count(ff.timeouts)) }
                    { row("memory, timeout", format!("{} MB, {}", func.memory_mb, span(func.timeout))) }
                    { if multi { html!{} } else { html! { <>
                        { row("warm selection", func.warm_selection.label().to_string()) }
                        { row("idle lifetime (assumed)", format!("{} (AWS documents none: an idle environment is kept this long here, then reaped; the next request after that is a cold start)", lifetime(func.idle_lifetime))) }
                    </> } } }
                </dl>
                { if reasons.is_empty() { html!{ <p class="why">{"No request to this function has failed so far."}</p> } } else { html! {
                    <div class="why-fail">
                        <h4>{"Why calls fail"}</h4>
                        <ul>
                        { for reasons.iter().map(|r| html! {
                            <li><strong>{ throttle_line(ff.throttles_by_cause[r.index()], **r, caller) }</strong>
                                {": "}{ throttle_explanation(**r) }</li>
                        }) }
                        </ul>
                    </div>
                } } }
            </> }
        }
        Selection::Subnet(id) => {
            let Some(vpc) = &sc.vpc else { return html! {} };
            let sid = SubnetId(id);
            let Some(sub) = vpc.subnet(sid) else { return html! {} };
            let public = vpc.is_public(sid);
            let az_down = f.azs_down.contains(&sub.az.0);
            let rt = vpc.subnet_route_table(sid);
            let route = match rt.map(|t| t.default_route) {
                Some(DefaultTarget::InternetGateway) => format!(
                    "0.0.0.0/0 → internet gateway {}",
                    vpc.internet_gateway().map_or("?", |g| g.name.as_str())
                ),
                Some(DefaultTarget::NatGateway(nid)) => {
                    format!("0.0.0.0/0 → NAT gateway {}", vpc.nat_name(nid))
                }
                _ => "no default route (0.0.0.0/0)".into(),
            };
            let sf = f.subnets.get(id as usize).cloned().unwrap_or_default();
            let paths: Vec<&NetPath> = f.paths.iter().filter(|p| p.subnet == Some(id)).collect();
            let found: Vec<&Finding> = p
                .findings
                .iter()
                .filter(|x| x.elements.iter().any(|e| matches!(e, ElementRef::Subnet(n) if n == &sub.name)))
                .collect();
            html! { <>
                <h3 data-testid="inspected-subnet">{ format!("Subnet {}", sub.name) }
                    <span class={classes!("state-tag", if public { "public" } else { "private" })}>{ if public { "public" } else { "private" } }</span></h3>
                <p class="why">{ if public {
                    "Public: its route table sends 0.0.0.0/0 to the internet gateway. Lambda's network interfaces never get a public IP, so a function here cannot reach the internet."
                } else {
                    "Private: no direct route to the internet gateway. A function here reaches the internet only through a NAT gateway in a public subnet."
                } }</p>
                <dl>
                    { row("availability zone", format!("{}{}", vpc.az_name(sub.az), if az_down { " (down)" } else { "" })) }
                    { row("CIDR", sub.cidr.to_string()) }
                    { row("route table", format!("{}: {route}", rt.map_or("?", |t| t.name.as_str()))) }
                    { if let Some(t) = rt.filter(|t| !t.gateway_endpoints.is_empty()) { row("gateway endpoints", t.gateway_endpoints.iter().map(|g| g.service().to_string()).collect::<Vec<_>>().join(", ")) } else { html!{} } }
                    { row("environments now", format!("{} ({} busy, {} idle, {} starting)", count(sf.environments as u64), count(sf.busy as u64), count(sf.idle as u64), count(sf.initializing as u64))) }
                    { row("environments created here", count(sf.environments_created)) }
                    { row("invocations", count(sf.invocations)) }
                    { row("succeeded", count(sf.successes)) }
                    { row("timed out", count(sf.timeouts)) }
                </dl>
                { if paths.is_empty() { html!{ <p class="hint">{"No function is attached to this subnet."}</p> } } else { html! {
                    <div class="paths-list">
                        <h4>{"Calls from here"}</h4>
                        <ul>{ for paths.iter().map(|x| path_item(sc, x)) }</ul>
                    </div>
                } } }
                { findings_list(&found) }
            </> }
        }
        Selection::Nat(id) => {
            let Some(vpc) = &sc.vpc else { return html! {} };
            let Some(nat) = vpc.nat_gateway(NatId(id)) else { return html! {} };
            let in_public = vpc.is_public(nat.subnet);
            let az = vpc.subnet_az(nat.subnet);
            let stopped = az.is_some_and(|a| f.azs_down.contains(&a.0));
            let routed: Vec<String> = vpc
                .subnets()
                .filter(|(s, _)| {
                    vpc.subnet_route_table(*s)
                        .is_some_and(|t| t.default_route == DefaultTarget::NatGateway(NatId(id)))
                })
                .map(|(_, s)| s.name.clone())
                .collect();
            let found: Vec<&Finding> = p
                .findings
                .iter()
                .filter(|x| {
                    x.elements.iter().any(|e| matches!(e, ElementRef::NatGateway(n) if n == &nat.name))
                })
                .collect();
            let paths: Vec<&NetPath> = f.paths.iter().filter(|p| p.reach.hops().iter().any(|h| matches!(h, lambdascape_engine::network::Hop::NatGateway { nat, .. } if nat.0 == id))).collect();
            html! { <>
                <h3>{ format!("NAT gateway {}", nat.name) }
                    <span class={classes!("state-tag", if stopped { "stopped" } else { "running" })}>{ if stopped { "stopped" } else { "running" } }</span></h3>
                <p class="why">{ if !in_public {
                    "This NAT gateway sits in a private subnet: its own traffic has no route to the internet gateway, so calls through it go nowhere."
                } else if stopped {
                    "Its availability zone is down: every subnet routed to it has lost its way to the internet."
                } else {
                    "Translates the private addresses of the subnets routed to it to its own public IP, then sends the traffic out through the internet gateway."
                } }</p>
                <dl>
                    { row("in subnet", format!("{} ({})", vpc.subnet_name(nat.subnet), if in_public { "public" } else { "private" })) }
                    { row("availability zone", az.map(|a| vpc.az_name(a).to_string()).unwrap_or_default()) }
                    { row("subnets routed to it", if routed.is_empty() { "none".into() } else { routed.join(", ") }) }
                </dl>
                { if paths.is_empty() { html!{} } else { html! {
                    <div class="paths-list"><h4>{"Calls through it"}</h4><ul>{ for paths.iter().map(|x| path_item(sc, x)) }</ul></div>
                } } }
                { findings_list(&found) }
            </> }
        }
        Selection::None => {
            let a = &sc.account;
            let model = match a.model {
                ScalingModel::Legacy => format!(
                    "legacy: a burst of {} at once, then +{:.0} per minute",
                    count(a.burst_quota as u64),
                    a.legacy_refill_per_sec * 60.0
                ),
                ScalingModel::Current => format!(
                    "current: each function adds up to {} environments per {}",
                    count(a.current_step as u64),
                    span((a.current_step as f64 / a.current_refill_per_sec * 1e6) as u64)
                ),
            };
            html! { <>
                <h3>{"Account"}</h3>
                <dl>
                    // The account's pool and its scaling apply to per-request functions only.
                    if sc.functions.iter().any(|x| !x.compute.is_multi()) {
                        { row("concurrency limit", count(a.limit as u64)) }
                        { row("scaling", model) }
                    } else {
                        { row("concurrency limit", "does not apply: Managed Instances and Web Functions run outside the account's concurrency pool, with quotas of their own".to_string()) }
                    }
                    { row("region", sc.spec.account.region.clone()) }
                    { if let Some(t) = f.burst_tokens { row("burst bucket now", format!("{} environments", countf(t.floor()))) } else { html!{} } }
                </dl>
                <p class="hint">{ if sc.vpc.is_some() { "Click a subnet, a NAT gateway, an environment dot or a function to inspect it." } else { "Click an environment dot or a function to inspect it." } }</p>
                { if sc.vpc.is_some() { findings_list(&p.findings.iter().filter(|x| x.severity >= lambdascape_engine::network::Severity::Warning).collect::<Vec<_>>()) } else { html!{} } }
            </> }
        }
    };
    let clear = p.on_select.reform(|_: MouseEvent| Selection::None);
    html! {
        <section class="inspector" aria-label="Inspector" data-testid="inspector">
            <div class="inspector-head">
                <h2>{"Inspector"}</h2>
                { if p.selection != Selection::None { html!{ <button class="link" aria-label="Clear the selection" onclick={clear}>{"clear"}</button> } } else { html!{} } }
            </div>
            { body }
        </section>
    }
}

/// Milliseconds as the inspector shows a latency: "85 ms", "1.2 s".
fn ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.1} s", v / 1000.0)
    } else if v >= 10.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

/// An idle lifetime: one value or a range.
fn lifetime((lo, hi): (lambdascape_engine::time::Micros, lambdascape_engine::time::Micros)) -> String {
    if lo == hi {
        span(lo)
    } else {
        format!("{}–{}", span(lo), span(hi))
    }
}

/// How AWS reports these throttles: a 429 with its Reason code to a synchronous caller (where
/// AWS documents one), an internal retry for an event Lambda had already accepted with 202.
fn throttle_line(n: u64, r: ThrottleCause, caller: Caller) -> String {
    let reason = match r.aws_reason() {
        Some(code) => format!("Reason {code}"),
        None => "AWS documents no Reason code for it".to_string(),
    };
    match caller {
        Caller::Sync => format!("{} × throttled (429 TooManyRequestsException, {})", count(n), reason),
        Caller::Async => format!(
            "{} × attempts throttled ({}): the events had been accepted with 202, Lambda retries them",
            count(n),
            reason
        ),
        Caller::EventSource => format!(
            "{} × attempts throttled ({}): the messages stay in their queue or stream and are retried",
            count(n),
            reason
        ),
    }
}

/// Who sees a function's throttles.
#[derive(Clone, Copy)]
enum Caller {
    Sync,
    Async,
    EventSource,
}
