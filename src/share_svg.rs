//! A chart as a small standalone SVG, written by hand from the chart data (plotters' SVG
//! backend would add more to the wasm than this whole file): axes with ticks, areas, lines,
//! dashed labelled limits, the title and the unit.

use crate::theme::Palette;
use lambdascape_engine::view::{ChartData, Line, LineStyle};
use std::fmt::Write;

const W: f64 = 960.0;
const H: f64 = 420.0;
const L: f64 = 70.0;
const R: f64 = 150.0;
const T: f64 = 44.0;
const B: f64 = 46.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn tick(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if v >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if v == v.trunc() {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// The SVG document of one chart, in the given palette.
pub fn chart_svg(d: &ChartData, pal: &Palette) -> String {
    let x_max = d.x_max.max(1e-9);
    let y_max = d.y_max.max(1e-9);
    let x = |s: f64| L + (s / x_max).clamp(0.0, 1.0) * (W - L - R);
    let y = |v: f64| H - B - (v / y_max).clamp(0.0, 1.0) * (H - T - B);
    let mut o = String::with_capacity(16 * 1024);
    let _ = write!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" font-family="system-ui, sans-serif" font-size="13">"#
    );
    let _ = write!(
        o,
        r#"<title>{}</title><rect width="100%" height="100%" fill="{}"/>"#,
        esc(&d.title),
        pal.surface
    );
    let _ = write!(
        o,
        r#"<text x="{L}" y="24" font-size="16" font-weight="600" fill="{}">{}</text><text x="{L}" y="{}" fill="{}" font-size="12">{}</text>"#,
        pal.text,
        esc(&d.title),
        T - 6.0,
        pal.muted,
        esc(&d.unit)
    );
    // Grid and ticks: five steps on each axis.
    for i in 0..=5 {
        let f = i as f64 / 5.0;
        let (yv, xv) = (f * y_max, f * x_max);
        let _ = write!(
            o,
            r#"<line x1="{L}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="{g}"/><text x="{}" y="{:.1}" text-anchor="end" fill="{m}">{}</text>"#,
            W - R,
            L - 6.0,
            y(yv) + 4.0,
            tick(yv),
            y = y(yv),
            g = pal.grid,
            m = pal.muted
        );
        let _ = write!(
            o,
            r#"<text x="{:.1}" y="{}" text-anchor="middle" fill="{}">{}</text>"#,
            x(xv),
            H - B + 18.0,
            pal.muted,
            crate::format::clock((xv * 1e6) as u64)
        );
    }
    let _ = write!(
        o,
        r#"<text x="{}" y="{}" text-anchor="middle" fill="{}">simulated time (sim)</text>"#,
        (L + W - R) / 2.0,
        H - 8.0,
        pal.muted
    );
    let pts = |l: &Line| {
        let mut s = String::new();
        for (t, v) in &l.points {
            let _ = write!(s, "{:.1},{:.1} ", x(*t), y(*v));
        }
        s
    };
    for a in &d.areas {
        if let (Some(first), Some(last)) = (a.points.first(), a.points.last()) {
            let _ = write!(
                o,
                r#"<polygon points="{:.1},{:.1} {}{:.1},{:.1}" fill="{}" fill-opacity="0.45" stroke="none"><title>{}</title></polygon>"#,
                x(first.0),
                y(0.0),
                pts(a),
                x(last.0),
                y(0.0),
                pal.hue(a.hue),
                esc(&a.label)
            );
        }
    }
    for l in &d.lines {
        let dash = if l.style == LineStyle::Dashed { r#" stroke-dasharray="6 4""# } else { "" };
        let _ = write!(
            o,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="1.6"{dash}><title>{}</title></polyline>"#,
            pts(l),
            pal.hue(l.hue),
            esc(&l.label)
        );
        if let Some((t, v)) = l.points.last() {
            let _ = write!(
                o,
                r#"<text x="{:.1}" y="{:.1}" fill="{}">{}</text>"#,
                x(*t) + 6.0,
                y(*v) + 4.0,
                pal.text,
                esc(&l.label)
            );
        }
    }
    for lim in &d.limits {
        let yy = y(lim.value);
        let _ = write!(
            o,
            r#"<line x1="{L}" x2="{}" y1="{yy:.1}" y2="{yy:.1}" stroke="{c}" stroke-dasharray="8 5" stroke-width="1.4"/><text x="{}" y="{:.1}" fill="{t}">{}</text>"#,
            W - R,
            W - R + 6.0,
            yy + 4.0,
            esc(&lim.label),
            c = pal.hue(lim.hue),
            t = pal.text
        );
    }
    // The current time.
    let _ = write!(
        o,
        r#"<line x1="{nx:.1}" x2="{nx:.1}" y1="{T}" y2="{}" stroke="{}" stroke-width="1.5" opacity="0.7"/>"#,
        H - B,
        pal.text,
        nx = x(d.now)
    );
    let _ = write!(
        o,
        r#"<line x1="{L}" x2="{L}" y1="{T}" y2="{b}" stroke="{m}"/><line x1="{L}" x2="{}" y1="{b}" y2="{b}" stroke="{m}"/></svg>"#,
        W - R,
        b = H - B,
        m = pal.muted
    );
    o
}
