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
// The "Beyond scaling" view's button and host (the view is its own module, crates/beyond).
pub mod beyond;
// The sizing panel's button and host (the panel is its own module, crates/sizing; in the
// viewer the button loads the full app).
pub mod sizing;

// The full app's tools (feature `tools`): the editor, the [embed] button (the widget itself is
// crates/embed), share, present and compare. The viewer has stand-ins (src/tools/loader.rs).
#[cfg(feature = "tools")]
pub mod compare;
#[cfg(feature = "tools")]
pub mod editor;
#[cfg(feature = "tools")]
pub mod embed_button;
#[cfg(feature = "tools")]
pub mod presenter;
#[cfg(feature = "tools")]
pub mod share_layer;
#[cfg(feature = "tools")]
pub mod share_menu;
