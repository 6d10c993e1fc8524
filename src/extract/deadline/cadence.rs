//! Cadences across clauses: a day and month without a year in a text that names a cadence
//! ("Hằng năm, trước ngày 05 tháng 01"; "báo cáo 6 tháng trước ngày 10/6") falls due every
//! year on that day; when several cadences are named, the finest is kept and the others go to
//! the note. Takes the scanned clauses or the read parts; returns them adjusted or ranked.

use super::atoms::{Item, Unit, YearSpec};
use super::clause::Clause;
use super::recur::{Every, Recur};

/// Gives a yearly recurrence to every clause made only of yearless days, when some clause of
/// the text names a cadence.
pub(super) fn anchor_yearless_days(clauses: &mut [Clause]) {
    if !clauses.iter().any(|c| c.recur.is_some() || c.periodic) {
        return;
    }
    for clause in clauses.iter_mut().filter(|c| c.recur.is_none()) {
        let yearless_days = !clause.items.is_empty()
            && clause.items.iter().all(|item| {
                matches!(item, Item::One(a)
                    if a.year == YearSpec::Missing && matches!(a.unit, Unit::Day { .. }))
            });
        if yearless_days {
            let pos = clause.range.start;
            clause.recur = Some((pos, Recur::new(Every::Months(12), 1, None)));
        }
    }
}

/// How fine an RRULE is: (days between occurrences, 0 when it names a day of the month else 1).
/// Smaller is finer; unknown rules sort last.
pub(super) fn fineness(rrule: &str) -> (u32, u8) {
    let field = |name: &str| {
        rrule
            .split(';')
            .find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
    };
    let count = |name: &str| field(name).map_or(1, |v| v.split(',').count() as u32);
    let interval = field("INTERVAL")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1u32);
    let days = match field("FREQ") {
        Some("DAILY") => interval,
        Some("WEEKLY") => 7 * interval,
        Some("MONTHLY") => 30 * interval / count("BYMONTHDAY").max(1),
        Some("YEARLY") => 365 / count("BYMONTH").max(1),
        _ => u32::MAX,
    };
    let named = field("BYMONTHDAY").is_some_and(|d| d != "-1");
    (days, u8::from(!named))
}

#[cfg(test)]
mod tests {
    use super::fineness;

    #[test]
    fn finer_first() {
        let monthly = fineness("FREQ=MONTHLY;BYMONTHDAY=16;UNTIL=20251231");
        let quarterly = fineness("FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1");
        let yearly_day = fineness("FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=20");
        let yearly = fineness("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=-1");
        assert!(monthly < quarterly && quarterly < yearly_day && yearly_day < yearly);
        assert!(fineness("FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1") > quarterly);
    }
}
