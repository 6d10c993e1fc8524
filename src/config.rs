//! Site settings: `content/site.yaml` → [`SiteConfig`].
//!
//! Every key is optional so an empty or missing file still builds. Unknown keys warn (the
//! contract lets projects extend the format, so typos must not break a build, but the publisher
//! should hear about them).

use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostic, Diagnostics};
use crate::parse::front_matter::{key_position, parse_yaml, unknown_keys, YamlError};

/// Settings of one site, with defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    /// Absolute URL or path prefix the site is published under, always ending in `/`.
    pub base_url: String,
    pub language: String,
    /// Markdown shown on the home page.
    pub intro: String,
    /// Build date override (`YYYY-MM-DD`); `--today` wins over it.
    pub today: Option<jiff::civil::Date>,
    /// Let raw HTML in Markdown through (off by default: it is escaped).
    pub allow_html: bool,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Rows per page in long lists (unit pages, the task table, calendars).
    pub per_page: usize,
    /// Largest download file (ICS, CSV, JSON part) in bytes; bigger sets are cut into parts.
    pub max_file_bytes: usize,
    pub province: Option<String>,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Cổng công khai kế hoạch cải cách hành chính".into(),
            description: String::new(),
            base_url: "/".into(),
            language: "vi".into(),
            intro: String::new(),
            today: None,
            allow_html: false,
            theme: "default".into(),
            per_page: 100,
            max_file_bytes: 5_000_000,
            province: None,
        }
    }
}

/// `site.yaml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    intro: Option<String>,
    today: Option<String>,
    allow_html: Option<bool>,
    theme: Option<String>,
    per_page: Option<usize>,
    max_file_kb: Option<usize>,
    province: Option<String>,
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "intro",
    "today",
    "allow_html",
    "theme",
    "per_page",
    "max_file_kb",
    "province",
];

/// Reads settings from `text` (the contents of `file`); problems go to `diags`, and the
/// defaults stand in for anything unreadable.
pub fn parse_config(file: &Path, text: &str, diags: &Diagnostics) -> SiteConfig {
    let mut cfg = SiteConfig::default();
    if text.trim().is_empty() {
        return cfg;
    }
    let raw: RawConfig = match parse_yaml(text) {
        Ok(raw) => raw,
        Err(YamlError { line, col, message }) => {
            diags.push(Diagnostic::error(file, line, col, message));
            return cfg;
        }
    };
    for (key, line, col) in unknown_keys(text, KNOWN_KEYS) {
        diags.push(
            Diagnostic::warning(file, line, col, format!("khóa không được hỗ trợ `{key}`"))
                .with_hint(format!("các khóa hợp lệ: {}", KNOWN_KEYS.join(", "))),
        );
    }
    apply(&mut cfg, raw, file, text, diags);
    cfg
}

fn apply(cfg: &mut SiteConfig, raw: RawConfig, file: &Path, text: &str, diags: &Diagnostics) {
    if let Some(t) = raw.title.filter(|t| !t.trim().is_empty()) {
        cfg.title = crate::text::nfc(t.trim());
    }
    if let Some(d) = raw.description {
        cfg.description = crate::text::nfc(d.trim());
    }
    if let Some(b) = raw.base_url {
        cfg.base_url = normalize_base_url(&b);
    }
    if let Some(l) = raw.language {
        cfg.language = l;
    }
    if let Some(i) = raw.intro {
        cfg.intro = crate::text::nfc(&i);
    }
    if let Some(t) = raw.today {
        match t.trim().parse::<jiff::civil::Date>() {
            Ok(d) => cfg.today = Some(d),
            Err(_) => {
                let (line, col) = key_position(text, "today").unwrap_or((0, 0));
                diags.push(
                    Diagnostic::error(file, line, col, format!("ngày không hợp lệ `{t}`"))
                        .with_hint("viết ngày theo dạng YYYY-MM-DD, ví dụ 2024-03-15"),
                );
            }
        }
    }
    if let Some(a) = raw.allow_html {
        cfg.allow_html = a;
    }
    if let Some(th) = raw.theme {
        if crate::text::is_safe_slug(&th) {
            cfg.theme = th;
        } else {
            let (line, col) = key_position(text, "theme").unwrap_or((0, 0));
            diags.push(Diagnostic::error(
                file,
                line,
                col,
                format!("tên giao diện không hợp lệ `{th}` (chỉ chữ thường, số và `-`)"),
            ));
        }
    }
    if let Some(p) = raw.per_page {
        cfg.per_page = p.clamp(10, 1000);
    }
    if let Some(kb) = raw.max_file_kb {
        cfg.max_file_bytes = kb.clamp(20, 1_000_000) * 1000;
    }
    cfg.province = raw.province.map(|p| crate::text::nfc(p.trim()));
}

/// Makes `base_url` end with exactly one `/` (and start with one when it is a bare path).
pub fn normalize_base_url(url: &str) -> String {
    let trimmed = url.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    if trimmed.contains("://") || trimmed.starts_with('/') {
        format!("{trimmed}/")
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_values() {
        let d = Diagnostics::new();
        let cfg = parse_config(
            Path::new("site.yaml"),
            "title: Cổng CCHC\nbase_url: https://x.vn/cchc\nper_page: 50\nfoo: 1\n",
            &d,
        );
        assert_eq!(cfg.title, "Cổng CCHC");
        assert_eq!(cfg.base_url, "https://x.vn/cchc/");
        assert_eq!(cfg.per_page, 50);
        let diags = d.sorted();
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].col), (4, 1));
        assert!(diags[0].message.contains("foo"));
    }

    #[test]
    fn bad_today_is_an_error_with_line() {
        let d = Diagnostics::new();
        parse_config(Path::new("site.yaml"), "title: x\ntoday: 2024-02-31\n", &d);
        let diags = d.sorted();
        assert!(diags[0].is_error());
        assert_eq!(diags[0].line, 2);
    }

    #[test]
    fn base_urls() {
        assert_eq!(normalize_base_url(""), "/");
        assert_eq!(normalize_base_url("/"), "/");
        assert_eq!(normalize_base_url("cchc"), "/cchc/");
        assert_eq!(normalize_base_url("/a/b/"), "/a/b/");
    }
}
