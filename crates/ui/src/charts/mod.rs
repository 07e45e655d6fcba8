//! Charts painted on a canvas: with plotters in the app (`lambdascape::charts::time_series`), and
//! straight on the canvas's 2D context in the widget ([`canvas`]: plotters would be a twelfth of
//! the widget's download). Both paint the engine's [`Layout`] of a [`ChartData`] for their
//! canvas's size ([`layout`]: the same ticks, labels, label places and points as the CLI's
//! `render` and the share image) and return where the plot area landed ([`Mapping`]), for the
//! cursor and the hover readout. The app chooses what to draw; these only paint.

pub mod canvas;

use lambdascape_engine::chart::axis::{self, ChartBox, Layout, Margins};
use lambdascape_engine::chart::ChartData;

/// Where a chart's plot area is, in CSS pixels of its canvas, and the x range it maps.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Mapping {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// Seconds at the left and right edges.
    pub x_min: f64,
    pub x_max: f64,
}

impl Mapping {
    /// The plot area of a layout.
    pub fn of(l: &Layout) -> Mapping {
        Mapping { left: l.left, right: l.right, top: l.top, bottom: l.bottom, x_min: l.x_min, x_max: l.x_max }
    }
    /// Whether time `t` (seconds) is in view.
    pub fn shows(&self, t: f64) -> bool {
        self.right > self.left && t >= self.x_min && t <= self.x_max
    }
    /// Pixel x of a time in seconds (held inside the plot).
    pub fn x_of(&self, t: f64) -> f64 {
        let span = (self.x_max - self.x_min).max(1e-9);
        self.left + ((t - self.x_min) / span).clamp(0.0, 1.0) * (self.right - self.left)
    }
    /// Time in seconds at pixel x, if inside the plot area.
    pub fn t_at(&self, x: f64) -> Option<f64> {
        (x >= self.left && x <= self.right && self.right > self.left)
            .then(|| self.x_min + (x - self.left) / (self.right - self.left) * (self.x_max - self.x_min))
    }
    /// The plot's edges as the `data-plot` attribute gives them: "left right top bottom".
    pub fn attr(&self) -> String {
        format!("{:.1} {:.1} {:.1} {:.1}", self.left, self.right, self.top, self.bottom)
    }
}

/// What the app's and the widget's painters paint of `data` on a canvas `w` × `h` CSS pixels:
/// laid out with the widest margins of `data` and its `peers` at that size, so that the charts of
/// one panel (each as wide as the others) share one time axis in pixels.
pub fn layout(data: &ChartData, peers: &[ChartData], w: f64, h: f64) -> Layout {
    let area = ChartBox::canvas(w, h);
    // Its own margins are `layout_with`'s floor: only the others are measured here.
    let m = peers
        .iter()
        .filter(|d| !std::ptr::eq(*d, data))
        .map(|d| axis::margins(d, &area))
        .fold(Margins::default(), Margins::widest);
    axis::layout_with(data, &area, m)
}
