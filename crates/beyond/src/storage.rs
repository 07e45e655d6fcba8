//! Panel 3, storage choices: what the data needs (size, persistence, sharing across execution
//! environments, latency, writes) against the comparison of /tmp, layers, EFS and S3
//! (`lambdascape_beyond_engine::storage::{profiles, recommend}`), as a table saying which fit and why.

use super::util::{opt_number, target_checked, target_value};
use lambdascape_beyond_engine::storage::{
    profiles, recommend, Access, LatencyClass, LatencyNeed, Needs, Persistence, StorageOption,
};
use yew::prelude::*;

fn slug(o: StorageOption) -> &'static str {
    match o {
        StorageOption::Tmp => "tmp",
        StorageOption::Layers => "layers",
        StorageOption::Efs => "efs",
        StorageOption::S3 => "s3",
    }
}

#[component]
pub fn StoragePanel() -> Html {
    let size = use_state(|| "100".to_string());
    let needs = use_state(|| Needs {
        size_mb: 100.0,
        must_persist: false,
        shared_across_environments: false,
        write: true,
        latency: LatencyNeed::Any,
    });
    let size_error = opt_number(&size).err();
    let current = Needs {
        size_mb: opt_number(&size).ok().flatten().unwrap_or(if size.trim().is_empty() {
            0.0
        } else {
            f64::NAN
        }),
        ..(*needs).clone()
    };
    let fits = recommend(&current);
    let on_size = {
        let size = size.clone();
        Callback::from(move |e: InputEvent| size.set(target_value(&e)))
    };
    let check = |which: u8| {
        let needs = needs.clone();
        Callback::from(move |e: Event| {
            let mut n = (*needs).clone();
            let on = target_checked(&e);
            match which {
                0 => n.must_persist = on,
                1 => n.shared_across_environments = on,
                _ => n.write = on,
            }
            needs.set(n);
        })
    };
    let on_latency = {
        let needs = needs.clone();
        Callback::from(move |e: Event| {
            let mut n = (*needs).clone();
            n.latency = if target_value(&e) == "low" { LatencyNeed::Low } else { LatencyNeed::Any };
            needs.set(n);
        })
    };
    let fitting: Vec<String> =
        profiles().iter().zip(&fits).filter(|(_, f)| f.fits).map(|(p, _)| p.name.clone()).collect();
    html! {
        <section class="bx-panel bx-wide" aria-labelledby="st-title" data-testid="panel-storage">
            <h3 id="st-title">{"Storage choices: /tmp, layers, EFS or S3"}</h3>
            <fieldset class="bx-needs">
                <legend>{"What the data needs"}</legend>
                <div class={classes!("bx-field", size_error.is_some().then_some("invalid"))}>
                    <label for="st-size">{"Size (MB)"}</label>
                    <input id="st-size" type="text" inputmode="decimal" value={(*size).clone()} oninput={on_size}
                        data-testid="st-size" aria-invalid={size_error.is_some().to_string()} />
                    { match &size_error { Some(e) => html! { <p class="bx-error">{ e }</p> }, None => html! {} } }
                </div>
                <label class="bx-check"><input type="checkbox" checked={needs.must_persist} onchange={check(0)}
                    data-testid="st-persist" />{" Must persist beyond the execution environment"}</label>
                <label class="bx-check"><input type="checkbox" checked={needs.shared_across_environments} onchange={check(1)}
                    data-testid="st-shared" />{" Shared across execution environments"}</label>
                <label class="bx-check"><input type="checkbox" checked={needs.write} onchange={check(2)}
                    data-testid="st-write" />{" The function writes it"}</label>
                <div class="bx-field">
                    <label for="st-latency">{"Latency"}</label>
                    <select id="st-latency" onchange={on_latency} data-testid="st-latency">
                        <option value="any" selected={needs.latency == LatencyNeed::Any}>{"any (an HTTPS call per object is fine)"}</option>
                        <option value="low" selected={needs.latency == LatencyNeed::Low}>{"low (file-system speed)"}</option>
                    </select>
                </div>
            </fieldset>
            <p class="bx-verdict" role="status" aria-live="polite" data-testid="st-verdict">
                { if fitting.is_empty() { "Nothing fits every need: relax one, or combine two (for example S3 for the data, /tmp as a cache).".to_string() }
                  else { format!("Fits: {}.", fitting.join(", ")) } }</p>
            <div class="bx-table-wrap">
            <table class="bx-table" data-testid="storage-table">
                <caption>{"The comparison (after AWS's \"Choosing between AWS Lambda data storage options\")"}</caption>
                <thead><tr>
                    <th scope="col">{"Option"}</th><th scope="col">{"Fits?"}</th><th scope="col">{"Why"}</th>
                    <th scope="col">{"Max size"}</th><th scope="col">{"Persistence"}</th><th scope="col">{"Shared"}</th>
                    <th scope="col">{"Speed"}</th><th scope="col">{"Access"}</th><th scope="col">{"Type"}</th><th scope="col">{"Cost"}</th>
                </tr></thead>
                <tbody>
                { for profiles().into_iter().zip(fits.iter()).map(|(p, f)| html! {
                    <tr class={if f.fits { "fit" } else { "nofit" }} data-testid={format!("storage-row-{}", slug(p.option))}
                        data-fits={f.fits.to_string()}>
                        <th scope="row">{ &p.name }</th>
                        <td class="bx-fit">{ if f.fits { "✓ fits" } else { "✕ does not fit" } }</td>
                        <td><ul class="bx-reasons">{ for f.reasons.iter().map(|r| html! { <li>{ r }</li> }) }</ul></td>
                        <td>{ &p.max_size }</td>
                        <td>{ match p.persistence { Persistence::Ephemeral => "ephemeral", Persistence::Durable => "durable" } }</td>
                        <td>{ if p.shared_across_environments { "yes" } else { "no" } }</td>
                        <td>{ match p.latency { LatencyClass::Fastest => "fastest", LatencyClass::VeryFast => "very fast", LatencyClass::Fast => "fast" } }</td>
                        <td>{ match p.access { Access::ReadOnly => "read-only", Access::ReadWrite => "read/write" } }</td>
                        <td>{ &p.storage_type }</td>
                        <td>{ &p.cost_model }</td>
                    </tr>
                }) }
                </tbody>
            </table>
            </div>
        </section>
    }
}
