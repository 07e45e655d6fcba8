//! The panels in the page: their state, the DOM listeners on their hosts and the Web Workers
//! that run a sweep. Each panel is kept under its own id: the app has one (a new one replaces
//! it), a docs page one per sizing widget (crate::widget, mounted by www/embed.js).
//!
//! A run: the sweep's jobs (one run each, `Plan::jobs`) are handed out in chunks to
//! `min(cores, 4)` workers, each answer asks for the next chunk, and the figures are put back by
//! job index, so the table is the CLI's whatever the number of workers and the order of the
//! answers. The chunks shrink as the jobs run out (a quarter of each worker's share of what is
//! left, at most 8, down to single jobs), so the workers finish together. The workers get this
//! module already compiled from the page. Cancel (or a new Run) terminates the workers at once.

use crate::form::{setting_of, Form, Problems};
use crate::jobs::{jobs_text, read_answer};
use crate::view::{self, Status, View, WidgetView};
use crate::widget::WidgetOptions;
use lambdascape_engine::size::number::parse_uint;
use lambdascape_engine::size::reader;
use lambdascape_engine::sweep::{Job, Plan, RunFigures, Sweep, Table};
use lambdascape_engine::ScenarioSpec;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/src/sizing.js")]
extern "C" {
    fn spawn_workers(n: u32, cb: &js_sys::Function, module: &JsValue) -> js_sys::Array;
    fn post_jobs(list: &js_sys::Array, i: u32, id: u32, start: u32, scenario: &str, sweep: &str, jobs: &str);
    fn stop_workers(list: &js_sys::Array);
    fn cores() -> f64;
}

/// Most workers a run starts.
const MAX_WORKERS: usize = 4;

/// A sweep under way.
struct Run {
    id: u32,
    plan: Plan,
    sweep_json: String,
    jobs: Vec<Job>,
    results: Vec<Option<RunFigures>>,
    done: usize,
    /// The first job not handed out yet.
    next: usize,
    workers: js_sys::Array,
}

type Listener = Closure<dyn FnMut(web_sys::Event)>;
type WorkerCb = Closure<dyn FnMut(u32, i32, u32, Option<String>, Option<String>)>;

/// A panel shown as a docs widget: a fixed sweep, no form.
struct Widget {
    options: Result<WidgetOptions, String>,
    /// Why it shows nothing but an error box: (the box's title, the message).
    error: Option<(&'static str, String)>,
    title: String,
    runs: usize,
    /// The point the reader clicked.
    picked: Option<usize>,
}

struct Panel {
    id: u32,
    host: web_sys::Element,
    text: String,
    spec: Result<ScenarioSpec, String>,
    functions: Vec<String>,
    form: Form,
    problems: Problems,
    size: Result<(usize, usize), String>,
    status: Status,
    run: Option<Run>,
    runs: u32,
    /// The last finished sweep: its plan (for each point's scenario) and table.
    done: Option<(Plan, Table)>,
    /// The app's callbacks (a widget has none).
    on_load: Option<js_sys::Function>,
    on_change: Option<js_sys::Function>,
    listeners: Vec<(&'static str, Listener)>,
    on_worker: Option<WorkerCb>,
    widget: Option<Widget>,
}

thread_local! {
    static PANELS: RefCell<Vec<Panel>> = const { RefCell::new(Vec::new()) };
    /// Unmounted panels, kept until the next mount: one may be unmounted from inside one of
    /// its own listeners (a point loaded closes the app's), which must outlive that call.
    static GRAVE: RefCell<Vec<Panel>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
    /// The app's panel (0: none).
    static APP: Cell<u32> = const { Cell::new(0) };
}

/// What to do once the panel's state is let go (calls out to the app may unmount it).
enum After {
    Nothing,
    Load(String),
    Changed(String),
}

fn with_panel(id: u32, f: impl FnOnce(&mut Panel) -> After) {
    let after =
        PANELS.with(|ps| ps.borrow_mut().iter_mut().find(|p| p.id == id).map(f)).unwrap_or(After::Nothing);
    let (pick, arg): (fn(&Panel) -> Option<js_sys::Function>, String) = match after {
        After::Nothing => return,
        After::Load(json) => (|p| p.on_load.clone(), json),
        After::Changed(json) => (|p| p.on_change.clone(), json),
    };
    if let Some(cb) = PANELS.with(|ps| ps.borrow().iter().find(|p| p.id == id).and_then(pick)) {
        let _ = cb.call1(&JsValue::NULL, &arg.into());
    }
}

/// A mounted panel: the app calls [`SizingHandle::unmount`] when it closes; www/embed.js drives
/// a sizing widget's through the same methods as its other widgets' handles (those that mean
/// nothing to a sweep do nothing).
#[wasm_bindgen]
pub struct SizingHandle {
    id: u32,
}

#[wasm_bindgen]
impl SizingHandle {
    /// Stops any run (its workers terminated) and empties the host.
    pub fn unmount(&self) {
        unmount(self.id);
    }

    /// A widget on screen or not: its sweep starts the first time it is on screen.
    pub fn set_visible(&self, visible: bool) {
        with_panel(self.id, |p| {
            let idle = p.status == Status::Idle && p.run.is_none() && p.done.is_none();
            if !visible || !idle || p.widget.as_ref().is_none_or(|w| w.error.is_some()) {
                return After::Nothing;
            }
            let after = p.start();
            p.render();
            after
        });
    }

    /// A widget's new attributes (theme, height; a new sweep mounts it again).
    pub fn set_options(&self, attrs: JsValue) {
        with_panel(self.id, |p| {
            if let Some(w) = p.widget.as_mut() {
                w.options = read_options(&attrs);
                p.render();
            }
            After::Nothing
        });
    }

    /// For embed.js's animation frames: a panel draws when something changes, never per frame.
    pub fn tick(&self, _dt_ms: f64) -> bool {
        false
    }

    pub fn redraw(&self) {}

    pub fn act(&self, _name: &str, _value: f64) {}

    pub fn click(&self, _target: JsValue, _x: f64, _y: f64) {}

    pub fn hover(&self, _index: i32, _x: f64) {}

    /// Not one of the widget build's ids (those start at 1): its crash reports never name it.
    pub fn id(&self) -> u32 {
        0
    }
}

impl Drop for SizingHandle {
    /// A widget's handle freed (www/embed.js) unmounts its panel; unmounting twice is nothing.
    fn drop(&mut self) {
        unmount(self.id);
    }
}

fn unmount(id: u32) {
    let Some(mut p) = PANELS.with(|ps| {
        let mut ps = ps.borrow_mut();
        let i = ps.iter().position(|p| p.id == id)?;
        Some(ps.remove(i))
    }) else {
        return;
    };
    if let Some(r) = p.run.take() {
        stop_workers(&r.workers);
    }
    for (kind, l) in &p.listeners {
        let _ = p.host.remove_event_listener_with_callback(kind, l.as_ref().unchecked_ref());
    }
    p.host.set_inner_html("");
    GRAVE.with(|g| g.borrow_mut().push(p));
}

/// A new panel on `host`, with its listeners, mounted under a new id.
fn mount(host: &web_sys::Element, mut p: Panel) -> u32 {
    GRAVE.with(|g| g.borrow_mut().clear());
    let id = NEXT_ID.with(|n| n.replace(n.get() + 1));
    p.id = id;
    for kind in ["click", "input", "change", "keydown"] {
        let l = Listener::new(move |e: web_sys::Event| on_event(id, kind, e));
        let _ = host.add_event_listener_with_callback(kind, l.as_ref().unchecked_ref());
        p.listeners.push((kind, l));
    }
    p.on_worker = Some(WorkerCb::new(move |i, run, start, out, err| on_answer(id, i, run, start, out, err)));
    p.check();
    p.render();
    PANELS.with(|ps| ps.borrow_mut().push(p));
    id
}

fn read_options(attrs: &JsValue) -> Result<WidgetOptions, String> {
    let get = |k: &str| js_sys::Reflect::get(attrs, &JsValue::from_str(k)).ok().and_then(|v| v.as_string());
    let dark = js_sys::Reflect::get(attrs, &JsValue::from_str("page_dark")).ok().and_then(|v| v.as_bool());
    crate::widget::parse(get, dark.unwrap_or(false))
}

/// Mounts a sizing widget into `host` (an element in the widget's shadow root), for www/embed.js:
/// `name` is how the page named the scenario, `text` its JSON or `load_error` why it could not
/// be fetched, `attrs` the element's attributes as strings plus `page_dark`. Its sweep (the
/// `sweep` attribute, crate::widget) runs the first time it is on screen
/// ([`SizingHandle::set_visible`]); a bad attribute or scenario shows an error box instead.
#[wasm_bindgen]
pub fn mount_sizing_widget(
    host: &web_sys::Element,
    name: &str,
    text: Option<String>,
    load_error: Option<String>,
    attrs: JsValue,
) -> SizingHandle {
    let options = read_options(&attrs);
    let text = text.unwrap_or_default();
    let spec = ScenarioSpec::from_json(&text).map_err(|e| e.to_string());
    let mut w = Widget { error: None, title: name.to_string(), runs: 0, picked: None, options };
    let mut function = String::new();
    w.error = match (&w.options, load_error, &spec) {
        (Err(e), ..) => Some(("This widget's attributes are not valid", e.clone())),
        (_, Some(e), _) => Some(("This widget cannot show its scenario", e)),
        (_, _, Err(e)) => Some(("This widget's scenario cannot run", format!("scenario '{name}': {e}"))),
        (Ok(o), None, Ok(spec)) => {
            w.title = spec.title.clone();
            match o.sweep.plan(spec) {
                Ok(plan) => {
                    function = plan.function.clone();
                    w.runs = plan.jobs().len();
                    None
                }
                Err(e) => Some(("This widget's attributes are not valid", format!("sweep: {e}"))),
            }
        }
    };
    let p = Panel {
        id: 0,
        host: host.clone(),
        text,
        spec,
        functions: vec![],
        form: Form::new(&function),
        problems: Problems::default(),
        size: Err(String::new()),
        status: Status::Idle,
        run: None,
        runs: 0,
        done: None,
        on_load: None,
        on_change: None,
        listeners: vec![],
        on_worker: None,
        widget: Some(w),
    };
    SizingHandle { id: mount(host, p) }
}

/// Renders the panel into `host` for the scenario `scenario_json` (its text), showing the sweep
/// `sweep_json` if given (one run before, or one a share link carries), and with `run_now` runs
/// it at once (a link opens on its sweep's results). `on_load(json)` gets the scenario of a
/// point the learner clicked; `on_change(json)` the sweep each time one is run.
#[wasm_bindgen]
pub fn mount_sizing(
    host: &web_sys::Element,
    scenario_json: &str,
    sweep_json: Option<String>,
    run_now: bool,
    on_load: &js_sys::Function,
    on_change: &js_sys::Function,
) -> SizingHandle {
    unmount(APP.with(Cell::get));
    let spec = ScenarioSpec::from_json(scenario_json).map_err(|e| e.to_string());
    let functions: Vec<String> =
        spec.as_ref().map(|s| s.functions.iter().map(|f| f.name.clone()).collect()).unwrap_or_default();
    let first = functions.first().cloned().unwrap_or_default();
    // A sweep that cannot be read, or names another scenario's function, leaves the form as
    // it starts; one to run at once (a link's) says why.
    let given = sweep_json.map(|j| match reader::from_str::<Sweep>(&j) {
        Ok(s) => match &s.function {
            Some(f) if !functions.contains(f) => {
                Err(format!("The sweep varies function \"{f}\", which this scenario does not have."))
            }
            _ => Ok(s),
        },
        Err(e) => Err(format!("The sweep cannot be read: {e}")),
    });
    let form = match &given {
        Some(Ok(s)) => Form::of(s, &first),
        _ => Form::new(&first),
    };
    let status = match (&spec, given) {
        (Err(e), _) => Status::Refused(format!("The scenario cannot be read: {e}")),
        (Ok(_), Some(Err(why))) if run_now => Status::Refused(why),
        _ => Status::Idle,
    };
    let run_now = run_now && matches!(status, Status::Idle);
    let p = Panel {
        id: 0,
        host: host.clone(),
        text: scenario_json.to_string(),
        spec,
        functions,
        form,
        problems: Problems::default(),
        size: Err(String::new()),
        status,
        run: None,
        runs: 0,
        done: None,
        on_load: Some(on_load.clone()),
        on_change: Some(on_change.clone()),
        listeners: vec![],
        on_worker: None,
        widget: None,
    };
    let id = mount(host, p);
    APP.with(|a| a.set(id));
    if run_now {
        with_panel(id, |p| {
            let after = p.start();
            p.render();
            after
        });
    }
    let title = host.query_selector("#sizing-title").ok().flatten();
    if let Some(t) = title.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = t.focus();
    }
    SizingHandle { id }
}

impl Panel {
    /// The form's problems and the size of the sweep it asks for (the plan made, so that an
    /// unknown function or too many points show before Run).
    fn check(&mut self) {
        if self.widget.is_some() {
            return;
        }
        let (problems, size) = match (self.form.sweep(), &self.spec) {
            (Err(bad), _) => (bad, Err(String::new())),
            (Ok(_), Err(e)) => (Problems::default(), Err(format!("The scenario cannot be read: {e}"))),
            (Ok(s), Ok(spec)) => {
                (Problems::default(), s.plan(spec).map(|p| (p.points.len(), p.jobs().len())))
            }
        };
        self.problems = problems;
        self.size = size;
    }

    /// The sweep to run: a widget's, or the one the form asks for.
    fn sweep(&self) -> Option<Sweep> {
        match &self.widget {
            Some(w) => w.options.as_ref().ok().map(|o| o.sweep.clone()),
            None => self.form.sweep().ok(),
        }
    }

    fn render(&self) {
        if let Some(w) = &self.widget {
            let dark = w.options.as_ref().map_or(false, |o| o.dark);
            let html = match (&w.error, &w.options) {
                (Some((title, e)), _) => view::widget_error(title, e, dark),
                (None, Err(e)) => view::widget_error("This widget's attributes are not valid", e, dark),
                (None, Ok(o)) => view::widget(&WidgetView {
                    dark,
                    height: o.height.as_deref(),
                    title: &w.title,
                    function: &self.form.function,
                    sweep: &crate::widget::describe(&o.sweep),
                    runs: w.runs,
                    status: &self.status,
                    table: self.done.as_ref().map(|(_, t)| t),
                    picked: w.picked,
                }),
            };
            lambdascape_ui::markup::morph(&self.host, &html);
            return;
        }
        let html = view::panel(&View {
            functions: &self.functions,
            form: &self.form,
            problems: &self.problems,
            size: &self.size,
            status: &self.status,
            table: self.done.as_ref().map(|(_, t)| t),
        });
        lambdascape_ui::markup::morph(&self.host, &html);
        // A select the learner has used no longer follows its options' `selected`.
        let set = |field: &str, value: &str| {
            let el = self.host.query_selector(&format!("select[data-field={field}]")).ok().flatten();
            if let Some(s) = el.and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                s.set_value(value);
            }
        };
        set("function", &self.form.function);
        for k in 0..2 {
            let text = &self.form.axes[k];
            let value = match setting_of(text) {
                Some(s) => s.to_string(),
                None if text.trim().is_empty() => String::new(),
                None => "-".into(),
            };
            set(&format!("setting{k}"), &value);
        }
    }

    /// Stops the run under way, if any (its workers terminated at once).
    fn stop(&mut self) -> Option<Run> {
        let r = self.run.take()?;
        stop_workers(&r.workers);
        Some(r)
    }

    fn start(&mut self) -> After {
        self.stop();
        self.check();
        let (Some(sweep), Ok(spec)) = (self.sweep(), &self.spec) else { return After::Nothing };
        let plan = match sweep.plan(spec) {
            Ok(p) => p,
            Err(e) => {
                self.status = Status::Refused(e);
                return After::Nothing;
            }
        };
        let sweep_json = serde_json::to_string(&sweep).unwrap_or_default();
        let jobs = plan.jobs();
        self.done = None;
        if jobs.is_empty() {
            let table = plan.table(&[]);
            self.done = Some((plan, table));
            self.status = Status::Done;
            return After::Changed(sweep_json);
        }
        let n = (cores() as usize).clamp(1, MAX_WORKERS).min(jobs.len());
        let Some(cb) = &self.on_worker else { return After::Nothing };
        let workers = spawn_workers(n as u32, cb.as_ref().unchecked_ref(), &wasm_bindgen::module());
        self.runs += 1;
        let total = jobs.len();
        let mut run = Run {
            id: self.runs,
            plan,
            sweep_json: sweep_json.clone(),
            results: vec![None; total],
            jobs,
            done: 0,
            next: 0,
            workers,
        };
        for i in 0..n {
            hand_out(&mut run, i, &self.text);
        }
        self.run = Some(run);
        self.status = Status::Running { done: 0, total };
        After::Changed(sweep_json)
    }

    fn cancel(&mut self) {
        if let Some(r) = self.stop() {
            self.status = Status::Cancelled { done: r.done, total: r.jobs.len() };
        }
    }

    /// The scenario of point `i` of the last finished sweep, as JSON; in a widget, the point
    /// is picked: its figures show under the chart.
    fn point(&mut self, i: usize) -> After {
        if let Some(w) = self.widget.as_mut() {
            w.picked = Some(i);
            return After::Nothing;
        }
        let spec = self.done.as_ref().and_then(|(plan, _)| plan.point_spec(i));
        match spec.and_then(|s| serde_json::to_string(s).ok()) {
            Some(json) => After::Load(json),
            None => After::Nothing,
        }
    }
}

/// Gives worker `i` the next chunk of jobs, if any are left.
fn hand_out(run: &mut Run, i: usize, scenario: &str) {
    if run.next >= run.jobs.len() {
        return;
    }
    let left = run.jobs.len() - run.next;
    let chunk = (left / (run.workers.length().max(1) as usize * 4)).clamp(1, 8);
    let (a, b) = (run.next, run.next + chunk);
    run.next = b;
    post_jobs(
        &run.workers,
        i as u32,
        run.id,
        a as u32,
        scenario,
        &run.sweep_json,
        &jobs_text(&run.jobs[a..b]),
    );
}

/// A worker's answer: the figures of the chunk starting at job `start`, or why it failed (`id`
/// -1: the worker could not start).
fn on_answer(panel: u32, i: u32, id: i32, start: u32, out: Option<String>, err: Option<String>) {
    with_panel(panel, |p| {
        let Some(run) = p.run.as_mut() else { return After::Nothing };
        if id >= 0 && id as u32 != run.id {
            return After::Nothing; // a run stopped since
        }
        let figures = match (out, err) {
            (_, Some(e)) => Err(e),
            (Some(out), None) => read_answer(&out),
            (None, None) => Err("a worker answered nothing".into()),
        };
        let figures = match figures {
            Ok(f) => f,
            Err(e) => {
                p.stop();
                p.status = Status::Failed(e);
                p.render();
                return After::Nothing;
            }
        };
        for (k, f) in figures.into_iter().enumerate() {
            if let Some(slot) = run.results.get_mut(start as usize + k) {
                if slot.replace(f).is_none() {
                    run.done += 1;
                }
            }
        }
        let total = run.jobs.len();
        if run.done < total {
            hand_out(run, i as usize, &p.text);
            p.status = Status::Running { done: run.done, total };
        } else if let Some(run) = p.stop() {
            let rows: Vec<RunFigures> = run.results.iter().map(|r| r.unwrap_or_default()).collect();
            let table = run.plan.table(&rows);
            p.done = Some((run.plan, table));
            p.status = Status::Done;
        }
        p.render();
        After::Nothing
    });
}

fn on_event(id: u32, kind: &str, e: web_sys::Event) {
    let Some(target) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
    let closest = |sel: &str| target.closest(sel).ok().flatten();
    match kind {
        "click" => {
            let act = closest("[data-act]");
            let name = act.as_ref().and_then(|a| a.get_attribute("data-act")).unwrap_or_default();
            let point = closest("[data-point]").and_then(|el| el.get_attribute("data-point"));
            let point = point.and_then(|s| parse_uint::<usize>(&s));
            with_panel(id, |p| {
                let after = match (name.as_str(), point) {
                    ("run", _) => p.start(),
                    ("cancel", _) => {
                        p.cancel();
                        After::Nothing
                    }
                    ("preset", _) => {
                        let a = act.as_ref();
                        let k = a
                            .and_then(|a| a.get_attribute("data-axis"))
                            .and_then(|k| parse_uint::<usize>(&k));
                        if let (Some(k @ 0..=1), Some(text)) =
                            (k, a.and_then(|a| a.get_attribute("data-text")))
                        {
                            p.form.axes[k] = text;
                            p.check();
                        }
                        After::Nothing
                    }
                    (_, Some(i)) => p.point(i),
                    _ => return After::Nothing,
                };
                p.render();
                after
            });
        }
        "input" | "change" => {
            let Some(field) = target.get_attribute("data-field") else { return };
            let value = if let Some(i) = target.dyn_ref::<web_sys::HtmlInputElement>() {
                i.value()
            } else if let Some(s) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
                s.value()
            } else {
                return;
            };
            with_panel(id, |p| {
                let f = &mut p.form;
                match field.as_str() {
                    "function" => f.function = value,
                    "axis0" => f.axes[0] = value,
                    "axis1" => f.axes[1] = value,
                    "seeds" => f.seeds = value,
                    "p99" => f.p99 = value,
                    "throttles" => f.throttles = value,
                    s if s.starts_with("setting") && kind == "change" => {
                        let k = usize::from(s == "setting1");
                        match parse_uint::<usize>(&value) {
                            Some(i) if i < crate::form::SETTINGS.len() => f.choose_setting(k, Some(i)),
                            None if value.is_empty() => f.choose_setting(k, None),
                            _ => {} // "(as typed)": the text stays
                        }
                    }
                    _ => return After::Nothing,
                }
                p.check();
                p.render();
                After::Nothing
            });
        }
        "keydown" => {
            let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
            let key = k.key();
            let on_point = target.get_attribute("data-point").and_then(|s| parse_uint::<usize>(&s));
            let in_field = target.tag_name() == "INPUT" && target.has_attribute("data-field");
            match (key.as_str(), on_point) {
                ("Enter" | " ", Some(i)) if target.tag_name() != "BUTTON" => {
                    e.prevent_default();
                    with_panel(id, |p| {
                        let after = p.point(i);
                        p.render();
                        after
                    });
                }
                ("Enter", None) if in_field => {
                    e.prevent_default();
                    with_panel(id, |p| {
                        let after = p.start();
                        p.render();
                        after
                    });
                }
                _ => {}
            }
        }
        _ => {}
    }
}
