//! Panel 2, deployment and configuration limits: a function's configuration as a form, checked
//! by `lambdascape_beyond_engine::limits::check_limits`; each finding names the limit and the ways
//! around it (S3, EFS, container images, Parameter Store...).

use super::util::{opt_number, opt_whole, target_value};
use lambdascape_beyond_engine::limits::{
    check_limits, env_vars_bytes, FunctionConfigSpec, LayerSpec, PackageType, Severity,
};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// Form fields, in display order: (key, label, hint, default).
const FIELDS: [(&str, &str, &str, &str); 11] = [
    ("env_bytes", "Environment variables, total size (bytes)", "overrides the KEY=VALUE lines", ""),
    ("zip_mb", ".zip package (MB, zipped)", "direct upload: at most 50 MB", "12"),
    ("unzipped_mb", "Unzipped code (MB)", "with layers: at most 250 MB", "48"),
    ("layers", "Layers, unzipped MB each", "comma-separated, e.g. 20, 35; at most 5", "20"),
    ("image_gb", "Container image (GB)", "package type image: at most 10 GB", ""),
    ("memory", "Memory (MB)", "128 to 10,240", "1024"),
    ("tmp", "/tmp ephemeral storage (MB)", "512 to 10,240", "512"),
    ("timeout", "Timeout (s)", "1 to 900 (15 minutes)", "30"),
    ("sync_mb", "Synchronous payload (MB)", "request or response: at most 6 MB", "1"),
    ("async_kb", "Asynchronous event (KB)", "at most 1,024 KB", "64"),
    ("package", "Package type", "", "zip"),
];

const ENV_DEFAULT: &str = "TABLE_NAME=orders\nLOG_LEVEL=info";

#[derive(Clone, PartialEq)]
struct Form {
    env: String,
    values: BTreeMap<&'static str, String>,
}

impl Default for Form {
    fn default() -> Self {
        Form { env: ENV_DEFAULT.into(), values: FIELDS.iter().map(|f| (f.0, f.3.to_string())).collect() }
    }
}

impl Reducible for Form {
    type Action = (&'static str, String);
    fn reduce(self: Rc<Self>, (key, v): Self::Action) -> Rc<Self> {
        let mut f = (*self).clone();
        if key == "env" {
            f.env = v;
        } else {
            f.values.insert(key, v);
        }
        Rc::new(f)
    }
}

/// Builds the spec; input problems are returned per field key instead.
fn spec_of(f: &Form) -> (FunctionConfigSpec, BTreeMap<&'static str, String>) {
    let mut errors = BTreeMap::new();
    let get = |k: &str| f.values.get(k).map(String::as_str).unwrap_or("");
    let mut num = |k: &'static str| {
        opt_number(get(k)).unwrap_or_else(|e| {
            errors.insert(k, e);
            None
        })
    };
    let zip_size_mb = num("zip_mb");
    let unzipped_size_mb = num("unzipped_mb");
    let image_size_gb = num("image_gb");
    let sync_payload_mb = num("sync_mb");
    let async_payload_kb = num("async_kb");
    let mut whole = |k: &'static str| {
        opt_whole(get(k)).unwrap_or_else(|e| {
            errors.insert(k, e);
            None
        })
    };
    let env_total_bytes = whole("env_bytes");
    let memory_mb = whole("memory");
    let ephemeral_storage_mb = whole("tmp");
    let timeout_s = whole("timeout");
    let mut layers = Vec::new();
    for (i, part) in get("layers").split(',').map(str::trim).filter(|p| !p.is_empty()).enumerate() {
        match opt_number(part) {
            Ok(Some(mb)) => layers.push(LayerSpec { name: format!("layer {}", i + 1), unzipped_size_mb: mb }),
            _ => {
                errors.insert("layers", format!("layer {}: \"{part}\" is not a number of MB", i + 1));
            }
        }
    }
    let mut env_vars = BTreeMap::new();
    for (n, line) in f.env.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match line.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                env_vars.insert(k.trim().to_string(), v.to_string());
            }
            _ => {
                errors.insert("env", format!("line {}: expected KEY=VALUE", n + 1));
            }
        }
    }
    let package_type = if get("package") == "image" { PackageType::Image } else { PackageType::Zip };
    let spec = FunctionConfigSpec {
        package_type,
        env_vars,
        env_total_bytes,
        zip_size_mb,
        unzipped_size_mb,
        layers,
        image_size_gb,
        memory_mb,
        ephemeral_storage_mb,
        timeout_s,
        sync_payload_mb,
        async_payload_kb,
    };
    (spec, errors)
}

#[component]
pub fn LimitsPanel() -> Html {
    let form = use_reducer(Form::default);
    let (spec, errors) = spec_of(&form);
    let findings = check_limits(&spec);
    let env_bytes = env_vars_bytes(&spec);
    let set = |key: &'static str| {
        let d = form.dispatcher();
        Callback::from(move |e: Event| d.dispatch((key, target_value(&e))))
    };
    let set_input = |key: &'static str| {
        let d = form.dispatcher();
        Callback::from(move |e: InputEvent| d.dispatch((key, target_value(&e))))
    };
    let error_of = |key: &str, id: &str| match errors.get(key) {
        Some(e) => {
            html! { <p class="bx-error" id={id.to_string()} data-testid={format!("limits-error-{key}")}>{ e }</p> }
        }
        None => html! {},
    };
    let field = |(key, label, hint, _): &(&'static str, &str, &str, &str)| {
        let id = format!("lim-{key}");
        let err_id = format!("lim-{key}-error");
        let value = form.values.get(key).cloned().unwrap_or_default();
        let bad = errors.contains_key(key);
        if *key == "package" {
            return html! {
                <div class="bx-field">
                    <label for={id.clone()}>{ *label }</label>
                    <select id={id} onchange={set(key)} data-testid="lim-package">
                        <option value="zip" selected={value != "image"}>{".zip archive"}</option>
                        <option value="image" selected={value == "image"}>{"container image"}</option>
                    </select>
                </div>
            };
        }
        html! {
            <div class={classes!("bx-field", bad.then_some("invalid"))}>
                <label for={id.clone()}>{ *label }</label>
                <input id={id} type="text" inputmode="decimal" value={value} oninput={set_input(key)}
                    data-testid={format!("lim-{key}")} aria-invalid={bad.to_string()}
                    aria-describedby={if bad { err_id.clone() } else { format!("lim-{key}-hint") }} />
                <span class="bx-hint" id={format!("lim-{key}-hint")}>{ *hint }</span>
                { error_of(key, &err_id) }
            </div>
        }
    };
    let env_bad = errors.contains_key("env");
    html! {
        <section class="bx-panel" aria-labelledby="lim-title" data-testid="panel-limits">
            <h3 id="lim-title">{"Deployment and configuration limits"}</h3>
            <p class="bx-lede">{"Describe the function; anything past a quota is listed with the ways around it. \
                Empty fields are not checked."}</p>
            <div class={classes!("bx-field", env_bad.then_some("invalid"))}>
                <label for="lim-env">{"Environment variables (KEY=VALUE, one per line)"}</label>
                <textarea id="lim-env" rows="3" spellcheck="false" value={form.env.clone()} oninput={set_input("env")}
                    data-testid="lim-env" aria-invalid={env_bad.to_string()} aria-describedby="lim-env-size" />
                <span class="bx-hint" id="lim-env-size">{ format!("{env_bytes} of 4,096 bytes (keys and values together)") }</span>
                { error_of("env", "lim-env-error") }
            </div>
            <div class="bx-form">{ for FIELDS.iter().map(field) }</div>
            <h4>{ if findings.is_empty() { "Findings: none".to_string() } else { format!("Findings ({})", findings.len()) } }</h4>
            <div aria-live="polite">
            { if findings.is_empty() { html! {
                <p class="bx-ok" data-testid="limits-none"><span aria-hidden="true">{"✓ "}</span>
                    {"Within every limit checked."}</p>
            } } else { html! {
                <ul class="bx-findings" data-testid="limit-findings">
                    { for findings.iter().map(|f| html! {
                        <li class={classes!("bx-finding", if f.severity == Severity::Error { "error" } else { "warning" })}
                            data-testid="limit-finding" data-field={f.field.clone()}>
                            <strong>{ &f.limit_name }</strong>
                            <span class="bx-figures">{ format!(" — {} {} (limit {} {})", f.value, f.unit, f.limit, f.unit) }</span>
                            <p>{ &f.message }</p>
                            { if f.workarounds.is_empty() { html! {} } else { html! {
                                <>
                                <p class="bx-sub">{"Ways around it:"}</p>
                                <ul class="bx-ways">{ for f.workarounds.iter().map(|w| html! { <li>{ w }</li> }) }</ul>
                                </>
                            } } }
                        </li>
                    }) }
                </ul>
            } } }
            </div>
        </section>
    }
}
