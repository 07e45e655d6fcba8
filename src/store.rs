//! The reducer's yew side: the UI core's [`AppState`] behind yew's `Reducible`, so that
//! components hold a `UseReducerHandle<Store>` and read the state through it. The logic is
//! [`AppState::reduce`] (no yew there: the widget shares the state without a UI framework).

use lambdascape_ui::state::{Action, AppState};
use std::ops::Deref;
use std::rc::Rc;
use yew::Reducible;

/// The app state as yew's reducer holds it.
#[derive(Clone)]
pub struct Store(pub Rc<AppState>);

impl Store {
    pub fn new(s: AppState) -> Self {
        Store(Rc::new(s))
    }
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for Store {
    type Target = AppState;
    fn deref(&self) -> &AppState {
        &self.0
    }
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = Rc::clone(&self.0).reduce(action);
        if Rc::ptr_eq(&next, &self.0) {
            self // nothing changed: no re-render
        } else {
            Rc::new(Store(next))
        }
    }
}
