//! CloudWatch-style alarms on the sampled metrics: a statistic over each period, compared with
//! a threshold; ALARM when enough of the last datapoints breach, OK when not. Transitions go
//! to the narrative and to the summary.

use super::metrics::{ACCOUNT_COLUMNS, FUNCTION_COLUMNS};
use super::narrative::{fmt_count, Entry, EntryKind, Ref, Severity};
use super::State;
use crate::scenario::{AlarmSpec, Comparison, Scenario, Statistic};
use crate::time::Micros;
use std::collections::VecDeque;

/// Which column an alarm reads.
#[derive(Debug, Clone, Copy)]
enum Source {
    Account(usize),
    Function(usize, usize),
    Unknown,
}

/// Resolves `throttles` or `<function>.<column>` to a column.
pub fn resolve(sc_functions: &[String], metric: &str) -> Option<(Option<usize>, usize)> {
    if let Some(c) = ACCOUNT_COLUMNS.iter().position(|c| *c == metric) {
        return Some((None, c));
    }
    let (name, column) = metric.rsplit_once('.')?;
    let f = sc_functions.iter().position(|n| n == name)?;
    let c = FUNCTION_COLUMNS.iter().position(|c| *c == column)?;
    Some((Some(f), c))
}

/// The live state of one alarm.
#[derive(Debug, Clone)]
pub struct AlarmState {
    source: Source,
    sum: f64,
    count: u32,
    max: f64,
    min: f64,
    period_start: Micros,
    breaches: VecDeque<bool>,
    pub in_alarm: bool,
    /// Times it went into ALARM.
    pub alarm_times: Vec<Micros>,
    /// Last datapoint.
    pub last_value: f64,
}

impl AlarmState {
    pub fn new(sc: &Scenario, spec: &AlarmSpec) -> Self {
        let names: Vec<String> = sc.functions.iter().map(|f| f.name.clone()).collect();
        let source = match resolve(&names, &spec.metric) {
            Some((None, c)) => Source::Account(c),
            Some((Some(f), c)) => Source::Function(f, c),
            None => Source::Unknown,
        };
        AlarmState {
            source,
            sum: 0.0,
            count: 0,
            max: f64::NEG_INFINITY,
            min: f64::INFINITY,
            period_start: 0,
            breaches: VecDeque::new(),
            in_alarm: false,
            alarm_times: Vec::new(),
            last_value: f64::NAN,
        }
    }
}

impl State {
    pub(super) fn alarms_observe(
        &mut self,
        sc: &Scenario,
        now: Micros,
        account: &[f32],
        functions: &[[f32; FUNCTION_COLUMNS.len()]],
    ) {
        for (i, st) in self.alarms.iter_mut().enumerate() {
            let spec = &sc.alarms[i];
            let v = match st.source {
                Source::Account(c) => account[c],
                Source::Function(f, c) => functions[f][c],
                Source::Unknown => continue,
            } as f64;
            if now == 0 {
                continue; // the row at time 0 covers no interval
            }
            if v.is_finite() {
                st.sum += v;
                st.count += 1;
                st.max = st.max.max(v);
                st.min = st.min.min(v);
            }
            let period = spec.period.micros().max(1);
            if now - st.period_start < period {
                continue;
            }
            st.period_start = now;
            let value = match spec.statistic {
                Statistic::Sum => st.sum,
                Statistic::Average => {
                    if st.count > 0 {
                        st.sum / st.count as f64
                    } else {
                        f64::NAN
                    }
                }
                Statistic::Maximum => st.max,
                Statistic::Minimum => st.min,
            };
            st.sum = 0.0;
            st.count = 0;
            st.max = f64::NEG_INFINITY;
            st.min = f64::INFINITY;
            st.last_value = value;
            let breach = value.is_finite()
                && match spec.comparison {
                    Comparison::GreaterThan => value > spec.threshold,
                    Comparison::GreaterThanOrEqual => value >= spec.threshold,
                    Comparison::LessThan => value < spec.threshold,
                    Comparison::LessThanOrEqual => value <= spec.threshold,
                };
            st.breaches.push_back(breach);
            while st.breaches.len() > spec.evaluation_periods as usize {
                st.breaches.pop_front();
            }
            let breaching = st.breaches.iter().filter(|b| **b).count() as u32;
            let alarm = breaching >= spec.datapoints_to_alarm;
            if alarm != st.in_alarm {
                st.in_alarm = alarm;
                let op = match spec.comparison {
                    Comparison::GreaterThan => ">",
                    Comparison::GreaterThanOrEqual => ">=",
                    Comparison::LessThan => "<",
                    Comparison::LessThanOrEqual => "<=",
                };
                let shown = if value.fract() == 0.0 && value.abs() < 1e15 {
                    fmt_count(value.abs() as u64)
                } else {
                    format!("{value:.2}")
                };
                let text = if alarm {
                    st.alarm_times.push(now);
                    format!(
                        "alarm '{}' is in ALARM: {:?} of {} = {shown} {op} {} ({} of the last {} periods)",
                        spec.name,
                        spec.statistic,
                        spec.metric,
                        spec.threshold,
                        breaching,
                        spec.evaluation_periods
                    )
                } else {
                    format!(
                        "alarm '{}' is back to OK ({:?} of {} = {shown})",
                        spec.name, spec.statistic, spec.metric
                    )
                };
                self.narrator.pending.push(Entry {
                    time: now,
                    kind: EntryKind::Alarm,
                    severity: if alarm { Severity::Warning } else { Severity::Info },
                    text,
                    refs: match st.source {
                        Source::Function(f, _) => vec![Ref::Function { id: f as u32 }],
                        _ => vec![],
                    },
                });
            }
        }
    }
}
