//! The CSS pixel size of an element, kept up to date with a ResizeObserver.

use wasm_bindgen::prelude::*;
use yew::prelude::*;

/// `(width, height)` of the element behind `node`, in CSS pixels (0 before the first layout).
#[hook]
pub fn use_element_size(node: NodeRef) -> (f64, f64) {
    let size = use_state_eq(|| (0.0, 0.0));
    {
        let size = size.clone();
        use_effect_with(node, move |node| {
            let node2 = node.clone();
            let measure = move || {
                if let Some(el) = node2.cast::<web_sys::Element>() {
                    let r = el.get_bounding_client_rect();
                    size.set((r.width().floor(), r.height().floor()));
                }
            };
            measure();
            let cb = Closure::<dyn FnMut()>::new(measure);
            let observer = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()).ok();
            if let (Some(o), Some(el)) = (&observer, node.cast::<web_sys::Element>()) {
                o.observe(&el);
            }
            move || {
                if let Some(o) = observer {
                    o.disconnect();
                }
                drop(cb);
            }
        });
    }
    *size
}
