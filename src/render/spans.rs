//! How a task's deadline lies on a calendar: one day (a deadline), a span of days (a range, a
//! phase, milestones, ongoing work over a window), a repetition (an RRULE from its first
//! occurrence to an UNTIL) or an open start (work from a day on, with no end).
//!
//! Takes a [`Deadline`] (and, for repetitions, the end of the document's plan period); returns a
//! [`Shape`], the days a repetition falls on in a month, and the months a shape touches. Used
//! by the HTML calendar, the ICS files and the plan timeline so the three agree.

use jiff::civil::Date;

use crate::model::{Deadline, DeadlineKind};

/// A deadline as laid on a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// Due on one day.
    Day(Date),
    /// Carried out over these days, both inclusive.
    Span(Date, Date),
    /// Falls due on every occurrence of `rrule` (no UNTIL in it) from `first` to `until`.
    Repeats {
        first: Date,
        until: Date,
        rrule: String,
    },
    /// Work from this day on, with no end.
    Open(Date),
}

/// The calendar shape of a deadline; `None` when it has no date. A repetition runs until the
/// later of its own UNTIL and `plan_end`.
pub fn shape(due: &Deadline, plan_end: Option<Date>) -> Option<Shape> {
    if let (Some(rule), Some(first), Some(end)) = (due.rrule.as_deref(), due.start, due.end) {
        let until = plan_end.filter(|p| *p > end).unwrap_or(end);
        let rrule = rule.split(";UNTIL=").next().unwrap_or(rule).to_string();
        return Some(Shape::Repeats {
            first,
            until,
            rrule,
        });
    }
    match (due.start, due.end) {
        (Some(s), None) => Some(Shape::Open(s)),
        (Some(s), Some(e)) if s < e && is_span_kind(due.kind) => Some(Shape::Span(s, e)),
        (_, Some(e)) => Some(Shape::Day(e)),
        (None, None) => None,
    }
}

/// Ranges, phases, milestones and ongoing work are carried out over their window; a month, a
/// quarter or a year ("Quý II/2025") is a deadline at its last day, as plans mean it.
fn is_span_kind(kind: DeadlineKind) -> bool {
    matches!(
        kind,
        DeadlineKind::Range | DeadlineKind::Milestones | DeadlineKind::Ongoing
    )
}

/// The RRULE value with the UNTIL of a repetition, for ICS.
pub fn rrule_with_until(rrule: &str, until: Date) -> String {
    format!("{rrule};UNTIL={}", until.strftime("%Y%m%d"))
}

/// The days of month `y`-`m` a shape marks: its day, the first and last day of a span, every
/// occurrence of a repetition, the first day of an open start.
pub fn days_in_month(shape: &Shape, y: i16, m: i8) -> Vec<Date> {
    let rule = repeat_rule(shape);
    month_days(shape, rule.as_ref(), y, m)
}

/// A repetition's rule, read once for all the months asked of it.
fn repeat_rule(shape: &Shape) -> Option<Rule> {
    match shape {
        Shape::Repeats { rrule, .. } => Some(Rule::parse(rrule)),
        _ => None,
    }
}

/// [`days_in_month`] with the repetition's rule already read (`None` for other shapes).
fn month_days(shape: &Shape, rule: Option<&Rule>, y: i16, m: i8) -> Vec<Date> {
    let Ok(first_of_month) = Date::new(y, m, 1) else {
        return Vec::new();
    };
    let in_month = |d: &Date| d.year() == y && d.month() == m;
    match shape {
        Shape::Day(d) | Shape::Open(d) => [*d].into_iter().filter(in_month).collect(),
        Shape::Span(s, e) => {
            let mut v: Vec<Date> = [*s, *e].into_iter().filter(in_month).collect();
            v.dedup();
            v
        }
        Shape::Repeats { first, until, .. } => {
            let Some(rule) = rule else {
                return Vec::new();
            };
            if !rule.may_fall_in(*first, y, m) {
                return Vec::new();
            }
            rule.candidate_days(first_of_month.days_in_month())
                .into_iter()
                .filter_map(|day| Date::new(y, m, day).ok())
                .filter(|d| d >= first && d <= until && rule.occurs(*first, *d))
                .collect()
        }
    }
}

/// Every day a shape marks, over the first `cap` months it marks.
pub fn marked_days(shape: &Shape, cap: usize) -> Vec<Date> {
    let rule = repeat_rule(shape);
    months_with(shape, rule.as_ref(), cap)
        .into_iter()
        .flat_map(|(y, m)| month_days(shape, rule.as_ref(), y, m))
        .collect()
}

/// The months a shape marks (at most `cap`, from its first).
pub fn months(shape: &Shape, cap: usize) -> Vec<(i16, i8)> {
    months_with(shape, repeat_rule(shape).as_ref(), cap)
}

fn months_with(shape: &Shape, rule: Option<&Rule>, cap: usize) -> Vec<(i16, i8)> {
    let (from, to) = match shape {
        Shape::Day(d) | Shape::Open(d) => (*d, *d),
        Shape::Span(s, e) => (*s, *e),
        Shape::Repeats { first, until, .. } => (*first, *until),
    };
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (to.year(), to.month()) && out.len() < cap {
        if !month_days(shape, rule, y, m).is_empty() {
            out.push((y, m));
        }
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// How often a repetition falls due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
    Unknown,
}

/// The subset of an RRULE the deadline reader writes (DAILY, WEEKLY;BYDAY=FR,
/// MONTHLY;[INTERVAL];BYMONTHDAY, YEARLY;BYMONTH;BYMONTHDAY), read once.
struct Rule {
    freq: Freq,
    interval: i32,
    by_month: Option<Vec<i32>>,
    by_month_day: Option<Vec<i32>>,
}

impl Rule {
    fn parse(rrule: &str) -> Rule {
        let field = |name: &str| {
            rrule
                .split(';')
                .find_map(|kv| kv.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
        };
        let list = |name: &str| -> Option<Vec<i32>> {
            field(name).map(|v| v.split(',').filter_map(|x| x.parse().ok()).collect())
        };
        let freq = match field("FREQ") {
            Some("DAILY") => Freq::Daily,
            Some("WEEKLY") => Freq::Weekly,
            Some("MONTHLY") => Freq::Monthly,
            Some("YEARLY") => Freq::Yearly,
            _ => Freq::Unknown,
        };
        Rule {
            freq,
            interval: field("INTERVAL").and_then(|v| v.parse().ok()).unwrap_or(1),
            by_month: list("BYMONTH"),
            by_month_day: list("BYMONTHDAY"),
        }
    }

    /// Whether any day of month `y`-`m` can be an occurrence (a cheap test before the days).
    fn may_fall_in(&self, first: Date, y: i16, m: i8) -> bool {
        match self.freq {
            Freq::Daily | Freq::Weekly => true,
            Freq::Monthly => self.month_in_interval(first, y, m),
            Freq::Yearly => self.month_listed(m),
            Freq::Unknown => false,
        }
    }

    fn month_in_interval(&self, first: Date, y: i16, m: i8) -> bool {
        let months =
            (i32::from(y) - i32::from(first.year())) * 12 + i32::from(m) - i32::from(first.month());
        self.interval > 0 && months % self.interval == 0
    }

    fn month_listed(&self, m: i8) -> bool {
        self.by_month
            .as_ref()
            .is_none_or(|ms| ms.contains(&i32::from(m)))
    }

    /// The days of a month of `last` days that [`Rule::occurs`] may accept, in order: the
    /// listed days of a monthly or yearly rule (they need a listed day), every day otherwise.
    fn candidate_days(&self, last: i8) -> Vec<i8> {
        match (self.freq, &self.by_month_day) {
            (Freq::Monthly | Freq::Yearly, Some(days)) => {
                let last = i32::from(last);
                let mut v: Vec<i8> = days
                    .iter()
                    .map(|&d| if d < 0 { last + 1 + d } else { d })
                    .filter(|d| (1..=last).contains(d))
                    .filter_map(|d| i8::try_from(d).ok())
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            }
            _ => (1..=last).collect(),
        }
    }

    /// Whether `day` is an occurrence of the rule started at `first`.
    fn occurs(&self, first: Date, day: Date) -> bool {
        let last = i32::from(day.last_of_month().day());
        let dom = i32::from(day.day());
        let day_ok = self.by_month_day.as_ref().is_none_or(|days| {
            days.iter()
                .any(|&d| d == dom || (d < 0 && last + 1 + d == dom))
        });
        match self.freq {
            Freq::Daily => true,
            Freq::Weekly => day.weekday() == jiff::civil::Weekday::Friday,
            Freq::Monthly => self.month_in_interval(first, day.year(), day.month()) && day_ok,
            Freq::Yearly => {
                self.month_listed(day.month())
                    && (day_ok || (self.by_month_day.is_none() && day.day() == first.day()))
            }
            Freq::Unknown => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn repetitions_fall_on_their_days() {
        let q = Shape::Repeats {
            first: d("2025-03-31"),
            until: d("2026-12-31"),
            rrule: "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1".into(),
        };
        assert_eq!(days_in_month(&q, 2026, 6), vec![d("2026-06-30")]);
        assert!(days_in_month(&q, 2026, 5).is_empty());
        assert_eq!(months(&q, 100).len(), 8);
        let m = Shape::Repeats {
            first: d("2025-01-16"),
            until: d("2025-12-31"),
            rrule: "FREQ=MONTHLY;BYMONTHDAY=16".into(),
        };
        assert_eq!(days_in_month(&m, 2025, 2), vec![d("2025-02-16")]);
        assert!(days_in_month(&m, 2026, 1).is_empty(), "past its UNTIL");
        let six = Shape::Repeats {
            first: d("2025-06-30"),
            until: d("2026-12-31"),
            rrule: "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=-1".into(),
        };
        assert_eq!(
            months(&six, 100),
            vec![(2025, 6), (2025, 12), (2026, 6), (2026, 12)]
        );
    }

    #[test]
    fn listed_days_give_what_trying_every_day_gives() {
        let rules = [
            "FREQ=MONTHLY;BYMONTHDAY=15,-1",
            "FREQ=MONTHLY;BYMONTHDAY=-1,31,30",
            "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=31",
            "FREQ=MONTHLY;BYMONTHDAY=0,40,-40",
            "FREQ=MONTHLY",
            "FREQ=YEARLY;BYMONTH=2,6,12;BYMONTHDAY=29,30,-1",
            "FREQ=YEARLY;BYMONTH=3",
            "FREQ=WEEKLY;BYDAY=FR",
            "FREQ=DAILY",
        ];
        let (first, until) = (d("2023-01-10"), d("2025-11-20"));
        for rrule in rules {
            let shape = Shape::Repeats {
                first,
                until,
                rrule: rrule.into(),
            };
            let rule = Rule::parse(rrule);
            for (y, m) in (2023..=2025).flat_map(|y| (1..=12).map(move |m| (y, m))) {
                let Ok(start) = Date::new(y, m, 1) else {
                    continue;
                };
                let every_day: Vec<Date> = (1..=start.days_in_month())
                    .filter_map(|day| Date::new(y, m, day).ok())
                    .filter(|d| *d >= first && *d <= until && rule.occurs(first, *d))
                    .filter(|_| rule.may_fall_in(first, y, m))
                    .collect();
                assert_eq!(days_in_month(&shape, y, m), every_day, "{rrule} {y}-{m}");
            }
        }
    }

    #[test]
    fn spans_and_days() {
        let span = Shape::Span(d("2026-01-01"), d("2030-12-31"));
        assert_eq!(days_in_month(&span, 2026, 1), vec![d("2026-01-01")]);
        assert_eq!(months(&span, 100).len(), 2, "first and last month only");
    }
}
