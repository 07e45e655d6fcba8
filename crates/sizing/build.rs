//! The sizing widget's stylesheet (src/main.rs, `sizing_css`), adopted by each sizing widget's
//! shadow root next to the widget's own (crates/embed): the app's tool buttons and sizing panel
//! rules of www/tools.css (from its `/* ==== sizing` section on) and the widget's rules
//! (src/widget.css), minified. The app itself has these rules from tools.css.

use std::{env, fs, path::Path};

fn main() {
    for f in ["../../www/tools.css", "src/widget.css", "../ui/build/minify_css.rs"] {
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

include!("../ui/build/minify_css.rs");
