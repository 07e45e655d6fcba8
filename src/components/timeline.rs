//! The timeline: play/pause, steps, jump to start/end, the scrub bar, the time ("hh:mm:ss sim")
//! and the speed on a log slider (0.1× to 1000×).

use crate::format::{clock, speed};
use crate::markup::{ICON_BACK, ICON_END, ICON_FORWARD, ICON_HOME, ICON_PAUSE, ICON_PLAY};
use crate::state::Action;
use lambdascape_engine::time::{Micros, MICROS_PER_SEC};
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

fn svg_icon(d: &'static str) -> Html {
    html! { <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true"><path d={d} fill="currentColor" /></svg> }
}

fn input_value(e: &InputEvent) -> Option<f64> {
    lambdascape_engine::number::parse_f64(&e.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?.value())
}

#[component]
pub fn Timeline(p: &Props) -> Html {
    let d = &p.dispatch;
    let button = |label: &'static str, icon: &'static str, id: &'static str, a: Action| {
        html! {
            <button class="tl-button" aria-label={label} title={label} data-testid={id}
                onclick={d.reform(move |_: MouseEvent| a.clone())}>{ svg_icon(icon) }</button>
        }
    };
    let secs = |t: Micros| t as f64 / MICROS_PER_SEC as f64;
    let on_scrub = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(s) = input_value(&e) {
                d.emit(Action::Seek((s * 1e6).round() as Micros));
            }
        })
    };
    let on_speed = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                d.emit(Action::SetSpeed(10f64.powf(v)));
            }
        })
    };
    let play_label = if p.playing { "Pause (space)" } else { "Play (space)" };
    let step_s = secs(p.step).max(0.001);
    html! {
        <section class="timeline" aria-label="Timeline">
            <div class="tl-buttons">
                { button("Back to the start (Home)", ICON_HOME, "home", Action::Home) }
                { button("Step back (left arrow)", ICON_BACK, "step-back", Action::Step(-1)) }
                <button class="tl-button tl-play" aria-label={play_label} title={play_label} data-testid="play"
                    aria-pressed={p.playing.to_string()} onclick={d.reform(|_: MouseEvent| Action::TogglePlay)}>
                    { svg_icon(if p.playing { ICON_PAUSE } else { ICON_PLAY }) }
                </button>
                { button("Step forward (right arrow)", ICON_FORWARD, "step-forward", Action::Step(1)) }
                { button("Jump to the end (End)", ICON_END, "end", Action::End) }
            </div>
            <div class="tl-time" data-testid="sim-time" data-now-us={p.now.to_string()} aria-live="off">
                <span class="tl-now">{ clock(p.now) }</span>
                <span class="tl-total">{ format!(" / {} sim", clock(p.horizon)) }</span>
            </div>
            <input class="tl-scrub" type="range" aria-label="Simulated time" data-testid="scrub"
                min="0" max={secs(p.horizon).to_string()} step={step_s.to_string()}
                value={secs(p.now).to_string()} aria-valuetext={format!("{} sim", clock(p.now))}
                oninput={on_scrub} />
            <label class="tl-speed">
                <span>{"speed"}</span>
                <input type="range" aria-label="Playback speed" data-testid="speed" min="-1" max="3" step="0.01"
                    value={p.speed.log10().to_string()} aria-valuetext={format!("{} real time", speed(p.speed))}
                    oninput={on_speed} />
                <output class="tl-speed-value" data-testid="speed-value">{ speed(p.speed) }</output>
            </label>
        </section>
    }
}
