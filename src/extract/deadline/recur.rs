//! Recurrence markers: "định kỳ hàng quý", "mỗi tháng 02 kỳ", "ngày 15 hằng tháng". Takes a
//! clause's tokens and a position; returns the cadence found and the tokens it used.

use super::atoms::quarter_numeral;
use super::lex::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Every {
    Day,
    Week,
    /// Every n months, n in 1..=12 (12 = yearly).
    Months(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Recur {
    pub(super) every: Every,
    /// Occurrences per period ("Mỗi tháng 02 kỳ" = 2).
    pub(super) per: u32,
    /// Day of the month for monthly work due on a fixed day ("ngày 15 hằng tháng").
    pub(super) day: Option<u32>,
}

impl Recur {
    pub(super) fn new(every: Every, per: u32, day: Option<u32>) -> Recur {
        Recur { every, per, day }
    }
}

pub(super) fn unit_at(c: &[Token], i: usize) -> Option<(Every, usize)> {
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
pub(super) fn count_at(c: &[Token], i: usize) -> (u32, usize) {
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
pub(super) fn recur_at(c: &[Token], i: usize) -> Option<(Recur, usize)> {
    let w = word(c, i).unwrap_or("");
    if w == "bao" && word(c, i + 1) == Some("cao") {
        return report_at(c, i + 2).map(|(r, used)| (r, 2 + used));
    }
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
    } else if let Some(n) = per_time(c, i) {
        return Some((Recur::new(Every::Months(n), 1, None), 4));
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
pub(super) fn day_before(c: &[Token], i: usize) -> Option<u32> {
    let (day, len) = num(c, i.checked_sub(1)?)?;
    let is_day = word_in(c, i.checked_sub(2)?, DAY_WORDS) && len <= 2 && (1..=31).contains(&day);
    is_day.then_some(day)
}

/// "báo cáo 6 tháng", "báo cáo quý", "báo cáo năm": a periodic report is a cadence, unless the
/// period is a given one ("báo cáo quý I", "báo cáo năm 2025", "báo cáo 6 tháng đầu năm").
fn report_at(c: &[Token], i: usize) -> Option<(Recur, usize)> {
    let (every, used) = unit_at(c, i)?;
    let next = i + used;
    let given = num(c, next).is_some()
        || (every == Every::Months(3) && quarter_numeral(c, next).is_some())
        || word_in(c, next, FIRST_WORDS)
        || word_in(c, next, LAST_WORDS);
    (!given).then_some((Recur::new(every, 1, None), used))
}

/// "06 tháng/lần": every n months.
fn per_time(c: &[Token], i: usize) -> Option<u32> {
    let (n, _) = num(c, i)?;
    let ok = (1..=12).contains(&n)
        && word_in(c, i + 1, MONTH_WORDS)
        && tok(c, i + 2) == Some(&Tok::Slash)
        && word(c, i + 3) == Some("lan");
    ok.then_some(n)
}
