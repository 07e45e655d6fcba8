//! The charts of one panel share one time axis and use their room: for every preset, at the
//! canvas sizes of the app's grid (two columns at 1440 and 1280 px wide, one on a phone) and at
//! several moments, the app's layouts (`lambdascape_ui::charts::layout` with the panel's charts as
//! peers) have the same plot left and right edges, labels at the line ends take at most a quarter
//! of the canvas and stay inside it, and the time span shown ([`Span`]) holds every point.

use lambdascape_engine::chart::axis::text_width;
use lambdascape_engine::chart::{self, span_bounds, ChartData, ChartKind, Span, FIT_OVER_S};
use lambdascape_engine::sim::{Options, Simulation};
use lambdascape_engine::time::MICROS_PER_SEC;
use lambdascape_engine::ScenarioSpec;
use lambdascape_ui::charts::layout;
use std::path::PathBuf;

fn presets() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/scenarios");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("index.json"))
        .collect();
    v.sort();
    v
}

/// The panel's charts as the app's state makes them.
fn panel(sim: &Simulation, span: Span) -> Vec<ChartData> {
    ChartKind::for_scenario(sim.scenario())
        .into_iter()
        .map(|k| chart::chart_in(sim, k, chart::MAX_POINTS, span))
        .collect()
}

/// Canvas sizes of the app's chart grid: 1440×900 and 1280×800 (two columns), a phone (one).
const SIZES: [(f64, f64); 3] = [(470.0, 130.0), (400.0, 120.0), (352.0, 190.0)];

#[test]
fn every_presets_charts_share_their_time_axis_and_keep_labels_inside() {
    let (mut checked, mut cut, mut inside, mut over, mut plates) = (0, 0, 0, 0, 0);
    for path in presets() {
        let spec = ScenarioSpec::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let sc = spec.validate().unwrap();
        let horizon = sc.horizon;
        let mut sim =
            Simulation::with_seed(sc, spec.seed, Options { checkpoints: true, ..Default::default() });
        for frac in [0.1, 0.5, 1.0] {
            sim.advance_to((horizon as f64 * frac) as u64);
            for span in [Span::Fit, Span::Whole] {
                let charts = panel(&sim, span);
                for (w, h) in SIZES {
                    // Titles that wrap make some canvases shorter than others in a row.
                    let ls: Vec<_> = charts
                        .iter()
                        .enumerate()
                        .map(|(i, d)| layout(d, &charts, w, if i % 2 == 0 { h } else { h - 16.0 }))
                        .collect();
                    let at = format!("{} at {frac} ({span:?}) {w}x{h}", path.display());
                    for (l, d) in ls.iter().zip(&charts) {
                        assert_eq!((l.left, l.right), (ls[0].left, ls[0].right), "{at}: {}", d.title);
                        assert!(
                            l.right - l.left >= 0.6 * w,
                            "{at}: {}: the plot is {:.0} of {w}",
                            d.title,
                            l.right - l.left
                        );
                        for e in &l.labels {
                            let end = e.text_at.0 + text_width(&e.text, l.font);
                            assert!(end <= w + 0.5, "{at}: {}: '{}' ends at {end:.1}", d.title, e.text);
                            if e.text_at.0 > l.right {
                                assert!(text_width(&e.text, l.font) <= 0.25 * w, "{at}: '{}'", e.text);
                            } else {
                                // Inside the plot: a limit far above the data, or on a
                                // narrow chart every label.
                                assert!(
                                    e.text_at.0 >= l.left && (e.text.ends_with('↑') || w <= 380.0),
                                    "{at}: '{}' inside",
                                    e.text
                                );
                                assert!(end <= l.right + 0.5, "{at}: '{}' leaves the plot", e.text);
                                inside += 1;
                                plates += e.plate as usize;
                                if !e.plate && on_a_line(l, (e.text_at.0, end), e.text_at.1) {
                                    over += 1;
                                    eprintln!("{at}: {}: '{}' over the data", d.title, e.text);
                                }
                                // Clear of the limits' own labels (a line of text tall).
                                for m in &l.limits {
                                    let (a, b) = if m.below {
                                        (m.text_at.1, m.text_at.1 + 13.0)
                                    } else {
                                        (m.text_at.1 - 13.0, m.text_at.1)
                                    };
                                    let (y, half) = (e.text_at.1, 8.0);
                                    assert!(
                                        y + half <= a + 1e-6 || y - half >= b - 1e-6,
                                        "{at}: '{}' on the label of '{}'",
                                        e.text,
                                        m.label
                                    );
                                }
                            }
                            cut += e.text.contains('…') as usize;
                            if let Some([a, b]) = e.leader {
                                assert!(
                                    a.0 >= l.right && b.0 <= e.text_at.0,
                                    "{at}: a leader stays in the margin"
                                );
                            }
                        }
                        for t in &l.x_ticks {
                            assert!(t.at >= l.left - 0.5 && t.at <= l.right + 0.5, "{at}: tick {}", t.label);
                        }
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 1000, "{checked} layouts");
    eprintln!("{checked} layouts checked; {cut} line-end labels shortened to fit; {plates} of {inside} inside the plot on a plate");
    // A label inside a plot stands where no line passes, or, where the lines leave no such
    // place, on a plate; few need one (251 of 1,494 stood on a line when each was put at the
    // top right).
    assert!(inside > 1000, "{inside} labels inside a plot");
    assert_eq!(over, 0, "labels inside a plot written over a line without a plate");
    assert!(plates * 10 <= inside, "{plates} of {inside} labels inside a plot on a plate");
}

/// Whether a data line of `l` passes through the text box from `x.0` to `x.1`, a line of text
/// (13 px) high around `y`: each segment walked in steps of a pixel.
fn on_a_line(l: &lambdascape_engine::chart::axis::Layout, x: (f64, f64), y: f64) -> bool {
    let (top, bottom) = (y - 6.5, y + 6.5);
    l.paths.iter().flat_map(|p| &p.parts).any(|part| {
        part.windows(2).any(|s| {
            let (a, b) = (s[0], s[1]);
            let n = ((b.0 - a.0).abs().max((b.1 - a.1).abs()).ceil() as usize).max(1);
            (0..=n).any(|k| {
                let f = k as f64 / n as f64;
                let (px, py) = (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f);
                px > x.0 + 0.5 && px < x.1 - 0.5 && py > top + 0.5 && py < bottom - 0.5
            })
        })
    })
}

#[test]
fn a_long_run_is_shown_up_to_now_and_a_window_holds_its_points() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/scenarios/pc-target-tracking-daily.json");
    let spec = ScenarioSpec::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let sc = spec.validate().unwrap();
    let horizon_s = sc.horizon as f64 / MICROS_PER_SEC as f64;
    assert!(horizon_s > FIT_OVER_S);
    let mut sim = Simulation::with_seed(sc, spec.seed, Options::default());
    sim.advance_to(2 * 3600 * MICROS_PER_SEC);
    let now = 7200.0;
    // Up to now: the chart ends a little after now, at a round time, far before the day's end.
    let fit = panel(&sim, Span::Fit);
    for d in &fit {
        assert_eq!(d.x_min, 0.0);
        assert!(d.x_max >= now * 1.1 && d.x_max <= now * 2.0, "{}: {}", d.title, d.x_max);
        assert_eq!(d.x_max % 60.0, 0.0, "a round end");
    }
    let conc = &fit[0];
    let last = conc.areas[0].points.last().unwrap().0;
    assert_eq!(last, now, "the series reach now");
    // The whole run: the day.
    assert!(panel(&sim, Span::Whole).iter().all(|d| d.x_max == horizon_s));
    // A window: only its samples, as many as it has (not the day's decimation).
    let win = panel(&sim, Span::Window(1800.0, 3600.0));
    let interval = sim.scenario().sample_interval as f64 / MICROS_PER_SEC as f64;
    for d in &win {
        assert_eq!((d.x_min, d.x_max), (1800.0, 3600.0));
        for l in d.areas.iter().chain(&d.lines) {
            assert!(l.points.iter().all(|p| p.0 >= 1800.0 && p.0 <= 3600.0), "{}: {}", d.title, l.label);
        }
    }
    let n = win[0].areas[0].points.len() as f64;
    assert!(n >= (1800.0 / interval).min(chart::MAX_POINTS as f64) * 0.9, "{n} points in the window");
    // A window's y axis fits the window's data, not the day's.
    let (whole, win) = (&panel(&sim, Span::Whole)[3], &win[3]);
    assert_eq!(win.title, "Latency (end to end)");
    let top = |d: &ChartData| d.lines.iter().flat_map(|l| &l.points).map(|p| p.1).fold(0.0, f64::max);
    assert!(top(win) > 0.0 && top(win) <= top(whole), "{} vs {}", top(win), top(whole));
    assert_eq!(win.y_max, chart::nice_top(top(win)));
}

#[test]
fn spans_resolve_and_read_back() {
    // Short scenarios are shown whole; long ones up to a round time past now, at least 5 min.
    assert_eq!(span_bounds(Span::Fit, 600.0, 30.0), (0.0, 600.0));
    assert_eq!(span_bounds(Span::Fit, 86_400.0, 0.0), (0.0, 300.0));
    assert_eq!(span_bounds(Span::Fit, 86_400.0, 7200.0), (0.0, 9000.0));
    assert_eq!(span_bounds(Span::Fit, 86_400.0, 86_400.0), (0.0, 86_400.0));
    assert_eq!(span_bounds(Span::Whole, 86_400.0, 10.0), (0.0, 86_400.0));
    // A window is held inside the run, never shorter than 2 s.
    assert_eq!(span_bounds(Span::Window(60.0, 120.0), 600.0, 0.0), (60.0, 120.0));
    assert_eq!(span_bounds(Span::Window(500.0, 900.0), 600.0, 0.0), (500.0, 600.0));
    assert_eq!(span_bounds(Span::Window(700.0, 900.0), 600.0, 0.0), (598.0, 600.0));
    for s in [Span::Fit, Span::Whole, Span::Window(60.0, 120.0)] {
        assert_eq!(Span::parse(s.text().as_deref()), Some(s));
    }
    for bad in ["", "x", "10", "10-11", "20-10", "a-b", "whole-"] {
        assert_eq!(Span::parse(Some(bad)), None, "{bad}");
    }
}
