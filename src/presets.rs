//! The preset scenarios of the picker (copies of www/scenarios/*.json, built in).

/// One preset: a label for the picker and the scenario's JSON text.
pub struct Preset {
    pub id: &'static str,
    pub label: &'static str,
    pub json: &'static str,
}

pub const PRESETS: &[Preset] = &[
    Preset {
        id: "seed-burst-5000",
        label: "Legacy burst: 3,000 at once, then +500/min",
        json: include_str!("../www/scenarios/seed-burst-5000.json"),
    },
    Preset {
        id: "current-two-functions",
        label: "Current model: +1,000 every 10 s per function",
        json: include_str!("../www/scenarios/current-two-functions.json"),
    },
    Preset {
        id: "reserved-protects-critical",
        label: "Reserved concurrency protects a critical function",
        json: include_str!("../www/scenarios/reserved-protects-critical.json"),
    },
];

/// Index of the preset named `id`.
pub fn find(id: &str) -> Option<usize> {
    PRESETS.iter().position(|p| p.id == id)
}
