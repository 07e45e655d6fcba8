//! Share, present and compare (the scenarios issue, web side): the UI state these features
//! share, what a share link holds of the app (`lambdascape_engine::share`), chapter highlights,
//! and the browser plumbing for downloads, the clipboard and the URL fragment.

use lambdascape_engine::chart::{ChartData, ChartKind, Span};
use lambdascape_engine::scenario::Scenario;
use lambdascape_engine::share::{self, SharedState, ViewState};
use lambdascape_engine::sim::{Ref, Simulation};
use lambdascape_engine::size::reader;
use lambdascape_engine::time::Micros;
use lambdascape_engine::ScenarioSpec;
use lambdascape_ui::state::{Action, AppState, Selection, Shared};
use lambdascape_ui::theme::Theme;
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What the app shows: the simulator, the presenter's story, or the scenario and its variants
/// side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Normal,
    Present,
    Compare,
}

impl Mode {
    /// The name in share links (`view.view`) and in `<html data-mode>`.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Normal => "full",
            Mode::Present => "present",
            Mode::Compare => "compare",
        }
    }
    pub fn from_name(s: &str) -> Mode {
        match s {
            "present" => Mode::Present,
            "compare" => Mode::Compare,
            _ => Mode::Normal,
        }
    }
}

/// A problem to show without throwing away the current work (a bad link, a bad import).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub title: String,
    /// The message's lines (for a scenario: one per error, with its field path).
    pub lines: Vec<String>,
    pub what_now: String,
}

/// The state of the share / present / compare features.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ui {
    pub mode: Mode,
    pub problem: Option<Problem>,
    /// The chart a link points at (`view.chart`), e.g. "concurrency".
    pub chart: Option<String>,
    /// The variants compare mode shows with the scenario (None: the default, the first
    /// [`MAX_COMPARED`]).
    pub compare: Option<CompareSel>,
}

/// Most variants compare mode runs at once beside the scenario as written.
pub const MAX_COMPARED: usize = 5;

/// The variants shown in compare mode, by index in `ScenarioSpec::variants`, for the scenario
/// named `scenario` (another scenario loaded since gets the default).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CompareSel {
    pub scenario: String,
    pub variants: Vec<usize>,
}

impl Ui {
    /// The variants compare mode shows for `spec`: the chosen ones that exist (at most
    /// [`MAX_COMPARED`], in order), else the first [`MAX_COMPARED`].
    pub fn compared(&self, spec: &ScenarioSpec) -> Vec<usize> {
        let n = spec.variants.len();
        match &self.compare {
            Some(c) if c.scenario == spec.name => {
                (0..n).filter(|i| c.variants.contains(i)).take(MAX_COMPARED).collect()
            }
            _ => (0..n.min(MAX_COMPARED)).collect(),
        }
    }
}

pub enum UiAction {
    SetMode(Mode),
    Problem(Problem),
    ClearProblem,
    Chart(Option<String>),
    /// The variants compare mode shows (see [`CompareSel`]); None for the default.
    Compare(Option<CompareSel>),
}

impl Reducible for Ui {
    type Action = UiAction;
    fn reduce(self: Rc<Self>, a: UiAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match a {
            UiAction::SetMode(m) => s.mode = m,
            UiAction::Problem(p) => s.problem = Some(p),
            UiAction::ClearProblem => s.problem = None,
            UiAction::Chart(c) => s.chart = c,
            UiAction::Compare(c) => s.compare = c,
        }
        Rc::new(s)
    }
}

pub type UiHandle = UseReducerHandle<Ui>;

/// The share / present / compare state, held by the root component.
#[hook]
pub fn use_ui() -> UiHandle {
    use_reducer(Ui::default)
}

/// What these features read of the app state (compared cheaply: shared parts by pointer).
#[derive(Clone, PartialEq)]
pub struct AppView {
    pub scenario: Option<Shared<Scenario>>,
    pub preset: String,
    pub now: Micros,
    pub horizon: Micros,
    pub playing: bool,
    pub seeking: bool,
    pub speed: f64,
    pub selection: Selection,
    pub charts: Shared<Vec<ChartData>>,
    pub span: Span,
    pub sim: Option<Shared<RefCell<Simulation>>>,
    pub theme: Theme,
    pub dispatch: Callback<Action>,
}

impl AppView {
    pub fn of(s: &AppState, dispatch: &Callback<Action>) -> AppView {
        AppView {
            scenario: s.scenario.clone(),
            preset: s.preset.clone(),
            now: s.frame.now,
            horizon: s.frame.horizon,
            playing: s.playing,
            seeking: s.seeking(),
            speed: s.speed,
            selection: s.selection,
            charts: s.charts.clone(),
            span: s.span,
            sim: s.sim_handle(),
            theme: s.theme,
            dispatch: dispatch.clone(),
        }
    }

    /// The share link's state: the whole scenario, the time and the view.
    pub fn shared_state(&self, ui: &Ui) -> Option<SharedState> {
        let sc = self.scenario.as_ref()?;
        Some(SharedState {
            scenario: sc.spec.clone(),
            time_us: self.now.min(sc.horizon),
            view: ViewState {
                view: ui.mode.name().into(),
                chart: ui.chart.clone(),
                selected: selection_name(sc, self.selection),
                speed: self.speed,
                range: self.span.text(),
            },
        })
    }
}

/// `selected` in a link: a function's name, `env:<serial>`, `subnet:<name>`, `nat:<name>`.
pub fn selection_name(sc: &Scenario, sel: Selection) -> Option<String> {
    let vpc = sc.vpc.as_ref();
    match sel {
        Selection::None => None,
        Selection::Env(serial) => Some(format!("env:{serial}")),
        Selection::Function(id) => sc.functions.get(id as usize).map(|f| f.name.clone()),
        Selection::Subnet(id) => {
            vpc.and_then(|v| v.subnets().find(|(s, _)| s.0 == id).map(|(_, s)| format!("subnet:{}", s.name)))
        }
        Selection::Nat(id) => vpc
            .and_then(|v| v.nat_gateways().find(|(n, _)| n.0 == id).map(|(_, n)| format!("nat:{}", n.name))),
    }
}

/// The selection a link names (see [`selection_name`]); unknown names select nothing.
pub fn selection_of(sc: &Scenario, name: &str) -> Selection {
    let vpc = sc.vpc.as_ref();
    let found = if let Some(n) = name.strip_prefix("env:") {
        lambdascape_engine::size::number::parse_uint(n).map(Selection::Env)
    } else if let Some(n) = name.strip_prefix("subnet:") {
        vpc.and_then(|v| v.subnet_by_name(n)).map(|id| Selection::Subnet(id.0))
    } else if let Some(n) = name.strip_prefix("nat:") {
        vpc.and_then(|v| v.nat_by_name(n)).map(|id| Selection::Nat(id.0))
    } else {
        let n = name.strip_prefix("function:").unwrap_or(name);
        sc.functions.iter().position(|f| f.name == n).map(|i| Selection::Function(i as u32))
    };
    found.unwrap_or(Selection::None)
}

/// What a chapter's highlights name: engine refs (functions, subnets, NATs, limits) and the
/// charts (by `data-chart` id).
pub fn chapter_highlights(sc: &Scenario, list: &[String]) -> (Vec<Ref>, Vec<String>) {
    let mut refs = vec![];
    let mut charts = vec![];
    for h in list {
        let (kind, name) = h.split_once(':').unwrap_or((h.as_str(), ""));
        match kind {
            "limit" => {
                const LIMITS: [&str; 5] = ["account", "reserved", "burst", "scaling_rate", "rps"];
                if let Some(l) = LIMITS.iter().find(|l| **l == name) {
                    refs.push(Ref::Limit { limit: l });
                }
            }
            // The presets name charts as the CLI does ("network"); the page by id ("subnet-timeouts").
            "chart" => charts.extend(ChartKind::from_name(name).map(|k| k.id().to_string())),
            _ => match selection_of(sc, h) {
                Selection::Function(id) => refs.push(Ref::Function { id }),
                Selection::Subnet(id) => refs.push(Ref::Subnet { id }),
                Selection::Nat(id) => refs.push(Ref::Nat { id }),
                _ => {}
            },
        }
    }
    (refs, charts)
}

/// Opens a shared state: loads its scenario, then moves to its time and view.
pub fn apply_shared(st: SharedState, d: &Callback<Action>, ui: &UiHandle) {
    let id = if st.scenario.name.is_empty() { "shared".to_string() } else { st.scenario.name.clone() };
    let sel =
        st.scenario.validate().ok().and_then(|sc| st.view.selected.as_deref().map(|n| selection_of(&sc, n)));
    let Ok(text) = serde_json::to_string(&st.scenario) else { return };
    d.emit(Action::Load { id, text: text.into() });
    d.emit(Action::SetSpeed(st.view.speed));
    d.emit(Action::Seek(st.time_us));
    d.emit(Action::SetSpan(Span::parse(st.view.range.as_deref()).unwrap_or_default()));
    if let Some(sel) = sel {
        d.emit(Action::Select(sel));
    }
    ui.dispatch(UiAction::Chart(st.view.chart.clone()));
    ui.dispatch(UiAction::SetMode(Mode::from_name(&st.view.view)));
}

/// The document a link in the fragment `hash` carries (`#s=…`), as JSON.
fn link_value(hash: &str) -> Option<Value> {
    let frag = hash.trim();
    let frag = frag.rsplit_once('#').map_or(frag, |(_, f)| f);
    let link = frag
        .split('&')
        .find_map(|kv| kv.strip_prefix(share::FRAGMENT_KEY).and_then(|r| r.strip_prefix('=')))?;
    share::decode_value(link).ok()
}

/// The variants a link's compare view shows: `view.variants`, a list of indices into the
/// scenario's variants; a link with `view.variant` (one index) shows that one. The engine's
/// `ViewState` ignores both fields, so links with them open in any Lambdascape, and links
/// without them get the default (every variant, up to [`MAX_COMPARED`]).
pub fn compare_in_link(hash: &str) -> Option<CompareSel> {
    let v = link_value(hash)?;
    let scenario = v.get("scenario")?.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    let view = v.get("view")?;
    let index = |x: &Value| x.as_u64().map(|i| i as usize);
    let variants: Vec<usize> = match (view.get("variants"), view.get("variant")) {
        (Some(Value::Array(list)), _) => list.iter().filter_map(index).collect(),
        (_, Some(one)) => index(one).into_iter().collect(),
        _ => return None,
    };
    Some(CompareSel { scenario, variants })
}

#[wasm_bindgen(module = "/src/components/sizing.js")]
extern "C" {
    /// The sweep the open sizing panel shows (JSON), for a share link.
    fn current_sweep() -> Option<String>;
    /// Opens the sizing panel on a link's sweep and runs it (None: closes the panel), `now` if
    /// the link's scenario is the one shown, else once the app shows it.
    fn sizing_from_link(sweep: Option<String>, now: bool);
}

/// The sweep a link's sizing panel shows: `view.sweep`, the panel's sweep as JSON. Like the
/// compare fields, the engine's `ViewState` ignores it, so links with it open in any
/// Lambdascape; the panel reads it (and says why it cannot).
pub fn sweep_in_link(hash: &str) -> Option<String> {
    let v = link_value(hash)?;
    v.get("view")?.get("sweep").map(Value::to_string)
}

/// Opens the sizing panel on the sweep a link carries and runs it; a link without one closes the
/// panel (it showed the work before the link). `same`: the link's scenario is the one shown.
pub fn open_sweep_of_link(hash: &str, same: bool) {
    sizing_from_link(sweep_in_link(hash), same);
}

/// Puts `fragment` (`#s=…`) in the address bar without reloading or adding to the history.
pub fn set_fragment(fragment: &str) {
    let Some(w) = web_sys::window() else { return };
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(fragment));
    }
}

/// The page's address with `fragment`.
pub fn url_with(fragment: &str) -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}{fragment}")
}

/// Offers `blob` as a download named `name`.
pub fn download_blob(blob: &web_sys::Blob, name: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else { return };
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlElement = a.unchecked_into();
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        let _ = a.set_attribute("hidden", "");
        if let Some(body) = doc.body() {
            let _ = body.append_child(&a);
            a.click();
            let _ = body.remove_child(&a);
        }
    }
    // Let the download start before the URL is released.
    let closure = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(closure.unchecked_ref(), 4000);
    }
}

/// Offers `text` as a download named `name` of MIME type `mime`.
pub fn download_text(text: &str, name: &str, mime: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) {
        download_blob(&blob, name);
    }
}

/// Writes `text` to the clipboard; resolves to whether it worked (the API may be missing or
/// refused, e.g. on plain http: the caller then shows the text to copy by hand).
pub async fn copy_to_clipboard(text: &str) -> bool {
    let Some(w) = web_sys::window() else { return false };
    let clip = js_sys::Reflect::get(&w.navigator(), &"clipboard".into()).unwrap_or(JsValue::UNDEFINED);
    if clip.is_undefined() || clip.is_null() {
        return false;
    }
    let Ok(f) = js_sys::Reflect::get(&clip, &"writeText".into()) else { return false };
    let Ok(f) = f.dyn_into::<js_sys::Function>() else { return false };
    let Ok(p) = f.call1(&clip, &JsValue::from_str(text)) else { return false };
    let Ok(p) = p.dyn_into::<js_sys::Promise>() else { return false };
    wasm_bindgen_futures::JsFuture::from(p).await.is_ok()
}

/// A file name made from a scenario's name.
pub fn file_stem(sc: &Scenario) -> String {
    let n: String = sc
        .spec
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    if n.is_empty() {
        "lambdascape".into()
    } else {
        n
    }
}

/// Sets (or removes) an attribute of `<html>`: the mode drives presenter and compare styles.
pub fn set_root_attr(name: &str, value: Option<&str>) {
    let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) else {
        return;
    };
    let _ = match value {
        Some(v) => el.set_attribute(name, v),
        None => el.remove_attribute(name),
    };
}

#[wasm_bindgen(inline_js = "export function adopt(css) {
  const d = document, s = new CSSStyleSheet();
  s.replaceSync(css);
  d.adoptedStyleSheets = [...d.adoptedStyleSheets, s];
  return () => { d.adoptedStyleSheets = d.adoptedStyleSheets.filter((x) => x !== s); };
}")]
extern "C" {
    /// Adds a style sheet of `css` to the document, last; the function returned takes it out.
    fn adopt(css: &str) -> js_sys::Function;
}

/// Style rules made as the app runs (a chart marked), in the page until dropped: a style sheet
/// of their own, constructed and adopted by the document (a strict Content Security Policy
/// refuses `<style>` elements, not these).
pub struct Sheet(js_sys::Function);

impl Sheet {
    pub fn new(css: &str) -> Sheet {
        Sheet(adopt(css))
    }
}

impl Drop for Sheet {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}

/// The problem shown for a link that cannot be opened.
pub fn link_problem(e: &share::ShareError) -> Problem {
    let text = e.to_string();
    let mut lines = text.lines().map(str::to_string).collect::<Vec<_>>();
    if let Some(first) = lines.first_mut() {
        *first = capitalize(first);
    }
    Problem {
        title: "This share link cannot be opened".into(),
        lines,
        what_now: "Your current scenario is still here, unchanged. Close this message to go on with it."
            .into(),
    }
}

pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `#s=…` for a state: `share::fragment`, with the scenario written by the serializer the app
/// already has (serde_json's compact writer) rather than a second one into a JSON value. The
/// variants compare mode shows go in `view.variants` (see [`compare_in_link`]).
pub fn lean_fragment(st: &SharedState, ui: &Ui) -> String {
    let mut v: Value =
        serde_json::to_string(st).ok().and_then(|t| reader::parse(&t).ok()).unwrap_or_default();
    if let Some(view) = v.get_mut("view").and_then(Value::as_object_mut) {
        if ui.compare.as_ref().is_some_and(|c| c.scenario == st.scenario.name) {
            view.insert("variants".into(), Value::from(ui.compared(&st.scenario)));
        }
        if let Some(sweep) = current_sweep().and_then(|t| reader::parse(&t).ok()) {
            view.insert("sweep".into(), sweep);
        }
    }
    format!("#{}={}", share::FRAGMENT_KEY, share::encode_json(share::FORMAT_VERSION, &v))
}

/// A scenario's JSON, indented (through a JSON value: no second serializer of the format).
pub fn pretty_json(spec: &ScenarioSpec) -> String {
    let v: Value = serde_json::to_string(spec).ok().and_then(|t| reader::parse(&t).ok()).unwrap_or_default();
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
