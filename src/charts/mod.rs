//! Charts drawn on a canvas: with plotters in the app (`time_series`), and straight on the
//! canvas's 2D context in the widget (`canvas`: plotters would be a twelfth of the widget's
//! download). Both draw prepared [`ChartData`] (from the engine's `view` module) with the same
//! ticks, labels and margins (the helpers below) and return where the plot area landed, for
//! the cursor and the hover readout. The app chooses what to draw; these only draw.

// Drawn by the widget only (src/embed); the app draws with `time_series`.
#[allow(dead_code)]
pub mod canvas;
pub mod time_series;

use lambdascape_engine::view::{ChartData, Hue};

/// Where a chart's plot area is, in CSS pixels of its canvas, and the x range it maps.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Mapping {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// Seconds at the right edge (the left edge is 0).
    pub x_max: f64,
}

impl Mapping {
    /// Pixel x of a time in seconds.
    pub fn x_of(&self, t: f64) -> f64 {
        self.left + (t / self.x_max.max(1e-9)).clamp(0.0, 1.0) * (self.right - self.left)
    }
    /// Time in seconds at pixel x, if inside the plot area.
    pub fn t_at(&self, x: f64) -> Option<f64> {
        (x >= self.left && x <= self.right && self.right > self.left)
            .then(|| (x - self.left) / (self.right - self.left) * self.x_max)
    }
}

pub fn mmss(s: f64) -> String {
    let s = s.max(0.0).round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

/// A tick step in seconds on clock-friendly values, giving at most `max_ticks` intervals (at
/// most 7) over `span`.
pub fn time_step(span: f64, max_ticks: f64) -> f64 {
    const STEPS: [f64; 16] = [
        1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 21600.0,
        86400.0,
    ];
    let most = max_ticks.clamp(1.0, 7.0);
    STEPS.iter().copied().find(|s| span / s <= most).unwrap_or(span / most)
}

/// Compact y labels: 1,500 → 1.5k.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 1e3 {
        format!("{:.1}k", v / 1e3)
    } else if a >= 10.0 || v == 0.0 {
        format!("{v:.0}")
    } else if a >= 0.1 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// Axis labels: compact for large values, otherwise with as many decimals as the tick spacing
/// (about a fifth of `top`) needs, so small ranges (a cost in cents) read 0.0005, 0.0010.
pub fn axis_label(v: f64, top: f64) -> String {
    if top >= 1e3 || v == 0.0 {
        return compact(v);
    }
    let step = (top / 5.0).max(1e-12);
    let decimals = (-step.log10()).ceil().clamp(0.0, 6.0) as usize;
    format!("{v:.decimals$}")
}

/// The right margin (CSS px) for a chart `w` CSS px wide: room for the direct labels at the
/// line ends (sized to the longest) when it is wide enough, and for half the last time label;
/// and that label's width.
pub fn right_margin(data: &ChartData, w: f64) -> (f64, f64) {
    let longest =
        data.areas.iter().chain(&data.lines).map(|l| l.label.chars().count().min(24) + 6).max().unwrap_or(0)
            as f64;
    // A time label's width: the last one is centred on the plot's right edge.
    let label_w = mmss(data.x_max.max(1.0)).chars().count() as f64 * 7.5 + 14.0;
    let labels = if w > 380.0 && longest > 0.0 { longest * 7.6 + 12.0 } else { 8.0 };
    (labels.max(label_w / 2.0), label_w)
}

/// The direct labels at the line ends: (y, text, hue), in order from the top, nudged at least
/// `gap` apart and kept between `top` and `bottom`; `y_of` maps a value to a y. A line above
/// the plot (a ceiling far over the traffic) is labelled at its top edge, with an arrow.
pub fn direct_labels(
    data: &ChartData,
    y_of: impl Fn(f64) -> f64,
    top: f64,
    bottom: f64,
    gap: f64,
) -> Vec<(f64, String, Hue)> {
    let mut labels: Vec<(f64, String, Hue)> = Vec::new();
    let areas = data.areas.iter().map(|a| (a, a.own.as_ref().and_then(|o| o.last().copied())));
    for (l, own) in areas.chain(data.lines.iter().map(|l| (l, None))) {
        if let Some(&(_, y)) = l.points.last() {
            let up = if y > data.y_max { " ↑" } else { "" };
            let text = format!("{} {}{up}", l.label, compact(own.unwrap_or(y)));
            labels.push((y_of(y.min(data.y_max)).max(top), text.chars().take(24).collect(), l.hue));
        }
    }
    lambdascape_engine::order::sort_by(&mut labels, |a, b| a.0.total_cmp(&b.0));
    for i in 1..labels.len() {
        if labels[i].0 - labels[i - 1].0 < gap {
            labels[i].0 = labels[i - 1].0 + gap;
        }
    }
    // Pushed below the plot: shift the stack back up.
    let over = labels.last().map_or(0.0, |l| l.0 - bottom);
    if over > 0.0 {
        for l in labels.iter_mut() {
            l.0 -= over;
        }
    }
    labels
}
