//! The app's tools as `app.rs` places them: the editor, share / present / compare and the embed
//! button. With feature `tools` (the full app) they are the real ones ([`full`]); without it (the
//! viewer) they are stand-ins with the same names and buttons ([`loader`]) that load the full app
//! when one is used, and the full app carries on where the viewer was.

#[cfg(feature = "tools")]
mod full;
#[cfg(not(feature = "tools"))]
mod loader;
#[cfg(feature = "tools")]
pub mod share_state;

#[cfg(feature = "tools")]
pub use full::*;
#[cfg(not(feature = "tools"))]
pub use loader::*;
