//! Light and dark palettes (Okabe-Ito hues; dark uses lighter tints) and the theme choice.

use lambdascape_engine::chart::Hue;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
    pub fn other(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
    /// The saved choice, else the system's preference.
    pub fn initial() -> Theme {
        let w = web_sys::window();
        let saved = w
            .as_ref()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        match saved.as_deref() {
            Some("dark") => Theme::Dark,
            Some("light") => Theme::Light,
            _ => {
                if media_matches("(prefers-color-scheme: dark)") {
                    Theme::Dark
                } else {
                    Theme::Light
                }
            }
        }
    }
    /// Applies the theme to the document and remembers it.
    pub fn apply(self, save: bool) {
        let Some(w) = web_sys::window() else { return };
        if let Some(el) = w.document().and_then(|d| d.document_element()) {
            let _ = el.set_attribute("data-theme", self.name());
        }
        if save {
            if let Ok(Some(s)) = w.local_storage() {
                let _ = s.set_item(STORAGE_KEY, self.name());
            }
        }
    }
    pub fn palette(self) -> &'static Palette {
        match self {
            Theme::Light => &LIGHT,
            Theme::Dark => &DARK,
        }
    }
}

const STORAGE_KEY: &str = "lambdascape-theme";

/// Whether a media query matches (false if it cannot be asked).
pub fn media_matches(q: &str) -> bool {
    web_sys::window().and_then(|w| w.match_media(q).ok().flatten()).is_some_and(|m| m.matches())
}

/// Colours of one theme as CSS strings.
#[derive(Debug, PartialEq)]
pub struct Palette {
    pub bg: &'static str,
    pub surface: &'static str,
    pub text: &'static str,
    pub muted: &'static str,
    pub grid: &'static str,
    pub blue: &'static str,
    pub sky: &'static str,
    pub green: &'static str,
    pub orange: &'static str,
    pub vermillion: &'static str,
    pub purple: &'static str,
    pub yellow: &'static str,
    pub ink: &'static str,
}

impl Palette {
    pub fn hue(&self, h: Hue) -> &'static str {
        match h {
            Hue::Blue => self.blue,
            Hue::SkyBlue => self.sky,
            Hue::Green => self.green,
            Hue::Orange => self.orange,
            Hue::Vermillion => self.vermillion,
            Hue::Purple => self.purple,
            Hue::Yellow => self.yellow,
            Hue::Ink => self.ink,
        }
    }
}

pub static LIGHT: Palette = Palette {
    bg: "#FAFAF7",
    surface: "#FFFFFF",
    text: "#1B1D21",
    muted: "#555B63",
    grid: "#E3E3DD",
    blue: "#0072B2",
    sky: "#56B4E9",
    green: "#009E73",
    orange: "#E69F00",
    vermillion: "#D55E00",
    purple: "#CC79A7",
    yellow: "#B59F00",
    ink: "#000000",
};

pub static DARK: Palette = Palette {
    bg: "#111418",
    surface: "#181C22",
    text: "#E9E9E4",
    muted: "#A3A9B1",
    grid: "#2A3038",
    blue: "#3D9BDB",
    sky: "#82C9F2",
    green: "#33C29A",
    orange: "#F2B43C",
    vermillion: "#F2803F",
    purple: "#E0A2C6",
    yellow: "#F0E442",
    ink: "#F0E442",
};
