//! Charts painted on a canvas: with plotters in the app (`lambdascape::charts::time_series`), and
//! straight on the canvas's 2D context in the widget ([`canvas`]: plotters would be a twelfth of
//! the widget's download). Both paint the engine's [`Layout`] of a [`ChartData`] for their
//! canvas's size ([`layout`]: the same ticks, labels, label places and points as the CLI's
//! `render` and the share image) and return where the plot area landed ([`Mapping`]), for the
//! cursor and the hover readout. The app chooses what to draw; these only paint.

pub mod canvas;

use lambdascape_engine::chart::axis::{self, ChartBox, Layout};
use lambdascape_engine::chart::ChartData;

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
    /// The plot area of a layout.
    pub fn of(l: &Layout) -> Mapping {
        Mapping { left: l.left, right: l.right, top: l.top, bottom: l.bottom, x_max: l.x_max }
    }
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

/// What the app's and the widget's painters paint of `data` on a canvas `w` × `h` CSS pixels.
pub fn layout(data: &ChartData, w: f64, h: f64) -> Layout {
    axis::layout(data, &ChartBox::canvas(w, h))
}
