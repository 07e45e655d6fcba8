//! Undo and redo over whole scenarios, with the autosave format ([`History`]).

use super::labels::bounded;
use super::{EditError, MAX_LABEL_CHARS, MAX_MESSAGE_CHARS};
use crate::scenario::ScenarioSpec;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Most entries an undo history keeps (the oldest go first).
pub const HISTORY_LIMIT: usize = 200;
/// Format version of an autosaved history.
pub const HISTORY_VERSION: u32 = 1;
const HISTORY_FORMAT: &str = "lambdascape-history";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryEntry {
    /// The edit that led to this spec ("open" for the first).
    label: String,
    spec: ScenarioSpec,
}

/// Undo and redo over whole specs: each entry is a scenario and the label of the edit that
/// produced it. Bounded to [`HISTORY_LIMIT`] entries; a new push clears what could be redone.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    entries: Vec<HistoryEntry>,
    position: usize,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedHistory {
    format: String,
    version: u32,
    position: u32,
    entries: Vec<HistoryEntry>,
}

impl History {
    /// A history whose only entry is `spec` (as opened).
    pub fn new(spec: ScenarioSpec) -> Self {
        History { entries: vec![HistoryEntry { label: "open".into(), spec }], position: 0 }
    }

    /// The scenario now in the editor.
    pub fn current(&self) -> &ScenarioSpec {
        // `position` always indexes `entries`, which is never empty.
        &self.entries[self.position.min(self.entries.len() - 1)].spec
    }

    /// Records `spec`, made by the edit `label`, as the current scenario; clears redo. A spec
    /// equal to the current one is not recorded (returns false).
    pub fn push(&mut self, spec: ScenarioSpec, label: impl Into<String>) -> bool {
        if &spec == self.current() {
            return false;
        }
        self.entries.truncate(self.position + 1);
        self.entries.push(HistoryEntry { label: bounded(&label.into(), MAX_LABEL_CHARS), spec });
        if self.entries.len() > HISTORY_LIMIT {
            let excess = self.entries.len() - HISTORY_LIMIT;
            self.entries.drain(..excess);
        }
        self.position = self.entries.len() - 1;
        true
    }

    /// Goes back one edit; the scenario now current.
    pub fn undo(&mut self) -> Option<&ScenarioSpec> {
        if !self.can_undo() {
            return None;
        }
        self.position -= 1;
        Some(self.current())
    }

    /// Goes forward one undone edit; the scenario now current.
    pub fn redo(&mut self) -> Option<&ScenarioSpec> {
        if !self.can_redo() {
            return None;
        }
        self.position += 1;
        Some(self.current())
    }

    pub fn can_undo(&self) -> bool {
        self.position > 0
    }

    pub fn can_redo(&self) -> bool {
        self.position + 1 < self.entries.len()
    }

    /// "Undo add NAT gateway nat-b", if there is something to undo.
    pub fn undo_label(&self) -> Option<String> {
        self.can_undo().then(|| format!("Undo {}", self.entries[self.position].label))
    }

    /// "Redo add NAT gateway nat-b", if there is something to redo.
    pub fn redo_label(&self) -> Option<String> {
        self.can_redo().then(|| format!("Redo {}", self.entries[self.position + 1].label))
    }

    /// Number of entries (the current one included).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Never true: a history always holds the current scenario.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The history as JSON for autosave: `{"format": "lambdascape-history", "version": 1,
    /// "position": p, "entries": [{"label", "spec"}]}`, the current scenario at `position`.
    pub fn to_json(&self) -> String {
        let saved = SavedHistory {
            format: HISTORY_FORMAT.into(),
            version: HISTORY_VERSION,
            position: u32::try_from(self.position).unwrap_or(0),
            entries: self.entries.clone(),
        };
        serde_json::to_string(&saved).unwrap_or_default()
    }

    /// Reads an autosave back. A damaged, foreign, older or newer autosave, or one whose
    /// scenarios no longer validate, gives a [`EditErrorKind::Corrupt`](super::EditErrorKind::Corrupt) error.
    pub fn from_json(text: &str) -> Result<History, EditError> {
        let value: Value = crate::size::reader::parse(text)
            .map_err(|e| EditError::corrupt(format!("the autosave is not readable JSON: {e}")))?;
        if value.get("format").and_then(Value::as_str) != Some(HISTORY_FORMAT) {
            return Err(EditError::corrupt("this is not a Lambdascape editor autosave"));
        }
        match value.get("version").and_then(Value::as_u64) {
            Some(v) if v == HISTORY_VERSION as u64 => {}
            Some(v) => {
                return Err(EditError::corrupt(format!(
                    "the autosave is version {v}; this Lambdascape reads version {HISTORY_VERSION}"
                )))
            }
            None => return Err(EditError::corrupt("the autosave has no version")),
        }
        let saved: SavedHistory = crate::size::reader::read(&value)
            .map_err(|e| EditError::corrupt(format!("the autosave is damaged: {e}")))?;
        if saved.entries.is_empty() || saved.entries.len() > HISTORY_LIMIT {
            return Err(EditError::corrupt(format!(
                "the autosave holds {} scenarios: expected 1 to {HISTORY_LIMIT}",
                saved.entries.len()
            )));
        }
        let position = saved.position as usize;
        if position >= saved.entries.len() {
            return Err(EditError::corrupt("the autosave's position is outside its history"));
        }
        for (i, e) in saved.entries.iter().enumerate() {
            if let Err(errs) = e.spec.validate() {
                let first = errs.0.first().map(|x| x.to_string()).unwrap_or_default();
                return Err(EditError::corrupt(format!(
                    "scenario {} of the autosave does not validate: {}",
                    i + 1,
                    bounded(&first, MAX_MESSAGE_CHARS)
                )));
            }
        }
        let entries = saved
            .entries
            .into_iter()
            .map(|e| HistoryEntry { label: bounded(&e.label, MAX_LABEL_CHARS), spec: e.spec })
            .collect();
        Ok(History { entries, position })
    }
}
