//! A chart as a small standalone SVG, written by hand (plotters' SVG backend would add more to
//! the wasm than this whole file). It paints the engine's layout of the chart in a
//! [`Picture`] (the same one as the CLI's `render`): the title and unit above, the time axis's
//! title below, then the grid, ticks, areas, lines, labelled limits, the labels at the line ends
//! and the current time.

use crate::markup::Esc;
use crate::theme::Palette;
use lambdascape_engine::chart::axis::{self, Picture};
use lambdascape_engine::chart::{ChartData, LineStyle};
use std::fmt::Write;

const W: f64 = 960.0;
const H: f64 = 420.0;

/// A text element: `anchor` start / middle / end; `dy` moves the baseline from `y` (e.g.
/// "0.35em" centres the text on `y`).
fn text(o: &mut String, (x, y): (f64, f64), anchor: &str, dy: &str, fill: &str, s: &str) {
    let _ = write!(
        o,
        r#"<text x="{x:.1}" y="{y:.1}" dy="{dy}" text-anchor="{anchor}" fill="{fill}">{}</text>"#,
        Esc(s)
    );
}

/// `x,y x,y …`, moved `dy` down.
fn points(pts: &[(f64, f64)], dy: f64) -> String {
    let mut s = String::with_capacity(pts.len() * 12);
    for (x, y) in pts {
        let _ = write!(s, "{x:.1},{:.1} ", y + dy);
    }
    s
}

/// The SVG document of one chart, in the given palette.
pub fn chart_svg(d: &ChartData, pal: &Palette) -> String {
    let pic = Picture::new(W, H);
    let l = axis::layout(d, &pic.chart);
    let dy = pic.header;
    let mut o = String::with_capacity(16 * 1024);
    let _ = write!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" font-family="system-ui, sans-serif" font-size="{:.1}"><title>{}</title><rect width="100%" height="100%" fill="{}"/>"#,
        l.font,
        Esc(&d.title),
        pal.surface
    );
    let _ = write!(
        o,
        r#"<text x="{m}" y="{:.1}" dy="0.8em" font-size="{:.1}" font-weight="600" fill="{}">{}</text>"#,
        pic.title_y,
        pic.title_font,
        pal.text,
        Esc(&d.title),
        m = pic.margin
    );
    text(&mut o, (pic.margin, pic.unit_y), "start", "-0.3em", pal.muted, &d.unit);
    if l.right <= l.left || l.bottom <= l.top {
        o.push_str("</svg>");
        return o;
    }
    let (top, bottom) = (l.top + dy, l.bottom + dy);
    // Grid and ticks.
    for t in &l.y_ticks {
        let y = t.at + dy;
        let _ = write!(
            o,
            r#"<line x1="{:.1}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{}"/>"#,
            l.left, l.right, pal.grid
        );
        text(&mut o, (t.text_at.0, t.text_at.1 + dy), "end", "0.35em", pal.muted, &t.label);
    }
    for t in &l.x_ticks {
        text(&mut o, (t.text_at.0, t.text_at.1 + dy), "middle", "0.8em", pal.muted, &t.label);
    }
    text(&mut o, ((l.left + l.right) / 2.0, pic.x_title_y), "middle", "-0.3em", pal.muted, l.x_title);
    // Areas, then lines.
    for (p, line) in l.paths.iter().zip(d.areas.iter().chain(&d.lines)) {
        let c = pal.hue(p.hue);
        if !p.fill.is_empty() {
            let _ = write!(
                o,
                r#"<polygon points="{}" fill="{c}" fill-opacity="0.55" stroke="none"><title>{}</title></polygon>"#,
                points(&p.fill, dy),
                Esc(&line.label)
            );
        }
        let dash = if p.style == LineStyle::Dashed { r#" stroke-dasharray="6 4""# } else { "" };
        for part in &p.parts {
            let _ = write!(
                o,
                r#"<polyline points="{}" fill="none" stroke="{c}" stroke-width="1.6"{dash}><title>{}</title></polyline>"#,
                points(part, dy),
                Esc(&line.label)
            );
        }
    }
    for lim in &l.limits {
        let (y, c) = (lim.y + dy, pal.hue(lim.hue));
        let _ = write!(
            o,
            r#"<line x1="{:.1}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{c}" stroke-dasharray="8 5" stroke-width="1.4"/>"#,
            l.left, l.right
        );
        let base = if lim.below { "0.8em" } else { "-0.3em" };
        text(&mut o, (lim.text_at.0, lim.text_at.1 + dy), "end", base, c, &lim.label);
    }
    for e in &l.labels {
        let c = pal.hue(e.hue);
        if let Some([a, b]) = e.leader {
            let _ = write!(
                o,
                r#"<line x1="{:.1}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="{c}" stroke-opacity="0.5"/>"#,
                a.0,
                b.0,
                a.1 + dy,
                b.1 + dy
            );
        }
        if e.plate {
            let (x, y, w, h) = e.plate(l.font);
            let bg = pal.surface;
            let _ = write!(
                o,
                r#"<rect x="{x:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}" fill="{bg}" fill-opacity="0.85"/>"#,
                y + dy
            );
        }
        text(&mut o, (e.text_at.0, e.text_at.1 + dy), "start", "0.35em", c, &e.text);
    }
    if let Some(note) = &l.note {
        text(&mut o, ((l.left + l.right) / 2.0, (top + bottom) / 2.0), "middle", "0.35em", pal.text, note);
    }
    // The current time, and the axes.
    let _ = write!(
        o,
        r#"<line x1="{nx:.1}" x2="{nx:.1}" y1="{top:.1}" y2="{bottom:.1}" stroke="{}" stroke-width="1.5" opacity="0.7"/>"#,
        pal.text,
        nx = l.now
    );
    let _ = write!(
        o,
        r#"<line x1="{x0:.1}" x2="{x0:.1}" y1="{top:.1}" y2="{bottom:.1}" stroke="{m}"/><line x1="{x0:.1}" x2="{:.1}" y1="{bottom:.1}" y2="{bottom:.1}" stroke="{m}"/></svg>"#,
        l.right,
        x0 = l.left,
        m = pal.muted
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambdascape_engine::chart::{self, ChartKind};
    use lambdascape_engine::sim::{Options, Simulation};
    use lambdascape_engine::ScenarioSpec;

    #[test]
    fn the_share_image_paints_the_layout() {
        let text = include_str!("../../../tests/scenarios/reserved-protects-critical.json");
        let sc = ScenarioSpec::parse_and_validate(text).unwrap();
        let seed = sc.spec.seed;
        let mut sim = Simulation::with_seed(sc, seed, Options::default());
        sim.run();
        let d = chart::chart(&sim, ChartKind::Concurrency, chart::MAX_POINTS);
        let svg = chart_svg(&d, &crate::theme::LIGHT);
        let l = axis::layout(&d, &Picture::new(W, H).chart);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        for label in
            l.y_ticks.iter().chain(&l.x_ticks).map(|t| &t.label).chain(l.labels.iter().map(|e| &e.text))
        {
            assert!(svg.contains(&format!(">{}</text>", Esc(label))), "{label}");
        }
        assert!(svg.contains(">account limit 1,000</text>"));
        assert_eq!(svg.matches("<polygon").count(), d.areas.len());
    }
}
