//! The embeddable widget's and the viewer's stand-in for the editor's part of the reducer
//! (`edit.rs` in the full app): they show a scenario and never edit it, so they carry no
//! editing session, no undo history, no autosave and none of the engine's edit code (a
//! smaller download).

use crate::state::AppState;
use lambdascape_engine::scenario::Scenario;

/// No editor actions exist in the widget (the type has no values).
#[derive(Debug, Clone, PartialEq)]
pub enum EditAction {}

/// No editing state: the editor is never open and the scenario in force is the one loaded.
#[derive(Clone, Default)]
pub struct Editing {
    pub active: Option<crate::state::Shared<Scenario>>,
    pub open: bool,
}

impl AppState {
    pub(crate) fn edit_opened(&mut self, _id: &str, _text: &str, sc: Scenario) -> Scenario {
        sc
    }

    /// The widget draws `state.scenario`: nothing to keep in step.
    pub(crate) fn sync_active(&mut self) {}

    pub(crate) fn reduce_edit(&mut self, a: EditAction) {
        match a {}
    }

    pub(crate) fn pick_subnet(&mut self, _id: u32) -> bool {
        false
    }
}
