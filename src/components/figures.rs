//! The headline figures of the current instant (also exposed to tests by data-testid).

use crate::format::{count, usd};
use crate::state::Shared;
use lambdascape_engine::view::Frame;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub frame: Shared<Frame>,
    pub seeking: bool,
}

fn figure(id: &'static str, label: &'static str, value: String, raw: String, class: &'static str) -> Html {
    html! {
        <div class={classes!("figure", class)}>
            <span class="figure-value" data-testid={id} data-value={raw}>{ value }</span>
            <span class="figure-label">{ label }</span>
        </div>
    }
}

#[component]
pub fn Figures(p: &Props) -> Html {
    let f = &*p.frame;
    let busy = f.concurrency - f.initializing;
    html! {
        <div class="figures" aria-live="off">
            { figure("concurrency", "concurrency (in flight)", format!("{} / {}", count(f.concurrency as u64), count(f.limit as u64)), f.concurrency.to_string(), "fig-busy") }
            { figure("environments", "environments", count(f.environments as u64), f.environments.to_string(), "") }
            { figure("busy", "busy ●", count(busy as u64), busy.to_string(), "fig-busy") }
            { figure("idle", "idle (warm) ○", count(f.idle as u64), f.idle.to_string(), "fig-idle") }
            { figure("initializing", "cold starting ◌", count(f.initializing as u64), f.initializing.to_string(), "fig-init") }
            { figure("throttles", "throttled so far ✕", count(f.throttles), f.throttles.to_string(), "fig-throttle") }
            { figure("cold-starts", "cold starts so far", count(f.cold_starts), f.cold_starts.to_string(), "") }
            { figure("cost", "cost so far", usd(f.cost_usd), format!("{:.6}", f.cost_usd), "") }
            { if p.seeking { html!{ <span class="seeking" role="status">{"seeking…"}</span> } } else { html!{} } }
        </div>
    }
}
