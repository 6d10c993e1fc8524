//! iCalendar (RFC 5545) writer for task deadlines.
//!
//! Takes a calendar name, description, a fixed stamp date and a list of all-day [`IcsEvent`]s;
//! returns the whole `.ics` file as a `String` (CRLF line ends, lines folded at 75 octets).
//! The task calendars (the site's and each unit's: the subscribed window and per-year
//! archives) are planned first from each event's year and written length
//! ([`CalendarPlan`]), then written file by file, so the site calendar's text is never held
//! whole (a unit's, a small share of it, is kept from planning to writing).
//!
//! Written by hand rather than with the `icalendar` crate because that crate fills `UID` and
//! `DTSTAMP` with random/now values, and our output must be byte-identical for the same input
//! (see /work/shared/CRATES.md). Every event is all-day (`VALUE=DATE`), so the time zone block
//! is informational: it tells calendar apps the portal's zone for display.

use std::collections::BTreeMap;

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;

use crate::model::{Site, TaskId, UnitId};
use crate::render::data::{task_id, task_url};
use crate::render::parts::{self, Frame, Part};
use crate::render::spans::{self, Shape};
use crate::render::view::{self, date_vi, push_date_digits, push_doc_label, shorten};
use crate::write::Output;

/// One all-day event (a task deadline or a milestone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Stable unique id, e.g. `272-kh-ubnd-nv-3@cchc`; written as given (control chars removed).
    pub uid: String,
    /// One-line title shown in calendar apps.
    pub summary: String,
    /// Longer text; may contain newlines. Omitted when empty.
    pub description: String,
    /// Absolute link to the task on the portal.
    pub url: Option<String>,
    /// First day of the event.
    pub start: Date,
    /// Day after the last day (RFC 5545 `DTEND` is exclusive). A value not after `start` is
    /// taken as `start + 1 day` so the event stays valid; a one-day event is written without
    /// `DTEND`, which RFC 5545 §3.6.1 reads as one day.
    pub end_exclusive: Date,
    /// Recurrence rule value without the `RRULE:` prefix, e.g. `FREQ=MONTHLY;COUNT=12`.
    pub rrule: Option<String>,
    /// Category names (unit names, reform areas); omitted when empty.
    pub categories: Vec<String>,
}

/// Longest line in octets, not counting the CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// Writes a complete VCALENDAR with one VEVENT per event, in the given order.
///
/// `name` → `X-WR-CALNAME`; `description` → `X-WR-CALDESC` (omitted when empty); `stamp` →
/// `DTSTAMP` of every event at 00:00:00Z, so the file depends only on its inputs.
pub fn write_calendar(name: &str, description: &str, stamp: Date, events: &[IcsEvent]) -> String {
    let mut out = calendar_head(name, description);
    let dtstamp = dtstamp(stamp);
    for event in events {
        push_event(&mut out, event, &dtstamp);
    }
    out.push_str(CALENDAR_TAIL);
    out
}

/// The last line of every calendar.
pub const CALENDAR_TAIL: &str = "END:VCALENDAR\r\n";

/// `DTSTAMP` value for a stamp date.
pub fn dtstamp(stamp: Date) -> String {
    format!("{}T000000Z", ymd(stamp))
}

/// Everything before the first VEVENT.
pub fn calendar_head(name: &str, description: &str) -> String {
    let mut out = String::with_capacity(768);
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//cchc//cchc//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_line(&mut out, line);
    }
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(name)));
    if !description.trim().is_empty() {
        push_line(
            &mut out,
            &format!("X-WR-CALDESC:{}", escape_text(description)),
        );
    }
    push_line(&mut out, "X-WR-TIMEZONE:Asia/Ho_Chi_Minh");
    push_timezone(&mut out);
    out
}

/// One VEVENT, `BEGIN` to `END`, as written inside a calendar.
pub fn event_text(event: &IcsEvent, dtstamp: &str) -> String {
    let mut out = String::with_capacity(512);
    push_event(&mut out, event, dtstamp);
    out
}

/// Vietnam has kept UTC+7 without daylight saving since 1975; one STANDARD rule says so.
fn push_timezone(out: &mut String) {
    for line in [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Ho_Chi_Minh",
        "X-LIC-LOCATION:Asia/Ho_Chi_Minh",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0700",
        "TZOFFSETTO:+0700",
        "TZNAME:ICT",
        "DTSTART:19700101T000000",
        "END:STANDARD",
        "END:VTIMEZONE",
    ] {
        push_line(out, line);
    }
}

fn push_event(out: &mut String, event: &IcsEvent, dtstamp: &str) {
    // Each content line is built in one buffer, not a `format!` of its own: a calendar
    // writes every event twice (measured, then written), 150,000 of them at 10,000 documents.
    let mut line = String::with_capacity(256);
    let mut put = |out: &mut String, name: &str, value: &dyn Fn(&mut String)| {
        line.clear();
        line.push_str(name);
        value(&mut line);
        push_line(out, &line);
    };
    let end = valid_end(event.start, event.end_exclusive);
    push_line(out, "BEGIN:VEVENT");
    put(out, "UID:", &|l| escape_text_into(l, &event.uid));
    put(out, "DTSTAMP:", &|l| l.push_str(dtstamp));
    put(out, "DTSTART;VALUE=DATE:", &|l| push_ymd(l, event.start));
    // A DATE start with neither DTEND nor DURATION is one day long (RFC 5545 §3.6.1), so a
    // one-day event's DTEND would only repeat DTSTART.
    if Some(end) != event.start.tomorrow().ok() {
        put(out, "DTEND;VALUE=DATE:", &|l| push_ymd(l, end));
    }
    if let Some(rule) = event.rrule.as_deref().map(strip_controls) {
        if !rule.trim().is_empty() {
            put(out, "RRULE:", &|l| l.push_str(rule.trim()));
        }
    }
    put(out, "SUMMARY:", &|l| escape_text_into(l, &event.summary));
    if !event.description.trim().is_empty() {
        put(out, "DESCRIPTION:", &|l| {
            escape_text_into(l, &event.description)
        });
    }
    if let Some(url) = event.url.as_deref().map(strip_controls) {
        // URI values are not TEXT: no backslash escaping, but spaces would end the value
        // in some readers, so percent-encode them.
        let url = url.trim().replace(' ', "%20");
        if !url.is_empty() {
            put(out, "URL:", &|l| l.push_str(&url));
        }
    }
    line.clear();
    line.push_str("CATEGORIES:");
    let values = line.len();
    for c in &event.categories {
        // Comma-separated; a value that escapes to nothing takes its comma with it.
        let before = line.len();
        if before > values {
            line.push(',');
        }
        let at = line.len();
        escape_text_into(&mut line, c.trim());
        if line.len() == at {
            line.truncate(before);
        }
    }
    if line.len() > values {
        push_line(out, &line);
    }
    // All-day deadlines should not mark the reader as busy.
    push_line(out, "TRANSP:TRANSPARENT");
    push_line(out, "END:VEVENT");
}

/// `DTEND` must be after `DTSTART`; a bad range becomes a one-day event.
fn valid_end(start: Date, end_exclusive: Date) -> Date {
    if end_exclusive > start {
        return end_exclusive;
    }
    start.tomorrow().unwrap_or(start)
}

/// `YYYYMMDD` for a date (years are 4 digits for every date jiff accepts in practice).
fn ymd(d: Date) -> String {
    let mut s = String::with_capacity(8);
    push_ymd(&mut s, d);
    s
}

fn push_ymd(out: &mut String, d: Date) {
    if !push_date_digits(out, d, "") {
        use std::fmt::Write;
        // Writing into a String cannot fail.
        let _ = write!(out, "{:04}{:02}{:02}", d.year(), d.month(), d.day());
    }
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): `\` `;` `,` get a backslash, any line break
/// (CRLF, CR or LF) becomes `\n`, tabs become spaces and other control characters are dropped.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_text_into(&mut out, s);
    out
}

/// [`escape_text`], appended to `out`.
fn escape_text_into(out: &mut String, s: &str) {
    // Byte by byte, copying the runs between the bytes that change: every event's summary,
    // description and categories pass here. Each such byte is ASCII or the lead byte 0xC2 of
    // a C1 control, so every cut falls on a character boundary.
    let bytes = s.as_bytes();
    out.reserve(s.len());
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        // Most bytes are none of these: skip them with one table lookup each.
        if !MAY_ESCAPE[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1).copied();
        let (len, with) = match bytes[i] {
            b'\\' => (1, "\\\\"),
            b';' => (1, "\\;"),
            b',' => (1, "\\,"),
            b'\r' if next == Some(b'\n') => (2, "\\n"),
            b'\r' | b'\n' => (1, "\\n"),
            b'\t' => (1, " "),
            // The other control characters (C0, DEL, C1) are dropped.
            0..=0x1f | 0x7f => (1, ""),
            0xc2 if matches!(next, Some(0x80..=0x9f)) => (2, ""),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[copied..i]);
        out.push_str(with);
        i += len;
        copied = i;
    }
    out.push_str(&s[copied..]);
}

/// The bytes [`escape_text_into`] may change: C0 controls, `\\`, `;`, `,`, DEL, and 0xC2 (the
/// lead byte of a C1 control, and of other characters that stay).
static MAY_ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'\\' as usize] = true;
    t[b';' as usize] = true;
    t[b',' as usize] = true;
    t[0x7f] = true;
    t[0xc2] = true;
    t
};

/// Removes control characters (line breaks included) from a value written verbatim.
fn strip_controls(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// Appends one content line, folded so no physical line exceeds 75 octets, with CRLF.
///
/// A fold is CRLF followed by one space, and the space counts towards the next line's 75
/// octets. Folds happen only between characters, never inside a UTF-8 sequence.
fn push_line(out: &mut String, line: &str) {
    let mut rest = line;
    let mut room = MAX_LINE_OCTETS;
    while rest.len() > room {
        // The longest head that fits and ends between characters (a char is at most 4 bytes,
        // so `cut` stays above 0).
        let cut = (0..=room)
            .rev()
            .find(|&i| rest.is_char_boundary(i))
            .unwrap_or(0);
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // The folding space counts towards the next line's octets.
        room = MAX_LINE_OCTETS - 1;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

// ------------------------------------------------------------------ task calendars

/// One task's event as a calendar plan places it, without its text: the task, the year it
/// starts (the archive it belongs to), the last day it reaches (a repetition's UNTIL; `None`
/// for work with no end) and its length written, which is all that cutting files and linking
/// them needs.
#[derive(Clone, Copy)]
struct Placed {
    id: TaskId,
    year: i16,
    last: Option<Date>,
    len: usize,
}

/// The first day of the subscribed window: one year before the build's today. Everything
/// that reaches this day or later (open-ended work and repetitions included) is in `lich.ics`.
pub fn window_start(site: &Site) -> Date {
    site.today
        .checked_sub(jiff::Span::new().years(1))
        .unwrap_or(site.today)
}

/// Whether task `i` belongs to the current window: its deadline reaches [`window_start`] or
/// later (work with no end always does), or it has no date and its document is from the
/// window's year or later (or has no year). Unit files and the site workbook hold these.
pub fn task_in_window(site: &Site, i: TaskId) -> bool {
    let Some(t) = site.tasks.get(i) else {
        return false;
    };
    let from = window_start(site);
    match spans::shape(&t.due, site.plan_period_end(t.doc)) {
        Some(Shape::Day(d)) => d >= from,
        Some(Shape::Span(_, e)) => e >= from,
        Some(Shape::Repeats { until, .. }) => until >= from,
        Some(Shape::Open(_)) => true,
        None => site.documents[t.doc].year.is_none_or(|y| y >= from.year()),
    }
}

/// The event of task `i`, when its deadline can be placed on a calendar; in `unit`'s own
/// calendar its categories leave that unit out (every event there is one it leads).
fn task_event(site: &Site, i: TaskId, unit: Option<UnitId>) -> Option<(IcsEvent, Option<Date>)> {
    let t = site.tasks.get(i)?;
    let shape = spans::shape(&t.due, site.plan_period_end(t.doc))?;
    let d = &site.documents[t.doc];
    // Spans are multi-day all-day events; repetitions carry an RRULE with an UNTIL at the
    // plan's end; an open start is one day, the day the work starts (its text says so).
    let (start, last, rrule, prefix) = match &shape {
        Shape::Day(day) => (*day, Some(*day), None, "Hạn"),
        Shape::Span(s, e) => (*s, Some(*e), None, "Thực hiện"),
        Shape::Repeats {
            first,
            until,
            rrule,
        } => (
            *first,
            Some(*until),
            Some(spans::rrule_with_until(rrule, *until)),
            "Định kỳ",
        ),
        Shape::Open(s) => (*s, None, None, "Bắt đầu (không thời hạn)"),
    };
    let lead: Vec<String> = t
        .lead
        .iter()
        .copied()
        .filter(|&u| Some(u) != unit)
        .filter_map(|u| site.units.get(u))
        .map(|u| u.name.clone())
        .collect();
    // Title and link carry the task; the full text is on its page (URL). The lead units are
    // the categories, so the description adds only the deadline as written, the supporting
    // units and the document: that keeps a year of a large portal's deadlines small enough
    // to subscribe to.
    // Built by pushing, not `format!`: every calendar makes each of its events twice
    // (measured, then written), ~150,000 of them per calendar at 10,000 documents.
    let summary = [prefix, ": ", &shorten(&t.text, 72)].concat();
    let mut description = String::with_capacity(160);
    description.push_str("Thời hạn: ");
    description.push_str(&t.due.text);
    if let Some(note) = &t.due.note {
        description.push_str("\nGhi chú thời hạn: ");
        description.push_str(note);
    }
    let support = t.support.iter().filter_map(|&u| site.units.get(u));
    for (k, name) in support.map(|u| u.name.as_str()).enumerate() {
        description.push_str(if k == 0 { "\nPhối hợp: " } else { "; " });
        description.push_str(name);
    }
    description.push_str("\nVăn bản: ");
    push_doc_label(&mut description, d);
    let end = last.unwrap_or(start);
    let end = if rrule.is_some() { start } else { end };
    let event = IcsEvent {
        uid: (task_id(site, t) + "@cchc").replace('#', "-"),
        summary,
        description,
        url: Some(task_url(site, t)),
        start,
        end_exclusive: end.tomorrow().unwrap_or(end),
        rrule,
        categories: lead,
    };
    Some((event, last))
}

/// The set's events in file order, each written once to measure it; its text is kept when
/// `keep` (see [`CalendarPlan::texts`]), dropped otherwise.
fn placed(site: &Site, set: &CalendarSet, keep: bool) -> (Vec<Placed>, Option<Vec<String>>) {
    let stamp = dtstamp(site.today);
    let one = |&id: &TaskId| {
        let (event, last) = task_event(site, id, set.unit)?;
        let text = event_text(&event, &stamp);
        let placed = Placed {
            id,
            year: event.start.year(),
            last,
            len: text.len(),
        };
        Some((placed, text))
    };
    if keep {
        let (events, texts) = set.ids.par_iter().filter_map(one).unzip();
        (events, Some(texts))
    } else {
        let events = set.ids.par_iter().filter_map(|id| Some(one(id)?.0));
        (events.collect(), None)
    }
}

/// A site calendar of at most this many tasks keeps its events' texts from planning to
/// writing ([`CalendarPlan::texts`]): ~500 bytes an event, ~150 MB at most (the generated
/// 10,000-document corpus: 149,640 tasks, 69 MB of calendars). A larger one, which the pages
/// and open data are made beside, makes them again.
const KEEP_SITE_EVENTS: usize = 300_000;

/// Which calendar: the site's (`dir` empty) or a unit's (`dir` = `don-vi/<slug>/`).
struct CalendarSet<'a> {
    dir: String,
    name: String,
    /// What the events are, for the descriptions ("các nhiệm vụ", "nhiệm vụ X chủ trì").
    what: String,
    ids: std::borrow::Cow<'a, [TaskId]>,
    /// The unit whose calendar it is.
    unit: Option<UnitId>,
}

fn site_set(site: &Site) -> CalendarSet<'static> {
    CalendarSet {
        dir: String::new(),
        name: format!("{} – lịch hạn nhiệm vụ", site.config.title),
        what: "các nhiệm vụ cải cách hành chính".into(),
        ids: (0..site.tasks.len()).collect::<Vec<_>>().into(),
        unit: None,
    }
}

fn unit_set(site: &Site, u: UnitId) -> CalendarSet<'_> {
    let name = site.units.get(u).map_or("", |u| u.name.as_str());
    let slug = site.units.get(u).map_or("x", |u| u.slug.as_str());
    CalendarSet {
        dir: view::unit_dir(slug).concat(),
        name: format!("Lịch hạn – {name}"),
        what: format!("các nhiệm vụ {name} chủ trì"),
        ids: site
            .duties
            .get(u)
            .map_or(&[][..], |d| d.lead.as_slice())
            .into(),
        unit: Some(u),
    }
}

/// The header of an archive file (year `y`, part `part` of `parts`).
fn archive_head(set: &CalendarSet, y: Option<i16>, part: usize, parts: usize) -> String {
    let y = y.unwrap_or_default();
    let of = parts::part_label(part, parts).map_or_else(String::new, |of| format!(", {of}"));
    calendar_head(
        &format!("{} – năm {y}{of}", set.name),
        &format!(
            "Lưu trữ: hạn {} bắt đầu trong năm {y}{}",
            set.what,
            if set.dir.is_empty() {
                ""
            } else {
                ", ngoài lịch đăng ký (lich.ics)"
            }
        ),
    )
}

/// Where every event of one calendar goes, worked out from the events' lengths before any file
/// is written: `lich.ics` (the window) and `lich/nam-<year>[-phan-<k>].ics` (by the year each
/// event starts: every event of the site; a unit's events outside its window). Each file's
/// events are written when that file is ([`CalendarPlan::write`]), so the site's text is
/// never held whole (a unit's is, see `CalendarPlan::texts`); calendar and unit pages link
/// the archives from the same plan.
pub struct CalendarPlan<'a> {
    set: CalendarSet<'a>,
    /// Every event of the set, in file order.
    events: Vec<Placed>,
    /// Each event's text, when the plan keeps them, until the plan is written: the events
    /// are then made once, not again for each file they go in (the site's window events are
    /// in an archive too). A unit's calendar always keeps them (it is planned and written at
    /// once, and its events are a small share of the site's); the site's calendar, planned
    /// before the pages and written with the data files, only up to [`KEEP_SITE_EVENTS`].
    texts: Option<Vec<String>>,
    /// The window: events (indices into `events`), its first day, the day it stops before.
    window: (Vec<usize>, Date, Option<Date>),
    /// The archived events (indices into `events`) by the year they start, in file order.
    archived: BTreeMap<Option<i16>, Vec<usize>>,
    files: Vec<parts::Planned>,
}

impl<'a> CalendarPlan<'a> {
    /// The site calendar: every dated task.
    pub fn site(site: &Site) -> CalendarPlan<'static> {
        let set = site_set(site);
        let keep = set.ids.len() <= KEEP_SITE_EVENTS;
        CalendarPlan::of(site, set, keep)
    }

    /// Unit `u`'s calendar: the tasks it leads.
    pub fn unit(site: &'a Site, u: UnitId) -> CalendarPlan<'a> {
        CalendarPlan::of(site, unit_set(site, u), true)
    }

    /// The plan of `set`, keeping its events' texts when `keep` ([`Self::texts`]).
    fn of(site: &Site, set: CalendarSet<'a>, keep: bool) -> CalendarPlan<'a> {
        let limit = site.config.max_file_bytes;
        let (events, texts) = placed(site, &set, keep);
        let window = window_keep(site, &events, limit);
        let archived = archived(&set, &events, &window.0);
        let lens: BTreeMap<Option<i16>, Vec<usize>> = archived
            .iter()
            .map(|(&y, ks)| (y, ks.iter().map(|&k| events[k].len).collect()))
            .collect();
        let head = |y: Option<i16>, part: usize, parts: usize| {
            archive_head(&set, y, part, parts).into_bytes()
        };
        let frame = Frame {
            head: &head,
            sep: b"",
            tail: CALENDAR_TAIL.as_bytes(),
        };
        let stem = format!("{}lich/nam", set.dir);
        let files = parts::plan_lens(&stem, "ics", &lens, &frame, limit);
        CalendarPlan {
            set,
            events,
            texts,
            window,
            archived,
            files,
        }
    }

    /// Writes the archives (in parallel) and the window into `sink`, each file's events
    /// written only then (or taken from the kept texts, which are dropped after); returns
    /// their index records, archives first.
    pub fn write(&mut self, site: &Site, sink: &(dyn Fn(Output) + Sync)) -> Vec<Part> {
        let texts = self.texts.take();
        let texts = texts.as_deref();
        let stamp = dtstamp(site.today);
        let mut records: Vec<Part> = self
            .files
            .par_iter()
            .map(|p| {
                let ks = self
                    .archived
                    .get(&p.year)
                    .map_or(&[][..], |v| &v[p.range.clone()]);
                let text = archive_head(&self.set, p.year, p.part, p.parts);
                let out = Output {
                    path: p.path.clone(),
                    bytes: self.framed(site, &stamp, text, ks, texts),
                };
                let mut rec = parts::record(&out, "lich", "ics", p.year, ks.len());
                (rec.part, rec.parts) = (p.part, p.parts);
                sink(out);
                rec
            })
            .collect();
        let (out, rec) = self.window_file(site, &stamp, texts);
        sink(out);
        records.push(rec);
        records
    }

    /// `head`, the events `ks` (indices into `events`) and the tail, as bytes; an event is
    /// taken from `texts` when kept, made again otherwise.
    fn framed(
        &self,
        site: &Site,
        stamp: &str,
        mut text: String,
        ks: &[usize],
        texts: Option<&[String]>,
    ) -> Vec<u8> {
        text.reserve(ks.iter().map(|&k| self.events[k].len).sum::<usize>() + 32);
        for &k in ks {
            if let Some(kept) = texts.and_then(|t| t.get(k)) {
                text.push_str(kept);
                continue;
            }
            let e = self.events[k];
            if let Some((event, _)) = task_event(site, e.id, self.set.unit) {
                let before = text.len();
                push_event(&mut text, &event, stamp);
                debug_assert_eq!(text.len() - before, e.len, "event measured ≠ written");
            }
        }
        text.push_str(CALENDAR_TAIL);
        text.into_bytes()
    }

    /// The subscribed calendar `lich.ics`: the window's events, from its first day (to before
    /// the day it stops, when narrowed).
    fn window_file(&self, site: &Site, stamp: &str, texts: Option<&[String]>) -> (Output, Part) {
        let (keep, first, until) = &self.window;
        let range = match until {
            None => format!("từ {} trở đi", date_vi(*first)),
            Some(u) => format!("từ {} đến trước {}", date_vi(*first), date_vi(*u)),
        };
        let head = calendar_head(
            &self.set.name,
            &format!(
                "Hạn {} {range}; các năm khác ở tệp lưu trữ theo năm",
                self.set.what
            ),
        );
        let out = Output {
            path: format!("{}lich.ics", self.set.dir),
            bytes: self.framed(site, stamp, head, keep, texts),
        };
        let rec = parts::record(&out, "lich", "ics", None, keep.len());
        (out, rec)
    }

    /// The per-year archive files, newest year first and a year's parts in order (part 2
    /// before part 10, which their paths would not give), for calendar and unit pages to link.
    pub fn archive_links(&self) -> Vec<ArchiveLink> {
        let mut files: Vec<&parts::Planned> = self.files.iter().collect();
        files.sort_by_key(|p| (std::cmp::Reverse(p.year), p.part));
        files
            .into_iter()
            .map(|p| ArchiveLink {
                year: p.year.unwrap_or_default(),
                part: parts::part_label(p.part, p.parts).unwrap_or_default(),
                path: p.path.clone(),
                events: p.range.len(),
            })
            .collect()
    }
}

/// Which events the subscribed calendar holds (indices into `events`, in file order) and the
/// days it covers: events reaching one year back or later. When that passes the size limit (a
/// very large site), the window narrows: past events go first, oldest first, then the
/// farthest future ones, and the calendar's description says which days it holds.
fn window_keep(site: &Site, events: &[Placed], limit: usize) -> (Vec<usize>, Date, Option<Date>) {
    let from = window_start(site);
    let keep: Vec<usize> = (0..events.len())
        .filter(|&i| events[i].last.is_none_or(|l| l >= from))
        .collect();
    let head_room = 1024;
    let size = |k: &[usize]| k.iter().map(|&i| events[i].len).sum::<usize>() + head_room;
    if size(&keep) <= limit {
        return (keep, from, None);
    }
    // Order by the day each event reaches (open work counts as its start), drop from the past
    // end while it is past, then from the far end; keep the survivors' file order.
    let mut by_day: Vec<(Date, usize)> = keep
        .iter()
        .map(|&i| (events[i].last.unwrap_or(Date::MAX), i))
        .collect();
    by_day.sort();
    let mut total = size(&keep);
    let (mut lo, mut hi) = (0, by_day.len());
    while total > limit && lo < hi && by_day[lo].0 < site.today {
        total -= events[by_day[lo].1].len;
        lo += 1;
    }
    while total > limit && lo < hi {
        hi -= 1;
        total -= events[by_day[hi].1].len;
    }
    let first = by_day
        .get(lo)
        .map_or(site.today, |d| d.0.min(site.today))
        .max(from);
    let until = (hi < by_day.len()).then(|| by_day[hi].0);
    let mut kept: Vec<usize> = by_day[lo..hi].iter().map(|d| d.1).collect();
    kept.sort_unstable();
    (kept, first, until)
}

/// The events a set's archives hold, by the year they start: the site's, every event (each in
/// exactly one archive); a unit's, those its window does not — the site archives hold every
/// event already, so a unit's archives only add what its subscribed calendar lacks.
fn archived(
    set: &CalendarSet,
    events: &[Placed],
    window: &[usize],
) -> BTreeMap<Option<i16>, Vec<usize>> {
    let mut in_window = vec![false; events.len()];
    if !set.dir.is_empty() {
        for &i in window {
            in_window[i] = true;
        }
    }
    let mut by_year: BTreeMap<Option<i16>, Vec<usize>> = BTreeMap::new();
    for (k, e) in events.iter().enumerate() {
        if !in_window[k] {
            by_year.entry(Some(e.year)).or_default().push(k);
        }
    }
    by_year
}

/// A calendar archive as pages link it.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveLink {
    pub year: i16,
    /// Site-relative path (prefix it with the page's root).
    pub path: String,
    /// `phần 2/3` when a year is cut into parts, else empty.
    pub part: String,
    pub events: usize,
}

#[cfg(test)]
mod tests;
