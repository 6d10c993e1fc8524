//! One function per fuzz target: takes raw bytes, runs them through the same library function
//! the pipeline uses, and panics if the function panics *or* breaks an invariant the rest of
//! the pipeline relies on (offsets on char boundaries, slugs safe for paths, no script in
//! rendered HTML).
//!
//! Shared by the libFuzzer targets (`fuzz_targets/*.rs`) and by `tests/proptests.rs`, which
//! includes this file with `#[path]` to replay `regressions/<target>/*` and to drive the same
//! checks from a deterministic generator in the ordinary `cargo test`. So it must only use
//! crates the main package depends on (`cchc`, `serde_json`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use cchc::extract::deadline::parse_deadline;
use cchc::extract::tasks::extract_tasks;
use cchc::extract::units::{UnitEntry, UnitRegistry};
use cchc::link::numbers::{find_numbers, number_key};
use cchc::load::{normalize, Loaded, SourceFile};
use cchc::parse::document::parse_document;
use cchc::parse::front_matter::parse_yaml;
use cchc::parse::markdown::{self, AutoLink, LinkTarget, MdContext};
use cchc::text::is_safe_slug;

/// A check: raw input in, panic on failure.
pub type Check = fn(&[u8]);

/// Every target, by the name of its folder under `regressions/` and its fuzz binary.
pub const TARGETS: &[(&str, Check)] = &[
    ("front_matter", front_matter),
    ("deadline", deadline),
    ("tasks", tasks),
    ("numbers", numbers),
    ("units", units),
    ("markdown", markdown),
    ("site", site),
];

/// Bytes → text the way `load` would hand it on (lossy instead of refusing bad UTF-8).
fn text_of(data: &[u8]) -> String {
    normalize(&String::from_utf8_lossy(data))
}

/// `parse_document` on any text: never panics; a parsed document has a path-safe slug and a
/// body offset on a char boundary; every diagnostic names a line inside the file.
pub fn front_matter(data: &[u8]) {
    let text = text_of(data);
    let lines = text.lines().count().max(1);
    let (doc, diags) = parse_document(SourceFile {
        path: PathBuf::from("content/fuzz.md"),
        text: text.as_str().into(),
    });
    for d in &diags {
        assert!(
            d.line <= lines + 1,
            "diagnostic line {} past the end ({lines} lines): {d}",
            d.line
        );
    }
    if let Some(doc) = doc {
        assert!(is_safe_slug(&doc.slug), "unsafe slug {:?}", doc.slug);
        assert!(text.is_char_boundary(doc.body_offset.min(text.len())));
        let _ = doc.body();
    }
}

/// `parse_deadline`: first two bytes pick the plan year (or none), the rest is the cell.
/// A placed deadline has `start <= end`; the JSON form always serialises.
pub fn deadline(data: &[u8]) {
    let (year, rest) = match data {
        [a, b, rest @ ..] if *a & 1 == 1 => (Some(i16::from_le_bytes([*a, *b])), rest),
        [_, rest @ ..] => (None, rest),
        [] => (None, data),
    };
    let text = String::from_utf8_lossy(rest);
    for y in [year, Some(2024)] {
        let d = parse_deadline(&text, y);
        check_deadline(&d);
        serde_json::to_string(&d).expect("deadline serialises");
    }
}

fn check_deadline(d: &cchc::extract::deadline::Deadline) {
    if let (Some(s), Some(e)) = (d.start, d.end) {
        assert!(s <= e, "start {s} after end {e} for {:?}", d.text);
    }
    // An open start ("từ quý III/2025 trở đi") has a start and no end, and is ongoing from then.
    assert!(
        d.end.is_some()
            || d.start.is_none()
            || d.kind == cchc::extract::deadline::DeadlineKind::Ongoing,
        "start without end: {d:?}"
    );
    for p in &d.parts {
        check_deadline(p);
    }
}

/// `extract_tasks` with a simple unit predicate: offsets inside the body, on char boundaries.
pub fn tasks(data: &[u8]) {
    let body = text_of(data);
    let names_unit = |t: &str| {
        let f = cchc::text::fold(t);
        f.starts_with("so ") || f.starts_with("ubnd") || f.contains("giam doc")
    };
    for t in extract_tasks(&body, &names_unit) {
        assert!(
            t.offset <= body.len(),
            "offset {} > {}",
            t.offset,
            body.len()
        );
        assert!(
            body.is_char_boundary(t.offset),
            "offset {} not on a char",
            t.offset
        );
    }
}

/// `find_numbers` / `number_key`: mentions in order, not overlapping, `raw` is the slice.
pub fn numbers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut last_end = 0;
    for m in find_numbers(&text) {
        assert!(
            m.start >= last_end && m.start < m.end && m.end <= text.len(),
            "{m:?}"
        );
        assert_eq!(text.get(m.start..m.end), Some(m.raw.as_str()));
        assert!(!m.key.is_empty());
        last_end = m.end;
    }
    if let Some(k) = number_key(&text) {
        assert!(!k.is_empty());
    }
    for line in text.lines().take(64) {
        let _ = number_key(line);
    }
}

/// A small registry like a real `units.yaml`, for the `units` and `site` targets.
const UNITS_YAML: &str = "\
- name: Sở Nội vụ tỉnh Đồng Nai
  aliases: [Sở Nội vụ, SNV, S& Noi vu]
  level: tinh
  parent: UBND tỉnh Đồng Nai
- name: Sở Thông tin và Truyền thông
  aliases: [Sở TT&TT, STTTT]
  level: tinh
- name: UBND tỉnh Đồng Nai
  slug: ubnd-tinh-dong-nai
  level: tinh
- name: Sở Nội vụ tỉnh Đồng Tháp
  aliases: [Sở Nội vụ]
  parent: UBND tỉnh Đồng Tháp
- name: Các sở, ban, ngành tỉnh
  level: khac
";

fn default_entries() -> Vec<UnitEntry> {
    parse_yaml(UNITS_YAML).expect("built-in units yaml")
}

/// Units: input is `units.yaml` text, a NUL byte, then cells (one a line). A yaml that does
/// not parse falls back to the built-in registry. Slugs stay unique and path-safe whatever
/// the names are.
pub fn units(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (yaml, cells) = match text.split_once('\0') {
        Some((y, c)) => (Some(y), c),
        None => (None, text.as_ref()),
    };
    let entries = yaml
        .and_then(|y| parse_yaml::<Vec<UnitEntry>>(y).ok())
        .unwrap_or_else(default_entries);
    let (mut reg, problems) = UnitRegistry::new(entries);
    for p in &problems {
        let _ = p.message();
    }
    for cell in cells.split('\n').take(32) {
        let _ = reg.names_unit(cell);
        for name in reg.split_names(cell) {
            let _ = reg.lookup(&name);
            let _ = reg.lookup_scoped(&name, Some("Đồng Nai"));
            let id = reg.resolve(&name);
            assert!(id < reg.units().len());
            let _ = reg.nearest(&name, 3);
        }
        let _ = reg.nearest(cell, 3);
    }
    let mut seen = std::collections::HashSet::new();
    for u in reg.units() {
        assert!(
            is_safe_slug(&u.slug),
            "unsafe unit slug {:?} for {:?}",
            u.slug,
            u.name
        );
        assert!(
            seen.insert(u.slug.clone()),
            "duplicate unit slug {:?}",
            u.slug
        );
    }
}

/// Markdown body → HTML with the pipeline's kind of closures (numbers become links). Raw HTML
/// is off, so no `<script`, no event-handler attribute from the input and no `javascript:` URL
/// may come out.
pub fn markdown(data: &[u8]) {
    let body = text_of(data);
    let resolve = |dest: &str| {
        if dest.ends_with(".md") {
            LinkTarget::Url(format!("../{}/index.html", cchc::text::slugify(dest)))
        } else if dest.contains("missing") {
            LinkTarget::Broken("missing".into())
        } else {
            LinkTarget::Keep
        }
    };
    let autolink = |t: &str| -> Vec<AutoLink> {
        find_numbers(t)
            .into_iter()
            .map(|m| AutoLink {
                range: m.start..m.end,
                href: format!("../{}/index.html", cchc::text::slugify(&m.key)),
                title: format!("\"><script>{}", m.raw),
            })
            .collect()
    };
    let ctx = MdContext {
        allow_html: false,
        resolve_link: &resolve,
        autolink: &autolink,
    };
    let out = markdown::render(&body, &ctx);
    assert_no_script(&out.html, "markdown");
    let mut ids = std::collections::HashSet::new();
    for h in &out.headings {
        assert!(ids.insert(h.id.clone()), "duplicate heading id {:?}", h.id);
    }
}

/// HTML safety scan, good enough for a fuzzer and independent of an HTML library: walks every
/// start tag (`<` + letter) with its attributes (quoted or not). Every `script` element is the
/// theme's own `<script src="…static/….js">`; no attribute is an event handler (`on…`); no
/// `href`/`src`/`action` value starts with `javascript:` (ignoring case, spaces and controls).
pub fn assert_no_script(html: &str, what: &str) {
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || !b.get(i + 1).is_some_and(|c| c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        let tag_start = i;
        i += 1;
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        let mut attrs: Vec<(String, String)> = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let an = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let attr = html[an..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    let vs = i + 1;
                    i = vs;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    value = html[vs..i].to_string();
                    i = (i + 1).min(b.len());
                } else {
                    let vs = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = html[vs..i].to_string();
                }
            }
            attrs.push((attr, value));
        }
        let shown = &html[tag_start..i.min(b.len())];
        let shown: String = shown.chars().take(200).collect();
        for (a, v) in &attrs {
            assert!(
                !a.starts_with("on"),
                "{what}: event-handler attribute in {shown:?}"
            );
            if matches!(
                a.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href"
            ) {
                let cleaned: String = v
                    .replace("&colon;", ":")
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                assert!(
                    !cleaned.starts_with("javascript:") && !cleaned.starts_with("vbscript:"),
                    "{what}: script URL in {shown:?}"
                );
            }
        }
        if name == "script" {
            let src = attrs
                .iter()
                .find(|(a, _)| a == "src")
                .map(|(_, v)| v.as_str());
            assert!(
                src.is_some_and(|s| s.contains("static/") && s.ends_with(".js")),
                "{what}: foreign script element {shown:?}"
            );
        }
        if matches!(name.as_str(), "iframe" | "object" | "embed" | "base") {
            panic!("{what}: <{name}> element {shown:?}");
        }
        // Raw-text and RCDATA elements: everything up to their end tag is text (a minifier may
        // leave `<` unescaped there); an early `</title>` would end it and show up as a tag.
        if matches!(name.as_str(), "title" | "textarea" | "script" | "style") {
            let close = format!("</{name}");
            let rest = html[i.min(b.len())..].to_ascii_lowercase();
            i = rest.find(&close).map_or(b.len(), |k| i + k);
        }
    }
}

fn theme() -> &'static cchc::render::templates::Theme {
    static THEME: OnceLock<cchc::render::templates::Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        cchc::render::templates::load_theme(Path::new("/nonexistent-cchc-fuzz"), "default")
            .unwrap_or_else(|d| panic!("embedded theme: {d}"))
    })
}

/// The whole in-memory pipeline on a one-document site: input is the document, optionally
/// followed by a NUL and a `units.yaml`. Output paths stay inside the output root, HTML has no
/// foreign script, JSON parses.
pub fn site(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (doc, units) = match text.split_once('\0') {
        Some((d, u)) => (d.to_string(), u.to_string()),
        None => (text.to_string(), UNITS_YAML.to_string()),
    };
    let loaded = Loaded {
        site_yaml: None,
        units_yaml: Some(SourceFile {
            path: PathBuf::from("content/units.yaml"),
            text: normalize(&units).into(),
        }),
        documents: vec![SourceFile {
            path: PathBuf::from("content/a/fuzz.md"),
            text: normalize(&doc).into(),
        }],
        assets: Vec::new(),
        // No site folder: progress sheets are read from `root`, and there are none.
        root: PathBuf::new(),
    };
    let opts = cchc::site::AssembleOptions {
        today: jiff::civil::Date::new(2024, 6, 1).ok(),
        drafts: true,
        base_url: None,
        ..Default::default()
    };
    let diags = cchc::diag::Diagnostics::new();
    let site = cchc::site::assemble_loaded(loaded, &opts, &diags);
    let outputs = cchc::render::render_to_memory(&site, theme(), &diags);
    let mut paths = std::collections::HashSet::new();
    for o in &outputs {
        assert!(
            cchc::write::is_safe_rel_path(&o.path),
            "unsafe output path {:?}",
            o.path
        );
        assert!(paths.insert(o.path.clone()), "two outputs at {:?}", o.path);
        if o.path.ends_with(".html") {
            let html = String::from_utf8_lossy(&o.bytes);
            assert_no_script(&html, &o.path);
        } else if o.path.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(&o.bytes)
                .unwrap_or_else(|e| panic!("{}: invalid JSON: {e}", o.path));
        }
    }
}
