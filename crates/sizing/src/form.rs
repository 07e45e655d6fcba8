//! What the learner fills in: the function, one or two settings with their values (the axis
//! text the CLI's `--vary` takes), the seeds and the target; and the [`Sweep`] it makes, or what
//! is wrong with each field (the engine's own messages).

use lambdascape_engine::size::number::{parse_f64, parse_uint};
use lambdascape_engine::sweep::{Axis, Sweep, Target, DEFAULT_SEEDS, MAX_SEEDS};

/// The settings a sweep varies, as the form offers them: the name, what it means and the
/// values to start from (the first is what choosing the setting puts in the field).
pub const SETTINGS: [(&str, &str, &[&str]); 8] = [
    ("provisioned", "Provisioned concurrency", &["0..100:20", "0..200:25", "none,10,50,100"]),
    ("memory", "Memory (MB)", &["512,1024,2048", "128,256,512,1024,2048,4096"]),
    ("reserved", "Reserved concurrency", &["none,50,100,200", "10..100:10"]),
    ("compute", "Compute mode", &["on-demand,snapstart,managed-instances,web", "on-demand,snapstart"]),
    ("snapstart", "SnapStart", &["off,on"]),
    ("concurrency", "Requests per environment", &["1,8,32,64", "1..10:1"]),
    ("idle_lifetime", "Idle lifetime", &["1m,5m,15m,30m"]),
    ("traffic", "Traffic (× every rate)", &["0.5..2:0.5", "1,2,4"]),
];

/// The setting an axis text names (`provisioned=…`), if it is one of [`SETTINGS`].
pub fn setting_of(text: &str) -> Option<usize> {
    let name = text.split('=').next()?.trim().replace('-', "_");
    SETTINGS.iter().position(|(n, ..)| *n == name)
}

/// The form's fields as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub function: String,
    /// The first setting's axis text, and the second's (empty: one setting only).
    pub axes: [String; 2],
    pub seeds: String,
    /// Highest p99 in ms (empty: no limit).
    pub p99: String,
    /// Most throttles per run (empty: no limit).
    pub throttles: String,
}

/// Each field's problem, if any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Problems {
    pub axes: [Option<String>; 2],
    pub seeds: Option<String>,
    pub p99: Option<String>,
    pub throttles: Option<String>,
}

impl Problems {
    pub fn any(&self) -> bool {
        self.axes.iter().any(Option::is_some)
            || self.seeds.is_some()
            || self.p99.is_some()
            || self.throttles.is_some()
    }
}

impl Form {
    /// A fresh form on `function`: provisioned concurrency from 0 to 100, three seeds, no
    /// throttles allowed.
    pub fn new(function: &str) -> Form {
        Form {
            function: function.to_string(),
            axes: [format!("provisioned={}", SETTINGS[0].2[0]), String::new()],
            seeds: "3".into(),
            p99: String::new(),
            throttles: "0".into(),
        }
    }

    /// The form showing `sweep` (a sweep run before, kept by the app).
    pub fn of(sweep: &Sweep, function: &str) -> Form {
        let text = |k: usize| sweep.axes.get(k).map(Axis::to_string).unwrap_or_default();
        let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        Form {
            function: sweep.function.clone().unwrap_or_else(|| function.to_string()),
            axes: [text(0), text(1)],
            seeds: sweep.seeds.to_string(),
            p99: num(sweep.target.p99_ms),
            throttles: num(sweep.target.max_throttles),
        }
    }

    /// The sweep the form asks for, or each field's problem.
    pub fn sweep(&self) -> Result<Sweep, Problems> {
        let mut bad = Problems::default();
        let mut axes = Vec::new();
        for (k, text) in self.axes.iter().enumerate() {
            if k == 1 && text.trim().is_empty() {
                continue;
            }
            match Axis::parse(text) {
                Ok(a) => axes.push(a),
                Err(e) => bad.axes[k] = Some(e),
            }
        }
        if axes.len() == 2 && axes[0].param == axes[1].param {
            bad.axes[1] =
                Some(format!("{}: already the first setting; choose another", axes[1].param.name()));
        }
        let seeds = match self.seeds.trim() {
            "" => DEFAULT_SEEDS,
            s => match parse_uint::<u32>(s) {
                Some(n) if (1..=MAX_SEEDS).contains(&n) => n,
                _ => {
                    bad.seeds = Some(format!("seeds: '{s}' is not a whole number from 1 to {MAX_SEEDS}"));
                    0
                }
            },
        };
        let limit = |text: &str, what: &str, out: &mut Option<String>| match text.trim() {
            "" => None,
            s => match parse_f64(s) {
                Some(v) if v.is_finite() && v >= 0.0 => Some(v),
                _ => {
                    *out = Some(format!("{what}: '{s}' is not a number of at least 0 (empty: no limit)"));
                    None
                }
            },
        };
        let target = Target {
            p99_ms: limit(&self.p99, "p99", &mut bad.p99),
            max_throttles: limit(&self.throttles, "throttles", &mut bad.throttles),
        };
        if bad.any() {
            return Err(bad);
        }
        let function = Some(self.function.clone()).filter(|f| !f.is_empty());
        Ok(Sweep { function, axes, seeds, target })
    }

    /// Sets axis `k` to the first values of setting `s` (`None`: the second setting is cleared).
    pub fn choose_setting(&mut self, k: usize, s: Option<usize>) {
        self.axes[k] = s.map(|s| format!("{}={}", SETTINGS[s].0, SETTINGS[s].2[0])).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_makes_the_sweep_the_cli_would() {
        let f = Form {
            function: "api".into(),
            axes: ["provisioned=0..100:25".into(), String::new()],
            seeds: "2".into(),
            p99: "300".into(),
            throttles: String::new(),
        };
        let s = f.sweep().unwrap();
        assert_eq!(s.axes.len(), 1);
        assert_eq!(s.axes[0].to_string(), "provisioned=0,25,50,75,100");
        assert_eq!((s.seeds, s.target.p99_ms, s.target.max_throttles), (2, Some(300.0), None));
        assert_eq!(
            Form::of(&s, "x"),
            Form { axes: ["provisioned=0,25,50,75,100".into(), String::new()], ..f }
        );
    }

    #[test]
    fn each_field_says_what_is_wrong_and_nothing_panics() {
        let f = Form {
            function: String::new(),
            axes: ["provisioned=0..100".into(), "provisioned=1,2".into()],
            seeds: "0".into(),
            p99: "fast".into(),
            throttles: "-1".into(),
        };
        let e = f.sweep().unwrap_err();
        assert!(e.axes[0].as_deref().unwrap().contains("needs a step"));
        assert!(e.axes[1].is_none(), "the first is wrong: no duplicate to report");
        assert!(e.seeds.unwrap().contains("from 1 to 50"));
        assert!(e.p99.unwrap().contains("'fast'"));
        assert!(e.throttles.is_some());
        let dup = Form { axes: ["memory=512".into(), "memory=1024".into()], ..Form::new("f") };
        assert!(dup.sweep().unwrap_err().axes[1].as_deref().unwrap().contains("already"));
        for junk in ["", "=", "==", "memory=", "..", "provisioned=..:", "traffic=1e999", "idle_lifetime=5x"] {
            let f = Form { axes: [junk.into(), String::new()], ..Form::new("f") };
            assert!(f.sweep().is_err(), "{junk}");
        }
    }

    #[test]
    fn choosing_a_setting_puts_its_first_values_in_the_field() {
        let mut f = Form::new("f");
        f.choose_setting(1, setting_of("memory=1"));
        assert_eq!(f.axes[1], "memory=512,1024,2048");
        f.choose_setting(1, None);
        assert_eq!(f.sweep().unwrap().axes.len(), 1);
        for (name, _, presets) in SETTINGS {
            for p in presets {
                assert!(Axis::parse(&format!("{name}={p}")).is_ok(), "{name}={p}");
            }
        }
    }
}
