//! The narrative log: entries up to now, newest at the bottom, following playback. Clicking an
//! entry seeks to its time and highlights what it names.

use crate::format::clock;
use crate::state::{Log, Shared};
use lambdascape_engine::sim::Severity;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub log: Shared<Log>,
    pub highlighted: Option<usize>,
    pub on_show: Callback<usize>,
}

#[component]
pub fn NarrativeLog(p: &Props) -> Html {
    let list = use_node_ref();
    {
        // Follow playback: keep the newest entry in view.
        let list = list.clone();
        use_effect_with((p.log.clone(), p.highlighted), move |(_, hl)| {
            if hl.is_none() {
                if let Some(el) = list.cast::<web_sys::Element>() {
                    el.set_scroll_top(el.scroll_height());
                }
            }
        });
    }
    let log = &*p.log;
    html! {
        <section class="narrative" aria-label="What happened">
            <h2>{"What happened"}</h2>
            <ol class="log" ref={list} data-testid="narrative">
                { if log.entries.is_empty() { html!{ <li class="log-empty">{"Press play (space): events are told here as they happen."}</li> } } else { html!{} } }
                { for log.entries.iter().enumerate().map(|(i, e)| {
                    let idx = log.first + i;
                    let sev = match e.severity { Severity::Info => "info", Severity::Warning => "warning", Severity::Error => "error" };
                    let mark = match e.severity { Severity::Info => "•", Severity::Warning => "▲", Severity::Error => "✕" };
                    let on_click = p.on_show.reform(move |_: MouseEvent| idx);
                    html! {
                        <li class={classes!("log-entry", sev, (p.highlighted == Some(idx)).then_some("selected"))}>
                            <button onclick={on_click} aria-label={format!("{} sim: {}. Show this moment", clock(e.time), e.text)}>
                                <span class="log-mark" aria-hidden="true">{ mark }</span>
                                <time>{ clock(e.time) }</time>
                                <span class="log-text">{ &e.text }</span>
                            </button>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
