//! App state and the reducer: every change the user or the animation asks for is an [`Action`];
//! [`AppState::reduce`] decides what happens. The engine handle lives here, outside the render
//! path: components only see the captured [`Frame`], chart data and narrative.

use crate::presets::{self, Preset};
use crate::theme::Theme;
use lambdascape_engine::chart::{self, ChartData, ChartKind, Span};
use lambdascape_engine::scenario::Scenario;
use lambdascape_engine::sim::{Entry, Options, Ref, Simulation};
use lambdascape_engine::time::{Micros, MICROS_PER_SEC};
use lambdascape_engine::view::{self, EnvInfo, Frame};
use lambdascape_engine::ScenarioSpec;
use std::cell::RefCell;
use std::rc::Rc;

// The editor's part of the reducer (edits, undo/redo, autosave): `state/edit.rs` with feature
// `editor` (the full app), `state/view_only.rs` without it (the viewer and the embeddable widget,
// which show scenarios but never edit them).
#[cfg(feature = "editor")]
mod edit;
#[cfg(not(feature = "editor"))]
mod view_only;
#[cfg(feature = "editor")]
pub use edit::{EditAction, Editing};
#[cfg(not(feature = "editor"))]
pub use view_only::{EditAction, Editing};

/// Real milliseconds of simulation work allowed per animation frame.
const FRAME_BUDGET_MS: f64 = 7.0;
/// Events processed between clock checks.
const EVENT_CHUNK: u64 = 3_000;
/// Charts are redrawn at most this often while playing (real ms).
const CHART_EVERY_MS: f64 = 150.0;
/// Points per chart series: the engine's, the same as the CLI's `render`.
const CHART_POINTS: usize = chart::MAX_POINTS;
/// Newest narrative entries kept in the log.
const LOG_KEEP: usize = 400;

/// An `Rc` compared by pointer, so props holding large data compare in O(1).
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Shared<T> {
    pub fn new(v: T) -> Self {
        Shared(Rc::new(v))
    }
}
impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}
impl<T> PartialEq for Shared<T> {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}
impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// What the inspector shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Selection {
    #[default]
    None,
    Env(u32),
    Function(u32),
    /// A subnet, by `SubnetId`.
    Subnet(u32),
    /// A NAT gateway, by `NatId`.
    Nat(u32),
}

impl Selection {
    /// As two numbers (kind, id), for handing over to another build of the app (the viewer
    /// hands over, the full build takes: each build uses one of these two).
    #[allow(dead_code)]
    pub fn code(self) -> (u32, u32) {
        match self {
            Selection::None => (0, 0),
            Selection::Env(i) => (1, i),
            Selection::Function(i) => (2, i),
            Selection::Subnet(i) => (3, i),
            Selection::Nat(i) => (4, i),
        }
    }

    #[allow(dead_code)]
    pub fn from_code(kind: u32, id: u32) -> Selection {
        match kind {
            1 => Selection::Env(id),
            2 => Selection::Function(id),
            3 => Selection::Subnet(id),
            4 => Selection::Nat(id),
            _ => Selection::None,
        }
    }
}

/// The narrative log's entries up to now (the newest [`LOG_KEEP`]).
#[derive(Debug, Default)]
pub struct Log {
    /// Index in the full narrative of `entries[0]`.
    pub first: usize,
    pub entries: Vec<Entry>,
}

/// Everything the app can be asked to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// An animation frame: `dt_ms` real milliseconds since the last one.
    Tick {
        dt_ms: f64,
    },
    TogglePlay,
    /// Steps by `n` sample intervals (negative: back); pauses.
    Step(i32),
    /// Moves to a time (back: restore and replay; forward: advance over the next frames).
    Seek(Micros),
    Home,
    End,
    SetSpeed(f64),
    /// Loads a scenario from its JSON text (a preset chosen in the picker).
    Load {
        id: String,
        text: Rc<str>,
    },
    /// The preset list read from `scenarios/index.json`.
    SetPresets(Vec<Preset>),
    /// Something failed outside the reducer (a fetch): show it.
    Fail(String),
    Select(Selection),
    /// A narrative entry was clicked: seek to it and highlight what it names.
    ShowEntry(usize),
    ToggleTheme,
    ClearError,
    /// The scenario editor (edits, undo/redo, reset, picking subnets on the picture).
    Edit(EditAction),
    /// Presenter mode: highlight what a chapter names (share_ui).
    SetHighlight(Vec<Ref>),
    /// The stretch of time the charts show (a range picked on a chart, the whole run, or the
    /// run so far).
    SetSpan(Span),
}

/// The app's state.
pub struct AppState {
    pub sim: Option<Rc<RefCell<Simulation>>>,
    pub presets: Shared<Vec<Preset>>,
    pub preset: String,
    pub scenario: Option<Shared<Scenario>>,
    pub playing: bool,
    /// Simulated seconds per real second.
    pub speed: f64,
    /// Where the simulation is heading (ahead of `frame.now` while catching up or seeking).
    pub goal: Micros,
    pub frame: Shared<Frame>,
    pub charts: Shared<Vec<ChartData>>,
    /// The stretch of time the charts show.
    pub span: Span,
    pub(crate) chart_kinds: Vec<ChartKind>,
    pub(crate) charts_rows: usize,
    charts_age_ms: f64,
    pub log: Shared<Log>,
    pub selection: Selection,
    pub env_info: Option<EnvInfo>,
    /// The clicked narrative entry (index in the full narrative) and what it names.
    pub highlight_entry: Option<usize>,
    pub highlight: Shared<Vec<Ref>>,
    pub theme: Theme,
    pub error: Option<String>,
    /// The scenario editor's session and the scenario in force now.
    pub editing: Shared<Editing>,
    /// The text of the scenario loaded (the viewer hands it to the full build).
    pub source: Option<Rc<str>>,
}

fn empty_frame() -> Frame {
    Frame {
        now: 0,
        horizon: 1,
        concurrency: 0,
        limit: 0,
        environments: 0,
        busy: 0,
        initializing: 0,
        idle: 0,
        throttles: 0,
        cold_starts: 0,
        invocations: 0,
        requests: 0,
        cost_usd: 0.0,
        burst_tokens: None,
        restores: 0,
        functions: vec![],
        instances: vec![],
        dots: vec![],
        dot_start: vec![0],
        narrative_len: 0,
        subnets: vec![],
        subnet_dots: vec![],
        subnet_start: vec![],
        azs_down: vec![],
        paths: vec![],
    }
}

/// The scenario named in the URL hash (`#scenario=<id>`).
pub fn hash_scenario() -> Option<String> {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    hash.strip_prefix("#scenario=").filter(|s| !s.is_empty()).map(str::to_string)
}

/// The browser's local storage, if the page may use it.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Where the editor autosaves its session on preset `id` (`state/edit.rs`; the viewer looks
/// for it to hand such a preset to the full build).
pub fn autosave_key(id: &str) -> String {
    format!("lambdascape.editor.{id}")
}

/// The page's clock (`performance.now()`), in milliseconds; 0 outside a browser.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

impl AppState {
    /// The first preset (or the one named in the URL hash `#scenario=<id>`), paused at 0.
    pub fn initial() -> Self {
        let mut s =
            AppState { presets: Shared::new(presets::built_in()), theme: Theme::initial(), ..Self::blank() };
        let id = hash_scenario()
            .filter(|id| presets::built_in_json(id).is_some())
            .unwrap_or_else(|| presets::FIRST.to_string());
        if let Some(text) = presets::built_in_json(&id) {
            s.load(&id, &text);
        }
        s
    }

    /// Nothing loaded, no presets (the widget loads the scenario its page names).
    pub fn blank() -> Self {
        AppState {
            sim: None,
            presets: Shared::new(vec![]),
            preset: String::new(),
            scenario: None,
            playing: false,
            speed: 10.0,
            goal: 0,
            frame: Shared::new(empty_frame()),
            charts: Shared::new(vec![]),
            span: Span::Fit,
            chart_kinds: vec![],
            charts_rows: usize::MAX,
            charts_age_ms: 0.0,
            log: Shared::new(Log::default()),
            selection: Selection::None,
            env_info: None,
            highlight_entry: None,
            highlight: Shared::new(vec![]),
            theme: Theme::Light,
            error: None,
            editing: Shared::new(Editing::default()),
            source: None,
        }
    }

    pub fn load(&mut self, id: &str, text: &str) {
        self.preset = id.to_string();
        self.source = Some(text.into());
        self.playing = false;
        self.selection = Selection::None;
        self.env_info = None;
        self.highlight_entry = None;
        self.highlight = Shared::new(vec![]);
        self.span = Span::Fit;
        match ScenarioSpec::parse_and_validate(text) {
            Ok(sc) => {
                let sc = self.edit_opened(id, text, sc);
                let seed = sc.spec.seed;
                self.chart_kinds = ChartKind::for_scenario(&sc);
                self.scenario = Some(Shared::new(sc.clone()));
                let sim =
                    Simulation::with_seed(sc, seed, Options { checkpoints: true, ..Default::default() });
                self.sim = Some(Rc::new(RefCell::new(sim)));
                self.goal = 0;
                self.error = None;
                self.refresh(true);
            }
            Err(errs) => {
                self.sim = None;
                self.scenario = None;
                self.error = Some(format!("The scenario '{id}' is not valid:\n{errs}"));
            }
        }
    }

    /// The engine handle, for exports (CSV) that read the recorded series (share_ui).
    pub fn sim_handle(&self) -> Option<Shared<RefCell<Simulation>>> {
        self.sim.clone().map(Shared)
    }

    /// Whether the simulation still has to move towards its goal.
    pub fn seeking(&self) -> bool {
        self.goal > self.frame.now
    }

    /// Re-captures the frame, log and (if due or `force`) the charts.
    pub fn refresh(&mut self, force: bool) {
        let Some(sim) = self.sim.clone() else { return };
        let sim = sim.borrow();
        let frame = Frame::capture(&sim);
        if frame.narrative_len != self.frame.narrative_len || force {
            let all = sim.narrative_until_now();
            let first = all.len().saturating_sub(LOG_KEEP);
            self.log = Shared::new(Log { first, entries: all[first..].to_vec() });
        }
        let rows = sim.recorder().account.row_at(sim.now()).map_or(0, |r| r + 1);
        let t = now_ms();
        // New samples redraw the charts, at most every CHART_EVERY_MS while playing.
        let due = !self.playing || t - self.charts_age_ms >= CHART_EVERY_MS;
        if force || (rows != self.charts_rows && due) {
            self.charts = Shared::new(
                self.chart_kinds.iter().map(|k| chart::chart_in(&sim, *k, CHART_POINTS, self.span)).collect(),
            );
            self.charts_rows = rows;
            self.charts_age_ms = t;
        }
        self.env_info = match self.selection {
            Selection::Env(serial) => view::env_info(&sim, serial).or_else(|| {
                // Reaped: keep what we knew, marked gone by the inspector (state Idle, no reap).
                self.env_info.clone().filter(|e| e.serial == serial).map(|mut e| {
                    e.reap_due = Some(0);
                    e
                })
            }),
            _ => None,
        };
        self.frame = Shared::new(frame);
        self.sync_active();
    }

    /// Advances towards the goal within the frame's time budget.
    pub fn work(&mut self) {
        let Some(sim) = self.sim.clone() else { return };
        let mut sim = sim.borrow_mut();
        let start = now_ms();
        loop {
            if sim.advance_bounded(self.goal, EVENT_CHUNK) {
                break;
            }
            if now_ms() - start > FRAME_BUDGET_MS {
                break;
            }
        }
        if sim.is_finished() {
            self.playing = false;
            self.goal = sim.now();
        }
    }

    pub fn seek(&mut self, t: Micros) {
        let Some(sim) = self.sim.clone() else { return };
        let t = t.min(sim.borrow().horizon());
        {
            let mut s = sim.borrow_mut();
            if t < s.now() {
                // Back: restore the checkpoint at or before t (no replay), then let `work` replay
                // the rest within each frame's budget ("seeking…" meanwhile).
                let every = view::checkpoint_interval(s.scenario());
                s.seek(t - t % every);
            }
        }
        self.goal = t;
        self.work();
        self.refresh(true);
    }

    // The actions as methods: the reducer calls them, and so does the widget, which has no
    // use for the rest of the reducer (presets, theme, editing).

    /// An animation frame `dt_ms` real milliseconds after the last (while playing or seeking).
    pub fn tick(&mut self, dt_ms: f64) {
        if self.playing {
            let now = self.frame.now;
            let dt = (dt_ms.clamp(0.0, 100.0) * 1000.0 * self.speed) as Micros;
            // Never run more than a quarter second of real time behind.
            let lag_cap = (250_000.0 * self.speed) as Micros;
            self.goal = self.goal.max(now).saturating_add(dt).min(now.saturating_add(lag_cap.max(dt)));
        }
        self.work();
        self.refresh(false);
    }

    pub fn toggle_play(&mut self) {
        if self.frame.now >= self.frame.horizon && !self.playing {
            self.seek(0);
        }
        self.playing = !self.playing;
        self.goal = self.goal.max(self.frame.now);
        self.refresh(true);
    }

    /// Steps by `n` sample intervals (negative: back), paused.
    pub fn step(&mut self, n: i32) {
        let si = self.sample_interval() as i64;
        self.step_to((self.frame.now as i64 + n as i64 * si).max(0) as Micros);
    }

    /// Goes to `t`, paused.
    pub fn step_to(&mut self, t: Micros) {
        self.playing = false;
        self.seek(t);
    }

    pub fn set_speed(&mut self, v: f64) {
        self.speed = v.clamp(0.1, 1000.0);
    }

    pub fn select(&mut self, sel: Selection) {
        self.selection = sel;
        self.env_info = None;
        self.refresh(false);
    }

    /// Seeks to a narrative entry's time and highlights what it names.
    pub fn show_entry(&mut self, i: usize) {
        let entry = self.sim.as_ref().and_then(|sim| sim.borrow().recorder().narrative.get(i).cloned());
        if let Some(e) = entry {
            self.playing = false;
            self.highlight_entry = Some(i);
            self.highlight = Shared::new(e.refs.clone());
            if let Some(sel) = e.refs.iter().find_map(|r| match r {
                Ref::Env { serial } => Some(Selection::Env(*serial)),
                Ref::Function { id } => Some(Selection::Function(*id)),
                _ => None,
            }) {
                self.selection = sel;
            }
            self.seek(e.time);
        }
    }

    fn sample_interval(&self) -> Micros {
        self.scenario.as_ref().map_or(MICROS_PER_SEC, |s| s.sample_interval)
    }
}

impl AppState {
    /// The reducer: the state after `action` (the same `Rc` when nothing changes, so nothing
    /// re-renders). The app's yew store (`lambdascape::store`) delegates to it.
    pub fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = AppState {
            sim: self.sim.clone(),
            presets: self.presets.clone(),
            preset: self.preset.clone(),
            scenario: self.scenario.clone(),
            playing: self.playing,
            speed: self.speed,
            goal: self.goal,
            frame: self.frame.clone(),
            charts: self.charts.clone(),
            span: self.span,
            chart_kinds: self.chart_kinds.clone(),
            charts_rows: self.charts_rows,
            charts_age_ms: self.charts_age_ms,
            log: self.log.clone(),
            selection: self.selection,
            env_info: self.env_info.clone(),
            highlight_entry: self.highlight_entry,
            highlight: self.highlight.clone(),
            theme: self.theme,
            error: self.error.clone(),
            editing: self.editing.clone(),
            source: self.source.clone(),
        };
        match action {
            Action::Tick { dt_ms } => {
                if !self.playing && !self.seeking() {
                    return self; // nothing moves: no re-render
                }
                s.tick(dt_ms);
            }
            Action::TogglePlay => s.toggle_play(),
            Action::Step(n) => s.step(n),
            Action::Seek(t) => s.seek(t),
            Action::Home => s.step_to(0),
            Action::End => s.step_to(s.frame.horizon),
            Action::SetSpeed(v) => s.set_speed(v),
            Action::Load { id, text } => s.load(&id, &text),
            Action::SetPresets(list) => s.presets = Shared::new(list),
            Action::Fail(msg) => {
                s.playing = false;
                s.error = Some(msg);
            }
            Action::Select(sel) => {
                if let Selection::Subnet(id) = sel {
                    if s.pick_subnet(id) {
                        return Rc::new(s);
                    }
                }
                s.select(sel);
            }
            Action::ShowEntry(i) => s.show_entry(i),
            Action::Edit(a) => s.reduce_edit(a),
            Action::ToggleTheme => {
                s.theme = s.theme.other();
                s.theme.apply(true);
            }
            Action::SetSpan(span) => {
                s.span = span;
                s.refresh(true);
            }
            Action::SetHighlight(refs) => {
                s.highlight_entry = None;
                s.highlight = Shared::new(refs);
            }
            Action::ClearError => {
                s.error = None;
                if let Some(text) =
                    presets::built_in_json(&s.preset).or_else(|| presets::built_in_json(presets::FIRST))
                {
                    let id = if presets::built_in_json(&s.preset).is_some() {
                        s.preset.clone()
                    } else {
                        presets::FIRST.to_string()
                    };
                    s.load(&id, &text);
                }
            }
        }
        Rc::new(s)
    }
}
