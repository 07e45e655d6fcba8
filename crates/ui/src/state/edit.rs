//! The editor's part of the reducer: every edit, undo and redo goes through the engine's
//! [`Session`] (validation, history, autosave), then the running simulation takes the edited
//! scenario from the edit's time (`Simulation::replace_scenario`): the past stays, the run goes
//! on, while paused or playing. The pure logic is in `lambdascape_engine::editor` (tested
//! natively); this module only wires it to the app state, the simulation and localStorage.

use crate::state::{autosave_key, storage, AppState, Selection, Shared};
use lambdascape_engine::chart::ChartKind;
use lambdascape_engine::edit::Edit;
use lambdascape_engine::editor::{Replay, Session};
use lambdascape_engine::scenario::Scenario;
use std::rc::Rc;
use std::sync::Arc;

/// What the editor asks the reducer for.
#[derive(Debug, Clone, PartialEq)]
pub enum EditAction {
    /// Opens or closes the editor panel.
    Toggle,
    /// Validates an edit as typed, without making it (the error shows beside `key`).
    Check {
        key: String,
        edit: Edit,
    },
    /// Makes an edit from the current simulated time.
    Commit {
        key: String,
        edit: Edit,
    },
    /// A typed value that does not even parse: show `message` beside `key`.
    Refuse {
        key: String,
        message: String,
    },
    /// An advisor fix (undoable like any edit).
    Fix {
        key: String,
        fix: Edit,
    },
    Undo,
    Redo,
    /// Back to the preset as published (drops the autosave).
    Reset,
    /// Picking the subnets of a function by clicking them in the picture (`None` stops).
    Pick(Option<String>),
}

/// The editor's state inside [`AppState`].
#[derive(Clone, Default)]
pub struct Editing {
    pub session: Option<Rc<Session>>,
    pub open: bool,
    /// The function whose subnets a click on a subnet in the picture toggles.
    pub picking: Option<String>,
    /// The scenario in force at the current time (the base scenario with the changes up to
    /// now): what the picture and the editor show.
    pub active: Option<Shared<Scenario>>,
    active_ptr: usize,
}

impl AppState {
    /// A preset was opened from `text` as `sc`: starts its editing session, restoring the
    /// autosave made on the same preset text if there is one. Returns the scenario to run.
    pub(crate) fn edit_opened(&mut self, id: &str, text: &str, sc: Scenario) -> Scenario {
        let saved = storage().and_then(|s| s.get_item(&autosave_key(id)).ok().flatten());
        let restored = saved.and_then(|t| Session::restore(&t, id, text));
        let mut e = (*self.editing).clone();
        e.picking = None;
        let sc = match restored.and_then(|s| s.current().validate().ok().map(|sc| (s, sc))) {
            Some((session, restored_sc)) => {
                e.session = Some(Rc::new(session));
                restored_sc
            }
            None => {
                e.session = Some(Rc::new(Session::new(id, text, sc.spec.clone())));
                sc
            }
        };
        self.editing = Shared::new(e);
        sc
    }

    /// Keeps the scenario in force now up to date (after a seek, a change in the run, an edit).
    pub(crate) fn sync_active(&mut self) {
        let Some(sim) = self.sim.clone() else { return };
        let active = sim.borrow().active_scenario();
        let ptr = Arc::as_ptr(&active) as usize;
        if ptr != self.editing.active_ptr || self.editing.active.is_none() {
            let mut e = (*self.editing).clone();
            e.active = Some(Shared::new((*active).clone()));
            e.active_ptr = ptr;
            self.editing = Shared::new(e);
        }
    }

    /// The editor's actions.
    pub(crate) fn reduce_edit(&mut self, a: EditAction) {
        let mut e = (*self.editing).clone();
        let now = self.frame.now;
        let Some(mut session) = e.session.clone() else { return };
        let s = Rc::make_mut(&mut session);
        let mut replay: Option<Replay> = None;
        match a {
            EditAction::Toggle => {
                e.open = !e.open;
                e.picking = None;
            }
            EditAction::Check { key, edit } => {
                let _ = s.check(&key, now, &edit);
            }
            EditAction::Commit { key, edit } => {
                replay = s.commit(&key, now, &edit).ok().flatten();
            }
            EditAction::Fix { key, fix } => {
                replay = s.commit(&key, now, &fix).ok().flatten();
            }
            EditAction::Refuse { key, message } => s.refuse(&key, message),
            EditAction::Undo => replay = s.undo(now),
            EditAction::Redo => replay = s.redo(now),
            EditAction::Reset => {
                if let Some(st) = storage() {
                    let _ = st.remove_item(&autosave_key(&s.preset));
                }
                // Back to the preset's text as opened.
                let (id, text) = (s.preset.clone(), self.source.clone());
                if let Some(text) = text {
                    self.editing = Shared::new(e);
                    self.load(&id, &text);
                    return;
                }
            }
            EditAction::Pick(f) => e.picking = f,
        }
        let changed = replay.is_some();
        e.session = Some(session.clone());
        self.editing = Shared::new(e);
        if let Some(r) = replay {
            self.run_replay(r);
        }
        if changed {
            self.autosave();
        }
    }

    /// A click on a subnet in the picture while picking a function's subnets: toggles it.
    pub(crate) fn pick_subnet(&mut self, id: u32) -> bool {
        let Some(func) = self.editing.picking.clone() else { return false };
        let Some(active) = self.editing.active.clone() else { return false };
        let Some(name) =
            active.vpc.as_ref().and_then(|v| v.subnets().nth(id as usize)).map(|(_, s)| s.name.clone())
        else {
            return false;
        };
        let Some(f) = active.spec.functions.iter().find(|f| f.name == func) else { return false };
        let mut subnets = f.vpc.as_ref().map(|v| v.subnets.clone()).unwrap_or_default();
        match subnets.iter().position(|s| s == &name) {
            Some(i) => {
                subnets.remove(i);
            }
            None => subnets.push(name),
        }
        self.selection = Selection::Subnet(id);
        self.reduce_edit(EditAction::Commit {
            key: format!("fn:{func}:subnets"),
            edit: Edit::SetFunctionSubnets { function: func, subnets },
        });
        true
    }

    fn run_replay(&mut self, r: Replay) {
        let Some(sim) = self.sim.clone() else { return };
        let now = self.frame.now;
        self.chart_kinds = ChartKind::for_scenario(&r.scenario);
        self.scenario = Some(Shared::new(r.scenario.clone()));
        sim.borrow_mut().replace_scenario(r.scenario, r.from);
        // Come back to where the learner was (an undo replays from the edit's time).
        self.goal = self.goal.max(now);
        self.charts_rows = usize::MAX;
        self.work();
        self.refresh(true);
    }

    fn autosave(&self) {
        let (Some(st), Some(s)) = (storage(), self.editing.session.as_ref()) else { return };
        let key = autosave_key(&s.preset);
        if s.edited() {
            let _ = st.set_item(&key, &s.autosave());
        } else {
            let _ = st.remove_item(&key);
        }
    }
}
