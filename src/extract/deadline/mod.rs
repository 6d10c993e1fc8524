//! Reads the free-text deadline of a task ("Quý II/2019", "Thường xuyên trong năm", "Từ tháng
//! 12/2022 đến cuối tháng 01/2023", OCR "Quy 1V/2024") into a [`Deadline`]: its kind, the calendar
//! window it covers and, for recurring work, an RFC 5545 RRULE.
//!
//! Takes the cell text and the plan's year; returns a value that always keeps the text as written,
//! so a deadline that cannot be placed on a calendar is still shown, marked as having no date.
//!
//! How: the text is NFC-normalised and cut into tokens (words folded to ASCII by
//! [`crate::text::fold`], numbers, date separators, and clause breaks `; , . : ( )`). Each clause
//! is scanned left to right for date expressions ("atoms": a day, month, quarter, half-year or
//! year, alone or joined into a range by "đến"/"-") and for markers of ongoing ("thường xuyên"),
//! recurring ("định kỳ hàng quý") and conditional ("khi có …") work. Years missing from an atom
//! are then filled in, and the clauses combined: one meaningful clause gives its own kind, several
//! placeable ones give [`DeadlineKind::Milestones`]. Every step is linear in the input with a
//! bounded look-ahead, so hostile input can neither panic nor hang the reader.

use jiff::civil::Date;
use serde::Serialize;

use crate::text::nfc;

mod atoms;
mod cadence;
mod clause;
mod festive;
mod lex;
mod parts;
mod recur;
mod relative;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_realdocs;
mod windows;

use clause::{list_tail, scan_clause, Clause};
use lex::{split_clauses, tokenize};
use parts::{clause_parts, combine, Ctx};
use windows::Years;

/// Only this many leading bytes are read: a deadline cell is a line or two, and the cap keeps
/// the cost of pathological input (a pasted document, 1 MB of digits) small and fixed.
const MAX_READ: usize = 4096;

/// Years outside this range are treated as misreadings (OCR, typos), never placed on a calendar.
pub(crate) const YEARS: std::ops::RangeInclusive<i16> = 1900..=2200;

/// What kind of deadline a text expresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeadlineKind {
    /// One day: "Trước ngày 10/12/2022".
    Date,
    /// One calendar month: "Tháng 12/2024".
    Month,
    /// One quarter: "Quý II/2019".
    Quarter,
    /// First or second half of a year: "6 tháng đầu năm 2023".
    HalfYear,
    /// A whole year: "Trong năm 2019".
    Year,
    /// From one point to another: "Từ tháng 12/2022 đến cuối tháng 01/2023".
    Range,
    /// Repeats within the plan year: "Định kỳ hàng quý".
    Recurring,
    /// Continuous work through the plan year: "Thường xuyên".
    Ongoing,
    /// Several dated steps in one cell: "Quý I ban hành kế hoạch; thực hiện trong năm 2024".
    Milestones,
    /// Depends on an event: "Khi có hướng dẫn của Trung ương".
    Conditional,
    /// No readable date: "Theo Kế hoạch", empty or unreadable text.
    Unscheduled,
}

/// A task deadline as read from its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// The original text, trimmed; always kept so nothing is lost.
    pub text: String,
    /// What the text expresses.
    pub kind: DeadlineKind,
    /// First day of the window (`None` when not placeable).
    #[serde(serialize_with = "iso_date")]
    pub start: Option<Date>,
    /// Last day the task may be finished, inclusive (`None` when not placeable).
    #[serde(serialize_with = "iso_date")]
    pub end: Option<Date>,
    /// RFC 5545 RRULE value for recurring deadlines, bounded by `UNTIL=<year>1231`. Occurrences
    /// fall at period ends: quarterly is `FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1`.
    pub rrule: Option<String>,
    /// The steps of a [`DeadlineKind::Milestones`] deadline, in text order; empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Deadline>,
    // --- issue 13: open ends and notes (re-apply with the type wherever it lives) ---
    /// What the text says that could not be placed: an open or conditional part ("duy trì sau
    /// đó", "đến khi …"), a vision year ("tầm nhìn đến năm 2050"), the coarser cadences beside
    /// the one kept. An open start ("từ năm 2026 trở đi") has `start` and no `end`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Deadline {
    /// True when the deadline has a last day, i.e. can be shown on a calendar.
    pub fn is_placeable(&self) -> bool {
        self.end.is_some()
    }

    pub(super) fn unplaced(text: &str, kind: DeadlineKind) -> Deadline {
        Deadline::window(text, kind, None)
    }

    pub(super) fn window(text: &str, kind: DeadlineKind, bounds: Option<(Date, Date)>) -> Deadline {
        Deadline {
            text: text.to_string(),
            kind,
            start: bounds.map(|b| b.0),
            end: bounds.map(|b| b.1),
            rrule: None,
            parts: Vec::new(),
            note: None,
        }
    }

    /// True for an open start: work from `start` on, with no last day ("từ năm 2026").
    pub fn is_open(&self) -> bool {
        self.start.is_some() && self.end.is_none()
    }
}

/// jiff is built without its `serde` feature here, so dates are written as ISO strings by hand.
fn iso_date<S: serde::Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

/// Reads a deadline text. `year` is the document's `year` (or the year of its date), used when
/// the text omits one ("Quý I", "Thường xuyên trong năm", "15/3").
pub fn parse_deadline(text: &str, year: Option<i16>) -> Deadline {
    parse_deadline_at(text, year, None)
}

/// [`parse_deadline`] knowing the document's date (`issued`), from which relative deadlines
/// count: "trong 05 ngày làm việc", "15 ngày kể từ ngày ký".
pub fn parse_deadline_at(text: &str, year: Option<i16>, issued: Option<Date>) -> Deadline {
    let trimmed = text.trim();
    let norm = nfc(head(trimmed, MAX_READ));
    let tokens = tokenize(&norm);
    // A can-chi year name repeats every 60 years: take the one nearest the plan year, else the
    // middle of the Tết table.
    let near = year.filter(|y| YEARS.contains(y)).unwrap_or(2025);
    let mut clauses: Vec<Clause> = Vec::new();
    for (range, after_comma) in split_clauses(&tokens) {
        let carry = if after_comma {
            clauses.last().and_then(|c| list_tail(c, &tokens))
        } else {
            None
        };
        clauses.push(scan_clause(&tokens, range, carry, near));
    }
    // A list continued over commas shares its year: "Quý I, II/2019" is Quý I/2019.
    for k in (1..clauses.len()).rev() {
        if clauses.get(k).is_some_and(|c| c.continues) {
            let scope = clauses.get(k).map_or(0, |c| c.year_scope_end);
            if let Some(prev) = clauses.get_mut(k - 1) {
                prev.year_scope_end = scope;
            }
        }
    }
    cadence::anchor_yearless_days(&mut clauses);
    let years = Years::new(&clauses, year.filter(|y| YEARS.contains(y)));
    let ctx = Ctx {
        years: &years,
        issued,
    };
    let parts = clauses
        .iter()
        .flat_map(|clause| clause_parts(clause, &norm, &tokens, &ctx))
        .collect();
    combine(trimmed, parts)
}

/// The longest prefix of `s` of at most `max` bytes that ends on a char boundary.
fn head(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}
