//! Tests of the ICS writer: escaping, folding, events and the calendar plan's files.

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
        "\r\nRRULE:FREQ=MONTHLY;COUNT=3\r\n",
        "\r\nSUMMARY:Sở Nội vụ: tham mưu Kế hoạch CCHC\r\n",
        "\r\nDESCRIPTION:Dòng 1\\nDòng 2\\; a\\, b \\\\ c\r\n",
        "\r\nURL:https://cchc.example.vn/van-ban/272-kh-ubnd/#nv-3\r\n",
        "\r\nCATEGORIES:Sở Nội vụ,Cải cách thể chế\\, TTHC\r\n",
    ] {
        assert!(flat.contains(needle), "missing {needle:?} in\n{flat}");
    }
    // A one-day event needs no DTEND (RFC 5545 §3.6.1).
    assert!(!flat.contains("DTEND"));
    // No bare LF anywhere.
    assert_eq!(ics.matches('\n').count(), ics.matches("\r\n").count());
}

#[test]
fn escaping_and_controls() {
    assert_eq!(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
    assert_eq!(escape_text("x\r\ny\rz\nw"), "x\\ny\\nz\\nw");
    assert_eq!(escape_text("t\tu\u{0}\u{7}\u{1b}v\u{85}"), "t uv");
    // C1 controls (0xC2 0x80–0x9F) go; the Latin-1 letters that share their lead byte stay.
    assert_eq!(escape_text("\u{7f}©\u{9f}ÂĐ ơ,"), "©ÂĐ ơ\\,");
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
    // One day: DTSTART alone says it (RFC 5545 §3.6.1).
    assert!(ics.contains("\r\nDTSTART;VALUE=DATE:20240331\r\n"));
    assert!(!ics.contains("DTEND"));
}

#[test]
fn longer_events_keep_their_end() {
    let mut e = event();
    e.end_exclusive = date(2024, 4, 3);
    let ics = write_calendar("a", "", date(2024, 1, 1), &[e]);
    assert!(ics.contains("\r\nDTEND;VALUE=DATE:20240403\r\n"));
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

/// A site whose lead unit has events in its window and in the archives of two years.
fn unit_site() -> Site {
    use crate::diag::Diagnostics;
    use crate::load::Loaded;
    use crate::site::{assemble_loaded, AssembleOptions};
    let units = "- name: Sở Nội vụ\n  slug: so-noi-vu\n  level: tinh\n\
                 - name: Sở Tư pháp\n  slug: so-tu-phap\n  level: tinh\n";
    let plan = |year: i32, n: u32| {
        let tasks: String = (1..=n)
            .map(|k| {
                format!(
                    "  - task: Rà soát thủ tục hành chính đợt {k}, năm {year}\n    \
                     lead: Sở Nội vụ\n    support: Sở Tư pháp\n    due: Tháng {k}/{year}\n"
                )
            })
            .collect();
        let text = format!(
            "---\ntitle: Kế hoạch cải cách hành chính năm {year}\ntype: ke-hoach\n\
             number: {year}/KH-UBND\nissuer: UBND tỉnh Thử Nghiệm\n\
             date: {year}-01-05\nyear: {year}\ntasks:\n{tasks}---\n\nNội dung.\n"
        );
        (format!("ke-hoach-{year}"), text)
    };
    let loaded = Loaded::in_memory(units, vec![plan(2021, 12), plan(2022, 12), plan(2024, 12)]);
    let opts = AssembleOptions {
        today: date(2024, 6, 1).into(),
        ..Default::default()
    };
    let diags = Diagnostics::new();
    let mut site = assemble_loaded(loaded, &opts, &diags);
    // Small files, so archives come in parts.
    site.config.max_file_bytes = 4_000;
    site
}

/// The files a plan writes, by path.
fn written(site: &Site, mut plan: CalendarPlan) -> BTreeMap<String, Vec<u8>> {
    let files = std::sync::Mutex::new(BTreeMap::new());
    plan.write(site, &|o: Output| {
        files.lock().expect("not poisoned").insert(o.path, o.bytes);
    });
    files.into_inner().expect("not poisoned")
}

#[test]
fn kept_event_texts_write_the_same_files() {
    let site = unit_site();
    let u = site
        .units
        .iter()
        .position(|u| u.slug == "so-noi-vu")
        .expect("unit registered");
    let kept = CalendarPlan::unit(&site, u);
    assert!(kept.texts.as_ref().is_some_and(|t| t.len() == 36));
    let remade = CalendarPlan::of(&site, unit_set(&site, u), false);
    assert!(remade.texts.is_none());
    let files = written(&site, kept);
    assert!(
        files.keys().filter(|p| p.contains("/lich/nam-")).count() >= 4,
        "archives of two years, in parts: {:?}",
        files.keys()
    );
    assert!(files.contains_key("don-vi/so-noi-vu/lich.ics"));
    assert_eq!(files, written(&site, remade));
    // The site's calendar, small, keeps them too; its window's events are archived as well.
    let kept = CalendarPlan::site(&site);
    assert!(kept.texts.is_some());
    let remade = CalendarPlan::of(&site, site_set(&site), false);
    let files = written(&site, kept);
    assert!(files.contains_key("lich.ics"));
    assert!(files.keys().filter(|p| p.starts_with("lich/nam-")).count() >= 6);
    assert_eq!(files, written(&site, remade));
}

#[test]
fn a_written_plan_drops_its_texts() {
    let site = unit_site();
    let mut plan = CalendarPlan::site(&site);
    let first = plan.write(&site, &|_| {});
    assert!(plan.texts.is_none(), "dropped once written");
    assert_eq!(
        plan.write(&site, &|_| {}),
        first,
        "made again if written again"
    );
}
