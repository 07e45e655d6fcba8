//! The charts: concurrency vs limits, throttles by reason, cold starts, latency, cost; provisioned
//! concurrency, async queues/DLQ, queue backlog and timeouts per subnet join the grid only when
//! the scenario has them (`ChartKind::for_scenario`). Above them, the time they show: the run so
//! far or the whole run on long scenarios, or a range dragged across a chart.

use crate::components::chart_view::ChartView;
use lambdascape_engine::chart::{ChartData, Span, FIT_OVER_S};
use lambdascape_engine::sim::Ref;
use lambdascape_engine::time::{Micros, MICROS_PER_SEC};
use lambdascape_ui::format::clock;
use lambdascape_ui::state::Shared;
use lambdascape_ui::theme::Theme;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub charts: Shared<Vec<ChartData>>,
    pub now: Micros,
    pub horizon: Micros,
    pub theme: Theme,
    pub highlight: Shared<Vec<Ref>>,
    pub span: Span,
    pub on_span: Callback<Span>,
}

#[component]
pub fn ChartsPanel(p: &Props) -> Html {
    let limit =
        p.highlight.iter().find_map(|r| if let Ref::Limit { limit } = r { Some(*limit) } else { None });
    let set = |span: Span| p.on_span.reform(move |_: MouseEvent| span);
    let on_zoom = p.on_span.reform(|(a, b): (f64, f64)| Span::Window(a.floor(), b.ceil()));
    // Long scenarios choose between the run so far and the whole run (short ones show it whole).
    let long = p.horizon as f64 > FIT_OVER_S * MICROS_PER_SEC as f64;
    let toggle = |span: Span, id: &'static str, label: &'static str| {
        html! {
            <button class="range-button" data-testid={id} aria-pressed={(p.span == span).to_string()}
                onclick={set(span)}>{ label }</button>
        }
    };
    let window = match p.span {
        Span::Window(a, b) => html! {
            <>
            <span class="range-window" data-testid="range-window">
                { format!("{} – {}", clock((a * 1e6) as Micros), clock((b * 1e6) as Micros)) }
            </span>
            <button class="range-button" data-testid="range-reset" onclick={set(Span::Fit)}>{ "Zoom out" }</button>
            </>
        },
        _ => html! { <span class="range-hint">{ "Drag across a chart to zoom in" }</span> },
    };
    html! {
        <>
        <div class="chart-range" role="group" aria-label="Time shown on the charts">
            if long {
                { toggle(Span::Fit, "range-fit", "Up to now") }
                { toggle(Span::Whole, "range-whole", "Whole run") }
            }
            { window }
        </div>
        <div class="charts">
            { for (0..p.charts.len()).map(|i| html! {
                <ChartView charts={p.charts.clone()} index={i} now={p.now} theme={p.theme} highlight_limit={limit}
                    on_zoom={Some(on_zoom.clone())} />
            }) }
        </div>
        </>
    }
}
