//! The editor's form pieces: a text field validated as typed (the engine's check on every
//! keystroke, the edit made on Enter or leaving the field), a select, a button that makes an
//! edit, and the advisor's findings with their one-click fix. Names are always text nodes.

use lambdascape_engine::edit::Edit;
use lambdascape_engine::network::Finding;
use lambdascape_ui::state::{Action, EditAction};
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What every field needs: the errors by key and the dispatcher.
#[derive(Clone)]
pub struct Ctx {
    pub errors: Rc<BTreeMap<String, String>>,
    pub dispatch: Callback<Action>,
}

impl Ctx {
    pub fn commit(&self, key: &str, edit: Edit) -> Callback<MouseEvent> {
        let (d, key) = (self.dispatch.clone(), key.to_string());
        Callback::from(move |_| {
            d.emit(Action::Edit(EditAction::Commit { key: key.clone(), edit: edit.clone() }))
        })
    }
}

/// A DOM id from a key (names may hold anything).
pub fn dom_id(key: &str) -> String {
    let mut out = String::from("ed-");
    for c in key.chars().take(80) {
        out.push(if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' });
    }
    out
}

fn target_value(e: &Event) -> String {
    e.target()
        .and_then(|t| {
            t.clone()
                .dyn_into::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .ok()
                .or_else(|| t.dyn_into::<web_sys::HtmlSelectElement>().ok().map(|s| s.value()))
        })
        .unwrap_or_default()
}

pub type Parse = Rc<dyn Fn(&str) -> Result<Edit, String>>;
/// A select's option value to an edit.
pub type ToEdit = Rc<dyn Fn(&str) -> Option<Edit>>;

/// A labelled text field. `parse` turns the text into an edit (or says why it cannot).
pub fn text_field(c: &Ctx, key: &str, label: &str, value: String, hint: &str, parse: Parse) -> Html {
    html! {
        <TextField field={key.to_string()} label={label.to_string()} {value} hint={hint.to_string()} {parse}
            error={c.errors.get(key).cloned()} dispatch={c.dispatch.clone()} />
    }
}

#[derive(Properties)]
pub struct FieldProps {
    pub field: String,
    pub label: String,
    pub value: String,
    pub hint: String,
    pub parse: Parse,
    pub error: Option<String>,
    pub dispatch: Callback<Action>,
}

impl PartialEq for FieldProps {
    // `parse` captures the scenario it edits: always take the newest.
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

/// The text typed is kept (a draft) until the scenario's value changes: a refused value stays
/// in the field beside its error instead of being wiped.
#[component]
fn TextField(p: &FieldProps) -> Html {
    let draft = use_state(|| None::<String>);
    {
        let draft = draft.clone();
        use_effect_with(p.value.clone(), move |_| draft.set(None));
    }
    let id = dom_id(&p.field);
    let err_id = format!("{id}-err");
    let oninput = {
        let (d, key, parse, draft) = (p.dispatch.clone(), p.field.clone(), p.parse.clone(), draft.clone());
        Callback::from(move |e: InputEvent| {
            let v = target_value(&e);
            let key = key.clone();
            draft.set(Some(v.clone()));
            d.emit(Action::Edit(match parse(&v) {
                Ok(edit) => EditAction::Check { key, edit },
                Err(message) => EditAction::Refuse { key, message },
            }));
        })
    };
    let onchange = {
        let (d, key, parse) = (p.dispatch.clone(), p.field.clone(), p.parse.clone());
        Callback::from(move |e: Event| {
            let v = target_value(&e);
            let key = key.clone();
            d.emit(Action::Edit(match parse(&v) {
                Ok(edit) => EditAction::Commit { key, edit },
                Err(message) => EditAction::Refuse { key, message },
            }));
        })
    };
    let value = (*draft).clone().unwrap_or_else(|| p.value.clone());
    let err = p.error.clone();
    html! {
        <div class={classes!("ed-field", err.is_some().then_some("invalid"))}>
            <label for={id.clone()}>{ p.label.clone() }</label>
            <input id={id} type="text" {value} {oninput} {onchange} spellcheck="false" autocomplete="off"
                maxlength="200" aria-invalid={err.is_some().to_string()}
                aria-describedby={err.as_ref().map(|_| err_id.clone())} data-testid={format!("field-{}", p.field)} />
            { if p.hint.is_empty() { html!{} } else { html!{ <span class="ed-hint">{ p.hint.clone() }</span> } } }
            { err.map(|m| html! { <p class="ed-error" id={err_id} role="alert" data-testid="field-error">{ format!("✕ {m}") }</p> }).unwrap_or_default() }
        </div>
    }
}

/// A labelled select; choosing an option makes `to_edit(value)`.
pub fn select_field(
    c: &Ctx,
    key: &str,
    label: &str,
    options: Vec<(String, String)>,
    current: &str,
    to_edit: ToEdit,
) -> Html {
    html! {
        <SelectField field={key.to_string()} label={label.to_string()} {options} current={current.to_string()}
            {to_edit} error={c.errors.get(key).cloned()} dispatch={c.dispatch.clone()} />
    }
}

#[derive(Properties)]
pub struct SelectProps {
    pub field: String,
    pub label: String,
    pub options: Vec<(String, String)>,
    pub current: String,
    pub to_edit: ToEdit,
    pub error: Option<String>,
    pub dispatch: Callback<Action>,
}

impl PartialEq for SelectProps {
    // `to_edit` captures the scenario it edits: always take the newest.
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

/// After every render the select shows the scenario's value: a refused choice (its error
/// beside it), an undo or a redo does not leave it showing an option that is not in force
/// (the options' `selected` attribute stops counting once the learner has chosen).
#[component]
fn SelectField(p: &SelectProps) -> Html {
    let node = use_node_ref();
    {
        let (node, current) = (node.clone(), p.current.clone());
        let listed = p.options.iter().any(|(v, _)| *v == current);
        use_effect(move || {
            if let Some(el) = node.cast::<web_sys::HtmlSelectElement>() {
                if listed && el.value() != current {
                    el.set_value(&current);
                }
            }
        });
    }
    let id = dom_id(&p.field);
    let onchange = {
        let (d, key, to_edit) = (p.dispatch.clone(), p.field.clone(), p.to_edit.clone());
        Callback::from(move |e: Event| {
            if let Some(edit) = to_edit(&target_value(&e)) {
                d.emit(Action::Edit(EditAction::Commit { key: key.clone(), edit }));
            }
        })
    };
    let err = p.error.clone();
    html! {
        <div class={classes!("ed-field", err.is_some().then_some("invalid"))}>
            <label for={id.clone()}>{ p.label.clone() }</label>
            <select id={id} ref={node} {onchange} aria-invalid={err.is_some().to_string()} data-testid={format!("field-{}", p.field)}>
                { for p.options.iter().map(|(v, t)| html! { <option selected={*v == p.current} value={v.clone()}>{ t.clone() }</option> }) }
            </select>
            { err.map(|m| html! { <p class="ed-error" role="alert" data-testid="field-error">{ format!("✕ {m}") }</p> }).unwrap_or_default() }
        </div>
    }
}

/// A button that makes an edit; its error (if refused) shows under it.
pub fn edit_button(c: &Ctx, key: &str, text: &str, aria: &str, edit: Edit) -> Html {
    html! {
        <button type="button" class="ed-btn" aria-label={aria.to_string()} title={aria.to_string()}
            data-testid={format!("btn-{key}")} onclick={c.commit(key, edit)}>{ text.to_string() }</button>
    }
}

/// The error kept for a key that has no field (buttons).
pub fn key_error(c: &Ctx, key: &str) -> Html {
    c.errors
        .get(key)
        .map(
            |m| html! { <p class="ed-error" role="alert" data-testid="field-error">{ format!("✕ {m}") }</p> },
        )
        .unwrap_or_default()
}

/// Advisor findings with a one-click fix each (the fix is an undoable edit).
pub fn findings_view(c: &Ctx, found: &[&Finding]) -> Html {
    if found.is_empty() {
        return html! {};
    }
    html! {
        <ul class="ed-findings">
            { for found.iter().map(|f| {
                let key = format!("fix:{}", f.key);
                html! {
                <li class={classes!("ed-finding", format!("{:?}", f.severity).to_lowercase())} data-testid="ed-finding">
                    <strong>{ format!("⚠ {}", f.title) }</strong>
                    <details class="ed-why"><summary>{"why"}</summary>{ &f.why }</details>
                    { f.fix.clone().map(|fix| {
                        let d = c.dispatch.clone();
                        let k = key.clone();
                        let text = fix.label();
                        html! { <button type="button" class="ed-btn fix" data-testid="apply-fix" title={text.clone()}
                            onclick={Callback::from(move |_| d.emit(Action::Edit(EditAction::Fix { key: k.clone(), fix: fix.clone() })))}>
                            { format!("Fix: {text}") }</button> }
                    }).unwrap_or_default() }
                    { key_error(c, &key) }
                </li> }
            }) }
        </ul>
    }
}
