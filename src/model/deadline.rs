//! A task's deadline as the model holds it: the text as written beside its reading (kind,
//! window, recurrence, steps, note). `extract::deadline` builds it; render reads it.

use jiff::civil::Date;
use serde::Serialize;

use super::Shared;

/// What kind of deadline a text expresses.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
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

/// A task deadline as read from its text. Strings and steps are boxed (no spare capacity):
/// every published task holds one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Hash)]
pub struct Deadline {
    /// The original text, trimmed; always kept so nothing is lost.
    pub text: Shared,
    /// What the text expresses.
    pub kind: DeadlineKind,
    /// First day of the window (`None` when not placeable). Dates serialize as ISO strings
    /// (jiff's `serde` feature).
    pub start: Option<Date>,
    /// Last day the task may be finished, inclusive (`None` when not placeable).
    pub end: Option<Date>,
    /// RFC 5545 RRULE value for recurring deadlines, bounded by `UNTIL=<year>1231`. Occurrences
    /// fall at period ends: quarterly is `FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1`.
    pub rrule: Option<Shared>,
    /// The steps of a [`DeadlineKind::Milestones`] deadline, in text order; empty otherwise.
    #[serde(skip_serializing_if = "<[Deadline]>::is_empty")]
    pub parts: Box<[Deadline]>,
    // --- issue 13: open ends and notes (re-apply with the type wherever it lives) ---
    /// What the text says that could not be placed: an open or conditional part ("duy trì sau
    /// đó", "đến khi …"), a vision year ("tầm nhìn đến năm 2050"), the coarser cadences beside
    /// the one kept. An open start ("từ năm 2026 trở đi") has `start` and no `end`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Box<str>>,
}

impl Deadline {
    /// True when the deadline has a last day, i.e. can be shown on a calendar.
    pub fn is_placeable(&self) -> bool {
        self.end.is_some()
    }

    pub(crate) fn unplaced(text: &str, kind: DeadlineKind) -> Deadline {
        Deadline::window(text, kind, None)
    }

    pub(crate) fn window(text: &str, kind: DeadlineKind, bounds: Option<(Date, Date)>) -> Deadline {
        Deadline {
            text: text.into(),
            kind,
            start: bounds.map(|b| b.0),
            end: bounds.map(|b| b.1),
            rrule: None,
            parts: Box::default(),
            note: None,
        }
    }

    /// True for an open start: work from `start` on, with no last day ("từ năm 2026").
    pub fn is_open(&self) -> bool {
        self.start.is_some() && self.end.is_none()
    }
}
