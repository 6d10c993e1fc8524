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

use std::collections::BTreeSet;
use std::ops::Range;

use jiff::civil::Date;
use serde::Serialize;

use crate::text::{fold, nfc};

#[cfg(test)]
mod tests;

/// Only this many leading bytes are read: a deadline cell is a line or two, and the cap keeps
/// the cost of pathological input (a pasted document, 1 MB of digits) small and fixed.
const MAX_READ: usize = 4096;

/// Years outside this range are treated as misreadings (OCR, typos), never placed on a calendar.
const YEARS: std::ops::RangeInclusive<i16> = 1900..=2200;

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
}

impl Deadline {
    /// True when the deadline has a last day, i.e. can be shown on a calendar.
    pub fn is_placeable(&self) -> bool {
        self.end.is_some()
    }

    fn unplaced(text: &str, kind: DeadlineKind) -> Deadline {
        Deadline::window(text, kind, None)
    }

    fn window(text: &str, kind: DeadlineKind, bounds: Option<(Date, Date)>) -> Deadline {
        Deadline {
            text: text.to_string(),
            kind,
            start: bounds.map(|b| b.0),
            end: bounds.map(|b| b.1),
            rrule: None,
            parts: Vec::new(),
        }
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
    let trimmed = text.trim();
    let norm = nfc(head(trimmed, MAX_READ));
    let tokens = tokenize(&norm);
    let mut clauses: Vec<Clause> = Vec::new();
    for (range, after_comma) in split_clauses(&tokens) {
        let carry = if after_comma {
            clauses.last().and_then(|c| list_tail(c, &tokens))
        } else {
            None
        };
        clauses.push(scan_clause(&tokens, range, carry));
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
    let years = Years::new(&clauses, year.filter(|y| YEARS.contains(y)));
    let parts = clauses
        .iter()
        .flat_map(|clause| clause_parts(clause, &norm, &tokens, &years))
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

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// A folded word: lower-case ASCII, no diacritics.
    Word(String),
    /// A run of digits; `value` is `None` when it does not fit (hostile input).
    Num {
        value: Option<u32>,
        len: usize,
    },
    Slash,
    /// `.` or `,` between two digits ("15.3.2024").
    Dot,
    /// Any dash or tilde: a range connector, or a date separator in "01-3-2024".
    Dash,
    /// `; . : ( ) [ ] ! ?` elsewhere: ends a clause.
    Break,
    /// `,` elsewhere: ends a clause, but the next may continue a list ("Quý I, II/2019").
    Comma,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// Byte range in the normalised text (always on char boundaries).
    start: usize,
    end: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Punct {
    Slash,
    Dash,
    Dot,
    Break,
}

fn punct(c: char) -> Option<Punct> {
    match c {
        '/' | '\\' => Some(Punct::Slash),
        '-' | '‐' | '‑' | '‒' | '–' | '—' | '−' | '~' => Some(Punct::Dash),
        '.' | ',' => Some(Punct::Dot),
        ';' | ':' | '(' | ')' | '[' | ']' | '!' | '?' | '…' => Some(Punct::Break),
        _ => None,
    }
}

fn tokenize(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word_start: Option<usize> = None;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let kind = punct(c);
        if kind.is_none() && !c.is_whitespace() {
            word_start.get_or_insert(i);
            continue;
        }
        let digits_before = word_start
            .and_then(|w| s.get(w..i))
            .is_some_and(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()));
        flush_word(s, &mut word_start, i, &mut out);
        let digit_after = chars.peek().is_some_and(|&(_, n)| n.is_ascii_digit());
        let tok = match kind {
            None => continue,
            Some(Punct::Slash) => Tok::Slash,
            Some(Punct::Dash) => Tok::Dash,
            Some(Punct::Dot) if digits_before && digit_after => Tok::Dot,
            Some(Punct::Dot) if c == ',' => Tok::Comma,
            Some(Punct::Dot | Punct::Break) => Tok::Break,
        };
        out.push(Token {
            tok,
            start: i,
            end: i + c.len_utf8(),
        });
    }
    flush_word(s, &mut word_start, s.len(), &mut out);
    out
}

/// Folds the pending word `s[start..end]` and pushes its pieces (fold may split it, e.g. "S&N").
fn flush_word(s: &str, start: &mut Option<usize>, end: usize, out: &mut Vec<Token>) {
    let Some(begin) = start.take() else { return };
    let Some(raw) = s.get(begin..end) else { return };
    for piece in fold(raw).split(' ').filter(|p| !p.is_empty()) {
        let tok = if piece.bytes().all(|b| b.is_ascii_digit()) {
            // More than 9 digits cannot be a day, month, quarter or year; keep it unreadable.
            let value = if piece.len() <= 9 {
                piece.parse().ok()
            } else {
                None
            };
            Tok::Num {
                value,
                len: piece.len(),
            }
        } else {
            Tok::Word(piece.to_string())
        };
        out.push(Token {
            tok,
            start: begin,
            end,
        });
    }
}

/// Token ranges of the clauses, each with whether a comma (not `;` or `.`) came right before it.
fn split_clauses(tokens: &[Token]) -> Vec<(Range<usize>, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut after_comma = false;
    for (i, t) in tokens.iter().enumerate() {
        if matches!(t.tok, Tok::Break | Tok::Comma) {
            if i > start {
                out.push((start..i, after_comma));
            }
            // Only a comma that directly follows a clause continues its list.
            after_comma = t.tok == Tok::Comma && i > start;
            start = i + 1;
        }
    }
    if tokens.len() > start {
        out.push((start..tokens.len(), after_comma));
    }
    out
}

// Small readers over a clause's tokens; `None` past the end, never a panic.

fn tok(c: &[Token], i: usize) -> Option<&Tok> {
    c.get(i).map(|t| &t.tok)
}

fn word(c: &[Token], i: usize) -> Option<&str> {
    match tok(c, i) {
        Some(Tok::Word(w)) => Some(w.as_str()),
        _ => None,
    }
}

/// The number at `i` as (value, digit count); an oversized number has value `u32::MAX`.
fn num(c: &[Token], i: usize) -> Option<(u32, usize)> {
    match tok(c, i) {
        Some(Tok::Num { value, len }) => Some((value.unwrap_or(u32::MAX), *len)),
        _ => None,
    }
}

fn is_date_sep(c: &[Token], i: usize) -> bool {
    matches!(tok(c, i), Some(Tok::Slash | Tok::Dot))
}

fn word_in(c: &[Token], i: usize, set: &[&str]) -> bool {
    word(c, i).is_some_and(|w| set.contains(&w))
}

// OCR'd scans lose diacritics and misread letters; these are the spellings seen in the seeds.
const YEAR_WORDS: &[&str] = &["nam", "nim", "ndm", "niam", "ndam", "nem", "narn"];
const MONTH_WORDS: &[&str] = &["thang", "thing", "thdng", "thdang"];
const DAY_WORDS: &[&str] = &["ngay", "ngdy", "ngiy"];
const QUARTER_WORDS: &[&str] = &["quy", "qui"];
const FIRST_WORDS: &[&str] = &["dau", "diu"];
const LAST_WORDS: &[&str] = &["cuoi", "cudi", "cubi"];
/// Words before a bare "năm" that make it mean "the (plan) year": "trong năm", "cả năm".
const WHOLE_YEAR_LEAD: &[&str] = &["trong", "ca", "cuoi", "cudi", "cubi", "het", "suot"];
/// "đến", "tới" (OCR "pen" for "Đến").
const RANGE_WORDS: &[&str] = &["den", "toi", "pen"];
/// Words that may sit between two atoms of a range without breaking it.
const NEUTRAL_WORDS: &[&str] = &["het", "cuoi", "cudi", "cubi", "tu", "tir", "truoc", "ngay"];

// ---------------------------------------------------------------------------------------------
// Atoms: date expressions

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day { day: u32, month: u32 },
    Month(u32),
    Quarter(u32),
    Half(u32),
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum YearSpec {
    Given(i16),
    Missing,
    /// Written but unusable (two digits, out of range): the atom is unreadable.
    Bad,
}

#[derive(Debug, Clone, Copy)]
struct Atom {
    unit: Unit,
    year: YearSpec,
    /// Global index of the first token, for year look-up.
    pos: usize,
    /// Byte range in the normalised text.
    start: usize,
    end: usize,
}

#[derive(Debug, Clone, Copy)]
enum Item {
    One(Atom),
    Range(Atom, Atom),
}

/// An atom found at a clause position: (unit, year, tokens used).
type Found = (Unit, YearSpec, usize);

fn year_of(value: u32, len: usize) -> YearSpec {
    match i16::try_from(value) {
        Ok(y) if len >= 3 && YEARS.contains(&y) => YearSpec::Given(y),
        _ => YearSpec::Bad,
    }
}

/// Reads "/2024", ".2024", "-2024" or "năm 2024" after a unit: (year, tokens used).
fn year_suffix(c: &[Token], i: usize) -> (YearSpec, usize) {
    match tok(c, i) {
        Some(Tok::Slash | Tok::Dot) => match num(c, i + 1) {
            Some((v, len)) => (year_of(v, len), 2),
            None => (YearSpec::Missing, 0),
        },
        Some(Tok::Dash) => match num(c, i + 1) {
            Some((v, len)) if len >= 4 => (year_of(v, len), 2),
            _ => (YearSpec::Missing, 0),
        },
        Some(Tok::Word(w)) if YEAR_WORDS.contains(&w.as_str()) => match num(c, i + 1) {
            Some((v, len)) => (year_of(v, len), 2),
            None => (YearSpec::Missing, 1),
        },
        _ => (YearSpec::Missing, 0),
    }
}

/// A quarter numeral, tolerant of OCR: "I", "1", "l", "11" = II, "111" = III, "1V"/"lV" = IV.
fn quarter_numeral(c: &[Token], i: usize) -> Option<u32> {
    match tok(c, i)? {
        Tok::Num {
            value: Some(11),
            len: 2,
        } => Some(2),
        Tok::Num {
            value: Some(111),
            len: 3,
        } => Some(3),
        Tok::Num { value, .. } => Some(value.unwrap_or(u32::MAX)),
        Tok::Word(w) => roman(w),
        _ => None,
    }
}

fn roman(w: &str) -> Option<u32> {
    if w.len() > 4 {
        return None;
    }
    let mut norm = String::with_capacity(4);
    for ch in w.chars() {
        match ch {
            '1' | 'l' | 'i' | 'j' => norm.push('i'),
            'v' => norm.push('v'),
            _ => return None,
        }
    }
    match norm.as_str() {
        "i" => Some(1),
        "ii" => Some(2),
        "iii" => Some(3),
        "iv" => Some(4),
        _ => None,
    }
}

/// "Q2" and "T12" shorthands: the number after the prefix letter.
fn prefixed_number(w: &str, prefix: char) -> Option<u32> {
    let rest = w.strip_prefix(prefix)?;
    if rest.is_empty() || rest.len() > 2 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}

fn quarter_atom(c: &[Token], i: usize) -> Option<Found> {
    let w = word(c, i)?;
    let (q, used) = match prefixed_number(w, 'q') {
        Some(q) => (q, 1),
        None if QUARTER_WORDS.contains(&w) => (quarter_numeral(c, i + 1)?, 2),
        None => return None,
    };
    let (year, y_used) = year_suffix(c, i + used);
    Some((Unit::Quarter(q), year, used + y_used))
}

fn month_atom(c: &[Token], i: usize) -> Option<Found> {
    let w = word(c, i)?;
    let (m, used) = match prefixed_number(w, 't') {
        Some(m) => (m, 1),
        None if MONTH_WORDS.contains(&w) => (num(c, i + 1)?.0, 2),
        None => return None,
    };
    let (year, y_used) = year_suffix(c, i + used);
    Some((Unit::Month(m), year, used + y_used))
}

/// "ngày 15/3[/2024]", "ngày 01-3-2024", "ngày 15 tháng 3 [năm 2024]".
fn day_atom(c: &[Token], i: usize) -> Option<Found> {
    if !word_in(c, i, DAY_WORDS) {
        return None;
    }
    let (day, _) = num(c, i + 1)?;
    let sep = i + 2;
    let dashed = tok(c, sep) == Some(&Tok::Dash);
    if !(is_date_sep(c, sep) || dashed || word_in(c, sep, MONTH_WORDS)) {
        return None;
    }
    let (month, _) = num(c, sep + 1)?;
    let (year, y_used) = year_suffix(c, sep + 2);
    // A dash only separates a full day-month-year; "ngày 1 - 5" is not a date.
    if dashed && y_used == 0 {
        return None;
    }
    Some((Unit::Day { day, month }, year, 4 + y_used))
}

/// Number-only forms: ISO "2024-03-15", "15/3/2024", "01-3-2024", "12/2024", "15/3".
fn numeric_atom(c: &[Token], i: usize) -> Option<Found> {
    let (a, a_len) = num(c, i)?;
    if i.checked_sub(1).is_some_and(|p| word(c, p) == Some("so")) {
        return None; // "số 15/3…" is a document number
    }
    let sep1 = tok(c, i + 1)?;
    if !matches!(sep1, Tok::Slash | Tok::Dot | Tok::Dash) {
        return None;
    }
    let (b, b_len) = num(c, i + 2)?;
    let third = match (tok(c, i + 3), num(c, i + 4)) {
        (Some(Tok::Slash | Tok::Dot | Tok::Dash), Some(n)) => Some(n),
        _ => None,
    };
    if let Some((d, d_len)) = third {
        if looks_like_doc_number(c, i + 5) {
            return None;
        }
        if a_len == 4 && b_len <= 2 && d_len <= 2 {
            return Some((Unit::Day { day: d, month: b }, year_of(a, a_len), 5));
        }
        if (1..=31).contains(&a) && (1..=12).contains(&b) && d_len >= 3 {
            return Some((Unit::Day { day: a, month: b }, year_of(d, d_len), 5));
        }
        return None;
    }
    if *sep1 == Tok::Dash || looks_like_doc_number(c, i + 3) {
        return None;
    }
    if b_len >= 4 && (1..=12).contains(&a) {
        return Some((Unit::Month(a), year_of(b, b_len), 3));
    }
    if (1..=31).contains(&a) && (1..=12).contains(&b) && a_len <= 2 && b_len <= 2 {
        return Some((Unit::Day { day: a, month: b }, YearSpec::Missing, 3));
    }
    None
}

/// True when tokens at `i` continue a document number ("…/NĐ-CP", "…-KH").
fn looks_like_doc_number(c: &[Token], i: usize) -> bool {
    matches!(tok(c, i), Some(Tok::Slash | Tok::Dash)) && word(c, i + 1).is_some()
}

/// "6 tháng đầu/cuối năm [2023]", "nửa đầu năm".
fn half_atom(c: &[Token], i: usize) -> Option<Found> {
    let lead = if num(c, i).is_some_and(|(v, _)| v == 6) && word_in(c, i + 1, MONTH_WORDS) {
        2
    } else if word(c, i) == Some("nua") {
        1
    } else {
        return None;
    };
    let half = if word_in(c, i + lead, FIRST_WORDS) {
        1
    } else if word_in(c, i + lead, LAST_WORDS) {
        2
    } else {
        return None;
    };
    let (year, y_used) = year_suffix(c, i + lead + 1);
    Some((Unit::Half(half), year, lead + 1 + y_used))
}

/// "năm 2024", or a bare "năm" after "trong", "cả", "cuối", "hết", "suốt".
fn year_atom(c: &[Token], i: usize) -> Option<Found> {
    if !word_in(c, i, YEAR_WORDS) {
        return None;
    }
    match num(c, i + 1) {
        Some((v, len)) if len >= 3 => Some((Unit::Year, year_of(v, len), 2)),
        Some(_) => None, // "năm 2 lần" and the like
        None => {
            let lead = i
                .checked_sub(1)
                .is_some_and(|p| word_in(c, p, WHOLE_YEAR_LEAD));
            lead.then_some((Unit::Year, YearSpec::Missing, 1))
        }
    }
}

fn atom_at(c: &[Token], i: usize) -> Option<Found> {
    half_atom(c, i)
        .or_else(|| day_atom(c, i))
        .or_else(|| quarter_atom(c, i))
        .or_else(|| month_atom(c, i))
        .or_else(|| year_atom(c, i))
        .or_else(|| numeric_atom(c, i))
}

/// After "Quý I đến", "tháng 3 -", "năm 2019 -": the second end may omit the unit word.
fn continuation_at(c: &[Token], i: usize, prev: Unit) -> Option<Found> {
    match prev {
        Unit::Quarter(_) => {
            let q = quarter_numeral(c, i).filter(|q| (1..=4).contains(q))?;
            let (year, used) = year_suffix(c, i + 1);
            Some((Unit::Quarter(q), year, 1 + used))
        }
        Unit::Month(_) => {
            let (m, len) = num(c, i)?;
            if len > 2 || !(1..=12).contains(&m) {
                return None;
            }
            let (year, used) = year_suffix(c, i + 1);
            // "15/3" after a month is a day, not the month 15 of year 3.
            if used == 0 && is_date_sep(c, i + 1) {
                return None;
            }
            Some((Unit::Month(m), year, 1 + used))
        }
        Unit::Year => match num(c, i)? {
            (v, len) if len >= 3 => Some((Unit::Year, year_of(v, len), 1)),
            _ => None,
        },
        Unit::Day { .. } | Unit::Half(_) => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Recurrence

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Every {
    Day,
    Week,
    /// Every n months, n in 1..=12 (12 = yearly).
    Months(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Recur {
    every: Every,
    /// Occurrences per period ("Mỗi tháng 02 kỳ" = 2).
    per: u32,
    /// Day of the month for monthly work due on a fixed day ("ngày 15 hằng tháng").
    day: Option<u32>,
}

impl Recur {
    fn new(every: Every, per: u32, day: Option<u32>) -> Recur {
        Recur { every, per, day }
    }
}

fn unit_at(c: &[Token], i: usize) -> Option<(Every, usize)> {
    if let Some((n, _)) = num(c, i) {
        return ((1..=12).contains(&n) && word_in(c, i + 1, MONTH_WORDS))
            .then_some((Every::Months(n), 2));
    }
    let w = word(c, i)?;
    let every = if DAY_WORDS.contains(&w) {
        Every::Day
    } else if w == "tuan" {
        Every::Week
    } else if MONTH_WORDS.contains(&w) {
        Every::Months(1)
    } else if QUARTER_WORDS.contains(&w) {
        Every::Months(3)
    } else if YEAR_WORDS.contains(&w) {
        Every::Months(12)
    } else {
        return None;
    };
    Some((every, 1))
}

/// "02 kỳ", "một lần" after a period: (count, tokens used); (1, 0) when absent.
fn count_at(c: &[Token], i: usize) -> (u32, usize) {
    let n = match tok(c, i) {
        Some(Tok::Num { value: Some(n), .. }) => Some(*n),
        Some(Tok::Word(w)) => match w.as_str() {
            "mot" => Some(1),
            "hai" => Some(2),
            "ba" => Some(3),
            "bon" => Some(4),
            _ => None,
        },
        _ => None,
    };
    match n {
        Some(n) if word_in(c, i + 1, &["ky", "ki", "lan"]) => (n, 2),
        _ => (1, 0),
    }
}

/// "định kỳ [hàng] quý", "định kỳ 6 tháng", "hằng tuần", "mỗi tháng 02 kỳ", "2 lần/tháng".
fn recur_at(c: &[Token], i: usize) -> Option<(Recur, usize)> {
    let w = word(c, i).unwrap_or("");
    let (every, used) = if matches!(w, "dinh" | "binh") && word_in(c, i + 1, &["ky", "ki"]) {
        let skip = usize::from(word_in(c, i + 2, &["hang", "moi"]));
        let (every, used) = unit_at(c, i + 2 + skip)?;
        (every, 2 + skip + used)
    } else if matches!(w, "hang" | "moi") {
        // "xếp hạng năm 2023" is a ranking, not "hằng năm".
        if i.checked_sub(1).is_some_and(|p| word(c, p) == Some("xep")) {
            return None;
        }
        let (every, used) = unit_at(c, i + 1)?;
        if every == Every::Months(12) && num(c, i + 1 + used).is_some_and(|(_, len)| len >= 3) {
            return None;
        }
        if let Some(day) = day_before(c, i).filter(|_| every == Every::Months(1)) {
            return Some((Recur::new(every, 1, Some(day)), 1 + used));
        }
        (every, 1 + used)
    } else {
        let (per, used) = count_at(c, i);
        if used == 0 {
            return None;
        }
        let skip = usize::from(
            tok(c, i + used) == Some(&Tok::Slash)
                || word_in(c, i + used, &["moi", "hang", "trong"]),
        );
        let (every, u_used) = unit_at(c, i + used + skip)?;
        return Some((Recur::new(every, per, None), used + skip + u_used));
    };
    let (per, c_used) = count_at(c, i + used);
    Some((Recur::new(every, per, None), used + c_used))
}

/// "ngày 15" right before "hằng tháng".
fn day_before(c: &[Token], i: usize) -> Option<u32> {
    let (day, len) = num(c, i.checked_sub(1)?)?;
    let is_day = word_in(c, i.checked_sub(2)?, DAY_WORDS) && len <= 2 && (1..=31).contains(&day);
    is_day.then_some(day)
}

// ---------------------------------------------------------------------------------------------
// Clauses

#[derive(Debug)]
struct Clause {
    /// Global token range.
    range: Range<usize>,
    items: Vec<Item>,
    recur: Option<(usize, Recur)>,
    ongoing: Option<usize>,
    /// Position of "khi", "sau khi", "nếu": the rest depends on an event.
    cond: Option<usize>,
    /// "đột xuất", "theo yêu cầu": ad hoc work; conditional only when nothing else is said.
    adhoc: bool,
    /// Its first atom continues the previous clause's list ("…, II/2019").
    continues: bool,
    /// End (token index) of the span whose stated years fill this clause's missing ones.
    year_scope_end: usize,
}

/// How the last atom relates to what follows it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    /// No atom yet, or other words since: the next atom stands alone.
    Broken,
    /// Right after an atom.
    Adjacent,
    /// After "atom đến" / "atom -": the next atom closes a range.
    Range,
    /// After "atom và": the next atom is another milestone, and may omit its unit word.
    List,
}

/// The unit of a clause's last atom when the clause ends with it, so a comma list can go on.
fn list_tail(clause: &Clause, tokens: &[Token]) -> Option<Unit> {
    let atom = last_atom(&clause.items)?;
    let clause_end = clause
        .range
        .end
        .checked_sub(1)
        .and_then(|i| tokens.get(i))?
        .end;
    (atom.end == clause_end).then_some(atom.unit)
}

fn scan_clause(tokens: &[Token], range: Range<usize>, carry: Option<Unit>) -> Clause {
    let c = tokens.get(range.clone()).unwrap_or(&[]);
    let base = range.start;
    let scope_end = range.end;
    let mut clause = Clause {
        range,
        items: Vec::new(),
        recur: None,
        ongoing: None,
        cond: None,
        adhoc: false,
        continues: false,
        year_scope_end: scope_end,
    };
    if let Some(atom) = lone_year(c, base) {
        clause.items.push(Item::One(atom));
        return clause;
    }
    let mut link = if carry.is_some() {
        Link::List
    } else {
        Link::Broken
    };
    let mut doc_number_end: Option<usize> = None;
    let mut i = 0;
    while i < c.len() {
        if clause.recur.is_none() {
            if let Some((r, used)) = recur_at(c, i) {
                clause.recur = Some((base + i, r));
                link = Link::Broken;
                i += used;
                continue;
            }
        }
        let prev = last_atom(&clause.items).map(|a| a.unit).or(carry);
        let continued = match (link, prev) {
            (Link::Range | Link::List, Some(unit)) => continuation_at(c, i, unit),
            _ => None,
        };
        if continued.is_some() && clause.items.is_empty() && i == 0 {
            clause.continues = carry.is_some();
        }
        let found = continued.or_else(|| atom_at(c, i));
        if let Some((unit, year, used)) = found {
            // "Kế hoạch số 140/KH-UBND ngày 14/10/2021" cites a document; its date is no deadline.
            let cited = word_in(c, i, DAY_WORDS) && doc_number_end.is_some_and(|e| i <= e + 4);
            if cited {
                link = Link::Broken;
            } else {
                let atom = make_atom(c, base, i, used, unit, year);
                push_atom(&mut clause.items, atom, link == Link::Range);
                link = Link::Adjacent;
            }
            i += used;
            continue;
        }
        if num(c, i).is_some() && tok(c, i + 1) == Some(&Tok::Slash) && word(c, i + 2).is_some() {
            doc_number_end = Some(i + 2);
        }
        link = next_link(c, i, link);
        note_markers(c, i, base, &mut clause);
        i += 1;
    }
    clause
}

/// A clause holding only "2024" means that year.
fn lone_year(c: &[Token], base: usize) -> Option<Atom> {
    let [only] = c else { return None };
    let Tok::Num {
        value: Some(v),
        len: 4,
    } = only.tok
    else {
        return None;
    };
    let (start, end) = (only.start, only.end);
    Some(Atom {
        unit: Unit::Year,
        year: year_of(v, 4),
        pos: base,
        start,
        end,
    })
}

fn make_atom(c: &[Token], base: usize, i: usize, used: usize, unit: Unit, year: YearSpec) -> Atom {
    let start = c.get(i).map_or(0, |t| t.start);
    let end = c.get(i + used.saturating_sub(1)).map_or(start, |t| t.end);
    Atom {
        unit,
        year,
        pos: base + i,
        start,
        end,
    }
}

fn last_atom(items: &[Item]) -> Option<&Atom> {
    match items.last()? {
        Item::One(a) | Item::Range(_, a) => Some(a),
    }
}

fn push_atom(items: &mut Vec<Item>, atom: Atom, closes_range: bool) {
    if closes_range {
        if let Some(Item::One(first)) = items.last().copied() {
            items.pop();
            items.push(Item::Range(first, atom));
            return;
        }
    }
    items.push(Item::One(atom));
}

fn next_link(c: &[Token], i: usize, link: Link) -> Link {
    let after_atom = matches!(link, Link::Adjacent | Link::Range);
    match tok(c, i) {
        Some(Tok::Dash) if after_atom => Link::Range,
        Some(Tok::Word(w)) if after_atom && RANGE_WORDS.contains(&w.as_str()) => Link::Range,
        Some(Tok::Word(w)) if link == Link::Adjacent && matches!(w.as_str(), "va" | "hoac") => {
            Link::List
        }
        Some(Tok::Word(w)) if NEUTRAL_WORDS.contains(&w.as_str()) => link,
        _ => Link::Broken,
    }
}

fn note_markers(c: &[Token], i: usize, base: usize, clause: &mut Clause) {
    let Some(w) = word(c, i) else { return };
    let ongoing = w == "xuyen" || (w == "lien" && word(c, i + 1) == Some("tuc"));
    if ongoing {
        clause.ongoing.get_or_insert(base + i);
    }
    if matches!(w, "khi" | "neu") {
        clause.cond.get_or_insert(base + i);
    }
    let next = word(c, i + 1);
    if (w == "dot" && next == Some("xuat")) || (w == "theo" && next == Some("yeu")) {
        clause.adhoc = true;
    }
}

// ---------------------------------------------------------------------------------------------
// Years and calendar windows

/// Fills in years an atom omits: from a later atom of the same clause ("Từ ngày 01/3 đến ngày
/// 15/3/2024", "Quý II và III/2023"), else the plan year, else any later or earlier atom.
struct Years {
    /// (global token position, year) of every atom that states its year, in text order.
    given: Vec<(usize, i16)>,
    plan: Option<i16>,
}

impl Years {
    fn new(clauses: &[Clause], plan: Option<i16>) -> Years {
        let mut given = Vec::new();
        for item in clauses.iter().flat_map(|c| &c.items) {
            let (a, b) = match item {
                Item::One(a) => (a, None),
                Item::Range(a, b) => (a, Some(b)),
            };
            for atom in std::iter::once(a).chain(b) {
                if let YearSpec::Given(y) = atom.year {
                    given.push((atom.pos, y));
                }
            }
        }
        Years { given, plan }
    }

    fn at(&self, pos: usize, clause_end: usize) -> Option<i16> {
        let next = self.given.partition_point(|&(p, _)| p < pos);
        let following = self.given.get(next);
        following
            .filter(|&&(p, _)| p < clause_end)
            .map(|&(_, y)| y)
            .or(self.plan)
            .or(following.map(|&(_, y)| y))
            .or_else(|| {
                next.checked_sub(1)
                    .and_then(|k| self.given.get(k))
                    .map(|&(_, y)| y)
            })
    }
}

fn ymd(year: i16, month: u32, day: u32) -> Option<Date> {
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

fn bounds(unit: Unit, year: i16) -> Option<(Date, Date)> {
    if !YEARS.contains(&year) {
        return None;
    }
    let month_span =
        |first: u32, last: u32| Some((ymd(year, first, 1)?, ymd(year, last, 1)?.last_of_month()));
    match unit {
        Unit::Day { day, month } => ymd(year, month, day).map(|d| (d, d)),
        Unit::Month(m) => month_span(m, m),
        Unit::Quarter(q @ 1..=4) => month_span(q * 3 - 2, q * 3),
        Unit::Half(h @ 1..=2) => month_span(h * 6 - 5, h * 6),
        Unit::Year => month_span(1, 12),
        Unit::Quarter(_) | Unit::Half(_) => None,
    }
}

fn kind_of(unit: Unit) -> DeadlineKind {
    match unit {
        Unit::Day { .. } => DeadlineKind::Date,
        Unit::Month(_) => DeadlineKind::Month,
        Unit::Quarter(_) => DeadlineKind::Quarter,
        Unit::Half(_) => DeadlineKind::HalfYear,
        Unit::Year => DeadlineKind::Year,
    }
}

/// The atom's year and whether the text states it; `Err` when the written year is unusable.
fn atom_year(atom: &Atom, years: &Years, clause_end: usize) -> Result<Option<(i16, bool)>, ()> {
    match atom.year {
        YearSpec::Given(y) => Ok(Some((y, true))),
        YearSpec::Missing => Ok(years.at(atom.pos, clause_end).map(|y| (y, false))),
        YearSpec::Bad => Err(()),
    }
}

fn item_deadline(item: &Item, text: &str, years: &Years, clause_end: usize) -> Deadline {
    let unscheduled = Deadline::unplaced(text, DeadlineKind::Unscheduled);
    match item {
        Item::One(a) => match atom_year(a, years, clause_end) {
            Err(()) => unscheduled,
            Ok(None) => Deadline::unplaced(text, kind_of(a.unit)),
            Ok(Some((y, _))) => match bounds(a.unit, y) {
                Some(b) => Deadline::window(text, kind_of(a.unit), Some(b)),
                None => unscheduled,
            },
        },
        Item::Range(a, b) => match (
            atom_year(a, years, clause_end),
            atom_year(b, years, clause_end),
        ) {
            (Ok(Some(ya)), Ok(Some(yb))) => match range_bounds(a.unit, ya, b.unit, yb) {
                Some(w) => Deadline::window(text, DeadlineKind::Range, Some(w)),
                None => unscheduled,
            },
            (Ok(_), Ok(_)) => Deadline::unplaced(text, DeadlineKind::Range),
            _ => unscheduled,
        },
    }
}

/// A range's window; a borrowed year is moved by one when the ends would cross
/// ("tháng 12 đến tháng 01/2023" starts in December 2022).
fn range_bounds(
    a: Unit,
    (ya, a_given): (i16, bool),
    b: Unit,
    (yb, b_given): (i16, bool),
) -> Option<(Date, Date)> {
    let (mut start, _) = bounds(a, ya)?;
    let (_, mut end) = bounds(b, yb)?;
    // Only a later month before an earlier one crosses New Year; "15/3 đến 01/3" is an error.
    let crosses = start > end && start.month() > end.month();
    if crosses && !a_given && b_given {
        start = bounds(a, ya.checked_sub(1)?)?.0;
    } else if crosses && !b_given {
        end = bounds(b, yb.checked_add(1)?)?.1;
    }
    (start <= end).then_some((start, end))
}

/// Occurrences fall at period ends (the deadline of each period) unless the text anchors them
/// ("trước 15/12 hằng năm", "ngày 15 hằng tháng"); they run from the first one in `year` to
/// 31 December. Returns (first occurrence, last day of year, RRULE).
fn recurrence(r: Recur, year: i16, anchor: Option<Unit>) -> Option<(Date, Date, String)> {
    let end = ymd(year, 12, 31)?;
    let r = normalise(r);
    let (first, rule) = match (r.every, r.day, anchor) {
        (Every::Months(12), _, Some(Unit::Day { day, month })) => {
            let rule = format!("FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}");
            (ymd(year, month, day)?, rule)
        }
        (Every::Months(12), _, Some(Unit::Month(m))) => {
            let last = ymd(year, m, 1)?.last_of_month();
            (last, format!("FREQ=YEARLY;BYMONTH={m};BYMONTHDAY=-1"))
        }
        // RFC 5545 skips months without that day (the 31st), as a plan saying so would.
        (Every::Months(1), Some(d), _) => {
            (ymd(year, 1, d)?, format!("FREQ=MONTHLY;BYMONTHDAY={d}"))
        }
        (Every::Day, ..) => (ymd(year, 1, 1)?, "FREQ=DAILY".to_string()),
        (Every::Week, ..) => (first_friday(year)?, "FREQ=WEEKLY;BYDAY=FR".to_string()),
        (Every::Months(1), None, _) => monthly(year, r.per)?,
        (Every::Months(n), ..) => every_n_months(year, n)?,
    };
    Some((first, end, format!("{rule};UNTIL={year:04}1231")))
}

/// Weekly reports fall due on Friday, the last working day.
fn first_friday(year: i16) -> Option<Date> {
    let jan1 = ymd(year, 1, 1)?;
    let offset = (4 - i32::from(jan1.weekday().to_monday_zero_offset())).rem_euclid(7);
    ymd(year, 1, u32::try_from(1 + offset).ok()?)
}

/// `per` times a month: spread over the month, the last one on its last day.
fn monthly(year: i16, per: u32) -> Option<(Date, String)> {
    let days: &[i32] = match per {
        2 => &[15, -1],
        3 => &[10, 20, -1],
        4 => &[7, 14, 21, -1],
        _ => &[-1],
    };
    let first_day = days.first().copied().filter(|d| *d > 0).unwrap_or(31);
    let list: Vec<String> = days.iter().map(i32::to_string).collect();
    let first = ymd(year, 1, u32::try_from(first_day).ok()?)?;
    Some((first, format!("FREQ=MONTHLY;BYMONTHDAY={}", list.join(","))))
}

/// Every `n` months: the month list is explicit when `n` divides the year (quarterly is
/// `BYMONTH=3,6,9,12`), so the rule does not depend on DTSTART.
fn every_n_months(year: i16, n: u32) -> Option<(Date, String)> {
    let first = ymd(year, n, 1)?.last_of_month();
    if n == 0 || 12 % n != 0 {
        return Some((first, format!("FREQ=MONTHLY;INTERVAL={n};BYMONTHDAY=-1")));
    }
    let months: Vec<String> = (1..=12 / n).map(|k| (k * n).to_string()).collect();
    Some((
        first,
        format!("FREQ=YEARLY;BYMONTH={};BYMONTHDAY=-1", months.join(",")),
    ))
}

/// "Mỗi năm 2 lần" is every 6 months; "mỗi quý 3 lần" is monthly.
fn normalise(r: Recur) -> Recur {
    match r.every {
        Every::Months(n) if n > 1 && r.per > 1 && n % r.per == 0 => {
            Recur::new(Every::Months(n / r.per), 1, None)
        }
        _ => r,
    }
}

fn clause_text<'a>(norm: &'a str, tokens: &[Token], range: &Range<usize>) -> &'a str {
    let start = tokens.get(range.start).map_or(0, |t| t.start);
    let end = range
        .end
        .checked_sub(1)
        .and_then(|i| tokens.get(i))
        .map_or(start, |t| t.end);
    norm.get(start..end).unwrap_or("")
}

/// What one clause says, as zero or more deadlines (several when it lists milestones).
fn clause_parts(clause: &Clause, norm: &str, tokens: &[Token], years: &Years) -> Vec<Deadline> {
    let text = clause_text(norm, tokens, &clause.range);
    let first_atom = clause.items.first().map(|item| match item {
        Item::One(a) | Item::Range(a, _) => a.pos,
    });
    let first_other = [first_atom, clause.recur.map(|r| r.0), clause.ongoing]
        .into_iter()
        .flatten()
        .min();
    if let Some(cond) = clause.cond {
        if first_other.is_none_or(|p| cond < p) {
            return vec![Deadline::unplaced(text, DeadlineKind::Conditional)];
        }
    }
    let year = years.at(clause.range.start, clause.year_scope_end);
    if let Some((_, r)) = clause.recur {
        let mut d = Deadline::unplaced(text, DeadlineKind::Recurring);
        let anchor = match clause.items.as_slice() {
            [Item::One(a)] if a.year != YearSpec::Bad => Some(a.unit),
            _ => None,
        };
        if let Some((first, end, rule)) = year.and_then(|y| recurrence(r, y, anchor)) {
            d.start = Some(first);
            d.end = Some(end);
            d.rrule = Some(rule);
        }
        return vec![d];
    }
    if clause.ongoing.is_some() {
        let window = year.and_then(|y| bounds(Unit::Year, y));
        return vec![Deadline::window(text, DeadlineKind::Ongoing, window)];
    }
    if let [item] = clause.items.as_slice() {
        return vec![item_deadline(item, text, years, clause.year_scope_end)];
    }
    if clause.items.is_empty() && clause.adhoc {
        return vec![Deadline::unplaced(text, DeadlineKind::Conditional)];
    }
    clause
        .items
        .iter()
        .map(|item| {
            let (start, end) = match item {
                Item::One(a) => (a.start, a.end),
                Item::Range(a, b) => (a.start, b.end),
            };
            let item_text = norm.get(start..end).unwrap_or(text);
            item_deadline(item, item_text, years, clause.year_scope_end)
        })
        .collect()
}

/// Joins the clauses' deadlines: unscheduled ones and repeats are dropped; one left gives the
/// result, several placeable ones give milestones spanning from the earliest to the latest.
fn combine(text: &str, parts: Vec<Deadline>) -> Deadline {
    let mut seen = BTreeSet::new();
    let mut kept: Vec<Deadline> = Vec::new();
    for part in parts {
        let key = (part.kind, part.start, part.end, part.rrule.clone());
        if part.kind != DeadlineKind::Unscheduled && seen.insert(key) {
            kept.push(part);
        }
    }
    let placeable: Vec<&Deadline> = kept.iter().filter(|p| p.is_placeable()).collect();
    if placeable.len() >= 2 {
        let start = placeable.iter().filter_map(|p| p.start).min();
        let end = placeable.iter().filter_map(|p| p.end).max();
        let mut d = Deadline::unplaced(text, DeadlineKind::Milestones);
        d.start = start;
        d.end = end;
        d.parts = kept;
        return d;
    }
    let chosen = match placeable.first() {
        Some(p) => Some((*p).clone()),
        None => kept.into_iter().next(),
    };
    match chosen {
        Some(part) => Deadline {
            text: text.to_string(),
            parts: Vec::new(),
            ..part
        },
        None => Deadline::unplaced(text, DeadlineKind::Unscheduled),
    }
}
