//! Compare mode: the scenario as written and up to [`MAX_COMPARED`] of its variants
//! (`ScenarioSpec::variant`: same traffic and seed, one difference each) side by side, every
//! run driven by one timeline, each with its small charts on a scale shared by the row, and
//! one table with a row per run: `lambdascape_engine::compare::Row`, so that at the end the
//! figures are the CLI's (`lambdascape compare FILE`).

use crate::components::chart_view::ChartView;
use crate::hooks::use_animation_frame;
use crate::tools::share_state::{CompareSel, UiAction, UiHandle, MAX_COMPARED};
use lambdascape_engine::chart::{self, ChartData, ChartKind};
use lambdascape_engine::compare::Row;
use lambdascape_engine::scenario::Scenario;
use lambdascape_engine::sim::{Options, Simulation};
use lambdascape_engine::time::{Micros, MICROS_PER_SEC};
use lambdascape_ui::compare::{best, mark, mode_label, run_name, COLS};
use lambdascape_ui::format::clock;
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

/// Real milliseconds of work per animation frame, shared by all the runs.
const BUDGET_MS: f64 = 8.0;
/// Events a run processes before the budget is looked at again.
const CHUNK_EVENTS: u64 = 1_000;
const CHART_POINTS: usize = 240;
/// Real milliseconds between updates of the charts and the table while the runs move.
const REFRESH_MS: f64 = 200.0;
const KINDS: [ChartKind; 2] = [ChartKind::Concurrency, ChartKind::Throttles];

/// One simulation of the comparison.
struct Run {
    /// None: the scenario as written; else the variant's index.
    variant: Option<usize>,
    /// "as written", else the variant's name (as the CLI names the rows).
    name: String,
    spec: Scenario,
    /// The scenario's seed (as the CLI's `compare`: every run with the same one).
    seed: u64,
    sim: Simulation,
    charts: Shared<Vec<ChartData>>,
    row: Row,
}

impl Run {
    fn new(variant: Option<usize>, name: String, spec: Scenario, seed: u64) -> Run {
        let sim = Simulation::with_seed(spec.clone(), seed, Options::default());
        let row = Row::of(&name, &sim);
        Run { variant, name, spec, seed, sim, charts: Shared::new(vec![]), row }
    }
    fn restart(&mut self) {
        self.sim = Simulation::with_seed(self.spec.clone(), self.seed, Options::default());
    }
    /// Its row now, and its charts (each on its own scale).
    fn refresh(&mut self) -> Vec<ChartData> {
        self.row = Row::of(&self.name, &self.sim);
        KINDS.iter().map(|k| chart::chart(&self.sim, *k, CHART_POINTS)).collect()
    }
}

/// The runs and their one clock.
struct Runs {
    /// The scenario (by pointer) and the variants shown.
    key: (usize, Vec<usize>),
    runs: Vec<Run>,
    goal: Micros,
    playing: bool,
    speed: f64,
    /// When the charts and rows were last brought up to date, and how long that took.
    age_ms: f64,
    refresh_ms: f64,
}

impl Runs {
    fn now(&self) -> Micros {
        self.runs.iter().map(|r| r.sim.now()).min().unwrap_or(0)
    }
    fn horizon(&self) -> Micros {
        self.runs.iter().map(|r| r.sim.horizon()).max().unwrap_or(0)
    }
    fn refresh(&mut self) {
        let start = now_ms();
        let mut lists: Vec<Vec<ChartData>> = self.runs.iter_mut().map(Run::refresh).collect();
        // One scale per chart row, so that the runs' charts compare at a glance.
        // Short titles: the columns are narrow.
        for k in 0..KINDS.len() {
            let top = lists.iter().filter_map(|l| l.get(k)).map(|c| c.y_max).fold(0.0, f64::max);
            for c in lists.iter_mut().filter_map(|l| l.get_mut(k)) {
                c.y_max = top;
                match c.kind {
                    ChartKind::Concurrency if c.areas.is_empty() && !c.lines.is_empty() => {
                        c.title = "In flight vs capacity".into()
                    }
                    ChartKind::Concurrency => c.title = "Concurrency".into(),
                    ChartKind::Throttles => {
                        c.title = "Throttles".into();
                        if c.note.is_some() {
                            c.note = Some("none throttled".into());
                        }
                    }
                    _ => {}
                }
            }
        }
        for (r, l) in self.runs.iter_mut().zip(lists) {
            r.charts = Shared::new(l);
        }
        self.age_ms = now_ms();
        self.refresh_ms = self.age_ms - start;
    }
    /// Moves every run towards the goal within one frame's budget, shared by them all (the run
    /// furthest behind goes first); whether anything changed.
    fn work(&mut self, dt_ms: f64) -> bool {
        let start = now_ms();
        let horizon = self.horizon();
        if self.playing {
            let dt = (dt_ms.clamp(0.0, 100.0) * 1000.0 * self.speed) as Micros;
            self.goal = self.goal.max(self.now()).saturating_add(dt).min(horizon);
        }
        let goal = self.goal.min(horizon);
        if self.now() >= goal {
            if self.now() >= horizon {
                self.playing = false;
            }
            return false;
        }
        // A refresh due this frame comes out of the same budget.
        let due = now_ms() - self.age_ms > REFRESH_MS;
        let budget = if due { (BUDGET_MS - self.refresh_ms).max(1.0) } else { BUDGET_MS };
        loop {
            let behind = self
                .runs
                .iter_mut()
                .filter(|r| r.sim.now() < goal.min(r.sim.horizon()))
                .min_by_key(|r| r.sim.now());
            let Some(r) = behind else { break };
            r.sim.advance_bounded(goal, CHUNK_EVENTS);
            if now_ms() - start > budget {
                break;
            }
        }
        let arrived = self.now() >= goal;
        if arrived || due {
            self.refresh();
        }
        true
    }
    /// Moves to `t`: back means fresh runs forwards again (deterministic: same figures).
    fn seek(&mut self, t: Micros) {
        let t = t.min(self.horizon());
        if t < self.now() {
            for r in &mut self.runs {
                r.restart();
            }
            self.refresh();
        }
        self.goal = t;
    }
}

/// The runs for `variants` of `sc`: the scenario as written first. Runs of `old` of the same
/// scenario are kept (a variant added starts at zero and catches up). A variant that does not
/// validate is left out and named in the error list.
fn build(
    sc: &Shared<Scenario>,
    variants: &[usize],
    old: Option<Runs>,
    key: (usize, Vec<usize>),
) -> (Runs, Vec<String>) {
    let same = old.as_ref().is_some_and(|o| o.key.0 == key.0);
    let (mut kept, goal, playing, speed) = match old {
        Some(o) if same => (o.runs, o.goal, o.playing, o.speed),
        Some(o) => (vec![], 0, false, o.speed),
        None => (vec![], 0, false, 10.0),
    };
    let seed = sc.spec.seed;
    let mut errs = vec![];
    let mut take = |v: Option<usize>| kept.iter().position(|r| r.variant == v).map(|i| kept.swap_remove(i));
    let mut runs =
        vec![take(None).unwrap_or_else(|| Run::new(None, "as written".into(), (*sc.0).clone(), seed))];
    for &i in variants {
        if let Some(r) = take(Some(i)) {
            runs.push(r);
            continue;
        }
        match sc.spec.variant(i).and_then(|v| v.validate()) {
            Ok(s) => runs.push(Run::new(Some(i), sc.spec.variants[i].name.clone(), s, seed)),
            Err(e) => errs.push(format!("Variant {} ({}) cannot run:\n{e}", i + 1, sc.spec.variants[i].name)),
        }
    }
    let mut r = Runs { key, runs, goal, playing, speed, age_ms: 0.0, refresh_ms: 0.0 };
    r.refresh();
    (r, errs)
}

#[component]
pub fn Compare(p: &Props) -> Html {
    let sc = &p.scenario;
    let variants = &sc.spec.variants;
    let shown = p.ui.compared(&sc.spec);
    let key = (Rc::as_ptr(&sc.0) as usize, shown.clone());
    let runs = use_mut_ref(|| None::<Runs>);
    let errs = use_state_eq(Vec::<String>::new);
    let redraw = use_force_update();
    // (Re)build the runs when the scenario or the variants shown change.
    if !variants.is_empty() && runs.borrow().as_ref().is_none_or(|x| x.key != key) {
        let old = runs.borrow_mut().take();
        let (r, e) = build(sc, &shown, old, key);
        *runs.borrow_mut() = Some(r);
        errs.set(e);
    }
    {
        let (runs, redraw) = (runs.clone(), redraw.clone());
        use_animation_frame(Callback::from(move |dt: f64| {
            let changed = runs.borrow_mut().as_mut().is_some_and(|x| x.work(dt));
            if changed {
                redraw.force_update();
            }
        }));
    }
    if variants.is_empty() {
        return html! {
            <section class="compare" aria-label="Compare variants" data-testid="compare">
                <p class="compare-empty">{"This scenario has no variants to compare. Presets with variants: which compute mode for a spiky API, legacy vs current scaling, reserved concurrency, NAT vs endpoints…"}</p>
            </section>
        };
    }
    let act = |f: Rc<dyn Fn(&mut Runs)>| {
        let (runs, redraw) = (runs.clone(), redraw.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(x) = runs.borrow_mut().as_mut() {
                f(x);
            }
            redraw.force_update();
        })
    };
    let on_pick = |i: usize| {
        let ui = p.ui.clone();
        let (name, shown, n) = (sc.spec.name.clone(), shown.clone(), variants.len());
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<web_sys::HtmlInputElement>().checked();
            let v: Vec<usize> = (0..n).filter(|x| if *x == i { on } else { shown.contains(x) }).collect();
            ui.dispatch(UiAction::Compare(Some(CompareSel { scenario: name.clone(), variants: v })));
        })
    };
    let on_scrub = {
        let (runs, redraw) = (runs.clone(), redraw.clone());
        Callback::from(move |e: InputEvent| {
            let v: f64 = lambdascape_engine::size::number::parse_f64(
                &e.target_unchecked_into::<web_sys::HtmlInputElement>().value(),
            )
            .unwrap_or(0.0);
            if let Some(x) = runs.borrow_mut().as_mut() {
                x.playing = false;
                x.seek((v * 1e6) as Micros);
            }
            redraw.force_update();
        })
    };
    let on_speed = {
        let (runs, redraw) = (runs.clone(), redraw.clone());
        Callback::from(move |e: InputEvent| {
            let v: f64 = lambdascape_engine::size::number::parse_f64(
                &e.target_unchecked_into::<web_sys::HtmlInputElement>().value(),
            )
            .unwrap_or(1.0);
            if let Some(x) = runs.borrow_mut().as_mut() {
                x.speed = 10f64.powf(v).clamp(0.1, 1000.0);
            }
            redraw.force_update();
        })
    };
    let guard = runs.borrow();
    let Some(x) = guard.as_ref() else { return html! {} };
    let now = x.now();
    let horizon = x.horizon();
    let secs = |t: Micros| t as f64 / MICROS_PER_SEC as f64;
    let moving = x.playing || x.goal > now;
    let done = now >= horizon;
    let full = shown.len() >= MAX_COMPARED;
    let picker = html! {
        <fieldset class="compare-pick" data-testid="compare-pick">
            <legend>{ format!("Runs shown (the scenario as written and up to {MAX_COMPARED} variants)") }</legend>
            <label class="compare-check" title="The scenario itself: the reference each variant changes one thing of">
                <input type="checkbox" checked=true disabled=true />{"as written"}
            </label>
            { for variants.iter().enumerate().map(|(i, v)| {
                let on = shown.contains(&i);
                html! {
                    <label class="compare-check" title={v.description.clone()}>
                        <input type="checkbox" checked={on} disabled={!on && full} onchange={on_pick(i)}
                            data-testid={format!("compare-variant-{i}")} data-name={v.name.clone()} />
                        { &v.name }
                    </label>
                }
            }) }
        </fieldset>
    };
    let column = |i: usize, r: &Run| {
        let (title, desc) = match r.variant {
            None => (
                "As written".to_string(),
                "The scenario itself: each of the others changes one thing of it (same traffic, same seed)."
                    .to_string(),
            ),
            Some(v) => (variants[v].name.clone(), variants[v].description.clone()),
        };
        html! {
            <section class="compare-side" aria-label={title.clone()} data-testid={format!("compare-side-{i}")}>
                <h2 title={title.clone()}>{ title }</h2>
                <p class="compare-mode" title={mode_label(&r.row, false)}>{ mode_label(&r.row, true) }</p>
                <p class="compare-desc" title={desc.clone()}>{ desc }</p>
                <div class="compare-charts">
                    { for (0..r.charts.len()).map(|k| html! {
                        <ChartView charts={r.charts.clone()} index={k} now={now} theme={p.theme} highlight_limit={None::<&'static str>} />
                    }) }
                </div>
            </section>
        }
    };
    let rows: Vec<Row> = x.runs.iter().map(|r| r.row.clone()).collect();
    let bests: Vec<Option<f64>> = COLS.iter().map(|c| best(&rows, c)).collect();
    let notes = lambdascape_engine::compare::notes(&rows);
    let play_label = if x.playing { "Pause all" } else { "Play all" };
    let toggle: Rc<dyn Fn(&mut Runs)> = Rc::new(|x: &mut Runs| {
        if x.now() >= x.horizon() && !x.playing {
            x.seek(0);
        }
        x.playing = !x.playing;
    });
    let home: Rc<dyn Fn(&mut Runs)> = Rc::new(|x: &mut Runs| {
        x.playing = false;
        x.seek(0);
    });
    let end: Rc<dyn Fn(&mut Runs)> = Rc::new(|x: &mut Runs| {
        x.playing = false;
        let h = x.horizon();
        x.seek(h);
    });
    let caption = if done {
        html! { <>{ format!("At the end ({}): the figures of ", clock(horizon)) }<code>{"lambdascape compare"}</code>{" (the CLI) for this scenario. ✓ marks the lowest throttles, cold starts, latency and cost."}</> }
    } else {
        html! { <>{ format!("So far ({} of {}); at the end these are the figures of ", clock(now), clock(horizon)) }<code>{"lambdascape compare"}</code>{" (the CLI). ✓ marks the lowest."}</> }
    };
    html! {
        <section class="compare" aria-label="Compare variants" data-testid="compare">
            <div class="compare-head">
                { picker }
                <span class="compare-note">{"Same traffic and seed; each variant changes one thing. Each chart row shares one scale."}</span>
            </div>
            { for errs.iter().map(|e| html! { <pre class="compare-error" role="alert">{ e }</pre> }) }
            <div class="compare-timeline" role="group" aria-label="One timeline for all the runs">
                <button class="tool-button" data-testid="compare-home" onclick={act(home)} aria-label="All to the start">{"|◀"}</button>
                <button class="tool-button" data-testid="compare-play" aria-pressed={x.playing.to_string()} onclick={act(toggle)}>{ play_label }</button>
                <button class="tool-button" data-testid="compare-end" onclick={act(end)} aria-label="All to the end">{"▶|"}</button>
                <input type="range" class="scrub" aria-label="Simulated time of all the runs" min="0" max={secs(horizon).to_string()}
                    step="1" value={secs(now).to_string()} oninput={on_scrub} data-testid="compare-scrub" />
                <span class="compare-clock">
                    <span class="tl-time" data-testid="compare-time" data-now-us={now.to_string()}>{ format!("{} sim", clock(now)) }</span>
                    <span class="tl-total">{ format!(" / {}", clock(horizon)) }</span>
                </span>
                if moving && !x.playing { <span class="seeking" role="status">{"running…"}</span> }
                <label class="compare-speed">{"speed "}
                    <input type="range" min="-1" max="3" step="0.1" value={x.speed.log10().to_string()} oninput={on_speed} aria-label="Speed of all the runs" />
                </label>
            </div>
            <div class="compare-sides">
                { for x.runs.iter().enumerate().map(|(i, r)| column(i, r)) }
            </div>
            <div class="compare-table-wrap">
            <table class="compare-table" data-testid="compare-table" data-done={done.to_string()}>
                <caption><span class="compare-caption">{ caption }</span></caption>
                <thead><tr>
                    <th scope="col">{"Run"}</th><th scope="col">{"Compute mode"}</th>
                    { for COLS.iter().map(|c| html! { <th scope="col" data-col={c.id}>{ c.head }</th> }) }
                </tr></thead>
                <tbody>
                    { for rows.iter().enumerate().map(|(i, r)| html! {
                        <tr data-testid="compare-row" data-name={r.name.clone()} data-compute={r.compute}>
                            <th scope="row">{ run_name(r, i == 0) }</th>
                            <td class="mode">{ mode_label(r, false) }</td>
                            { for COLS.iter().zip(&bests).map(|(c, b)| {
                                let top = b.is_some() && (c.value)(r) == *b;
                                html! {
                                    <td data-col={c.id} data-value={(c.raw)(r).to_string()} class={classes!(top.then_some("best"))}>
                                        { (c.show)(r) }{ mark(&rows, r, c) }
                                        if top { <span class="best-mark" aria-hidden="true">{" ✓"}</span><span class="visually-hidden">{" (lowest)"}</span> }
                                    </td>
                                }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
            { for notes.iter().map(|(m, n)| html! { <p class="compare-footnote" data-testid="compare-note">{ format!("{m} {n}") }</p> }) }
            </div>
        </section>
    }
}
