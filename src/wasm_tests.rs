//! Component tests in headless Chromium (wasm-bindgen-test). `scripts/test.sh` runs them with
//! `cargo test --target wasm32-unknown-unknown -p lambdascape --lib --features tools` (the runner is set in
//! `.cargo/config.toml`, Chromium's flags in `webdriver.json`).
//!
//! Each test renders one real component into a div of its own, with the app's stylesheet and
//! props built from a real engine run where it needs them, lets yew render, then inspects the
//! DOM (and the dots canvas's pixels) and what the component dispatched. They cover what the
//! end-to-end tests in tests/e2e/ cannot pin down from outside: every control's action, the
//! keys that must not act, one painted dot per environment, the click-to-environment mapping,
//! provisioned squares and markup in names; and, for the markup the app shares with the widget,
//! that morphing keeps the elements that stay, and where the widget's canvas chart paints.

use crate::components::error_panel::{self, ErrorPanel};
use crate::components::narrative_log::{self, NarrativeLog};
use crate::components::timeline::Timeline;
use crate::components::topology::{self, Topology};
use crate::hooks::use_keyboard;
use lambdascape_engine::chart::{self, ChartKind};
use lambdascape_engine::scenario::Scenario;
use lambdascape_engine::sim::{Options, Severity, Simulation};
use lambdascape_engine::time::{Micros, MICROS_PER_SEC};
use lambdascape_engine::view::{self, Dot, Frame, Grid, Rect, TopologyLayout};
use lambdascape_engine::ScenarioSpec;
use lambdascape_ui::format::clock;
use lambdascape_ui::state::{Action, Log, Selection, Shared};
use lambdascape_ui::theme::Theme;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlElement, HtmlInputElement};
use yew::prelude::*;
use yew::{AppHandle, Renderer};

wasm_bindgen_test_configure!(run_in_browser);

const S: Micros = MICROS_PER_SEC;
const MIXED_SUBNETS: &str = include_str!("../tests/scenarios/seed-mixed-subnets.json");
/// One function with 4 provisioned environments facing a concurrency of 8: 4 on demand too.
const PROVISIONED: &str = r#"{
  "version": 1,
  "name": "component-test-provisioned",
  "title": "Four provisioned environments and spillover",
  "seed": 1,
  "duration": "1m",
  "account": { "region": "us-east-1", "concurrency_limit": 1000, "scaling_model": "current" },
  "functions": [{
    "name": "api",
    "timeout": "10s",
    "duration": { "type": "constant", "ms": 1000 },
    "provisioned": { "initial": 4 },
    "traffic": { "type": "constant", "rate": 8, "arrivals": "regular" }
  }]
}"#;
const HOSTILE: &str = "<img src=x onerror=alert(1)><script>alert(2)</script>";

// ---- helpers ----

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

/// A fixed-size div at the top left of the page (on screen, so `elementFromPoint` sees it),
/// with the app's stylesheet loaded once.
fn new_host(width: u32, height: u32) -> Element {
    thread_local!(static STYLED: Cell<bool> = const { Cell::new(false) });
    let doc = document();
    if !STYLED.with(|s| s.replace(true)) {
        // Keep wasm-bindgen-test's panic hook (yew installs its own on the first render
        // unless one was set through it): failures keep their readable report.
        yew::set_custom_panic_hook(std::panic::take_hook());
        let style = doc.create_element("style").unwrap();
        style.set_text_content(Some(include_str!("../www/styles.css")));
        doc.head().unwrap().append_child(&style).unwrap();
    }
    let el = doc.create_element("div").unwrap();
    el.set_attribute(
        "style",
        &format!("position:fixed;left:0;top:0;z-index:10;display:grid;width:{width}px;height:{height}px"),
    )
    .unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el
}

fn mount<C: BaseComponent>(host: &Element, props: C::Properties) -> AppHandle<C> {
    Renderer::<C>::with_root_and_props(host.clone(), props).render()
}

fn unmount<C: BaseComponent>(host: Element, app: AppHandle<C>) {
    app.destroy();
    host.remove();
}

/// Waits (up to 3 s) until `ok` holds: yew renders and runs effects asynchronously.
async fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    for _ in 0..150 {
        if ok() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

/// A callback that records what it is given.
fn recorder<T: 'static>() -> (Callback<T>, Rc<RefCell<Vec<T>>>) {
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = got.clone();
    (Callback::from(move |v| g.borrow_mut().push(v)), got)
}

fn take<T>(got: &Rc<RefCell<Vec<T>>>) -> Vec<T> {
    std::mem::take(&mut *got.borrow_mut())
}

fn all(root: &Element, sel: &str) -> Vec<Element> {
    let list = root.query_selector_all(sel).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect()
}

fn one(root: &Element, sel: &str) -> Element {
    root.query_selector(sel).unwrap().unwrap_or_else(|| panic!("no element matches {sel}"))
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

fn attr(el: &Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

fn has_class(el: &Element, class: &str) -> bool {
    attr(el, "class").split_whitespace().any(|c| c == class)
}

fn click(el: &Element) {
    el.unchecked_ref::<HtmlElement>().click();
}

/// Sets a slider's value as a user would and fires `input`.
fn slide(el: &Element, value: &str) {
    el.unchecked_ref::<HtmlInputElement>().set_value(value);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap()).unwrap();
}

/// A keydown on `target`; returns false when a listener prevented its default.
fn key(target: &Element, key: &str, shift: bool, ctrl: bool) -> bool {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let e = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&e).unwrap()
}

/// A scenario run to `until`, the way the app's reducer runs it.
fn run(json: &str, until: Micros) -> (Shared<Scenario>, Simulation) {
    let sc = ScenarioSpec::parse_and_validate(json).expect("a valid scenario");
    let seed = sc.spec.seed;
    let mut sim = Simulation::with_seed(sc.clone(), seed, Options::default());
    sim.advance_to(until);
    (Shared::new(sc), sim)
}

fn topology_props(
    sc: &Shared<Scenario>,
    frame: &Shared<Frame>,
    on_select: Callback<Selection>,
) -> topology::Props {
    topology::Props {
        scenario: sc.clone(),
        frame: frame.clone(),
        selection: Selection::None,
        highlight: Shared::new(vec![]),
        theme: Theme::Light,
        // No pulsing: initializing rings keep their size, the pixels are stable.
        reduced_motion: true,
        playing: false,
        findings: Shared::new(view::findings(sc)),
        on_select,
    }
}

/// The topology as drawn: its layout for the size it measured, and the dots canvas's alpha
/// channel in CSS pixels.
struct Drawn {
    layout: TopologyLayout,
    /// Canvas pixels per CSS pixel.
    scale: f64,
    width: usize,
    alpha: Vec<u8>,
}

impl Drawn {
    /// Waits for the SVG and for the dots drawn at the measured size, and for the picture to
    /// keep its size (the box is measured after the first render, and a picture taller than
    /// its box brings a scrollbar that narrows it: the layout changes once or twice before it
    /// settles), then reads them.
    async fn read(host: &Element, sc: &Scenario) -> Drawn {
        wait_for("the topology's SVG", || host.query_selector("svg.topology-svg").ok().flatten().is_some())
            .await;
        let size = || {
            let svg = one(host, "svg.topology-svg");
            (attr(&svg, "width").parse::<f64>().unwrap(), attr(&svg, "height").parse::<f64>().unwrap())
        };
        let (mut w, mut h) = size();
        for _ in 0..30 {
            yew::platform::time::sleep(Duration::from_millis(100)).await;
            let now = size();
            if now == (w, h) {
                break;
            }
            (w, h) = now;
        }
        let canvas: HtmlCanvasElement = one(host, "canvas.dots").dyn_into().unwrap();
        let dpr = web_sys::window().unwrap().device_pixel_ratio().max(1.0);
        wait_for("the dots canvas sized to the picture", || canvas.width() == (w * dpr) as u32).await;
        let ctx: CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
        let (cw, ch) = (canvas.width(), canvas.height());
        let data = ctx.get_image_data(0.0, 0.0, cw as f64, ch as f64).unwrap().data();
        Drawn {
            layout: view::layout_topology(sc, w, h),
            scale: dpr,
            width: cw as usize,
            alpha: data.0.chunks_exact(4).map(|p| p[3]).collect(),
        }
    }

    /// Whether anything is painted at a point (CSS pixels).
    fn painted_at(&self, x: f64, y: f64) -> bool {
        let (px, py) = ((x * self.scale) as usize, (y * self.scale) as usize);
        self.alpha.get(py * self.width + px).is_some_and(|a| *a > 0)
    }

    /// Whether anything is painted inside a grid cell, 2 px in from its edges (a dot's ring or
    /// fill stays within its cell; its neighbours' antialiasing does not reach that far in).
    fn cell_painted(&self, grid: &Grid, i: usize) -> bool {
        let (cx, cy) = grid.center(i);
        let m = grid.cell / 2.0 - 2.0;
        let (x0, x1) = (((cx - m) * self.scale) as usize, ((cx + m) * self.scale) as usize);
        let (y0, y1) = (((cy - m) * self.scale) as usize, ((cy + m) * self.scale) as usize);
        (y0..=y1).any(|y| (x0..=x1).any(|x| self.alpha[y * self.width + x] > 0))
    }
}

/// The cells of `grid` that lie wholly inside `area`.
fn cells_in(area: Rect, grid: &Grid) -> usize {
    let rows = ((area.y + area.h - grid.y0) / grid.cell).floor() as usize;
    rows * grid.cols
}

/// A click at a point of the topology (CSS pixels from its top left) on whatever element the
/// browser finds there, as a user's click lands.
fn click_topology_at(host: &Element, x: f64, y: f64) {
    let r = one(host, ".topology").get_bounding_client_rect();
    let (cx, cy) = (r.left() + x, r.top() + y);
    let target = document().element_from_point(cx as f32, cy as f32).expect("an element at the point");
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    init.set_client_x(cx.round() as i32);
    init.set_client_y(cy.round() as i32);
    target
        .dispatch_event(&web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap())
        .unwrap();
}

// ---- the timeline and the keyboard ----

#[derive(Properties, PartialEq)]
struct ControlsProps {
    playing: bool,
    dispatch: Callback<Action>,
}

/// The timeline with the app's keyboard hook, and a text field to type in.
#[component]
fn Controls(p: &ControlsProps) -> Html {
    use_keyboard(p.dispatch.clone());
    html! {
        <div>
            <Timeline now={90 * S} horizon={30 * 60 * S} playing={p.playing} speed={10.0} seeking={false}
                step={5 * S} dispatch={p.dispatch.clone()} />
            <input type="text" aria-label="A text field" data-testid="text" />
        </div>
    }
}

#[wasm_bindgen_test]
async fn timeline_controls_are_named_and_dispatch_their_actions_keys_too() {
    let (dispatch, got) = recorder::<Action>();
    let host = new_host(900, 200);
    let mut app = mount::<Controls>(&host, ControlsProps { playing: false, dispatch: dispatch.clone() });
    wait_for("the timeline", || host.query_selector(".timeline").ok().flatten().is_some()).await;

    // Every control has an accessible name; the play button says what it will do.
    let controls = all(&host, ".timeline button, .timeline input");
    assert_eq!(controls.len(), 7, "5 buttons and 2 sliders");
    for c in &controls {
        assert!(!attr(c, "aria-label").trim().is_empty(), "unnamed control: {}", c.outer_html());
    }
    let play = one(&host, "[data-testid=play]");
    assert_eq!(
        (attr(&play, "aria-label").as_str(), attr(&play, "aria-pressed").as_str()),
        ("Play (space)", "false")
    );
    assert_eq!(
        text(&one(&host, "[data-testid=sim-time]")),
        format!("{} / {} sim", clock(90 * S), clock(30 * 60 * S))
    );

    // Buttons, in the order they stand.
    for id in ["home", "step-back", "play", "step-forward", "end"] {
        click(&one(&host, &format!("[data-testid={id}]")));
    }
    assert_eq!(
        take(&got),
        vec![Action::Home, Action::Step(-1), Action::TogglePlay, Action::Step(1), Action::End]
    );

    // The scrub bar seeks in microseconds, snapped to the step (the sample interval).
    let scrub = one(&host, "[data-testid=scrub]");
    slide(&scrub, "43");
    assert_eq!(take(&got), vec![Action::Seek(45 * S)]);
    // The speed slider is logarithmic: 1 is 10x (the current speed), 2 is 100x.
    let speed = one(&host, "[data-testid=speed]");
    assert_eq!(speed.unchecked_ref::<HtmlInputElement>().value(), "1");
    slide(&speed, "2");
    match take(&got).as_slice() {
        [Action::SetSpeed(v)] => assert!((v - 100.0).abs() < 1e-9, "speed {v}"),
        other => panic!("expected one SetSpeed, got {other:?}"),
    }

    // Keys anywhere on the page...
    let body: Element = document().body().unwrap().into();
    assert!(!key(&body, " ", false, false), "space's default (scrolling) is prevented");
    key(&body, ".", false, false);
    key(&body, "ArrowRight", false, false);
    key(&body, "ArrowLeft", true, false);
    key(&body, "Home", false, false);
    key(&body, "End", false, false);
    assert_eq!(
        take(&got),
        vec![
            Action::TogglePlay,
            Action::TogglePlay,
            Action::Step(1),
            Action::Step(-10),
            Action::Home,
            Action::End
        ]
    );
    // ...except a browser shortcut, space on a focused button (it activates itself), arrows on
    // a slider (they move it) and anything typed in a text field; space on a slider plays.
    assert!(key(&body, "ArrowRight", false, true), "ctrl+arrow is left to the browser");
    key(&play, " ", false, false);
    key(&scrub, "ArrowRight", false, false);
    key(&scrub, "Home", false, false);
    let field = one(&host, "[data-testid=text]");
    key(&field, " ", false, false);
    key(&field, ".", false, false);
    key(&field, "ArrowLeft", false, false);
    assert_eq!(take(&got), vec![]);
    key(&scrub, " ", false, false);
    assert_eq!(take(&got), vec![Action::TogglePlay]);

    // Playing: the button becomes a pause button.
    app.update(ControlsProps { playing: true, dispatch });
    wait_for("the pause button", || attr(&play, "aria-pressed") == "true").await;
    assert_eq!(attr(&play, "aria-label"), "Pause (space)");

    // Unmounted (yew runs the effect's cleanup on its next turn): the keyboard listener is gone.
    unmount(host, app);
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    key(&body, " ", false, false);
    assert_eq!(take(&got), vec![]);
}

// ---- the error panel ----

#[wasm_bindgen_test]
async fn error_panel_shows_the_message_as_text_and_its_reset_button_resets() {
    let (on_reset, resets) = recorder::<()>();
    let message = format!("The scenario 'x' is not valid:\nfunctions[0].name: {HOSTILE}\n  is not allowed");
    let host = new_host(600, 300);
    let app = mount::<ErrorPanel>(&host, error_panel::Props { message: message.clone(), on_reset });
    wait_for("the error panel", || host.query_selector("[data-testid=error-panel]").ok().flatten().is_some())
        .await;

    let panel = one(&host, "[data-testid=error-panel]");
    assert_eq!(attr(&panel, "role"), "alert", "announced to screen readers");
    assert_eq!(text(&one(&panel, "pre")), message, "the whole message, lines and markup as text");
    assert!(all(&host, "img, script").is_empty(), "markup in the message made elements");
    let buttons = all(&panel, "button");
    assert_eq!(buttons.len(), 1);
    assert_eq!(
        (attr(&buttons[0], "aria-label").as_str(), text(&buttons[0]).as_str()),
        ("Reset the scenario", "Reset")
    );
    click(&buttons[0]);
    assert_eq!(take(&resets).len(), 1, "one click, one reset");
    unmount(host, app);
}

// ---- the narrative log ----

#[wasm_bindgen_test]
async fn narrative_log_lists_entries_and_a_click_shows_that_entry() {
    let (_, sim) = run(MIXED_SUBNETS, 11 * 60 * S);
    let narrative = sim.narrative_until_now().to_vec();
    assert!(narrative.len() >= 5, "three bursts tell of cold starts and timeouts: {}", narrative.len());
    // The log keeps the newest entries: here all but the first two.
    let first = 2;
    let log = Shared::new(Log { first, entries: narrative[first..].to_vec() });
    let (on_show, shown) = recorder::<usize>();
    let host = new_host(420, 500);
    let app = mount::<NarrativeLog>(
        &host,
        narrative_log::Props { log: log.clone(), highlighted: Some(first + 2), on_show },
    );
    wait_for("the entries", || !all(&host, "li.log-entry").is_empty()).await;

    let items = all(&host, "li.log-entry");
    assert_eq!(items.len(), log.entries.len(), "one item per entry");
    for (li, e) in items.iter().zip(&log.entries) {
        assert_eq!(text(&one(li, ".log-text")), e.text);
        assert_eq!(text(&one(li, "time")), clock(e.time));
        let sev = match e.severity {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        assert!(has_class(li, sev), "{} should be {sev}", li.outer_html());
        let label = attr(&one(li, "button"), "aria-label");
        assert!(label.starts_with(&format!("{} sim: ", clock(e.time))) && label.contains(&e.text), "{label}");
    }
    let selected: Vec<usize> =
        items.iter().enumerate().filter(|(_, li)| has_class(li, "selected")).map(|(i, _)| i).collect();
    assert_eq!(selected, vec![2], "only the highlighted entry is marked");

    // A click asks to show that entry, by its index in the whole narrative.
    click(&one(&items[1], "button"));
    click(&one(&items[items.len() - 1], "button"));
    assert_eq!(take(&shown), vec![first + 1, narrative.len() - 1]);
    unmount(host, app);

    // Before anything happened: a hint, nothing to click.
    let host = new_host(420, 300);
    let app = mount::<NarrativeLog>(
        &host,
        narrative_log::Props {
            log: Shared::new(Log::default()),
            highlighted: None,
            on_show: Callback::noop(),
        },
    );
    wait_for("the empty log", || host.query_selector(".log-empty").ok().flatten().is_some()).await;
    assert!(text(&one(&host, ".log-empty")).contains("Press play"));
    assert!(all(&host, "button").is_empty());
    unmount(host, app);
}

// ---- the topology ----

#[wasm_bindgen_test]
async fn topology_paints_one_dot_per_environment_and_a_click_on_one_inspects_it() {
    let (sc, sim) = run(MIXED_SUBNETS, 15 * S);
    let frame = Shared::new(Frame::capture(&sim));
    assert!(frame.environments >= 10, "a burst is on: {} environments", frame.environments);
    let (on_select, picked) = recorder::<Selection>();
    let host = new_host(1000, 640);
    let app = mount::<Topology>(&host, topology_props(&sc, &frame, on_select));
    let drawn = Drawn::read(&host, &sc).await;
    let vpc = drawn.layout.vpc.as_ref().expect("a VPC layout");

    // The picture's text alternative counts the environments.
    assert_eq!(
        attr(&one(&host, "svg.topology-svg"), "aria-label"),
        format!("1 functions, {} execution environments", frame.environments)
    );
    // One box per subnet, with the frame's figures.
    // (in AZ columns: public-a and private-a in us-east-1a, public-b in us-east-1b)
    let names: Vec<String> = all(&host, "g.subnet .subnet-name").iter().map(text).collect();
    assert_eq!(names, ["public-a", "private-a", "public-b"]);
    let mut timeouts = 0;
    for s in &vpc.subnets {
        let sf = &frame.subnets[s.id as usize];
        let shown = one(&host, &format!("[data-testid=subnet-timeouts-{}]", s.name));
        assert_eq!(attr(&shown, "data-value"), sf.timeouts.to_string(), "timeouts in {}", s.name);
        timeouts += sf.timeouts;
    }
    assert!(timeouts > 0, "the public subnet has timed out by now");

    // Each subnet's grid has a painted cell for each of its environments and blank cells after.
    let mut dots = 0;
    for s in &vpc.subnets {
        let env_dots: &[Dot] = frame.subnet_dots(s.id as usize);
        let grid = view::dot_grid(s.dots, env_dots.len());
        assert!(grid.cell >= 8.0, "cells large enough to tell apart: {}", grid.cell);
        let cells = cells_in(s.dots, &grid);
        assert!(cells > env_dots.len(), "{}: room for blank cells", s.name);
        let painted: Vec<bool> = (0..cells).map(|i| drawn.cell_painted(&grid, i)).collect();
        let expected: Vec<bool> = (0..cells).map(|i| i < env_dots.len()).collect();
        assert_eq!(painted, expected, "{}: {} environments", s.name, env_dots.len());
        dots += env_dots.len();
    }
    assert_eq!(dots as u32, frame.environments, "every environment is in a subnet");

    // A click on a dot inspects that environment; beside the dots, the subnet.
    let s = vpc.subnets.iter().max_by_key(|s| frame.subnet_dots(s.id as usize).len()).unwrap();
    let env_dots = frame.subnet_dots(s.id as usize);
    let grid = view::dot_grid(s.dots, env_dots.len());
    let last = env_dots.len() - 1;
    let (x, y) = grid.center(last);
    click_topology_at(&host, x, y);
    let (x, y) = grid.center(last + 1);
    click_topology_at(&host, x, y);
    assert_eq!(take(&picked), vec![Selection::Env(env_dots[last].serial), Selection::Subnet(s.id)]);
    unmount(host, app);
}

#[wasm_bindgen_test]
async fn topology_draws_provisioned_environments_as_squares() {
    let (sc, sim) = run(PROVISIONED, 10 * S);
    let frame = Shared::new(Frame::capture(&sim));
    let host = new_host(800, 520);
    let app = mount::<Topology>(&host, topology_props(&sc, &frame, Callback::noop()));
    let drawn = Drawn::read(&host, &sc).await;

    let node = &drawn.layout.functions[0];
    let env_dots = frame.function_dots(0);
    let provisioned = env_dots.iter().filter(|d| d.provisioned).count();
    assert_eq!((provisioned, env_dots.len() > provisioned), (4, true), "4 provisioned and some on demand");
    let grid = view::dot_grid(node.dots, env_dots.len());
    assert!(grid.cell >= 14.0, "cells large enough to tell a square from a circle: {}", grid.cell);
    // A square's outline reaches the corner of its box; a circle's stays well inside it.
    let r = grid.cell * 0.36;
    let squares: Vec<bool> = (0..env_dots.len())
        .map(|i| {
            let (x, y) = grid.center(i);
            assert!(drawn.painted_at(x, y - r) || drawn.painted_at(x, y), "dot {i} is drawn");
            drawn.painted_at(x + r, y + r)
        })
        .collect();
    assert_eq!(squares, env_dots.iter().map(|d| d.provisioned).collect::<Vec<_>>());
    unmount(host, app);
}

#[wasm_bindgen_test]
async fn topology_shows_markup_in_a_subnet_name_as_text() {
    let json = MIXED_SUBNETS.replace("public-b", HOSTILE);
    let (sc, sim) = run(&json, 15 * S);
    let frame = Shared::new(Frame::capture(&sim));
    let host = new_host(1000, 640);
    let app = mount::<Topology>(&host, topology_props(&sc, &frame, Callback::noop()));
    wait_for("the subnets", || all(&host, "g.subnet").len() == 3).await;

    assert!(all(&host, "img, script").is_empty(), "markup in a name made elements");
    // A name shortened to fit its box keeps its full text in the <title> inside it.
    let names: Vec<String> = all(&host, "g.subnet .subnet-name")
        .iter()
        .map(|t| match t.query_selector("title").ok().flatten() {
            Some(full) => {
                let shown = text(t).replacen(&text(&full), "", 1);
                let kept = shown.trim_end_matches('…');
                assert!(
                    shown.ends_with('…') && text(&full).starts_with(kept),
                    "{shown} shortens {}",
                    text(&full)
                );
                text(&full)
            }
            None => text(t),
        })
        .collect();
    assert_eq!(names, ["public-a", "private-a", HOSTILE]);
    let label = format!("Inspect subnet {HOSTILE}");
    assert!(
        all(&host, "button").iter().any(|b| attr(b, "aria-label") == label),
        "the subnet's button is named"
    );
    let sub =
        all(&host, "g.subnet").into_iter().find(|g| attr(g, "data-testid") == format!("subnet-{HOSTILE}"));
    let title = text(&one(&sub.expect("the subnet's group"), "title"));
    assert!(title.starts_with(&format!("Subnet {HOSTILE} (public)")), "{title}");
    unmount(host, app);
}

// ---- markup and the widget's chart ----

#[wasm_bindgen_test]
fn morph_keeps_the_elements_that_stay_and_changes_only_what_differs() {
    let host = new_host(300, 200);
    lambdascape_ui::markup::morph(
        &host,
        r#"<p class="a" title="x">one</p><svg><path d="M0 0"></path></svg><canvas data-keep="" data-css="width:10px"></canvas><i>gone</i>"#,
    );
    let (p, path, canvas) = (one(&host, "p"), one(&host, "path"), one(&host, "canvas"));
    canvas.set_attribute("width", "20").unwrap(); // set by the code that draws on it
    lambdascape_ui::markup::morph(
        &host,
        r#"<p class="b">two</p><svg><path d="M1 1"></path></svg><canvas data-keep="" data-css="width:12px"></canvas>"#,
    );
    assert!(one(&host, "p").is_same_node(Some(&p)), "the paragraph stays");
    assert!(one(&host, "path").is_same_node(Some(&path)), "the SVG path stays");
    assert!(one(&host, "canvas").is_same_node(Some(&canvas)), "the canvas stays");
    assert_eq!((attr(&p, "class"), p.has_attribute("title"), text(&p)), ("b".into(), false, "two".into()));
    assert_eq!(attr(&path, "d"), "M1 1");
    // The style the markup names (data-css) is set through the CSSOM.
    assert_eq!((attr(&canvas, "style"), attr(&canvas, "width")), ("width: 12px;".into(), "20".into()));
    assert!(all(&host, "i").is_empty(), "what the markup no longer has goes");
    // An element whose markup drops its data-css loses that style.
    lambdascape_ui::markup::morph(&host, r#"<b data-css="color:red">x</b>"#);
    let b = one(&host, "b");
    assert_eq!(attr(&b, "style"), "color: red;");
    lambdascape_ui::markup::morph(&host, "<b>x</b>");
    assert!(one(&host, "b").is_same_node(Some(&b)) && attr(&b, "style").is_empty());
    host.remove();
}

#[wasm_bindgen_test]
fn the_widgets_canvas_chart_draws_its_lines_and_places_the_plot_like_the_apps() {
    let (_, sim) = run(MIXED_SUBNETS, 120 * S);
    let data = chart::chart(&sim, ChartKind::Concurrency, 400);
    let host = new_host(600, 240);
    let canvas: HtmlCanvasElement = document().create_element("canvas").unwrap().dyn_into().unwrap();
    canvas.set_width(600);
    canvas.set_height(240);
    host.append_child(&canvas).unwrap();
    let pal = Theme::Light.palette();
    let m = lambdascape_ui::charts::canvas::draw(&canvas, &data, &[], pal, 1.0, None).expect("drawn");
    // The plot area: the layout's (the app's and the CLI's), inside the canvas, right of the y
    // labels, room for the labels at line ends.
    let l = lambdascape_ui::charts::layout(&data, &[], 600.0, 240.0);
    assert_eq!(m, lambdascape_ui::charts::Mapping::of(&l));
    assert!(m.left > 40.0 && m.top >= 0.0 && m.bottom < 240.0 && m.right < 600.0, "{m:?}");
    assert!(!l.labels.is_empty(), "room for the labels at the line ends");
    assert_eq!(m.x_max, data.x_max.max(1.0));
    // A series' colour is painted at its highest point inside the plot.
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let (line, t, v) = data
        .areas
        .iter()
        .chain(&data.lines)
        .flat_map(|l| l.points.iter().map(move |&(t, v)| (l, t, v)))
        .filter(|&(_, _, v)| v > 0.0 && v <= data.y_max)
        .max_by(|a, b| a.2.total_cmp(&b.2))
        .expect("a point inside the plot");
    let (x, y) = (l.x_of(t), l.y_of(v));
    let px = ctx.get_image_data(x - 2.0, y - 2.0, 5.0, 5.0).unwrap().data();
    let hue = pal.hue(line.hue);
    let want = u32::from_str_radix(&hue[1..], 16).unwrap();
    let (r, g, b) = ((want >> 16) as i32, ((want >> 8) & 255) as i32, (want & 255) as i32);
    let near = px
        .chunks(4)
        .any(|c| (c[0] as i32 - r).abs() + (c[1] as i32 - g).abs() + (c[2] as i32 - b).abs() < 60);
    assert!(near, "no {hue} near ({x:.0}, {y:.0})");
    host.remove();
}

#[wasm_bindgen_test]
fn direct_labels_keep_apart_and_inside_the_plot() {
    let (_, sim) = run(PROVISIONED, 60 * S);
    let data = chart::chart(&sim, ChartKind::Concurrency, 400);
    // In a short chart the labels at the line ends (in the right margin) are spread 16 px
    // apart, kept inside the plot's height; a limit far above is named inside the plot.
    let l = lambdascape_ui::charts::layout(&data, &[], 600.0, 90.0);
    let ys: Vec<f64> = l.labels.iter().filter(|e| e.text_at.0 > l.right).map(|e| e.text_at.1).collect();
    assert!(ys.len() >= 2, "{:?}", l.labels);
    for e in l.labels.iter().filter(|e| e.text_at.0 <= l.right) {
        assert!(e.text_at.0 >= l.left && e.text_at.1 >= l.top && e.text.ends_with('↑'), "{e:?}");
    }
    for w in ys.windows(2) {
        assert!(w[1] - w[0] >= 16.0 - 1e-9, "{:?}", l.labels);
    }
    assert!(ys.iter().all(|y| *y <= l.bottom + 1e-9), "{:?}", l.labels);
}
