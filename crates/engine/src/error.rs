//! Validation errors: every problem in a scenario, each with the field path it concerns.

use std::fmt;

/// One problem found while validating a scenario: where (a JSON-style field path such as
/// `functions[1].reserved_concurrency`) and why, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ValidationError {
    /// Field path, e.g. `functions[1].reserved_concurrency` or `vpc.subnets[0].cidr`.
    pub path: String,
    /// What is wrong and, where it helps, what would be right.
    pub message: String,
}

impl ValidationError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// All the problems of one scenario. Never empty when returned as an error.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ValidationErrors(pub Vec<ValidationError>);

impl ValidationErrors {
    pub fn iter(&self) -> impl Iterator<Item = &ValidationError> {
        self.0.iter()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Collects errors while walking a spec; `at` builds child paths.
#[derive(Debug, Default)]
pub struct Errors {
    pub list: Vec<ValidationError>,
}

impl Errors {
    pub fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.list.push(ValidationError::new(path, message));
    }
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
    pub fn into_result<T>(self, value: T) -> Result<T, ValidationErrors> {
        if self.list.is_empty() {
            Ok(value)
        } else {
            Err(ValidationErrors(self.list))
        }
    }
}

/// Joins a parent path and a field name: `join("functions[1]", "memory_mb")`.
pub fn join(parent: &str, field: &str) -> String {
    if parent.is_empty() {
        field.to_string()
    } else {
        format!("{parent}.{field}")
    }
}

/// Path of an element of a list: `index("functions", 1)` is `functions[1]`.
pub fn index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}
