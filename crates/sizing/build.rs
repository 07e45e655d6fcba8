//! The sizing widget's stylesheet (src/main.rs, `sizing_css`), adopted by each sizing widget's
//! shadow root next to the widget's own (crates/embed): the app's tool buttons and sizing panel
//! rules of www/tools.css (from its `/* ==== sizing` section on) and the widget's rules
//! (src/widget.css), minified. The app itself has these rules from tools.css.

use std::{env, fs, path::Path};

fn main() {
    for f in ["../../www/tools.css", "src/widget.css"] {
        println!("cargo:rerun-if-changed={f}");
    }
    let read = |f: &str| fs::read_to_string(f).unwrap_or_else(|e| panic!("{f}: {e}"));
    let tools = read("../../www/tools.css");
    let buttons: String =
        tools.lines().filter(|l| l.starts_with(".tool-button")).map(|l| l.to_string() + "\n").collect();
    let at = tools.find("/* ==== sizing").expect("www/tools.css has a sizing section");
    let css = format!("{buttons}{}\n{}", &tools[at..], read("src/widget.css"));
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("sizing.css");
    fs::write(out, minify(&css)).expect("write sizing.css");
}

/// Drops comments, runs white space together and removes it around `{`, `}`, `;`, `,` and `>`
/// (as crates/embed/build.rs).
fn minify(css: &str) -> String {
    let mut text = String::new();
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        text.push_str(&rest[..i]);
        rest = rest[i + 2..].find("*/").map_or("", |j| &rest[i + 2 + j + 2..]);
    }
    text.push_str(rest);
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        let tight = |c: Option<char>| c.is_some_and(|c| "{};,>".contains(c));
        if !out.is_empty() && !tight(out.chars().last()) && !tight(word.chars().next()) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
