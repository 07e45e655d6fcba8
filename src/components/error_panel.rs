//! Shown instead of the picture when a scenario cannot run: what happened and a reset.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub message: String,
    pub on_reset: Callback<()>,
}

#[component]
pub fn ErrorPanel(p: &Props) -> Html {
    html! {
        <section class="error-panel" role="alert" data-testid="error-panel">
            <h2>{"This scenario cannot run"}</h2>
            <pre>{ &p.message }</pre>
            <button aria-label="Reset the scenario" onclick={p.on_reset.reform(|_: MouseEvent| ())}>{"Reset"}</button>
        </section>
    }
}
