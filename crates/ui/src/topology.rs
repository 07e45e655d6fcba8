//! Drawing the topology's environment dots on a canvas over the markup (thousands of dots stay
//! cheap: no DOM per dot), and what a click or a tap on the picture selects. Shared by the app's
//! `Topology` component and the widget.

use crate::markup;
use crate::state::{now_ms, Selection};
use crate::theme::Palette;
use lambdascape_engine::sim::Ref;
use lambdascape_engine::view::{self, DotKind, Frame, Hit, TopologyLayout};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Draws every environment dot: busy filled, idle hollow, initializing a (pulsing) ring,
/// provisioned as squares; the selected and highlighted ones get a ring.
pub fn draw_dots(
    canvas: &HtmlCanvasElement,
    layout: &TopologyLayout,
    frame: &Frame,
    pal: &Palette,
    marked: &[u32],
    pulse: f64,
) -> Option<()> {
    let dpr = web_sys::window()?.device_pixel_ratio().max(1.0);
    let (w, h) = ((layout.width * dpr) as u32, (layout.height * dpr) as u32);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).ok()?;
    ctx.clear_rect(0.0, 0.0, layout.width, layout.height);
    let tau = std::f64::consts::TAU;
    for (area, dots) in view::dot_areas(layout, frame) {
        let grid = view::dot_grid(area, dots.len());
        let c = grid.cell;
        let r = (c * 0.36).max(0.5);
        let tiny = c < 4.0;
        // One path per look: far fewer canvas calls than one per dot.
        for (kind, provisioned) in [
            (DotKind::Busy, false),
            (DotKind::Busy, true),
            (DotKind::Idle, false),
            (DotKind::Idle, true),
            (DotKind::Initializing, false),
            (DotKind::Initializing, true),
        ] {
            ctx.begin_path();
            let mut any = false;
            for (i, d) in dots.iter().enumerate() {
                if d.kind != kind || d.provisioned != provisioned {
                    continue;
                }
                any = true;
                let (x, y) = grid.center(i);
                if tiny {
                    ctx.rect(
                        x - c / 2.0,
                        y - c / 2.0,
                        c.max(1.0) - if c >= 2.0 { 0.5 } else { 0.0 },
                        c.max(1.0) - if c >= 2.0 { 0.5 } else { 0.0 },
                    );
                } else if provisioned {
                    ctx.rect(x - r, y - r, 2.0 * r, 2.0 * r);
                } else {
                    let rr = if kind == DotKind::Initializing { r * pulse } else { r };
                    ctx.move_to(x + rr, y);
                    let _ = ctx.arc(x, y, rr, 0.0, tau);
                }
            }
            if !any {
                continue;
            }
            match kind {
                DotKind::Busy => {
                    ctx.set_fill_style_str(pal.blue);
                    ctx.fill();
                }
                DotKind::Idle => {
                    if tiny {
                        ctx.set_fill_style_str(pal.green);
                        ctx.fill();
                    } else {
                        ctx.set_stroke_style_str(pal.green);
                        ctx.set_line_width((r * 0.45).clamp(1.0, 2.0));
                        ctx.stroke();
                    }
                }
                DotKind::Initializing => {
                    if tiny {
                        ctx.set_fill_style_str(pal.orange);
                        ctx.fill();
                    } else {
                        ctx.set_stroke_style_str(pal.orange);
                        ctx.set_line_width((r * 0.55).clamp(1.0, 2.5));
                        ctx.stroke();
                    }
                }
            }
        }
        if !marked.is_empty() {
            ctx.begin_path();
            for (i, d) in dots.iter().enumerate() {
                if marked.contains(&d.serial) {
                    let (x, y) = grid.center(i);
                    let rr = (r + 3.0).max(5.0);
                    ctx.move_to(x + rr, y);
                    let _ = ctx.arc(x, y, rr, 0.0, tau);
                }
            }
            ctx.set_stroke_style_str(pal.text);
            ctx.set_line_width(2.0);
            ctx.stroke();
        }
    }
    Some(())
}

/// The environments drawn with a ring: those a narrative entry names and the selected one.
pub fn marked_envs(highlight: &[Ref], selection: Selection) -> Vec<u32> {
    let named =
        highlight.iter().filter_map(|r| if let Ref::Env { serial } = r { Some(*serial) } else { None });
    let selected = if let Selection::Env(s) = selection { Some(s) } else { None };
    named.chain(selected).collect()
}

/// How much a cold start's ring is scaled now: it pulses gently (1.5 times a second) unless
/// motion is reduced.
pub fn pulse(reduced_motion: bool) -> f64 {
    if reduced_motion {
        1.0
    } else {
        1.0 + 0.22 * (now_ms() / 1000.0 * std::f64::consts::TAU * 1.5).sin()
    }
}

/// What a click on one of the buttons over the picture selects (their `data-select`).
pub fn select_target(target: &web_sys::Element) -> Option<Selection> {
    let b = target.closest("[data-select]").ok().flatten()?;
    Some(markup::parse_select(&b.get_attribute("data-select")?))
}

/// What a click at (x, y) in the picture selects.
pub fn hit(layout: &TopologyLayout, frame: &Frame, x: f64, y: f64) -> Selection {
    match view::hit_test(layout, frame, x, y) {
        Some(Hit::Env { serial }) => Selection::Env(serial),
        Some(Hit::Function { id }) => Selection::Function(id),
        Some(Hit::Subnet { id }) => Selection::Subnet(id),
        Some(Hit::Nat { id }) => Selection::Nat(id),
        None => Selection::None,
    }
}
