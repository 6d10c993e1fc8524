//! Date atoms: a day, month, quarter, half-year or year at a clause position ("Quý II/2019",
//! "15/3", "6 tháng đầu năm"), with the year it states, if any. Takes a clause's tokens and a
//! position; returns the atom found and how many tokens it used.

use super::lex::*;
use super::YEARS;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Day { day: u32, month: u32 },
    Month(u32),
    Quarter(u32),
    Half(u32),
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum YearSpec {
    Given(i16),
    Missing,
    /// Written but unusable (two digits, out of range): the atom is unreadable.
    Bad,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Atom {
    pub(super) unit: Unit,
    pub(super) year: YearSpec,
    /// Global index of the first token, for year look-up.
    pub(super) pos: usize,
    /// Byte range in the normalised text.
    pub(super) start: usize,
    pub(super) end: usize,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Item {
    One(Atom),
    Range(Atom, Atom),
}

/// An atom found at a clause position: (unit, year, tokens used).
pub(super) type Found = (Unit, YearSpec, usize);

pub(super) fn year_of(value: u32, len: usize) -> YearSpec {
    match i16::try_from(value) {
        Ok(y) if len >= 3 && YEARS.contains(&y) => YearSpec::Given(y),
        _ => YearSpec::Bad,
    }
}

/// Reads "/2024", ".2024", "-2024" or "năm 2024" after a unit: (year, tokens used).
pub(super) fn year_suffix(c: &[Token], i: usize) -> (YearSpec, usize) {
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
pub(super) fn quarter_numeral(c: &[Token], i: usize) -> Option<u32> {
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

pub(super) fn roman(w: &str) -> Option<u32> {
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
pub(super) fn prefixed_number(w: &str, prefix: char) -> Option<u32> {
    let rest = w.strip_prefix(prefix)?;
    if rest.is_empty() || rest.len() > 2 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}

pub(super) fn quarter_atom(c: &[Token], i: usize) -> Option<Found> {
    let w = word(c, i)?;
    let (q, used) = match prefixed_number(w, 'q') {
        Some(q) => (q, 1),
        // "quý cuối năm 2024", "quý đầu năm": the fourth and the first.
        None if QUARTER_WORDS.contains(&w) && word_in(c, i + 1, LAST_WORDS) => (4, 2),
        None if QUARTER_WORDS.contains(&w) && word_in(c, i + 1, FIRST_WORDS) => (1, 2),
        None if QUARTER_WORDS.contains(&w) => (quarter_numeral(c, i + 1)?, 2),
        None => return None,
    };
    let (year, y_used) = year_suffix(c, i + used);
    Some((Unit::Quarter(q), year, used + y_used))
}

pub(super) fn month_atom(c: &[Token], i: usize) -> Option<Found> {
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
pub(super) fn day_atom(c: &[Token], i: usize) -> Option<Found> {
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
pub(super) fn numeric_atom(c: &[Token], i: usize) -> Option<Found> {
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
    // "17,5 ngày" is a count and "1.2." a section number: a day and month without a year is
    // written with a slash ("15/3"), or with a dot only right after "ngày".
    let dotted = *sep1 == Tok::Dot;
    let after_day_word = i.checked_sub(1).is_some_and(|p| word_in(c, p, DAY_WORDS));
    if dotted && (!after_day_word || word_in(c, i + 3, DAY_WORDS)) {
        return None;
    }
    if (1..=31).contains(&a) && (1..=12).contains(&b) && a_len <= 2 && b_len <= 2 {
        return Some((Unit::Day { day: a, month: b }, YearSpec::Missing, 3));
    }
    None
}

/// True when tokens at `i` continue a document number ("…/NĐ-CP", "…-KH").
pub(super) fn looks_like_doc_number(c: &[Token], i: usize) -> bool {
    matches!(tok(c, i), Some(Tok::Slash | Tok::Dash)) && word(c, i + 1).is_some()
}

/// "6 tháng đầu/cuối năm [2023]", "nửa đầu năm".
pub(super) fn half_atom(c: &[Token], i: usize) -> Option<Found> {
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
pub(super) fn year_atom(c: &[Token], i: usize) -> Option<Found> {
    if !word_in(c, i, YEAR_WORDS) {
        return None;
    }
    // "đầu năm 2027" is its first quarter ("6 tháng đầu năm" is read as a half before this).
    let early = i.checked_sub(1).is_some_and(|p| word_in(c, p, FIRST_WORDS));
    match num(c, i + 1) {
        Some((v, len)) if len >= 3 && early => Some((Unit::Quarter(1), year_of(v, len), 2)),
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

pub(super) fn atom_at(c: &[Token], i: usize) -> Option<Found> {
    half_atom(c, i)
        .or_else(|| day_atom(c, i))
        .or_else(|| quarter_atom(c, i))
        .or_else(|| month_atom(c, i))
        .or_else(|| year_atom(c, i))
        .or_else(|| numeric_atom(c, i))
        .or_else(|| bare_year_atom(c, i))
}

/// A year without "năm" in a phase: "giai đoạn 2021 - 2025", "2024-2026", "từ 2025", "năm học
/// 2025-2026". Only after such a word or before "- <year>", so document numbers ("số 255/2025")
/// and amounts stay out.
fn bare_year_atom(c: &[Token], i: usize) -> Option<Found> {
    let (v, len) = num(c, i)?;
    if len != 4 || is_date_sep(c, i + 1) {
        return None;
    }
    let year = year_of(v, len);
    if year == YearSpec::Bad {
        return None;
    }
    let before = i.checked_sub(1);
    if before.is_some_and(|p| matches!(tok(c, p), Some(Tok::Slash | Tok::Dot | Tok::Dash))) {
        return None;
    }
    let lead = before.is_some_and(|p| {
        word_in(
            c,
            p,
            &[
                "doan", "tu", "tir", "den", "toi", "va", "hoac", "trong", "hoc",
            ],
        )
    });
    let span = tok(c, i + 1) == Some(&Tok::Dash) && num(c, i + 2).is_some_and(|(_, l)| l == 4);
    (lead || span).then_some((Unit::Year, year, 1))
}

/// After "Quý I đến", "tháng 3 -", "năm 2019 -": the second end may omit the unit word.
pub(super) fn continuation_at(c: &[Token], i: usize, prev: Unit) -> Option<Found> {
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
