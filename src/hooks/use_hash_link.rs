//! Calls back with the share link in the address bar (`#s=…`): once at start if there is one,
//! and whenever another is pasted there.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The fragment if it holds a share link.
pub fn fragment_link() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let key = format!("{}=", lambdascape_engine::share::FRAGMENT_KEY);
    hash.trim_start_matches('#').split('&').any(|kv| kv.starts_with(&key)).then_some(hash)
}

/// `on_link(fragment)` at start and on every `hashchange` that brings a share link.
#[hook]
pub fn use_hash_link(on_link: impl Fn(String) + 'static) {
    use_effect_with((), move |_| {
        let check = move || {
            if let Some(hash) = fragment_link() {
                on_link(hash);
            }
        };
        check();
        let cb = Closure::<dyn FnMut()>::new(check);
        let w = web_sys::window();
        if let Some(w) = &w {
            let _ = w.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = &w {
                let _ = w.remove_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
            }
            drop(cb);
        }
    });
}
