//! What keeps the wasm downloads small: four helpers the rest of the engine (and the web crates)
//! use instead of a standard or serde facility that costs download size in wasm. Natively each
//! gives the same results as what it replaces (the tests compare them), so the figures of a run
//! do not depend on the platform.
//!
//! The rule, enforced by clippy's `disallowed-methods` (`clippy.toml`, run by `scripts/test.sh`):
//!
//! | instead of | use | why (each module's doc has the measurement) |
//! |---|---|---|
//! | `slice::sort`, `sort_by`, `sort_by_key`, `sort_unstable*` | [`order::sort`], [`order::sort_by`], [`order::sort_by_key`] | one compiled sort routine in wasm instead of one per call site (about 4.5 KB of wasm each) |
//! | `serde_json::from_str` / `from_slice` on a scenario | [`reader::from_str`] (through a parsed `Value`) | serde_json's text deserializer instantiated per type, and serde's struct-from-array code (2 KB of the widget's gzipped download); its boxed error keeps every read's `Result` one word wide (13 KB more) |
//! | `str::parse::<f64>` | [`number::parse_f64`] | the standard library's decimal tables (about 11 KB of gzipped wasm) |
//! | serde's derive for internally tagged enums (`#[serde(tag = "type")]`) | [`tagged`] (wasm only) | serde's buffered `Content` per variant (13 KB of wasm for `DistSpec`, 17 KB for `TrafficSpec`) |
//!
//! Each module states what it saves, measured on the widget's wasm when it was introduced
//! (`scripts/wasm_size.py` shows where a module's code goes). A download's size budget is
//! checked by `scripts/e2e.sh`, which fails when one is exceeded.

pub mod number;
pub mod order;
pub mod reader;
#[cfg(any(test, target_arch = "wasm32"))]
pub(crate) mod tagged;
