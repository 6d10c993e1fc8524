//! iCalendar (RFC 5545) writer for task deadlines.
//!
//! Takes a calendar name, description, a fixed stamp date and a list of all-day [`IcsEvent`]s;
//! returns the whole `.ics` file as a `String` (CRLF line ends, lines folded at 75 octets).
//!
//! Written by hand rather than with the `icalendar` crate because that crate fills `UID` and
//! `DTSTAMP` with random/now values, and our output must be byte-identical for the same input
//! (see /work/shared/CRATES.md). Every event is all-day (`VALUE=DATE`), so the time zone block
//! is informational: it tells calendar apps the portal's zone for display.

use jiff::civil::Date;

/// One all-day event (a task deadline or a milestone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Stable unique id, e.g. `272-kh-ubnd-nv-3@cchc`; written as given (control chars removed).
    pub uid: String,
    /// One-line title shown in calendar apps.
    pub summary: String,
    /// Longer text; may contain newlines. Omitted when empty.
    pub description: String,
    /// Absolute link to the task on the portal.
    pub url: Option<String>,
    /// First day of the event.
    pub start: Date,
    /// Day after the last day (RFC 5545 `DTEND` is exclusive). A value not after `start` is
    /// written as `start + 1 day` so the event stays valid.
    pub end_exclusive: Date,
    /// Recurrence rule value without the `RRULE:` prefix, e.g. `FREQ=MONTHLY;COUNT=12`.
    pub rrule: Option<String>,
    /// Category names (unit names, reform areas); omitted when empty.
    pub categories: Vec<String>,
}

/// Longest line in octets, not counting the CRLF (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// Writes a complete VCALENDAR with one VEVENT per event, in the given order.
///
/// `name` → `X-WR-CALNAME`; `description` → `X-WR-CALDESC` (omitted when empty); `stamp` →
/// `DTSTAMP` of every event at 00:00:00Z, so the file depends only on its inputs.
pub fn write_calendar(name: &str, description: &str, stamp: Date, events: &[IcsEvent]) -> String {
    let mut out = String::with_capacity(512 + events.len() * 400);
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//cchc//cchc//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        push_line(&mut out, line);
    }
    push_line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(name)));
    if !description.trim().is_empty() {
        push_line(
            &mut out,
            &format!("X-WR-CALDESC:{}", escape_text(description)),
        );
    }
    push_line(&mut out, "X-WR-TIMEZONE:Asia/Ho_Chi_Minh");
    push_timezone(&mut out);
    let dtstamp = format!("{}T000000Z", ymd(stamp));
    for event in events {
        push_event(&mut out, event, &dtstamp);
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

/// Vietnam has kept UTC+7 without daylight saving since 1975; one STANDARD rule says so.
fn push_timezone(out: &mut String) {
    for line in [
        "BEGIN:VTIMEZONE",
        "TZID:Asia/Ho_Chi_Minh",
        "X-LIC-LOCATION:Asia/Ho_Chi_Minh",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0700",
        "TZOFFSETTO:+0700",
        "TZNAME:ICT",
        "DTSTART:19700101T000000",
        "END:STANDARD",
        "END:VTIMEZONE",
    ] {
        push_line(out, line);
    }
}

fn push_event(out: &mut String, event: &IcsEvent, dtstamp: &str) {
    let end = valid_end(event.start, event.end_exclusive);
    push_line(out, "BEGIN:VEVENT");
    push_line(out, &format!("UID:{}", escape_text(&event.uid)));
    push_line(out, &format!("DTSTAMP:{dtstamp}"));
    push_line(out, &format!("DTSTART;VALUE=DATE:{}", ymd(event.start)));
    push_line(out, &format!("DTEND;VALUE=DATE:{}", ymd(end)));
    if let Some(rule) = event.rrule.as_deref().map(strip_controls) {
        if !rule.trim().is_empty() {
            push_line(out, &format!("RRULE:{}", rule.trim()));
        }
    }
    push_line(out, &format!("SUMMARY:{}", escape_text(&event.summary)));
    if !event.description.trim().is_empty() {
        push_line(
            out,
            &format!("DESCRIPTION:{}", escape_text(&event.description)),
        );
    }
    if let Some(url) = event.url.as_deref().map(strip_controls) {
        // URI values are not TEXT: no backslash escaping, but spaces would end the value
        // in some readers, so percent-encode them.
        let url = url.trim().replace(' ', "%20");
        if !url.is_empty() {
            push_line(out, &format!("URL:{url}"));
        }
    }
    let categories: Vec<String> = event
        .categories
        .iter()
        .map(|c| escape_text(c.trim()))
        .filter(|c| !c.is_empty())
        .collect();
    if !categories.is_empty() {
        push_line(out, &format!("CATEGORIES:{}", categories.join(",")));
    }
    // All-day deadlines should not mark the reader as busy.
    push_line(out, "TRANSP:TRANSPARENT");
    push_line(out, "END:VEVENT");
}

/// `DTEND` must be after `DTSTART`; a bad range becomes a one-day event.
fn valid_end(start: Date, end_exclusive: Date) -> Date {
    if end_exclusive > start {
        return end_exclusive;
    }
    start.tomorrow().unwrap_or(start)
}

/// `YYYYMMDD` for a date (years are 4 digits for every date jiff accepts in practice).
fn ymd(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): `\` `;` `,` get a backslash, any line break
/// (CRLF, CR or LF) becomes `\n`, tabs become spaces and other control characters are dropped.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Removes control characters (line breaks included) from a value written verbatim.
fn strip_controls(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// Appends one content line, folded so no physical line exceeds 75 octets, with CRLF.
///
/// A fold is CRLF followed by one space, and the space counts towards the next line's 75
/// octets. Folds happen only between characters, never inside a UTF-8 sequence.
fn push_line(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn event() -> IcsEvent {
        IcsEvent {
            uid: "272-kh-ubnd-nv-3@cchc".into(),
            summary: "Sở Nội vụ: tham mưu Kế hoạch CCHC".into(),
            description: "Dòng 1\nDòng 2; a, b \\ c".into(),
            url: Some("https://cchc.example.vn/van-ban/272-kh-ubnd/#nv-3".into()),
            start: date(2024, 3, 31),
            end_exclusive: date(2024, 4, 1),
            rrule: Some("FREQ=MONTHLY;COUNT=3".into()),
            categories: vec!["Sở Nội vụ".into(), "Cải cách thể chế, TTHC".into()],
        }
    }

    fn unfold(ics: &str) -> String {
        ics.replace("\r\n ", "")
    }

    #[test]
    fn structure_and_fields() {
        let ics = write_calendar("Lịch CCHC", "Mô tả", date(2024, 1, 2), &[event()]);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//cchc//cchc//VI\r\n"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        let flat = unfold(&ics);
        for needle in [
            "\r\nCALSCALE:GREGORIAN\r\n",
            "\r\nMETHOD:PUBLISH\r\n",
            "\r\nX-WR-CALNAME:Lịch CCHC\r\n",
            "\r\nX-WR-CALDESC:Mô tả\r\n",
            "\r\nX-WR-TIMEZONE:Asia/Ho_Chi_Minh\r\n",
            "\r\nBEGIN:VTIMEZONE\r\nTZID:Asia/Ho_Chi_Minh\r\n",
            "\r\nTZOFFSETFROM:+0700\r\nTZOFFSETTO:+0700\r\n",
            "\r\nDTSTART:19700101T000000\r\n",
            "\r\nUID:272-kh-ubnd-nv-3@cchc\r\n",
            "\r\nDTSTAMP:20240102T000000Z\r\n",
            "\r\nDTSTART;VALUE=DATE:20240331\r\n",
            "\r\nDTEND;VALUE=DATE:20240401\r\n",
            "\r\nRRULE:FREQ=MONTHLY;COUNT=3\r\n",
            "\r\nSUMMARY:Sở Nội vụ: tham mưu Kế hoạch CCHC\r\n",
            "\r\nDESCRIPTION:Dòng 1\\nDòng 2\\; a\\, b \\\\ c\r\n",
            "\r\nURL:https://cchc.example.vn/van-ban/272-kh-ubnd/#nv-3\r\n",
            "\r\nCATEGORIES:Sở Nội vụ,Cải cách thể chế\\, TTHC\r\n",
        ] {
            assert!(flat.contains(needle), "missing {needle:?} in\n{flat}");
        }
        // No bare LF anywhere.
        assert_eq!(ics.matches('\n').count(), ics.matches("\r\n").count());
    }

    #[test]
    fn escaping_and_controls() {
        assert_eq!(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
        assert_eq!(escape_text("x\r\ny\rz\nw"), "x\\ny\\nz\\nw");
        assert_eq!(escape_text("t\tu\u{0}\u{7}\u{1b}v\u{85}"), "t uv");
        let mut e = event();
        e.rrule = Some("FREQ=DAILY\r\nX-EVIL:1".into());
        e.url = None;
        e.description = String::new();
        e.categories.clear();
        let ics = write_calendar("a", "", date(2024, 1, 1), &[e]);
        assert!(ics.contains("\r\nRRULE:FREQ=DAILYX-EVIL:1\r\n"));
        assert!(!ics.contains("DESCRIPTION"));
        assert!(!ics.contains("CATEGORIES"));
        assert!(!ics.contains("URL:"));
        assert!(!ics.contains("X-WR-CALDESC"));
    }

    #[test]
    fn bad_range_becomes_one_day() {
        let mut e = event();
        e.end_exclusive = date(2024, 3, 1);
        let ics = write_calendar("a", "", date(2024, 1, 1), &[e]);
        assert!(ics.contains("\r\nDTEND;VALUE=DATE:20240401\r\n"));
    }

    #[test]
    fn folding_at_ascii_boundary() {
        let mut out = String::new();
        push_line(&mut out, &"a".repeat(75));
        assert_eq!(out, format!("{}\r\n", "a".repeat(75)));
        out.clear();
        push_line(&mut out, &"a".repeat(76));
        assert_eq!(out, format!("{}\r\n a\r\n", "a".repeat(75)));
        out.clear();
        // 75 + 74 + 1: the continuation line holds 74 octets after its space.
        push_line(&mut out, &"a".repeat(150));
        assert_eq!(
            out,
            format!("{}\r\n {}\r\n a\r\n", "a".repeat(75), "a".repeat(74))
        );
    }

    #[test]
    fn folding_never_splits_utf8() {
        // "ệ" is 3 octets; 73 ASCII octets put it across octet 75, so it must move down.
        let line = format!("{}ệ{}", "x".repeat(73), "y".repeat(5));
        let mut out = String::new();
        push_line(&mut out, &line);
        assert_eq!(
            out,
            format!("{}\r\n ệ{}\r\n", "x".repeat(73), "y".repeat(5))
        );
        // Long Vietnamese text: every physical line ≤ 75 octets, valid UTF-8, unfolds back.
        let summary = "Cải cách thủ tục hành chính, xây dựng chính quyền điện tử, chính quyền số; \
                       nâng cao chất lượng phục vụ người dân và doanh nghiệp ở Đồng Nai"
            .repeat(4);
        for pad in 0..4 {
            let mut e = event();
            e.summary = format!("{}{summary}", "·".repeat(pad));
            let ics = write_calendar("a", "", date(2024, 1, 1), &[e.clone()]);
            for physical in ics.split("\r\n") {
                assert!(
                    physical.len() <= 75,
                    "{} octets: {physical}",
                    physical.len()
                );
            }
            let want = format!("\r\nSUMMARY:{}\r\n", escape_text(&e.summary));
            assert!(unfold(&ics).contains(&want));
        }
    }

    #[test]
    fn deterministic() {
        let a = write_calendar("a", "b", date(2024, 1, 1), &[event(), event()]);
        let b = write_calendar("a", "b", date(2024, 1, 1), &[event(), event()]);
        assert_eq!(a, b);
    }
}
