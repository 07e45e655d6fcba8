//! A function's traffic: the pattern and its parameters with a live preview curve (drawn with
//! the engine's `Pattern::rate_at`), a curve drawn with the mouse, and a CSV of (time, rate)
//! read from a file.

use super::fields::{select_field, text_field, Ctx};
use lambdascape_engine::edit::Edit;
use lambdascape_engine::editor::{
    drawn_curve, set_traffic_param, traffic_kind, traffic_of_kind, traffic_params, traffic_preview,
};
use lambdascape_engine::traffic::{Arrivals, TrafficSpec};
use lambdascape_ui::state::{Action, EditAction};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

const W: f64 = 300.0;
const H: f64 = 90.0;

#[derive(Properties, Clone)]
pub struct Props {
    pub function: String,
    pub traffic: TrafficSpec,
    pub horizon_s: f64,
    pub now_s: f64,
    pub errors: Rc<std::collections::BTreeMap<String, String>>,
    pub dispatch: Callback<Action>,
}

impl PartialEq for Props {
    fn eq(&self, o: &Self) -> bool {
        self.function == o.function
            && self.traffic == o.traffic
            && self.horizon_s == o.horizon_s
            && (self.now_s - o.now_s).abs() < self.horizon_s / W
            && Rc::ptr_eq(&self.errors, &o.errors)
    }
}

fn path_of(pts: &[(f64, f64)], horizon: f64, top: f64) -> String {
    let mut d = String::new();
    for (i, (t, r)) in pts.iter().enumerate() {
        let x = t / horizon * W;
        let y = H - 4.0 - r / top * (H - 12.0);
        d.push_str(&format!("{}{x:.1} {y:.1} ", if i == 0 { "M" } else { "L" }));
    }
    d
}

#[component]
pub fn TrafficEditor(p: &Props) -> Html {
    let drawing = use_state(|| None::<Vec<(f64, f64)>>);
    let svg_ref = use_node_ref();
    let c = Ctx { errors: p.errors.clone(), dispatch: p.dispatch.clone() };
    let f = p.function.clone();
    let key_base = format!("fn:{f}:traffic");
    let horizon = p.horizon_s.max(1.0);
    let preview = traffic_preview(&p.traffic, horizon, 240);
    let top =
        preview.as_ref().map_or(1.0, |pts| pts.iter().map(|x| x.1).fold(0.0, f64::max)).max(1e-6) * 1.15;
    let kind = traffic_kind(&p.traffic);
    let kinds = ["none", "constant", "step", "ramp", "sine", "bursts", "points"];
    let mean =
        preview.as_ref().map_or(1.0, |pts| pts.iter().map(|x| x.1).sum::<f64>() / pts.len().max(1) as f64);
    let pattern = {
        let f = f.clone();
        select_field(
            &c,
            &format!("{key_base}:kind"),
            "Pattern",
            kinds.iter().map(|k| (k.to_string(), k.to_string())).collect(),
            kind,
            Rc::new(move |v: &str| {
                traffic_of_kind(v, mean, horizon)
                    .map(|traffic| Edit::SetTraffic { function: f.clone(), traffic })
            }),
        )
    };
    let params = traffic_params(&p.traffic).into_iter().map(|(k, v)| {
        let (f, t, k2) = (f.clone(), p.traffic.clone(), k.clone());
        text_field(
            &c,
            &format!("{key_base}:{k}"),
            &k.replace('_', " "),
            v,
            "",
            Rc::new(move |text: &str| {
                set_traffic_param(&t, &k2, text)
                    .map(|traffic| Edit::SetTraffic { function: f.clone(), traffic })
            }),
        )
    });
    // Drawing: press, move, release over the preview.
    let at = {
        let svg_ref = svg_ref.clone();
        move |e: &MouseEvent| -> Option<(f64, f64)> {
            let el = svg_ref.cast::<web_sys::Element>()?;
            let r = el.get_bounding_client_rect();
            let x = ((e.client_x() as f64 - r.left()) / r.width()).clamp(0.0, 1.0);
            let y = ((e.client_y() as f64 - r.top()) / r.height()).clamp(0.0, 1.0);
            Some((x * horizon, (1.0 - y) * top))
        }
    };
    let on_down = {
        let (drawing, at) = (drawing.clone(), at.clone());
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            drawing.set(at(&e).map(|pt| vec![pt]));
        })
    };
    let on_move = {
        let (drawing, at) = (drawing.clone(), at.clone());
        Callback::from(move |e: MouseEvent| {
            if let (Some(pts), Some(pt)) = ((*drawing).clone(), at(&e)) {
                let mut pts = pts;
                pts.push(pt);
                drawing.set(Some(pts));
            }
        })
    };
    let on_up = {
        let (drawing, d, f) = (drawing.clone(), p.dispatch.clone(), f.clone());
        let key = format!("{key_base}:draw");
        Callback::from(move |_: MouseEvent| {
            if let Some(pts) = (*drawing).clone() {
                if let Some(traffic) = drawn_curve(&pts, 60) {
                    d.emit(Action::Edit(EditAction::Commit {
                        key: key.clone(),
                        edit: Edit::SetTraffic { function: f.clone(), traffic },
                    }));
                }
            }
            drawing.set(None);
        })
    };
    let on_csv = {
        let (d, f) = (p.dispatch.clone(), f.clone());
        let key = format!("{key_base}:csv");
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                return;
            };
            let (d, f, key) = (d.clone(), f.clone(), key.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let text = read_first_file(&input).await;
                let action = match text {
                    Ok(csv) => EditAction::Commit {
                        key,
                        edit: Edit::SetTrafficCsv { function: f, csv, arrivals: Arrivals::default() },
                    },
                    Err(message) => EditAction::Refuse { key, message },
                };
                d.emit(Action::Edit(action));
            });
        })
    };
    let curve = match &preview {
        Ok(pts) => html! { <path class="ed-curve" d={path_of(pts, horizon, top)} /> },
        Err(_) => html! {},
    };
    let sketch = (*drawing)
        .as_ref()
        .map(|pts| html! { <path class="ed-sketch" d={path_of(pts, horizon, top)} /> })
        .unwrap_or_default();
    let now_x = (p.now_s / horizon * W).clamp(0.0, W);
    let csv_key = format!("{key_base}:csv");
    html! {
        <div class="ed-traffic">
            { pattern }
            <div class="ed-grid">{ for params }</div>
            <figure class="ed-preview">
                <svg ref={svg_ref} viewBox={format!("0 0 {W} {H}")} preserveAspectRatio="none" role="img"
                    aria-label={format!("Traffic preview: up to {:.3} requests per second; drag to draw a curve", top / 1.15)}
                    data-testid="traffic-preview"
                    onmousedown={on_down} onmousemove={on_move} onmouseup={on_up.clone()} onmouseleave={on_up}>
                    <rect class="ed-preview-bg" x="0" y="0" width={W.to_string()} height={H.to_string()} />
                    { curve }
                    { sketch }
                    <line class="ed-now" x1={format!("{now_x:.1}")} x2={format!("{now_x:.1}")} y1="0" y2={H.to_string()} />
                </svg>
                <figcaption>{ format!("requests/s over the run (peak {:.3}/s) · drag on it to draw a curve", top / 1.15) }</figcaption>
            </figure>
            { preview.err().map(|m| html!{ <p class="ed-error" role="alert">{ format!("✕ {m}") }</p> }).unwrap_or_default() }
            <div class="ed-field">
                <label for="ed-csv">{"Import a CSV of time_s,rate"}</label>
                <input id="ed-csv" type="file" accept=".csv,text/csv,text/plain" onchange={on_csv} data-testid="traffic-csv" />
                { p.errors.get(&csv_key).or(p.errors.get(&format!("{key_base}:draw"))).map(|m| html!{ <p class="ed-error" role="alert" data-testid="field-error">{ format!("✕ {m}") }</p> }).unwrap_or_default() }
            </div>
        </div>
    }
}

/// The text of the first file chosen in a file input (through `File.text()`).
async fn read_first_file(input: &web_sys::HtmlInputElement) -> Result<String, String> {
    use js_sys::Reflect;
    let files = Reflect::get(input, &"files".into()).map_err(|_| "no file chosen")?;
    let file = Reflect::get(&files, &0.into()).map_err(|_| "no file chosen")?;
    if file.is_undefined() || file.is_null() {
        return Err("no file chosen".into());
    }
    let size = Reflect::get(&file, &"size".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    if size > lambdascape_engine::edit::MAX_CSV_BYTES as f64 {
        return Err(format!("the file is {:.1} MB: at most 8 MB", size / 1e6));
    }
    let text_fn: js_sys::Function = Reflect::get(&file, &"text".into())
        .map_err(|_| "cannot read the file")?
        .dyn_into()
        .map_err(|_| "cannot read the file")?;
    let promise: js_sys::Promise = text_fn
        .call0(&file)
        .map_err(|_| "cannot read the file")?
        .dyn_into()
        .map_err(|_| "cannot read the file")?;
    let text = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| "cannot read the file")?;
    text.as_string().ok_or_else(|| "the file is not text".into())
}
