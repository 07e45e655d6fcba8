//! The controls the markup carries (`data-act` on a button or a slider), shared by the app's
//! timeline and narrative components and the widget (www/embed.js passes a control's `data-act`
//! and value to the wasm by delegation). The markup writes [`Act::name`]; whoever handles an
//! event reads it back with [`Act::parse`], so a control and its handler cannot drift apart.

use crate::state::Action;
use lambdascape_engine::time::Micros;

/// One control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Back to the start.
    Home,
    /// One sample interval back.
    StepBack,
    /// Play or pause.
    Play,
    /// One sample interval forward.
    StepForward,
    /// Jump to the end.
    End,
    /// The scrub bar; its value is the time in seconds.
    Scrub,
    /// The speed slider; its value is log10 of the speed factor (0.1× to 1000×).
    Speed,
    /// A narrative entry; its value (`data-value`) is the entry's index in the whole narrative.
    Show,
}

impl Act {
    /// Every control, in the order the timeline shows them.
    pub const ALL: [Act; 8] =
        [Act::Home, Act::StepBack, Act::Play, Act::StepForward, Act::End, Act::Scrub, Act::Speed, Act::Show];

    /// The `data-act` attribute's value.
    pub fn name(self) -> &'static str {
        match self {
            Act::Home => "home",
            Act::StepBack => "step-back",
            Act::Play => "play",
            Act::StepForward => "step-forward",
            Act::End => "end",
            Act::Scrub => "scrub",
            Act::Speed => "speed",
            Act::Show => "show",
        }
    }

    /// The control a `data-act` value names.
    pub fn parse(name: &str) -> Option<Act> {
        Act::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Whether the control is a slider (its event is `input` and carries a value).
    pub fn is_slider(self) -> bool {
        matches!(self, Act::Scrub | Act::Speed)
    }

    /// The reducer's action for this control; `value` is a slider's value or a button's
    /// `data-value` (`None` when a control that needs one has none).
    pub fn action(self, value: Option<f64>) -> Option<Action> {
        Some(match (self, value) {
            (Act::Home, _) => Action::Home,
            (Act::StepBack, _) => Action::Step(-1),
            (Act::Play, _) => Action::TogglePlay,
            (Act::StepForward, _) => Action::Step(1),
            (Act::End, _) => Action::End,
            (Act::Scrub, Some(s)) => Action::Seek(seconds(s)),
            (Act::Speed, Some(v)) => Action::SetSpeed(speed(v)),
            (Act::Show, Some(i)) if i >= 0.0 => Action::ShowEntry(i as usize),
            _ => return None,
        })
    }
}

impl std::fmt::Display for Act {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The scrub bar's seconds as simulated time.
pub fn seconds(s: f64) -> Micros {
    (s.max(0.0) * 1e6).round() as Micros
}

/// The speed slider's value (log10 of the factor) as the factor.
pub fn speed(v: f64) -> f64 {
    10f64.powf(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_reads_back_from_its_name() {
        for a in Act::ALL {
            assert_eq!(Act::parse(a.name()), Some(a));
            assert_eq!(a.to_string(), a.name());
        }
        assert_eq!(Act::parse("rewind"), None);
        assert_eq!(Act::parse(""), None);
    }

    #[test]
    fn sliders_need_a_value_and_buttons_do_not() {
        for a in Act::ALL {
            assert_eq!(a.action(None).is_none(), a.is_slider() || a == Act::Show, "{a}");
        }
        assert!(matches!(Act::Scrub.action(Some(1.5)), Some(Action::Seek(1_500_000))));
        assert!(
            matches!(Act::Speed.action(Some(2.0)), Some(Action::SetSpeed(v)) if (v - 100.0).abs() < 1e-9)
        );
        assert!(matches!(Act::Show.action(Some(3.0)), Some(Action::ShowEntry(3))));
        assert!(Act::Show.action(Some(-1.0)).is_none());
    }

    /// Every `data-act` value in `html`.
    fn acts_in(html: &str) -> Vec<String> {
        html.split("data-act=\"").skip(1).map(|rest| rest[..rest.find('"').unwrap()].to_string()).collect()
    }

    #[test]
    fn the_timeline_carries_every_control_but_show_and_each_reads_back() {
        use crate::markup::{timeline, TimelineView};
        let v = TimelineView {
            now: 0,
            horizon: 60_000_000,
            playing: false,
            speed: 1.0,
            step: 1_000_000,
            keys: true,
        };
        let acts = acts_in(&timeline(&v));
        let parsed: Vec<Act> =
            acts.iter().map(|a| Act::parse(a).unwrap_or_else(|| panic!("unknown data-act {a}"))).collect();
        let want: Vec<Act> = Act::ALL.into_iter().filter(|a| *a != Act::Show).collect();
        assert_eq!(parsed, want, "the timeline's controls, in order");
    }

    #[test]
    fn a_narrative_entry_is_a_show_control_with_its_index() {
        use crate::markup::narrative;
        use crate::state::Log;
        use lambdascape_engine::scenario::{FunctionSpec, ScenarioSpec};
        use lambdascape_engine::sim::Simulation;
        use lambdascape_engine::traffic::TrafficSpec;
        let spec = ScenarioSpec::new("demo", vec![FunctionSpec::new("api", TrafficSpec::constant(50.0))]);
        let mut sim = Simulation::new(spec.validate().unwrap());
        sim.run();
        let entries = sim.narrative_until_now().to_vec();
        assert!(!entries.is_empty(), "the run has a narrative");
        let log = Log { first: 3, entries };
        let html = narrative(&log, None, "");
        let acts = acts_in(&html);
        assert_eq!(acts.len(), log.entries.len());
        assert!(acts.iter().all(|a| Act::parse(a) == Some(Act::Show)));
        let first_value = html.split("data-value=\"").nth(1).unwrap();
        assert!(first_value.starts_with("3\""), "entries carry their index in the whole narrative");
    }
}
