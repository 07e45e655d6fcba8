//! A time-series chart painted with plotters on a canvas: the engine's layout of the chart
//! (`lambdascape_ui::charts::layout`: stacked areas, lines, dashed limit lines with labels,
//! labels at the line ends instead of a legend, time on x as mm:ss of simulated time), in
//! device pixels. It computes nothing of its own.

use lambdascape_engine::chart::{ChartData, LineStyle};
use lambdascape_ui::charts::{layout, Mapping};
use lambdascape_ui::theme::Palette;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

fn rgb(hex: &str) -> RGBColor {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0);
    RGBColor((v >> 16) as u8, (v >> 8) as u8, v as u8)
}

/// Paints `data` on `canvas` (already sized to its CSS size × `dpr`), with the margins it shares
/// with `peers` (`lambdascape_ui::charts::layout`).
pub fn draw(
    canvas: HtmlCanvasElement,
    data: &ChartData,
    peers: &[ChartData],
    pal: &Palette,
    dpr: f64,
    highlight_limit: Option<&str>,
) -> Result<Mapping, String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let backend = CanvasBackend::with_canvas_object(canvas).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&rgb(pal.surface)).map_err(|e| err(&e))?;
    let (w, h) = root.dim_in_pixel();
    let l = layout(data, peers, w as f64 / dpr, h as f64 / dpr);
    if l.right <= l.left || l.bottom <= l.top {
        root.present().map_err(|e| err(&e))?;
        return Ok(Mapping::default());
    }
    let px = |v: f64| (v * dpr).round() as i32;
    let at = |p: (f64, f64)| (px(p.0), px(p.1));
    let pts = |v: &[(f64, f64)]| v.iter().map(|p| at(*p)).collect::<Vec<_>>();
    // A FontFamily rather than a &str: plotters lowercases a &str font name, which brings the
    // Unicode case tables into the download.
    let font = |size: f64| (FontFamily::Name("system-ui, sans-serif"), size * dpr).into_font();
    let muted = rgb(pal.muted);
    let thin = |c: &RGBColor| ShapeStyle::from(c).stroke_width(px(1.0).max(1) as u32);
    let label = |s: &str, p: (f64, f64), c: &RGBColor, h: HPos, v: VPos| {
        root.draw(&Text::new(s.to_string(), at(p), font(13.0).color(c).pos(Pos::new(h, v))))
    };
    let (x0, x1, y0, y1) = (px(l.left), px(l.right), px(l.bottom), px(l.top));
    // Grid and tick labels: values on y, clock-friendly times on x.
    let grid = thin(&rgb(pal.grid));
    for t in &l.y_ticks {
        let y = px(t.at);
        root.draw(&PathElement::new(vec![(x0, y), (x1, y)], grid)).map_err(|e| err(&e))?;
        label(&t.label, t.text_at, &muted, HPos::Right, VPos::Center).map_err(|e| err(&e))?;
    }
    for t in &l.x_ticks {
        let x = px(t.at);
        if t.value > 0.0 {
            root.draw(&PathElement::new(vec![(x, y1), (x, y0)], grid)).map_err(|e| err(&e))?;
        }
        label(&t.label, t.text_at, &muted, HPos::Center, VPos::Top).map_err(|e| err(&e))?;
    }
    root.draw(&PathElement::new(vec![(x0, y1), (x0, y0), (x1, y0)], thin(&muted))).map_err(|e| err(&e))?;
    // Areas (filled, then their top edge) and lines, in the layout's order.
    let stroke = px(1.5).max(1) as u32;
    for p in &l.paths {
        let c = rgb(pal.hue(p.hue));
        if !p.fill.is_empty() {
            root.draw(&Polygon::new(pts(&p.fill), c.mix(0.55).filled())).map_err(|e| err(&e))?;
        }
        let style = ShapeStyle::from(&c).stroke_width(stroke);
        for part in &p.parts {
            if p.style == LineStyle::Dashed {
                root.draw(&DashedPathElement::new(pts(part), px(6.0), px(4.0), style))
                    .map_err(|e| err(&e))?;
            } else {
                root.draw(&PathElement::new(pts(part), style)).map_err(|e| err(&e))?;
            }
        }
    }
    // Limits: dashed lines across, labelled at the right end (over the future, which is empty).
    for lim in &l.limits {
        let c = rgb(pal.hue(lim.hue));
        let bold = highlight_limit == Some(lim.id);
        let style = ShapeStyle::from(&c).stroke_width(px(if bold { 3.0 } else { 1.5 }) as u32);
        let y = px(lim.y);
        root.draw(&DashedPathElement::new(vec![(x0, y), (x1, y)], px(8.0), px(5.0), style))
            .map_err(|e| err(&e))?;
        let v = if lim.below { VPos::Top } else { VPos::Bottom };
        label(&lim.label, lim.text_at, &c, HPos::Right, v).map_err(|e| err(&e))?;
    }
    // Labels at the line ends, joined to their ends when they had to move away.
    for e in &l.labels {
        let c = rgb(pal.hue(e.hue));
        if let Some([a, b]) = e.leader {
            let ends = vec![at(a), at(b)];
            let leader = ShapeStyle::from(&c.mix(0.5)).stroke_width(px(1.0).max(1) as u32);
            root.draw(&PathElement::new(ends, leader)).map_err(|e| err(&e))?;
        }
        if e.plate {
            let (x, y, w, h) = e.plate(l.font);
            let plate = Rectangle::new([at((x, y)), at((x + w, y + h))], rgb(pal.surface).mix(0.85).filled());
            root.draw(&plate).map_err(|e| err(&e))?;
        }
        label(&e.text, e.text_at, &c, HPos::Left, VPos::Center).map_err(|e| err(&e))?;
    }
    if let Some(note) = &l.note {
        let style = font(14.0).color(&rgb(pal.text)).pos(Pos::new(HPos::Center, VPos::Center));
        let c = at(((l.left + l.right) / 2.0, (l.top + l.bottom) / 2.0));
        root.draw(&Text::new(note.clone(), c, style)).map_err(|e| err(&e))?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(Mapping::of(&l))
}
