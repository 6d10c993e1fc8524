//! The theme's static files, minified once when the theme loads: `search.js` is fetched before
//! the first search result appears, so its bytes count in every search, and `style.css` in
//! every first page view.
//!
//! Scripts go through oxc (parse → compress with the safest options → mangle → print without
//! comments); style sheets through minify-html's CSS minifier. A file that does not parse is
//! kept as written: a theme author's mistake shows in the browser exactly as they wrote it.

/// Replaces `bytes` with a minified copy when `name` is a `.js` or `.css` file and the minified
/// copy is smaller.
#[cfg(feature = "minify")]
pub fn minify_static(name: &str, bytes: &mut Vec<u8>) {
    let Ok(source) = std::str::from_utf8(bytes) else {
        return;
    };
    let smaller = if name.ends_with(".js") {
        minify_js(source)
    } else if name.ends_with(".css") {
        minify_css(source)
    } else {
        None
    };
    if let Some(out) = smaller.filter(|o| !o.is_empty() && o.len() < bytes.len()) {
        *bytes = out.into_bytes();
    }
}

#[cfg(not(feature = "minify"))]
pub fn minify_static(_name: &str, _bytes: &mut Vec<u8>) {}

#[cfg(feature = "minify")]
fn minify_js(source: &str) -> Option<String> {
    use oxc_allocator::Allocator;
    use oxc_codegen::{Codegen, CodegenOptions};
    use oxc_minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
    use oxc_parser::Parser;
    use oxc_span::SourceType;

    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::cjs()).parse();
    if parsed.panicked || !parsed.errors.is_empty() {
        return None;
    }
    let mut program = parsed.program;
    let options = MinifierOptions {
        mangle: Some(MangleOptions::default()),
        // The safest set: no assumptions about getters, globals or side effects.
        compress: Some(CompressOptions::safest()),
    };
    let ret = Minifier::new(options).minify(&allocator, &mut program);
    let code = Codegen::new()
        .with_options(CodegenOptions::minify())
        .with_scoping(ret.scoping)
        .build(&program)
        .code;
    Some(code)
}

/// minify-html only minifies CSS inside `<style>`, so the sheet is wrapped and unwrapped; a
/// sheet containing `</style` (which would end the element early) is left alone.
#[cfg(feature = "minify")]
fn minify_css(source: &str) -> Option<String> {
    if source.to_ascii_lowercase().contains("</style") {
        return None;
    }
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.keep_closing_tags = true;
    let out = minify_html::minify(format!("<style>{source}</style>").as_bytes(), &cfg);
    let out = String::from_utf8(out).ok()?;
    let inner = out.strip_prefix("<style>")?.strip_suffix("</style>")?;
    Some(inner.to_string())
}
