//! Deadline calendars: `/lich/` (overview: overdue, upcoming, months), one page per month with
//! a real month grid and a list view, and the subscribable ICS files (`/lich.ics` and one per
//! unit). Events are all-day on the deadline day; recurring tasks carry their RRULE.
//!
//! The lists are compact rows grouped by day ([`rows::compact_table`]); the month grid is on the
//! first page of a month only (its later pages continue the list). The grid shows every task
//! of the month; the list, those due on days of their own. A month's repeating tasks are the
//! same work each time: they are listed apart (`lich/<month>/dinh-ky/`), grouped by deadline
//! and days, a row per document naming its tasks by label ([`rows::repeats_body`]).

use std::collections::BTreeMap;

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

use crate::diag::Diagnostic;
use crate::model::{Site, State, TaskId};
use crate::render::frame::{render, Frame, PageMeta};
use crate::render::pages::{Emit, Page};
use crate::render::rows::{self, CompactTable, Groups};
use crate::render::spans::{self, Shape};
use crate::render::templates::Theme;
use crate::render::view::*;

/// Most tasks listed in one day cell of a month grid; the rest are counted.
const PER_DAY_CELL: usize = 3;
/// Days ahead the overview lists as upcoming.
const UPCOMING_DAYS: i32 = 60;

const MONTHS_VI: [&str; 12] = [
    "Tháng 1",
    "Tháng 2",
    "Tháng 3",
    "Tháng 4",
    "Tháng 5",
    "Tháng 6",
    "Tháng 7",
    "Tháng 8",
    "Tháng 9",
    "Tháng 10",
    "Tháng 11",
    "Tháng 12",
];

/// Most months one task is listed in (a daily report over a ten-year plan stays bounded).
const MAX_MONTHS: usize = 240;

/// How task `i`'s deadline lies on the calendar, repetitions running to its plan's end.
fn task_shape(site: &Site, i: TaskId) -> Option<Shape> {
    let t = site.tasks.get(i)?;
    spans::shape(&t.due, site.plan_period_end(t.doc))
}

fn month_path(y: i16, m: i8) -> String {
    format!("lich/{y}-{m:02}/index.html")
}

fn month_name(m: i8) -> &'static str {
    MONTHS_VI[usize::try_from(m - 1).unwrap_or(0).min(11)]
}

/// Tasks by the month of their deadline (end date), sorted by date then id.
fn by_month(site: &Site) -> BTreeMap<(i16, i8), Vec<TaskId>> {
    let mut map: BTreeMap<(i16, i8), Vec<TaskId>> = BTreeMap::new();
    for i in 0..site.tasks.len() {
        // A repetition is listed in every month it falls in; a span in its first and last.
        for key in task_shape(site, i).map_or_else(Vec::new, |s| spans::months(&s, MAX_MONTHS)) {
            map.entry(key).or_default().push(i);
        }
    }
    for ids in map.values_mut() {
        ids.sort_by_key(|&i| (site.tasks[i].due.end, i));
    }
    map
}

/// All calendar pages.
pub fn pages(
    site: &Site,
    theme: &Theme,
    ics: &crate::render::ics::CalendarPlan,
    emit: Emit,
) -> Result<(), Diagnostic> {
    let months = by_month(site);
    emit(overview(site, theme, &months, ics)?);
    let keys: Vec<(i16, i8)> = months.keys().copied().collect();
    let list: Vec<(&(i16, i8), &Vec<TaskId>)> = months.iter().collect();
    list.par_iter()
        .enumerate()
        .try_for_each(|(i, (&(y, m), ids))| {
            let month = Month {
                y,
                m,
                ids,
                prev: i.checked_sub(1).and_then(|p| keys.get(p)).copied(),
                next: keys.get(i + 1).copied(),
            };
            month_pages(site, theme, &month, emit)
        })
}

#[derive(Serialize)]
struct OverviewPage<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    overdue: CompactTable,
    overdue_total: usize,
    upcoming: CompactTable,
    upcoming_total: usize,
    upcoming_days: i32,
    undated: usize,
    years: Vec<YearMonths>,
    ics: String,
    /// The per-year archives beside the subscribed window (`lich/nam-<year>.ics`).
    ics_archives: Vec<crate::render::ics::ArchiveLink>,
    webcal: Option<String>,
}

#[derive(Serialize)]
struct YearMonths {
    year: i16,
    months: Vec<MonthLink>,
}

#[derive(Serialize)]
struct MonthLink {
    name: String,
    href: String,
    count: usize,
}

fn overview(
    site: &Site,
    theme: &Theme,
    months: &BTreeMap<(i16, i8), Vec<TaskId>>,
    ics: &crate::render::ics::CalendarPlan,
) -> Result<Page, Diagnostic> {
    let meta = PageMeta::new("lich/index.html", "lich", "Lịch hạn");
    let root = root_for(&meta.path);
    let limit = site
        .today
        .checked_add(jiff::Span::new().days(UPCOMING_DAYS))
        .unwrap_or(site.today);
    let by_due = |keep: &dyn Fn(&crate::model::Task) -> bool| -> Vec<(Option<Date>, TaskId)> {
        let mut v: Vec<(Option<Date>, TaskId)> = (0..site.tasks.len())
            .filter(|&i| keep(&site.tasks[i]))
            .map(|i| (site.tasks[i].due.end, i))
            .collect();
        v.sort();
        v
    };
    let overdue = by_due(&|t| t.state == State::QuaHan);
    let upcoming = by_due(&|t| {
        t.state != State::HoanThanh && t.due.end.is_some_and(|e| e >= site.today && e <= limit)
    });
    let per = site.config.per_page;
    let table = |items: &[(Option<Date>, TaskId)], caption: &str| {
        let shown = &items[..items.len().min(per)];
        rows::compact_table(site, Groups::ByDate(shown), &root, caption.to_string())
    };
    let mut years: BTreeMap<i16, Vec<MonthLink>> = BTreeMap::new();
    for (&(y, m), ids) in months {
        years.entry(y).or_default().push(MonthLink {
            name: month_name(m).to_string(),
            href: format!("{root}{}", month_path(y, m)),
            count: ids.len(),
        });
    }
    let ctx = OverviewPage {
        frame: Frame::new(site, &meta),
        overdue: table(&overdue, "Nhiệm vụ quá hạn"),
        overdue_total: overdue.len(),
        upcoming: table(&upcoming, "Nhiệm vụ sắp đến hạn"),
        upcoming_total: upcoming.len(),
        upcoming_days: UPCOMING_DAYS,
        undated: site.tasks.iter().filter(|t| t.due.end.is_none()).count(),
        years: years
            .into_iter()
            .rev()
            .map(|(year, months)| YearMonths { year, months })
            .collect(),
        ics: format!("{root}lich.ics"),
        ics_archives: ics.archive_links(),
        webcal: crate::render::pages::webcal_url(site, "lich.ics"),
    };
    render(theme, "calendar.html", meta.path.clone(), &ctx)
}

/// One month's tasks and its neighbours with tasks.
struct Month<'a> {
    y: i16,
    m: i8,
    ids: &'a [TaskId],
    prev: Option<(i16, i8)>,
    next: Option<(i16, i8)>,
}

#[derive(Serialize)]
struct MonthPage<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    title: String,
    /// The month grid (first page only).
    weeks: Option<Vec<Vec<Option<DayCell>>>>,
    /// On later pages, the first page, where the grid is.
    grid_href: Option<String>,
    table: CompactTable,
    total: usize,
    /// Where the month's repeating tasks are listed, if it has any.
    repeats: Option<RepeatsLink>,
    prev: Option<MonthLink>,
    next: Option<MonthLink>,
    pager: Pager,
}

#[derive(Serialize)]
struct RepeatsLink {
    href: String,
    count: usize,
}

/// A page of a month's repeating tasks.
#[derive(Serialize)]
struct RepeatsPage<'a> {
    #[serde(flatten)]
    frame: Frame<'a>,
    title: String,
    month_href: String,
    /// Repeating tasks due in the month.
    count: usize,
    /// The table's rows, already HTML.
    body: String,
    pager: Pager,
}

/// One day of the month grid.
#[derive(Serialize)]
struct DayCell {
    day: i8,
    date: String,
    items: Vec<CellItem>,
    more: usize,
    count: usize,
    today: bool,
}

/// A task in a day cell: a short link, its state, and what the day is for it.
#[derive(Serialize)]
struct CellItem {
    href: String,
    text: String,
    state: &'static str,
    state_label: &'static str,
    mark: &'static str,
}

/// The pages of one month: the grid, then the tasks due that month on days of their own, by
/// day, `per_page` a page; the repeating tasks of the month are listed apart, grouped
/// ([`repeats_pages`]).
fn month_pages(site: &Site, theme: &Theme, month: &Month, emit: Emit) -> Result<(), Diagnostic> {
    let (y, m) = (month.y, month.m);
    let title = format!("{} năm {y}", month_name(m));
    // Each task under the (first) day it falls on in this month; repeats apart.
    let mut dated: Vec<(Option<Date>, TaskId)> = Vec::new();
    let mut repeats: Vec<(Vec<Date>, TaskId)> = Vec::new();
    for &i in month.ids {
        let shape = task_shape(site, i);
        let days = shape
            .as_ref()
            .map_or_else(Vec::new, |s| spans::days_in_month(s, y, m));
        match shape {
            Some(Shape::Repeats { .. }) if !days.is_empty() => repeats.push((days, i)),
            _ => dated.push((days.first().copied(), i)),
        }
    }
    dated.sort();
    repeats.sort();
    let link = |path: &str, key: Option<(i16, i8)>| {
        key.map(|(ky, km)| MonthLink {
            name: format!("{} năm {ky}", month_name(km)),
            href: rel_href(path, &month_path(ky, km)),
            count: 0,
        })
    };
    let base = month_path(y, m);
    let repeats_base = repeats_path(y, m);
    for page in paginate(&base, &dated, site.config.per_page) {
        let meta = PageMeta::new(
            page.path.as_str(),
            "lich",
            &format!("Lịch hạn {}", title.to_lowercase()),
        )
        .crumb(&title)
        .under("Lịch hạn", "lich/index.html");
        let ctx = MonthPage {
            frame: Frame::new(site, &meta),
            weeks: (page.n == 1).then(|| grid(site, y, m, month.ids, &page.root)),
            grid_href: (page.n > 1).then(|| format!("{}{base}", page.root)),
            table: rows::compact_table(
                site,
                Groups::ByDate(page.items),
                &page.root,
                format!("Nhiệm vụ có hạn riêng {}", title.to_lowercase()),
            ),
            total: month.ids.len(),
            repeats: (!repeats.is_empty()).then(|| RepeatsLink {
                href: rel_href(&page.path, &repeats_base),
                count: repeats.len(),
            }),
            prev: link(&page.path, month.prev),
            next: link(&page.path, month.next),
            pager: page.pager,
            title: title.clone(),
        };
        emit(render(theme, "calendar_month.html", page.path, &ctx)?);
    }
    if !repeats.is_empty() {
        repeats_pages(site, theme, (y, m, &title), &repeats, emit)?;
    }
    Ok(())
}

fn repeats_path(y: i16, m: i8) -> String {
    format!("lich/{y}-{m:02}/dinh-ky/index.html")
}

/// A month's repeating tasks (`repeats`: the days each falls due in the month), grouped by
/// document, deadline as written, days and state, `per_page` groups a page.
fn repeats_pages(
    site: &Site,
    theme: &Theme,
    (y, m, title): (i16, i8, &str),
    repeats: &[(Vec<Date>, TaskId)],
    emit: Emit,
) -> Result<(), Diagnostic> {
    let groups = repeat_groups(site, repeats);
    let base = repeats_path(y, m);
    for page in paginate(&base, &groups, site.config.per_page) {
        let meta = PageMeta::new(
            page.path.as_str(),
            "lich",
            &format!("Nhiệm vụ định kỳ {}", title.to_lowercase()),
        )
        .crumb("Nhiệm vụ định kỳ")
        .under("Lịch hạn", "lich/index.html")
        .under(title, &month_path(y, m));
        let ctx = RepeatsPage {
            frame: Frame::new(site, &meta),
            title: title.to_string(),
            month_href: rel_href(&page.path, &month_path(y, m)),
            count: repeats.len(),
            body: rows::repeats_body(site, page.items, &page.root),
            pager: page.pager,
        };
        emit(render(theme, "calendar_repeats.html", page.path, &ctx)?);
    }
    Ok(())
}

/// `repeats` as rows: one per days in the month, deadline as written, state (and the last day
/// a state may move with, see `rows`) and document, in that order.
fn repeat_groups(site: &Site, repeats: &[(Vec<Date>, TaskId)]) -> Vec<rows::RepeatGroup> {
    type Key<'s> = (Vec<Date>, &'s str, &'static str, Option<Date>, usize);
    let mut map: BTreeMap<Key, Vec<TaskId>> = BTreeMap::new();
    for (days, i) in repeats {
        let Some(t) = site.tasks.get(*i) else {
            continue;
        };
        let key = (
            days.clone(),
            &*t.due.text,
            rows::state_class(t.state),
            t.due.end,
            t.doc,
        );
        map.entry(key).or_default().push(*i);
    }
    map.into_iter()
        .map(|((days, .., doc), ids)| rows::RepeatGroup { doc, ids, days })
        .collect()
}

/// The month as weeks of seven day cells (Monday first), each with its first few tasks.
fn grid(site: &Site, y: i16, m: i8, ids: &[TaskId], root: &str) -> Vec<Vec<Option<DayCell>>> {
    let Ok(first) = Date::new(y, m, 1) else {
        return Vec::new();
    };
    let lead_blanks = first.weekday().to_monday_zero_offset() as usize;
    let mut per_day: BTreeMap<i8, Vec<(TaskId, &'static str)>> = BTreeMap::new();
    for &i in ids {
        let Some(shape) = task_shape(site, i) else {
            continue;
        };
        for day in spans::days_in_month(&shape, y, m) {
            let mark = match &shape {
                Shape::Span(s, _) if *s == day => "bắt đầu",
                Shape::Span(..) => "kết thúc",
                Shape::Repeats { .. } => "định kỳ",
                Shape::Open(_) => "bắt đầu, không thời hạn",
                Shape::Day(_) => "",
            };
            per_day.entry(day.day()).or_default().push((i, mark));
        }
    }
    let mut cells: Vec<Option<DayCell>> = (0..lead_blanks).map(|_| None).collect();
    for day in 1..=first.days_in_month() {
        let list = per_day.get(&day).map(Vec::as_slice).unwrap_or(&[]);
        let date = Date::new(y, m, day).ok();
        cells.push(Some(DayCell {
            day,
            date: date.map(|d| d.to_string()).unwrap_or_default(),
            items: list
                .iter()
                .take(PER_DAY_CELL)
                .filter_map(|&(i, mark)| cell_item(site, i, mark, root))
                .collect(),
            more: list.len().saturating_sub(PER_DAY_CELL),
            count: list.len(),
            today: date == Some(site.today),
        }));
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    let mut weeks = Vec::new();
    let mut it = cells.into_iter().peekable();
    while it.peek().is_some() {
        weeks.push(it.by_ref().take(7).collect());
    }
    weeks
}

fn cell_item(site: &Site, i: TaskId, mark: &'static str, root: &str) -> Option<CellItem> {
    let t = site.tasks.get(i)?;
    let d = site.documents.get(t.doc)?;
    Some(CellItem {
        href: format!("{root}{}#{}", doc_path(d), t.anchor),
        text: shorten(&t.text, rows::SHORT_TEXT),
        state: rows::state_class(t.state),
        state_label: rows::list_label(t.state),
        mark,
    })
}
