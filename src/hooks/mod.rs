//! Hooks that connect the browser's clocks and events to actions.

mod use_animation_frame;
mod use_element_size;
mod use_hash_link;
mod use_keyboard;

pub use use_animation_frame::use_animation_frame;
pub use use_element_size::use_element_size;
#[cfg(feature = "tools")]
pub use use_hash_link::fragment_link;
pub use use_hash_link::use_hash_link;
pub use use_keyboard::use_keyboard;
