//! Relative deadlines: "trong 05 ngày làm việc", "chậm nhất 15 ngày kể từ ngày ký", "không quá
//! 10 ngày làm việc kể từ ngày nhận đủ hồ sơ". Takes a clause's tokens and a position; returns
//! the count, whether it is in working days, and what it counts from. A count from the
//! document's own date (its signing or issue) can be placed once that date is known; a count
//! from an event (a dossier received) cannot, and a bare duration ("08 ngày làm việc", the
//! processing time of a procedure) is no deadline at all.

use jiff::civil::{Date, Weekday};
use jiff::Span;

use super::lex::*;

/// What a relative deadline counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum From {
    /// The document's date: "kể từ ngày ký / ban hành", or "trong N ngày" with no anchor.
    Issue,
    /// Another event: "kể từ ngày nhận đủ hồ sơ".
    Event,
    /// A bare duration, no anchor and no "trong"/"chậm nhất": a processing time.
    Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Relative {
    pub(super) days: u32,
    pub(super) working: bool,
    pub(super) from: From,
}

/// Words right before the count that make it a time limit: "trong", "chậm nhất [là]",
/// "thời hạn", "không quá".
const LEADS: &[&str] = &["trong", "nhat", "la", "han", "qua"];
/// After "kể từ ngày": the document's own date.
const ISSUE_WORDS: &[&str] = &["ky", "ban", "hieu"];

/// "N ngày [làm việc] [, kể từ ngày …]" at `i`: the reading and the tokens used.
/// `c` is the clause, `rest` the tokens from the clause's start to the end of the text.
pub(super) fn relative_at(c: &[Token], rest: &[Token], i: usize) -> Option<(Relative, usize)> {
    let (days, len) = num(c, i)?;
    // "Mười (10) ngày": the numeral in brackets, its unit past the bracket.
    let bracket = usize::from(tok(rest, i + 1) == Some(&Tok::Break));
    let day = i + 1 + bracket;
    if len > 3 || days == 0 || !word_in(rest, day, DAY_WORDS) {
        return None;
    }
    let working = word(rest, day + 1) == Some("lam") && word(rest, day + 2) == Some("viec");
    let span = if working { 3 } else { 1 };
    let used = if bracket == 1 { 1 } else { 1 + span };
    let after = day + span;
    // "ngày 15 tháng 3" reads as a date elsewhere; here the number comes before "ngày".
    let lead = i.checked_sub(1).is_some_and(|p| word_in(c, p, LEADS));
    let from = match anchor_after(rest, after) {
        Some(true) => From::Issue,
        Some(false) => From::Event,
        None if lead && word(c, i.wrapping_sub(1)) != Some("qua") => From::Issue,
        None => From::Duration,
    };
    Some((
        Relative {
            days,
            working,
            from,
        },
        used,
    ))
}

/// Looks a few tokens on for "kể từ ngày …" / "từ ngày …": `Some(true)` when it is the
/// document's date, `Some(false)` for another event, `None` when there is no anchor.
fn anchor_after(c: &[Token], i: usize) -> Option<bool> {
    // Within a few words, over commas and brackets ("(quy đổi 16 giờ) kể từ ngày …").
    let from = (i..i + 8).find(|&k| word_in(c, k, &["tu", "tinh"]))?;
    let day = (from + 1..from + 3).find(|&k| word_in(c, k, DAY_WORDS))?;
    Some(word_in(c, day + 1, ISSUE_WORDS) || word(c, day + 1) == Some("van"))
}

/// The last day of a relative deadline counted from `issued`: calendar days, or working days
/// with Saturdays and Sundays off (public holidays are not known here and not skipped).
pub(super) fn due_from(r: Relative, issued: Date) -> Option<Date> {
    if !r.working {
        return issued.checked_add(Span::new().days(i64::from(r.days))).ok();
    }
    let mut day = issued;
    let mut left = r.days.min(3660);
    while left > 0 {
        day = day.tomorrow().ok()?;
        if !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    Some(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_days_skip_weekends() {
        let fri: Date = "2025-11-21".parse().expect("date");
        let r = Relative {
            days: 5,
            working: true,
            from: From::Issue,
        };
        assert_eq!(
            due_from(r, fri).map(|d| d.to_string()),
            Some("2025-11-28".into())
        );
        let cal = Relative {
            working: false,
            ..r
        };
        assert_eq!(
            due_from(cal, fri).map(|d| d.to_string()),
            Some("2025-11-26".into())
        );
    }
}
