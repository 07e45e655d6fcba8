//! Panel 4, authorization failures: paste the JSON that `aws sts decode-authorization-message`
//! prints and read it in plain words (`lambdascape_beyond_engine::iam::authz::explain`); malformed
//! JSON is reported with its line and column.

use super::util::target_value;
use lambdascape_beyond_engine::iam::authz::{explain, sample_message, Verdict};
use yew::prelude::*;

#[component]
pub fn AuthzPanel() -> Html {
    let text = use_state(String::new);
    let on_input = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(target_value(&e)))
    };
    let on_sample = {
        let text = text.clone();
        Callback::from(move |_: MouseEvent| text.set(sample_message().to_string()))
    };
    let on_clear = {
        let text = text.clone();
        Callback::from(move |_: MouseEvent| text.set(String::new()))
    };
    let result = (!text.trim().is_empty()).then(|| explain(&text));
    let bad = matches!(result, Some(Err(_)));
    let out = match &result {
        None => {
            html! { <p class="bx-hint">{"Paste the decoded message (the DecodedMessage JSON, or the whole CLI output), \
            or use the sample."}</p> }
        }
        Some(Err(e)) => html! {
            <p class="bx-error" id="az-error" role="alert" data-testid="authz-error">
                <span aria-hidden="true">{"⚠ "}</span>{ format!("Cannot read this message: {e}") }</p>
        },
        Some(Ok(x)) => {
            let (glyph, word, class) = match x.verdict {
                Verdict::Allowed => ("✓", "Allowed", "ok"),
                Verdict::ExplicitDeny => ("✕", "Explicit deny", "bad"),
                Verdict::ImplicitDeny => ("✕", "Implicit deny", "bad"),
                Verdict::Unknown => ("?", "Unknown", "unknown"),
            };
            let row = |k: &str, v: &Option<String>| match v {
                Some(v) => html! { <><dt>{ k.to_string() }</dt><dd>{ v }</dd></> },
                None => html! {},
            };
            html! {
                <div class="bx-explain" data-testid="authz-explanation" data-verdict={word}>
                    <p class={classes!("bx-verdict", class)}><span class="bx-badge">{ format!("{glyph} {word}") }</span>
                        {" "}<span data-testid="authz-headline">{ &x.headline }</span></p>
                    <dl class="bx-dl">
                        { row("Who", &x.principal) }{ row("Action", &x.action) }{ row("Resource", &x.resource) }
                    </dl>
                    <ul class="bx-details">{ for x.details.iter().map(|d| html! { <li>{ d }</li> }) }</ul>
                </div>
            }
        }
    };
    html! {
        <section class="bx-panel" aria-labelledby="az-title" data-testid="panel-authz">
            <h3 id="az-title">{"Authorization failures (DecodeAuthorizationMessage)"}</h3>
            <p class="bx-lede">{"A 403 (Client.UnauthorizedOperation) carries an encoded message; \
                aws sts decode-authorization-message --encoded-message … turns it into JSON (the caller needs \
                sts:DecodeAuthorizationMessage). Paste that JSON here."}</p>
            <div class={classes!("bx-field", bad.then_some("invalid"))}>
                <label for="az-text">{"Decoded authorization message (JSON)"}</label>
                <textarea id="az-text" rows="10" spellcheck="false" value={(*text).clone()} oninput={on_input}
                    data-testid="authz-input" aria-invalid={bad.to_string()}
                    aria-describedby={bad.then_some("az-error")} />
            </div>
            <div class="bx-row">
                <button class="tool-button" onclick={on_sample} data-testid="authz-sample">{"Use the sample"}</button>
                <button class="tool-button" onclick={on_clear}>{"Clear"}</button>
            </div>
            <div aria-live="polite">{ out }</div>
        </section>
    }
}
