//! Containing a crash to one widget. All widgets on a page share one wasm instance; a panic
//! (a bug, never bad input: that is an error box) aborts the action that hit it. The widget
//! that was handling that action is marked dead: it takes no more actions, and www/embed.js,
//! told through the handler it registered, replaces it with a message. The other widgets
//! keep their own state and go on playing. Drawing a widget is bracketed the same way.

use std::cell::{Cell, RefCell};

thread_local! {
    /// The widget whose action is being handled (0: none).
    static CURRENT: Cell<u32> = const { Cell::new(0) };
    static DEAD: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
    static HANDLER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    /// A widget asked (by the end-to-end tests) to fail on its next action.
    static FAIL_NEXT: Cell<u32> = const { Cell::new(0) };
}

/// A new widget id.
pub fn next_id() -> u32 {
    NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    })
}

/// Whether the widget crashed before.
pub fn is_dead(id: u32) -> bool {
    DEAD.with(|d| d.try_borrow().map(|d| d.contains(&id)).unwrap_or(true))
}

/// The widget `id` handles an action now.
pub fn enter(id: u32) {
    CURRENT.with(|c| c.set(id));
    if FAIL_NEXT.with(|f| f.get()) == id {
        FAIL_NEXT.with(|f| f.set(0));
        panic!("a crash asked for by a test (widget {id})");
    }
}

pub fn leave() {
    CURRENT.with(|c| c.set(0));
}

/// Makes the widget's next action panic (the end-to-end tests check the containment).
pub fn fail_next(id: u32) {
    FAIL_NEXT.with(|f| f.set(id));
}

pub fn set_handler(f: js_sys::Function) {
    HANDLER.with(|h| *h.borrow_mut() = Some(f));
}

/// From the panic hook: marks the widget dead and tells the page which one and why.
pub fn crashed(message: &str) {
    let id = CURRENT.with(|c| c.get());
    if id != 0 {
        DEAD.with(|d| {
            if let Ok(mut d) = d.try_borrow_mut() {
                d.push(id);
            }
        });
    }
    HANDLER.with(|h| {
        if let Ok(h) = h.try_borrow() {
            if let Some(f) = h.as_ref() {
                let _ = f.call2(&wasm_bindgen::JsValue::NULL, &id.into(), &message.into());
            }
        }
    });
}
