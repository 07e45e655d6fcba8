//! One widget: the app's reducer (`state.rs`) and its pictures (topology, one chart or all,
//! narrative, playback controls) for one scenario, without the app's header, inspector,
//! keyboard shortcuts or document-wide effects. It is drawn as markup morphed into its shadow
//! root (the UI core's markup.rs and morph.js) and canvases, with no virtual DOM: the widget's download is
//! its budget. Inline styles are `data-css` attributes, which morph.js sets through the CSSOM
//! (a strict Content Security Policy refuses style attributes). The page's side (attributes,
//! fetching, visibility, events and the animation frames) is www/embed.js; it reaches this
//! module only through [`crate::boundary`].

use crate::options::{Controls, Options, View};
use lambdascape_engine::chart;
use lambdascape_engine::compare::{self, Row};
use lambdascape_engine::sim::Ref;
use lambdascape_engine::time::{Micros, MICROS_PER_SEC};
use lambdascape_engine::view::{self, TopologyLayout};
use lambdascape_ui::act::{self, Act};
use lambdascape_ui::charts::{canvas, Mapping};
use lambdascape_ui::format::{chart_value, clock};
use lambdascape_ui::markup::{self, play_button, time, timeline, Esc, TimelineView, TopologyView, N};
use lambdascape_ui::state::{AppState, Selection};
use lambdascape_ui::theme::Theme;
use lambdascape_ui::topology::{draw_dots, hit, marked_envs, pulse, select_target};
use std::fmt::Write;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlCanvasElement};

/// One chart: its canvas's size, what was drawn on it (the data, size, theme and highlighted
/// limit: it is drawn again only when they change) and where its plot area landed.
#[derive(Default)]
struct Drawn {
    size: (f64, f64),
    key: (usize, i32, i32, bool, Option<&'static str>),
    mapping: Mapping,
}

fn theme(o: &Options) -> Theme {
    if o.dark {
        Theme::Dark
    } else {
        Theme::Light
    }
}

pub struct Widget {
    /// This widget among the page's (see `crash.rs`).
    pub id: u32,
    /// The element in the shadow root the widget is drawn into.
    root: Element,
    /// How the page named the scenario (`presets/mixed-subnets`, a URL, `inline`): errors say it.
    name: String,
    /// The scenario's JSON, or why it could not be read.
    source: Result<Rc<str>, String>,
    pub options: Result<Options, String>,
    /// Whether the widget is on screen (IntersectionObserver): it only plays while it is.
    pub visible: bool,
    state: AppState,
    /// Autoplay happens once, the first time the widget is seen; a widget paused by scrolling
    /// away resumes when it comes back.
    autoplayed: bool,
    resume: bool,
    /// The last (loaded, speed, start) and (loaded, visible) acted on.
    applied: Option<(bool, Option<i64>, u64)>,
    seen: Option<(bool, bool)>,
    /// The topology box's size and its layout for it.
    size: (f64, f64),
    layout: Option<TopologyLayout>,
    /// By chart index.
    charts: Vec<Drawn>,
    /// The chart under the mouse and the time there (seconds).
    hover: Option<(usize, f64)>,
    log_len: usize,
    /// `view="compare"`: the rows of the scenario and its variants run to their end (computed
    /// once, when first shown), or why they cannot run.
    compare: Option<Result<Vec<Row>, String>>,
    last: String,
    dirty: bool,
}

impl Widget {
    pub fn new(
        root: Element,
        name: String,
        source: Result<Rc<str>, String>,
        options: Result<Options, String>,
    ) -> Self {
        let mut w = Widget {
            id: crate::crash::next_id(),
            root,
            name,
            source,
            options,
            visible: false,
            state: AppState::blank(),
            autoplayed: false,
            resume: false,
            applied: None,
            seen: None,
            size: (0.0, 0.0),
            layout: None,
            charts: vec![],
            hover: None,
            log_len: usize::MAX,
            compare: None,
            last: String::new(),
            dirty: true,
        };
        if let Ok(text) = w.source.clone() {
            let name = w.name.clone();
            w.run(|s| s.load(&name, &text));
        }
        w.changed();
        w
    }

    /// Every action goes through here, so that a crash is pinned on this widget (crash.rs).
    /// The widget calls the app state's actions directly: its reducer would bring the rest of
    /// the app's actions (presets, theme, editing) into the widget's download.
    fn run(&mut self, action: impl FnOnce(&mut AppState)) {
        if crate::crash::is_dead(self.id) {
            return;
        }
        crate::crash::enter(self.id);
        action(&mut self.state);
        crate::crash::leave();
        self.dirty = true;
    }

    /// Whether the scenario loaded (it is loaded once, when the source could be read).
    fn loaded(&self) -> bool {
        self.state.scenario.is_some()
    }

    /// Acts on new options or visibility: speed and start once loaded and whenever their
    /// attributes change; play only on screen.
    pub fn changed(&mut self) {
        self.dirty = true;
        let loaded = self.loaded();
        let opts = self.options.as_ref().ok();
        let speed = opts.and_then(|o| o.speed).map(|s| (s * 1000.0) as i64);
        let start = opts.map_or(0, |o| o.start_us);
        let autoplay = opts.is_some_and(|o| o.autoplay);
        if self.applied != Some((loaded, speed, start)) {
            self.applied = Some((loaded, speed, start));
            if loaded {
                if let Some(v) = speed {
                    self.run(|s| s.set_speed(v as f64 / 1000.0));
                }
                if start > 0 {
                    self.run(|s| s.seek(start));
                }
            }
        }
        if loaded && self.seen != Some((loaded, self.visible)) {
            self.seen = Some((loaded, self.visible));
            let playing = self.state.playing;
            if self.visible {
                let first = !std::mem::replace(&mut self.autoplayed, true);
                let back = std::mem::replace(&mut self.resume, false);
                if ((first && autoplay) || back) && !playing {
                    self.run(AppState::toggle_play);
                }
            } else if playing {
                self.resume = true;
                self.run(AppState::toggle_play);
            }
        }
    }

    /// One animation frame, `dt_ms` after the last: advances while playing and draws what
    /// changed. Whether the widget wants another frame.
    pub fn tick(&mut self, dt_ms: f64) -> bool {
        if self.state.playing || self.state.seeking() {
            self.run(|s| s.tick(dt_ms));
        }
        if self.dirty && !crate::crash::is_dead(self.id) {
            self.dirty = false;
            // A crash while drawing is pinned on this widget too.
            crate::crash::enter(self.id);
            self.render();
            crate::crash::leave();
        }
        self.dirty || self.state.playing || self.state.seeking()
    }

    /// Draws again on the next frame (the widget's size may have changed).
    pub fn redraw(&mut self) {
        self.dirty = true;
    }

    /// A control was used (`data-act` of a button, or a slider's value).
    pub fn act(&mut self, name: &str, value: f64) {
        let Some(act) = Act::parse(name) else { return };
        match act {
            Act::Play => self.run(AppState::toggle_play),
            Act::Home => self.run(|s| s.step_to(0)),
            Act::End => self.run(|s| s.step_to(s.frame.horizon)),
            Act::StepBack => self.run(|s| s.step(-1)),
            Act::StepForward => self.run(|s| s.step(1)),
            Act::Scrub => self.run(|s| s.seek(act::seconds(value))),
            Act::Speed => self.run(|s| s.set_speed(act::speed(value))),
            Act::Show if value >= 0.0 => self.run(|s| s.show_entry(value as usize)),
            Act::Show => {}
        }
    }

    /// A click on the topology at (x, y) in its box, on `target`.
    pub fn click(&mut self, target: &Element, x: f64, y: f64) {
        let sel = match (select_target(target), &self.layout) {
            (Some(s), _) => s,
            (None, Some(l)) => hit(l, &self.state.frame, x, y),
            (None, None) => Selection::None,
        };
        self.run(|s| s.select(sel));
    }

    /// The mouse over chart `index` at x (CSS pixels in its canvas); `None`: off the charts.
    pub fn hover(&mut self, at: Option<(usize, f64)>) {
        let t = at.and_then(|(i, x)| Some((i, self.charts.get(i)?.mapping.t_at(x)?)));
        if t != self.hover {
            self.hover = t;
            self.dirty = true;
        }
    }

    fn render(&mut self) {
        let wants = self.options.as_ref().is_ok_and(|o| o.view == View::Compare);
        if wants && self.compare.is_none() && self.loaded() && !crate::crash::is_dead(self.id) {
            if let Ok(text) = &self.source {
                crate::crash::enter(self.id);
                let rows = compare::run_all_text(text).map_err(|e| e.to_string());
                crate::crash::leave();
                self.compare = Some(rows);
            }
        }
        let html = self.markup();
        if html != self.last {
            markup::morph(&self.root, &html);
            self.last = html;
        }
        self.draw();
    }

    /// The canvases, and the sizes the next markup uses.
    fn draw(&mut self) {
        let Some(o) = self.options.as_ref().ok() else { return };
        let theme = theme(o);
        let find = |sel: &str| self.root.query_selector(sel).ok().flatten();
        let size = |el: &Element| (el.client_width() as f64, el.client_height() as f64);
        if let Some(topo) = find(".topology") {
            let s = size(&topo);
            if s != self.size {
                self.size = s;
                self.layout = None;
                self.dirty = true;
            }
            if let (Some(sc), None) = (&self.state.scenario, &self.layout) {
                // The widget shows no advice: no room for its badges, and no advisor in its download.
                self.layout = Some(view::layout_topology_with(sc, s.0, s.1, &[]));
                self.dirty = true;
            }
            let canvas = find("canvas.dots").and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok());
            if let (Some(c), Some(l)) = (canvas, &self.layout) {
                let marked = marked_envs(&self.state.highlight, self.state.selection);
                draw_dots(&c, l, &self.state.frame, theme.palette(), &marked, pulse(o.reduced_motion));
            }
        }
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio()).max(1.0);
        let wraps = self.root.query_selector_all(".chart-canvas").ok();
        let n = wraps.as_ref().map_or(0, |l| l.length());
        let limit = self.limit();
        for k in 0..n {
            let Some(wrap) =
                wraps.as_ref().and_then(|l| l.item(k)).and_then(|w| w.dyn_into::<Element>().ok())
            else {
                continue;
            };
            let i = wrap
                .get_attribute("data-index")
                .and_then(|v| lambdascape_engine::size::number::parse_uint(&v))
                .unwrap_or(0);
            let s = size(&wrap);
            if self.charts.len() <= i {
                self.charts.resize_with(i + 1, Drawn::default);
            }
            let drawn = &mut self.charts[i];
            if drawn.size != s {
                drawn.size = s;
                self.dirty = true;
            }
            let (Some(data), Some(c)) = (
                self.state.charts.get(i),
                wrap.first_element_child().and_then(|c| c.dyn_into::<HtmlCanvasElement>().ok()),
            ) else {
                continue;
            };
            let key = (Rc::as_ptr(&self.state.charts.0) as usize, s.0 as i32, s.1 as i32, o.dark, limit);
            if s.0 <= 0.0 || s.1 <= 0.0 || drawn.key == key {
                continue;
            }
            let (cw, ch) = ((s.0 * dpr) as u32, (s.1 * dpr) as u32);
            if c.width() != cw || c.height() != ch {
                c.set_width(cw);
                c.set_height(ch);
            }
            // The full view's charts share one time axis; a lone chart keeps its own margins.
            let peers = if n > 1 { &self.state.charts[..] } else { &[] };
            match canvas::draw(&c, data, peers, theme.palette(), dpr, limit) {
                Ok(m) => {
                    if m != drawn.mapping {
                        self.dirty = true;
                    }
                    (drawn.key, drawn.mapping) = (key, m);
                }
                Err(e) => web_sys::console::warn_1(&format!("chart {i}: {e}").into()),
            }
        }
        // The narrative follows playback: the newest entry stays in view.
        let log_len = self.state.log.first + self.state.log.entries.len();
        if log_len != self.log_len && self.state.highlight_entry.is_none() {
            self.log_len = log_len;
            if let Some(el) = find(".log") {
                el.set_scroll_top(el.scroll_height());
            }
        }
    }

    /// The limit a narrative entry highlights, drawn emphasised on the charts.
    fn limit(&self) -> Option<&'static str> {
        self.state
            .highlight
            .iter()
            .find_map(|r| if let Ref::Limit { limit } = r { Some(*limit) } else { None })
    }

    fn markup(&self) -> String {
        let p = &self.state;
        let dark_guess = self.options.as_ref().is_ok_and(|o| o.dark);
        let o = match (&self.options, &self.source) {
            (Err(e), _) => return error_box("This widget's attributes are not valid", e, dark_guess),
            (_, Err(e)) => return error_box("This widget cannot show its scenario", e, dark_guess),
            (Ok(o), Ok(_)) => o,
        };
        if let Some(e) = &p.error {
            return error_box("This widget's scenario cannot run", e, o.dark);
        }
        let theme = theme(o);
        let style = o.height.as_ref().map(|h| format!(" data-css=\"height:{}\"", Esc(h))).unwrap_or_default();
        let Some(sc) = p.scenario.as_ref().filter(|_| self.loaded()) else {
            return format!(
                r#"<div class="lsw-root lsw-loading" data-theme="{}" data-testid="widget" data-now-us="0"{style}><p role="status">Loading the simulation…</p></div>"#,
                theme.name()
            );
        };
        let f = &*p.frame;
        let mut body = String::new();
        let topology = |body: &mut String| {
            let _ = write!(
                body,
                r#"<section class="topology-panel" aria-label="Topology: functions and their execution environments">{}<div class="topology{}" data-testid="topology">"#,
                markup::figures(f, p.seeking()),
                if p.playing && !o.reduced_motion { " moving" } else { "" }
            );
            if let Some(layout) = &self.layout {
                let v = TopologyView {
                    scenario: sc,
                    layout,
                    frame: f,
                    selection: p.selection,
                    highlight: &p.highlight,
                    findings: &[],
                    pal: theme.palette(),
                    playing: p.playing,
                    reduced_motion: o.reduced_motion,
                };
                body.push_str(&markup::topology(&v));
            }
            body.push_str("</div></section>");
        };
        match o.view {
            View::Topology => topology(&mut body),
            View::Chart => {
                let want = o.chart.as_deref().unwrap_or("concurrency");
                let Some(i) = p.charts.iter().position(|c| c.kind.id() == want) else {
                    let ids: Vec<&str> = p.charts.iter().map(|c| c.kind.id()).collect();
                    return error_box(
                        "This widget's attributes are not valid",
                        &format!("chart=\"{want}\": this scenario's charts are {}", ids.join(", ")),
                        o.dark,
                    );
                };
                body.push_str(r#"<section class="charts-panel lsw-one-chart" aria-label="Chart">"#);
                self.chart(&mut body, i, theme);
                body.push_str("</section>");
            }
            View::Timeline => self.narrative(&mut body),
            View::Compare => match &self.compare {
                Some(Ok(rows)) if rows.len() > 1 => {
                    let caption = format!(
                        "{}: the scenario and its variants, same traffic and seed, at the end",
                        sc.spec.title
                    );
                    let _ = write!(
                        body,
                        r#"<section class="lsw-compare" aria-label="Compare">{}</section>"#,
                        lambdascape_ui::compare::table(rows, &caption)
                    );
                }
                Some(Ok(_)) => {
                    return error_box(
                        "This widget's attributes are not valid",
                        "view=\"compare\": this scenario has no variants to compare",
                        o.dark,
                    )
                }
                Some(Err(e)) => return error_box("This widget's scenario cannot run", e, o.dark),
                None => body.push_str(r#"<p role="status">Running the variants…</p>"#),
            },
            View::Full => {
                body.push_str(r#"<div class="lsw-full">"#);
                topology(&mut body);
                body.push_str(r#"<section class="charts-panel" aria-label="Charts"><div class="charts">"#);
                for i in 0..p.charts.len() {
                    self.chart(&mut body, i, theme);
                }
                body.push_str("</div></section>");
                self.narrative(&mut body);
                body.push_str("</div>");
            }
        }
        let view = match o.view {
            View::Topology => "topology",
            View::Chart => "chart",
            View::Timeline => "timeline",
            View::Full => "full",
            View::Compare => "compare",
        };
        let mut out = format!(
            r#"<div class="lsw-root lsw-view-{view}{}" data-theme="{}" data-testid="widget" data-now-us="{}" data-playing="{}"{style}><div class="lsw-body">{body}</div>"#,
            if sc.vpc.is_some() { " vpc" } else { "" },
            theme.name(),
            f.now,
            p.playing
        );
        // The compare table is the runs' end: nothing to play.
        match if o.view == View::Compare { Controls::None } else { o.controls } {
            Controls::None => {}
            Controls::Minimal => {
                let _ = write!(
                    out,
                    r#"<div class="lsw-mini" aria-label="Playback">{}{}<span class="lsw-title" title="{}">{}</span></div>"#,
                    play_button(p.playing, false, 18),
                    time(f.now, f.horizon),
                    Esc(&sc.spec.description),
                    Esc(&sc.spec.title)
                );
            }
            Controls::Full => {
                let v = TimelineView {
                    now: f.now,
                    horizon: f.horizon,
                    playing: p.playing,
                    speed: p.speed,
                    step: sc.sample_interval,
                    keys: false,
                };
                let _ = write!(
                    out,
                    r#"<section class="timeline" aria-label="Timeline">{}</section>"#,
                    timeline(&v)
                );
            }
        }
        out.push_str("</div>");
        out
    }

    /// One chart: its canvas (drawn by [`Self::draw`]), the cursor at the current time and the
    /// values under the mouse.
    fn chart(&self, o: &mut String, i: usize, theme: Theme) {
        let p = &self.state;
        let Some(data) = p.charts.get(i) else { return };
        let (w, h) = self.charts.get(i).map(|d| d.size).unwrap_or_default();
        let m = self.charts.get(i).map(|d| d.mapping).unwrap_or_default();
        let _ = write!(
            o,
            r#"<figure class="chart" data-testid="chart-{i}" data-chart="{}"><figcaption><span class="chart-title">{}</span><span class="chart-unit"> ({})</span></figcaption><div class="chart-canvas" data-index="{i}"><canvas data-keep="" role="img" aria-label="{} chart, {} over simulated time" data-plot="{}" data-css="width:{w}px;height:{h}px"></canvas>"#,
            data.kind.id(),
            Esc(&data.title),
            Esc(&data.unit),
            Esc(&data.title),
            Esc(&data.unit),
            m.attr()
        );
        let now_s = p.frame.now as f64 / MICROS_PER_SEC as f64;
        let line = |o: &mut String, class: &str, t: f64| {
            let _ = write!(
                o,
                r#"<div class="{class}" data-css="left:{}px;top:{}px;height:{}px"></div>"#,
                N(m.x_of(t)),
                N(m.top),
                N((m.bottom - m.top).max(0.0))
            );
        };
        if m.shows(now_s) {
            line(o, "cursor", now_s);
        }
        if let Some((_, t)) = self.hover.filter(|&(hi, t)| hi == i && t <= now_s) {
            line(o, "hover-line", t);
            let pal = theme.palette();
            let _ = write!(
                o,
                r#"<div class="readout" role="status" data-css="left:{}px"><div class="readout-time">{} sim</div>"#,
                N((m.x_of(t) + 8.0).min(w - 190.0).max(0.0)),
                clock((t * 1e6) as Micros)
            );
            for (label, hue, v) in chart::readout(data, t) {
                let _ = write!(
                    o,
                    r#"<div><span class="swatch" data-css="background:{}"></span>{}: {}</div>"#,
                    pal.hue(hue),
                    Esc(&label),
                    chart_value(v, &data.unit)
                );
            }
            o.push_str("</div>");
        }
        o.push_str("</div></figure>");
    }

    /// The narrative: entries up to now, newest at the bottom; a click shows that moment.
    fn narrative(&self, o: &mut String) {
        let log = markup::narrative(
            &self.state.log,
            self.state.highlight_entry,
            "Press play: events are told here as they happen.",
        );
        let _ = write!(o, r#"<section class="narrative" aria-label="What happened">{log}</section>"#);
    }
}

fn error_box(title: &str, message: &str, dark: bool) -> String {
    format!(
        r#"<div class="lsw-root lsw-failed" data-theme="{}" data-testid="widget"><section class="lsw-error" role="alert" data-testid="widget-error"><strong>{}</strong><pre>{}</pre></section></div>"#,
        if dark { "dark" } else { "light" },
        Esc(title),
        Esc(message)
    )
}
