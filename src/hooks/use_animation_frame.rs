//! Calls back once per animation frame with the real milliseconds since the previous frame.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

type Loop = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Runs `on_frame(dt_ms)` every animation frame while the component lives.
#[hook]
pub fn use_animation_frame(on_frame: Callback<f64>) {
    use_effect_with((), move |_| {
        let alive = Rc::new(Cell::new(true));
        let handle = Rc::new(Cell::new(0i32));
        let last = Rc::new(Cell::new(f64::NAN));
        let f: Loop = Rc::new(RefCell::new(None));
        let g = f.clone();
        let (alive2, handle2) = (alive.clone(), handle.clone());
        *g.borrow_mut() = Some(Closure::new(move |ts: f64| {
            if !alive2.get() {
                return;
            }
            let prev = last.replace(ts);
            let dt = if prev.is_nan() { 0.0 } else { ts - prev };
            on_frame.emit(dt);
            if let (Some(w), Some(cb)) = (web_sys::window(), f.borrow().as_ref()) {
                handle2.set(w.request_animation_frame(cb.as_ref().unchecked_ref()).unwrap_or(0));
            }
        }));
        if let (Some(w), Some(cb)) = (web_sys::window(), g.borrow().as_ref()) {
            handle.set(w.request_animation_frame(cb.as_ref().unchecked_ref()).unwrap_or(0));
        }
        move || {
            alive.set(false);
            if let Some(w) = web_sys::window() {
                let _ = w.cancel_animation_frame(handle.get());
            }
            // Break the closure's reference to itself.
            g.borrow_mut().take();
        }
    });
}
