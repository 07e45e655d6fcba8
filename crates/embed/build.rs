//! The widget's stylesheet (src/boundary.rs): the app's styles with `:root` rules scoped
//! to the widget's root element (a shadow root has no `:root`), then the widget's own, with
//! comments, extra white space and the app's own sections (between `/* app only */` and
//! `/* end app only */`: the phone layout, the charts' range control) taken out (they would
//! only add to the widget's download).

use std::{env, fs, path::Path};

fn main() {
    for f in ["../../www/styles.css", "../../www/embed.css", "../ui/build/minify_css.rs"] {
        println!("cargo:rerun-if-changed={f}");
    }
    let read = |f: &str| fs::read_to_string(f).unwrap_or_else(|e| panic!("{f}: {e}"));
    let css = format!(
        "{}\n{}",
        app_only_out(&read("../../www/styles.css")).replace(":root", ".lsw-root"),
        read("../../www/embed.css")
    );
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("widget.css");
    fs::write(out, minify(&css)).expect("write widget.css");
}

/// `css` without its `/* app only */` … `/* end app only */` sections.
fn app_only_out(css: &str) -> String {
    let (mut out, mut rest) = (String::new(), css);
    while let Some(i) = rest.find("/* app only */") {
        out.push_str(&rest[..i]);
        let end = rest.find("/* end app only */").expect("an app-only section of styles.css ends");
        rest = &rest[end + "/* end app only */".len()..];
    }
    out + rest
}

include!("../ui/build/minify_css.rs");
