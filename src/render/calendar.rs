//! Deadline calendars: `/lich/` (overview: overdue, upcoming, months), one page per month with
//! a real month grid and a list view, and the subscribable ICS files (`/lich.ics` and one per
//! unit). Events are all-day on the deadline day; recurring tasks carry their RRULE.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rayon::prelude::*;
use serde_json::{json, Value};

use crate::diag::Diagnostic;
use crate::model::{Site, State, TaskId};
use crate::render::pages::{base_context, Emit, Page, PageMeta};
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
pub fn pages(site: &Site, theme: &Theme, emit: Emit) -> Result<(), Diagnostic> {
    let months = by_month(site);
    emit(overview(site, theme, &months)?);
    let keys: Vec<(i16, i8)> = months.keys().copied().collect();
    let list: Vec<(&(i16, i8), &Vec<TaskId>)> = months.iter().collect();
    list.par_iter()
        .enumerate()
        .try_for_each(|(i, (&(y, m), ids))| {
            let prev = i.checked_sub(1).and_then(|p| keys.get(p)).copied();
            let next = keys.get(i + 1).copied();
            month_pages(site, theme, y, m, ids, prev, next, emit)
        })
}

fn overview(
    site: &Site,
    theme: &Theme,
    months: &BTreeMap<(i16, i8), Vec<TaskId>>,
) -> Result<Page, Diagnostic> {
    let path = "lich/index.html".to_string();
    let root = root_for(&path);
    let limit = site
        .today
        .checked_add(jiff::Span::new().days(UPCOMING_DAYS))
        .unwrap_or(site.today);
    let mut overdue: Vec<TaskId> = (0..site.tasks.len())
        .filter(|&i| site.tasks[i].state == State::QuaHan)
        .collect();
    overdue.sort_by_key(|&i| (site.tasks[i].due.end, i));
    let overdue_total = overdue.len();
    let mut upcoming: Vec<TaskId> = (0..site.tasks.len())
        .filter(|&i| {
            let t = &site.tasks[i];
            t.state != State::HoanThanh && t.due.end.is_some_and(|e| e >= site.today && e <= limit)
        })
        .collect();
    upcoming.sort_by_key(|&i| (site.tasks[i].due.end, i));
    let upcoming_total = upcoming.len();
    let undated = site.tasks.iter().filter(|t| t.due.end.is_none()).count();
    let per = site.config.per_page;
    let rows = |ids: &[TaskId]| -> Vec<TaskRow> {
        ids.iter()
            .take(per)
            .filter_map(|&i| task_row(site, i, &root, true))
            .collect()
    };
    let mut years: BTreeMap<i16, Vec<Value>> = BTreeMap::new();
    for (&(y, m), ids) in months {
        years.entry(y).or_default().push(json!({"name": MONTHS_VI[(m - 1) as usize], "href": format!("{root}{}", month_path(y, m)), "count": ids.len()}));
    }
    let years: Vec<Value> = years
        .into_iter()
        .rev()
        .map(|(y, months)| json!({"year": y, "months": months}))
        .collect();
    let meta = PageMeta {
        path: path.clone(),
        title: Some("Lịch hạn".into()),
        section: "lich",
        crumbs: vec![("Lịch hạn".into(), None)],
        description: None,
    };
    let mut ctx = base_context(site, &meta);
    ctx.insert("overdue".into(), json!(rows(&overdue)));
    ctx.insert("overdue_total".into(), json!(overdue_total));
    ctx.insert("upcoming".into(), json!(rows(&upcoming)));
    ctx.insert("upcoming_total".into(), json!(upcoming_total));
    ctx.insert("upcoming_days".into(), json!(UPCOMING_DAYS));
    ctx.insert("undated".into(), json!(undated));
    ctx.insert("years".into(), json!(years));
    ctx.insert("ics".into(), json!(format!("{root}lich.ics")));
    // issue 16: the per-year ICS archives beside the subscribed window.
    ctx.insert(
        "ics_archives".into(),
        json!(crate::render::ics::archive_links(site, None)),
    );
    ctx.insert(
        "webcal".into(),
        json!(crate::render::pages::webcal_url(site, "lich.ics")),
    );
    let html = theme.render("calendar.html", &Value::Object(ctx))?;
    Ok((path, html))
}

#[allow(clippy::too_many_arguments)]
fn month_pages(
    site: &Site,
    theme: &Theme,
    y: i16,
    m: i8,
    ids: &[TaskId],
    prev: Option<(i16, i8)>,
    next: Option<(i16, i8)>,
    emit: Emit,
) -> Result<(), Diagnostic> {
    let base = month_path(y, m);
    let per = site.config.per_page;
    let total_pages = ids.len().div_ceil(per).max(1);
    let title = format!("{} năm {y}", MONTHS_VI[(m - 1) as usize]);
    // The grid is the same on every page of the month (all pages sit at the same depth).
    let mut weeks: Option<Value> = None;
    for p in 1..=total_pages {
        let path = page_path(&base, p);
        let root = root_for(&path);
        let meta = PageMeta {
            path: path.clone(),
            title: Some(format!("Lịch hạn {}", title.to_lowercase())),
            section: "lich",
            crumbs: vec![
                ("Lịch hạn".into(), Some("lich/index.html".into())),
                (title.clone(), None),
            ],
            description: None,
        };
        let mut ctx = base_context(site, &meta);
        ctx.insert("title".into(), json!(title));
        if weeks.is_none() {
            weeks = Some(json!(grid(site, y, m, ids, &root)));
        }
        ctx.insert("weeks".into(), weeks.clone().unwrap_or_default());
        let mut items = String::new();
        for &i in ids.iter().skip((p - 1) * per).take(per) {
            crate::render::rows::push_due_item(&mut items, site, i, &root);
        }
        ctx.insert("tasks_html".into(), json!(items));
        ctx.insert("total".into(), json!(ids.len()));
        ctx.insert("prev".into(), json!(prev.map(|(py, pm)| json!({"href": format!("{root}{}", month_path(py, pm)), "name": format!("{} năm {py}", MONTHS_VI[(pm - 1) as usize])}))));
        ctx.insert("next".into(), json!(next.map(|(ny, nm)| json!({"href": format!("{root}{}", month_path(ny, nm)), "name": format!("{} năm {ny}", MONTHS_VI[(nm - 1) as usize])}))));
        ctx.insert("pager".into(), json!(pager(&base, p, total_pages, &root)));
        let html = theme.render("calendar_month.html", &Value::Object(ctx))?;
        emit((path, html));
    }
    Ok(())
}

/// The month as weeks of seven day cells (Monday first), each with its first few tasks.
fn grid(site: &Site, y: i16, m: i8, ids: &[TaskId], root: &str) -> Vec<Vec<Value>> {
    let Ok(first) = Date::new(y, m, 1) else {
        return Vec::new();
    };
    let days = first.days_in_month();
    let lead_blanks = first.weekday().to_monday_zero_offset() as usize;
    let mut per_day: BTreeMap<i8, Vec<(TaskId, &str)>> = BTreeMap::new();
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
    let mut cells: Vec<Value> = vec![Value::Null; lead_blanks];
    for day in 1..=days {
        let list = per_day.get(&day).map(Vec::as_slice).unwrap_or(&[]);
        let items: Vec<Value> = list
            .iter()
            .take(PER_DAY_CELL)
            .filter_map(|&(i, mark)| task_row(site, i, root, true).map(|r| (r, mark)))
            .map(|(r, mark)| json!({"href": r.href, "text": shorten(&r.text, 60), "state": r.state, "state_label": r.state_label, "mark": mark}))
            .collect();
        let date = Date::new(y, m, day)
            .map(|d| d.to_string())
            .unwrap_or_default();
        cells.push(json!({"day": day, "date": date, "items": items, "more": list.len().saturating_sub(PER_DAY_CELL), "count": list.len(), "today": date == site.today.to_string()}));
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(Value::Null);
    }
    cells.chunks(7).map(<[Value]>::to_vec).collect()
}
