//! Duration distributions for init (cold start) and invocation times, in milliseconds.
//!
//! A [`DistSpec`] is what a scenario file says; [`Dist`] is the validated, ready-to-sample form.
//! Every sample is a non-negative number of microseconds drawn from the simulation's one seeded
//! generator, so runs are reproducible.

use crate::error::{join, Errors};
use crate::time::{ms_to_micros, Micros};
use rand::Rng;
use rand_distr::{Distribution, Exp, LogNormal, Normal};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A distribution of durations in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
// In wasm, read by `crate::size::tagged` (less code than the derive).
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum DistSpec {
    /// Always the same value.
    Constant { ms: f64 },
    /// Uniform between `min_ms` and `max_ms`.
    Uniform { min_ms: f64, max_ms: f64 },
    /// Exponential with the given mean.
    Exponential { mean_ms: f64 },
    /// Normal with mean and standard deviation, truncated at zero.
    Normal { mean_ms: f64, std_ms: f64 },
    /// Log-normal given by its mean and standard deviation (not those of the logarithm).
    Lognormal { mean_ms: f64, std_ms: f64 },
    /// Draws uniformly from measured samples (e.g. REPORT lines from CloudWatch Logs).
    Empirical { samples_ms: Vec<f64> },
}

#[cfg(target_arch = "wasm32")]
impl<'de> Deserialize<'de> for DistSpec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::size::tagged::deserialize(d)
    }
}

/// The fields of every variant, for [`crate::size::tagged`].
#[cfg(any(test, target_arch = "wasm32"))]
mod flat {
    use super::DistSpec;
    use crate::size::tagged::{field_names, need, Shape, Table, Tagged};
    use serde::de::{Deserialize, Deserializer, Error};

    /// The five millisecond fields (in `TABLE.fields` order), then `samples_ms`.
    #[derive(Default)]
    pub struct Slots {
        ms: [Option<f64>; 5],
        samples: Option<Vec<f64>>,
    }

    field_names!(
        MS = "ms",
        MIN_MS = "min_ms",
        MAX_MS = "max_ms",
        MEAN_MS = "mean_ms",
        STD_MS = "std_ms",
        SAMPLES_MS = "samples_ms"
    );

    impl Tagged for DistSpec {
        const TABLE: &'static Table = &Table {
            name: "DistSpec",
            tag: "type",
            variants: &["constant", "uniform", "exponential", "normal", "lognormal", "empirical"],
            shapes: &[
                Shape { ident: "Constant", fields: &[MS], required: 1 },
                Shape { ident: "Uniform", fields: &[MIN_MS, MAX_MS], required: 2 },
                Shape { ident: "Exponential", fields: &[MEAN_MS], required: 1 },
                Shape { ident: "Normal", fields: &[MEAN_MS, STD_MS], required: 2 },
                Shape { ident: "Lognormal", fields: &[MEAN_MS, STD_MS], required: 2 },
                Shape { ident: "Empirical", fields: &[SAMPLES_MS], required: 1 },
            ],
            fields: FIELDS,
        };
        type Slots = Slots;

        fn read<'de, D: Deserializer<'de>>(s: &mut Slots, i: usize, d: D) -> Result<(), D::Error> {
            match s.ms.get_mut(i) {
                Some(slot) => *slot = Some(f64::deserialize(d)?),
                None => s.samples = Some(Vec::deserialize(d)?),
            }
            Ok(())
        }

        fn build<E: Error>(v: usize, s: Slots) -> Result<Self, E> {
            let [ms, min_ms, max_ms, mean_ms, std_ms] = s.ms;
            Ok(match v {
                0 => DistSpec::Constant { ms: need(ms, MS)? },
                1 => DistSpec::Uniform { min_ms: need(min_ms, MIN_MS)?, max_ms: need(max_ms, MAX_MS)? },
                2 => DistSpec::Exponential { mean_ms: need(mean_ms, MEAN_MS)? },
                3 => DistSpec::Normal { mean_ms: need(mean_ms, MEAN_MS)?, std_ms: need(std_ms, STD_MS)? },
                4 => DistSpec::Lognormal { mean_ms: need(mean_ms, MEAN_MS)?, std_ms: need(std_ms, STD_MS)? },
                _ => DistSpec::Empirical { samples_ms: need(s.samples, SAMPLES_MS)? },
            })
        }
    }
}

impl DistSpec {
    pub fn constant(ms: f64) -> Self {
        DistSpec::Constant { ms }
    }

    /// The distribution's mean in milliseconds (for summaries, previews and cost estimates).
    pub fn mean_ms(&self) -> f64 {
        match self {
            DistSpec::Constant { ms } => *ms,
            DistSpec::Uniform { min_ms, max_ms } => (min_ms + max_ms) / 2.0,
            DistSpec::Exponential { mean_ms }
            | DistSpec::Normal { mean_ms, .. }
            | DistSpec::Lognormal { mean_ms, .. } => *mean_ms,
            DistSpec::Empirical { samples_ms } => {
                samples_ms.iter().sum::<f64>() / samples_ms.len().max(1) as f64
            }
        }
    }

    /// Checks the parameters; `max_ms` bounds every value (e.g. 900,000 ms).
    pub fn validate(&self, path: &str, max_ms: f64, errs: &mut Errors) -> Option<Dist> {
        let before = errs.list.len();
        let mut check = |field: &str, v: f64, allow_zero: bool| {
            if !v.is_finite() || v < 0.0 || (!allow_zero && v == 0.0) {
                let want = if allow_zero { "0 or more" } else { "more than 0" };
                errs.push(join(path, field), format!("{v} is not a valid duration: must be {want} ms"));
            } else if v > max_ms {
                errs.push(join(path, field), format!("{v} ms is longer than the limit of {max_ms} ms"));
            }
        };
        match self {
            DistSpec::Constant { ms } => check("ms", *ms, true),
            DistSpec::Uniform { min_ms, max_ms: hi } => {
                check("min_ms", *min_ms, true);
                check("max_ms", *hi, true);
                if min_ms > hi {
                    errs.push(join(path, "max_ms"), format!("{hi} is below min_ms {min_ms}"));
                }
            }
            DistSpec::Exponential { mean_ms } => check("mean_ms", *mean_ms, false),
            DistSpec::Normal { mean_ms, std_ms } | DistSpec::Lognormal { mean_ms, std_ms } => {
                check("mean_ms", *mean_ms, false);
                check("std_ms", *std_ms, true);
            }
            DistSpec::Empirical { samples_ms } => {
                if samples_ms.is_empty() {
                    errs.push(join(path, "samples_ms"), "needs at least one sample");
                }
                if samples_ms.len() > 100_000 {
                    errs.push(join(path, "samples_ms"), "at most 100,000 samples");
                }
                if let Some((i, v)) =
                    samples_ms.iter().enumerate().find(|(_, v)| !v.is_finite() || **v < 0.0 || **v > max_ms)
                {
                    errs.push(
                        format!("{}[{i}]", join(path, "samples_ms")),
                        format!("{v} is not a duration between 0 and {max_ms} ms"),
                    );
                }
            }
        }
        if errs.list.len() > before {
            return None;
        }
        Some(match self {
            DistSpec::Constant { ms } => Dist::Constant(ms_to_micros(*ms)),
            DistSpec::Uniform { min_ms, max_ms } => Dist::Uniform(*min_ms * 1e3, *max_ms * 1e3),
            DistSpec::Exponential { mean_ms } => Dist::Exponential(Exp::new(1.0 / (mean_ms * 1e3)).ok()?),
            DistSpec::Normal { mean_ms, std_ms } => {
                Dist::Normal(Normal::new(mean_ms * 1e3, *std_ms * 1e3).ok()?)
            }
            DistSpec::Lognormal { mean_ms, std_ms } => {
                // Convert the mean and standard deviation of the value to those of its logarithm.
                let m = mean_ms * 1e3;
                let s = std_ms * 1e3;
                let sigma2 = (1.0 + (s * s) / (m * m)).ln();
                let mu = m.ln() - sigma2 / 2.0;
                Dist::Lognormal(LogNormal::new(mu, sigma2.sqrt()).ok()?)
            }
            DistSpec::Empirical { samples_ms } => {
                Dist::Empirical(samples_ms.iter().map(|v| ms_to_micros(*v)).collect())
            }
        })
    }
}

/// A validated distribution that draws microseconds.
#[derive(Debug, Clone)]
pub enum Dist {
    Constant(Micros),
    /// Bounds in microseconds.
    Uniform(f64, f64),
    Exponential(Exp<f64>),
    Normal(Normal<f64>),
    Lognormal(LogNormal<f64>),
    Empirical(Vec<Micros>),
}

impl Dist {
    /// One draw, in microseconds, never negative.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> Micros {
        let us = match self {
            Dist::Constant(v) => return *v,
            Dist::Uniform(lo, hi) => {
                if hi > lo {
                    rng.random_range(*lo..=*hi)
                } else {
                    *lo
                }
            }
            Dist::Exponential(d) => d.sample(rng),
            Dist::Normal(d) => d.sample(rng),
            Dist::Lognormal(d) => d.sample(rng),
            Dist::Empirical(v) => return v[rng.random_range(0..v.len())],
        };
        if us > 0.0 {
            crate::time::round_to_u64(us)
        } else {
            0
        }
    }

    /// Whether every draw is the same (lets the engine skip the generator).
    pub fn is_constant(&self) -> bool {
        matches!(self, Dist::Constant(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn mean_of(spec: DistSpec) -> f64 {
        let mut errs = Errors::default();
        let d = spec.validate("d", 1e9, &mut errs).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let n = 200_000;
        (0..n).map(|_| d.sample(&mut rng) as f64).sum::<f64>() / n as f64 / 1e3
    }

    #[test]
    fn means_match_their_parameters() {
        assert!((mean_of(DistSpec::Exponential { mean_ms: 100.0 }) - 100.0).abs() < 1.5);
        assert!((mean_of(DistSpec::Uniform { min_ms: 10.0, max_ms: 30.0 }) - 20.0).abs() < 0.2);
        assert!((mean_of(DistSpec::Lognormal { mean_ms: 200.0, std_ms: 80.0 }) - 200.0).abs() < 2.0);
        assert!((mean_of(DistSpec::Normal { mean_ms: 50.0, std_ms: 5.0 }) - 50.0).abs() < 0.2);
        assert_eq!(mean_of(DistSpec::constant(12.0)), 12.0);
        let e = mean_of(DistSpec::Empirical { samples_ms: vec![10.0, 20.0] });
        assert!((e - 15.0).abs() < 0.1);
    }

    #[test]
    fn rejects_bad_parameters_with_paths() {
        let mut errs = Errors::default();
        assert!(DistSpec::Exponential { mean_ms: -1.0 }.validate("f.duration", 9e5, &mut errs).is_none());
        assert_eq!(errs.list[0].path, "f.duration.mean_ms");
        let mut errs = Errors::default();
        assert!(DistSpec::Uniform { min_ms: 5.0, max_ms: 1.0 }.validate("x", 9e5, &mut errs).is_none());
        assert_eq!(errs.list[0].path, "x.max_ms");
        let mut errs = Errors::default();
        assert!(DistSpec::Empirical { samples_ms: vec![] }.validate("x", 9e5, &mut errs).is_none());
        let mut errs = Errors::default();
        assert!(DistSpec::constant(f64::NAN).validate("x", 9e5, &mut errs).is_none());
    }
}
