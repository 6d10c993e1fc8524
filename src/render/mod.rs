//! Rendering: the [`Site`] → every output file, in memory, sorted by path.
//!
//! Pages render in parallel (the site is only borrowed); the result is sorted so the output,
//! and the order files are written in, never depends on thread timing.

pub mod calendar;
pub mod charts;
pub mod data;
pub mod feed;
pub mod ics;
pub mod pages;
pub mod progress;
pub mod rows;
pub mod search;
pub mod spans;
pub mod templates;
pub mod timeline;
pub mod view;

use std::sync::Mutex;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{DocBody, Site};
use crate::parse::markdown::{self, AutoLink, LinkTarget, MdContext};
use crate::write::Output;
use templates::Theme;

/// Where finished output files go (a staging directory, or memory for `serve`).
pub type Sink<'a> = &'a (dyn Fn(Output) + Sync);

/// The documents' bodies (by `DocId`) for their pages: owned when the caller is done with
/// them (a build; each is dropped once its page is made), borrowed otherwise (`serve`).
pub enum Bodies<'a> {
    Owned(Vec<DocBody>),
    Borrowed(&'a [DocBody]),
}

/// Renders every output of the site into `sink`, pages as soon as each is rendered, so memory
/// stays bounded by what one stage needs rather than by the whole site. Template errors go
/// to `diags`. Returns the number of HTML pages.
pub fn render_site(
    site: &Site,
    bodies: Bodies,
    theme: &Theme,
    diags: &Diagnostics,
    sink: Sink,
) -> usize {
    let paths: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let emit = |(path, html): pages::Page| {
        if let Ok(mut p) = paths.lock() {
            p.push(path.clone());
        }
        sink(Output {
            path,
            bytes: html.into_bytes(),
        });
    };
    let report = |r: Result<(), Diagnostic>| {
        if let Err(d) = r {
            diags.push(d);
        }
    };
    let one = |r: Result<pages::Page, Diagnostic>| report(r.map(&emit));
    // Plain texts go to the search index; owned, they move into its entries.
    let (bodies, texts) = match bodies {
        Bodies::Owned(mut v) => {
            let texts = v
                .iter_mut()
                .map(|b| std::mem::take(&mut b.plain_text))
                .collect();
            (Bodies::Owned(v), Some(texts))
        }
        borrowed => (borrowed, None),
    };
    // Independent stages run side by side: each is a rayon job, and the larger ones split
    // into parallel jobs of their own, so the cores stay busy to the end of the build.
    rayon::scope(|scope| {
        scope.spawn(|_| {
            report(crate::timed("task tables", || {
                pages::task_tables(site, theme, &emit)
            }))
        });
        scope.spawn(|_| {
            report(crate::timed("calendar", || {
                calendar::pages(site, theme, &emit)
            }))
        });
        scope.spawn(|_| crate::timed("data files", || data_files(site, sink)));
        scope.spawn(|_| {
            crate::timed("document pages", || match bodies {
                Bodies::Owned(v) => v
                    .into_par_iter()
                    .enumerate()
                    .for_each(|(i, b)| one(pages::document_page(site, theme, i, &b))),
                Bodies::Borrowed(v) => v
                    .par_iter()
                    .enumerate()
                    .for_each(|(i, b)| one(pages::document_page(site, theme, i, b))),
            })
        });
        let active_units: Vec<usize> = (0..site.units.len())
            .filter(|&u| !site.duties[u].lead.is_empty() || !site.duties[u].support.is_empty())
            .collect();
        crate::timed("unit pages and files", || {
            active_units.par_iter().for_each(|&u| {
                rayon::join(
                    || report(pages::unit_pages(site, theme, u, &emit)),
                    || unit_files(site, u, sink),
                );
            });
        });
        one(pages::home(site, theme, &intro_html(site)));
        report(pages::document_list(site, theme, &emit));
        one(pages::unit_list(site, theme));
        for (template, path, title, section) in [
            ("search.html", "tim-kiem/index.html", "Tìm kiếm", "tim-kiem"),
            ("data.html", "du-lieu/index.html", "Dữ liệu mở", "du-lieu"),
            ("404.html", "404.html", "Không tìm thấy trang", ""),
        ] {
            one(pages::simple_page(
                site, theme, template, path, title, section,
            ));
        }
        for (p, b) in &theme.statics {
            sink(Output {
                path: p.clone(),
                bytes: b.clone(),
            });
        }
    });
    // After the other stages, not beside them: the index build's peak (every posting list)
    // then does not add to theirs.
    crate::timed("search index", || search_into(site, texts, sink));
    let mut paths = paths.into_inner().unwrap_or_default();
    paths.sort();
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    sink(text_output("sitemap.xml", feed::sitemap(site, &refs)));
    paths.len()
}

/// A unit's own calendar and CSV, beside its page.
fn unit_files(site: &Site, u: usize, sink: Sink) {
    let dir = view::unit_path(site, u)
        .trim_end_matches("index.html")
        .to_string();
    let duty = &site.duties[u];
    sink(text_output(
        &format!("{dir}lich.ics"),
        calendar::unit_ics(site, u),
    ));
    sink(Output {
        path: format!("{dir}nhiem-vu.csv"),
        bytes: data::tasks_csv(site, duty.lead.iter().chain(&duty.support).copied()),
    });
    // progress (issue 17): the same table as a workbook departments can fill.
    let ids: Vec<usize> = duty.lead.iter().chain(&duty.support).copied().collect();
    if let Ok(bytes) = crate::progress::sheets::tasks_xlsx(site, &ids) {
        sink(Output {
            path: format!("{dir}nhiem-vu.xlsx"),
            bytes,
        });
    }
}

/// Feed, robots, the site calendar and the open-data files, each built in parallel.
fn data_files(site: &Site, sink: Sink) {
    let jobs: [&(dyn Fn() -> Output + Sync); 7] = [
        &|| text_output("feed.xml", feed::atom(site)),
        &|| text_output("robots.txt", feed::robots(site)),
        &|| text_output("lich.ics", calendar::site_ics(site)),
        &|| Output {
            path: "du-lieu/nhiem-vu.json".into(),
            bytes: data::tasks_json(site),
        },
        &|| Output {
            path: "du-lieu/nhiem-vu.csv".into(),
            bytes: data::tasks_csv(site, 0..site.tasks.len()),
        },
        &|| Output {
            path: "du-lieu/van-ban.json".into(),
            bytes: data::documents_json(site),
        },
        &|| text_output("static/syntax.css", crate::parse::highlight::css()),
    ];
    jobs.par_iter().for_each(|job| sink(job()));
    let all: Vec<usize> = (0..site.tasks.len()).collect();
    if let Ok(bytes) = crate::progress::sheets::tasks_xlsx(site, &all) {
        sink(Output {
            path: "du-lieu/nhiem-vu.xlsx".into(),
            bytes,
        });
    }
}

/// Renders into memory, sorted by path (for `serve` and tests).
pub fn render_to_memory(site: &Site, theme: &Theme, diags: &Diagnostics) -> Vec<Output> {
    let out: Mutex<Vec<Output>> = Mutex::new(Vec::new());
    render_site(site, Bodies::Borrowed(&site.bodies), theme, diags, &|o| {
        if let Ok(mut v) = out.lock() {
            v.push(o);
        }
    });
    let mut v = out.into_inner().unwrap_or_default();
    v.sort_by(|a, b| a.path.cmp(&b.path));
    v
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

/// The search index files (`tim-kiem/index/…`), sorted by path.
pub fn search_outputs(site: &Site) -> Vec<Output> {
    let out: Mutex<Vec<Output>> = Mutex::new(Vec::new());
    search_into(site, None, &|o| {
        if let Ok(mut v) = out.lock() {
            v.push(o);
        }
    });
    let mut v = out.into_inner().unwrap_or_default();
    v.sort_by(|a, b| a.path.cmp(&b.path));
    v
}

/// The search index files, each handed to `sink` as soon as it is made. `texts`: the
/// documents' plain texts when the caller gave them up, else they are copied from the site.
fn search_into(site: &Site, texts: Option<Vec<String>>, sink: Sink) {
    let entries = crate::timed("search: entries", || match texts {
        Some(mut texts) => search::entries::search_entries(site, |i| {
            texts.get_mut(i).map(std::mem::take).unwrap_or_default()
        }),
        None => search::entries::search_entries(site, |i| {
            site.bodies
                .get(i)
                .map(|b| b.plain_text.clone())
                .unwrap_or_default()
        }),
    });
    search::build_index_into(entries, &|path, bytes| sink(Output { path, bytes }));
}
