//! The time-series chart of `time_series`, drawn straight on the canvas's 2D context: the
//! widget's charts (the same picture without plotters in the download).

use super::{axis_label, direct_labels, mmss, right_margin, time_step, Mapping};
use crate::theme::Palette;
use lambdascape_engine::view::{ChartData, LineStyle};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d as Ctx, HtmlCanvasElement};

/// A step for about `count` y ticks over `top`: 1, 2 or 5 times a power of ten.
fn nice_step(top: f64, count: f64) -> f64 {
    let raw = (top / count).max(1e-12);
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * p).find(|s| *s >= raw).unwrap_or(10.0 * p)
}

fn dash(ctx: &Ctx, on: f64, off: f64) {
    let a = js_sys::Array::new();
    if on > 0.0 {
        a.push(&JsValue::from(on));
        a.push(&JsValue::from(off));
    }
    let _ = ctx.set_line_dash(&a);
}

fn text(ctx: &Ctx, s: &str, x: f64, y: f64, align: &str, baseline: &str, color: &str) {
    ctx.set_text_align(align);
    ctx.set_text_baseline(baseline);
    ctx.set_fill_style_str(color);
    let _ = ctx.fill_text(s, x, y);
}

/// Draws `data` on `canvas` (already sized to its CSS size × `dpr`).
pub fn draw(
    canvas: &HtmlCanvasElement,
    data: &ChartData,
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
    ctx.set_font("13px system-ui, sans-serif");
    ctx.set_line_width(1.0);
    let (x_max, y_max) = (data.x_max.max(1.0), data.y_max.max(1e-9));
    let (right_w, label_w) = right_margin(data, w);
    let y_label_w = (axis_label(data.y_max, data.y_max).chars().count() as f64 * 7.5 + 12.0).max(46.0);
    let (left, right, top, bottom) = (4.0 + y_label_w, w - right_w, 10.0, h - 26.0);
    if right <= left || bottom <= top {
        return Ok(Mapping::default());
    }
    let x_of = |t: f64| left + t / x_max * (right - left);
    let y_of = |v: f64| bottom - v / y_max * (bottom - top);
    let line = |x0: f64, y0: f64, x1: f64, y1: f64| {
        ctx.begin_path();
        ctx.move_to(x0, y0);
        ctx.line_to(x1, y1);
        ctx.stroke();
    };
    // Grid and labels: values on y, clock-friendly times on x (as many as fit).
    ctx.set_stroke_style_str(pal.grid);
    let step = nice_step(y_max, 5.0);
    for k in 0..=((y_max / step).floor() as usize).min(50) {
        let v = k as f64 * step;
        let y = y_of(v).round() + 0.5;
        line(left, y, right, y);
        text(&ctx, &axis_label(v, data.y_max), left - 6.0, y, "right", "middle", pal.muted);
    }
    let t_step = time_step(x_max, ((right - left) / label_w).floor());
    for k in 0..=((x_max / t_step + 1e-9).floor() as usize).min(100) {
        let t = k as f64 * t_step;
        let x = x_of(t).round() + 0.5;
        if t > 0.0 {
            line(x, top, x, bottom);
        }
        text(&ctx, &mmss(t), x, bottom + 6.0, "center", "top", pal.muted);
    }
    ctx.set_stroke_style_str(pal.muted);
    line(left + 0.5, top, left + 0.5, bottom);
    line(left, bottom + 0.5, right, bottom + 0.5);
    // Stacked areas, then lines.
    let path = |pts: &[(f64, f64)]| {
        ctx.begin_path();
        for (i, &(t, v)) in pts.iter().enumerate() {
            if i == 0 {
                ctx.move_to(x_of(t), y_of(v));
            } else {
                ctx.line_to(x_of(t), y_of(v));
            }
        }
    };
    ctx.set_line_width(1.5);
    for a in &data.areas {
        let (Some(first), Some(last)) = (a.points.first(), a.points.last()) else { continue };
        let c = pal.hue(a.hue);
        path(&a.points);
        ctx.line_to(x_of(last.0), y_of(0.0));
        ctx.line_to(x_of(first.0), y_of(0.0));
        ctx.close_path();
        ctx.set_global_alpha(0.55);
        ctx.set_fill_style_str(c);
        ctx.fill();
        ctx.set_global_alpha(1.0);
        path(&a.points);
        ctx.set_stroke_style_str(c);
        ctx.stroke();
    }
    for l in &data.lines {
        dash(&ctx, if l.style == LineStyle::Dashed { 6.0 } else { 0.0 }, 4.0);
        path(&l.points);
        ctx.set_stroke_style_str(pal.hue(l.hue));
        ctx.stroke();
    }
    // Limits: dashed lines across, labelled at the right end (over the future, which is empty),
    // labels nudged apart when limits are close; one at the top is labelled under its line.
    let mut limits: Vec<_> = data.limits.iter().filter(|l| l.value <= data.y_max).collect();
    lambdascape_engine::order::sort_by(&mut limits, |a, b| a.value.total_cmp(&b.value));
    let mut last_y = f64::MAX;
    dash(&ctx, 8.0, 5.0);
    for lim in limits {
        let c = pal.hue(lim.hue);
        ctx.set_line_width(if highlight_limit == Some(lim.id) { 3.0 } else { 1.5 });
        ctx.set_stroke_style_str(c);
        let y = y_of(lim.value);
        line(left, y, right, y);
        let ly = (y - 3.0).min(last_y - 15.0);
        last_y = ly;
        let (ly, base) = if ly - 13.0 < top { (ly + 6.0, "top") } else { (ly, "bottom") };
        text(&ctx, &lim.label, right - 4.0, ly, "right", base, c);
    }
    dash(&ctx, 0.0, 0.0);
    if right_w > 50.0 {
        for (y, label, hue) in direct_labels(data, y_of, top + 7.0, bottom, 16.0) {
            text(&ctx, &label, right + 6.0, y, "left", "middle", pal.hue(hue));
        }
    }
    if data.lines.is_empty() && data.areas.is_empty() {
        ctx.set_font("14px system-ui, sans-serif");
        text(&ctx, "none so far", (left + right) / 2.0, (top + bottom) / 2.0, "center", "middle", pal.text);
    }
    Ok(Mapping { left, right, top, bottom, x_max })
}
