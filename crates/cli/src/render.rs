//! `lambdascape render`: runs a scenario headless and draws one chart as SVG or PNG, for docs,
//! slides and issue reports.
//!
//! The data comes from the engine's [`chartdata`] (the same the web app draws); this module only
//! lays it out with plotters in DESIGN.md's style: light background, thin lines, labels at the
//! line ends instead of a legend, limits as labelled dashed lines, time on the x axis as mm:ss of
//! simulated time. SVG text is left to the viewer's sans-serif font; PNG text is drawn with the
//! embedded DejaVu Sans (Bitstream Vera licence, see `assets/DejaVuSans-LICENSE.txt`).

use super::{build, write_file, Failure};
use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use clap::builder::{PossibleValue, PossibleValuesParser};
use lambdascape_engine::chartdata::{self, ChartData, Line, CHARTS};
use lambdascape_engine::sim::narrative::fmt_count;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::PathBuf;
use std::process::ExitCode;

/// Font for PNG text and for measuring all text.
const FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
const SANS: &str = "sans-serif";

const BACKGROUND: RGBColor = RGBColor(0xFA, 0xFA, 0xF7);
const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
const MUTED: RGBColor = RGBColor(0x5F, 0x63, 0x68);
const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xDE);
const AXIS: RGBColor = RGBColor(0x9A, 0x9A, 0x94);

/// Flags of `render`, as typed.
#[derive(clap::Args)]
pub struct RenderArgs {
    /// Scenario file (JSON).
    scenario: PathBuf,
    /// Which chart to draw.
    #[arg(long, value_name = "NAME", value_parser = chart_names())]
    chart: String,
    /// Where to write it; the extension picks the format: .svg or .png.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Seed of the random generator (default: the scenario's own).
    #[arg(long)]
    seed: Option<u64>,
    /// Simulate this long instead of the scenario's duration (e.g. 90s, 15m, 2h).
    #[arg(long)]
    until: Option<String>,
    /// Image width in pixels.
    #[arg(long, default_value_t = 960)]
    width: u32,
    /// Image height in pixels.
    #[arg(long, default_value_t = 400)]
    height: u32,
}

fn chart_names() -> PossibleValuesParser {
    PossibleValuesParser::new(CHARTS.iter().map(|(name, help)| PossibleValue::new(*name).help(*help)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Svg,
    Png,
}

/// A checked render request.
struct Request {
    args: RenderArgs,
    format: Format,
}

const SIZES: std::ops::RangeInclusive<u32> = 200..=8000;

impl Request {
    fn new(args: RenderArgs) -> Result<Self, Failure> {
        let ext = args.out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let format = match ext.as_deref() {
            Some("svg") => Format::Svg,
            Some("png") => Format::Png,
            _ => {
                return Err(Failure::Usage(format!(
                    "--out {}: the file name must end in .svg or .png (that picks the format)",
                    args.out.display()
                )))
            }
        };
        for (flag, v) in [("--width", args.width), ("--height", args.height)] {
            if !SIZES.contains(&v) {
                return Err(Failure::Usage(format!(
                    "{flag} {v}: must be between {} and {} pixels",
                    SIZES.start(),
                    SIZES.end()
                )));
            }
        }
        Ok(Request { args, format })
    }
}

/// Runs `render`.
pub fn run(args: RenderArgs) -> Result<ExitCode, Failure> {
    let req = Request::new(args)?;
    let a = &req.args;
    let mut sim = build(&a.scenario, a.seed, a.until.as_deref())?;
    sim.run();
    let data = chartdata::chart(&sim, &a.chart).map_err(Failure::Usage)?;
    let sc = sim.scenario();
    let name = if sc.spec.title.is_empty() { &sc.spec.name } else { &sc.spec.title };
    let subtitle = format!("{name} · seed {}", sim.seed());
    let font =
        FontRef::try_from_slice(FONT).map_err(|_| Failure::Io("the embedded font cannot be read".into()))?;
    let size = (a.width, a.height);
    let drawing = |e: String| Failure::Io(format!("cannot draw the chart: {e}"));
    match req.format {
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
                let p = Painter { font, bitmap: false };
                draw(&root, &p, &data, &subtitle).map_err(|e| drawing(e.to_string()))?;
                root.present().map_err(|e| drawing(e.to_string()))?;
            }
            write_file(&a.out, |w| w.write_all(svg.as_bytes()))?;
        }
        Format::Png => {
            let mut rgb = vec![0u8; a.width as usize * a.height as usize * 3];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, size).into_drawing_area();
                let p = Painter { font, bitmap: true };
                draw(&root, &p, &data, &subtitle).map_err(|e| drawing(e.to_string()))?;
                root.present().map_err(|e| drawing(e.to_string()))?;
            }
            write_file(&a.out, |w| {
                let mut enc = png::Encoder::new(w, a.width, a.height);
                enc.set_color(png::ColorType::Rgb);
                enc.set_depth(png::BitDepth::Eight);
                let mut png = enc.write_header().map_err(std::io::Error::other)?;
                png.write_image_data(&rgb).map_err(std::io::Error::other)
            })?;
        }
    }
    eprintln!("wrote {} ({}, {}x{} px)", a.out.display(), a.chart, a.width, a.height);
    Ok(ExitCode::SUCCESS)
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn rgb(hex: &str) -> RGBColor {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| h.get(i..i + 2).and_then(|s| u8::from_str_radix(s, 16).ok()).unwrap_or(0);
    RGBColor(c(0), c(2), c(4))
}

/// A darker shade of a line's colour, for its label text (orange and sky blue are too light
/// for text on the light background).
fn text_color(c: RGBColor) -> RGBColor {
    let d = |v: u8| (v as f64 * 0.72) as u8;
    RGBColor(d(c.0), d(c.1), d(c.2))
}

/// Writes text. SVG text is left to the viewer (its sans-serif font, its layout); PNG text is
/// rasterized here with ab_glyph, with kerning and anti-aliasing. Both are measured with the
/// embedded font (DejaVu is wide, so SVG text gets a little room to spare).
struct Painter {
    font: FontRef<'static>,
    bitmap: bool,
}

impl Painter {
    /// ab_glyph scales by the font's full height (ascent to descent), not by its em.
    fn scaled(&self, size: f64) -> ab_glyph::PxScaleFont<&FontRef<'static>> {
        let upem = self.font.units_per_em().unwrap_or(2048.0);
        self.font.as_scaled(PxScale::from(size as f32 * self.font.height_unscaled() / upem))
    }

    /// Width in pixels of `text` at `size` px per em.
    fn width(&self, text: &str, size: f64) -> f64 {
        let f = self.scaled(size);
        let mut w = 0.0;
        let mut prev = None;
        for c in text.chars() {
            let g = f.glyph_id(c);
            if let Some(p) = prev {
                w += f.kern(p, g);
            }
            w += f.h_advance(g);
            prev = Some(g);
        }
        w as f64
    }

    /// Draws `text` at `at`, `size` px per em, anchored by `h` and `v` (Center: the middle of
    /// the capitals, so a label sits on the line it names).
    #[allow(clippy::too_many_arguments)]
    fn text<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        text: &str,
        at: (i32, i32),
        size: f64,
        color: RGBColor,
        h: HPos,
        v: VPos,
    ) -> DrawResult<DB> {
        if !self.bitmap {
            // plotters writes SVG font sizes as size / 1.24 (its idea of a font's full height).
            let style = (SANS, size * 1.24).into_font().color(&color).pos(Pos::new(h, v));
            return root.draw(&Text::new(text.to_string(), at, style));
        }
        let f = self.scaled(size);
        let width = self.width(text, size);
        let x0 = at.0 as f64
            - match h {
                HPos::Left => 0.0,
                HPos::Center => width / 2.0,
                HPos::Right => width,
            };
        let cap = 0.73 * size;
        let baseline = at.1 as f64
            + match v {
                VPos::Top => f.ascent() as f64,
                VPos::Center => cap / 2.0,
                VPos::Bottom => f.descent() as f64,
            };
        let mut x = x0 as f32;
        let mut prev = None;
        for c in text.chars() {
            let id = f.glyph_id(c);
            if let Some(p) = prev {
                x += f.kern(p, id);
            }
            prev = Some(id);
            let glyph = id.with_scale_and_position(f.scale(), ab_glyph::point(x, baseline as f32));
            x += f.h_advance(id);
            let Some(outline) = f.outline_glyph(glyph) else { continue };
            let b = outline.px_bounds();
            let mut result = Ok(());
            outline.draw(|gx, gy, cov| {
                if result.is_ok() && cov > 0.02 {
                    let p = (b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32);
                    result = root.draw_pixel(p, &color.mix(cov.min(1.0) as f64));
                }
            });
            result?;
        }
        Ok(())
    }
}

/// Draws the whole picture: title, subtitle, grid, series, limits, axes and labels.
fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    p: &Painter,
    d: &ChartData,
    subtitle: &str,
) -> DrawResult<DB> {
    use HPos::{Center as HC, Left, Right};
    use VPos::{Bottom, Center as VC, Top};
    root.fill(&BACKGROUND)?;
    let (w, h) = root.dim_in_pixel();
    let scale = (h as f64 / 400.0).clamp(0.8, 2.0);
    let px = |v: f64| (v * scale).round();
    let (title_size, text_size) = (px(17.0), px(12.0));
    p.text(root, &d.title, (px(16.0) as i32, px(12.0) as i32), title_size, INK, Left, Top)?;
    p.text(root, subtitle, (px(16.0) as i32, px(36.0) as i32), text_size, MUTED, Left, Top)?;

    // The plot's rectangle: tick labels on the left, line-end labels on the right.
    let x_max = d.x_max.max(1e-3);
    let y_max = d.y_max;
    let step = time_step(x_max);
    let x_ticks: Vec<f64> = (0..).map(|i| i as f64 * step).take_while(|t| *t <= x_max + 1e-9).collect();
    let (y_step, y_ticks) = value_ticks(y_max);
    let y_texts: Vec<String> = y_ticks.iter().map(|v| fmt_value(*v, y_step)).collect();
    let widest_tick = y_texts.iter().map(|t| p.width(t, text_size)).fold(0.0, f64::max);
    let labels: Vec<String> = d.series.iter().map(|l| short(&l.label)).collect();
    let widest_label = labels
        .iter()
        .chain(&d.limits.iter().map(|l| short(&l.label)).collect::<Vec<_>>())
        .map(|l| p.width(&format!("↑ {l}"), text_size))
        .fold(0.0, f64::max);
    let left = (px(16.0) + widest_tick + px(8.0)) as u32;
    let right = (widest_label + px(16.0)).clamp(px(20.0), w as f64 * 0.35) as u32;
    let (top, bottom) = (px(86.0) as u32, px(44.0) as u32);
    let mut chart = ChartBuilder::on(root)
        .margin_left(left)
        .margin_right(right)
        .margin_top(top)
        .margin_bottom(bottom)
        .build_cartesian_2d(0.0..x_max, 0.0..y_max)?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let (x0, x1, y0, y1) = (xr.start, xr.end - 1, yr.end - 1, yr.start);

    // Grid behind everything: horizontal lines at the value ticks.
    for (v, t) in y_ticks.iter().zip(&y_texts) {
        let y = chart.backend_coord(&(0.0, *v)).1;
        if *v > 0.0 {
            root.draw(&PathElement::new(vec![(x0, y), (x1, y)], ShapeStyle::from(&GRID).stroke_width(1)))?;
        }
        p.text(root, t, (x0 - px(8.0) as i32, y), text_size, MUTED, Right, VC)?;
    }
    p.text(root, &d.y_label, (px(16.0) as i32, y1 - px(10.0) as i32), text_size, MUTED, Left, Bottom)?;

    let stroke = (scale * 1.6).round().max(1.0) as u32;
    // Line-end labels: (wanted y, text, colour, the point it names).
    let mut ends: Vec<(i32, String, RGBColor, (i32, i32))> = Vec::new();
    let top_y = chart.backend_coord(&(x_max, y_max));
    let mut below: Option<&Line> = None;
    for (l, label) in d.series.iter().zip(&labels) {
        let color = rgb(l.color);
        let Some(&(x_end, y_end)) = l.points.last() else { continue };
        if l.stacked {
            // The band between this layer's top and the one below.
            let base: Vec<(f64, f64)> = match below {
                Some(b) => b.points.iter().rev().copied().collect(),
                None => vec![(x_end, 0.0), (l.points[0].0, 0.0)],
            };
            let band: Vec<(f64, f64)> = l.points.iter().copied().chain(base).collect();
            chart.draw_series(std::iter::once(Polygon::new(band, color.mix(0.28).filled())))?;
        }
        let style = ShapeStyle::from(&color).stroke_width(stroke);
        for part in clip_at(&l.points, y_max) {
            if l.dashed {
                // Dashed lines (caps, headroom) are guides: thinner than the data.
                let style = style.stroke_width(stroke.saturating_sub(1).max(1));
                chart.draw_series(DashedLineSeries::new(part, px(7.0) as u32, px(4.0) as u32, style))?;
            } else {
                chart.draw_series(LineSeries::new(part, style))?;
            }
        }
        if y_end > y_max {
            // Ends above the chart: named at its top.
            ends.push((top_y.1, format!("↑ {label}"), color, top_y));
        } else {
            // A stacked layer is labelled in the middle of its band.
            let y = match (l.stacked, below) {
                (true, Some(b)) => (y_end + b.points.last().map_or(0.0, |p| p.1)) / 2.0,
                (true, None) => y_end / 2.0,
                _ => y_end,
            };
            let at = chart.backend_coord(&(x_end, y));
            ends.push((at.1, label.clone(), color, at));
        }
        if l.stacked {
            below = Some(l);
        }
    }

    // Limits: dashed lines across the chart, labelled like the lines (those above the chart are
    // named at its top).
    for lim in &d.limits {
        let color = rgb(lim.color);
        if lim.value > y_max {
            ends.push((top_y.1, format!("↑ {}", short(&lim.label)), MUTED, top_y));
            continue;
        }
        chart.draw_series(DashedLineSeries::new(
            [(0.0, lim.value), (x_max, lim.value)],
            px(6.0) as u32,
            px(4.0) as u32,
            ShapeStyle::from(&color).stroke_width(1),
        ))?;
        let at = chart.backend_coord(&(x_max, lim.value));
        ends.push((at.1, short(&lim.label), color, at));
    }

    // Axes: the time axis with its ticks and mm:ss labels, and the value axis line.
    let axis = ShapeStyle::from(&AXIS).stroke_width(1);
    root.draw(&PathElement::new(vec![(x0, y0), (x1, y0)], axis))?;
    root.draw(&PathElement::new(vec![(x0, y0), (x0, y1)], axis))?;
    for t in &x_ticks {
        let x = chart.backend_coord(&(*t, 0.0)).0;
        root.draw(&PathElement::new(vec![(x, y0), (x, y0 + px(4.0) as i32)], axis))?;
        p.text(root, &fmt_time(*t, x_max), (x, y0 + px(8.0) as i32), text_size, MUTED, HC, Top)?;
    }
    let x_desc = if x_max >= 2.0 * 86_400.0 {
        "time (sim, days hh:mm)"
    } else if x_max >= 3600.0 {
        "time (sim, h:mm:ss)"
    } else {
        "time (sim, mm:ss)"
    };
    p.text(root, x_desc, ((x0 + x1) / 2, h as i32 - px(6.0) as i32), text_size, MUTED, HC, Bottom)?;

    // Labels in the right margin, spread apart so that none overlaps, each joined to the end of
    // its line when it had to move.
    ends.sort_by_key(|e| e.0);
    let gap = px(15.0) as i32;
    let wanted: Vec<i32> = ends.iter().map(|e| e.0).collect();
    let slots = spread(&wanted, gap, y1, y0 - gap / 2);
    for ((_, text, color, at), y) in ends.iter().zip(slots) {
        let x = x1 + px(8.0) as i32;
        if (y - at.1).abs() > 2 {
            let leader = ShapeStyle::from(&color.mix(0.5)).stroke_width(1);
            root.draw(&PathElement::new(vec![(at.0 + 1, at.1), (x - 2, y)], leader))?;
        }
        p.text(root, text, (x, y), text_size, text_color(*color), Left, VC)?;
    }

    if let Some(note) = &d.note {
        p.text(root, note, ((x0 + x1) / 2, (y0 + y1) / 2), px(14.0), MUTED, HC, VC)?;
    }
    Ok(())
}

/// Round value-axis ticks from 0 to `top`: the step (1, 2, 2.5 or 5 × 10^k) and the ticks, at
/// most 7.
fn value_ticks(top: f64) -> (f64, Vec<f64>) {
    let top = if top > 0.0 && top.is_finite() { top } else { 1.0 };
    let mag = 10f64.powf((top / 6.0).log10().floor());
    let step =
        [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| top / s <= 6.0 + 1e-9).unwrap_or(top);
    let n = (top / step + 1e-9).floor() as usize;
    (step, (0..=n).map(|i| i as f64 * step).collect())
}

/// The parts of a polyline at or below `top` (the chart's top), cut where it crosses.
fn clip_at(points: &[(f64, f64)], top: f64) -> Vec<Vec<(f64, f64)>> {
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

/// A label short enough for the right margin.
fn short(label: &str) -> String {
    const MAX: usize = 30;
    if label.chars().count() <= MAX {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(MAX - 1).collect();
        s.push('…');
        s
    }
}

/// Label positions as near `want` (sorted) as possible, at least `gap` apart, within
/// `lo..=hi`.
fn spread(want: &[i32], gap: i32, lo: i32, hi: i32) -> Vec<i32> {
    let mut y: Vec<i32> = want.iter().map(|&v| v.clamp(lo, hi)).collect();
    for i in 1..y.len() {
        y[i] = y[i].max(y[i - 1] + gap);
    }
    // Pushed past the bottom: shift back up.
    if let Some(&last) = y.last() {
        if last > hi {
            let n = y.len();
            y[n - 1] = hi;
            for i in (0..n - 1).rev() {
                y[i] = y[i].min(y[i + 1] - gap);
            }
        }
    }
    y
}

/// A round tick interval (seconds) for a time axis from 0 to `x_max`: at most about 8 ticks.
fn time_step(x_max: f64) -> f64 {
    const STEPS: [f64; 21] = [
        1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0, 10800.0,
        21600.0, 43200.0, 86400.0, 172_800.0, 432_000.0, 864_000.0,
    ];
    STEPS.iter().copied().find(|s| x_max / s <= 8.0).unwrap_or(x_max / 8.0)
}

/// Simulated time as mm:ss, or h:mm:ss (and days) on long runs.
fn fmt_time(t: f64, x_max: f64) -> String {
    let s = t.round().max(0.0) as u64;
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    if x_max >= 2.0 * 86_400.0 {
        if (h, m, sec) == (0, 0, 0) {
            format!("{d}d")
        } else {
            format!("{d}d {h:02}:{m:02}")
        }
    } else if x_max >= 3600.0 {
        format!("{}:{m:02}:{sec:02}", s / 3600)
    } else {
        format!("{:02}:{sec:02}", s / 60)
    }
}

/// An axis value: thousands separators, and as many decimals as the tick step needs.
fn fmt_value(v: f64, step: f64) -> String {
    if step >= 1.0 {
        let n = v.round() as i64;
        let sign = if n < 0 { "-" } else { "" };
        format!("{sign}{}", fmt_count(n.unsigned_abs()))
    } else {
        let decimals = (1..=9)
            .find(|&d| {
                let m = step * 10f64.powi(d);
                (m - m.round()).abs() < 1e-6 * m.max(1.0)
            })
            .unwrap_or(9) as usize;
        format!("{v:.decimals$}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_mm_ss_or_h_mm_ss() {
        assert_eq!(fmt_time(75.0, 360.0), "01:15");
        assert_eq!(fmt_time(3725.0, 7200.0), "1:02:05");
        assert_eq!(fmt_time(90_000.0, 1_000_000.0), "1d 01:00");
        assert_eq!(fmt_time(172_800.0, 1_000_000.0), "2d");
        assert_eq!(time_step(360.0), 60.0);
        assert_eq!(time_step(120.0), 15.0);
        assert_eq!(time_step(1_000_000.0), 172_800.0);
    }

    #[test]
    fn values_are_readable() {
        assert_eq!(fmt_value(5000.0, 1000.0), "5,000");
        assert_eq!(fmt_value(0.0075, 0.0025), "0.0075");
        assert_eq!(fmt_value(0.5, 0.25), "0.50");
        assert_eq!(fmt_value(0.0, 0.5), "0.0");
        assert_eq!(value_ticks(6000.0), (1000.0, vec![0.0, 1000.0, 2000.0, 3000.0, 4000.0, 5000.0, 6000.0]));
        assert_eq!(value_ticks(1.5).0, 0.25);
        assert_eq!(value_ticks(1.0).1.len(), 6);
    }

    #[test]
    fn lines_are_cut_at_the_top() {
        let parts = clip_at(&[(0.0, 0.0), (1.0, 20.0), (2.0, 20.0), (3.0, 0.0), (4.0, 5.0)], 10.0);
        assert_eq!(parts, [vec![(0.0, 0.0), (0.5, 10.0)], vec![(2.5, 10.0), (3.0, 0.0), (4.0, 5.0)]]);
        assert!(clip_at(&[(0.0, 11.0), (1.0, 12.0)], 10.0).is_empty());
    }

    #[test]
    fn labels_spread_without_overlap() {
        let y = spread(&[100, 101, 102, 300], 15, 10, 310);
        assert_eq!(y, [100, 115, 130, 300]);
        let y = spread(&[300, 305, 309], 15, 10, 310);
        assert_eq!(y, [280, 295, 310]);
        assert_eq!(rgb("#0072B2"), RGBColor(0, 0x72, 0xB2));
    }
}
