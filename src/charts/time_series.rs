//! A time-series chart: stacked areas, lines, dashed limit lines with labels, direct labels at
//! line ends (no legend), time on x as mm:ss of simulated time.

use super::{axis_label, direct_labels, mmss, right_margin, time_step, Mapping};
use crate::theme::Palette;
use lambdascape_engine::view::{ChartData, LineStyle};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

fn rgb(hex: &str) -> RGBColor {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0);
    RGBColor((v >> 16) as u8, (v >> 8) as u8, v as u8)
}

/// Draws `data` on `canvas` (already sized to its CSS size × `dpr`).
pub fn draw(
    canvas: HtmlCanvasElement,
    data: &ChartData,
    pal: &Palette,
    dpr: f64,
    highlight_limit: Option<&str>,
) -> Result<Mapping, String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let backend = CanvasBackend::with_canvas_object(canvas).ok_or("no 2d context")?;
    let root = backend.into_drawing_area();
    root.fill(&rgb(pal.surface)).map_err(|e| err(&e))?;
    let px = |v: f64| (v * dpr).round() as i32;
    // A FontFamily rather than a &str: plotters lowercases a &str font name, which brings the
    // Unicode case tables into the download.
    let font = |size: f64| (FontFamily::Name("system-ui, sans-serif"), size * dpr).into_font();
    let text = rgb(pal.text);
    let muted = rgb(pal.muted);
    let (w, _) = root.dim_in_pixel();
    let x_max = data.x_max.max(1.0);
    let (right_labels, label_w) = right_margin(data, w as f64 / dpr);
    let mut chart = ChartBuilder::on(&root)
        .margin_top(px(10.0))
        .margin_right(px(right_labels))
        .margin_left(px(4.0))
        .x_label_area_size(px(26.0))
        .y_label_area_size(px(
            (axis_label(data.y_max, data.y_max).chars().count() as f64 * 7.5 + 12.0).max(46.0)
        ))
        .build_cartesian_2d(0f64..x_max, 0f64..data.y_max.max(1e-9))
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_labels(0)
        .disable_x_mesh()
        .y_labels(5)
        .y_label_formatter(&|y| axis_label(*y, data.y_max))
        .label_style(font(13.0).color(&muted))
        .axis_style(ShapeStyle::from(&muted).stroke_width(px(1.0) as u32))
        .bold_line_style(ShapeStyle::from(&rgb(pal.grid)).stroke_width(px(1.0) as u32))
        .light_line_style(ShapeStyle::from(&rgb(pal.grid).mix(0.0)))
        .draw()
        .map_err(|e| err(&e))?;
    // Time ticks on clock-friendly steps (plotters' own f64 ticks fall on 100 s and the like),
    // as many as fit side by side in the plot's width (labels such as "02:00" or "1:00:00").
    let plot = chart.plotting_area().get_pixel_range().0;
    let step = time_step(x_max, ((plot.end - plot.start) as f64 / (label_w * dpr)).floor());
    let ticks: Vec<f64> = (0..).map(|i| i as f64 * step).take_while(|t| *t <= x_max + 1e-9).collect();
    let grid = ShapeStyle::from(&rgb(pal.grid)).stroke_width(px(1.0) as u32);
    for t in &ticks {
        if *t > 0.0 {
            chart.draw_series(LineSeries::new([(*t, 0.0), (*t, data.y_max)], grid)).map_err(|e| err(&e))?;
        }
        let (x, y) = chart.backend_coord(&(*t, 0.0));
        root.draw(&Text::new(
            mmss(*t),
            (x, y + px(6.0)),
            font(13.0).color(&muted).pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(|e| err(&e))?;
    }

    for a in &data.areas {
        let c = rgb(pal.hue(a.hue));
        chart
            .draw_series(
                AreaSeries::new(a.points.iter().copied(), 0.0, c.mix(0.55))
                    .border_style(ShapeStyle::from(&c).stroke_width(px(1.5) as u32)),
            )
            .map_err(|e| err(&e))?;
    }
    for l in &data.lines {
        let c = rgb(pal.hue(l.hue));
        let style = ShapeStyle::from(&c).stroke_width(px(1.5).max(1) as u32);
        match l.style {
            LineStyle::Dashed => {
                chart
                    .draw_series(DashedLineSeries::new(l.points.iter().copied(), px(6.0), px(4.0), style))
                    .map_err(|e| err(&e))?;
            }
            _ => {
                chart.draw_series(LineSeries::new(l.points.iter().copied(), style)).map_err(|e| err(&e))?;
            }
        }
    }
    // The plot's pixel range (fixed once the chart is built).
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    // Limits: dashed lines across, labelled at the right end (over the future, which is empty),
    // labels nudged apart when limits are close.
    let mut last_label_y = i32::MAX;
    let mut limits: Vec<_> = data.limits.iter().filter(|l| l.value <= data.y_max).collect();
    lambdascape_engine::order::sort_by(&mut limits, |a, b| a.value.total_cmp(&b.value));
    for lim in limits {
        let c = rgb(pal.hue(lim.hue));
        let bold = highlight_limit == Some(lim.id);
        let style = ShapeStyle::from(&c).stroke_width(px(if bold { 3.0 } else { 1.5 }) as u32);
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, lim.value), (x_max, lim.value)],
                px(8.0),
                px(5.0),
                style,
            ))
            .map_err(|e| err(&e))?;
        let (_, y) = chart.backend_coord(&(0.0, lim.value));
        let y = (y - px(3.0)).min(last_label_y - px(15.0));
        last_label_y = y;
        // A limit at the top of the plot is labelled under its line, inside the chart.
        let (y, v) = if y - px(13.0) < yr.start { (y + px(6.0), VPos::Top) } else { (y, VPos::Bottom) };
        root.draw(&Text::new(
            lim.label.clone(),
            (xr.end - px(4.0), y),
            font(13.0).color(&c).pos(Pos::new(HPos::Right, v)),
        ))
        .map_err(|e| err(&e))?;
    }
    // Direct labels at the line ends (right margin), nudged apart.
    if right_labels > 50.0 {
        let y_of = |v: f64| chart.backend_coord(&(0.0, v)).1 as f64;
        let labels =
            direct_labels(data, y_of, yr.start as f64 + px(7.0) as f64, yr.end as f64, px(16.0) as f64);
        for (y, label, hue) in labels {
            root.draw(&Text::new(
                label,
                (xr.end + px(6.0), y as i32),
                font(13.0).color(&rgb(pal.hue(hue))).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|e| err(&e))?;
        }
    }
    if data.lines.is_empty() && data.areas.is_empty() {
        root.draw(&Text::new(
            "none so far",
            ((xr.start + xr.end) / 2, (yr.start + yr.end) / 2),
            font(14.0).color(&text).pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(|e| err(&e))?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(Mapping {
        left: xr.start as f64 / dpr,
        right: xr.end as f64 / dpr,
        top: yr.start as f64 / dpr,
        bottom: yr.end as f64 / dpr,
        x_max,
    })
}
