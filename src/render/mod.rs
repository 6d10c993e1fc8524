//! Rendering: the [`Site`] → every output file, in memory, sorted by path.
//!
//! Pages render in parallel (the site is only borrowed), one stage after another so that the
//! stages' peaks do not add up; the result is sorted so the output, and the order files are
//! written in, never depends on thread timing.

mod assets;
pub mod calendar;
pub mod charts;
pub mod data;
pub mod feed;
pub mod frame;
pub mod ics;
pub mod lists;
pub mod pages;
pub mod parts;
pub mod progress;
pub mod rows;
pub mod search;
pub mod spans;
pub mod templates;
pub mod timeline;
pub mod view;

use std::borrow::Cow;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{DocBody, DocId, Site};
use crate::parse::markdown::{self, AutoLink, LinkTarget, MdContext};
use crate::write::Output;
use templates::Theme;

/// Where finished output files go (a staging directory, or memory for `serve`).
pub type Sink<'a> = &'a (dyn Fn(Output) + Sync);

/// Gives document `id`'s body (see `site::BodySources`): borrowed where the build kept it,
/// else made again; an error when it cannot.
pub type MakeBody<'a> = &'a (dyn Fn(DocId) -> Result<Cow<'a, DocBody>, Diagnostic> + Sync);

/// The documents' bodies (by `DocId`) for their pages and search entries: made on demand
/// (a build: each is taken from `site::BodySources`, which keeps a small site's bodies and
/// renders a large site's again for its page and for its search entry, then drops it), or
/// borrowed from the site (`serve`, tests).
#[derive(Clone, Copy)]
pub enum Bodies<'a> {
    OnDemand(MakeBody<'a>),
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
    let pages = render_pages(site, bodies, theme, diags, sink);
    // After the other stages, not beside them: the index build's peak (every posting list)
    // then does not add to theirs.
    search_index(site, bodies, sink, None);
    pages
}

/// [`render_site`] but the search index (`serve` keeps its own, `search::memo`).
pub fn render_pages(
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
        sink(Output { path, bytes: html });
    };
    let report = |r: Result<(), Diagnostic>| {
        if let Err(d) = r {
            diags.push(d);
        }
    };
    let one = |r: Result<pages::Page, Diagnostic>| report(r.map(&emit));
    // Planned once (events measured; a small site's keep their text until the data files
    // stage writes them, see `CalendarPlan::texts`): the calendar page links the archives
    // written there.
    let mut site_calendar = crate::timed("calendar plan", || ics::CalendarPlan::site(site));
    // One stage after another, each parallel inside (pages, units, years, files): side by
    // side, their peaks added up (at 100,000 documents, calendar and open data together
    // passed 3 GB), while the two cores were as busy either way.
    report(crate::timed("task tables", || {
        let moved = |(path, html): pages::Page| sink(Output { path, bytes: html });
        pages::task_tables(site, theme, &emit, &moved)
    }));
    report(crate::timed("calendar", || {
        calendar::pages(site, theme, &site_calendar, &emit)
    }));
    let site_files = crate::timed("data files", || {
        let files = data_files(site, &mut site_calendar, sink);
        report(data_page(site, theme, &files).map(&emit));
        files
    });
    crate::timed("document pages", || {
        document_pages(site, bodies, theme, &one)
    });
    let active_units: Vec<usize> = site.active_units().collect();
    let unit_files: Vec<parts::Part> = crate::timed("unit pages and files", || {
        active_units
            .par_iter()
            .flat_map_iter(|&u| {
                // Files first: each of the unit's pages links every one of them, parts included.
                let mut calendar = ics::CalendarPlan::unit(site, u);
                let files = unit_files(site, u, &mut calendar, sink);
                report(pages::unit_pages(site, theme, u, &calendar, &files, &emit));
                files
            })
            .collect()
    });
    // Written last so that it lists the units' files too.
    sink(Output {
        path: "du-lieu/index.json".into(),
        bytes: data::index_json(site, &[site_files, unit_files].concat()),
    });
    report(pages::document_list(site, theme, &emit));
    site_pages(site, theme, &one);
    for (p, b) in &theme.statics {
        sink(Output {
            path: p.clone(),
            bytes: b.clone(),
        });
    }
    let mut paths = paths.into_inner().unwrap_or_default();
    paths.sort();
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    for (path, xml) in feed::sitemaps(site, &refs) {
        sink(text_output(&path, xml));
    }
    paths.len()
}

/// The pages of documents `edited`, in an output whose other files came from a site of the
/// same [shape](crate::site::shape) (it differs in the documents' bodies only): no other page
/// shows anything of a body. The search index, which does, is [`search_index`]'s.
pub fn render_body_edits(
    site: &Site,
    bodies: Bodies,
    theme: &Theme,
    diags: &Diagnostics,
    edited: &[DocId],
    sink: Sink,
) {
    crate::timed("document pages", || {
        edited
            .par_iter()
            .for_each(|&i| match document_page_of(site, bodies, theme, i) {
                Some(Ok((path, bytes))) => sink(Output { path, bytes }),
                Some(Err(d)) => diags.push(d),
                None => {}
            })
    });
}

/// A memo the search index is made through (`search::memo`), kept between builds.
pub struct IndexMemo<'a> {
    pub memo: &'a mut search::memo::SearchMemo,
    /// The entries that may differ from those the memo was last brought up to date with
    /// (`None`: any); ignored by a memo that starts afresh.
    pub only: Option<&'a [usize]>,
    /// The stamp of each index file the output holds now: a file made alike is not handed
    /// to the sink.
    pub published: search::memo::Published<'a>,
}

/// The site's search index into `sink`, each file as soon as it is made: streamed from scratch
/// (`memo` `None`, nothing kept; each entry is made when it is tokenized, and a document's
/// plain text from `bodies` then too), or through `memo`, which hands over only the files
/// whose bytes differ from the published ones and gives the paths of all the index's files.
pub fn search_index(
    site: &Site,
    bodies: Bodies,
    sink: Sink,
    memo: Option<IndexMemo>,
) -> Option<Vec<String>> {
    crate::timed("search index", || {
        // A body that cannot be made was reported with its page; its entry gets no text.
        let plain = |i: usize, out: &mut String| match bodies {
            Bodies::OnDemand(make) => {
                if let Ok(b) = make(i) {
                    out.push_str(&b.plain_text);
                }
            }
            Bodies::Borrowed(v) => {
                if let Some(b) = v.get(i) {
                    out.push_str(&b.plain_text);
                }
            }
        };
        let entries = search::entries::SiteEntries::new(site, &plain);
        let put = |path, bytes| sink(Output { path, bytes });
        match memo {
            Some(m) => Some(m.memo.update_some(&entries, m.only, m.published, &put)),
            None => {
                search::build_index_from(&entries, &put);
                None
            }
        }
    })
}

/// Every document's page; a body made on demand is dropped as soon as its page is made.
fn document_pages(
    site: &Site,
    bodies: Bodies,
    theme: &Theme,
    one: &(dyn Fn(Result<pages::Page, Diagnostic>) + Sync),
) {
    let count = match bodies {
        Bodies::OnDemand(_) => site.documents.len(),
        Bodies::Borrowed(v) => v.len(),
    };
    (0..count)
        .into_par_iter()
        .filter_map(|i| document_page_of(site, bodies, theme, i))
        .for_each(one);
}

/// Document `id`'s page, its body made or borrowed; `None` when a borrowed set has no body
/// for it.
fn document_page_of(
    site: &Site,
    bodies: Bodies,
    theme: &Theme,
    id: DocId,
) -> Option<Result<pages::Page, Diagnostic>> {
    match bodies {
        Bodies::OnDemand(make) => {
            Some(make(id).and_then(|b| pages::document_page(site, theme, id, &b)))
        }
        Bodies::Borrowed(v) => Some(pages::document_page(site, theme, id, v.get(id)?)),
    }
}

/// The single pages: home, unit list, search and 404.
fn site_pages(site: &Site, theme: &Theme, one: &(dyn Fn(Result<pages::Page, Diagnostic>) + Sync)) {
    one(pages::home(site, theme, &intro_html(site)));
    one(pages::unit_list(site, theme));
    for (template, path, title, section) in [
        ("search.html", "tim-kiem/index.html", "Tìm kiếm", "tim-kiem"),
        ("404.html", "404.html", "Không tìm thấy trang", ""),
    ] {
        one(pages::simple_page(
            site, theme, template, path, title, section,
        ));
    }
}

/// A unit's own files beside its page: its calendar (`lich.ics`, the window, and
/// `lich/nam-<year>.ics` archives), and its current tasks (the same window) as `nhiem-vu.csv`
/// and `nhiem-vu.xlsx`, the workbook departments fill (progress, issue 17). Older tasks are in
/// the site's year parts under `du-lieu/`.
fn unit_files(
    site: &Site,
    u: usize,
    calendar: &mut ics::CalendarPlan,
    sink: Sink,
) -> Vec<parts::Part> {
    let dir = view::unit_path(site, u)
        .trim_end_matches("index.html")
        .to_string();
    let duty = &site.duties[u];
    let ids: Vec<usize> = duty
        .lead
        .iter()
        .chain(&duty.support)
        .copied()
        .filter(|&i| ics::task_in_window(site, i))
        .collect();
    let (mut records, (csv, xlsx)) = rayon::join(
        || calendar.write(site, sink),
        || rayon::join(|| unit_csvs(site, &ids), || workbooks(site, &ids)),
    );
    let files = [
        current_task_files(&dir, "csv", csv),
        current_task_files(&dir, "xlsx", xlsx),
    ];
    for (out, rec) in files.into_iter().flatten() {
        records.push(rec);
        sink(out);
    }
    let slug = &site.units[u].slug;
    for rec in &mut records {
        rec.unit = Some(slug.to_string());
    }
    records
}

/// `nhiem-vu.csv` for the first (often only) part, `nhiem-vu-phan-2.csv` and on for the rest,
/// so the link pages give keeps working when a very busy unit's file is cut.
fn part_name(stem: &str, ext: &str, k: usize) -> String {
    if k == 0 {
        format!("{stem}.{ext}")
    } else {
        format!("{stem}-phan-{}.{ext}", k + 1)
    }
}

/// Tasks `ids` as CSV files of at most `max_file_bytes` each (newest documents first), each
/// with its number of rows.
fn unit_csvs(site: &Site, ids: &[usize]) -> Vec<(Vec<u8>, usize)> {
    let header = data::csv_header();
    let rows: Vec<Vec<u8>> = ids
        .iter()
        .filter_map(|&i| site.tasks.get(i))
        .map(|t| data::csv_record(site, t))
        .collect();
    let mut start = 0;
    parts::cut(&rows, header.len(), 0, site.config.max_file_bytes)
        .into_iter()
        .map(|n| {
            let mut out = header.clone();
            for r in &rows[start..start + n] {
                out.extend_from_slice(r);
            }
            start += n;
            (out, n)
        })
        .collect()
}

/// Tasks `ids` as workbooks of at most `max_file_bytes / 80` rows (a row of the workbook
/// takes ~55 bytes compressed), so none passes the size limit; each with its number of rows.
fn workbooks(site: &Site, ids: &[usize]) -> Vec<(Vec<u8>, usize)> {
    let per_book = (site.config.max_file_bytes / 80).max(100);
    let books: Vec<&[usize]> = if ids.is_empty() {
        vec![&[]]
    } else {
        ids.chunks(per_book).collect()
    };
    books
        .par_iter()
        .filter_map(|chunk| {
            let book = crate::progress::sheets::tasks_xlsx(site, chunk).ok()?;
            Some((book, chunk.len()))
        })
        .collect()
}

/// `files` (bytes and rows, in order) as the parts `<dir>nhiem-vu.<ext>`,
/// `<dir>nhiem-vu-phan-2.<ext>`, … of one set of current tasks, with their records.
fn current_task_files(
    dir: &str,
    ext: &'static str,
    files: Vec<(Vec<u8>, usize)>,
) -> Vec<(Output, parts::Part)> {
    let n = files.len();
    files
        .into_iter()
        .enumerate()
        .map(|(k, (bytes, rows))| {
            let out = Output {
                path: format!("{dir}{}", part_name("nhiem-vu", ext, k)),
                bytes,
            };
            let mut rec = parts::record(&out, parts::CURRENT_TASKS, ext, None, rows);
            (rec.part, rec.parts) = (k + 1, n);
            (out, rec)
        })
        .collect()
}

/// Feed, robots, the site calendar (window and archives), the open data and the workbook of
/// current tasks, built in parallel. Returns the records of the calendar and data files, for
/// the data page and `du-lieu/index.json`.
fn data_files(site: &Site, calendar: &mut ics::CalendarPlan, sink: Sink) -> Vec<parts::Part> {
    let small: [&(dyn Fn() -> Output + Sync); 3] = [
        &|| text_output("feed.xml", feed::atom(site)),
        &|| text_output("robots.txt", feed::robots(site)),
        &|| text_output("static/syntax.css", crate::parse::highlight::css()),
    ];
    // Each job hands its files to `sink` as soon as each is made and returns their records.
    let sink_all = |files: Vec<(Output, parts::Part)>| -> Vec<parts::Part> {
        files
            .into_iter()
            .map(|(o, p)| {
                sink(o);
                p
            })
            .collect()
    };
    small.par_iter().for_each(|job| sink(job()));
    // The calendar beside the workbooks (a workbook of one part is made on one thread, and
    // neither holds much), then the open data alone (it holds a year of rows), so the large
    // peak does not add to another.
    let (mut files, books) = rayon::join(
        || crate::timed("data: calendar", || calendar.write(site, sink)),
        || crate::timed("data: workbooks", || sink_all(current_workbooks(site))),
    );
    files.extend(crate::timed("data: open data", || {
        data::open_data(site, sink)
    }));
    files.extend(books);
    files
}

/// `du-lieu/nhiem-vu.xlsx`: the workbook of current tasks (the calendar's window) that
/// departments fill; past years are in the CSV and JSON year parts. Cut into
/// `nhiem-vu-phan-<k>.xlsx` after the first when it would pass the file size limit.
fn current_workbooks(site: &Site) -> Vec<(Output, parts::Part)> {
    let ids: Vec<usize> = (0..site.tasks.len())
        .filter(|&i| ics::task_in_window(site, i))
        .collect();
    current_task_files("du-lieu/", "xlsx", workbooks(site, &ids))
}

/// `du-lieu/index.html`: every downloadable file, grouped, with its year, rows, size and CRC.
fn data_page(site: &Site, theme: &Theme, files: &[parts::Part]) -> Result<pages::Page, Diagnostic> {
    #[derive(serde::Serialize)]
    struct DataPage<'a> {
        #[serde(flatten)]
        frame: frame::Frame<'a>,
        groups: Vec<data::PageGroup<'a>>,
        tasks: usize,
        documents: usize,
        window_start: String,
        max_file_mb: String,
    }
    let meta = frame::PageMeta::new("du-lieu/index.html", "du-lieu", "Dữ liệu mở");
    let mb = site.config.max_file_bytes as f64 / 1e6;
    let ctx = DataPage {
        frame: frame::Frame::new(site, &meta),
        groups: data::page_groups(files),
        tasks: site.tasks.len(),
        documents: site.documents.len(),
        window_start: ics::window_start(site).to_string(),
        max_file_mb: format!("{mb:.1}").replace(".0", "").replace('.', ","),
    };
    frame::render(theme, "data.html", meta.path.clone(), &ctx)
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
