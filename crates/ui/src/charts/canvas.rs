//! The app's chart (`time_series`) painted straight on the canvas's 2D context: the widget's
//! charts, the same picture without plotters in the download. It paints the engine's layout
//! ([`super::layout`]) and computes nothing of its own.

use super::{layout, Mapping};
use crate::theme::Palette;
use lambdascape_engine::chart::{ChartData, LineStyle};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d as Ctx, HtmlCanvasElement};

fn dash(ctx: &Ctx, on: f64, off: f64) {
    let a = js_sys::Array::new();
    if on > 0.0 {
        a.push(&JsValue::from(on));
        a.push(&JsValue::from(off));
    }
    let _ = ctx.set_line_dash(&a);
}

fn text(ctx: &Ctx, s: &str, (x, y): (f64, f64), align: &str, baseline: &str, color: &str) {
    ctx.set_text_align(align);
    ctx.set_text_baseline(baseline);
    ctx.set_fill_style_str(color);
    let _ = ctx.fill_text(s, x, y);
}

/// Adds a polyline to the current path.
fn polyline(ctx: &Ctx, pts: &[(f64, f64)]) {
    for (i, &(x, y)) in pts.iter().enumerate() {
        if i == 0 {
            ctx.move_to(x, y);
        } else {
            ctx.line_to(x, y);
        }
    }
}

/// Paints `data` on `canvas` (already sized to its CSS size × `dpr`), with the margins it shares
/// with `peers` ([`super::layout`]).
pub fn draw(
    canvas: &HtmlCanvasElement,
    data: &ChartData,
    peers: &[ChartData],
    pal: &Palette,
    dpr: f64,
    highlight_limit: Option<&str>,
) -> Result<Mapping, String> {
    let ctx: Ctx =
        canvas.get_context("2d").ok().flatten().and_then(|c| c.dyn_into().ok()).ok_or("no 2d context")?;
    let (w, h) = (canvas.width() as f64 / dpr, canvas.height() as f64 / dpr);
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.set_fill_style_str(pal.surface);
    ctx.fill_rect(0.0, 0.0, w, h);
    let l = layout(data, peers, w, h);
    if l.right <= l.left || l.bottom <= l.top {
        return Ok(Mapping::default());
    }
    ctx.set_font("13px system-ui, sans-serif");
    ctx.set_line_width(1.0);
    let line = |x0: f64, y0: f64, x1: f64, y1: f64| {
        ctx.begin_path();
        ctx.move_to(x0, y0);
        ctx.line_to(x1, y1);
        ctx.stroke();
    };
    // Grid and tick labels: values on y, clock-friendly times on x.
    ctx.set_stroke_style_str(pal.grid);
    for t in &l.y_ticks {
        let y = t.at.round() + 0.5;
        line(l.left, y, l.right, y);
        text(&ctx, &t.label, t.text_at, "right", "middle", pal.muted);
    }
    for t in &l.x_ticks {
        let x = t.at.round() + 0.5;
        if t.value > 0.0 {
            line(x, l.top, x, l.bottom);
        }
        text(&ctx, &t.label, t.text_at, "center", "top", pal.muted);
    }
    ctx.set_stroke_style_str(pal.muted);
    line(l.left + 0.5, l.top, l.left + 0.5, l.bottom);
    line(l.left, l.bottom + 0.5, l.right, l.bottom + 0.5);
    // Areas (filled, then their top edge) and lines, in the layout's order.
    ctx.set_line_width(1.5);
    for p in &l.paths {
        let c = pal.hue(p.hue);
        if !p.fill.is_empty() {
            ctx.begin_path();
            polyline(&ctx, &p.fill);
            ctx.close_path();
            ctx.set_global_alpha(0.55);
            ctx.set_fill_style_str(c);
            ctx.fill();
            ctx.set_global_alpha(1.0);
        }
        dash(&ctx, if p.style == LineStyle::Dashed { 6.0 } else { 0.0 }, 4.0);
        ctx.begin_path();
        for part in &p.parts {
            polyline(&ctx, part);
        }
        ctx.set_stroke_style_str(c);
        ctx.stroke();
    }
    // Limits: dashed lines across, labelled at the right end (over the future, which is empty).
    dash(&ctx, 8.0, 5.0);
    for lim in &l.limits {
        let c = pal.hue(lim.hue);
        ctx.set_line_width(if highlight_limit == Some(lim.id) { 3.0 } else { 1.5 });
        ctx.set_stroke_style_str(c);
        line(l.left, lim.y, l.right, lim.y);
        text(&ctx, &lim.label, lim.text_at, "right", if lim.below { "top" } else { "bottom" }, c);
    }
    dash(&ctx, 0.0, 0.0);
    // Labels at the line ends, joined to their ends when they had to move away.
    ctx.set_line_width(1.0);
    for e in &l.labels {
        let c = pal.hue(e.hue);
        if let Some([a, b]) = e.leader {
            ctx.set_global_alpha(0.5);
            ctx.set_stroke_style_str(c);
            line(a.0, a.1, b.0, b.1);
            ctx.set_global_alpha(1.0);
        }
        if e.plate {
            let (x, y, w, h) = e.plate(l.font);
            ctx.set_fill_style_str(pal.surface);
            ctx.set_global_alpha(0.85);
            ctx.fill_rect(x, y, w, h);
            ctx.set_global_alpha(1.0);
        }
        text(&ctx, &e.text, e.text_at, "left", "middle", c);
    }
    if let Some(note) = &l.note {
        ctx.set_font("14px system-ui, sans-serif");
        let at = ((l.left + l.right) / 2.0, (l.top + l.bottom) / 2.0);
        text(&ctx, note, at, "center", "middle", pal.text);
    }
    Ok(Mapping::of(&l))
}
