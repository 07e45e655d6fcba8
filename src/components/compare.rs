//! Compare mode: the scenario and one of its variants (`ScenarioSpec::variant`: same traffic
//! and seed, one difference) side by side, two simulations driven by one timeline, and a table
//! of the key figures with their difference. At the end the figures are the CLI's
//! (`lambdascape simulate`) for each.

use crate::components::chart_view::ChartView;
use crate::hooks::use_animation_frame;
use crate::tools::share_state::{UiAction, UiHandle};
use lambdascape_engine::chart::{self, ChartData, ChartKind};
use lambdascape_engine::scenario::Scenario;
use lambdascape_engine::sim::{Options, Simulation, Summary};
use lambdascape_engine::time::{Micros, MICROS_PER_SEC};
use lambdascape_ui::format::{clock, count, usd};
use lambdascape_ui::state::now_ms;
use lambdascape_ui::state::Shared;
use lambdascape_ui::theme::Theme;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub scenario: Shared<Scenario>,
    pub theme: Theme,
    pub ui: UiHandle,
}

/// Real milliseconds of work per animation frame, shared by the two simulations.
const BUDGET_MS: f64 = 8.0;
const CHART_POINTS: usize = 360;

/// The two runs and their clock.
struct Pair {
    key: (usize, usize),
    specs: [Scenario; 2],
    sims: [Simulation; 2],
    goal: Micros,
    playing: bool,
    speed: f64,
    charts: [Shared<Vec<ChartData>>; 2],
    sums: [Summary; 2],
    age_ms: f64,
}

impl Pair {
    fn new(key: (usize, usize), a: Scenario, b: Scenario) -> Pair {
        let run = |s: &Scenario| Simulation::with_seed(s.clone(), s.spec.seed, Options::default());
        let sims = [run(&a), run(&b)];
        let mut p = Pair {
            key,
            specs: [a, b],
            sums: [sims[0].summary(), sims[1].summary()],
            sims,
            goal: 0,
            playing: false,
            speed: 10.0,
            charts: [Shared::new(vec![]), Shared::new(vec![])],
            age_ms: 0.0,
        };
        p.refresh();
        p
    }
    fn now(&self) -> Micros {
        self.sims[0].now().min(self.sims[1].now())
    }
    fn horizon(&self) -> Micros {
        self.sims[0].horizon().max(self.sims[1].horizon())
    }
    fn refresh(&mut self) {
        for i in 0..2 {
            let s = &self.sims[i];
            self.charts[i] = Shared::new(
                [ChartKind::Concurrency, ChartKind::Throttles]
                    .iter()
                    .map(|k| chart::chart(s, *k, CHART_POINTS))
                    .collect(),
            );
            self.sums[i] = s.summary();
        }
        self.age_ms = now_ms();
    }
    /// Moves both towards the goal within the frame budget; whether anything changed.
    fn work(&mut self, dt_ms: f64) -> bool {
        if self.playing {
            let dt = (dt_ms.clamp(0.0, 100.0) * 1000.0 * self.speed) as Micros;
            self.goal = self.goal.max(self.now()).saturating_add(dt).min(self.horizon());
        }
        if self.now() >= self.goal.min(self.horizon()) {
            if self.now() >= self.horizon() {
                self.playing = false;
            }
            return false;
        }
        let start = now_ms();
        loop {
            let done0 = self.sims[0].advance_bounded(self.goal, 2_000);
            let done1 = self.sims[1].advance_bounded(self.goal, 2_000);
            if (done0 && done1) || now_ms() - start > BUDGET_MS {
                break;
            }
        }
        let arrived = self.now() >= self.goal.min(self.horizon());
        if arrived || now_ms() - self.age_ms > 150.0 {
            self.refresh();
        }
        true
    }
    /// Moves to `t`: back means a fresh pair run forwards again (deterministic: same figures).
    fn seek(&mut self, t: Micros) {
        let t = t.min(self.horizon());
        if t < self.now() {
            let run = |s: &Scenario| Simulation::with_seed(s.clone(), s.spec.seed, Options::default());
            self.sims = [run(&self.specs[0]), run(&self.specs[1])];
            self.refresh();
        }
        self.goal = t;
    }
}

/// One row of the table: label, test id, the two values, and how to show them.
fn rows(s: &[Summary; 2]) -> Vec<(&'static str, &'static str, f64, f64, bool)> {
    let f = |g: fn(&Summary) -> f64| (g(&s[0]), g(&s[1]));
    let list: [(&str, &str, (f64, f64), bool); 8] = [
        ("Invocations", "invocations", f(|s| s.invocations as f64), false),
        ("Cold starts", "cold_starts", f(|s| s.cold_starts as f64), false),
        ("Throttles", "throttles", f(|s| s.throttles as f64), false),
        ("Timeouts", "timeouts", f(|s| s.timeouts as f64), false),
        ("Errors", "errors", f(|s| s.errors as f64), false),
        ("Max concurrency", "max_concurrency", f(|s| s.max_concurrency as f64), false),
        ("Environments created", "environments_created", f(|s| s.environments_created as f64), false),
        ("Cost (USD)", "cost_usd", f(|s| s.cost_usd), true),
    ];
    list.into_iter().map(|(l, id, (a, b), money)| (l, id, a, b, money)).collect()
}

fn show(v: f64, money: bool) -> String {
    if money {
        usd(v)
    } else {
        count(v.max(0.0) as u64)
    }
}

fn diff(a: f64, b: f64, money: bool) -> String {
    let d = b - a;
    let sign = if d > 0.0 {
        "+"
    } else if d < 0.0 {
        "−"
    } else {
        "±"
    };
    let abs = if money { usd(d.abs()) } else { count(d.abs() as u64) };
    if a.abs() > 0.0 && d != 0.0 {
        format!("{sign}{abs} ({sign}{:.0}%)", (d.abs() / a.abs()) * 100.0)
    } else {
        format!("{sign}{abs}")
    }
}

#[component]
pub fn Compare(p: &Props) -> Html {
    let sc = &p.scenario;
    let variants = &sc.spec.variants;
    let vi = p.ui.variant.min(variants.len().saturating_sub(1));
    let key = (Rc::as_ptr(&sc.0) as usize, vi);
    let pair = use_mut_ref(|| None::<Pair>);
    let err = use_state_eq(|| None::<String>);
    let redraw = use_force_update();
    // (Re)build the pair when the scenario or the variant changes.
    if !variants.is_empty() && pair.borrow().as_ref().is_none_or(|x| x.key != key) {
        match sc.spec.variant(vi).and_then(|v| v.validate()) {
            Ok(b) => {
                *pair.borrow_mut() = Some(Pair::new(key, (*sc.0).clone(), b));
                if err.is_some() {
                    err.set(None);
                }
            }
            Err(e) => {
                *pair.borrow_mut() = None;
                err.set(Some(format!("Variant {} cannot run:\n{e}", vi + 1)));
            }
        }
    }
    {
        let (pair, redraw) = (pair.clone(), redraw.clone());
        use_animation_frame(Callback::from(move |dt: f64| {
            let changed = pair.borrow_mut().as_mut().is_some_and(|p| p.work(dt));
            if changed {
                redraw.force_update();
            }
        }));
    }
    if variants.is_empty() {
        return html! {
            <section class="compare" aria-label="Compare variants" data-testid="compare">
                <p class="compare-empty">{"This scenario has no variants to compare. Presets with variants: legacy vs current scaling, reserved concurrency, NAT vs endpoints…"}</p>
            </section>
        };
    }
    let act = |f: Rc<dyn Fn(&mut Pair)>| {
        let (pair, redraw) = (pair.clone(), redraw.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(x) = pair.borrow_mut().as_mut() {
                f(x);
            }
            redraw.force_update();
        })
    };
    let on_variant = {
        let ui = p.ui.clone();
        Callback::from(move |e: Event| {
            let i = e.target_unchecked_into::<web_sys::HtmlSelectElement>().selected_index().max(0) as usize;
            ui.dispatch(UiAction::Variant(i));
        })
    };
    let on_scrub = {
        let (pair, redraw) = (pair.clone(), redraw.clone());
        Callback::from(move |e: InputEvent| {
            let v: f64 = lambdascape_engine::size::number::parse_f64(
                &e.target_unchecked_into::<web_sys::HtmlInputElement>().value(),
            )
            .unwrap_or(0.0);
            if let Some(x) = pair.borrow_mut().as_mut() {
                x.playing = false;
                x.seek((v * 1e6) as Micros);
            }
            redraw.force_update();
        })
    };
    let on_speed = {
        let (pair, redraw) = (pair.clone(), redraw.clone());
        Callback::from(move |e: InputEvent| {
            let v: f64 = lambdascape_engine::size::number::parse_f64(
                &e.target_unchecked_into::<web_sys::HtmlInputElement>().value(),
            )
            .unwrap_or(1.0);
            if let Some(x) = pair.borrow_mut().as_mut() {
                x.speed = 10f64.powf(v).clamp(0.1, 1000.0);
            }
            redraw.force_update();
        })
    };
    let guard = pair.borrow();
    let Some(x) = guard.as_ref() else {
        return html! {
            <section class="compare" aria-label="Compare variants" data-testid="compare">
                <pre class="compare-error" role="alert">{ (*err).clone().unwrap_or_default() }</pre>
            </section>
        };
    };
    let now = x.now();
    let horizon = x.horizon();
    let secs = |t: Micros| t as f64 / MICROS_PER_SEC as f64;
    let moving = x.playing || x.goal > now;
    let names = [sc.spec.title.clone(), variants[vi].name.clone()];
    let side = |i: usize| {
        let (title, desc) = if i == 0 {
            (
                format!("A · {}", if names[0].is_empty() { "the scenario" } else { &names[0] }),
                sc.spec.description.clone(),
            )
        } else {
            (format!("B · {}", names[1]), variants[vi].description.clone())
        };
        html! {
            <section class="compare-side" aria-label={title.clone()} data-testid={format!("compare-side-{i}")}>
                <h2>{ title }</h2>
                <p class="compare-desc">{ desc }</p>
                <div class="compare-charts">
                    { for (0..x.charts[i].len()).map(|k| html! {
                        <ChartView charts={x.charts[i].clone()} index={k} now={now} theme={p.theme} highlight_limit={None::<&'static str>} />
                    }) }
                </div>
            </section>
        }
    };
    let play_label = if x.playing { "Pause both" } else { "Play both" };
    let toggle: Rc<dyn Fn(&mut Pair)> = Rc::new(|x: &mut Pair| {
        if x.now() >= x.horizon() && !x.playing {
            x.seek(0);
        }
        x.playing = !x.playing;
    });
    let home: Rc<dyn Fn(&mut Pair)> = Rc::new(|x: &mut Pair| {
        x.playing = false;
        x.seek(0);
    });
    let end: Rc<dyn Fn(&mut Pair)> = Rc::new(|x: &mut Pair| {
        x.playing = false;
        let h = x.horizon();
        x.seek(h);
    });
    html! {
        <section class="compare" aria-label="Compare variants" data-testid="compare">
            <div class="compare-head">
                <label>{"Compare with "}
                    <select data-testid="compare-variant" onchange={on_variant} aria-label="Variant to compare with">
                        { for variants.iter().enumerate().map(|(i, v)| html! {
                            <option value={i.to_string()} selected={i == vi} title={v.description.clone()}>{ &v.name }</option>
                        }) }
                    </select>
                </label>
                <span class="compare-note">{"Same traffic and seed; one difference."}</span>
            </div>
            <div class="compare-sides">{ side(0) }{ side(1) }</div>
            <div class="compare-timeline" role="group" aria-label="One timeline for both">
                <button class="tool-button" data-testid="compare-home" onclick={act(home)} aria-label="Both to the start">{"|◀"}</button>
                <button class="tool-button" data-testid="compare-play" aria-pressed={x.playing.to_string()} onclick={act(toggle)}>{ play_label }</button>
                <button class="tool-button" data-testid="compare-end" onclick={act(end)} aria-label="Both to the end">{"▶|"}</button>
                <input type="range" class="scrub" aria-label="Simulated time of both" min="0" max={secs(horizon).to_string()}
                    step="1" value={secs(now).to_string()} oninput={on_scrub} data-testid="compare-scrub" />
                <span class="tl-time" data-testid="compare-time" data-now-us={now.to_string()}>{ format!("{} sim", clock(now)) }</span>
                <span class="tl-total">{ format!(" / {}", clock(horizon)) }</span>
                if moving && !x.playing { <span class="seeking" role="status">{"running…"}</span> }
                <label class="compare-speed">{"speed "}
                    <input type="range" min="-1" max="3" step="0.1" value={x.speed.log10().to_string()} oninput={on_speed} aria-label="Speed of both" />
                </label>
            </div>
            <table class="compare-table" data-testid="compare-table">
                <caption>{ format!("Key figures so far (at {} sim)", clock(now)) }</caption>
                <thead><tr><th scope="col">{"Figure"}</th><th scope="col">{"A"}</th><th scope="col">{"B"}</th><th scope="col">{"B − A"}</th></tr></thead>
                <tbody>
                    { for rows(&x.sums).into_iter().map(|(label, id, a, b, money)| html! {
                        <tr data-figure={id}>
                            <th scope="row">{ label }</th>
                            <td data-testid={format!("cmp-{id}-a")} data-value={a.to_string()}>{ show(a, money) }</td>
                            <td data-testid={format!("cmp-{id}-b")} data-value={b.to_string()}>{ show(b, money) }</td>
                            <td data-testid={format!("cmp-{id}-diff")} data-value={(b - a).to_string()}
                                class={classes!((b > a).then_some("up"), (b < a).then_some("down"))}>{ diff(a, b, money) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
