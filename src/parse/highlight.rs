//! Code highlighting with syntect, as CSS classes (no inline styles, so the CSP and the print
//! stylesheet stay in charge). The syntax set loads lazily: most plans have no code at all.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlights `code` written in `lang` (a fence info word such as `rust` or `yaml`); unknown or
/// empty languages come out as escaped plain text in the same `<pre><code>` frame.
pub fn highlight(code: &str, lang: &str) -> String {
    let lang_class = lang
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>();
    if lang_class.is_empty() {
        return format!("<pre><code>{}</code></pre>\n", escape(code));
    }
    let set = syntaxes();
    let Some(syntax) = set.find_syntax_by_token(&lang_class) else {
        return format!(
            "<pre><code class=\"language-{lang_class}\">{}</code></pre>\n",
            escape(code)
        );
    };
    let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, set, ClassStyle::Spaced);
    for line in LinesWithEndings::from(code) {
        if gen
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!("<pre><code>{}</code></pre>\n", escape(code));
        }
    }
    format!(
        "<pre class=\"code\"><code class=\"language-{lang_class}\">{}</code></pre>\n",
        gen.finalize()
    )
}

/// The stylesheet for highlighted code, from a bundled syntect theme.
pub fn css() -> String {
    let themes = syntect::highlighting::ThemeSet::load_defaults();
    themes
        .themes
        .get("InspiredGitHub")
        .and_then(|t| syntect::html::css_for_theme_with_class_style(t, ClassStyle::Spaced).ok())
        .unwrap_or_default()
}

fn escape(s: &str) -> String {
    crate::text::escape_html(s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn highlights_with_classes() {
        let html = super::highlight("fn main() {}\n", "rust");
        assert!(html.contains("class=\"source rust\""), "{html}");
        assert!(!html.contains("style="));
        let plain = super::highlight("<b>", "");
        assert!(plain.contains("&lt;b&gt;"));
    }
}
