//! The plan timeline on a document page: a Gantt-like inline SVG with one bar per dated task,
//! grouped by the task's section, and today marked; readable without JavaScript and in print.
//!
//! Takes the site and a document; returns the template context for `partials/timeline.html`
//! (the drawing's geometry, precomputed here; its text equivalent is the document's task table,
//! whose deadline cells give each task's [`reading`]),
//! or `None` when the document has no dated task. The drawing is bounded: at most [`MAX_ROWS`]
//! task rows (the rest are counted), at most [`MAX_TICKS`] marks per repeating task, and a time
//! axis clamped to [`MAX_YEARS`] years.

use jiff::civil::Date;
use serde::Serialize;

use crate::model::{DocId, Site, TaskId};
use crate::render::spans::{self, Shape};
use crate::render::view::{date_vi, shorten};

/// Most task rows drawn (and listed in the text equivalent).
pub const MAX_ROWS: usize = 60;
/// Most occurrences drawn for one repeating task.
const MAX_TICKS: usize = 120;
/// Longest time axis, in years.
const MAX_YEARS: i16 = 15;
/// Geometry, in SVG user units (the SVG scales to its container).
const WIDTH: f64 = 960.0;
const LABEL_W: f64 = 230.0;
const ROW_H: f64 = 18.0;
const GROUP_H: f64 = 22.0;
const AXIS_H: f64 = 28.0;

struct Row {
    task: TaskId,
    shape: Shape,
}

/// An SVG coordinate, rounded to one decimal and written without a trailing `.0`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct N(f64);

impl Serialize for N {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.fract() == 0.0 && self.0.abs() < 1e9 {
            s.serialize_i64(self.0 as i64)
        } else {
            s.serialize_f64(self.0)
        }
    }
}

/// One decimal is plenty for SVG coordinates and keeps the output short and stable.
fn r1(v: f64) -> N {
    N((v * 10.0).round() / 10.0)
}

/// The context of `partials/timeline.html`.
#[derive(Serialize)]
pub struct Timeline {
    pub id: String,
    pub width: N,
    pub height: N,
    pub ticks: Vec<Tick>,
    pub today: Option<TodayMark>,
    pub groups: Vec<GroupLabel>,
    pub bars: Vec<Bar>,
    /// Tasks drawn, and those left out past [`MAX_ROWS`] or for having no date.
    pub drawn: usize,
    pub hidden: usize,
    pub undated: usize,
    pub from_vi: String,
    pub to_vi: String,
    /// Today, when it is past the axis.
    pub today_after: Option<String>,
}

/// A year (or month) line of the axis.
#[derive(Serialize)]
pub struct Tick {
    pub x: N,
    pub label: String,
    pub y2: N,
}

#[derive(Serialize)]
pub struct TodayMark {
    pub x: N,
    pub label: String,
}

/// A section heading of the drawing.
#[derive(Serialize)]
pub struct GroupLabel {
    pub name: String,
    pub y: N,
}

/// One task's row: its label, a tooltip, a repetition's band (light, behind) and its mark —
/// one bar or day mark (`mark`), or a repetition's ticks as one path (`ticks`, SVG path data:
/// a `<rect>` per tick was most of a plan page's drawing).
#[derive(Serialize)]
pub struct Bar {
    pub text_y: N,
    pub label: String,
    pub title: String,
    pub state: &'static str,
    pub band: Option<Mark>,
    pub band_fill: &'static str,
    pub fill: &'static str,
    pub mark: Option<Mark>,
    pub ticks: String,
}

#[derive(Serialize)]
pub struct Mark {
    pub x: N,
    pub y: N,
    pub w: N,
    pub h: N,
    pub class: &'static str,
}

/// The timeline context of document `doc`, or `None` when none of its tasks has a date.
pub fn context(site: &Site, doc: DocId) -> Option<Timeline> {
    let d = site.documents.get(doc)?;
    let plan_end = site.plan_period_end(doc);
    let dated: Vec<Row> = d
        .tasks
        .iter()
        .filter_map(|&i| {
            let t = site.tasks.get(i)?;
            Some(Row {
                task: i,
                shape: spans::shape(&t.due, plan_end)?,
            })
        })
        .collect();
    if dated.is_empty() {
        return None;
    }
    let rows = &dated[..dated.len().min(MAX_ROWS)];
    let (from, to) = axis_bounds(rows, plan_end, site.today)?;
    let scale = Scale::new(from, to);
    let mut y = AXIS_H;
    let mut groups = Vec::new();
    let mut bars = Vec::new();
    let mut current: Option<&str> = None;
    for row in rows {
        let Some(t) = site.tasks.get(row.task) else {
            continue;
        };
        let group = t.group.as_deref().unwrap_or("Nhiệm vụ");
        if current != Some(group) {
            groups.push(GroupLabel {
                name: shorten(group, 110),
                y: r1(y + GROUP_H - 7.0),
            });
            y += GROUP_H;
            current = Some(group);
        }
        let label = format!("{} {}", t.label, t.text);
        let (band, mut marks) = draw(&row.shape, &scale, y);
        let ticks = if matches!(row.shape, Shape::Repeats { .. }) {
            tick_path(&std::mem::take(&mut marks))
        } else {
            String::new()
        };
        bars.push(Bar {
            band,
            band_fill: fill("repeat-band", ""),
            text_y: r1(y + ROW_H - 5.0),
            label: shorten(&label, 34),
            // The label and text are drawn beside it and in the task table; the tooltip
            // adds the reading.
            title: format!("{} — {}", t.label, reading(&row.shape)),
            state: t.state.code(),
            fill: fill(main_class(&row.shape), t.state.code()),
            mark: marks.pop(),
            ticks,
        });
        y += ROW_H;
    }
    let height = y + 6.0;
    Some(Timeline {
        id: format!("tl-{}", d.slug),
        width: N(WIDTH),
        height: r1(height),
        ticks: scale.ticks(height),
        today: (site.today >= from && site.today <= to).then(|| TodayMark {
            x: r1(scale.x(site.today)),
            label: format!("Hôm nay {}", date_vi(site.today)),
        }),
        groups,
        drawn: bars.len(),
        bars,
        hidden: dated.len().saturating_sub(MAX_ROWS),
        undated: d.tasks.len() - dated.len(),
        from_vi: date_vi(from),
        to_vi: date_vi(to),
        today_after: (site.today > to).then(|| date_vi(site.today)),
    })
}

/// A deadline's shape in words ("định kỳ, 8 lần từ … đến …"); the task table of the document
/// page gives it beside the deadline as written, as the drawing's text equivalent.
pub fn reading(shape: &Shape) -> String {
    match shape {
        Shape::Day(d) => format!("hạn {}", date_vi(*d)),
        Shape::Span(s, e) => format!("từ {} đến {}", date_vi(*s), date_vi(*e)),
        Shape::Open(s) => format!("từ {}, không có thời hạn kết thúc", date_vi(*s)),
        Shape::Repeats { first, until, .. } => format!(
            "định kỳ, {} lần từ {} đến {}",
            occurrences(shape).len(),
            date_vi(*first),
            date_vi(*until)
        ),
    }
}

/// Every day a repetition falls on, over at most [`MAX_YEARS`] years.
fn occurrences(shape: &Shape) -> Vec<Date> {
    spans::months(shape, 12 * usize::from(MAX_YEARS.unsigned_abs()))
        .into_iter()
        .flat_map(|(y, m)| spans::days_in_month(shape, y, m))
        .collect()
}

/// The axis: from the earliest to the latest day drawn (today included when near), at most
/// [`MAX_YEARS`] years from the start.
fn axis_bounds(rows: &[Row], plan_end: Option<Date>, today: Date) -> Option<(Date, Date)> {
    let mut lo: Option<Date> = None;
    let mut hi: Option<Date> = None;
    for r in rows {
        let (a, b) = match &r.shape {
            Shape::Day(d) => (*d, *d),
            Shape::Span(s, e) => (*s, *e),
            Shape::Repeats { first, until, .. } => (*first, *until),
            Shape::Open(s) => (*s, plan_end.filter(|p| p > s).unwrap_or(*s)),
        };
        lo = Some(lo.map_or(a, |x| x.min(a)));
        hi = Some(hi.map_or(b, |x| x.max(b)));
    }
    let (lo, hi) = (lo?, hi?);
    // Whole years read best; today joins the axis when it is within a year of it.
    let mut from = Date::new(lo.year(), 1, 1).ok()?;
    let mut to = Date::new(hi.year(), 12, 31).ok()?;
    if today.year() + 1 >= from.year() && today.year() <= to.year() + 1 {
        from = from.min(Date::new(today.year(), 1, 1).ok()?);
        to = to.max(Date::new(today.year(), 12, 31).ok()?);
    }
    let cap = Date::new(from.year().saturating_add(MAX_YEARS - 1), 12, 31).ok()?;
    Some((from, to.min(cap)))
}

struct Scale {
    from: Date,
    to: Date,
    days: f64,
}

impl Scale {
    fn new(from: Date, to: Date) -> Scale {
        let days = (to - from).get_days().max(1) as f64 + 1.0;
        Scale { from, to, days }
    }

    /// x of the start of `d`, clamped to the plot.
    fn x(&self, d: Date) -> f64 {
        let d = d.clamp(self.from, self.to.tomorrow().unwrap_or(self.to));
        let offset = (d - self.from).get_days() as f64;
        LABEL_W + offset / self.days * (WIDTH - 8.0 - LABEL_W)
    }

    /// Year marks (or months when the axis is one year), each with its label.
    fn ticks(&self, height: f64) -> Vec<Tick> {
        let years = self.to.year() - self.from.year() + 1;
        let mut out = Vec::new();
        if years <= 1 {
            for m in 1..=12 {
                if let Ok(d) = Date::new(self.from.year(), m, 1) {
                    out.push(Tick {
                        x: r1(self.x(d)),
                        label: format!("T{m}"),
                        y2: r1(height),
                    });
                }
            }
            return out;
        }
        let step = if years > 8 { 2 } else { 1 };
        for y in (self.from.year()..=self.to.year()).step_by(step) {
            if let Ok(d) = Date::new(y, 1, 1) {
                out.push(Tick {
                    x: r1(self.x(d)),
                    label: y.to_string(),
                    y2: r1(height),
                });
            }
        }
        out
    }
}

/// The marks of one row: a bar, a day mark, or a band (returned apart) with a tick per
/// occurrence.
fn draw(shape: &Shape, scale: &Scale, y: f64) -> (Option<Mark>, Vec<Mark>) {
    let mark = |x: f64, dy: f64, w: f64, h: f64, class: &'static str| Mark {
        x: r1(x),
        y: r1(y + dy),
        w: r1(w),
        h: r1(h),
        class,
    };
    let bar = |a: Date, b: Date, class: &'static str| {
        let x0 = scale.x(a);
        let x1 = scale.x(b.tomorrow().unwrap_or(b)).max(x0 + 3.0);
        mark(x0, 4.0, x1 - x0, ROW_H - 8.0, class)
    };
    match shape {
        Shape::Day(d) => (
            None,
            vec![mark(scale.x(*d) - 4.0, 3.0, 8.0, ROW_H - 6.0, "due")],
        ),
        Shape::Span(s, e) => (None, vec![bar(*s, *e, "span")]),
        Shape::Open(s) => (None, vec![bar(*s, scale.to, "open")]),
        Shape::Repeats { first, until, .. } => {
            let ticks = occurrences(shape)
                .into_iter()
                .filter(|d| *d <= scale.to)
                .take(MAX_TICKS)
                .map(|d| mark(scale.x(d) - 1.0, 2.0, 2.0, ROW_H - 4.0, "tick"));
            (Some(bar(*first, *until, "repeat-band")), ticks.collect())
        }
    }
}

/// The class of a row's main mark (the one its colour is for).
fn main_class(shape: &Shape) -> &'static str {
    match shape {
        Shape::Day(_) => "due",
        Shape::Span(..) => "span",
        Shape::Open(_) => "open",
        Shape::Repeats { .. } => "tick",
    }
}

/// Marks as SVG path data, one closed rectangle each (`M405 52h2v14h-2z`).
fn tick_path(marks: &[Mark]) -> String {
    use std::fmt::Write;
    let mut d = String::with_capacity(marks.len() * 18);
    for m in marks {
        let _ = write!(
            d,
            "M{} {}h{}v{}h-{}z",
            fmt_n(m.x),
            fmt_n(m.y),
            fmt_n(m.w),
            fmt_n(m.h),
            fmt_n(m.w)
        );
    }
    d
}

/// A coordinate as the template writes it: no fraction when whole.
fn fmt_n(n: N) -> String {
    if n.0.fract() == 0.0 && n.0.abs() < 1e9 {
        format!("{}", n.0 as i64)
    } else {
        format!("{}", n.0)
    }
}

/// Colours as presentation attributes, so the drawing needs no stylesheet (the pages' CSP
/// allows no inline style) and prints as it shows: overdue red, done green, others blue.
fn fill(class: &str, state: &str) -> &'static str {
    match (class, state) {
        ("repeat-band", _) => "#e3ecf7",
        ("open", _) => "#a9c4e4",
        (_, "qua-han") => "#b3261e",
        (_, "hoan-thanh") => "#2e7d32",
        ("span", _) => "#5b8fcb",
        _ => "#1f5fa8",
    }
}
