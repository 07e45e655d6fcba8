//! The timeline: play/pause, steps, jump to start/end, the scrub bar, the time ("hh:mm:ss sim")
//! and the speed on a log slider (0.1× to 1000×). Its markup is shared with the widget
//! (markup.rs), morphed into the section; its controls name their action (`data-act`).

use lambdascape_engine::time::Micros;
use lambdascape_ui::act::Act;
use lambdascape_ui::markup::{self, TimelineView};
use lambdascape_ui::state::Action;
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub now: Micros,
    pub horizon: Micros,
    pub playing: bool,
    pub speed: f64,
    pub seeking: bool,
    /// One step (the sample interval).
    pub step: Micros,
    pub dispatch: Callback<Action>,
}

/// The action of a control (`data-act`) with its value (a slider's).
fn action(act: &str, value: Option<f64>) -> Option<Action> {
    Act::parse(act)?.action(value)
}

/// The control an event is about: the `data-act` element it happened in.
fn control(e: &Event) -> Option<web_sys::Element> {
    e.target()?.dyn_into::<web_sys::Element>().ok()?.closest("[data-act]").ok()?
}

#[component]
pub fn Timeline(p: &Props) -> Html {
    let section = use_node_ref();
    {
        let section = section.clone();
        let v = TimelineView {
            now: p.now,
            horizon: p.horizon,
            playing: p.playing,
            speed: p.speed,
            step: p.step,
            keys: true,
        };
        use_effect_with((p.now, p.horizon, p.playing, p.speed.to_bits(), p.step), move |_| {
            if let Some(el) = section.cast::<web_sys::Element>() {
                markup::morph(&el, &markup::timeline(&v));
            }
        });
    }
    let on_click = {
        let d = p.dispatch.clone();
        Callback::from(move |e: MouseEvent| {
            let button = control(&e).filter(|c| c.tag_name() == "BUTTON");
            if let Some(a) = button.and_then(|c| action(&c.get_attribute("data-act")?, None)) {
                d.emit(a);
            }
        })
    };
    let on_input = {
        let d = p.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let input = control(&e).and_then(|c| c.dyn_into::<web_sys::HtmlInputElement>().ok());
            let value =
                |c: &web_sys::HtmlInputElement| lambdascape_engine::size::number::parse_f64(&c.value());
            if let Some(a) = input.and_then(|c| action(&c.get_attribute("data-act")?, value(&c))) {
                d.emit(a);
            }
        })
    };
    html! {
        <section class="timeline" aria-label="Timeline" ref={section} onclick={on_click} oninput={on_input} />
    }
}
