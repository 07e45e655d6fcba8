//! The panel as markup: the form, the progress of a run, the cost-versus-p99 chart (SVG) and
//! the table the CLI's `lambdascape sweep` prints. Positions are SVG attributes and everything
//! else classes (www/tools.css, "sizing"): a strict Content Security Policy refuses style
//! attributes. Every point's figures are also in data attributes, exact, for the tests.

use crate::form::{setting_of, Form, Problems, SETTINGS};
use lambdascape_engine::size::order;
use lambdascape_engine::sweep::{PointResult, Table};
use std::fmt::Write;

/// Where a run is.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Idle,
    /// The sweep cannot be made (an unknown function, too many points) or the scenario read.
    Refused(String),
    Running {
        done: usize,
        total: usize,
    },
    Cancelled {
        done: usize,
        total: usize,
    },
    Failed(String),
    Done,
}

/// What the panel shows.
pub struct View<'a> {
    pub functions: &'a [String],
    pub form: &'a Form,
    pub problems: &'a Problems,
    /// Points and runs the form asks for, or why it makes no sweep (empty: a field says).
    pub size: &'a Result<(usize, usize), String>,
    pub status: &'a Status,
    pub table: Option<&'a Table>,
}

/// Text or an attribute value, escaped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn panel(v: &View) -> String {
    let mut h = String::new();
    h += "<div class=\"sz-head\"><h2 id=\"sizing-title\" tabindex=\"-1\">Sizing</h2>\
        <p class=\"sz-intro\">Run this scenario many times with one or two settings of a function changed: \
        what each configuration costs, how slow its slowest requests are (p99), and the cheapest one that \
        meets your target. Click a point to watch it play.</p></div>";
    h += &form(v);
    h += &status(v.status);
    if let (Some(t), Status::Done) = (v.table, v.status) {
        h += &results(t, None);
    }
    format!("<div class=\"sz-root\" data-testid=\"sizing-panel\">{h}</div>")
}

fn field_problem(id: &str, problem: Option<&String>, hint: &str) -> String {
    match problem {
        Some(p) => format!("<p class=\"sz-error\" id=\"{id}\" data-testid=\"{id}\">{}</p>", esc(p)),
        None => format!("<p class=\"sz-hint\" id=\"{id}\">{hint}</p>"),
    }
}

fn form(v: &View) -> String {
    let f = v.form;
    let mut h = String::from("<div class=\"sz-form\" data-testid=\"sizing-form\">");
    // The function.
    h += "<div class=\"sz-field\"><label for=\"sz-function\">Function</label>\
        <select id=\"sz-function\" data-field=\"function\" data-testid=\"sz-function\">";
    for name in v.functions {
        let sel = if *name == f.function { " selected" } else { "" };
        let _ = write!(h, "<option value=\"{0}\"{sel}>{0}</option>", esc(name));
    }
    h += "</select><p class=\"sz-hint\">The function whose settings vary.</p></div>";
    // The settings and their values.
    for k in 0..2 {
        let text = &f.axes[k];
        let chosen = setting_of(text);
        let bad = v.problems.axes[k].as_ref();
        let label = if k == 0 { "Vary" } else { "and (optional)" };
        let _ = write!(
            h,
            "<div class=\"sz-field sz-axis{}\"><label for=\"sz-axis{k}\">{label}</label><div class=\"sz-axis-row\">\
             <select data-field=\"setting{k}\" aria-label=\"{} setting\" data-testid=\"sz-setting{k}\">",
            if bad.is_some() { " invalid" } else { "" },
            if k == 0 { "First" } else { "Second" }
        );
        if k == 1 {
            let sel = if text.trim().is_empty() { " selected" } else { "" };
            let _ = write!(h, "<option value=\"\"{sel}>nothing else</option>");
        }
        for (i, (_, title, _)) in SETTINGS.iter().enumerate() {
            let sel = if chosen == Some(i) { " selected" } else { "" };
            let _ = write!(h, "<option value=\"{i}\"{sel}>{title}</option>");
        }
        if chosen.is_none() && !text.trim().is_empty() {
            h += "<option value=\"-\" selected>(as typed)</option>";
        }
        let _ = write!(
            h,
            "</select><input id=\"sz-axis{k}\" data-field=\"axis{k}\" data-testid=\"sz-axis{k}\" type=\"text\" \
             spellcheck=\"false\" autocomplete=\"off\" value=\"{}\" aria-describedby=\"sz-axis{k}-msg\" \
             aria-invalid=\"{}\" placeholder=\"{}\"></div>",
            esc(text),
            bad.is_some(),
            if k == 0 { "provisioned=0..200:25" } else { "e.g. memory=512,1024" }
        );
        if let Some(s) = chosen {
            let (name, _, presets) = SETTINGS[s];
            h += "<div class=\"sz-presets\"><span>Try</span>";
            for p in presets {
                let _ = write!(
                    h,
                    "<button type=\"button\" class=\"sz-chip\" data-act=\"preset\" data-axis=\"{k}\" data-text=\"{name}={p}\">{p}</button>"
                );
            }
            h += "</div>";
        }
        h += &field_problem(
            &format!("sz-axis{k}-msg"),
            bad,
            if k == 0 {
                "A list (512,1024) or a range with a step (0..200:25, both ends included)."
            } else {
                "A second setting makes a grid: every value of one with every value of the other."
            },
        );
        h += "</div>";
    }
    // Seeds and the target.
    let _ = write!(
        h,
        "<div class=\"sz-field sz-small{}\"><label for=\"sz-seeds\">Seeds per point</label>\
         <input id=\"sz-seeds\" data-field=\"seeds\" data-testid=\"sz-seeds\" type=\"number\" min=\"1\" max=\"50\" \
         inputmode=\"numeric\" value=\"{}\" aria-describedby=\"sz-seeds-msg\">{}</div>",
        if v.problems.seeds.is_some() { " invalid" } else { "" },
        esc(&f.seeds),
        field_problem("sz-seeds-msg", v.problems.seeds.as_ref(), "Runs per point; the table shows their mean ± 95% interval.")
    );
    let _ = write!(
        h,
        "<fieldset class=\"sz-target\"><legend>Target</legend>\
         <div class=\"sz-field sz-small{}\"><label for=\"sz-p99\">p99 at most (ms)</label>\
         <input id=\"sz-p99\" data-field=\"p99\" data-testid=\"sz-p99\" type=\"text\" inputmode=\"decimal\" \
         placeholder=\"no limit\" value=\"{}\" aria-describedby=\"sz-p99-msg\">{}</div>\
         <div class=\"sz-field sz-small{}\"><label for=\"sz-throttles\">Throttles at most</label>\
         <input id=\"sz-throttles\" data-field=\"throttles\" data-testid=\"sz-throttles\" type=\"text\" \
         inputmode=\"decimal\" placeholder=\"no limit\" value=\"{}\" aria-describedby=\"sz-throttles-msg\">{}</div></fieldset>",
        if v.problems.p99.is_some() { " invalid" } else { "" },
        esc(&f.p99),
        field_problem("sz-p99-msg", v.problems.p99.as_ref(), "Mean over the seeds."),
        if v.problems.throttles.is_some() { " invalid" } else { "" },
        esc(&f.throttles),
        field_problem("sz-throttles-msg", v.problems.throttles.as_ref(), "Per run, mean over the seeds."),
    );
    let running = matches!(v.status, Status::Running { .. });
    let size = match v.size {
        Ok((points, runs)) => format!("{points} point{} × {} = {runs} runs", plural(*points), seeds_text(f)),
        Err(e) if e.is_empty() => "Fix the fields marked in red to run.".into(),
        Err(e) => format!("<span class=\"sz-bad\">{}</span>", esc(e)),
    };
    let _ = write!(
        h,
        "<div class=\"sz-actions\"><button type=\"button\" class=\"tool-button sz-run\" data-act=\"run\" \
         data-testid=\"sz-run\"{}>{}</button><span class=\"sz-size\" data-testid=\"sz-size\">{size}</span></div></div>",
        if v.size.is_err() { " disabled" } else { "" },
        if running { "Run again" } else { "Run" },
    );
    h
}

fn seeds_text(f: &Form) -> String {
    let n = f.seeds.trim();
    format!("{} seed{}", if n.is_empty() { "5" } else { n }, if n == "1" { "" } else { "s" })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn status(s: &Status) -> String {
    match s {
        Status::Idle | Status::Done => String::new(),
        Status::Refused(why) => {
            format!("<p class=\"sz-status sz-bad\" role=\"alert\" data-testid=\"sz-refused\">{}</p>", esc(why))
        }
        Status::Running { done, total } => format!(
            "<div class=\"sz-status sz-running\" role=\"status\"><progress data-testid=\"sz-progress\" max=\"{total}\" \
             value=\"{done}\" aria-label=\"Runs done\"></progress><span data-testid=\"sz-progress-text\">{done} of {total} \
             runs</span><button type=\"button\" class=\"tool-button\" data-act=\"cancel\" data-testid=\"sz-cancel\">Cancel</button></div>"
        ),
        Status::Cancelled { done, total } => format!(
            "<p class=\"sz-status\" role=\"status\" data-testid=\"sz-cancelled\" data-done=\"{done}\">Cancelled: {done} of \
             {total} runs had finished. Press Run to start again.</p>"
        ),
        Status::Failed(why) => format!(
            "<p class=\"sz-status sz-bad\" role=\"alert\" data-testid=\"sz-failed\">The runs stopped: {}</p>",
            esc(why)
        ),
    }
}

/// What a docs widget shows (crate::widget): no form, the sweep it was given in one line,
/// the runs' progress, then the results.
pub struct WidgetView<'a> {
    pub dark: bool,
    pub height: Option<&'a str>,
    /// The scenario's title and the function whose settings vary.
    pub title: &'a str,
    pub function: &'a str,
    /// The sweep in one line (`widget::describe`).
    pub sweep: &'a str,
    /// The runs the sweep makes (shown while it waits to be on screen).
    pub runs: usize,
    pub status: &'a Status,
    pub table: Option<&'a Table>,
    pub picked: Option<usize>,
}

fn theme_name(dark: bool) -> &'static str {
    if dark {
        "dark"
    } else {
        "light"
    }
}

/// A sizing widget: its root has the other widgets' classes (crates/embed), so it looks like
/// them; everything else is the panel's markup (www/tools.css, adopted by its shadow root).
pub fn widget(v: &WidgetView) -> String {
    let style = v.height.map(|h| format!(" data-css=\"height:{}\"", esc(h))).unwrap_or_default();
    let (state, body) = match v.status {
        Status::Idle => (
            "waiting",
            format!(
                "<p class=\"sz-status\" role=\"status\" data-testid=\"sz-waiting\">The sweep's {} runs start when this \
                 figure is on screen.</p>",
                v.runs
            ),
        ),
        Status::Running { done, total } => (
            "running",
            format!(
                "<div class=\"sz-status sz-running\" role=\"status\"><progress data-testid=\"sz-progress\" max=\"{total}\" \
                 value=\"{done}\" aria-label=\"Runs done\"></progress><span data-testid=\"sz-progress-text\">{done} of \
                 {total} runs</span></div>"
            ),
        ),
        Status::Done => ("done", v.table.map(|t| results(t, Some(v.picked))).unwrap_or_default()),
        s => ("failed", status(s)),
    };
    format!(
        "<div class=\"lsw-root lsw-view-sizing\" data-theme=\"{}\" data-testid=\"widget\" data-state=\"{state}\"{style}>\
         <div class=\"lsw-body sz-w\"><header class=\"sz-w-head\"><strong>Sizing {}</strong><span class=\"sz-w-sweep\" \
         data-testid=\"sz-sweep\">{}</span><span class=\"sz-w-scenario\">{}</span></header>{body}</div></div>",
        theme_name(v.dark),
        esc(v.function),
        esc(v.sweep),
        esc(v.title),
    )
}

/// A widget that cannot show its sweep: the other widgets' error box (crates/embed).
pub fn widget_error(title: &str, message: &str, dark: bool) -> String {
    format!(
        "<div class=\"lsw-root lsw-failed\" data-theme=\"{}\" data-testid=\"widget\"><section class=\"lsw-error\" \
         role=\"alert\" data-testid=\"widget-error\"><strong>{}</strong><pre>{}</pre></section></div>",
        theme_name(dark),
        esc(title),
        esc(message)
    )
}

/// The figures of the point a widget's reader picked.
fn picked(t: &Table, i: usize) -> String {
    let Some(p) = t.points.get(i).filter(|p| p.error.is_none()) else { return String::new() };
    let mut notes = vec![];
    if p.pareto {
        notes.push("on the front");
    }
    if t.cheapest == Some(i) {
        notes.push("the cheapest meeting the target");
    } else if t.target.is_set() {
        notes.push(if p.meets_target { "meets the target" } else { "misses the target" });
    }
    format!(
        "<p class=\"sz-picked\" role=\"status\" data-testid=\"sz-picked\" data-picked=\"{i}\"><strong>{}</strong>: {}{} per \
         run, p50 {} ms, p99 {} ms, {} throttles and {} cold starts per run{}{}.</p>",
        esc(&point_name(t, p)),
        t.figure(p.cost_usd, 4),
        if p.placeholder_cost { "*" } else { "" },
        t.figure(p.latency_p50_ms, 0),
        t.figure(p.latency_p99_ms, 0),
        t.figure(p.throttles, 1),
        t.figure(p.cold_starts, 1),
        if notes.is_empty() { "" } else { "; " },
        notes.join(", ")
    )
}

/// A point's settings as text: `provisioned=50, memory=1024`.
fn point_name(t: &Table, p: &PointResult) -> String {
    let parts: Vec<String> =
        t.params.iter().zip(&p.levels).map(|(k, l)| format!("{}={l}", k.name())).collect();
    parts.join(", ")
}

/// The results: the summary, the chart, the points that cannot be and the table. `widget`:
/// shown in a docs widget, with the point picked there if any (a click shows a point's figures
/// instead of playing it: a widget has no simulation to play it in).
fn results(t: &Table, widget: Option<Option<usize>>) -> String {
    let mut h = String::from("<div class=\"sz-results\" data-testid=\"sz-results\">");
    let first = t.seeds.first().copied().unwrap_or(0);
    let _ = write!(
        h,
        "<p class=\"sz-summary\" data-testid=\"sz-summary\">{}</p>",
        match t.cheapest {
            Some(i) => format!(
                "Cheapest meeting the target: <strong>{}</strong> at {} per run, p99 {} ms.",
                esc(&point_name(t, &t.points[i])),
                usd(t.points[i].cost_usd.mean),
                t.points[i].latency_p99_ms.mean.round()
            ),
            None if t.target.is_set() => "No point meets the target: loosen it or try other values.".into(),
            None => "No cheapest point to name (every cost is at placeholder rates).".into(),
        }
    );
    // Next to the answer, where a flat result would otherwise be read as "it does not matter".
    for note in &t.notes {
        let _ = write!(h, "<p class=\"sz-note\" role=\"note\" data-testid=\"sz-note\">{}</p>", esc(note));
    }
    h += &charts(t, widget);
    if let Some(Some(i)) = widget {
        h += &picked(t, i);
    }
    let impossible: Vec<&PointResult> = t.points.iter().filter(|p| p.error.is_some()).collect();
    if !impossible.is_empty() {
        h += "<div class=\"sz-impossible\" data-testid=\"sz-impossible\"><p>Not on the chart: points the scenario format does not allow</p><ul>";
        for p in impossible {
            let _ = write!(
                h,
                "<li><strong>{}</strong>: {}</li>",
                esc(&point_name(t, p)),
                esc(p.error.as_deref().unwrap_or_default())
            );
        }
        h += "</ul></div>";
    }
    h += &table(t, first, widget);
    h += "</div>";
    h
}

/// A table figure (`1.2363 ±0.0025`) with its interval in a span, which a narrow table puts
/// under the mean (www/tools.css, `.pm`); the cell's text stays the CLI's.
fn pm(figure: String) -> String {
    match figure.split_once(" ±") {
        Some((mean, half)) => format!("{mean}<span class=\"pm\"> ±{half}</span>"),
        None => figure,
    }
}

/// `$0.0123`: four decimals, as the table.
fn usd(v: f64) -> String {
    format!("${v:.4}")
}

fn table(t: &Table, first: u64, widget: Option<Option<usize>>) -> String {
    let mut h = format!(
        "<div class=\"sz-table-wrap\"><table class=\"sz-table\" data-testid=\"sz-table\"><caption>Function {}, {} \
         seed{} per point ({first}..={}). {}</caption><thead><tr>",
        esc(&t.function),
        t.seeds.len(),
        plural(t.seeds.len()),
        t.seeds.last().copied().unwrap_or(0),
        if widget.is_some() { "Click a row for its figures." } else { "Click a row to watch that configuration." }
    );
    for p in &t.params {
        let _ = write!(h, "<th scope=\"col\">{}</th>", p.name());
    }
    // Columns a narrow widget leaves out (class "opt", www/tools.css).
    for (c, opt) in [
        ("cost USD", ""),
        ("p50 ms", " class=\"opt\""),
        ("p99 ms", ""),
        ("throttles", ""),
        ("cold starts", " class=\"opt\""),
        ("", " class=\"opt\""),
    ] {
        let _ = write!(h, "<th scope=\"col\"{opt}>{c}</th>");
    }
    if widget.is_none() {
        h += "<th scope=\"col\"><span class=\"visually-hidden\">Watch</span></th>";
    }
    h += "</tr></thead><tbody>";
    for (i, p) in t.points.iter().enumerate() {
        let cheapest = t.cheapest == Some(i);
        let mut cls = vec![];
        if p.pareto {
            cls.push("front");
        }
        if cheapest {
            cls.push("cheapest");
        }
        if p.error.is_some() {
            cls.push("impossible");
        }
        if widget == Some(Some(i)) {
            cls.push("picked");
        }
        let _ = write!(
            h,
            "<tr data-point=\"{i}\" class=\"{}\" data-levels=\"{}\" data-runs=\"{}\" data-cost=\"{}\" data-p50=\"{}\" \
             data-p99=\"{}\" data-throttles=\"{}\" data-cold=\"{}\" data-pareto=\"{}\" data-meets=\"{}\" data-cheapest=\"{cheapest}\">",
            cls.join(" "),
            esc(&p.levels.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(",")),
            p.runs,
            p.cost_usd.mean,
            p.latency_p50_ms.mean,
            p.latency_p99_ms.mean,
            p.throttles.mean,
            p.cold_starts.mean,
            p.pareto,
            p.meets_target,
        );
        for (k, l) in p.levels.iter().enumerate() {
            if k == 0 {
                let _ = write!(h, "<th scope=\"row\">{}</th>", esc(&l.to_string()));
            } else {
                let _ = write!(h, "<td>{}</td>", esc(&l.to_string()));
            }
        }
        match &p.error {
            Some(e) => {
                h += "<td>-</td><td class=\"opt\">-</td><td>-</td><td>-</td><td class=\"opt\">-</td>";
                let _ = write!(h, "<td class=\"sz-notes opt\">not possible: {}</td>", esc(e));
                if widget.is_none() {
                    h += "<td></td>";
                }
            }
            None => {
                let marks = t.marks(i);
                let _ = write!(
                    h,
                    "<td class=\"num\">{}{}</td><td class=\"num opt\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                     <td class=\"num opt\">{}</td><td class=\"sz-notes opt\">{}</td>",
                    pm(t.figure(p.cost_usd, 4)),
                    if p.placeholder_cost { "*" } else { "" },
                    pm(t.figure(p.latency_p50_ms, 0)),
                    pm(t.figure(p.latency_p99_ms, 0)),
                    pm(t.figure(p.throttles, 1)),
                    pm(t.figure(p.cold_starts, 1)),
                    marks.join(", "),
                );
                if widget.is_none() {
                    let _ = write!(
                        h,
                        "<td><button type=\"button\" class=\"sz-watch\" data-act=\"load\" data-point=\"{i}\" \
                         aria-label=\"Watch {}\">▶<span class=\"sz-watch-text\"> Watch</span></button></td>",
                        esc(&point_name(t, p)),
                    );
                }
            }
        }
        h += "</tr>";
    }
    h += "</tbody></table></div><ul class=\"sz-notes-list\">";
    if t.seeds.len() > 1 {
        h += "<li>± half the 95% confidence interval of the mean over the seeds</li>";
    }
    h += "<li>front: no other point is at least as cheap, as fast at p99 and as free of throttles, and better in one</li>";
    if t.points.iter().any(|p| p.placeholder_cost) {
        h += "<li>* at Lambdascape's placeholder rates for Web Functions: never called the cheapest</li>";
    }
    h += "</ul>";
    h
}

// ---- the chart ----

/// The chart's size and margins in SVG units: wide (a page or a wide widget) and narrow (a
/// phone: fewer, larger units per pixel; www/tools.css shows one or the other by the width of
/// the panel or widget).
const WIDE: [f64; 6] = [760.0, 380.0, 70.0, 24.0, 18.0, 50.0];
const NARROW: [f64; 6] = [400.0, 340.0, 66.0, 24.0, 14.0, 46.0];
/// The width in SVG units of a character of the cheapest point's label (13px bold), about (an
/// upper bound for the target's label, 12px).
const LABEL_CHAR_WIDTH: f64 = 8.4;

/// The width a one-line label takes in SVG units, about.
fn label_width(text: &str) -> f64 {
    text.chars().count() as f64 * LABEL_CHAR_WIDTH
}

/// The box a one-line label takes, `[left, top, right, bottom]` in SVG units: `text` at baseline
/// `y`, starting at `x` or ending there (`end`).
fn label_box(text: &str, x: f64, y: f64, end: bool) -> [f64; 4] {
    let left = if end { x - label_width(text) } else { x };
    [left, y - 13.0, left + label_width(text), y + 4.0]
}

/// The cheapest point meeting the target: its point, its ring's centre, and its label, placed.
struct Cheapest {
    point: usize,
    x: f64,
    y: f64,
    label: String,
    lx: f64,
    ly: f64,
    /// The label ends at `lx` (it is left of the ring).
    end: bool,
}

fn overlap(a: [f64; 4], b: [f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Of the places `(x, baseline, ends there)` for a label `text`, the first whose box costs
/// nothing, else the first of the cheapest (a cost counts the points the box covers, plus 1,000
/// or more for a worse fault: covering another label, crossing the target's line, leaving the
/// chart).
fn best_place(text: &str, places: &[(f64, f64, bool)], cost: impl Fn([f64; 4]) -> usize) -> (f64, f64, bool) {
    let mut best = (usize::MAX, places[0]);
    for &(x, y, end) in places {
        let c = cost(label_box(text, x, y, end));
        if c < best.0 {
            best = (c, (x, y, end));
        }
        if c == 0 {
            break;
        }
    }
    best.1
}

/// A point's short label (its levels) and where it goes: `(text, x, baseline, ends there)`,
/// above and right of its dot, or left of it near the chart's right edge (so it is not cut).
fn point_label(p: &PointResult, x: f64, y: f64, right_edge: f64) -> (String, f64, f64, bool) {
    let short: Vec<String> = p.levels.iter().map(|l| l.to_string()).collect();
    let end = x > right_edge - 90.0;
    (short.join(" · "), if end { x - 8.0 } else { x + 8.0 }, y - 8.0, end)
}

/// About five round ticks (1, 2 or 5 times a power of ten) spanning `lo..hi`; the span widened
/// to them.
fn ticks(lo: f64, hi: f64) -> (Vec<f64>, f64, f64, usize) {
    let (lo, hi) =
        if hi > lo { (lo, hi) } else { (lo - lo.abs().max(1e-4) * 0.1, hi + hi.abs().max(1e-4) * 0.1) };
    let raw = (hi - lo) / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let (a, b) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let n = ((b - a) / step).round() as usize;
    let decimals = (-step.log10().floor()).max(0.0) as usize;
    ((0..=n).map(|i| a + i as f64 * step).collect(), a, b, decimals)
}

/// Both charts, wide and narrow (the narrow one without the test ids).
fn charts(t: &Table, widget: Option<Option<usize>>) -> String {
    let narrow = chart(t, widget, true)
        .replace(" data-testid=\"sz-front\"", "")
        .replace(" data-testid=\"sz-cheapest\"", "")
        .replace("sz-chart-title", "sz-chart-title-narrow");
    chart(t, widget, false) + &narrow
}

#[allow(non_snake_case)]
fn chart(t: &Table, widget: Option<Option<usize>>, narrow: bool) -> String {
    let [W, H, LEFT, RIGHT, TOP, BOTTOM] = if narrow { NARROW } else { WIDE };
    let pts: Vec<(usize, &PointResult)> =
        t.points.iter().enumerate().filter(|(_, p)| p.error.is_none() && p.runs > 0).collect();
    if pts.is_empty() {
        return "<p class=\"sz-status\">No point could run: nothing to draw.</p>".into();
    }
    let fold = |f: &dyn Fn(&PointResult) -> f64, min: bool| {
        pts.iter().map(|(_, p)| f(p)).fold(if min { f64::INFINITY } else { f64::NEG_INFINITY }, |a, b| {
            if min {
                a.min(b)
            } else {
                a.max(b)
            }
        })
    };
    let (x0, x1) = (
        fold(&|p| p.cost_usd.lo.min(p.cost_usd.mean), true),
        fold(&|p| p.cost_usd.hi.max(p.cost_usd.mean), false),
    );
    let (mut y0, mut y1) = (
        fold(&|p| p.latency_p99_ms.lo.min(p.latency_p99_ms.mean), true),
        fold(&|p| p.latency_p99_ms.hi.max(p.latency_p99_ms.mean), false),
    );
    if let Some(target) = t.target.p99_ms {
        (y0, y1) = (y0.min(target), y1.max(target));
    }
    let (xt, xa, xb, xd) = ticks(x0.max(0.0), x1.max(0.0));
    let (yt, ya, yb, yd) = ticks(y0.max(0.0), y1.max(0.0));
    let sx = |v: f64| LEFT + (v - xa) / (xb - xa) * (W - LEFT - RIGHT);
    let sy = |v: f64| H - BOTTOM - (v - ya) / (yb - ya) * (H - TOP - BOTTOM);
    let mut h = format!(
        "<figure class=\"sz-figure {}\"><svg class=\"sz-chart\" data-testid=\"sz-chart{}\" viewBox=\"0 0 {W} {H}\" role=\"img\" \
         aria-labelledby=\"sz-chart-title\"><title id=\"sz-chart-title\">Cost per run against p99 latency, one dot per \
         configuration</title>",
        if narrow { "narrow" } else { "wide" },
        if narrow { "-narrow" } else { "" },
    );
    // Grid, ticks and labels.
    for v in &xt {
        let x = sx(*v);
        let _ = write!(
            h,
            "<line class=\"sz-grid\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{TOP}\" y2=\"{:.1}\"></line>\
             <text class=\"sz-tick\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">${v:.xd$}</text>",
            H - BOTTOM + 5.0,
            H - BOTTOM + 20.0,
        );
    }
    for v in &yt {
        let y = sy(*v);
        let _ = write!(
            h,
            "<line class=\"sz-grid\" x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"></line>\
             <text class=\"sz-tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{v:.yd$}</text>",
            LEFT - 5.0,
            W - RIGHT,
            LEFT - 9.0,
            y + 4.0,
        );
    }
    let _ = write!(
        h,
        "<line class=\"sz-axis\" x1=\"{LEFT}\" x2=\"{LEFT}\" y1=\"{TOP}\" y2=\"{b:.1}\"></line>\
         <line class=\"sz-axis\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{b:.1}\" y2=\"{b:.1}\"></line>\
         <text class=\"sz-axis-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">cost per run (USD) →</text>\
         <text class=\"sz-axis-label\" transform=\"translate(16 {:.1}) rotate(-90)\" text-anchor=\"middle\">p99 latency (ms) →</text>",
        W - RIGHT,
        (LEFT + W - RIGHT) / 2.0,
        H - 8.0,
        (TOP + H - BOTTOM) / 2.0,
        b = H - BOTTOM,
    );
    // Each point's place and (all of them when there are few, the cheapest named apart) its
    // label; what the labels placed next must not cover: the other points' dots and labels.
    let labels = pts.len() <= if narrow { 12 } else { 40 };
    let mut placed = Vec::with_capacity(pts.len());
    let mut covered: Vec<[f64; 4]> = Vec::new();
    for (i, p) in &pts {
        let (x, y) = (sx(p.cost_usd.mean), sy(p.latency_p99_ms.mean));
        let mut label = None;
        if t.cheapest != Some(*i) {
            covered.push([x - 7.0, y - 7.0, x + 7.0, y + 7.0]);
            if labels {
                let l = point_label(p, x, y, W - RIGHT);
                covered.push(label_box(&l.0, l.1, l.2, l.3));
                label = Some(l);
            }
        }
        placed.push((x, y, label));
    }
    let covering = |b: [f64; 4]| covered.iter().filter(|c| overlap(b, **c)).count();
    // The cheapest point meeting the target's label: the first place beside its ring (the
    // roomier side first, above then below, then a line further) that stays in the chart, does
    // not cross the target's line (the cheapest point is often just under it) and covers no
    // other point; else the best by those three, in that order.
    let target_y = t.target.p99_ms.map(sy);
    let cheapest = t.cheapest.map(|point| {
        let p = &t.points[point];
        let (x, y) = (sx(p.cost_usd.mean), sy(p.latency_p99_ms.mean));
        let label = format!("cheapest meeting the target: {}", point_name(t, p));
        let width = label_width(&label);
        let (room_right, room_left) = (W - x - 16.0, x - 16.0);
        let left_first = !(room_right >= width || (room_left < width && room_right >= room_left));
        let mut places = Vec::new();
        for ly in [y - 20.0, y + 28.0, y - 40.0, y + 48.0] {
            for end in [left_first, !left_first] {
                places.push((if end { x - 16.0 } else { x + 16.0 }, ly, end));
            }
        }
        let (lx, ly, end) = best_place(&label, &places, |b| {
            let outside = b[0] < 0.0 || b[2] > W || b[1] < 0.0 || b[3] > H - BOTTOM;
            let crosses = target_y.is_some_and(|ty| (b[1]..=b[3]).contains(&ty));
            2000 * usize::from(outside) + 1000 * usize::from(crosses) + covering(b)
        });
        Cheapest { point, x, y, label, lx, ly, end }
    });
    // The target: its line, and (wide) its label where it covers neither the cheapest point's
    // label nor the points.
    // Narrow: the target is named in the legend (a label on the line would cover points).
    if let (Some(target), Some(ty)) = (t.target.p99_ms, target_y) {
        let _ = write!(
            h,
            "<line class=\"sz-target-line\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{ty:.1}\" y2=\"{ty:.1}\"></line>",
            W - RIGHT,
        );
        if !narrow {
            let text = format!("target: p99 ≤ {target} ms");
            let taken = cheapest.as_ref().map(|c| label_box(&c.label, c.lx, c.ly, c.end));
            let spots = [
                (LEFT + 6.0, ty - 5.0, false),
                (W - RIGHT - 6.0, ty - 5.0, true),
                (LEFT + 6.0, ty + 15.0, false),
                (W - RIGHT - 6.0, ty + 15.0, true),
            ];
            let (x, y, end) = best_place(&text, &spots, |b| {
                1000 * usize::from(taken.is_some_and(|c| overlap(b, c))) + covering(b)
            });
            let _ = write!(
                h,
                "<text class=\"sz-target-label\" x=\"{x:.1}\" y=\"{y:.1}\"{}>{text}</text>",
                if end { " text-anchor=\"end\"" } else { "" },
            );
        }
    }
    // The front as a step line, cheapest first: what paying more buys.
    let mut front: Vec<&PointResult> = pts.iter().filter(|(_, p)| p.pareto).map(|(_, p)| *p).collect();
    order::sort_by(&mut front, |a, b| a.cost_usd.mean.total_cmp(&b.cost_usd.mean));
    if let Some(first) = front.first() {
        let mut d = format!("M{:.1} {:.1}", sx(first.cost_usd.mean), sy(first.latency_p99_ms.mean));
        for p in &front[1..] {
            let _ = write!(d, "H{:.1}V{:.1}", sx(p.cost_usd.mean), sy(p.latency_p99_ms.mean));
        }
        let _ = write!(
            h,
            "<path class=\"sz-front\" data-testid=\"sz-front\" data-points=\"{}\" d=\"{d}\"></path>",
            front.len()
        );
    }
    // The points: whiskers for the intervals, the dot, a label when there are few.
    for ((i, p), (x, y, label)) in pts.iter().zip(placed) {
        let name = point_name(t, p);
        let mut cls = String::from("sz-pt");
        if p.pareto {
            cls += " front";
        }
        if p.meets_target && t.target.is_set() {
            cls += " meets";
        }
        if widget == Some(Some(*i)) {
            cls += " picked";
        }
        let (verb, click) =
            if widget.is_some() { ("Show", "click for its figures") } else { ("Watch", "click to watch") };
        let _ = write!(
            h,
            "<g class=\"{cls}\" data-point=\"{i}\" data-act=\"load\" tabindex=\"0\" role=\"button\" aria-label=\"{verb} {n}: \
             {cost} per run, p99 {p99} ms\"><title>{n}: cost {cost} per run, p99 {p99} ms, {thr} throttles \
             ({click})</title>\
             <line class=\"sz-whisker\" x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"></line>\
             <line class=\"sz-whisker\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"></line>\
             <circle class=\"sz-hit\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"12\"></circle>\
             <circle class=\"sz-dot\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"5.5\"></circle>",
            sx(p.cost_usd.lo.clamp(xa, xb)),
            sx(p.cost_usd.hi.clamp(xa, xb)),
            sy(p.latency_p99_ms.lo.clamp(ya, yb)),
            sy(p.latency_p99_ms.hi.clamp(ya, yb)),
            n = esc(&name),
            cost = usd(p.cost_usd.mean),
            p99 = p.latency_p99_ms.mean.round(),
            thr = p.throttles.mean,
        );
        if let Some((text, lx, ly, end)) = label {
            let _ = write!(
                h,
                "<text class=\"sz-label\" x=\"{lx:.1}\" y=\"{ly:.1}\"{}>{}</text>",
                if end { " text-anchor=\"end\"" } else { "" },
                esc(&text)
            );
        }
        h += "</g>";
    }
    // The cheapest point meeting the target, ringed and named.
    if let Some(Cheapest { point: c, x, y, label, lx, ly, end }) = cheapest {
        let anchor = if end { "end" } else { "start" };
        let _ = write!(
            h,
            "<circle class=\"sz-ring\" data-testid=\"sz-cheapest\" data-point=\"{c}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"11\"></circle>"
        );
        // Narrow: the ring only (the summary above the chart names the point; a label here
        // would cover the others).
        if !narrow {
            let _ = write!(
                h,
                "<text class=\"sz-cheapest-label\" x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\">{}</text>",
                esc(&label),
            );
        }
    }
    h += "</svg><figcaption class=\"sz-legend\"><span class=\"sz-key front\">on the front</span>\
          <span class=\"sz-key other\">other points</span><span class=\"sz-key line\">the front: the least p99 each cost buys</span>";
    if let (true, Some(target)) = (narrow, t.target.p99_ms) {
        let _ = write!(h, "<span class=\"sz-key target\">target: p99 ≤ {target} ms</span>");
    }
    if t.cheapest.is_some() {
        h += "<span class=\"sz-key ring\">cheapest meeting the target</span>";
    }
    if t.seeds.len() > 1 {
        h += "<span class=\"sz-key whisker\">95% interval over the seeds</span>";
    }
    h += "</figcaption></figure>";
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdascape_engine::sweep::{Plan, RunFigures, Sweep};
    use lambdascape_engine::ScenarioSpec;

    /// A sweep (JSON) of a minute of one function at one request per second.
    fn plan_of(sweep: &str) -> Plan {
        let spec = ScenarioSpec::from_json(
            r#"{"version":1,"name":"t","duration":"1m","account":{"concurrency_limit":1000},
                "functions":[{"name":"f","duration":{"type":"constant","ms":100},"traffic":{"type":"constant","rate":1}}]}"#,
        )
        .unwrap();
        let sweep: Sweep = lambdascape_engine::size::reader::from_str(sweep).unwrap();
        sweep.plan(&spec).unwrap()
    }

    /// The plan's table with one run per point at these (cost, p99) figures.
    fn table_at(plan: &Plan, figures: &[(f64, f64)]) -> Table {
        let rows: Vec<RunFigures> = figures
            .iter()
            .map(|&(cost_usd, latency_p99_ms)| RunFigures {
                cost_usd,
                latency_p99_ms,
                ..RunFigures::default()
            })
            .collect();
        plan.table(&rows)
    }

    /// The markup of the first `<tag class="class"` element of `html`, from its attributes on.
    fn element<'a>(html: &'a str, tag: &str, class: &str) -> &'a str {
        html.split(&format!("<{tag} class=\"{class}\"")).nth(1).unwrap_or_else(|| panic!("no {class}"))
    }

    /// A number attribute of an element's markup.
    fn number_attr(el: &str, attr: &str) -> f64 {
        el.split(&format!(" {attr}=\"")).nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
    }

    /// The box a `<text>` element's label takes (its text unescaped).
    fn box_of(el: &str) -> [f64; 4] {
        let text = el.split('>').nth(1).unwrap().split('<').next().unwrap();
        let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        let end = el.split('>').next().unwrap().contains("text-anchor=\"end\"");
        label_box(&text, number_attr(el, "x"), number_attr(el, "y"), end)
    }

    fn table() -> Table {
        let plan = plan_of(
            r#"{"axes":["snapstart=off,on","provisioned=none,5,10"],"seeds":2,"target":{"p99_ms":400}}"#,
        );
        let rows: Vec<RunFigures> = plan
            .jobs()
            .iter()
            .map(|j| RunFigures {
                cost_usd: 1.0 + j.point as f64 + j.seed as f64 * 0.01,
                latency_p99_ms: 900.0 - 200.0 * j.point as f64,
                ..RunFigures::default()
            })
            .collect();
        plan.table(&rows)
    }

    #[test]
    fn the_chart_has_a_dot_per_point_the_front_and_the_cheapest_ringed() {
        let t = table();
        let html = chart(&t, None, false);
        let both = charts(&t, None);
        assert!(both.contains("data-testid=\"sz-chart-narrow\""));
        assert_eq!(
            both.matches("class=\"sz-target-label\"").count(),
            1,
            "the narrow chart names the target in its legend"
        );
        assert!(both.contains("<span class=\"sz-key target\">target: p99 ≤ 400 ms</span>"));
        let ok = t.points.iter().filter(|p| p.error.is_none()).count();
        assert_eq!(ok, 4, "SnapStart with provisioned concurrency cannot be");
        assert_eq!(html.matches("class=\"sz-dot\"").count(), ok);
        assert_eq!(
            html.matches("<g class=\"sz-pt front").count(),
            t.points.iter().filter(|p| p.pareto).count()
        );
        let c = t.cheapest.unwrap();
        assert!(html.contains(&format!("data-testid=\"sz-cheapest\" data-point=\"{c}\"")));
        assert!(html.contains("cheapest meeting the target: snapstart=on, provisioned=none"), "{html}");
        assert!(html.contains("target: p99 ≤ 400 ms"));
        assert!(!html.contains("style="), "no style attributes (CSP)");
        assert!(!html.contains("NaN") && !html.contains("inf"));
    }

    /// The cheapest point's name goes on the side of its ring where it fits in the chart: a
    /// point a little right of the middle is named to its left (it was cut at the edge).
    #[test]
    fn the_cheapest_label_stays_in_the_chart() {
        let plan = plan_of(r#"{"axes":["memory=512,1024,2048,3008"],"seeds":1,"target":{"p99_ms":1500}}"#);
        let t = table_at(&plan, &[(1.09, 2851.0), (1.94, 1901.0), (3.69, 1491.0), (5.42, 1491.0)]);
        assert_eq!(t.cheapest, Some(2));
        let html = chart(&t, None, false);
        let label = element(&html, "text", "sz-cheapest-label");
        let x = number_attr(label, "x");
        let width = box_of(label)[2] - box_of(label)[0];
        assert!(label.contains("text-anchor=\"end\""), "{label}");
        assert!(x - width >= 0.0 && x <= WIDE[0], "x {x}, width {width}");
    }

    /// The cheapest point meeting the target is often just under the target's line: its label
    /// then goes below the ring rather than across the line, and the target's label goes where
    /// the two do not overlap (they did, each cutting the other).
    #[test]
    fn the_cheapest_and_target_labels_do_not_overlap() {
        let memory = plan_of(r#"{"axes":["memory=512,1024,2048,3008"],"seeds":1,"target":{"p99_ms":1500}}"#);
        let provisioned =
            plan_of(r#"{"axes":["provisioned=0,25,50,75,100"],"seeds":1,"target":{"p99_ms":1930}}"#);
        // (plan, each point's cost and p99, p99 intervals wider than the point: (point, lo, hi))
        for (plan, figures, intervals) in [
            (&memory, vec![(0.0604, 2480.0), (0.0805, 1371.0), (0.1201, 1371.0), (0.1703, 1371.0)], vec![]),
            (&memory, vec![(0.0604, 2480.0), (0.0805, 1100.0), (0.1201, 900.0), (0.1703, 880.0)], vec![]),
            (&memory, vec![(0.0604, 1490.0), (0.0805, 1300.0), (0.1201, 1200.0), (0.1703, 1100.0)], vec![]),
            // The pc-vs-cold-starts preset's sweep of provisioned=0..100:25 over two seeds: the
            // cheaper points just over the target, left of the cheapest one, and level with where
            // its label went above the ring (it covered their dots and labels); the wide
            // intervals at both ends stretch the p99 axis.
            (
                &provisioned,
                vec![(0.756, 1966.08), (0.939, 1949.7), (1.2368, 1916.9), (1.5686, 1916.9), (1.9417, 1900.5)],
                vec![(0, 1757.9, 2174.3), (4, 1692.4, 2108.7)],
            ),
        ] {
            let mut t = table_at(plan, &figures);
            for (i, lo, hi) in intervals {
                (t.points[i].latency_p99_ms.lo, t.points[i].latency_p99_ms.hi) = (lo, hi);
            }
            assert!(t.cheapest.is_some());
            let html = chart(&t, None, false);
            let line_y = number_attr(element(&html, "line", "sz-target-line"), "y1");
            let cheapest = box_of(element(&html, "text", "sz-cheapest-label"));
            let target = box_of(element(&html, "text", "sz-target-label"));
            assert!(!overlap(cheapest, target), "{figures:?}: {cheapest:?} {target:?}");
            assert!(!(cheapest[1]..=cheapest[3]).contains(&line_y), "{figures:?}: across the target's line");
            for b in [cheapest, target] {
                assert!(
                    b[0] >= 0.0 && b[2] <= WIDE[0] && b[1] >= 0.0 && b[3] <= WIDE[1],
                    "{figures:?}: {b:?}"
                );
            }
            // Neither covers another point: its dot or its label.
            let labels = html.split("<text class=\"sz-label\"").skip(1).map(box_of);
            let dots = html.split("<circle class=\"sz-dot\"").skip(1).map(|el| {
                let (x, y) = (number_attr(el, "cx"), number_attr(el, "cy"));
                [x - 5.5, y - 5.5, x + 5.5, y + 5.5]
            });
            let others: Vec<[f64; 4]> = labels.chain(dots).collect();
            assert_eq!(others.len(), 2 * figures.len() - 1, "every point's dot, the others' labels");
            let ring = number_attr(element(&html, "circle", "sz-ring"), "cx");
            for o in others {
                let own_dot = (o[0] + o[2]) / 2.0 == ring;
                assert!(own_dot || !overlap(cheapest, o), "{figures:?}: the label {cheapest:?} covers {o:?}");
                assert!(!overlap(target, o), "{figures:?}: the target's label {target:?} covers {o:?}");
            }
        }
    }

    /// The engine's notes (here: a memory sweep of a function without cpu_bound) are shown
    /// under the answer, before the chart, and a sweep without notes shows none.
    #[test]
    fn the_tables_notes_are_shown_with_the_answer() {
        assert!(!results(&table(), None).contains("sz-note\""));
        let plan = plan_of(r#"{"axes":["memory=128,256"],"seeds":1}"#);
        let rows: Vec<RunFigures> = plan.jobs().iter().map(|&j| plan.run(j).unwrap()).collect();
        let t = plan.table(&rows);
        assert_eq!(t.notes.len(), 1);
        let h = results(&t, None);
        let note =
            format!("<p class=\"sz-note\" role=\"note\" data-testid=\"sz-note\">{}</p>", esc(&t.notes[0]));
        assert!(h.contains(&note), "{h}");
        assert!(h.find(&note) < h.find("sz-chart"), "the note comes before the chart");
        assert!(h.contains("the durations of f do not depend on its memory here"));
    }

    #[test]
    fn the_table_has_the_cli_columns_and_exact_figures() {
        let t = table();
        let html = results(&t, None);
        assert!(html.contains("<th scope=\"col\">snapstart</th><th scope=\"col\">provisioned</th><th scope=\"col\">cost USD</th>"));
        assert_eq!(html.matches("<tr data-point=").count(), t.points.len());
        assert!(html.contains(&format!("data-cost=\"{}\"", t.points[0].cost_usd.mean)));
        assert!(html.contains("not possible: "));
        assert!(html.contains("cheapest meeting the target"));
        assert!(html.contains("data-testid=\"sz-impossible\""));
    }

    #[test]
    fn the_widget_shows_the_results_without_watch_buttons_and_the_picked_point() {
        let t = table();
        let v = WidgetView {
            dark: true,
            height: Some("500px"),
            title: "T",
            function: "f",
            sweep: "snapstart=off,on",
            runs: 12,
            status: &Status::Done,
            table: Some(&t),
            picked: Some(1),
        };
        let html = widget(&v);
        assert!(html.contains("data-theme=\"dark\"") && html.contains("data-css=\"height:500px\""));
        assert!(!html.contains("Watch") && !html.contains("style="), "{html}");
        assert!(html.contains("data-testid=\"sz-picked\" data-picked=\"1\""));
        assert_eq!(html.matches("<tr data-point=").count(), t.points.len());
        assert!(
            html.contains("class=\"sz-pt front picked")
                || html.contains("class=\"sz-pt picked")
                || html.contains(" picked\"")
        );
        let waiting = widget(&WidgetView { status: &Status::Idle, table: None, picked: None, ..v });
        assert!(waiting.contains("The sweep's 12 runs start when this figure is on screen."));
        assert!(widget_error("A", "b<", false).contains("<pre>b&lt;</pre>"));
    }

    #[test]
    fn ticks_are_round_and_cover_the_values() {
        let (t, a, b, d) = ticks(0.0123, 0.0871);
        assert!(a <= 0.0123 && b >= 0.0871);
        assert_eq!((t.len(), d), (6, 2));
        let (t, a, b, _) = ticks(250.0, 250.0);
        assert!(a < 250.0 && b > 250.0 && t.len() >= 2);
        let (t, ..) = ticks(0.0, 0.0);
        assert!(t.len() >= 2);
    }

    #[test]
    fn the_form_shows_each_problem_under_its_field() {
        let form = Form { axes: ["provisioned=0..100".into(), String::new()], ..Form::new("f") };
        let problems = form.sweep().unwrap_err();
        let html = panel(&View {
            functions: &["f".to_string()],
            form: &form,
            problems: &problems,
            size: &Err(String::new()),
            status: &Status::Idle,
            table: None,
        });
        assert!(html.contains("data-testid=\"sz-axis0-msg\">provisioned: a range needs a step"));
        assert!(html.contains("data-testid=\"sz-run\" disabled"));
    }
}
