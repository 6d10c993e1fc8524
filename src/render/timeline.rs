//! The plan timeline on a document page: a Gantt-like inline SVG with one bar per dated task,
//! grouped by the task's section, and today marked; readable without JavaScript and in print.
//!
//! Takes the site and a document; returns the template context for `partials/timeline.html`
//! (the drawing's geometry, precomputed here, and a table of the same facts for screen readers),
//! or `None` when the document has no dated task. The drawing is bounded: at most [`MAX_ROWS`]
//! task rows (the rest are counted), at most [`MAX_TICKS`] marks per repeating task, and a time
//! axis clamped to [`MAX_YEARS`] years.

use jiff::civil::Date;
use serde_json::{json, Value};

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

/// The timeline context of document `doc`, or `None` when none of its tasks has a date.
pub fn context(site: &Site, doc: DocId) -> Option<Value> {
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
    let hidden = dated.len().saturating_sub(MAX_ROWS);
    let rows = &dated[..dated.len().min(MAX_ROWS)];
    let (from, to) = axis_bounds(rows, plan_end, site.today)?;
    let scale = Scale::new(from, to);
    let mut y = AXIS_H;
    let mut groups = Vec::new();
    let mut bars = Vec::new();
    let mut table = Vec::new();
    let mut current: Option<&str> = None;
    for row in rows {
        let Some(t) = site.tasks.get(row.task) else {
            continue;
        };
        let group = t.group.as_deref().unwrap_or("Nhiệm vụ");
        if current != Some(group) {
            groups.push(json!({"name": shorten(group, 110), "y": y + GROUP_H - 7.0}));
            y += GROUP_H;
            current = Some(group);
        }
        let label = format!("{} {}", t.label, t.text);
        let (mut marks, reading) = draw(&row.shape, &scale, y);
        for m in &mut marks {
            let class = m.get("class").and_then(Value::as_str).unwrap_or("");
            let fill = fill(class, t.state.code());
            if let Some(obj) = m.as_object_mut() {
                obj.insert("fill".into(), json!(fill));
            }
        }
        bars.push(json!({
            "y": y, "text_y": y + ROW_H - 5.0, "label": shorten(&label, 34), "title": shorten(&label, 200),
            "state": t.state.code(), "marks": marks, "href": format!("#{}", t.anchor),
        }));
        table.push(json!({
            "group": group, "label": t.label, "text": shorten(&t.text, 160), "due": t.due.text,
            "reading": reading, "state": t.state.label(), "note": t.due.note,
        }));
        y += ROW_H;
    }
    let height = y + 6.0;
    let after = (site.today > to).then(|| date_vi(site.today));
    let today = (site.today >= from && site.today <= to).then(|| {
        json!({"x": r1(scale.x(site.today)), "label": format!("Hôm nay {}", date_vi(site.today))})
    });
    Some(json!({
        "id": format!("tl-{}", d.slug),
        "width": WIDTH, "height": r1(height), "label_w": LABEL_W, "plot_end": WIDTH - 8.0,
        "ticks": scale.ticks(height), "today": today, "groups": groups, "bars": bars,
        "rows": table, "hidden": hidden, "undated": d.tasks.len() - dated.len(),
        "from_vi": date_vi(from), "to_vi": date_vi(to), "today_after": after,
    }))
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
    fn ticks(&self, height: f64) -> Vec<Value> {
        let years = self.to.year() - self.from.year() + 1;
        let mut out = Vec::new();
        if years <= 1 {
            for m in 1..=12 {
                if let Ok(d) = Date::new(self.from.year(), m, 1) {
                    out.push(
                        json!({"x": r1(self.x(d)), "label": format!("T{m}"), "y2": r1(height)}),
                    );
                }
            }
            return out;
        }
        let step = if years > 8 { 2 } else { 1 };
        for y in (self.from.year()..=self.to.year()).step_by(step) {
            if let Ok(d) = Date::new(y, 1, 1) {
                out.push(json!({"x": r1(self.x(d)), "label": y.to_string(), "y2": r1(height)}));
            }
        }
        out
    }
}

/// The marks of one row and its reading in words.
fn draw(shape: &Shape, scale: &Scale, y: f64) -> (Vec<Value>, String) {
    let bar = |a: Date, b: Date, class: &str| {
        let x0 = scale.x(a);
        let x1 = scale.x(b.tomorrow().unwrap_or(b)).max(x0 + 3.0);
        json!({"x": r1(x0), "y": r1(y + 4.0), "w": r1(x1 - x0), "h": ROW_H - 8.0, "class": class})
    };
    match shape {
        Shape::Day(d) => (
            vec![
                json!({"x": r1(scale.x(*d) - 4.0), "y": r1(y + 3.0), "w": 8.0, "h": ROW_H - 6.0, "class": "due"}),
            ],
            format!("hạn {}", date_vi(*d)),
        ),
        Shape::Span(s, e) => (
            vec![bar(*s, *e, "span")],
            format!("từ {} đến {}", date_vi(*s), date_vi(*e)),
        ),
        Shape::Open(s) => (
            vec![bar(*s, scale.to, "open")],
            format!("từ {}, không có thời hạn kết thúc", date_vi(*s)),
        ),
        Shape::Repeats { first, until, .. } => {
            let mut marks = vec![bar(*first, *until, "repeat-band")];
            let mut n = 0;
            for (yy, mm) in spans::months(shape, 12 * usize::from(MAX_YEARS.unsigned_abs())) {
                for d in spans::days_in_month(shape, yy, mm) {
                    if n < MAX_TICKS && d <= scale.to {
                        marks.push(json!({"x": r1(scale.x(d) - 1.0), "y": r1(y + 2.0), "w": 2.0, "h": ROW_H - 4.0, "class": "tick"}));
                    }
                    n += 1;
                }
            }
            let reading = format!(
                "định kỳ, {n} lần từ {} đến {}",
                date_vi(*first),
                date_vi(*until)
            );
            (marks, reading)
        }
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

/// One decimal is plenty for SVG coordinates and keeps the output short and stable.
fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
