//! Share links: the whole scenario, the current time and the view, packed into a string that is
//! safe in a URL fragment (`#s=v1.eJy…`).
//!
//! Format: `v<format version>.` then the JSON of a [`SharedState`], zlib-compressed (deflate with
//! an Adler-32 checksum, so damaged links are detected) and written in base64url without padding.
//! Decoding never panics: it refuses links that are not ours, from a newer Lambdascape, cut
//! short, damaged, too large once unpacked (a zip-bomb guard), or whose scenario is not valid,
//! each with a [`ShareError`] that says which.
//!
//! Older formats still open: [`migrate`] lifts their JSON one version at a time.
//!
//! | format | payload |
//! |---|---|
//! | v0 | the preview's links: `{"scenario": <scenario without "version">, "time_ms": <ms>, "view": {…}}` |
//! | v1 | `{"scenario": <scenario, "version": 1>, "time_us": <µs>, "view": {…}}` |
//!
//! # Examples
//!
//! ```
//! use lambdascape_engine::share::{self, SharedState, ViewState};
//! use lambdascape_engine::scenario::{FunctionSpec, ScenarioSpec};
//! use lambdascape_engine::traffic::TrafficSpec;
//!
//! let scenario = ScenarioSpec::new("demo", vec![FunctionSpec::new("api", TrafficSpec::constant(5.0))]);
//! let state = SharedState { scenario, time_us: 90_000_000, view: ViewState::default() };
//! let link = share::fragment(&state);
//! assert!(link.starts_with("#s=v1."));
//! assert_eq!(share::from_fragment(&link).unwrap(), state);
//! ```

use crate::error::{ValidationError, ValidationErrors};
use crate::scenario::{ScenarioSpec, SCENARIO_VERSION};
use crate::time::Micros;
use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use miniz_oxide::inflate::TINFLStatus;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// The link format this Lambdascape writes (and the newest it reads).
pub const FORMAT_VERSION: u32 = 1;
/// Most bytes a link's JSON may unpack to (a scenario is a few kB; this refuses zip bombs).
pub const MAX_JSON_BYTES: usize = 2 * 1024 * 1024;
/// Longest link text accepted (before any decoding work).
pub const MAX_LINK_CHARS: usize = 2 * 1024 * 1024;
/// The URL fragment key: `#s=<link>`.
pub const FRAGMENT_KEY: &str = "s";

/// What the viewer was looking at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewState {
    /// Layout: "full", "topology", "chart", …
    pub view: String,
    /// The chart shown, e.g. "concurrency".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart: Option<String>,
    /// What the inspector shows, e.g. a function name or "env:42".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
    /// Playback speed (simulated seconds per real second).
    pub speed: f64,
    /// The stretch of time the charts show ([`crate::chart::Span::text`]): `"whole"`,
    /// `"<from>-<to>"` in seconds, or absent for the run so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState { view: "full".into(), chart: None, selected: None, speed: 1.0, range: None }
    }
}

/// Everything a share link carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedState {
    pub scenario: ScenarioSpec,
    /// Current simulated time, in microseconds.
    pub time_us: Micros,
    pub view: ViewState,
}

/// Why a link could not be opened.
#[derive(Debug, Clone, PartialEq)]
pub enum ShareError {
    /// No `v<N>.` prefix (or no `s=` in a fragment): not a Lambdascape link.
    NotALink,
    /// Made by a newer Lambdascape.
    NewerVersion { found: u32 },
    /// The link ends early (its last characters are missing).
    Truncated,
    /// The link's characters or bytes are damaged.
    Corrupted(String),
    /// The link text is longer than [`MAX_LINK_CHARS`].
    LinkTooLong { chars: u64 },
    /// The data unpacks to more than [`MAX_JSON_BYTES`].
    TooLarge,
    /// The data unpacks, but not to a Lambdascape state (not JSON, missing parts).
    NotAState(String),
    /// The state's scenario (or time, or view) is not valid; every problem with its field path.
    InvalidScenario(ValidationErrors),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::NotALink => write!(
                f,
                "this is not a Lambdascape link: a share link ends in #s=v{FORMAT_VERSION}. followed by letters and digits"
            ),
            ShareError::NewerVersion { found } => write!(
                f,
                "this link was made by a newer Lambdascape (format v{found}); this version reads v{FORMAT_VERSION}: open it with an up-to-date Lambdascape"
            ),
            ShareError::Truncated => write!(
                f,
                "this link is cut short (its end is missing): copy the whole link again"
            ),
            ShareError::Corrupted(why) => {
                write!(f, "this link is damaged ({why}): copy it again from where it was shared")
            }
            ShareError::LinkTooLong { chars } => write!(
                f,
                "this link is {chars} characters long, more than the {MAX_LINK_CHARS} a Lambdascape link can be"
            ),
            ShareError::TooLarge => write!(
                f,
                "this link unpacks to more than {} MB, far more than any scenario: refusing to open it",
                MAX_JSON_BYTES / (1024 * 1024)
            ),
            ShareError::NotAState(why) => {
                write!(f, "this link's data is not a Lambdascape scenario and view: {why}")
            }
            ShareError::InvalidScenario(errs) => write!(f, "this link's scenario is not valid:\n{errs}"),
        }
    }
}

impl std::error::Error for ShareError {}

/// The link text (without `#s=`) for a state: `v1.` + base64url(zlib(JSON)).
pub fn encode(state: &SharedState) -> String {
    // Serializing plain data with string keys cannot fail.
    let json = serde_json::to_value(state).expect("a SharedState always serializes");
    encode_json(FORMAT_VERSION, &json)
}

/// Packs any JSON as a link of format `version`. [`encode`] is this with the current format;
/// tools and tests use it to make links of older (or future) formats.
pub fn encode_json(version: u32, json: &Value) -> String {
    let bytes = serde_json::to_vec(json).expect("a JSON value always serializes");
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&bytes, 9);
    // A CRC-32 of the JSON closes the link: zlib's Adler-32 alone lets some damaged links
    // inflate to a different, still valid scenario; this also tells a cut link from a whole one.
    if version == 0 {
        return format!("v0.{}", LINK_BASE64.encode(packed)); // v0 had no checksum
    }
    format!("v{version}.{}.{:08x}", LINK_BASE64.encode(packed), crc32(&bytes))
}

/// CRC-32 (IEEE) of a link's JSON, bitwise: links are small.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// `#s=<link>`, for the page's URL.
pub fn fragment(state: &SharedState) -> String {
    format!("#{FRAGMENT_KEY}={}", encode(state))
}

/// Opens a link made by [`encode`] (or by an older Lambdascape).
pub fn decode(link: &str) -> Result<SharedState, ShareError> {
    from_value(decode_value(link)?)
}

/// The first half of [`decode`]: the link's JSON, unpacked and migrated to the current format,
/// not yet checked as a state.
pub fn decode_value(link: &str) -> Result<Value, ShareError> {
    let link = link.trim();
    if link.len() > MAX_LINK_CHARS {
        return Err(ShareError::LinkTooLong { chars: link.chars().count() as u64 });
    }
    let (version, data) = split_version(link)?;
    if version > FORMAT_VERSION {
        return Err(ShareError::NewerVersion { found: version });
    }
    // From v1 on the data ends with `.` and 8 hex digits of CRC-32; anything shorter was cut.
    // (v0 links had no checksum.)
    let (data, check) =
        if version == 0 { (data, "") } else { data.rsplit_once('.').ok_or(ShareError::Truncated)? };
    if version == 0 {
        let json = unpack(data)?;
        let value: Value = parse_json(&json)?;
        return migrate(version, value);
    }
    if check.len() != 8 {
        return Err(if check.len() < 8 && check.bytes().all(|b| b.is_ascii_hexdigit()) {
            ShareError::Truncated
        } else {
            ShareError::Corrupted("its checksum is not 8 hexadecimal digits".into())
        });
    }
    let check = u32::from_str_radix(check, 16)
        .map_err(|_| ShareError::Corrupted("its checksum is not 8 hexadecimal digits".into()))?;
    let json = unpack(data)?;
    if crc32(&json) != check {
        return Err(ShareError::Corrupted("its checksum does not match: the link was changed".into()));
    }
    let value: Value = parse_json(&json)?;
    migrate(version, value)
}

/// Opens the link in a URL fragment: `#s=v1.…`, `s=v1.…`, a whole URL ending in one, or a
/// fragment with other `&`-separated parameters.
pub fn from_fragment(fragment: &str) -> Result<SharedState, ShareError> {
    let frag = fragment.trim();
    let frag = frag.rsplit_once('#').map_or(frag, |(_, f)| f);
    let link = frag
        .split('&')
        .find_map(|kv| kv.strip_prefix(FRAGMENT_KEY).and_then(|r| r.strip_prefix('=')))
        .ok_or(ShareError::NotALink)?;
    from_value(decode_value(link)?)
}

/// Lifts the JSON of a format-`version` link to the current format, one version at a time.
///
/// - v0 → v1: the scenario gains `"version": 1` (v0 scenarios had no version field), and the
///   time moves from `time_ms` (milliseconds) to `time_us` (microseconds).
pub fn migrate(version: u32, mut value: Value) -> Result<Value, ShareError> {
    if version > FORMAT_VERSION {
        return Err(ShareError::NewerVersion { found: version });
    }
    let mut v = version;
    while v < FORMAT_VERSION {
        value = match v {
            0 => v0_to_v1(value)?,
            // Every version below FORMAT_VERSION has a step above.
            _ => return Err(ShareError::NotAState(format!("no migration from format v{v}"))),
        };
        v += 1;
    }
    Ok(value)
}

fn v0_to_v1(mut value: Value) -> Result<Value, ShareError> {
    let obj =
        value.as_object_mut().ok_or_else(|| ShareError::NotAState("a v0 link holds a JSON object".into()))?;
    let ms =
        obj.remove("time_ms").ok_or_else(|| ShareError::NotAState("a v0 link has a time_ms field".into()))?;
    let ms = ms
        .as_u64()
        .ok_or_else(|| ShareError::NotAState("time_ms is a whole number of milliseconds".into()))?;
    obj.insert("time_us".into(), Value::from(ms.saturating_mul(1000)));
    let scenario = obj
        .get_mut("scenario")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| ShareError::NotAState("a v0 link has a scenario object".into()))?;
    scenario.entry("version").or_insert(Value::from(1u32));
    Ok(value)
}

/// `v<digits>.<data>` → (version, data).
fn split_version(link: &str) -> Result<(u32, &str), ShareError> {
    let rest = link.strip_prefix('v').ok_or(ShareError::NotALink)?;
    let (num, data) = rest.split_once('.').ok_or(ShareError::NotALink)?;
    if num.is_empty() || num.len() > 9 || !num.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ShareError::NotALink);
    }
    let version = crate::size::number::parse_uint(num).ok_or(ShareError::NotALink)?;
    Ok((version, data))
}

/// Reads base64url without padding. Trailing bits are allowed so that a link cut after any
/// character reads as cut short (the inflater says so), not as a bad last symbol; a damaged
/// last character is still caught by the zlib checksum.
const LINK_BASE64: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// base64url → zlib → bytes, with the size guard.
fn unpack(data: &str) -> Result<Vec<u8>, ShareError> {
    if data.is_empty() {
        return Err(ShareError::Truncated);
    }
    let packed = LINK_BASE64.decode(data).map_err(|e| match e {
        base64::DecodeError::InvalidLength(_) => ShareError::Truncated,
        base64::DecodeError::InvalidByte(at, b) => {
            ShareError::Corrupted(format!("character {} ({:?}) cannot be in a link", at + 1, char::from(b)))
        }
        other => ShareError::Corrupted(other.to_string()),
    })?;
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_JSON_BYTES).map_err(|e| {
        match e.status {
            TINFLStatus::FailedCannotMakeProgress | TINFLStatus::NeedsMoreInput => ShareError::Truncated,
            TINFLStatus::HasMoreOutput => ShareError::TooLarge,
            TINFLStatus::Adler32Mismatch => ShareError::Corrupted("its checksum does not match".into()),
            _ => ShareError::Corrupted("its data is not compressed the way Lambdascape writes it".into()),
        }
    })
}

/// A link's unpacked data as a JSON document.
fn parse_json(json: &[u8]) -> Result<Value, ShareError> {
    let text = std::str::from_utf8(json).map_err(|_| ShareError::NotAState("its data is not text".into()))?;
    crate::size::reader::parse(text).map_err(|e| ShareError::NotAState(format!("its data is not JSON ({e})")))
}

/// Current-format JSON → a checked state. A wrongly typed field is named by its path
/// (`scenario.functions[0].memory_mb` is reported as `functions[0].memory_mb`).
fn from_value(mut value: Value) -> Result<SharedState, ShareError> {
    let obj = value
        .as_object_mut()
        .ok_or_else(|| ShareError::NotAState("it holds no scenario, time and view".into()))?;
    let scenario =
        obj.remove("scenario").ok_or_else(|| ShareError::NotAState("it holds no scenario".into()))?;
    let mut errs = Vec::new();
    let scenario: Option<ScenarioSpec> = match ScenarioSpec::from_doc(&scenario).map_err(|e| e.0) {
        Ok(s) => Some(s),
        Err(e) => {
            errs.extend(e);
            None
        }
    };
    let time_us = match obj.get("time_us").map(Value::as_u64) {
        Some(Some(t)) => t,
        _ => {
            errs.push(ValidationError::new("time_us", "must be a whole number of microseconds"));
            0
        }
    };
    let view: ViewState = match obj.get("view").map(crate::size::reader::read) {
        None => ViewState::default(),
        Some(Ok(v)) => v,
        Some(Err(e)) => {
            let e = e.into_parts();
            let path = if e.path.is_empty() { "view".to_string() } else { format!("view.{}", e.path) };
            errs.push(ValidationError::new(path, e.message));
            ViewState::default()
        }
    };
    check_view(&view, &mut errs);
    let Some(scenario) = scenario else {
        return Err(ShareError::InvalidScenario(ValidationErrors(errs)));
    };
    match scenario.validate() {
        Ok(sc) if time_us > sc.horizon => errs.push(ValidationError::new(
            "time_us",
            format!("{time_us} µs is after the end of the scenario ({} µs)", sc.horizon),
        )),
        Ok(_) => {}
        Err(e) => errs.extend(e.0),
    }
    if errs.is_empty() {
        Ok(SharedState { scenario, time_us, view })
    } else {
        Err(ShareError::InvalidScenario(ValidationErrors(errs)))
    }
}

fn check_view(view: &ViewState, errs: &mut Vec<ValidationError>) {
    if !(view.speed.is_finite() && view.speed > 0.0 && view.speed <= 1e6) {
        errs.push(ValidationError::new("view.speed", "must be more than 0 and at most 1,000,000"));
    }
    if crate::chart::Span::parse(view.range.as_deref()).is_none() {
        errs.push(ValidationError::new(
            "view.range",
            "must be \"whole\" or \"<from>-<to>\" in whole seconds, at least 2 s apart",
        ));
    }
    let texts = [
        ("view.view", Some(&view.view)),
        ("view.chart", view.chart.as_ref()),
        ("view.selected", view.selected.as_ref()),
    ];
    for (path, text) in texts {
        if text.is_some_and(|t| t.chars().count() > 200 || t.chars().any(char::is_control)) {
            errs.push(ValidationError::new(path, "must be a short name without control characters"));
        }
    }
}

// The scenario format this link format carries.
const _: () =
    assert!(SCENARIO_VERSION == 1, "a new scenario version needs a new link format and a migration");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::FunctionSpec;
    use crate::traffic::TrafficSpec;

    fn state() -> SharedState {
        SharedState {
            scenario: ScenarioSpec::new("t", vec![FunctionSpec::new("api", TrafficSpec::constant(5.0))]),
            time_us: 1_500_000,
            view: ViewState {
                view: "chart".into(),
                chart: Some("throttles".into()),
                selected: None,
                speed: 10.0,
                range: Some("60-120".into()),
            },
        }
    }

    #[test]
    fn round_trips_and_is_fragment_safe() {
        let s = state();
        let link = encode(&s);
        assert!(link.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.'));
        assert_eq!(decode(&link).unwrap(), s);
        assert_eq!(from_fragment(&format!("https://x.test/app?a=1#k=2&s={link}")).unwrap(), s);
    }

    #[test]
    fn prefixes_are_checked() {
        assert_eq!(decode("hello"), Err(ShareError::NotALink));
        assert_eq!(decode("v.abc"), Err(ShareError::NotALink));
        assert_eq!(decode("v1"), Err(ShareError::NotALink));
        assert_eq!(decode("v1."), Err(ShareError::Truncated));
        assert_eq!(from_fragment("#t=v1.abc"), Err(ShareError::NotALink));
        assert_eq!(decode("v99999999999.abc"), Err(ShareError::NotALink));
    }

    #[test]
    fn unpacking_is_bounded() {
        let big = vec![b' '; MAX_JSON_BYTES + 1];
        let link = format!(
            "v1.{}.00000000",
            LINK_BASE64.encode(miniz_oxide::deflate::compress_to_vec_zlib(&big, 9))
        );
        assert!(link.len() < 10_000, "compresses well: {}", link.len());
        assert_eq!(decode(&link), Err(ShareError::TooLarge));
    }

    #[test]
    fn view_and_time_are_checked() {
        let mut s = state();
        s.view.speed = -1.0;
        s.time_us = 3_600_000_000;
        let Err(ShareError::InvalidScenario(e)) = decode(&encode(&s)) else { panic!() };
        let paths: Vec<_> = e.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["view.speed", "time_us"]);
    }
}
