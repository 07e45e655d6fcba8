//! One component per file: each renders its props and dispatches actions.

pub mod chart_view;
pub mod charts_panel;
pub mod error_panel;
pub mod figures;
pub mod header;
pub mod inspector;
pub mod narrative_log;
pub mod timeline;
pub mod topology;
