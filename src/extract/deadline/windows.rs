//! Years and calendar windows: fills in the years atoms omit, turns atoms, ranges and cadences
//! into first/last days and RRULEs, and combines a text's clauses into one [`Deadline`].

use jiff::civil::Date;

use super::atoms::*;
use super::clause::Clause;
use super::recur::*;
use super::{Deadline, DeadlineKind, YEARS};

/// Fills in years an atom omits: from a later atom of the same clause ("Từ ngày 01/3 đến ngày
/// 15/3/2024", "Quý II và III/2023"), else the plan year, else any later or earlier atom.
pub(super) struct Years {
    /// (global token position, year) of every atom that states its year, in text order.
    pub(super) given: Vec<(usize, i16)>,
    pub(super) plan: Option<i16>,
}

impl Years {
    pub(super) fn new(clauses: &[Clause], plan: Option<i16>) -> Years {
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

    pub(super) fn at(&self, pos: usize, clause_end: usize) -> Option<i16> {
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

pub(super) fn ymd(year: i16, month: u32, day: u32) -> Option<Date> {
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

pub(super) fn bounds(unit: Unit, year: i16) -> Option<(Date, Date)> {
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

pub(super) fn kind_of(unit: Unit) -> DeadlineKind {
    match unit {
        Unit::Day { .. } => DeadlineKind::Date,
        Unit::Month(_) => DeadlineKind::Month,
        Unit::Quarter(_) => DeadlineKind::Quarter,
        Unit::Half(_) => DeadlineKind::HalfYear,
        Unit::Year => DeadlineKind::Year,
    }
}

/// The atom's year and whether the text states it; `Err` when the written year is unusable.
pub(super) fn atom_year(
    atom: &Atom,
    years: &Years,
    clause_end: usize,
) -> Result<Option<(i16, bool)>, ()> {
    match atom.year {
        YearSpec::Given(y) => Ok(Some((y, true))),
        YearSpec::Missing => Ok(years.at(atom.pos, clause_end).map(|y| (y, false))),
        YearSpec::Bad => Err(()),
    }
}

pub(super) fn item_deadline(item: &Item, text: &str, years: &Years, clause_end: usize) -> Deadline {
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
pub(super) fn range_bounds(
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
pub(super) fn recurrence(
    r: Recur,
    year: i16,
    anchor: Option<Unit>,
) -> Option<(Date, Date, String)> {
    let end = ymd(year, 12, 31)?;
    let r = normalise(r);
    let (first, rule) = match (r.every, r.day, anchor) {
        // A six-monthly or yearly duty due on a named day falls due that day every year ("báo
        // cáo 6 tháng trước ngày 10/6": the half-year report, once a year).
        (Every::Months(6 | 12), _, Some(Unit::Day { day, month })) => {
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
pub(super) fn first_friday(year: i16) -> Option<Date> {
    let jan1 = ymd(year, 1, 1)?;
    let offset = (4 - i32::from(jan1.weekday().to_monday_zero_offset())).rem_euclid(7);
    ymd(year, 1, u32::try_from(1 + offset).ok()?)
}

/// `per` times a month: spread over the month, the last one on its last day.
pub(super) fn monthly(year: i16, per: u32) -> Option<(Date, String)> {
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
pub(super) fn every_n_months(year: i16, n: u32) -> Option<(Date, String)> {
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
pub(super) fn normalise(r: Recur) -> Recur {
    match r.every {
        Every::Months(n) if n > 1 && r.per > 1 && n % r.per == 0 => {
            Recur::new(Every::Months(n / r.per), 1, None)
        }
        _ => r,
    }
}
