//! The inspector: what is selected (an environment or a function), its state, age, work done,
//! and why its calls fail.

use crate::format::{clock, count, countf, span};
use crate::state::{Selection, Shared};
use lambdascape_engine::scenario::{ScalingModel, Scenario};
use lambdascape_engine::sim::{EnvState, ThrottleReason};
use lambdascape_engine::view::{throttle_explanation, EnvInfo, Frame};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub scenario: Shared<Scenario>,
    pub frame: Shared<Frame>,
    pub selection: Selection,
    pub env: Option<EnvInfo>,
    pub on_select: Callback<Selection>,
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
                let (state, why) = match (gone, e.state) {
                    (true, _) => ("reaped", "Lambda shut it down (idle too long, or recycled); the next request needs another environment"),
                    (_, EnvState::Initializing) => ("cold starting", "downloading code and running init before its first request: that request waits (a cold start)"),
                    (_, EnvState::Busy) => ("busy", "serving one request; it takes no other until done (one request per environment)"),
                    (_, EnvState::Idle) => ("idle (warm)", "warm and waiting: the next request for this function can reuse it without a cold start"),
                };
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
                        { row("invocations served", count(e.invocations as u64)) }
                        { row("in this state for", span(f.now.saturating_sub(e.since))) }
                        { if let (false, Some(due)) = (gone, e.reap_due) { row("reaped if still idle at", format!("{} sim", clock(due))) } else { html!{} } }
                        { row("kind", if e.provisioned { "provisioned (pre-initialized)".into() } else { "on-demand".into() }) }
                        { row("network", match e.subnet { Some(s) => format!("subnet {s}"), None => "Lambda-managed".into() }) }
                    </dl>
                </> }
            }
            None => html! { <p>{"That environment no longer exists."}</p> },
        },
        Selection::Function(id) => {
            let Some(func) = sc.functions.get(id as usize) else { return html! {} };
            let ff = &f.functions[id as usize];
            let reasons: Vec<_> =
                ThrottleReason::ALL.iter().filter(|r| ff.throttles_by_reason[r.index()] > 0).collect();
            html! { <>
                <h3>{ format!("Function {}", func.name) }</h3>
                <dl>
                    { row("in flight now", format!("{} ({} busy, {} cold starting)", count(ff.in_flight as u64), count(ff.busy as u64), count(ff.initializing as u64))) }
                    { row("idle (warm)", count(ff.idle as u64)) }
                    { row("reserved concurrency", ff.reserved.map_or("none (shares the unreserved pool)".into(), |r| count(r as u64))) }
                    { row("can start now", format!("{} more environments", countf(ff.headroom.floor()))) }
                    { row("requests", count(ff.requests)) }
                    { row("invocations", count(ff.invocations)) }
                    { row("cold starts", count(ff.cold_starts)) }
                    { row("throttled", count(ff.throttles)) }
                    { row("timeouts", count(ff.timeouts)) }
                    { row("memory, timeout", format!("{} MB, {}", func.memory_mb, span(func.timeout))) }
                    { row("warm selection", func.warm_selection.label().to_string()) }
                </dl>
                { if reasons.is_empty() { html!{ <p class="why">{"No request to this function has failed so far."}</p> } } else { html! {
                    <div class="why-fail">
                        <h4>{"Why calls fail"}</h4>
                        <ul>
                        { for reasons.iter().map(|r| html! {
                            <li><strong>{ format!("{} × throttled (429 TooManyRequestsException, {})", count(ff.throttles_by_reason[r.index()]), r.name()) }</strong>
                                {": "}{ throttle_explanation(**r) }</li>
                        }) }
                        </ul>
                    </div>
                } } }
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
                    { row("concurrency limit", count(a.limit as u64)) }
                    { row("scaling", model) }
                    { row("region", sc.spec.account.region.clone()) }
                    { if let Some(t) = f.burst_tokens { row("burst bucket now", format!("{} environments", countf(t.floor()))) } else { html!{} } }
                </dl>
                <p class="hint">{"Click an environment dot or a function to inspect it."}</p>
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
