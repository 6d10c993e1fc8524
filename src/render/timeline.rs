//! The plan timeline on a document page: a Gantt-like inline SVG with one bar per dated task,
//! grouped by the task's section, and today marked; readable without JavaScript and in print.
//!
//! Takes the site and a document; returns the template context for `partials/timeline.html`
//! (the drawing's geometry, precomputed here; its text equivalent is the document's task table,
//! whose deadline cells give each task's [`reading`]),
//! or `None` when the document has no dated task. The drawing is bounded: at most [`MAX_ROWS`]
//! task rows (the rest are counted), at most `MAX_TICKS` marks per repeating task, and a time
//! axis clamped to `MAX_YEARS` years.

use jiff::civil::Date;
use serde::Serialize;

use crate::model::{DocId, Site, TaskId};
use crate::render::spans::{self, Shape};
use crate::render::view::{date_vi, push_date_vi, shorten};

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
/// Width of a day mark and of a repetition's tick, height of a bar or band.
const DAY_W: f64 = 8.0;
const TICK_W: f64 = 2.0;
const BAR_H: f64 = ROW_H - 8.0;

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
    /// The axis labels, `<text>` elements with their x (drawn in a group moved to their y).
    pub axis_labels: String,
    /// The section headings, `<text>` elements.
    pub groups: String,
    /// The task rows' labels, `<text>` elements (drawn in a group shifted to the label column).
    pub labels: String,
    /// The task rows' marks, already SVG: see `Marks`.
    pub marks: String,
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

/// `<text>` elements at `attr` = each value (unquoted: numbers need no quotes), escaped.
fn texts<'a>(attr: &str, items: impl Iterator<Item = (N, &'a str)>) -> String {
    let mut out = String::new();
    for (v, text) in items {
        out.push_str("<text ");
        out.push_str(attr);
        out.push('=');
        push_n(&mut out, v);
        out.push('>');
        crate::text::escape_html_into(&mut out, text);
        out.push_str("</text>");
    }
    out
}

/// One rectangle of a row, in SVG user units.
struct Mark {
    x: N,
    y: N,
    w: N,
    h: N,
}

/// The marks of every row, gathered by kind and colour: each `<g class="tl-<kind>"
/// stroke="…" stroke-width="…">` holds that kind's marks as stroke paths, so the colour and class are written
/// once per drawing instead of once per row. A row's main mark (a repetition's band) carries
/// the row's tooltip as its `<title>`; a repetition's ticks are one path. Rows never overlap,
/// so drawing bands first, then the marks, paints as row-by-row drawing did.
#[derive(Default)]
struct Marks {
    /// `(kind, fill)` → the group's content, in first-use order.
    layers: Vec<(&'static str, &'static str, String)>,
}

impl Marks {
    fn layer(&mut self, kind: &'static str, fill: &'static str) -> &mut String {
        let i = match self.layers.iter().position(|l| l.0 == kind && l.1 == fill) {
            Some(i) => i,
            None => {
                self.layers.push((kind, fill, String::new()));
                self.layers.len() - 1
            }
        };
        &mut self.layers[i].2
    }

    /// One rectangle, with the row's tooltip when `title` is given.
    fn push(&mut self, kind: &'static str, fill: &'static str, m: &Mark, title: Option<&str>) {
        let out = self.layer(kind, fill);
        out.push_str("<path d=\"");
        push_stroke(out, m, kind == "tl-due");
        match title {
            Some(t) => {
                out.push_str("\"><title>");
                crate::text::escape_html_into(out, t);
                out.push_str("</title></path>");
            }
            None => out.push_str("\"/>"),
        }
    }

    /// A repetition's ticks as one path of vertical strokes, each as wide as the tick (its
    /// layer is stroked, not filled): `M406 52v14m13.8-14v14…`, the same rectangles in a
    /// third of the bytes of closed ones.
    fn push_ticks(&mut self, colour: &'static str, marks: &[Mark]) {
        let Some(first) = marks.first() else {
            return;
        };
        let out = self.layer("tl-tick", colour);
        let h = fmt_n(first.h);
        let mid = |m: &Mark| r1(m.x.0 + m.w.0 / 2.0);
        out.push_str("<path d=\"M");
        push_n(out, mid(first));
        out.push(' ');
        push_n(out, first.y);
        out.push('v');
        out.push_str(&h);
        let mut x = mid(first);
        for m in &marks[1..] {
            let next = mid(m);
            out.push('m');
            push_n(out, r1(next.0 - x.0));
            out.push('-');
            out.push_str(&h);
            out.push('v');
            out.push_str(&h);
            x = next;
        }
        out.push_str("\"/>");
    }

    /// The groups, bands first (they lie behind a repetition's ticks).
    fn finish(mut self) -> String {
        self.layers.sort_by_key(|l| l.0 != "tl-repeat-band");
        let mut out = String::new();
        for (kind, colour, body) in self.layers {
            // Marks are strokes with no area: the drawing's own fill never shows on them.
            let width = fmt_n(stroke_width(kind));
            out.push_str(&format!(
                "<g class={kind} stroke=\"{colour}\" stroke-width={width}>{body}</g>"
            ));
        }
        out
    }
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
    let mut groups: Vec<(N, String)> = Vec::new();
    let mut labels = String::new();
    let mut marks = Marks::default();
    let mut drawn = 0;
    let mut current: Option<&str> = None;
    for row in rows {
        let Some(t) = site.tasks.get(row.task) else {
            continue;
        };
        let group = t.group.as_deref().unwrap_or("Nhiệm vụ");
        if current != Some(group) {
            groups.push((r1(y + GROUP_H - 7.0), shorten(group, 110)));
            y += GROUP_H;
            current = Some(group);
        }
        labels.push_str("<text y=");
        push_n(&mut labels, r1(y + ROW_H - 5.0));
        labels.push('>');
        crate::text::escape_html_into(
            &mut labels,
            &shorten(&[&*t.label, " ", &t.text].concat(), 34),
        );
        labels.push_str("</text>");
        // The label and text are drawn beside it and in the task table; the tooltip adds
        // the reading.
        let title = [&*t.label, " — ", &reading(&row.shape)].concat();
        let kind = main_class(&row.shape);
        let colour = fill(kind, t.state.code());
        let (band, rects) = draw(&row.shape, &scale, y);
        match band {
            Some(band) => {
                marks.push(
                    "tl-repeat-band",
                    fill("repeat-band", ""),
                    &band,
                    Some(&title),
                );
                marks.push_ticks(colour, &rects);
            }
            None => {
                for m in &rects {
                    marks.push(kind, colour, m, Some(&title));
                }
            }
        }
        drawn += 1;
        y += ROW_H;
    }
    let height = y + 6.0;
    Some(Timeline {
        id: format!("tl-{}", d.slug),
        width: N(WIDTH),
        height: r1(height),
        ticks: scale.ticks(height),
        axis_labels: texts(
            "x",
            scale.ticks(height).iter().map(|t| (t.x, t.label.as_str())),
        ),
        today: (site.today >= from && site.today <= to).then(|| TodayMark {
            x: r1(scale.x(site.today)),
            label: format!("Hôm nay {}", date_vi(site.today)),
        }),
        groups: texts("y", groups.iter().map(|(y, name)| (*y, name.as_str()))),
        labels,
        marks: marks.finish(),
        drawn,
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
    let mut out = String::with_capacity(48);
    let from_to = |out: &mut String, s: Date, e: Date| {
        out.push_str("từ ");
        push_date_vi(out, s);
        out.push_str(" đến ");
        push_date_vi(out, e);
    };
    match shape {
        Shape::Day(d) => {
            out.push_str("hạn ");
            push_date_vi(&mut out, *d);
        }
        Shape::Span(s, e) => from_to(&mut out, *s, *e),
        Shape::Open(s) => {
            out.push_str("từ ");
            push_date_vi(&mut out, *s);
            out.push_str(", không có thời hạn kết thúc");
        }
        Shape::Repeats { first, until, .. } => {
            out.push_str("định kỳ, ");
            out.push_str(&occurrences(shape).len().to_string());
            out.push_str(" lần ");
            from_to(&mut out, *first, *until);
        }
    }
    out
}

/// Every day a repetition falls on, over at most [`MAX_YEARS`] years.
fn occurrences(shape: &Shape) -> Vec<Date> {
    spans::marked_days(shape, 12 * usize::from(MAX_YEARS.unsigned_abs()))
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
    let mark = |x: f64, dy: f64, w: f64, h: f64| Mark {
        x: r1(x),
        y: r1(y + dy),
        w: r1(w),
        h: r1(h),
    };
    let bar = |a: Date, b: Date| {
        let x0 = scale.x(a);
        let x1 = scale.x(b.tomorrow().unwrap_or(b)).max(x0 + 3.0);
        mark(x0, 4.0, x1 - x0, BAR_H)
    };
    match shape {
        Shape::Day(d) => (
            None,
            vec![mark(scale.x(*d) - DAY_W / 2.0, 3.0, DAY_W, ROW_H - 6.0)],
        ),
        Shape::Span(s, e) => (None, vec![bar(*s, *e)]),
        Shape::Open(s) => (None, vec![bar(*s, scale.to)]),
        Shape::Repeats { first, until, .. } => {
            let ticks = occurrences(shape)
                .into_iter()
                .filter(|d| *d <= scale.to)
                .take(MAX_TICKS)
                .map(|d| mark(scale.x(d) - TICK_W / 2.0, 2.0, TICK_W, ROW_H - 4.0));
            (Some(bar(*first, *until)), ticks.collect())
        }
    }
}

/// The class of a row's main mark (the one its colour is for).
fn main_class(shape: &Shape) -> &'static str {
    match shape {
        Shape::Day(_) => "tl-due",
        Shape::Span(..) => "tl-span",
        Shape::Open(_) => "tl-open",
        Shape::Repeats { .. } => "tl-tick",
    }
}

/// A rectangle as the path data of one stroke through its middle, drawn with its layer's
/// `stroke-width` (see [`stroke_width`]): upright for a day mark (`M586.1 53v12`), else
/// across (`M230 417h722`) — the same rectangle in about half the bytes of a closed path.
fn push_stroke(out: &mut String, m: &Mark, upright: bool) {
    let (x, y, dir, len) = if upright {
        (r1(m.x.0 + m.w.0 / 2.0), m.y, 'v', m.h)
    } else {
        (m.x, r1(m.y.0 + m.h.0 / 2.0), 'h', m.w)
    };
    out.push('M');
    push_n(out, x);
    out.push(' ');
    push_n(out, y);
    out.push(dir);
    push_n(out, len);
}

/// How wide a layer's strokes are: a mark's width (day marks, ticks) or height (bars, bands),
/// as [`draw`] makes them.
fn stroke_width(kind: &str) -> N {
    match kind {
        "tl-tick" => N(TICK_W),
        "tl-due" => N(DAY_W),
        _ => N(BAR_H),
    }
}

/// A coordinate as the template writes it: no fraction when whole.
fn fmt_n(n: N) -> String {
    let mut out = String::new();
    push_n(&mut out, n);
    out
}

/// [`fmt_n`] written into `out` (a drawing writes a few numbers per mark).
fn push_n(out: &mut String, n: N) {
    use std::fmt::Write;
    let _ = if n.0.fract() == 0.0 && n.0.abs() < 1e9 {
        write!(out, "{}", n.0 as i64)
    } else {
        write!(out, "{}", n.0)
    };
}

/// Colours as presentation attributes, so the drawing needs no stylesheet (the pages' CSP
/// allows no inline style) and prints as it shows: overdue red, done green, others blue.
fn fill(class: &str, state: &str) -> &'static str {
    match (class, state) {
        ("repeat-band", _) => "#e3ecf7",
        ("tl-open", _) => "#a9c4e4",
        (_, "qua-han") => "#b3261e",
        (_, "hoan-thanh") => "#2e7d32",
        ("tl-span", _) => "#5b8fcb",
        _ => "#1f5fa8",
    }
}
