// The stylesheet minifier of the web crates' build scripts (crates/embed/build.rs for the
// widget's styles, crates/sizing/build.rs for the sizing widget's), in one place: each includes
// it with `include!` (build scripts share no crate).

/// Drops comments, runs white space together and removes it around `{`, `}`, `;`, `,` and `>`
/// (never around `:` or parentheses, where it can matter).
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
