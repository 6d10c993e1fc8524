//! Rendering: the [`Site`] → every output file, in memory, sorted by path.
//!
//! Pages render in parallel (the site is only borrowed); the result is sorted so the output,
//! and the order files are written in, never depends on thread timing.

pub mod calendar;
pub mod data;
pub mod feed;
pub mod ics;
pub mod pages;
pub mod search;
pub mod templates;
pub mod view;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::parse::markdown::{self, AutoLink, LinkTarget, MdContext};
use crate::write::Output;
use templates::Theme;

/// Renders every output of the site. Template errors go to `diags`.
pub fn render_site(site: &Site, theme: &Theme, diags: &Diagnostics) -> Vec<Output> {
    let mut html: Vec<(String, String)> = Vec::new();
    let mut push = |r: Result<Vec<(String, String)>, Diagnostic>| match r {
        Ok(pages) => html.extend(pages),
        Err(d) => diags.push(d),
    };
    push(pages::home(site, theme, &intro_html(site)).map(|p| vec![p]));
    push(pages::document_list(site, theme));
    push(pages::task_tables(site, theme));
    push(pages::unit_list(site, theme).map(|p| vec![p]));
    push(
        pages::simple_page(
            site,
            theme,
            "search.html",
            "tim-kiem/index.html",
            "Tìm kiếm",
            "tim-kiem",
        )
        .map(|p| vec![p]),
    );
    push(
        pages::simple_page(
            site,
            theme,
            "data.html",
            "du-lieu/index.html",
            "Dữ liệu mở",
            "du-lieu",
        )
        .map(|p| vec![p]),
    );
    push(
        pages::simple_page(
            site,
            theme,
            "404.html",
            "404.html",
            "Không tìm thấy trang",
            "",
        )
        .map(|p| vec![p]),
    );
    push(calendar::pages(site, theme));
    let docs: Vec<Result<(String, String), Diagnostic>> = (0..site.documents.len())
        .into_par_iter()
        .map(|i| pages::document_page(site, theme, i))
        .collect();
    push(docs.into_iter().collect::<Result<Vec<_>, _>>());
    let active_units: Vec<usize> = (0..site.units.len())
        .filter(|&u| !site.duties[u].lead.is_empty() || !site.duties[u].support.is_empty())
        .collect();
    let units: Vec<Result<Vec<(String, String)>, Diagnostic>> = active_units
        .par_iter()
        .map(|&u| pages::unit_pages(site, theme, u))
        .collect();
    push(
        units
            .into_iter()
            .collect::<Result<Vec<Vec<_>>, _>>()
            .map(|v| v.into_iter().flatten().collect()),
    );

    let page_paths: Vec<&str> = html.iter().map(|(p, _)| p.as_str()).collect();
    let mut out: Vec<Output> = vec![
        text_output("sitemap.xml", feed::sitemap(site, &page_paths)),
        text_output("feed.xml", feed::atom(site)),
        text_output("robots.txt", feed::robots(site)),
        text_output("lich.ics", calendar::site_ics(site)),
        Output {
            path: "du-lieu/nhiem-vu.json".into(),
            bytes: data::tasks_json(site),
        },
        Output {
            path: "du-lieu/nhiem-vu.csv".into(),
            bytes: data::tasks_csv(site, 0..site.tasks.len()),
        },
        Output {
            path: "du-lieu/van-ban.json".into(),
            bytes: data::documents_json(site),
        },
        text_output("static/syntax.css", crate::parse::highlight::css()),
    ];
    let unit_files: Vec<Output> = active_units
        .par_iter()
        .flat_map_iter(|&u| {
            let dir = view::unit_path(site, u)
                .trim_end_matches("index.html")
                .to_string();
            [
                text_output(&format!("{dir}lich.ics"), calendar::unit_ics(site, u)),
                Output {
                    path: format!("{dir}nhiem-vu.csv"),
                    bytes: data::tasks_csv(
                        site,
                        site.duties[u]
                            .lead
                            .iter()
                            .chain(&site.duties[u].support)
                            .copied(),
                    ),
                },
            ]
        })
        .collect();
    out.extend(unit_files);
    out.extend(theme.statics.iter().map(|(p, b)| Output {
        path: p.clone(),
        bytes: b.clone(),
    }));
    out.extend(
        search::build_index(&search_entries(site))
            .into_iter()
            .map(|(path, bytes)| Output { path, bytes }),
    );
    out.par_extend(html.into_par_iter().map(|(path, s)| Output {
        path,
        bytes: minify(s.into_bytes()),
    }));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out.dedup_by(|a, b| a.path == b.path);
    out
}

fn text_output(path: &str, s: String) -> Output {
    Output {
        path: path.to_string(),
        bytes: s.into_bytes(),
    }
}

/// The home-page introduction from `site.yaml`, rendered like a body.
fn intro_html(site: &Site) -> String {
    let keep = |_: &str| LinkTarget::Keep;
    let none = |_: &str| Vec::<AutoLink>::new();
    let ctx = MdContext {
        allow_html: false,
        resolve_link: &keep,
        autolink: &none,
    };
    markdown::render(&site.config.intro, &ctx).html
}

/// Documents, tasks and units as search entries (URLs relative to the site root).
fn search_entries(site: &Site) -> Vec<search::SearchEntry> {
    let mut entries = Vec::with_capacity(site.documents.len() + site.tasks.len());
    for d in &site.documents {
        let mut text = String::new();
        for part in [
            d.number.as_deref(),
            d.issuer.as_deref(),
            d.summary.as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            text.push_str(part);
            text.push(' ');
        }
        text.push_str(&d.plain_text);
        entries.push(search::SearchEntry {
            url: format!("van-ban/{}/index.html", d.slug),
            title: d.title.clone(),
            kind: "Văn bản".into(),
            context: view::doc_label(d),
            text,
        });
    }
    for t in &site.tasks {
        let d = &site.documents[t.doc];
        let units: Vec<&str> = t
            .lead
            .iter()
            .chain(&t.support)
            .filter_map(|&u| site.units.get(u))
            .map(|u| u.name.as_str())
            .collect();
        entries.push(search::SearchEntry {
            url: format!("van-ban/{}/index.html#{}", d.slug, t.anchor),
            title: view::shorten(&t.text, 120),
            kind: "Nhiệm vụ".into(),
            context: format!("{} · {}", view::doc_label(d), t.due.text),
            text: format!(
                "{} {} {} {}",
                t.text,
                t.product.as_deref().unwrap_or(""),
                units.join(" "),
                t.due.text
            ),
        });
    }
    for (i, u) in site.units.iter().enumerate() {
        if site.duties[i].lead.is_empty() && site.duties[i].support.is_empty() {
            continue;
        }
        entries.push(search::SearchEntry {
            url: view::unit_path(site, i),
            title: u.name.clone(),
            kind: "Đơn vị".into(),
            context: format!(
                "{} nhiệm vụ chủ trì, {} phối hợp",
                site.duties[i].lead.len(),
                site.duties[i].support.len()
            ),
            text: format!("{} {}", u.name, u.aliases.join(" ")),
        });
    }
    entries
}

/// Minifies HTML when the `minify` feature is on (default); keeps `<html>`/`<head>` opening
/// tags so the Nu checker sees a complete document.
#[cfg(feature = "minify")]
fn minify(bytes: Vec<u8>) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    cfg.minify_css = false;
    cfg.minify_js = false;
    // `<!doctypehtml>` saves 1 byte and is a parse error for validators.
    cfg.minify_doctype = false;
    cfg.allow_noncompliant_unquoted_attribute_values = false;
    cfg.allow_removing_spaces_between_attributes = false;
    minify_html::minify(&bytes, &cfg)
}

#[cfg(not(feature = "minify"))]
fn minify(bytes: Vec<u8>) -> Vec<u8> {
    bytes
}
