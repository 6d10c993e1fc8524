//! Templates: the default theme is compiled into the binary; a site's own
//! `themes/<name>/templates/*.html` and `themes/<name>/static/*` override it file by file.
//!
//! Autoescaping is on for every template (all are `.html`/`.xml`); rendered Markdown is the only
//! value passed through `safe`, and it was escaped by our Markdown stage.

use std::fs;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use serde::Serialize;
use tera::{Context, Tera};

use crate::diag::Diagnostic;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Compiled templates plus the theme's static files.
pub struct Theme {
    tera: Tera,
    /// Static files (path under `static/`, bytes), sorted by path.
    pub statics: Vec<(String, Vec<u8>)>,
    /// Hash of every template and static file, so `serve` can tell a theme edit.
    pub fingerprint: u64,
}

/// Loads the theme: embedded defaults, then any file of `root/themes/<name>/` on top.
pub fn load_theme(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
    read_theme(root, name)?.compile()
}

/// A theme's files as read, before its templates are compiled and its static files minified
/// (the costly part: `serve` skips it when the fingerprint is the last theme's).
pub struct ThemeSources {
    /// (name, text, file it came from), sorted by name.
    templates: Vec<(String, String, PathBuf)>,
    /// (path under `static/`, bytes), sorted by path.
    statics: Vec<(String, Vec<u8>)>,
    /// See [`Theme::fingerprint`].
    pub fingerprint: u64,
}

/// Reads the theme's files: embedded defaults, then any file of `root/themes/<name>/` on top.
pub fn read_theme(root: &Path, name: &str) -> Result<ThemeSources, Diagnostic> {
    let user_dir = root.join("themes").join(name);
    let mut templates: Vec<(String, String, PathBuf)> = Vec::new();
    let mut statics: Vec<(String, Vec<u8>)> = Vec::new();
    collect_embedded(&DEFAULT_THEME, &mut templates, &mut statics);
    // A site folder without its own theme folder uses the embedded one as is; with one, any
    // file there replaces the embedded file of the same name.
    if user_dir.is_dir() {
        overlay_user(&user_dir, &mut templates, &mut statics)?;
    }
    templates.sort_by(|a, b| a.0.cmp(&b.0));
    statics.sort_by(|a, b| a.0.cmp(&b.0));
    let mut all: Vec<u8> = Vec::new();
    let texts = templates.iter().map(|(n, t, _)| (n, t.as_bytes()));
    for (name, bytes) in texts.chain(statics.iter().map(|(n, b)| (n, b.as_slice()))) {
        all.extend_from_slice(name.as_bytes());
        all.push(0);
        all.extend_from_slice(bytes);
        all.push(0);
    }
    let fingerprint = crate::site::bytes_hash(&all);
    Ok(ThemeSources {
        templates,
        statics,
        fingerprint,
    })
}

impl ThemeSources {
    /// The theme: templates minified and compiled, static files minified.
    pub fn compile(self) -> Result<Theme, Diagnostic> {
        let ThemeSources {
            templates,
            mut statics,
            fingerprint,
        } = self;
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let raw: Vec<(String, String)> = templates
            .iter()
            .map(|(n, c, _)| (n.clone(), minify_template(c)))
            .collect();
        tera.add_raw_templates(raw)
            .map_err(|e| template_error(&e, &templates))?;
        for (name, bytes) in &mut statics {
            super::assets::minify_static(name, bytes);
        }
        Ok(Theme {
            tera,
            statics,
            fingerprint,
        })
    }
}

/// Minifies a template's HTML once, at load, keeping `{{ }}`/`{% %}` intact, instead of
/// minifying every rendered page: the pages come out just as compact (the only unminified part
/// is rendered Markdown, which pulldown-cmark already writes without indentation) at a
/// fraction of the cost on a large site.
#[cfg(feature = "minify")]
fn minify_template(source: &str) -> String {
    let mut cfg = minify_html::Cfg::new();
    cfg.preserve_brace_template_syntax = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    // `<!doctypehtml>` saves a byte and is a parse error for validators.
    cfg.minify_doctype = false;
    cfg.minify_css = false;
    cfg.minify_js = false;
    let out = minify_html::minify(source.as_bytes(), &cfg);
    String::from_utf8(out).unwrap_or_else(|_| source.to_string())
}

#[cfg(not(feature = "minify"))]
fn minify_template(source: &str) -> String {
    source.to_string()
}

fn collect_embedded(
    dir: &Dir<'static>,
    templates: &mut Vec<(String, String, PathBuf)>,
    statics: &mut Vec<(String, Vec<u8>)>,
) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(file.contents()).into_owned();
            templates.push((
                name.to_string(),
                text,
                PathBuf::from("(giao diện mặc định)").join(&path),
            ));
        } else if path.starts_with("static/") {
            statics.push((path, file.contents().to_vec()));
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, templates, statics);
    }
}

fn overlay_user(
    user_dir: &Path,
    templates: &mut Vec<(String, String, PathBuf)>,
    statics: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), Diagnostic> {
    for entry in walkdir::WalkDir::new(user_dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(user_dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let read_err = |e: std::io::Error| {
            Diagnostic::error(
                entry.path(),
                0,
                0,
                format!("không đọc được tệp giao diện: {e}"),
            )
        };
        if let Some(name) = rel.strip_prefix("templates/") {
            let text = fs::read_to_string(entry.path()).map_err(read_err)?;
            templates.retain(|(n, _, _)| n != name);
            templates.push((name.to_string(), text, entry.path().to_path_buf()));
        } else if rel.starts_with("static/") && crate::write::is_safe_rel_path(&rel) {
            let bytes = fs::read(entry.path()).map_err(read_err)?;
            statics.retain(|(n, _)| *n != rel);
            statics.push((rel, bytes));
        }
    }
    Ok(())
}

/// A template error as a diagnostic naming the template file and, when tera says, its line.
fn template_error(e: &tera::Error, templates: &[(String, String, PathBuf)]) -> Diagnostic {
    let message = error_chain(e);
    let file = templates
        .iter()
        .find(|(n, _, _)| message.contains(n.as_str()))
        .map(|(_, _, p)| p.clone())
        .unwrap_or_else(|| PathBuf::from("themes"));
    let line = find_line(&message);
    Diagnostic::error(&file, line, 0, format!("lỗi mẫu trang: {message}"))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(src) = cur {
        s.push_str(": ");
        s.push_str(&src.to_string());
        cur = src.source();
    }
    s
}

/// Pulls a "line N" / ":N:" figure out of a tera message, if any.
fn find_line(msg: &str) -> usize {
    let lower = msg.to_lowercase();
    lower
        .find("line ")
        .and_then(|i| lower.get(i + 5..))
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// What a page's buffer starts with: most pages are 10–60 kB, so a few doublings at most.
const PAGE_CAPACITY: usize = 16 * 1024;

impl Theme {
    /// Renders template `name` with `data` (any serialisable value holding an object) into
    /// HTML bytes. Written into a buffer rather than returned as a `String`: tera would check
    /// the whole page for UTF-8 again (2% of a build's CPU), when every piece it wrote was a
    /// `str` already.
    pub fn render<T: Serialize>(&self, name: &str, data: &T) -> Result<Vec<u8>, Diagnostic> {
        let ctx = Context::from_serialize(data).map_err(|e| {
            Diagnostic::error(
                Path::new(name),
                0,
                0,
                format!("dữ liệu trang không hợp lệ: {}", error_chain(&e)),
            )
        })?;
        let mut html = Vec::with_capacity(PAGE_CAPACITY);
        self.tera.render_to(name, &ctx, &mut html).map_err(|e| {
            let msg = error_chain(&e);
            Diagnostic::error(
                &PathBuf::from("templates").join(name),
                find_line(&msg),
                0,
                format!("lỗi khi dựng trang: {msg}"),
            )
        })?;
        Ok(html)
    }
}
