//! A smaller deserializer for the scenario format's internally tagged enums (`{"type": ...}`:
//! [`DistSpec`](crate::dist::DistSpec), [`TrafficSpec`](crate::traffic::TrafficSpec),
//! [`EventSourceSpec`](crate::scenario::EventSourceSpec)), used by the wasm builds.
//!
//! serde's derive reads such an enum into a buffer, then each variant through its own copy of
//! the field code (13 KB of wasm for `DistSpec`, 17 KB for `TrafficSpec`). Here one visitor
//! reads the map once, each value into the slot of its field name, and builds the variant the
//! tag names. It accepts the same inputs and gives the same values and error messages as the
//! derive (the tests compare the two natively, where the types keep the derive). A wrongly
//! typed value is reported at the value (its line and column, its field path) rather than at
//! the end of the object; when the tag is missing or not the first key, an object with several
//! errors may report another of them first.

use serde::de::{
    DeserializeSeed, Deserializer, Error, Expected, IgnoredAny, MapAccess, SeqAccess, Unexpected, Visitor,
};
use std::fmt;
use std::marker::PhantomData;

/// The names of an enum, as serde's messages give them.
pub(crate) struct Table {
    /// The type's name ("DistSpec").
    pub name: &'static str,
    /// The tag's key ("type").
    pub tag: &'static str,
    /// The tag's values, in declaration order.
    pub variants: &'static [&'static str],
    /// The variants' shapes, in the same order.
    pub shapes: &'static [Shape],
    /// Every field name of any variant (at most 32); the index is the slot.
    pub fields: &'static [&'static str],
}

/// Declares each field name of a tagged enum once, as a constant, and `FIELDS`, every name in
/// slot order (`Table::fields`). The variants' field lists ([`Shape::fields`]) and the
/// missing-field errors ([`need`]) name the constants, so a name is written in one place.
macro_rules! field_names {
    ($($konst:ident = $name:literal),* $(,)?) => {
        $(const $konst: &str = $name;)*
        /// Every field name of any variant; the index is the slot.
        const FIELDS: &[&str] = &[$($konst),*];
    };
}
pub(crate) use field_names;

/// One variant.
pub(crate) struct Shape {
    /// The Rust name, for "struct variant DistSpec::Constant".
    pub ident: &'static str,
    /// Its fields in declaration order (those with a default last).
    pub fields: &'static [&'static str],
    /// How many of them have no default.
    pub required: usize,
}

/// An internally tagged enum read through one set of slots, one per field name.
pub(crate) trait Tagged: Sized {
    /// Its names.
    const TABLE: &'static Table;
    /// The values read so far.
    type Slots: Default;
    /// Reads the value of field `TABLE.fields[i]` into its slot.
    fn read<'de, D: Deserializer<'de>>(slots: &mut Self::Slots, i: usize, d: D) -> Result<(), D::Error>;
    /// Builds variant `v`: a field not read takes its default, or is missing.
    fn build<E: Error>(v: usize, slots: Self::Slots) -> Result<Self, E>;
}

/// Deserializes `T` like serde's derive for its `#[serde(tag = ..., deny_unknown_fields)]`.
pub(crate) fn deserialize<'de, T: Tagged, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_any(EnumVisitor(PhantomData))
}

/// A required field's value, or serde's "missing field" error.
pub(crate) fn need<T, E: Error>(slot: Option<T>, field: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(field))
}

struct EnumVisitor<T>(PhantomData<T>);

impl<'de, T: Tagged> Visitor<'de> for EnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "internally tagged enum {}", T::TABLE.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let t = T::TABLE;
        let mut slots = T::Slots::default();
        let mut tag: Option<usize> = None;
        let mut seen = 0u32;
        // Keys met before the tag, checked against its variant once it is known.
        let mut early: Vec<String> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == t.tag {
                if tag.is_some() {
                    return Err(A::Error::duplicate_field(t.tag));
                }
                let v = map.next_value_seed(TagSeed(t))?;
                let fields = t.shapes[v].fields;
                if let Some(k) = early.iter().find(|k| !fields.contains(&k.as_str())) {
                    return Err(A::Error::unknown_field(k, fields));
                }
                tag = Some(v);
                continue;
            }
            let i = t.fields.iter().position(|f| *f == key);
            match tag {
                Some(v) if !t.shapes[v].fields.contains(&key.as_str()) => {
                    return Err(A::Error::unknown_field(&key, t.shapes[v].fields));
                }
                Some(_) => {}
                None => early.push(key),
            }
            match i {
                Some(i) => {
                    if (seen >> i) & 1 == 1 {
                        return Err(A::Error::duplicate_field(t.fields[i]));
                    }
                    seen |= 1 << i;
                    map.next_value_seed(Slot::<T> { slots: &mut slots, i })?;
                }
                // A name no variant has, before the tag: an error once the tag is read.
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        match tag {
            Some(v) => T::build(v, slots),
            None => Err(A::Error::missing_field(t.tag)),
        }
    }

    /// The derive also reads `["uniform", 100, 500]`: the tag, then the fields in order.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let t = T::TABLE;
        let Some(v) = seq.next_element_seed(TagSeed(t))? else {
            return Err(A::Error::missing_field(t.tag));
        };
        let shape = &t.shapes[v];
        let mut slots = T::Slots::default();
        for (n, field) in shape.fields.iter().enumerate() {
            let i = t.fields.iter().position(|f| f == field).unwrap_or(usize::MAX);
            if seq.next_element_seed(Slot::<T> { slots: &mut slots, i })?.is_none() {
                if n < shape.required {
                    return Err(A::Error::invalid_length(n, &VariantLen(t.name, shape)));
                }
                return T::build(v, slots);
            }
        }
        let n = shape.fields.len();
        let mut extra = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            extra += 1;
        }
        if extra > 0 {
            return Err(A::Error::invalid_length(n + extra, &InSeq(n)));
        }
        T::build(v, slots)
    }
}

/// Reads one value into slot `i`.
struct Slot<'a, T: Tagged> {
    slots: &'a mut T::Slots,
    i: usize,
}

impl<'de, T: Tagged> DeserializeSeed<'de> for Slot<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        T::read(self.slots, self.i, d)
    }
}

/// Reads the tag: a variant's name (or its index, as the derive allows).
struct TagSeed(&'static Table);

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for TagSeed {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<usize, E> {
        let n = self.0.variants.len();
        match usize::try_from(v) {
            Ok(i) if i < n => Ok(i),
            _ => Err(E::invalid_value(Unexpected::Unsigned(v), &VariantIndex(n))),
        }
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<usize, E> {
        let variants = self.0.variants;
        variants.iter().position(|name| *name == v).ok_or_else(|| E::unknown_variant(v, variants))
    }

    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<usize, E> {
        self.visit_str(&String::from_utf8_lossy(v))
    }
}

/// "variant index 0 <= i < 6".
struct VariantIndex(usize);

impl Expected for VariantIndex {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "variant index 0 <= i < {}", self.0)
    }
}

/// "struct variant DistSpec::Uniform with 2 elements".
struct VariantLen<'a>(&'static str, &'a Shape);

impl Expected for VariantLen<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let n = self.1.fields.len();
        let s = if n == 1 { "" } else { "s" };
        write!(f, "struct variant {}::{} with {n} element{s}", self.0, self.1.ident)
    }
}

/// "2 elements in sequence".
struct InSeq(usize);

impl Expected for InSeq {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.0 == 1 {
            f.write_str("1 element in sequence")
        } else {
            write!(f, "{} elements in sequence", self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::DistSpec;
    use crate::scenario::{EventSourceSpec, ProvisionedPollersSpec, ScenarioSpec, SqsScaling};
    use crate::time::DurationSpec;
    use crate::traffic::{Arrivals, RatePoint, TrafficSpec};
    use proptest::prelude::*;
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Serialize};
    use serde_json::Value;
    use std::fmt::Debug;

    /// `T` read by the flat visitor (natively `T` itself keeps the derive).
    #[derive(Debug, PartialEq)]
    struct Flat<T>(T);

    impl<'de, T: Tagged> Deserialize<'de> for Flat<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d).map(Flat)
        }
    }

    /// serde_json's message without " at line L column C" (the positions differ by design).
    fn reason(e: &serde_json::Error) -> String {
        let m = e.to_string();
        m.split(" at line ").next().unwrap_or(&m).to_string()
    }

    /// Reads `text` as `T` with the derive and with the flat visitor, from text, from a JSON
    /// value and through serde_path_to_error, and checks that both accept the same inputs with
    /// the same values; with `exact`, also that they give the same messages. Returns the
    /// derive's value or message.
    fn check<T>(text: &str, exact: bool) -> Result<T, String>
    where
        T: Tagged + DeserializeOwned + PartialEq + Debug,
    {
        let derived = serde_json::from_str::<T>(text).map_err(|e| reason(&e));
        let flat = serde_json::from_str::<Flat<T>>(text).map(|f| f.0).map_err(|e| reason(&e));
        assert_eq!(derived.is_ok(), flat.is_ok(), "{text}: {derived:?} / {flat:?}");
        if exact || derived.is_ok() {
            assert_eq!(derived, flat, "{text}");
        }
        if let Ok(value) = serde_json::from_str::<Value>(text) {
            let a = serde_json::from_value::<T>(value.clone()).map_err(|e| e.to_string());
            let b = serde_json::from_value::<Flat<T>>(value).map(|f| f.0).map_err(|e| e.to_string());
            assert_eq!(a.is_ok(), b.is_ok(), "{text} as a value: {a:?} / {b:?}");
            if a.is_ok() {
                assert_eq!(a, b, "{text} as a value");
            }
        }
        if exact {
            // The derive reports a variant's errors at the enum; the flat visitor reports a
            // wrongly typed value at its field.
            let a = serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_str(text));
            let b =
                serde_path_to_error::deserialize::<_, Flat<T>>(&mut serde_json::Deserializer::from_str(text));
            if let (Err(a), Err(b)) = (a, b) {
                let (pa, pb) = (a.path().to_string(), b.path().to_string());
                assert!(pa == "." || pb.starts_with(&pa), "{text}: paths {pa} / {pb}");
                assert_eq!(reason(a.inner()), reason(b.inner()), "{text}");
            }
        }
        derived
    }

    fn all_agree(text: &str, exact: bool) -> [bool; 3] {
        [
            check::<DistSpec>(text, exact).is_ok(),
            check::<TrafficSpec>(text, exact).is_ok(),
            check::<EventSourceSpec>(text, exact).is_ok(),
        ]
    }

    fn nodes<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        match v {
            Value::Object(m) => {
                out.push(v);
                m.values().for_each(|c| nodes(c, out));
            }
            Value::Array(a) => {
                out.push(v);
                a.iter().for_each(|c| nodes(c, out));
            }
            _ => out.push(v),
        }
    }

    /// Every scenario file reads the same: each function's distributions, traffic and event
    /// source, and every other value in the file read as each of the enums (mostly errors).
    #[test]
    fn scenario_files_read_the_same() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let (mut files, mut read) = (0, [0; 3]);
        for dir in ["tests/scenarios", "www/scenarios"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "json") || path.ends_with("index.json") {
                    continue;
                }
                files += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                let spec = ScenarioSpec::from_json(&text).unwrap();
                let value: Value = serde_json::from_str(&text).unwrap();
                for (f, v) in spec.functions.iter().zip(value["functions"].as_array().unwrap()) {
                    let flat = |key: &str| v.get(key).map(|x| x.to_string());
                    if let Some(t) = flat("init") {
                        assert_eq!(serde_json::from_str::<Flat<DistSpec>>(&t).unwrap().0, f.init);
                    }
                    if let Some(t) = flat("duration") {
                        assert_eq!(serde_json::from_str::<Flat<DistSpec>>(&t).unwrap().0, f.duration);
                    }
                    if let Some(t) = flat("traffic") {
                        assert_eq!(serde_json::from_str::<Flat<TrafficSpec>>(&t).unwrap().0, f.traffic);
                    }
                    if let Some(t) = flat("event_source").filter(|t| t != "null") {
                        let e = serde_json::from_str::<Flat<EventSourceSpec>>(&t).unwrap().0;
                        assert_eq!(Some(e), f.event_source);
                    }
                }
                let mut all = Vec::new();
                nodes(&value, &mut all);
                for node in all {
                    let ok = all_agree(&node.to_string(), true);
                    (0..3).for_each(|i| read[i] += ok[i] as usize);
                }
            }
        }
        assert!(files >= 30, "{files} scenario files");
        assert!(read.iter().all(|&n| n >= 5), "values read per enum: {read:?}");
    }

    #[test]
    fn errors_read_the_same() {
        fn dist(text: &str) -> String {
            check::<DistSpec>(text, true).unwrap_err()
        }
        fn traffic(text: &str) -> String {
            check::<TrafficSpec>(text, true).unwrap_err()
        }
        fn source(text: &str) -> String {
            check::<EventSourceSpec>(text, true).unwrap_err()
        }
        type Read = fn(&str) -> String;
        let cases: &[(Read, &str, &str)] = &[
            (dist, r#"{"type": "constant"}"#, "missing field `ms`"),
            (dist, r#"{"type": "uniform", "max_ms": 1}"#, "missing field `min_ms`"),
            (dist, r#"{"type": "normal"}"#, "missing field `mean_ms`"),
            (dist, r#"{"type": "constant", "ms": 1, "x": 2}"#, "unknown field `x`, expected `ms`"),
            (dist, r#"{"type": "uniform", "ms": 2}"#, "unknown field `ms`, expected `min_ms` or `max_ms`"),
            (dist, r#"{"type": "constant", "ms": 1, "ms": 2}"#, "duplicate field `ms`"),
            (dist, r#"{"type": "constant", "type": "constant", "ms": 1}"#, "duplicate field `type`"),
            (dist, r#"{"ms": 1}"#, "missing field `type`"),
            (dist, r#"{}"#, "missing field `type`"),
            (dist, r#"[]"#, "missing field `type`"),
            (
                dist,
                r#"{"type": "fixed", "ms": 1}"#,
                "unknown variant `fixed`, expected one of `constant`, `uniform`, `exponential`, `normal`, \
                 `lognormal`, `empirical`",
            ),
            (dist, r#"{"type": 7}"#, "invalid type: integer `7`, expected variant identifier"),
            (dist, r#"{"type": null}"#, "invalid type: null, expected variant identifier"),
            (dist, r#"{"type": "constant", "ms": "5"}"#, "invalid type: string \"5\", expected f64"),
            (dist, r#"{"type": "constant", "ms": null}"#, "invalid type: null, expected f64"),
            (dist, r#"{"type": "empirical", "samples_ms": [1, true]}"#, "invalid type: boolean `true`, expected f64"),
            (dist, r#"{"type": "empirical", "samples_ms": 5}"#, "invalid type: integer `5`, expected a sequence"),
            (dist, r#""constant""#, "invalid type: string \"constant\", expected internally tagged enum DistSpec"),
            (dist, r#"5"#, "invalid type: integer `5`, expected internally tagged enum DistSpec"),
            (dist, r#"null"#, "invalid type: null, expected internally tagged enum DistSpec"),
            // Before the tag: checked once the tag is read.
            (dist, r#"{"mean_ms": 1, "type": "constant"}"#, "unknown field `mean_ms`, expected `ms`"),
            (dist, r#"{"x": [1, {}], "type": "constant", "ms": 1}"#, "unknown field `x`, expected `ms`"),
            (dist, r#"{"x": 1, "y": 2}"#, "missing field `type`"),
            // The array form: the tag, then the fields in order.
            (dist, r#"["uniform", 1]"#, "invalid length 1, expected struct variant DistSpec::Uniform with 2 elements"),
            (dist, r#"["constant"]"#, "invalid length 0, expected struct variant DistSpec::Constant with 1 element"),
            (dist, r#"["constant", 1, 2, 3]"#, "invalid length 3, expected 1 element in sequence"),
            (dist, r#"["uniform", 1, 2, 3]"#, "invalid length 3, expected 2 elements in sequence"),
            (dist, r#"["constant", "x"]"#, "invalid type: string \"x\", expected f64"),
            (dist, r#"[9, 1]"#, "invalid type: integer `9`, expected variant identifier"),
            (traffic, r#"{"type": "none", "rate": 1}"#, "unknown field `rate`, there are no fields"),
            (traffic, r#"["none", 1]"#, "invalid length 1, expected 0 elements in sequence"),
            (traffic, r#"{"type": "step", "rate": 1}"#, "missing field `steps`"),
            (traffic, r#"{"type": "ramp", "from": 1, "to": 2, "end": "1m"}"#, "missing field `start`"),
            (traffic, r#"{"type": "sine", "mean": 1, "amplitude": 1}"#, "missing field `period`"),
            (
                traffic,
                r#"{"type": "constant", "rate": 1, "steps": []}"#,
                "unknown field `steps`, expected `rate` or `arrivals`",
            ),
            (
                traffic,
                r#"{"type": "ramp", "from": 1, "to": 2, "start": "1x", "end": "1m"}"#,
                "'1x' has an unknown unit 'x': use ms, s, m, h or d",
            ),
            (
                traffic,
                r#"{"type": "constant", "rate": 1, "arrivals": "even"}"#,
                "unknown variant `even`, expected `poisson` or `regular`",
            ),
            (traffic, r#"{"type": "constant", "rate": 1, "arrivals": 1}"#, "invalid type: integer `1`, expected string or map"),
            (traffic, r#"{"type": "constant", "rate": 1, "arrivals": null}"#, "invalid type: null, expected string or map"),
            (traffic, r#"{"type": "constant", "rate": 1, "arrivals": {}}"#, "invalid value: map, expected map with a single key"),
            (
                traffic,
                r#"{"type": "constant", "rate": 1, "arrivals": {"regular": null, "poisson": null}}"#,
                "invalid value: map, expected map with a single key",
            ),
            (traffic, r#"{"type": "constant", "rate": 1, "arrivals": {"regular": 1}}"#, "invalid type: integer `1`, expected unit"),
            (traffic, r#"{"type": "constant", "rate": 1, "arrivals": {"regular": {"a": 1}}}"#, "invalid type: map, expected unit"),
            (
                traffic,
                r#"{"type": "step", "rate": 1, "steps": [{"at": "1s", "rate": 2, "x": 1}]}"#,
                "unknown field `x`, expected `at` or `rate`",
            ),
            (traffic, r#"{"type": "step", "rate": 1, "steps": [["1s"]]}"#, "invalid length 1, expected struct RatePoint with 2 elements"),
            (traffic, r#"{"type": "points", "csv": 5}"#, "invalid type: integer `5`, expected a string"),
            (source, r#"{"type": "stream"}"#, "missing field `shards`"),
            (source, r#"{"type": "sqs", "batch_size": -1}"#, "invalid value: integer `-1`, expected u32"),
            (source, r#"{"type": "sqs", "batch_size": 1.5}"#, "invalid type: floating point `1.5`, expected u32"),
            (source, r#"{"type": "sqs", "max_pollers": 4294967296}"#, "invalid value: integer `4294967296`, expected u32"),
            (source, r#"{"type": "sqs", "maximum_concurrency": "x"}"#, "invalid type: string \"x\", expected u32"),
            (
                source,
                r#"{"type": "stream", "shards": 1, "max_pollers": 2}"#,
                "unknown field `max_pollers`, expected one of `shards`, `parallelization_factor`, `batch_size`",
            ),
            (source, r#"{"type": "sqs", "shards": 1}"#, "unknown field `shards`, expected one of `batch_size`, `maximum_concurrency`, `scaling`, `initial_concurrency`, `scale_up_per_minute`, `max_pollers`, `provisioned_pollers`, `visibility_timeout`, `max_receive_count`"),
            (source, r#"{"type": "sqs", "scaling": "fast"}"#, "unknown variant `fast`, expected `current` or `legacy`"),
            (source, r#"{"type": "sqs", "scaling": 1}"#, "invalid type: integer `1`, expected string or map"),
            (source, r#"{"type": "sqs", "scaling": {"legacy": 1}}"#, "invalid type: integer `1`, expected unit"),
            (source, r#"{"type": "sqs", "scaling": {"fast": null}}"#, "unknown variant `fast`, expected `current` or `legacy`"),
            (
                source,
                r#"{"type": "sqs", "scaling": {"fast": 1, "legacy": null}}"#,
                "invalid value: map, expected map with a single key",
            ),
            (
                source,
                r#"{"type": "sqs", "provisioned_pollers": {"minimum_pollers": 2, "x": 1}}"#,
                "unknown field `x`, expected one of `minimum_pollers`, `maximum_pollers`, `invokes_per_poller`",
            ),
            (source, r#"{"type": "sqs", "provisioned_pollers": 5}"#, "invalid type: integer `5`, expected struct ProvisionedPollersSpec"),
        ];
        for (read, text, message) in cases {
            assert_eq!(read(text), *message, "{text}");
        }
    }

    /// Unusual forms the derive accepts: the array form, a variant's index as the tag, and
    /// `arrivals` as a map from its name to `null` or `{}`.
    #[test]
    fn unusual_forms_read_the_same() {
        let dist = |t: &str| check::<DistSpec>(t, true).unwrap();
        let traffic = |t: &str| check::<TrafficSpec>(t, true).unwrap();
        let source = |t: &str| check::<EventSourceSpec>(t, true).unwrap();
        assert_eq!(dist(r#"["uniform", 1, 2]"#), DistSpec::Uniform { min_ms: 1.0, max_ms: 2.0 });
        assert_eq!(dist(r#"{"ms": 3, "type": "constant"}"#), DistSpec::constant(3.0));
        assert_eq!(dist(r#"{"type": "constant", "m\u0073": 3}"#), DistSpec::constant(3.0));
        assert_eq!(traffic(r#"["none"]"#), TrafficSpec::None {});
        assert_eq!(traffic(r#"{"type": "none"}"#), TrafficSpec::None {});
        assert_eq!(traffic(r#"["constant", 5]"#), TrafficSpec::constant(5.0));
        let regular = TrafficSpec::Constant { rate: 5.0, arrivals: Arrivals::Regular };
        assert_eq!(traffic(r#"["constant", 5, "regular"]"#), regular);
        assert_eq!(traffic(r#"{"type": "constant", "rate": 5, "arrivals": {"regular": null}}"#), regular);
        assert_eq!(traffic(r#"{"type": "constant", "rate": 5, "arrivals": {"regular": {}}}"#), regular);
        assert_eq!(
            traffic(r#"{"type": "points", "csv": null}"#),
            TrafficSpec::Points { points: vec![], csv: None, arrivals: Arrivals::Poisson }
        );
        assert_eq!(
            traffic(r#"{"type": "sine", "mean": 1, "amplitude": 1, "period": 60}"#),
            TrafficSpec::Sine {
                mean: 1.0,
                amplitude: 1.0,
                period: DurationSpec::Seconds(60.0),
                phase: DurationSpec::Seconds(0.0),
                arrivals: Arrivals::Poisson
            }
        );
        let stream = EventSourceSpec::Stream { shards: 4, parallelization_factor: 1, batch_size: 100 };
        assert_eq!(source(r#"{"type": "stream", "shards": 4}"#), stream);
        assert_eq!(source(r#"["stream", 4]"#), stream);
        assert_eq!(source(r#"{"type": "sqs", "maximum_concurrency": null}"#), source(r#"{"type": "sqs"}"#));
        assert_eq!(source(r#"{"type": "sqs", "scaling": "current"}"#), source(r#"{"type": "sqs"}"#));
        assert_eq!(
            source(r#"{"type": "sqs", "scaling": {"legacy": {}}}"#),
            source(r#"{"type": "sqs", "scaling": "legacy"}"#)
        );
        assert_eq!(
            source(r#"{"type": "sqs", "provisioned_pollers": [20, 200]}"#),
            source(r#"{"type": "sqs", "provisioned_pollers": {"minimum_pollers": 20}}"#)
        );
        // A variant's index is a tag only where the derive reads from its buffer (the tag of an
        // enum inside an internally tagged one); from JSON text it is an error for both.
        #[derive(Debug, PartialEq, Deserialize)]
        #[serde(tag = "kind")]
        enum Outer<T> {
            Inner { value: T },
        }
        let text = r#"{"kind": "Inner", "value": {"type": 1, "min_ms": 1, "max_ms": 2}}"#;
        let Outer::Inner { value } = serde_json::from_str::<Outer<DistSpec>>(text).unwrap();
        let Outer::Inner { value: Flat(flat) } = serde_json::from_str::<Outer<Flat<DistSpec>>>(text).unwrap();
        assert_eq!((&value, &flat), (&DistSpec::Uniform { min_ms: 1.0, max_ms: 2.0 }, &value));
    }

    /// The tables of each enum match its declaration (the derive's names, order and defaults).
    #[test]
    fn shapes_match_the_declarations() {
        fn shapes<T: Tagged + DeserializeOwned + PartialEq + Debug>() {
            let t = T::TABLE;
            assert_eq!(t.variants.len(), t.shapes.len());
            assert!(t.fields.len() <= 32);
            for (name, shape) in t.variants.iter().zip(t.shapes) {
                assert!(shape.fields.iter().all(|f| t.fields.contains(f)), "{name}");
                // All fields present, in order: values agree; only the required ones: the
                // defaults agree; one fewer: the derive's missing field.
                let all = shape.fields.iter().map(|f| format!(",\"{f}\":{}", sample(f))).collect::<String>();
                let text = format!("{{\"type\":\"{name}\"{all}}}");
                assert!(check::<T>(&text, true).is_ok(), "{text}");
                let required: String = shape.fields[..shape.required]
                    .iter()
                    .map(|f| format!(",\"{f}\":{}", sample(f)))
                    .collect();
                assert!(check::<T>(&format!("{{\"type\":\"{name}\"{required}}}"), true).is_ok(), "{name}");
                for skip in 0..shape.required {
                    let some: String = shape.fields[..shape.required]
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != skip)
                        .map(|(_, f)| format!(",\"{f}\":{}", sample(f)))
                        .collect();
                    let message = check::<T>(&format!("{{\"type\":\"{name}\"{some}}}"), true).unwrap_err();
                    assert_eq!(message, format!("missing field `{}`", shape.fields[skip]));
                }
            }
        }
        shapes::<DistSpec>();
        shapes::<TrafficSpec>();
        shapes::<EventSourceSpec>();
    }

    /// A valid value for each field name.
    fn sample(field: &str) -> &'static str {
        match field {
            "samples_ms" => "[1, 2.5]",
            "start" | "end" | "period" | "phase" | "every" | "burst_for" | "visibility_timeout" => "\"90s\"",
            "scaling" => "\"legacy\"",
            "provisioned_pollers" => r#"{"minimum_pollers": 20, "maximum_pollers": 300}"#,
            "arrivals" => "\"regular\"",
            "steps" | "points" => r#"[{"at": "1s", "rate": 2}, ["2m", 3]]"#,
            "csv" => "\"0,1\\n60,2\"",
            _ => "7",
        }
    }

    fn duration() -> impl Strategy<Value = DurationSpec> {
        prop_oneof![
            (0.0..1e6f64).prop_map(DurationSpec::Seconds),
            (0u64..1_000_000_000_000).prop_map(DurationSpec::from_micros)
        ]
    }

    fn arrivals() -> impl Strategy<Value = Arrivals> {
        prop_oneof![Just(Arrivals::Poisson), Just(Arrivals::Regular)]
    }

    fn points() -> impl Strategy<Value = Vec<RatePoint>> {
        proptest::collection::vec(
            (duration(), -1e3..1e6f64).prop_map(|(at, rate)| RatePoint { at, rate }),
            0..4,
        )
    }

    fn dist() -> impl Strategy<Value = DistSpec> {
        let ms = || -1e3..1e6f64;
        prop_oneof![
            ms().prop_map(|ms| DistSpec::Constant { ms }),
            (ms(), ms()).prop_map(|(min_ms, max_ms)| DistSpec::Uniform { min_ms, max_ms }),
            ms().prop_map(|mean_ms| DistSpec::Exponential { mean_ms }),
            (ms(), ms()).prop_map(|(mean_ms, std_ms)| DistSpec::Normal { mean_ms, std_ms }),
            (ms(), ms()).prop_map(|(mean_ms, std_ms)| DistSpec::Lognormal { mean_ms, std_ms }),
            proptest::collection::vec(ms(), 0..4).prop_map(|samples_ms| DistSpec::Empirical { samples_ms }),
        ]
    }

    fn traffic() -> impl Strategy<Value = TrafficSpec> {
        let r = || -1e3..1e6f64;
        prop_oneof![
            Just(TrafficSpec::None {}),
            (r(), arrivals()).prop_map(|(rate, arrivals)| TrafficSpec::Constant { rate, arrivals }),
            (r(), points(), arrivals()).prop_map(|(rate, steps, arrivals)| TrafficSpec::Step {
                rate,
                steps,
                arrivals
            }),
            (r(), r(), duration(), duration(), arrivals()).prop_map(|(from, to, start, end, arrivals)| {
                TrafficSpec::Ramp { from, to, start, end, arrivals }
            }),
            (r(), r(), duration(), duration(), arrivals()).prop_map(
                |(mean, amplitude, period, phase, arrivals)| {
                    TrafficSpec::Sine { mean, amplitude, period, phase, arrivals }
                }
            ),
            (r(), r(), duration(), duration(), duration(), arrivals()).prop_map(
                |(base, burst_rate, every, burst_for, start, arrivals)| TrafficSpec::Bursts {
                    base,
                    burst_rate,
                    every,
                    burst_for,
                    start,
                    arrivals
                }
            ),
            (points(), proptest::option::of("[0-9,\n]{0,12}"), arrivals())
                .prop_map(|(points, csv, arrivals)| TrafficSpec::Points { points, csv, arrivals }),
        ]
    }

    fn source() -> impl Strategy<Value = EventSourceSpec> {
        let n = any::<u32>;
        prop_oneof![
            (
                n(),
                proptest::option::of(n()),
                any::<bool>(),
                n(),
                proptest::option::of(n()),
                proptest::option::of(n()),
                proptest::option::of((n(), n(), n())),
                duration(),
                n()
            )
                .prop_map(|(a, b, legacy, c, d, e, p, f, g)| {
                    EventSourceSpec::Sqs {
                        batch_size: a,
                        maximum_concurrency: b,
                        scaling: if legacy { SqsScaling::Legacy } else { SqsScaling::Current },
                        initial_concurrency: c,
                        scale_up_per_minute: d,
                        max_pollers: e,
                        provisioned_pollers: p.map(
                            |(minimum_pollers, maximum_pollers, invokes_per_poller)| ProvisionedPollersSpec {
                                minimum_pollers,
                                maximum_pollers,
                                invokes_per_poller,
                            },
                        ),
                        visibility_timeout: f,
                        max_receive_count: g,
                    }
                }),
            (n(), n(), n()).prop_map(|(shards, parallelization_factor, batch_size)| {
                EventSourceSpec::Stream { shards, parallelization_factor, batch_size }
            }),
        ]
    }

    /// Writes `value` and reads it back with both, also with its fields in reverse order.
    fn round_trip<T: Tagged + Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) {
        let text = serde_json::to_string(value).unwrap();
        let read = check::<T>(&text, true).unwrap();
        let Value::Object(map) = serde_json::to_value(value).unwrap() else { panic!("{text}") };
        let entries: Vec<String> =
            map.iter().rev().map(|(k, v)| format!("{}:{v}", Value::from(k.as_str()))).collect();
        assert_eq!(check::<T>(&format!("{{{}}}", entries.join(",")), true), Ok(read));
    }

    /// Field names of every enum, an unknown one and the tag, for random objects.
    const KEYS: &[&str] = &[
        "type",
        "x",
        "ms",
        "min_ms",
        "max_ms",
        "mean_ms",
        "std_ms",
        "samples_ms",
        "rate",
        "from",
        "to",
        "mean",
        "amplitude",
        "base",
        "burst_rate",
        "start",
        "end",
        "period",
        "phase",
        "every",
        "burst_for",
        "arrivals",
        "steps",
        "points",
        "csv",
        "batch_size",
        "initial_concurrency",
        "scale_up_per_minute",
        "max_pollers",
        "max_receive_count",
        "shards",
        "parallelization_factor",
        "maximum_concurrency",
        "visibility_timeout",
        "scaling",
        "provisioned_pollers",
    ];

    /// Values of every kind, valid for some fields and not for others (none with two faults).
    const VALUES: &[&str] = &[
        "0",
        "7",
        "2.5",
        "-3",
        "4294967296",
        "1e3",
        "\"90s\"",
        "\"1x\"",
        "\"\"",
        "null",
        "true",
        "[]",
        "{}",
        "[1, 2]",
        "[1, \"x\"]",
        "[{\"at\": \"1s\", \"rate\": 2}]",
        "[[\"1s\", 2]]",
        "[[1]]",
        "[{\"at\": 1}]",
        "\"poisson\"",
        "\"regular\"",
        "\"bogus\"",
        "{\"regular\": null}",
        "{\"poisson\": {}}",
        "{\"poisson\": 1}",
        "{\"bogus\": null}",
        "{\"a\": null, \"b\": null}",
        "\"constant\"",
        "\"uniform\"",
        "\"none\"",
        "\"points\"",
        "\"sine\"",
        "\"sqs\"",
        "\"stream\"",
        "\"empirical\"",
        "\"0,1\\n60,2\"",
        "\"legacy\"",
        "{\"legacy\": null}",
        "{\"minimum_pollers\": null}",
    ];

    proptest! {
        #[test]
        fn random_values_read_the_same(d in dist(), t in traffic(), s in source()) {
            round_trip(&d);
            round_trip(&t);
            round_trip(&s);
        }

        /// Random objects and arrays: with the tag first, the same values and messages; with
        /// the tag elsewhere or absent, the same inputs accepted.
        #[test]
        fn random_objects_read_the_same(
            tag in prop_oneof![Just(None), (0..VALUES.len()).prop_map(Some)],
            entries in proptest::collection::vec((1..KEYS.len(), 0..VALUES.len()), 0..6),
            at in any::<prop::sample::Index>(),
            array in any::<bool>(),
        ) {
            let mut items: Vec<String> = entries
                .iter()
                .map(|&(k, v)| if array { VALUES[v].to_string() } else { format!("\"{}\": {}", KEYS[k], VALUES[v]) })
                .collect();
            let first = match tag {
                Some(v) => {
                    items.insert(0, if array { VALUES[v].to_string() } else { format!("\"type\": {}", VALUES[v]) });
                    format!("{{{}}}", items.join(", "))
                }
                None => format!("{{{}}}", items.join(", ")),
            };
            let first = if array { format!("[{}]", items.join(", ")) } else { first };
            all_agree(&first, tag.is_some());
            if let (Some(_), false) = (tag, array) {
                let tag = items.remove(0);
                items.insert(at.index(items.len() + 1), tag);
                all_agree(&format!("{{{}}}", items.join(", ")), false);
            }
        }
    }
}
