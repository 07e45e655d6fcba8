//! One chart pipeline: every preset's charts (`www/scenarios`), drawn by the CLI's `render`, are
//! the app's. For each preset and each chart the app shows for it (`ChartKind::for_scenario`):
//!
//! - the app's data is built as the app's state builds it (a simulation with checkpoints, run to
//!   the end, `chart::chart` with `chart::MAX_POINTS`), and is the data of a plain run (the
//!   CLI's);
//! - the app's painters' input (`lambdascape_ui::charts::layout`, for a canvas the size of the
//!   chart's box in the CLI's 960 × 400 picture) is the layout the CLI paints;
//! - `lambdascape render` writes an SVG whose texts are exactly, in order, the title, subtitle
//!   and unit, then that layout's value tick labels, limit labels, time tick labels, the time
//!   axis's title, the labels at the line ends and the note; whose filled polygons and solid
//!   polylines are the layout's areas and lines point for point (the decimated series in
//!   pixels), and whose dashed lines start where the layout's do, each in its hue's colour.

use lambdascape_engine::chart::axis::{self, Layout, Picture};
use lambdascape_engine::chart::{self, ChartData, ChartKind, Hue, LineStyle};
use lambdascape_engine::sim::{Options, Simulation};
use lambdascape_engine::ScenarioSpec;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Mutex;

const W: u32 = 960;
const H: u32 = 400;

fn presets() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/scenarios");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("index.json"))
        .collect();
    lambdascape_engine::size::order::sort(&mut v);
    v
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in an element's text.
fn attr<'a>(el: &'a str, name: &str) -> Option<&'a str> {
    let i = el.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&el[i..i + el[i..].find('"')?])
}

/// What an SVG written by plotters holds: its texts in order, and (colour, points) of its
/// polylines and polygons.
struct Svg {
    texts: Vec<String>,
    polylines: Vec<(String, String)>,
    polygons: Vec<(String, String)>,
}

fn parse(svg: &str) -> Svg {
    let mut out = Svg { texts: vec![], polylines: vec![], polygons: vec![] };
    let mut rest = svg;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').expect("a tag ends");
        let el = &rest[..=end];
        if el.starts_with("<text ") {
            let body = &rest[end + 1..];
            let close = body.find("</text>").expect("text closes");
            out.texts.push(unescape(body[..close].trim_matches('\n')));
        } else if el.starts_with("<polyline ") {
            out.polylines.push((attr(el, "stroke").unwrap().into(), attr(el, "points").unwrap().into()));
        } else if el.starts_with("<polygon ") {
            out.polygons.push((attr(el, "fill").unwrap().into(), attr(el, "points").unwrap().into()));
        }
        rest = &rest[end + 1..];
    }
    out
}

/// A layout point as the CLI paints it: whole pixels, `header` px down.
fn pixel((x, y): (f64, f64), header: f64) -> (i32, i32) {
    (x.round() as i32, (y + header).round() as i32)
}

fn points(pts: &[(f64, f64)], header: f64) -> String {
    pts.iter().map(|p| pixel(*p, header)).map(|(x, y)| format!("{x},{y} ")).collect()
}

/// Where two point lists first differ, for a short failure message.
fn first_difference(got: &str, want: &str) -> String {
    let (g, w): (Vec<&str>, Vec<&str>) = (got.split(' ').collect(), want.split(' ').collect());
    let i = g.iter().zip(&w).position(|(a, b)| a != b).unwrap_or(g.len().min(w.len()));
    format!(
        "{} points drawn, {} laid out; point {i}: {:?} drawn, {:?} laid out",
        g.len() - 1,
        w.len() - 1,
        g.get(i),
        w.get(i)
    )
}

/// The texts the CLI writes, in its order.
fn texts(d: &ChartData, l: &Layout, subtitle: &str) -> Vec<String> {
    let mut t = vec![d.title.clone(), subtitle.to_string(), d.unit.clone()];
    t.extend(l.y_ticks.iter().map(|x| x.label.clone()));
    t.extend(l.limits.iter().map(|x| x.label.clone()));
    t.extend(l.x_ticks.iter().map(|x| x.label.clone()));
    t.push(l.x_title.to_string());
    t.extend(l.labels.iter().map(|x| x.text.clone()));
    t.extend(l.note.clone());
    t
}

fn run(spec: &ScenarioSpec, options: Options) -> Simulation {
    let mut sim = Simulation::with_seed(spec.validate().unwrap(), spec.seed, options);
    sim.run();
    sim
}

/// Runs `lambdascape render` for every job, two at a time.
fn render_all(jobs: &[(PathBuf, ChartKind)]) -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("chart-pipeline");
    std::fs::create_dir_all(&dir).unwrap();
    let next = Mutex::new(0usize);
    let out = Mutex::new(vec![String::new(); jobs.len()]);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = {
                    let mut n = next.lock().unwrap();
                    *n += 1;
                    *n - 1
                };
                let Some((path, kind)) = jobs.get(i) else { break };
                let file = dir.join(format!("{i}-{}.svg", kind.name()));
                let o = Command::new(env!("CARGO_BIN_EXE_lambdascape"))
                    .args(["render", path.to_str().unwrap(), "--chart", kind.name(), "--out"])
                    .arg(&file)
                    .output()
                    .expect("the binary runs");
                assert!(o.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&o.stderr));
                out.lock().unwrap()[i] = std::fs::read_to_string(&file).unwrap();
            });
        }
    });
    out.into_inner().unwrap()
}

#[test]
fn the_app_and_the_light_theme_paint_the_clis_colours() {
    for h in Hue::ALL {
        assert_eq!(lambdascape_ui::theme::LIGHT.hue(h), h.hex(), "{h:?}");
    }
}

#[test]
fn every_presets_charts_are_the_same_in_the_app_and_the_cli() {
    let pic = Picture::new(W as f64, H as f64);
    assert_eq!(pic.chart.font, axis::APP_FONT, "the CLI's default picture has the app's text size");
    let mut jobs = vec![];
    let mut expected = vec![];
    for path in presets() {
        let spec = ScenarioSpec::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
        // The app's simulation (crates/ui/src/state.rs: checkpoints, run to the end) and the CLI's.
        let app = run(&spec, Options { checkpoints: true, ..Default::default() });
        let cli = run(&spec, Options::default());
        let subtitle =
            format!("{} · seed {}", if spec.title.is_empty() { &spec.name } else { &spec.title }, spec.seed);
        for kind in ChartKind::for_scenario(app.scenario()) {
            let data = chart::chart(&app, kind, chart::MAX_POINTS);
            assert_eq!(data, chart::chart(&cli, kind, chart::MAX_POINTS), "{}: {kind:?}", path.display());
            let app_layout = lambdascape_ui::charts::layout(&data, &[], pic.chart.width, pic.chart.height);
            assert_eq!(app_layout, axis::layout(&data, &pic.chart), "{}: {kind:?}", path.display());
            jobs.push((path.clone(), kind));
            expected.push((data, app_layout, subtitle.clone()));
        }
    }
    assert!(jobs.len() >= 4 * 18, "{} charts", jobs.len());
    let svgs = render_all(&jobs);
    let (mut series_points, mut tick_labels, mut line_labels) = (0, 0, 0);
    for (((path, kind), (d, l, subtitle)), svg) in jobs.iter().zip(&expected).zip(&svgs) {
        let at = format!("{} --chart {}", path.file_name().unwrap().to_string_lossy(), kind.name());
        let svg = parse(svg);
        assert_eq!(svg.texts, texts(d, l, subtitle), "{at}: the texts");
        assert!(l.y_ticks.len() >= 2 && l.x_ticks.len() >= 2, "{at}");
        tick_labels += l.y_ticks.len() + l.x_ticks.len();
        line_labels += l.labels.len();
        let mut fills = svg.polygons.iter();
        for (p, line) in l.paths.iter().zip(d.areas.iter().chain(&d.lines)) {
            let hex = p.hue.hex().to_string();
            series_points += line.points.len();
            if !p.fill.is_empty() {
                let want = points(&p.fill, pic.header);
                let (c, got) =
                    fills.next().unwrap_or_else(|| panic!("{at}: the area {} is not drawn", line.label));
                assert_eq!(c, &hex, "{at}: the area {}'s colour", line.label);
                assert!(*got == want, "{at}: the area {}: {}", line.label, first_difference(got, &want));
            }
            for part in &p.parts {
                let pts = points(part, pic.header);
                let found = if p.style == LineStyle::Dashed {
                    let first = pts.split_inclusive(' ').next().unwrap();
                    part.len() < 2 || svg.polylines.iter().any(|(c, q)| *c == hex && q.starts_with(first))
                } else {
                    svg.polylines.iter().any(|(c, q)| *c == hex && *q == pts)
                };
                assert!(
                    found,
                    "{at}: the line {} ({} points) is not drawn as laid out",
                    line.label,
                    part.len()
                );
            }
        }
        assert!(fills.next().is_none(), "{at}: a filled polygon more than the layout's areas");
    }
    assert!(
        series_points > 10_000 && tick_labels > 500 && line_labels > 100,
        "{series_points} {tick_labels} {line_labels}"
    );
}
