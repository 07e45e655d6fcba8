//! Charts drawn with plotters on a canvas. Each draws prepared [`ChartData`] (from the
//! engine's `view` module) and returns where its plot area landed, for the cursor and the
//! hover readout. The app chooses what to draw; these only draw.

pub mod time_series;

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
