//! `lambdascape render`: runs a scenario headless and draws one chart as SVG or PNG, for docs,
//! slides and issue reports.
//!
//! It paints what the web app paints: the engine's chart data (`chart::chart`, with the app's
//! number of points) laid out by `chart::axis::layout` in a [`Picture`] (the title, a subtitle
//! and the unit above the chart, the time axis's title below). This module computes nothing of
//! the chart: it paints the layout with plotters in DESIGN.md's style, light background, thin
//! lines, labels at the line ends instead of a legend, limits as labelled dashed lines. SVG text
//! is left to the viewer's sans-serif font; PNG text is drawn with the embedded DejaVu Sans
//! (Bitstream Vera licence, see `assets/DejaVuSans-LICENSE.txt`).

use super::{build, write_file, Failure};
use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use clap::builder::{PossibleValue, PossibleValuesParser};
use lambdascape_engine::chart::axis::{self, Layout, Picture};
use lambdascape_engine::chart::{self, ChartData, ChartKind, Hue, LineStyle};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
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
    PossibleValuesParser::new(ChartKind::EVERY.iter().map(|k| PossibleValue::new(k.name()).help(k.about())))
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
pub fn run(args: RenderArgs, quiet: bool) -> Result<ExitCode, Failure> {
    let req = Request::new(args)?;
    let a = &req.args;
    let kind = ChartKind::from_name(&a.chart)
        .ok_or_else(|| Failure::Usage(format!("there is no chart named '{}'", a.chart)))?;
    let mut sim = build(&a.scenario, a.seed, a.until.as_deref())?;
    crate::progress::run(&mut sim, "simulating", quiet);
    let data = chart::chart(&sim, kind, chart::MAX_POINTS);
    let sc = sim.scenario();
    let name = if sc.spec.title.is_empty() { &sc.spec.name } else { &sc.spec.title };
    let subtitle = format!("{name} · seed {}", sim.seed());
    let bytes = match req.format {
        Format::Svg => svg(&data, &subtitle, a.width, a.height).map(String::into_bytes),
        Format::Png => png(&data, &subtitle, a.width, a.height),
    }
    .map_err(|e| Failure::Io(format!("cannot draw the chart: {e}")))?;
    write_file(&a.out, |w| w.write_all(&bytes))?;
    eprintln!("wrote {} ({}, {}x{} px)", a.out.display(), a.chart, a.width, a.height);
    Ok(ExitCode::SUCCESS)
}

fn font() -> Result<FontRef<'static>, String> {
    FontRef::try_from_slice(FONT).map_err(|_| "the embedded font cannot be read".to_string())
}

/// The chart as an SVG document `width` × `height` px.
pub fn svg(data: &ChartData, subtitle: &str, width: u32, height: u32) -> Result<String, String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        let p = Painter { font: font()?, bitmap: false };
        draw(&root, &p, data, subtitle).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

/// The chart as a PNG file `width` × `height` px.
fn png(data: &ChartData, subtitle: &str, width: u32, height: u32) -> Result<Vec<u8>, String> {
    let mut rgb = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        let p = Painter { font: font()?, bitmap: true };
        draw(&root, &p, data, subtitle).map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    let mut out = Vec::new();
    let mut enc = ::png::Encoder::new(&mut out, width, height);
    enc.set_color(::png::ColorType::Rgb);
    enc.set_depth(::png::BitDepth::Eight);
    let mut w = enc.write_header().map_err(|e| e.to_string())?;
    w.write_image_data(&rgb).map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn rgb(hue: Hue) -> RGBColor {
    let h = hue.hex().trim_start_matches('#');
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
/// rasterized here with ab_glyph, with kerning and anti-aliasing (the layout measured text with
/// its own estimate, a little wide, so either has room).
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

/// The pixel of a layout point in the picture: the chart's box starts `header` px down.
pub fn pixel(p: (f64, f64), header: f64) -> (i32, i32) {
    (p.0.round() as i32, (p.1 + header).round() as i32)
}

/// Paints the whole picture: the title, subtitle and unit, then the chart's [`Layout`].
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
    let pic = Picture::new(w as f64, h as f64);
    let l: Layout = axis::layout(d, &pic.chart);
    let font = l.font;
    let s = pic.scale;
    let at = |x: f64, y: f64| pixel((x, y), pic.header);
    let (m, hd) = (pic.margin as i32, pic.header);
    p.text(root, &d.title, (m, pic.title_y as i32), pic.title_font, INK, Left, Top)?;
    p.text(root, subtitle, (m, pic.subtitle_y as i32), font, MUTED, Left, Top)?;
    p.text(root, &d.unit, (m, pic.unit_y as i32), font, MUTED, Left, Bottom)?;
    if l.right <= l.left || l.bottom <= l.top {
        return Ok(());
    }
    let (x0, x1, y0, y1) = (at(l.left, 0.0).0, at(l.right, 0.0).0, at(0.0, l.bottom).1, at(0.0, l.top).1);

    // Grid behind everything: horizontal lines at the value ticks, and their labels.
    let thin = |c: &RGBColor| ShapeStyle::from(c).stroke_width(1);
    for t in &l.y_ticks {
        let y = at(0.0, t.at).1;
        if t.value > 0.0 {
            root.draw(&PathElement::new(vec![(x0, y), (x1, y)], thin(&GRID)))?;
        }
        p.text(root, &t.label, at(t.text_at.0, t.text_at.1), font, MUTED, Right, VC)?;
    }

    // The series: areas filled down to 0 (the top layer first), then lines.
    let stroke = (1.5 * s).round().max(1.0) as u32;
    let (dash, gap) = ((6.0 * s).round() as u32, (4.0 * s).round() as u32);
    for path in &l.paths {
        let color = rgb(path.hue);
        if !path.fill.is_empty() {
            let poly: Vec<(i32, i32)> = path.fill.iter().map(|q| pixel(*q, hd)).collect();
            root.draw(&Polygon::new(poly, color.mix(0.55).filled()))?;
        }
        let style = ShapeStyle::from(&color).stroke_width(stroke);
        for part in &path.parts {
            let pts: Vec<(i32, i32)> = part.iter().map(|q| pixel(*q, hd)).collect();
            if path.style == LineStyle::Dashed {
                root.draw(&DashedPathElement::new(pts, dash, gap, style))?;
            } else {
                root.draw(&PathElement::new(pts, style))?;
            }
        }
    }

    // Limits: dashed lines across the plot, labelled at its right end.
    let (ldash, lgap) = ((8.0 * s).round() as u32, (5.0 * s).round() as u32);
    for lim in &l.limits {
        let color = rgb(lim.hue);
        let y = at(0.0, lim.y).1;
        root.draw(&DashedPathElement::new(vec![(x0, y), (x1, y)], ldash, lgap, thin(&color)))?;
        let v = if lim.below { Top } else { Bottom };
        p.text(root, &lim.label, at(lim.text_at.0, lim.text_at.1), font, text_color(color), Right, v)?;
    }

    // Axes: the time axis with its ticks and labels, the value axis line.
    root.draw(&PathElement::new(vec![(x0, y0), (x1, y0)], thin(&AXIS)))?;
    root.draw(&PathElement::new(vec![(x0, y0), (x0, y1)], thin(&AXIS)))?;
    for t in &l.x_ticks {
        let x = at(t.at, 0.0).0;
        root.draw(&PathElement::new(vec![(x, y0), (x, y0 + (4.0 * s).round() as i32)], thin(&AXIS)))?;
        p.text(root, &t.label, at(t.text_at.0, t.text_at.1), font, MUTED, HC, Top)?;
    }
    p.text(root, l.x_title, ((x0 + x1) / 2, pic.x_title_y as i32), font, MUTED, HC, Bottom)?;

    // Labels at the line ends, each joined to its end when it had to move away from it.
    for e in &l.labels {
        let color = rgb(e.hue);
        let t = at(e.text_at.0, e.text_at.1);
        if let Some([a, b]) = e.leader {
            let leader = ShapeStyle::from(&color.mix(0.5)).stroke_width(1);
            root.draw(&PathElement::new(vec![at(a.0, a.1), at(b.0, b.1)], leader))?;
        }
        if e.plate {
            let (x, y, w, h) = e.plate(l.font);
            root.draw(&Rectangle::new([at(x, y), at(x + w, y + h)], BACKGROUND.mix(0.85).filled()))?;
        }
        p.text(root, &e.text, t, font, text_color(color), Left, VC)?;
    }
    if let Some(note) = &l.note {
        let c = at((l.left + l.right) / 2.0, (l.top + l.bottom) / 2.0);
        p.text(root, note, c, font * 14.0 / 13.0, MUTED, HC, VC)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hues_are_parsed() {
        assert_eq!(rgb(Hue::Blue), RGBColor(0, 0x72, 0xB2));
        assert_eq!(rgb(Hue::Ink), RGBColor(0, 0, 0));
        assert_eq!(pixel((10.4, 20.6), 76.0), (10, 97));
    }
}
