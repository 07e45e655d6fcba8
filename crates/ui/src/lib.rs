//! # lambdascape-ui
//!
//! Lambdascape's UI core, with no UI framework: what the app (yew, the root package) and the
//! embeddable widget (`lambdascape-embed`, no virtual DOM) share. The state and its actions
//! ([`state`]: the engine handle, the reducer's logic), the markup of the topology, the figures,
//! the narrative and the timeline ([`markup`]), the compare table's columns ([`compare`]), formatting ([`format`]), colours ([`theme`]), the
//! canvas chart painter ([`charts`]), the topology's dots and hit testing ([`topology`]), the
//! preset library ([`presets`]), the share image ([`share_svg`]) and the controls the markup
//! carries ([`act`]). It builds and is tested natively; yew and plotters are not in its graph, so
//! the widget built on it has neither.

pub mod act;
pub mod charts;
pub mod compare;
pub mod format;
pub mod markup;
pub mod presets;
pub mod share_svg;
pub mod state;
pub mod theme;
pub mod topology;
