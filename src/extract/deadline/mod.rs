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

pub use crate::model::{Deadline, DeadlineKind};

/// Only this many leading bytes are read: a deadline cell is a line or two, and the cap keeps
/// the cost of pathological input (a pasted document, 1 MB of digits) small and fixed.
const MAX_READ: usize = 4096;

/// Years outside this range are treated as misreadings (OCR, typos), never placed on a calendar.
pub(crate) const YEARS: std::ops::RangeInclusive<i16> = 1900..=2200;

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
