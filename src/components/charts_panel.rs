//! The charts: concurrency vs limits, throttles by reason, cold starts, latency, cost; provisioned
//! concurrency, async queues/DLQ, queue backlog and timeouts per subnet join the grid only when
//! the scenario has them (`ChartKind::for_scenario`).

use crate::components::chart_view::ChartView;
use lambdascape_engine::chart::ChartData;
use lambdascape_engine::sim::Ref;
use lambdascape_engine::time::Micros;
use lambdascape_ui::state::Shared;
use lambdascape_ui::theme::Theme;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub charts: Shared<Vec<ChartData>>,
    pub now: Micros,
    pub theme: Theme,
    pub highlight: Shared<Vec<Ref>>,
}

#[component]
pub fn ChartsPanel(p: &Props) -> Html {
    let limit =
        p.highlight.iter().find_map(|r| if let Ref::Limit { limit } = r { Some(*limit) } else { None });
    html! {
        <div class="charts">
            { for (0..p.charts.len()).map(|i| html! {
                <ChartView charts={p.charts.clone()} index={i} now={p.now} theme={p.theme} highlight_limit={limit} />
            }) }
        </div>
    }
}
