//! Where a chart goes: [`layout`] places a [`ChartData`] in a box of given pixels ([`ChartBox`]):
//! the plot's rectangle, the value ticks and the time ticks with their labels, the series as
//! pixel paths cut at the plot's top, the limit lines with their labels, and the labels at the
//! line ends, spread apart so that none overlaps. Every painter (the app's, the widget's, the
//! share image and the CLI's `render`) paints a [`Layout`] and computes nothing of its own, so
//! the same chart in a box of the same size has the same ticks, labels and points everywhere.
//!
//! Text is measured by [`text_width`], a fixed estimate of a sans-serif font (slightly wide, like
//! the CLI's DejaVu Sans), never by a painter's font: the layout does not depend on the fonts a
//! browser or an SVG viewer has.

use super::{fmt_usd, ChartData, Hue, Line, LineStyle};
use crate::sim::narrative::fmt_count;

/// The app's text size, in CSS pixels.
pub const APP_FONT: f64 = 13.0;

/// A chart's box: the plot, its tick labels (left and below) and the labels at the line ends
/// (right).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartBox {
    /// In pixels (CSS pixels in the app).
    pub width: f64,
    pub height: f64,
    /// Text size in pixels; every margin and gap scales with it.
    pub font: f64,
}

impl ChartBox {
    /// A chart in the app or the widget: its canvas, `width` × `height` CSS pixels.
    pub fn canvas(width: f64, height: f64) -> ChartBox {
        ChartBox { width, height, font: APP_FONT }
    }
}

/// A chart as a standalone picture `width` × `height` pixels (the CLI's `render`, the share
/// image): the title, a subtitle and the unit in the header above the chart's box, the time
/// axis's title in the footer below it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Picture {
    pub width: f64,
    pub height: f64,
    /// Sizes scale with the height: 1 at 400 px, between 0.8 and 2.
    pub scale: f64,
    /// Where the chart's box starts (pixels from the top).
    pub header: f64,
    /// The chart's box, `header` pixels down.
    pub chart: ChartBox,
    /// Left edge of the title, subtitle and unit.
    pub margin: f64,
    /// Tops of the title and the subtitle; the unit's bottom.
    pub title_y: f64,
    pub subtitle_y: f64,
    pub unit_y: f64,
    pub title_font: f64,
    /// Bottom of the time axis's title.
    pub x_title_y: f64,
}

impl Picture {
    pub fn new(width: f64, height: f64) -> Picture {
        let s = (height / 400.0).clamp(0.8, 2.0);
        let px = |v: f64| (v * s).round();
        let (header, footer) = (px(76.0), px(26.0));
        Picture {
            width,
            height,
            scale: s,
            header,
            chart: ChartBox { width, height: (height - header - footer).max(0.0), font: APP_FONT * s },
            margin: px(16.0),
            title_y: px(12.0),
            subtitle_y: px(36.0),
            unit_y: header,
            title_font: px(17.0),
            x_title_y: height - px(6.0),
        }
    }
}

/// A tick and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Its value (seconds on the time axis).
    pub value: f64,
    /// Its pixel: y on the value axis, x on the time axis.
    pub at: f64,
    pub label: String,
    /// Where its label goes: right-aligned and vertically centred there (value ticks), centred
    /// with its top there (time ticks).
    pub text_at: (f64, f64),
}

/// A series in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub hue: Hue,
    pub style: LineStyle,
    /// Areas: the polygon to fill (down to 0); empty for lines.
    pub fill: Vec<(f64, f64)>,
    /// The line (an area's top edge), in parts where it leaves the plot at the top.
    pub parts: Vec<Vec<(f64, f64)>>,
}

/// A limit's dashed line across the plot and its label, right-aligned at the plot's right end,
/// over the line (or under it at the plot's top), nudged apart from its neighbours.
#[derive(Debug, Clone, PartialEq)]
pub struct LimitMark {
    pub y: f64,
    pub hue: Hue,
    /// The limit's id (a narrative entry highlights it).
    pub id: &'static str,
    pub label: String,
    pub text_at: (f64, f64),
    /// The label hangs under `text_at` (its top there); else it stands on it (its bottom).
    pub below: bool,
}

/// A label at a line's end, in the right margin: left-aligned and vertically centred at
/// `text_at`; `anchor` is the end it names. `leader` joins the label to its end's height at the
/// plot's right edge when it had to move away from it (within the margin: a line across the
/// plot would read as data).
#[derive(Debug, Clone, PartialEq)]
pub struct EndLabel {
    pub text: String,
    pub hue: Hue,
    pub text_at: (f64, f64),
    pub anchor: (f64, f64),
    pub leader: Option<[(f64, f64); 2]>,
    /// Written over the data (a label inside a plot whose lines leave no clear place for it):
    /// painted on a plate of the chart's background, [`EndLabel::plate`], so that it stays
    /// legible.
    pub plate: bool,
}

impl EndLabel {
    /// The plate under a label written over the data: `(x, y, width, height)`, a little wider
    /// and taller than its text.
    pub fn plate(&self, font: f64) -> (f64, f64, f64, f64) {
        let s = font / APP_FONT;
        let w = text_width(&self.text, font) + 6.0 * s;
        (self.text_at.0 - 3.0 * s, self.text_at.1 - 8.0 * s, w, 16.0 * s)
    }
}

/// A chart's margins: the plot's left edge and the room right of it, in pixels. Charts stacked
/// in a panel are laid out with the [`Margins::widest`] of theirs, so that they share one time
/// axis (the same x for the same moment).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Margins {
    pub left: f64,
    pub right: f64,
}

impl Margins {
    /// Room for both.
    pub fn widest(self, o: Margins) -> Margins {
        Margins { left: self.left.max(o.left), right: self.right.max(o.right) }
    }
}

/// Everything a painter paints of one chart (its title and unit aside), in pixels of its
/// [`ChartBox`].
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The plot's rectangle.
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// The axes' ends: seconds at the left and right edges, the value at the top.
    pub x_min: f64,
    pub x_max: f64,
    pub y_max: f64,
    pub font: f64,
    /// Value ticks from 0 up (grid lines across the plot).
    pub y_ticks: Vec<Tick>,
    /// Time ticks from 0.
    pub x_ticks: Vec<Tick>,
    /// What the time labels are, e.g. "time (sim, mm:ss)" (the pictures say it under the axis).
    pub x_title: &'static str,
    /// The areas (top layer first), then the lines, as in the [`ChartData`].
    pub paths: Vec<Path>,
    /// The limits in view, lowest first.
    pub limits: Vec<LimitMark>,
    /// Labels at the line ends, top first; empty when the box is too narrow for them.
    pub labels: Vec<EndLabel>,
    /// Said in the middle of the plot when there is nothing to draw.
    pub note: Option<String>,
    /// The current time's x.
    pub now: f64,
}

impl Layout {
    /// The x of a time in seconds.
    pub fn x_of(&self, t: f64) -> f64 {
        self.left + (t - self.x_min) / (self.x_max - self.x_min) * (self.right - self.left)
    }
    /// The y of a value.
    pub fn y_of(&self, v: f64) -> f64 {
        self.bottom - v / self.y_max * (self.bottom - self.top)
    }
}

/// The width of `text` at `font` pixels: an estimate per character of a sans-serif font.
pub fn text_width(text: &str, font: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' | ' ' | '(' | ')' | '[' | ']' => 0.32,
            'f' | 't' | 'r' | 'I' | '-' | '/' => 0.42,
            'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.92,
            'A'..='Z' | '↑' | '…' | '$' => 0.72,
            _ => 0.62,
        })
        .sum();
    em * font
}

/// At most `max` characters of `label`, cut with "…".
fn short(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

/// `v` with `decimals` decimals (the one number formatting call of the layout, for the wasm's
/// size).
fn fixed(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}")
}

/// A value at a line's end, in few characters: 1,500 → 1.5k; dollars with cents; a percentage.
pub fn value_text(v: f64, unit: &str) -> String {
    if unit == "USD" {
        return fmt_usd(v);
    }
    let a = v.abs();
    let (v, decimals, suffix) = if a >= 1e6 {
        (v / 1e6, 1, "M")
    } else if a >= 1e4 {
        (v / 1e3, 0, "k")
    } else if a >= 1e3 {
        (v / 1e3, 1, "k")
    } else if a >= 10.0 || v == 0.0 {
        (v, 0, "")
    } else if a >= 0.1 {
        (v, 2, "")
    } else {
        (v, 3, "")
    };
    let mut s = fixed(v, decimals);
    s.push_str(suffix);
    if unit.starts_with('%') {
        s.push('%');
    } else if unit == "ms" {
        s.push_str(" ms");
    }
    s
}

/// Decimals that show every multiple of `step` exactly.
fn decimals(step: f64) -> usize {
    (0..9)
        .find(|&d| {
            let m = step * 10f64.powi(d);
            (m - m.round()).abs() < 1e-6 * m.max(1.0)
        })
        .unwrap_or(9) as usize
}

/// Round value ticks from 0 to `top`, at most `most` intervals: the step (1, 2, 2.5 or 5 ×
/// 10^k).
pub fn value_step(top: f64, most: f64) -> f64 {
    let top = if top > 0.0 && top.is_finite() { top } else { 1.0 };
    let mag = 10f64.powf((top / most).log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| top / s <= most + 1e-9).unwrap_or(top)
}

/// A value tick's label: thousands separators, "k" and "M" on large axes, as many decimals as
/// the step needs.
pub fn tick_label(v: f64, step: f64, top: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let (div, suffix) = if top >= 1e6 && step >= 1e5 {
        (1e6, "M")
    } else if top >= 1e4 && step >= 1e3 {
        (1e3, "k")
    } else {
        (1.0, "")
    };
    let (v, step) = (v / div, step / div);
    let d = decimals(step);
    let mut s = if d == 0 { fmt_count(v.round().max(0.0) as u64) } else { fixed(v, d) };
    s.push_str(suffix);
    s
}

/// Round tick intervals (seconds) for a time axis.
const TIME_STEPS: [f64; 21] = [
    1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0,
    21600.0, 43200.0, 86400.0, 172_800.0, 432_000.0, 864_000.0,
];

/// A round tick interval (seconds) giving at most `most` intervals from 0 to `x_max`.
pub fn time_step(x_max: f64, most: f64) -> f64 {
    TIME_STEPS.iter().copied().find(|s| x_max / s <= most + 1e-9).unwrap_or(x_max / most)
}

/// Simulated time as mm:ss, or h:mm:ss on runs of an hour or more, or days and hh:mm on runs of
/// two days or more (`x_max`: the axis's end).
pub fn fmt_time(t: f64, x_max: f64) -> String {
    let s = t.round().max(0.0) as u64;
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    let mut out = String::with_capacity(10);
    // Two digits, zero first.
    let two = |out: &mut String, n: u64| {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    if x_max >= 2.0 * 86_400.0 {
        out.push_str(&fmt_count(d));
        out.push('d');
        if (h, m, sec) != (0, 0, 0) {
            out.push(' ');
            two(&mut out, h);
            out.push(':');
            two(&mut out, m);
        }
        return out;
    }
    if x_max >= 3600.0 {
        out.push_str(&fmt_count(s / 3600));
        out.push(':');
        two(&mut out, m);
    } else if s / 60 >= 100 {
        out.push_str(&fmt_count(s / 60));
    } else {
        two(&mut out, s / 60);
    }
    out.push(':');
    two(&mut out, sec);
    out
}

/// What [`fmt_time`]'s labels are.
fn time_title(x_max: f64) -> &'static str {
    if x_max >= 2.0 * 86_400.0 {
        "time (sim, days hh:mm)"
    } else if x_max >= 3600.0 {
        "time (sim, h:mm:ss)"
    } else {
        "time (sim, mm:ss)"
    }
}

/// The parts of a polyline at or below `top`, cut where it crosses.
pub fn clip_at(points: &[(f64, f64)], top: f64) -> Vec<Vec<(f64, f64)>> {
    let mut parts = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    let cross = |a: (f64, f64), b: (f64, f64)| (a.0 + (b.0 - a.0) * (top - a.1) / (b.1 - a.1), top);
    for (i, &b) in points.iter().enumerate() {
        let inside = b.1 <= top;
        match (i.checked_sub(1).map(|j| points[j]), inside) {
            (None, true) => cur.push(b),
            (None, false) => {}
            (Some(a), true) => {
                if a.1 > top {
                    cur.push(cross(a, b));
                }
                cur.push(b);
            }
            (Some(a), false) => {
                if a.1 <= top {
                    cur.push(cross(a, b));
                    parts.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

/// Positions as near `want` (sorted) as possible, at least `gap` apart, within `lo..=hi` where
/// they fit (pushed down past the one above, then back up from the bottom).
pub fn spread(want: &mut [f64], gap: f64, lo: f64, hi: f64) {
    spread_by(want, &|_| gap, lo, hi)
}

/// [`spread`] with the least distance between positions `i - 1` and `i` given by `gap(i)`.
fn spread_by(want: &mut [f64], gap: &dyn Fn(usize) -> f64, lo: f64, hi: f64) {
    for y in want.iter_mut() {
        *y = y.min(hi).max(lo);
    }
    for i in 1..want.len() {
        want[i] = want[i].max(want[i - 1] + gap(i));
    }
    if let Some(&last) = want.last() {
        if last > hi {
            let n = want.len();
            want[n - 1] = hi;
            for i in (0..n - 1).rev() {
                want[i] = want[i].min(want[i + 1] - gap(i + 1));
            }
        }
    }
}

/// `label` in at most `room` pixels: cut with "…" as far as needed.
fn fit(label: &str, font: f64, room: f64) -> String {
    let n = label.chars().count();
    for k in (2..=n.min(24)).rev() {
        let t = short(label, k);
        if text_width(&t, font) <= room {
            return t;
        }
    }
    short(label, 2)
}

/// A label at a line's end: its text, and its value on a second line when the two do not fit
/// on one; `inside`: a limit far above the plot, named inside it at its top right.
struct End {
    v: f64,
    t: f64,
    hue: Hue,
    text: String,
    value: Option<String>,
    inside: bool,
}

/// What [`margins`] and [`layout_with`] both work out from a chart and its box.
struct Plan {
    x_min: f64,
    x_max: f64,
    y_max: f64,
    top: f64,
    bottom: f64,
    step: f64,
    y_labels: Vec<String>,
    ends: Vec<End>,
    time_w: f64,
    with_labels: bool,
    margins: Margins,
}

fn plan(d: &ChartData, area: &ChartBox) -> Plan {
    let (w, h, font) = (area.width, area.height, area.font);
    let s = font / APP_FONT;
    let px = |v: f64| v * s;
    let x_min = d.x_min.max(0.0);
    let x_max = d.x_max.max(x_min + 1.0);
    let y_max = if d.y_max > 0.0 && d.y_max.is_finite() { d.y_max } else { 1.0 };
    let (top, bottom) = (px(10.0).round(), (h - px(26.0)).round());

    // Value ticks: as many as fit two text lines apart, at most 6 intervals.
    let most_y = ((bottom - top) / (2.2 * font)).floor().clamp(2.0, 6.0);
    let step = value_step(y_max, most_y);
    let n_y = ((y_max / step + 1e-9).floor() as usize).min(50);
    let y_labels: Vec<String> = (0..=n_y).map(|k| tick_label(k as f64 * step, step, y_max)).collect();
    // Room for the widest value label at any height (2 to 6 intervals), so that charts of
    // different heights in one panel need the same left margin.
    let mut widest_tick: f64 = 0.0;
    for most in 2..=6 {
        let step = value_step(y_max, most as f64);
        let n = ((y_max / step + 1e-9).floor() as usize).min(50);
        for k in 1..=n {
            widest_tick = widest_tick.max(text_width(&tick_label(k as f64 * step, step, y_max), font));
        }
    }
    let left = (px(4.0) + (widest_tick + px(12.0)).max(px(46.0))).round();

    // The labels at the line ends, at most a quarter of the box wide: "name value" on one line
    // where it fits, else the name (cut to fit) over the value. A narrow chart (380 px or less)
    // has no room beside its plot: its labels go inside the plot, at its top right, one line
    // each, like a limit far above the data.
    let time_sample = if x_max >= 2.0 * 86_400.0 { "00d 00:00".into() } else { fmt_time(x_max, x_max) };
    let time_w = text_width(&time_sample, font) + px(14.0);
    let narrow = w <= px(380.0);
    let plot_w = w - left - (time_w / 2.0).max(px(8.0)).round();
    let room = if narrow { plot_w - px(8.0) } else { 0.25 * w - px(14.0) };
    let series: Vec<&Line> = d.areas.iter().chain(&d.lines).collect();
    let mut ends: Vec<End> = Vec::new();
    for l in &series {
        if let Some(&(t, v)) = l.points.last() {
            let own = l.own.as_ref().and_then(|o| o.last().copied()).unwrap_or(v);
            let mut value = value_text(own, &d.unit);
            if v > y_max {
                value.push_str(" ↑");
            }
            let mut one = short(&l.label, 24);
            one.push(' ');
            one.push_str(&value);
            let (text, value) = if text_width(&one, font) <= room {
                (one, None)
            } else if narrow {
                (fit(&one, font, room), None)
            } else {
                (fit(&l.label, font, room), Some(value))
            };
            ends.push(End { v, t, hue: l.hue, text, value, inside: narrow });
        }
    }
    for lim in d.limits.iter().filter(|l| l.value > y_max) {
        // A limit far above the data: named inside the plot, at its top right.
        let text = fit(&lim.label, font, if narrow { room - px(12.0) } else { 0.6 * w }) + " ↑";
        ends.push(End { v: lim.value, t: x_max, hue: lim.hue, text, value: None, inside: true });
    }
    let with_labels = !ends.is_empty();
    let mut widest_end: f64 = 0.0;
    for e in ends.iter().filter(|e| !e.inside) {
        widest_end = widest_end.max(text_width(&e.text, font));
        if let Some(value) = &e.value {
            widest_end = widest_end.max(text_width(value, font));
        }
    }
    let right = if ends.iter().any(|e| !e.inside) { (widest_end + px(14.0)).max(px(20.0)) } else { px(8.0) };
    let margins = Margins { left, right: right.max(time_w / 2.0).round() };
    Plan { x_min, x_max, y_max, top, bottom, step, y_labels, ends, time_w, with_labels, margins }
}

/// The margins `d` needs in `area`: room for its value labels on the left, for the labels at its
/// line ends (at most a quarter of the box) and half its last time label on the right.
pub fn margins(d: &ChartData, area: &ChartBox) -> Margins {
    plan(d, area).margins
}

/// Lays `d` out in `area` with its own [`margins`].
pub fn layout(d: &ChartData, area: &ChartBox) -> Layout {
    layout_with(d, area, Margins::default())
}

/// Lays `d` out in `area` with margins at least `m` (its own where they are wider:
/// [`Margins::widest`]).
pub fn layout_with(d: &ChartData, area: &ChartBox, m: Margins) -> Layout {
    let font = area.font;
    let s = font / APP_FONT;
    let px = |v: f64| v * s;
    let Plan { x_min, x_max, y_max, top, bottom, step, y_labels, ends, time_w, with_labels, margins } =
        plan(d, area);
    let m = m.widest(margins);
    let (left, right) = (m.left, (area.width - m.right).round());

    let mut l = Layout {
        left,
        right,
        top,
        bottom,
        x_min,
        x_max,
        y_max,
        font,
        y_ticks: Vec::with_capacity(y_labels.len()),
        x_ticks: Vec::new(),
        x_title: time_title(x_max),
        paths: Vec::new(),
        limits: Vec::new(),
        labels: Vec::new(),
        note: d.note.clone(),
        now: 0.0,
    };
    l.now = l.x_of(d.now);
    if right <= left || bottom <= top {
        return l;
    }
    for (k, label) in y_labels.into_iter().enumerate() {
        let value = k as f64 * step;
        let at = l.y_of(value);
        l.y_ticks.push(Tick { value, at, label, text_at: (left - px(6.0), at) });
    }
    // Time ticks: as many as fit side by side, at most 7 intervals, at round times.
    let most_x = ((right - left) / time_w).floor().clamp(1.0, 7.0);
    let t_step = time_step(x_max - x_min, most_x);
    let first = (x_min / t_step - 1e-9).ceil() as usize;
    for k in first..=((x_max / t_step + 1e-9).floor() as usize).min(first + 100) {
        let value = k as f64 * t_step;
        let at = l.x_of(value);
        l.x_ticks.push(Tick { value, at, label: fmt_time(value, x_max), text_at: (at, bottom + px(6.0)) });
    }

    // The series in pixels, cut at the top.
    let series: Vec<&Line> = d.areas.iter().chain(&d.lines).collect();
    let to_px = |p: &(f64, f64)| (l.x_of(p.0), l.y_of(p.1));
    let mut paths = Vec::with_capacity(series.len());
    for line in &series {
        let mut fill = Vec::new();
        if line.style == LineStyle::Area {
            // Down to 0, held at the top (an area is under the top: its chart's top is above it).
            if let (Some(first), Some(last)) = (line.points.first(), line.points.last()) {
                fill.extend(line.points.iter().map(|p| to_px(&(p.0, p.1.min(y_max)))));
                fill.push(to_px(&(last.0, 0.0)));
                fill.push(to_px(&(first.0, 0.0)));
            }
        }
        let parts = clip_at(&line.points, y_max).iter().map(|p| p.iter().map(to_px).collect()).collect();
        paths.push(Path { hue: line.hue, style: line.style, fill, parts });
    }
    l.paths = paths;

    // Limits in view, lowest first, their labels nudged apart upwards.
    let mut limits: Vec<_> = d.limits.iter().filter(|x| x.value <= y_max).collect();
    crate::size::order::sort_by(&mut limits, |a, b| a.value.total_cmp(&b.value));
    let mut last = f64::MAX;
    for lim in limits {
        let y = l.y_of(lim.value);
        let ly = (y - px(3.0)).min(last - px(15.0));
        last = ly;
        // One at the plot's top is labelled under its line.
        let below = ly - px(13.0) < top;
        let ly = if below { ly + px(6.0) } else { ly };
        l.limits.push(LimitMark {
            y,
            hue: lim.hue,
            id: lim.id,
            label: lim.label.clone(),
            text_at: (right - px(4.0), ly),
            below,
        });
    }

    // Labels at the line ends, in the right margin, spread apart (a label of two lines takes
    // two lines' room); limits far above, inside the plot at its top right.
    if with_labels {
        let line = px(16.0);
        let (mut out, inside): (Vec<End>, Vec<End>) = ends.into_iter().partition(|e| !e.inside);
        let anchor = |e: &End| (l.x_of(e.t.min(x_max)), l.y_of(e.v.min(y_max)));
        crate::size::order::sort_by(&mut out, |a, b| anchor(a).1.total_cmp(&anchor(b).1));
        let mut ys: Vec<f64> = out.iter().map(|e| anchor(e).1).collect();
        let lines = |i: usize| if out[i].value.is_some() { 2.0 } else { 1.0 };
        spread_by(&mut ys, &|i| line * (lines(i - 1) + lines(i)) / 2.0, top + px(7.0), bottom);
        let mut labels = Vec::with_capacity(out.len() * 2 + inside.len());
        for (e, y) in out.into_iter().zip(ys) {
            let a = anchor(&e);
            let leader = ((y - a.1).abs() > 2.0).then(|| [(right + 1.0, a.1), (right + px(4.0), y)]);
            let x = right + px(6.0);
            let half = if e.value.is_some() { line / 2.0 } else { 0.0 };
            labels.push(EndLabel {
                text: e.text,
                hue: e.hue,
                text_at: (x, y - half),
                anchor: a,
                leader,
                plate: false,
            });
            if let Some(value) = e.value {
                labels.push(EndLabel {
                    text: value,
                    hue: e.hue,
                    text_at: (x, y + half),
                    anchor: a,
                    leader: None,
                    plate: false,
                });
            }
        }
        // Each from the plot's top down, at its right (else its left) where it is clear of the
        // limits' own labels (a limit's label stands on its line, or hangs under it), of the
        // labels placed before it and of the data's lines; where no such place is, the first
        // one clear of the labels, over the data. As many as the plot has room for (a narrow
        // chart of many lines names the first).
        let half = px(6.5);
        let mut taken: Vec<(f64, f64)> = l
            .limits
            .iter()
            .map(|m| {
                if m.below {
                    (m.text_at.1, m.text_at.1 + 2.0 * half)
                } else {
                    (m.text_at.1 - 2.0 * half, m.text_at.1)
                }
            })
            .collect();
        let rows = (top + px(9.0), bottom - line / 2.0, px(2.0));
        for e in inside {
            let w = text_width(&e.text, font);
            // At the right, at the left, then every 16 px from right to left.
            let (x_right, x_left) = ((right - px(4.0) - w).max(left + px(4.0)), left + px(4.0));
            let steps = ((x_right - x_left) / px(16.0)).floor().max(0.0) as usize;
            let spot = [x_right, x_left]
                .into_iter()
                .chain((1..steps).map(|k| x_right - k as f64 * px(16.0)))
                .find_map(|x| {
                    first_clear(rows, line / 2.0, &taken, half, &crossings(&l.paths, x, x + w))
                        .map(|y| (x, y))
                })
                .map(|at| (at, false))
                .or_else(|| first_clear(rows, line / 2.0, &taken, half, &[]).map(|y| ((x_right, y), true)));
            let Some((at, plate)) = spot else { break };
            taken.push((at.1 - line / 2.0, at.1 + line / 2.0));
            labels.push(EndLabel { text: e.text, hue: e.hue, text_at: at, anchor: at, leader: None, plate });
        }
        l.labels = labels;
    }
    l
}

/// The first of the rows `(from, to, step)` where a label `room` high either side is clear of
/// the `taken` spans and, `half` high either side, of the `data` spans.
fn first_clear(
    rows: (f64, f64, f64),
    room: f64,
    taken: &[(f64, f64)],
    half: f64,
    data: &[(f64, f64)],
) -> Option<f64> {
    let (mut y, last, step) = rows;
    while y <= last {
        let clear = |spans: &[(f64, f64)], h: f64| spans.iter().all(|&(a, b)| y + h <= a || y - h >= b);
        if clear(taken, room) && clear(data, half) {
            return Some(y);
        }
        y += step;
    }
    None
}

/// The heights the lines of `paths` cross between `x0` and `x1`: one span per segment there,
/// from its lowest to its highest pixel in that stretch.
fn crossings(paths: &[Path], x0: f64, x1: f64) -> Vec<(f64, f64)> {
    let mut spans = Vec::new();
    for part in paths.iter().flat_map(|p| &p.parts) {
        // A line's points go left to right: from the last one at or before `x0`.
        let from = part.partition_point(|p| p.0 <= x0).saturating_sub(1);
        for seg in part[from..].windows(2) {
            if seg[0].0 > x1 {
                break;
            }
            let ((ax, ay), (bx, by)) = (seg[0], seg[1]);
            let (lo, hi) = (ax.min(bx).max(x0), ax.max(bx).min(x1));
            if lo > hi {
                continue;
            }
            // A vertical segment spans its own height; another, its height over [lo, hi].
            let y_at = |x: f64| ay + (by - ay) * (x - ax) / (bx - ax);
            let (y0, y1) = if bx == ax { (ay, by) } else { (y_at(lo), y_at(hi)) };
            spans.push((y0.min(y1), y0.max(y1)));
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_mm_ss_or_h_mm_ss_or_days() {
        assert_eq!(fmt_time(75.0, 360.0), "01:15");
        assert_eq!(fmt_time(3725.0, 7200.0), "1:02:05");
        assert_eq!(fmt_time(0.0, 7200.0), "0:00:00");
        assert_eq!(fmt_time(90_000.0, 1_000_000.0), "1d 01:00");
        assert_eq!(fmt_time(172_800.0, 1_000_000.0), "2d");
        assert_eq!(fmt_time(6000.0, 3000.0), "100:00");
        assert_eq!(fmt_time(36_000.0, 86_400.0), "10:00:00");
        assert_eq!(time_step(360.0, 7.0), 60.0);
        assert_eq!(time_step(120.0, 7.0), 30.0);
        assert_eq!(time_step(120.0, 8.0), 15.0);
        assert_eq!(time_step(86_400.0, 7.0), 21_600.0);
        assert_eq!(time_step(1_000_000.0, 7.0), 172_800.0);
    }

    #[test]
    fn value_ticks_are_round_and_readable() {
        assert_eq!(value_step(6000.0, 6.0), 1000.0);
        assert_eq!(value_step(6000.0, 5.0), 2000.0);
        assert_eq!(value_step(1.5, 6.0), 0.25);
        assert_eq!(value_step(1.0, 6.0), 0.2);
        assert_eq!(tick_label(5000.0, 1000.0, 6000.0), "5,000");
        assert_eq!(tick_label(20_000.0, 5000.0, 25_000.0), "20k");
        assert_eq!(tick_label(7500.0, 2500.0, 12_000.0), "7.5k");
        assert_eq!(tick_label(2_500_000.0, 500_000.0, 3e6), "2.5M");
        assert_eq!(tick_label(0.0075, 0.0025, 0.015), "0.0075");
        assert_eq!(tick_label(0.5, 0.25, 1.5), "0.50");
        assert_eq!(tick_label(0.0, 0.5, 1.0), "0");
        assert_eq!(value_text(1500.0, "events"), "1.5k");
        assert_eq!(value_text(3.901, "USD"), "$3.90");
        assert_eq!(value_text(0.001234, "USD"), "$0.00123");
        assert_eq!(value_text(1234.0, "ms"), "1.2k ms");
        assert_eq!(value_text(85.0, "% of allocated"), "85%");
    }

    #[test]
    fn lines_are_cut_at_the_top() {
        let parts = clip_at(&[(0.0, 0.0), (1.0, 20.0), (2.0, 20.0), (3.0, 0.0), (4.0, 5.0)], 10.0);
        assert_eq!(parts, [vec![(0.0, 0.0), (0.5, 10.0)], vec![(2.5, 10.0), (3.0, 0.0), (4.0, 5.0)]]);
        assert!(clip_at(&[(0.0, 11.0), (1.0, 12.0)], 10.0).is_empty());
    }

    #[test]
    fn labels_spread_without_overlap() {
        let mut y = [100.0, 101.0, 102.0, 300.0];
        spread(&mut y, 15.0, 10.0, 310.0);
        assert_eq!(y, [100.0, 115.0, 130.0, 300.0]);
        let mut y = [300.0, 305.0, 309.0];
        spread(&mut y, 15.0, 10.0, 310.0);
        assert_eq!(y, [280.0, 295.0, 310.0]);
        let mut y = [0.0, 400.0];
        spread(&mut y, 15.0, 10.0, 310.0);
        assert_eq!(y, [10.0, 310.0]);
    }

    #[test]
    fn text_is_measured_by_its_characters() {
        assert!(text_width("account limit 1,000", 13.0) > text_width("1,000", 13.0));
        assert_eq!(text_width("", 13.0), 0.0);
        assert!((text_width("0", 26.0) - 2.0 * text_width("0", 13.0)).abs() < 1e-12);
        assert_eq!(short("abcdef", 4), "abc…");
        assert_eq!(short("abc", 4), "abc");
    }
}
