//! The list pages: the task table (`/nhiem-vu/`, by plan year) with its static filter pages
//! by state, the unit list (`/don-vi/`) and each unit's pages. Every list shows compact rows
//! ([`rows::compact_table`]) that link to the full task on its document page; long lists are
//! cut into pages of `per_page` rows.

use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::{Site, State, TaskId, UnitId, UnitLevel};
use crate::render::frame::{render, Frame, PageMeta};
use crate::render::pages::{webcal_url, Emit, Page};
use crate::render::rows::{self, CompactTable, Groups};
use crate::render::templates::Theme;
use crate::render::view::*;

/// A view of the task table, paginated from `base`: the whole table or a state filter.
struct TaskView {
    base: String,
    heading: String,
    /// The filter's name (`None` for the whole table) and its code (`qua-han`).
    filter: Option<(String, String)>,
    ids: Vec<TaskId>,
}

/// A link of the filter bar.
#[derive(Serialize)]
struct FilterLink {
    name: String,
    href: String,
    count: usize,
    active: bool,
}

#[derive(Serialize)]
struct TasksPage<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    heading: &'a str,
    filter_label: Option<&'a str>,
    active_filter: Option<&'a str>,
    /// The whole table's first page, from this page.
    all_href: String,
    total: usize,
    state_filters: Vec<FilterLink>,
    year_filters: Vec<FilterLink>,
    table: CompactTable,
    pager: Pager,
}

/// Where a plan year's tasks lie in the whole table: `count` tasks from position `first`.
struct YearRange {
    year: Option<i16>,
    first: usize,
    count: usize,
}

/// The whole table, ordered by plan year (newest first, tasks with no year last; document
/// order within a year), then one view per state.
fn task_views(site: &Site) -> Vec<TaskView> {
    let mut by_state: Vec<(State, Vec<TaskId>)> = State::ALL
        .iter()
        .map(|(s, _, _)| (*s, Vec::new()))
        .collect();
    for (i, t) in site.tasks.iter().enumerate() {
        if let Some(slot) = by_state.iter_mut().find(|(s, _)| *s == t.state) {
            slot.1.push(i);
        }
    }
    let mut all: Vec<TaskId> = (0..site.tasks.len()).collect();
    // Stable: document order stays within a year.
    all.sort_by_key(|&i| std::cmp::Reverse(site.task_year(&site.tasks[i]).map(i32::from)));
    let mut views = vec![TaskView {
        base: "nhiem-vu/index.html".into(),
        heading: "Tất cả nhiệm vụ".into(),
        filter: None,
        ids: all,
    }];
    for (s, ids) in by_state {
        views.push(TaskView {
            base: format!("nhiem-vu/{}/index.html", s.code()),
            heading: format!("Nhiệm vụ: {}", s.label().to_lowercase()),
            filter: Some((s.label().to_string(), s.code().to_string())),
            ids,
        });
    }
    views
}

/// The runs of one plan year in the whole table (ordered by [`task_views`]).
fn year_ranges(site: &Site, whole: &[TaskId]) -> Vec<YearRange> {
    let mut ranges: Vec<YearRange> = Vec::new();
    for (pos, &i) in whole.iter().enumerate() {
        let year = site.task_year(&site.tasks[i]);
        match ranges.last_mut() {
            Some(r) if r.year == year => r.count += 1,
            _ => ranges.push(YearRange {
                year,
                first: pos,
                count: 1,
            }),
        }
    }
    ranges
}

/// `/nhiem-vu/`: the whole table, ordered by plan year, and static filter pages by state
/// (`/nhiem-vu/qua-han/`), so filtering works without JavaScript. A year filter is the
/// year's range of the whole table (`/nhiem-vu/trang-12/#nam-2024`): a year page of its own
/// would hold every task a third time.
///
/// `moved` gets the pages that only send readers on (`moved_year_pages`), which lists and
/// sitemaps leave out.
pub fn task_tables(site: &Site, theme: &Theme, emit: Emit, moved: Emit) -> Result<(), Diagnostic> {
    let views = task_views(site);
    let per = site.config.per_page.max(1);
    let years = year_ranges(site, &views[0].ids);
    for page in moved_year_pages(site, theme, &years, per)? {
        moved(page);
    }
    let starts: HashSet<TaskId> = years.iter().map(|r| views[0].ids[r.first]).collect();
    let jobs: Vec<(&TaskView, Paged<TaskId>)> = views
        .iter()
        .flat_map(|v| {
            paginate(&v.base, &v.ids, per)
                .into_iter()
                .map(move |p| (v, p))
        })
        .collect();
    jobs.into_par_iter().try_for_each(|(v, page)| {
        let state_filters = views[1..]
            .iter()
            .map(|f| FilterLink {
                name: f.filter.as_ref().map_or(String::new(), |x| x.0.clone()),
                href: rel_href(&page.path, &f.base),
                count: f.ids.len(),
                active: std::ptr::eq(f, v),
            })
            .collect();
        let year_filters = years
            .iter()
            .map(|r| FilterLink {
                name: rows::year_name(r.year),
                href: rel_href(&page.path, &year_href(r.year, r.first, per)),
                count: r.count,
                active: false,
            })
            .collect();
        let caption = page_caption(&v.heading, &page.pager);
        let table = if v.filter.is_none() {
            let groups = Groups::ByYear {
                ids: page.items,
                starts: &starts,
            };
            rows::compact_table(site, groups, &page.root, caption)
        } else {
            rows::compact_table(site, Groups::InState(page.items), &page.root, caption)
        };
        let ctx = TasksPage {
            frame: Frame::new(site, &task_meta(v, &page.path)),
            heading: &v.heading,
            filter_label: v.filter.as_ref().map(|f| f.0.as_str()),
            active_filter: v.filter.as_ref().map(|f| f.1.as_str()),
            all_href: rel_href(&page.path, "nhiem-vu/index.html"),
            total: v.ids.len(),
            state_filters,
            year_filters,
            table,
            pager: page.pager,
        };
        emit(render(theme, "tasks.html", page.path, &ctx)?);
        Ok(())
    })
}

/// `nhiem-vu/nam-<year>/`, where each year's filter page was before the table was ordered by
/// plan year: links and bookmarks made then land on a page that sends the reader to the year's
/// range of the table (at once where the browser follows `refresh`, by its link otherwise).
fn moved_year_pages(
    site: &Site,
    theme: &Theme,
    years: &[YearRange],
    per: usize,
) -> Result<Vec<Page>, Diagnostic> {
    #[derive(Serialize)]
    struct MovedPage<'a> {
        #[serde(flatten)]
        frame: Frame<'a>,
        target: String,
        target_name: String,
    }
    years
        .iter()
        .filter_map(|r| r.year.map(|y| (y, r)))
        .map(|(y, r)| {
            let path = format!("nhiem-vu/nam-{y}/index.html");
            let name = format!("Nhiệm vụ {}", rows::year_name(r.year).to_lowercase());
            let target = year_href(r.year, r.first, per);
            let meta = PageMeta::new(path.as_str(), "nhiem-vu", &name)
                .crumb(&name)
                .under("Nhiệm vụ", "nhiem-vu/index.html")
                .indexed_as(&target);
            let ctx = MovedPage {
                frame: Frame::new(site, &meta),
                target: rel_href(&path, &target),
                target_name: name.clone(),
            };
            render(theme, "moved.html", path, &ctx)
        })
        .collect()
}

/// Where plan year `year` starts in the whole table, `first` tasks in (site-relative).
fn year_href(year: Option<i16>, first: usize, per: usize) -> String {
    let page = page_path("nhiem-vu/index.html", first / per.max(1) + 1);
    format!("{page}#{}", rows::year_anchor(year))
}

/// The year filter's link for `year` (the home page's chart links it): the tasks before it
/// in the whole table are those of later years (`task_views` orders it so).
pub fn year_link(site: &Site, year: Option<i16>) -> String {
    let first = site
        .tasks
        .iter()
        .filter(|t| site.task_year(t) > year)
        .count();
    year_href(year, first, site.config.per_page)
}

fn task_meta<'a>(v: &TaskView, path: &str) -> PageMeta<'a> {
    let meta = PageMeta::new(path, "nhiem-vu", &v.heading);
    match &v.filter {
        Some((label, _)) => meta.crumb(label).under("Nhiệm vụ", "nhiem-vu/index.html"),
        None => meta.crumb("Nhiệm vụ"),
    }
}

/// A list's caption, naming the page when there are several.
fn page_caption(name: &str, pager: &Pager) -> String {
    if pager.total > 1 {
        format!("{name} (trang {}/{})", pager.current, pager.total)
    } else {
        name.to_string()
    }
}

fn count_in(site: &Site, ids: &[TaskId], state: State) -> usize {
    ids.iter()
        .filter(|&&t| site.tasks.get(t).is_some_and(|t| t.state == state))
        .count()
}

fn is_active(site: &Site, u: UnitId) -> bool {
    site.duties
        .get(u)
        .is_some_and(|d| !d.lead.is_empty() || !d.support.is_empty())
}

#[derive(Serialize)]
struct UnitsPage<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    levels: Vec<UnitLevelGroup<'a>>,
    total: usize,
}

#[derive(Serialize)]
struct UnitLevelGroup<'a> {
    key: &'static str,
    name: &'static str,
    units: Vec<UnitCard<'a>>,
}

/// A unit in the unit list, with its counts.
#[derive(Serialize)]
struct UnitCard<'a> {
    #[serde(skip)]
    sort_key: String,
    name: &'a str,
    href: String,
    parent: Option<&'a str>,
    registered: bool,
    lead: usize,
    support: usize,
    overdue: usize,
}

/// `/don-vi/`: units with duties, by level.
pub fn unit_list(site: &Site, theme: &Theme) -> Result<Page, Diagnostic> {
    let meta = PageMeta::new("don-vi/index.html", "don-vi", "Đơn vị");
    let root = root_for(&meta.path);
    let mut levels = Vec::new();
    for (level, code, label) in UnitLevel::ALL {
        let mut units: Vec<UnitCard> = site
            .units
            .iter()
            .enumerate()
            .filter(|(i, u)| u.level == level && is_active(site, *i))
            .map(|(i, u)| UnitCard {
                sort_key: crate::text::fold(&u.name),
                name: &u.name,
                href: format!("{root}{}", unit_path(site, i)),
                parent: u.parent.as_deref(),
                registered: u.registered,
                lead: site.duties[i].lead.len(),
                support: site.duties[i].support.len(),
                overdue: count_in(site, &site.duties[i].lead, State::QuaHan),
            })
            .collect();
        if units.is_empty() {
            continue;
        }
        units.sort_by(|a, b| a.sort_key.cmp(&b.sort_key));
        levels.push(UnitLevelGroup {
            key: code,
            name: label,
            units,
        });
    }
    let ctx = UnitsPage {
        frame: Frame::new(site, &meta),
        levels,
        total: (0..site.units.len())
            .filter(|&u| is_active(site, u))
            .count(),
    };
    render(theme, "units.html", meta.path.clone(), &ctx)
}

#[derive(Serialize)]
struct UnitPage<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    unit: UnitView<'a>,
    /// Coming and overdue deadlines the unit leads (first page only).
    upcoming: Option<CompactTable>,
    progress_html: Option<String>,
    /// The unit's per-year calendar archives (first page only).
    ics_archives: Vec<crate::render::ics::ArchiveLink>,
    sections: Vec<UnitSection>,
    pager: Pager,
}

/// The unit as its page describes it.
#[derive(Serialize)]
struct UnitView<'a> {
    name: &'a str,
    level_label: &'static str,
    parent: Option<&'a str>,
    aliases: &'a [String],
    registered: bool,
    lead: usize,
    support: usize,
    overdue: usize,
    due_soon: usize,
    ics: String,
    webcal: String,
    /// The current tasks' CSV and XLSX, each part of them.
    downloads: Vec<Download>,
}

/// A file of the unit's current tasks, as its page links it.
#[derive(Serialize)]
struct Download {
    href: String,
    /// `CSV`, `XLSX`, with `phần 2/3` when the file is cut into parts.
    label: String,
}

/// The unit's CSV and XLSX files of current tasks (from its `files`), linked from `path`.
fn downloads(files: &[crate::render::parts::Part], path: &str) -> Vec<Download> {
    files
        .iter()
        .filter(|f| f.set == crate::render::parts::CURRENT_TASKS)
        .map(|f| {
            let format = f.format.to_uppercase();
            Download {
                href: rel_href(path, &f.path),
                label: match crate::render::parts::part_label(f.part, f.parts) {
                    Some(of) => format!("{format} {of}"),
                    None => format,
                },
            }
        })
        .collect()
}

/// The tasks of one role (lead or support) on one page of a unit.
#[derive(Serialize)]
struct UnitSection {
    key: &'static str,
    name: &'static str,
    total: usize,
    table: CompactTable,
}

/// Most coming deadlines a unit page lists.
const UNIT_UPCOMING: usize = 20;

/// `/don-vi/<slug>/` (paginated): what the unit leads, then what it supports, by document.
/// `ics` is the unit's calendar plan, whose archives the first page links; every page links
/// the unit's CSV and XLSX `files`.
pub fn unit_pages(
    site: &Site,
    theme: &Theme,
    u: UnitId,
    ics: &crate::render::ics::CalendarPlan,
    files: &[crate::render::parts::Part],
    emit: Emit,
) -> Result<(), Diagnostic> {
    let duty = &site.duties[u];
    let items: Vec<(bool, TaskId)> = duty
        .lead
        .iter()
        .map(|&t| (true, t))
        .chain(duty.support.iter().map(|&t| (false, t)))
        .collect();
    let base = unit_path(site, u);
    // Counted once: every page shows them, and a Sở at national scale has thousands of pages
    // and lead tasks (counted per page, this was 40% of the unit stage at 100,000 documents).
    let counts = StateCounts {
        overdue: count_in(site, &duty.lead, State::QuaHan),
        due_soon: count_in(site, &duty.lead, State::SapDenHan),
    };
    // A large unit (a Sở at national scale) has hundreds of pages: render them in parallel.
    paginate(&base, &items, site.config.per_page)
        .into_par_iter()
        .try_for_each(|page| {
            let unit = &site.units[u];
            let meta = PageMeta::new(page.path.as_str(), "don-vi", &unit.name)
                .under("Đơn vị", "don-vi/index.html")
                .describe(Some(format!(
                    "Nhiệm vụ cải cách hành chính của {}",
                    unit.name
                )));
            let ctx = UnitPage {
                frame: Frame::new(site, &meta),
                unit: unit_view(site, u, counts, &base, &page.path, files),
                upcoming: (page.n == 1).then(|| unit_upcoming(site, u, &page.root)),
                progress_html: (page.n == 1).then(|| crate::render::progress::unit_html(site, u)),
                ics_archives: if page.n == 1 {
                    ics.archive_links()
                } else {
                    Vec::new()
                },
                sections: unit_sections(site, u, page.items, &page.root, &page.pager),
                pager: page.pager,
            };
            emit(render(theme, "unit.html", page.path, &ctx)?);
            Ok(())
        })
}

/// How many of a unit's lead tasks are overdue and due soon.
#[derive(Clone, Copy)]
struct StateCounts {
    overdue: usize,
    due_soon: usize,
}

/// The unit on its page at `path`; its files are linked from there (`lich.ics` on the first
/// page, `../lich.ics` on later ones).
fn unit_view<'a>(
    site: &'a Site,
    u: UnitId,
    counts: StateCounts,
    base: &str,
    path: &str,
    files: &[crate::render::parts::Part],
) -> UnitView<'a> {
    let unit = &site.units[u];
    let duty = &site.duties[u];
    let dir = base.trim_end_matches("index.html");
    let ics = rel_href(path, &format!("{dir}lich.ics"));
    UnitView {
        name: &unit.name,
        level_label: unit.level.label(),
        parent: unit.parent.as_deref(),
        aliases: &unit.aliases,
        registered: unit.registered,
        lead: duty.lead.len(),
        support: duty.support.len(),
        overdue: counts.overdue,
        due_soon: counts.due_soon,
        webcal: webcal_url(site, &format!("{dir}lich.ics")).unwrap_or_else(|| ics.clone()),
        ics,
        downloads: downloads(files, path),
    }
}

/// The unit's overdue and soon-due lead tasks, by deadline.
fn unit_upcoming(site: &Site, u: UnitId, root: &str) -> CompactTable {
    let mut due: Vec<(Option<jiff::civil::Date>, TaskId)> = site.duties[u]
        .lead
        .iter()
        .filter(|&&t| matches!(site.tasks[t].state, State::QuaHan | State::SapDenHan))
        .map(|&t| (site.tasks[t].due.end, t))
        .collect();
    due.sort();
    due.truncate(UNIT_UPCOMING);
    let caption = "Lịch hạn sắp tới và quá hạn".to_string();
    rows::compact_table(site, Groups::ByDate(&due), root, caption)
}

/// The lead and the support tasks of one page, each a compact table grouped by document.
fn unit_sections(
    site: &Site,
    u: UnitId,
    items: &[(bool, TaskId)],
    root: &str,
    pager: &Pager,
) -> Vec<UnitSection> {
    let duty = &site.duties[u];
    let mut sections = Vec::new();
    for (is_lead, name, key, total) in [
        (true, "Nhiệm vụ chủ trì", "chu-tri", duty.lead.len()),
        (false, "Nhiệm vụ phối hợp", "phoi-hop", duty.support.len()),
    ] {
        let ids: Vec<TaskId> = items
            .iter()
            .filter(|(l, _)| *l == is_lead)
            .map(|(_, t)| *t)
            .collect();
        if ids.is_empty() {
            continue;
        }
        let caption = page_caption(&format!("{name} của {}", site.units[u].name), pager);
        sections.push(UnitSection {
            key,
            name,
            total,
            table: rows::compact_table(site, Groups::ByDocument(&ids), root, caption),
        });
    }
    sections
}
