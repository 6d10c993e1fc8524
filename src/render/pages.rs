//! HTML pages about documents and the site: home, document list and pages, and the simple
//! pages (search, data, 404). The list pages (task table, units) are in [`super::lists`],
//! the calendars in [`super::calendar`]. Each function builds a typed page context (a
//! [`Frame`] plus the page's own fields) and returns or emits `(output path, HTML)` pages.

use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::{DocBody, DocId, DocType, Document, Heading, Site, State};
pub use crate::render::frame::Page;
use crate::render::frame::{render, Frame, PageMeta};
pub use crate::render::lists::{task_tables, unit_list, unit_pages};
use crate::render::templates::Theme;
use crate::render::timeline::Timeline;
use crate::render::view::*;

/// Where rendered pages go as soon as they exist (written to disk, or kept in memory by
/// `serve`), so a large site never holds all its pages at once.
pub type Emit<'a> = &'a (dyn Fn(Page) + Sync);

/// The site's headline figures (home page, data page).
#[derive(Serialize)]
struct Counts {
    documents: usize,
    tasks: usize,
    units: usize,
    overdue: usize,
    due_soon: usize,
    /// Passed deadlines with nothing reported (issue 17), counted apart from "overdue".
    not_reported: usize,
}

fn counts(site: &Site) -> Counts {
    let in_state = |s: State| site.tasks.iter().filter(|t| t.state == s).count();
    Counts {
        documents: site.documents.len(),
        tasks: site.tasks.len(),
        units: site.active_units().count(),
        overdue: in_state(State::QuaHan),
        due_soon: in_state(State::SapDenHan),
        not_reported: in_state(State::ChuaBaoCao),
    }
}

#[derive(Serialize)]
struct HomePage<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    docs: Vec<DocCard>,
    intro: &'a str,
    counts: Counts,
    progress_html: String,
}

pub fn home(site: &Site, theme: &Theme, intro_html: &str) -> Result<Page, Diagnostic> {
    let meta = PageMeta::home();
    let ctx = HomePage {
        frame: Frame::new(site, &meta),
        docs: (0..site.documents.len().min(10))
            .filter_map(|i| doc_card(site, i, ""))
            .collect(),
        intro: intro_html,
        counts: counts(site),
        progress_html: crate::render::progress::home_html(site),
    };
    render(theme, "index.html", meta.path, &ctx)
}

#[derive(Serialize)]
struct DocumentsPage<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    years: Vec<YearGroup>,
    total: usize,
    pager: Pager,
}

/// Documents of one plan year, by type, in listing order.
#[derive(Serialize)]
struct YearGroup {
    name: String,
    key: String,
    types: Vec<TypeGroup>,
}

#[derive(Serialize)]
struct TypeGroup {
    #[serde(skip)]
    doc_type: DocType,
    name: &'static str,
    docs: Vec<DocCard>,
}

/// `/van-ban/`: documents grouped by year then type, paginated.
pub fn document_list(site: &Site, theme: &Theme, emit: Emit) -> Result<(), Diagnostic> {
    let mut ids: Vec<DocId> = (0..site.documents.len()).collect();
    // By plan year (newest first), then type, then the site order (date desc).
    ids.sort_by_key(|&i| {
        let d = &site.documents[i];
        (std::cmp::Reverse(d.year), d.doc_type, i)
    });
    for page in paginate("van-ban/index.html", &ids, site.config.per_page) {
        let meta = PageMeta::new(page.path, "van-ban", "Văn bản");
        let ctx = DocumentsPage {
            frame: Frame::new(site, &meta),
            years: year_groups(site, page.items, &page.root),
            total: site.documents.len(),
            pager: page.pager,
        };
        emit(render(theme, "documents.html", meta.path.clone(), &ctx)?);
    }
    Ok(())
}

/// Cards of `ids` (already in listing order) under their year, then their type.
fn year_groups(site: &Site, ids: &[DocId], root: &str) -> Vec<YearGroup> {
    let mut years: Vec<(Option<i16>, YearGroup)> = Vec::new();
    for &i in ids {
        let d = &site.documents[i];
        if years.last().map(|(y, _)| *y) != Some(d.year) {
            let group = YearGroup {
                name: d.year.map_or("Không rõ năm".into(), |y| format!("Năm {y}")),
                key: d.year.map_or("khong-ro".into(), |y| y.to_string()),
                types: Vec::new(),
            };
            years.push((d.year, group));
        }
        let Some((_, year)) = years.last_mut() else {
            continue;
        };
        if year.types.last().map(|t| t.doc_type) != Some(d.doc_type) {
            year.types.push(TypeGroup {
                doc_type: d.doc_type,
                name: d.doc_type.label(),
                docs: Vec::new(),
            });
        }
        if let Some(t) = year.types.last_mut() {
            t.docs.extend(doc_card(site, i, root));
        }
    }
    years.into_iter().map(|(_, g)| g).collect()
}

#[derive(Serialize)]
struct DocumentPage<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    doc: DocView<'a>,
    groups: Vec<TaskGroup>,
    timeline: Option<Timeline>,
    cites: Vec<Related<'a>>,
    cited_by: Vec<Related<'a>>,
    external: &'a [String],
    progress_html: String,
}

/// What a document page shows of its document.
#[derive(Serialize)]
struct DocView<'a> {
    title: &'a str,
    number: Option<&'a str>,
    type_label: &'static str,
    issuer: Option<&'a str>,
    date: Option<String>,
    date_vi: Option<String>,
    year: Option<i16>,
    signer: Option<&'a str>,
    areas: &'a [String],
    summary: Option<&'a str>,
    body: &'a str,
    headings: Vec<&'a Heading>,
    task_count: usize,
    source: String,
    original: Option<&'a str>,
    original_href: Option<String>,
}

/// Another document of the site, linked from this one.
#[derive(Serialize)]
struct Related<'a> {
    href: String,
    label: String,
    title: &'a str,
    task_count: usize,
}

/// One document page.
pub fn document_page(
    site: &Site,
    theme: &Theme,
    id: DocId,
    body: &DocBody,
) -> Result<Page, Diagnostic> {
    let d = &site.documents[id];
    let meta = PageMeta::new(doc_path(d), "van-ban", &d.title)
        .crumb(&doc_label(d))
        .under("Văn bản", "van-ban/index.html")
        .describe(d.summary.clone());
    let root = root_for(&meta.path);
    let related = |ids: &[DocId]| -> Vec<Related> {
        ids.iter()
            .filter_map(|&i| site.documents.get(i))
            .map(|o| Related {
                href: format!("{root}{}", doc_path(o)),
                label: doc_label(o),
                title: &o.title,
                task_count: o.tasks.len(),
            })
            .collect()
    };
    let ctx = DocumentPage {
        frame: Frame::new(site, &meta),
        doc: doc_view(site, d, body, &root),
        groups: grouped_rows(site, &d.tasks, &root),
        timeline: crate::render::timeline::context(site, id),
        cites: related(&d.cites),
        cited_by: related(&d.cited_by),
        external: &d.external_refs,
        progress_html: crate::render::progress::document_html(site, id, &root),
    };
    render(theme, "document.html", meta.path.clone(), &ctx)
}

fn doc_view<'a>(site: &Site, d: &'a Document, body: &'a DocBody, root: &str) -> DocView<'a> {
    DocView {
        title: &d.title,
        number: d.number.as_deref(),
        type_label: d.doc_type.label(),
        issuer: d.issuer.as_deref(),
        date: d.date.map(|x| x.to_string()),
        date_vi: d.date.map(date_vi),
        year: d.year,
        signer: d.signer.as_deref(),
        areas: &d.areas,
        summary: d.summary.as_deref(),
        body: &body.html,
        headings: body.headings.iter().filter(|h| h.level <= 3).collect(),
        task_count: d.tasks.len(),
        source: d.source.to_string_lossy().replace('\\', "/"),
        original: d.original.as_deref(),
        original_href: original_href(site, d, root),
    }
}

/// `webcal://` form of a file's URL, when the site has an absolute `base_url`.
pub fn webcal_url(site: &Site, rel: &str) -> Option<String> {
    let base = &site.config.base_url;
    let rest = base
        .strip_prefix("https://")
        .or_else(|| base.strip_prefix("http://"))?;
    Some(format!("webcal://{rest}{rel}"))
}

#[derive(Serialize)]
struct SimplePage<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    counts: Counts,
}

/// A page with no data of its own beyond the site's figures (search, data, 404).
pub fn simple_page(
    site: &Site,
    theme: &Theme,
    template: &str,
    path: &str,
    title: &str,
    section: &str,
) -> Result<Page, Diagnostic> {
    let meta = PageMeta::new(path, section, title);
    let ctx = SimplePage {
        frame: Frame::new(site, &meta),
        counts: counts(site),
    };
    render(theme, template, path.to_string(), &ctx)
}

/// Link to the imported document's original file when it was copied beside the document
/// (front matter `original`, a content file in the same folder), else `None`.
fn original_href(site: &Site, d: &Document, root: &str) -> Option<String> {
    let name = d.original.as_deref()?;
    let beside = d.source.parent()?.join(name);
    site.static_files
        .iter()
        .find(|f| f.source == beside)
        .map(|f| format!("{root}{}", f.out))
}
