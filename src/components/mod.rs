//! One component per file: each renders its props and dispatches actions.

pub mod chart_view;
pub mod charts_panel;
pub mod editor;
// The header's [embed] button (the embedding issue; the widget itself is src/embed/).
pub mod embed_button;
pub mod error_panel;
pub mod figures;
pub mod header;
pub mod inspector;
pub mod narrative_log;
pub mod timeline;
pub mod topology;
// Share, present and compare (the scenarios issue).
pub mod compare;
pub mod presenter;
pub mod share_layer;
pub mod share_menu;
// The "Beyond scaling" view: cross-account access, limits, storage, authorization failures.
pub mod beyond;
