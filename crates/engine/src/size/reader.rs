//! Reads a scenario (or any typed value) from a parsed JSON document. The text is parsed once
//! into a `serde_json::Value`; [`Doc`] then hands the document to the types' `Deserialize`
//! implementations. An error names the path of the value it is about (`functions[0].memory_mb`)
//! rather than a line and column, and only syntax errors, found while parsing, have those.
//!
//! Why not deserialize from the text directly: serde_json's text deserializer is instantiated
//! for every type of the format, and serde's derive then also keeps the code for reading each
//! struct from an array. This deserializer reads structs from objects only, so that code goes
//! (2 KB of the widget's gzipped download). A document read twice (a scenario's `changes`
//! patched onto it) is also parsed once. As before, a key written twice in one object and
//! anything after the document are errors.
//!
//! Each scalar (`deserialize_u32`, `deserialize_str`...) matches only the kind of value it can
//! read, so a field's read holds its own visitor's call and not every `visit_*` that
//! `deserialize_any` reaches (0.5 KB of a download).

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};
use serde_json::Value;
use std::fmt;

/// What is wrong, and where: `path` is a field path (`functions[0].memory_mb`), or the line
/// and column of a syntax error, or empty for the whole document. Boxed, so that every read's
/// `Result` is one word wide and each field's error path moves one word: serde's derive reads
/// every field of every struct of the format through such a `Result`, and with two `String`s
/// inline the widget's gzipped download was 13.4 KB larger (the viewer's 13.0 KB, measured).
#[derive(Debug, Clone, PartialEq)]
pub struct Error(Box<Located>);

/// The parts of an [`Error`].
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub path: String,
    pub message: String,
}

impl std::ops::Deref for Error {
    type Target = Located;

    fn deref(&self) -> &Located {
        &self.0
    }
}

impl Error {
    fn new(path: String, message: String) -> Self {
        Error(Box::new(Located { path, message }))
    }

    /// Its path and its message.
    pub fn into_parts(self) -> Located {
        *self.0
    }

    /// The same error, one level further out: under key `k`.
    #[inline(never)]
    fn at(mut self, k: &str) -> Self {
        self.0.path = join(k, &self.0.path);
        self
    }

    /// Under the index `i` of an array.
    #[inline(never)]
    fn index(mut self, i: usize) -> Self {
        self.0.path = join(&format!("[{i}]"), &self.0.path);
        self
    }
}

fn join(outer: &str, inner: &str) -> String {
    if inner.is_empty() {
        outer.to_string()
    } else if inner.starts_with('[') {
        format!("{outer}{inner}")
    } else {
        format!("{outer}.{inner}")
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(String::new(), msg.to_string())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}

/// Parses `text` as JSON: a syntax error, or a key written twice in one object, names its
/// line and column.
pub fn parse(text: &str) -> Result<Value, Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    Strict.deserialize(&mut de).and_then(|v| de.end().map(|_| v)).map_err(|e| {
        let msg = e.to_string();
        // serde_json appends " at line L column C"; the path says it.
        let message = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        Error::new(format!("line {}, column {}", e.line(), e.column()), message)
    })
}

/// Reads any JSON value, like `Value`'s own `Deserialize`, but refuses a key written twice in
/// one object (as serde's derive does; `Value` would keep the last).
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(n.into())
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(n.into())
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(n.into())
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.into()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Strict)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if out.contains_key(&k) {
                return Err(de::Error::custom(format_args!("duplicate field `{k}`")));
            }
            let v = map.next_value_seed(Strict)?;
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

/// Reads a `T` from a parsed document.
pub fn read<T: DeserializeOwned>(doc: &Value) -> Result<T, Error> {
    T::deserialize(Doc(doc))
}

/// Reads a `T` from JSON text.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    read(&parse(text)?)
}

/// A value of a parsed document, as a serde deserializer.
#[derive(Clone, Copy)]
pub struct Doc<'de>(pub &'de Value);

fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Other("null"),
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (_, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

impl<'de> Doc<'de> {
    #[inline(never)]
    fn invalid(self, exp: &dyn de::Expected) -> Error {
        de::Error::invalid_type(unexpected(self.0), exp)
    }
}

/// Each scalar is read by a match on the one kind of value it can be, so that a field's read
/// holds only its own visitor's call and not every `visit_*` that `deserialize_any` would reach:
/// any other value, null included, is refused with the same "invalid type" error the visitor's
/// own default would give (null is named "null"; the visitors would call it a unit value).
macro_rules! numbers {
    ($($name:ident)*) => {
        $(fn $name<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            match self.0 {
                Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                    (Some(u), _) => v.visit_u64(u),
                    (_, Some(i)) => v.visit_i64(i),
                    _ => v.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
                },
                _ => Err(self.invalid(&v)),
            }
        })*
    };
}

macro_rules! strings {
    ($($name:ident)*) => {
        $(fn $name<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
            match self.0 {
                Value::String(s) => v.visit_borrowed_str(s),
                _ => Err(self.invalid(&v)),
            }
        })*
    };
}

impl<'de> Deserializer<'de> for Doc<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => v.visit_u64(u),
                (_, Some(i)) => v.visit_i64(i),
                _ => v.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => v.visit_borrowed_str(s),
            Value::Array(_) => self.deserialize_seq(v),
            Value::Object(_) => self.deserialize_map(v),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, v: V) -> Result<V::Value, Error> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let Value::Array(a) = self.0 else { return Err(self.invalid(&v)) };
        let mut seq = Seq { it: a.iter(), i: 0 };
        let out = v.visit_seq(&mut seq)?;
        // As serde_json does: an array longer than what was read is an error.
        if seq.it.len() > 0 {
            return Err(de::Error::invalid_length(a.len(), &"fewer elements in array"));
        }
        Ok(out)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let Value::Object(m) = self.0 else { return Err(self.invalid(&v)) };
        v.visit_map(Map { it: m.iter(), value: None })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => v.visit_enum(Enum { name: s, value: None }),
            Value::Object(m) if m.len() == 1 => {
                let (k, val) = m.iter().next().expect("one entry");
                v.visit_enum(Enum { name: k, value: Some(val) })
            }
            _ => {
                Err(de::Error::invalid_type(unexpected(self.0), &"a variant name, or an object with one key"))
            }
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => v.visit_borrowed_str(s),
            _ => Err(self.invalid(&v)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }

    numbers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64
    }

    strings! { deserialize_char deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Bool(b) => v.visit_bool(*b),
            _ => Err(self.invalid(&v)),
        }
    }

    serde::forward_to_deserialize_any! { unit unit_struct }
}

/// A key of an object, or a variant's name.
struct Key<'de>(&'de str);

impl<'de> Deserializer<'de> for Key<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_borrowed_str(self.0)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct Seq<'de> {
    it: std::slice::Iter<'de, Value>,
    i: usize,
}

impl<'de> SeqAccess<'de> for &mut Seq<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some(v) = self.it.next() else { return Ok(None) };
        let i = self.i;
        self.i += 1;
        seed.deserialize(Doc(v)).map(Some).map_err(|e| e.index(i))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.it.len())
    }
}

struct Map<'de> {
    it: serde_json::map::Iter<'de>,
    value: Option<(&'de str, &'de Value)>,
}

impl<'de> MapAccess<'de> for Map<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((k, v)) = self.it.next() else { return Ok(None) };
        self.value = Some((k, v));
        seed.deserialize(Key(k)).map(Some).map_err(|e| e.at(k))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((k, v)) = self.value.take() else { return Err(de::Error::custom("a value without a key")) };
        seed.deserialize(Doc(v)).map_err(|e| e.at(k))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.it.len())
    }
}

/// An enum's variant: its name and, unless written as a bare string, its value.
struct Enum<'de> {
    name: &'de str,
    value: Option<&'de Value>,
}

impl<'de> EnumAccess<'de> for Enum<'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        Ok((seed.deserialize(Key(self.name))?, self))
    }
}

impl<'de> Enum<'de> {
    /// The variant's value, for a variant that has one.
    fn value(&self, exp: &str) -> Result<Doc<'de>, Error> {
        self.value.map(Doc).ok_or_else(|| de::Error::invalid_type(Unexpected::UnitVariant, &exp))
    }
}

impl<'de> VariantAccess<'de> for Enum<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            None | Some(Value::Null) => Ok(()),
            Some(v) => Err(de::Error::invalid_type(unexpected(v), &"a unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self.value("a newtype variant")?).map_err(|e| e.at(self.name))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, v: V) -> Result<V::Value, Error> {
        self.value("a tuple variant")?.deserialize_seq(v).map_err(|e| e.at(self.name))
    }

    fn struct_variant<V: Visitor<'de>>(self, _: &'static [&'static str], v: V) -> Result<V::Value, Error> {
        self.value("a struct variant")?.deserialize_map(v).map_err(|e| e.at(self.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ScenarioSpec;
    use proptest::prelude::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Port {
        name: String,
        #[serde(default)]
        range: Option<(u16, u16)>,
        kind: Kind,
        #[serde(default)]
        tags: Vec<u32>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Tcp,
        Internet(String),
        Range { from: u32, to: u32 },
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            r#"{"name": "a", "kind": "tcp"}"#,
            r#"{"name": "b", "range": [1, 2], "kind": {"internet": "api.example.com"}, "tags": [1, 2, 3]}"#,
            r#"{"name": "c", "range": null, "kind": {"range": {"from": 1, "to": 2}}}"#,
            r#"{"name": "d", "kind": {"tcp": null}}"#,
        ] {
            assert_eq!(
                from_str::<Port>(text).unwrap(),
                serde_json::from_str::<Port>(text).unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn refuses_what_serde_json_refuses_and_says_where() {
        for (text, path, message) in [
            (r#"{"name": "a", "kind": "udp"}"#, "kind", "unknown variant `udp`"),
            (r#"{"name": "a", "kind": "tcp", "extra": 1}"#, "extra", "unknown field `extra`"),
            (r#"{"kind": "tcp"}"#, "", "missing field `name`"),
            (r#"{"name": 5, "kind": "tcp"}"#, "name", "invalid type: integer `5`, expected a string"),
            (r#"{"name": "a", "kind": "tcp", "tags": [1, -2]}"#, "tags[1]", "invalid value: integer `-2`"),
            (
                r#"{"name": "a", "kind": "tcp", "tags": [1.5]}"#,
                "tags[0]",
                "invalid type: floating point `1.5`",
            ),
            (r#"{"name": "a", "kind": "tcp", "range": [1, 2, 3]}"#, "range", "invalid length 3"),
            (r#"{"name": "a", "kind": "tcp", "range": [1]}"#, "range", "invalid length 1"),
            (r#"{"name": "a", "kind": {"range": {"from": 1}}}"#, "kind.range", "missing field `to`"),
            (r#"{"name": "a", "kind": {"tcp": 1, "udp": 2}}"#, "kind", "expected a variant name"),
            (r#"{"name": null, "kind": "tcp"}"#, "name", "invalid type: null"),
            (r#"[1, 2]"#, "", "invalid type: sequence"),
            ("{\"name\": \"a\",\n \"kind\": }", "line 2, column 10", "expected value"),
            (
                "{\"name\": \"a\",\n \"name\": \"b\", \"kind\": \"tcp\"}",
                "line 2, column 7",
                "duplicate field `name`",
            ),
            (r#"{"name": "a", "kind": "tcp"} x"#, "line 1, column 30", "trailing characters"),
        ] {
            let e = from_str::<Port>(text).unwrap_err();
            assert_eq!(e.path, path, "{text}: {e}");
            assert!(e.message.contains(message), "{text}: {e}");
            assert!(serde_json::from_str::<Port>(text).is_err(), "serde_json accepts {text}");
        }
    }

    /// Every scenario of the library and the tests reads the same through the document as
    /// through serde_json's text deserializer.
    #[test]
    fn scenario_files_read_the_same() {
        let mut n = 0;
        for dir in ["../../www/scenarios", "../../tests/scenarios"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "json") || path.ends_with("index.json") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let direct = serde_json::from_str::<ScenarioSpec>(&text);
                let via_doc = from_str::<ScenarioSpec>(&text);
                match (direct, via_doc) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", path.display()),
                    (Err(_), Err(_)) => {}
                    (a, b) => panic!("{}: {:?} vs {:?}", path.display(), a.err(), b.err()),
                }
                n += 1;
            }
        }
        assert!(n >= 10, "read {n} scenario files");
    }

    proptest! {
        /// Arbitrary JSON never panics the reader, and whatever it accepts serde_json accepts
        /// too, with the same value.
        #[test]
        fn arbitrary_documents(text in "[\\[\\]{}\",:0-9a-z. -]{0,80}") {
            if let Ok(p) = from_str::<Port>(&text) {
                prop_assert_eq!(Some(p), serde_json::from_str::<Port>(&text).ok());
            }
            let _ = from_str::<ScenarioSpec>(&text);
        }
    }
}
