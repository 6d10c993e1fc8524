//! Deadlines of every written kind, the state each task is in on the build date, the calendar
//! pages (overview and month grids) and the ICS files (site-wide and per unit).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::Value;

/// (task id in front matter, kind, start, end, state on TODAY = 2024-06-15), worked out by hand
/// from the deadline texts of `tests/fixtures/deadlines` (plan year 2024).
/// (label, kind, start, end, state)
type Expected = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);

const EXPECTED: &[Expected] = &[
    (
        "qua-han",
        "date",
        Some("2024-06-10"),
        Some("2024-06-10"),
        // Passed with nothing reported: "chưa báo cáo", never "quá hạn" (issue 17).
        "chua-bao-cao",
    ),
    // Due today is not yet overdue.
    (
        "hom-nay",
        "date",
        Some("2024-06-15"),
        Some("2024-06-15"),
        "sap-den-han",
    ),
    (
        "sap-den-han",
        "date",
        Some("2024-06-30"),
        Some("2024-06-30"),
        "sap-den-han",
    ),
    // 30 days ahead is still "sắp đến hạn"; 31 is not.
    (
        "bien-30",
        "date",
        Some("2024-07-15"),
        Some("2024-07-15"),
        "sap-den-han",
    ),
    (
        "bien-31",
        "date",
        Some("2024-07-16"),
        Some("2024-07-16"),
        "chua-den-han",
    ),
    (
        "thang",
        "month",
        Some("2024-07-01"),
        Some("2024-07-31"),
        "chua-den-han",
    ),
    (
        "quy",
        "quarter",
        Some("2024-04-01"),
        Some("2024-06-30"),
        "sap-den-han",
    ),
    (
        "nua-nam",
        "half-year",
        Some("2024-07-01"),
        Some("2024-12-31"),
        "chua-den-han",
    ),
    (
        "nam",
        "year",
        Some("2024-01-01"),
        Some("2024-12-31"),
        "chua-den-han",
    ),
    (
        "khoang",
        "range",
        Some("2024-05-01"),
        Some("2024-08-31"),
        "chua-den-han",
    ),
    (
        "dinh-ky",
        "recurring",
        Some("2024-03-31"),
        Some("2024-12-31"),
        "chua-den-han",
    ),
    (
        "thuong-xuyen",
        "ongoing",
        Some("2024-01-01"),
        Some("2024-12-31"),
        "chua-den-han",
    ),
    (
        "moc",
        "milestones",
        Some("2024-01-01"),
        Some("2024-12-31"),
        "chua-den-han",
    ),
    ("dieu-kien", "conditional", None, None, "khong-co-thoi-han"),
    ("khong-ro", "unscheduled", None, None, "khong-co-thoi-han"),
    // Recorded as done: done, although its quarter has passed.
    (
        "da-xong",
        "quarter",
        Some("2024-01-01"),
        Some("2024-03-31"),
        "hoan-thanh",
    ),
    (
        "nam-sau",
        "date",
        Some("2025-03-05"),
        Some("2025-03-05"),
        "chua-den-han",
    ),
];

const DOC: &str = "ke-hoach-thoi-han.md";

fn by_label(built: &Built) -> BTreeMap<String, Value> {
    built
        .tasks_of(DOC)
        .into_iter()
        .map(|t| (s(&t, "label").to_string(), t))
        .collect()
}

fn ymd(d: &str) -> String {
    d.replace('-', "")
}

fn next_day(d: &str) -> String {
    date(d).tomorrow().unwrap().to_string()
}

#[test]
fn deadline_kinds_windows_and_states() {
    let site = TestSite::fixture("deadlines");
    let built = site.build_ok();
    let tasks = by_label(&built);
    assert_eq!(tasks.len(), EXPECTED.len());
    for &(label, kind, start, end, state) in EXPECTED {
        let t = &tasks[label];
        let due = &t["due"];
        assert_eq!(s(due, "kind"), kind, "{label}: {}", due["text"]);
        assert_eq!(due["start"].as_str(), start, "{label} start");
        assert_eq!(due["end"].as_str(), end, "{label} end");
        assert_eq!(s(t, "state"), state, "{label} state");
        assert_eq!(
            due["rrule"].is_null(),
            kind != "recurring",
            "{label} rrule {}",
            due["rrule"]
        );
    }
    // Quarterly, at quarter ends, within the plan year.
    assert_eq!(
        tasks["dinh-ky"]["due"]["rrule"],
        "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1;UNTIL=20241231"
    );
    // The text is kept as written whatever its kind.
    assert_eq!(
        tasks["moc"]["due"]["text"],
        "Quý I ban hành kế hoạch; tổ chức thực hiện trong năm 2024"
    );
    for part in built.data_parts("nhiem-vu", "json") {
        assert_eq!(built.json(&part)["generated"], TODAY, "{part}");
    }
}

#[test]
fn state_follows_the_build_date() {
    let site = TestSite::fixture("deadlines");
    let later = site.build_into("later", "2024-07-01");
    later.assert_written();
    let tasks = by_label(&later);
    assert_eq!(tasks["hom-nay"]["state"], "chua-bao-cao");
    assert_eq!(tasks["bien-31"]["state"], "sap-den-han");
    assert_eq!(tasks["da-xong"]["state"], "hoan-thanh");
    assert_eq!(tasks["dieu-kien"]["state"], "khong-co-thoi-han");
}

/// Task ids linked from the `<section>` labelled by heading `#id` of a page.
fn section_links(page: &str, doc: &scraper::Html, id: &str) -> BTreeSet<String> {
    let section = doc
        .select(&sel(&format!("section[aria-labelledby=\"{id}\"]")))
        .next()
        .unwrap_or_else(|| panic!("no section {id} on {page}"));
    let html = scraper::Html::parse_fragment(&format!("<main>{}</main>", section.inner_html()));
    linked_task_ids(page, &html)
}

#[test]
fn calendar_overview_lists_overdue_and_upcoming() {
    let site = TestSite::fixture("deadlines");
    // Only a report can make a task overdue (issue 17): one says "qua-han" is not done yet.
    site.write(
        "content/bao-cao.md",
        "---\ntitle: Báo cáo\ntype: bao-cao\ndate: 2024-06-12\nprogress:\n  - task: \"7/KH-UBND qua-han\"\n    status: dang-thuc-hien\n---\nx\n",
    );
    let built = site.build_ok();
    let tasks = built.tasks();
    let page = built.html("lich/index.html");
    let overdue: BTreeSet<String> = tasks
        .iter()
        .filter(|t| t["state"] == "qua-han")
        .map(|t| s(t, "id").to_string())
        .collect();
    assert_eq!(overdue.len(), 1);
    assert_eq!(section_links("lich/index.html", &page, "qua-han"), overdue);
    // "Đến hạn trong N ngày tới": every unfinished task due from today to today + N.
    let heading = texts(&page, "h2#sap-den-han").join("");
    let days: i64 = heading
        .split_whitespace()
        .find_map(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("no day count in {heading:?}"));
    assert!(days >= 30, "{heading}");
    let today = date(TODAY);
    let limit = today.checked_add(jiff::Span::new().days(days)).unwrap();
    let upcoming: BTreeSet<String> = tasks
        .iter()
        .filter(|t| t["state"] != "hoan-thanh")
        .filter(|t| {
            t["due"]["end"]
                .as_str()
                .is_some_and(|e| date(e) >= today && date(e) <= limit)
        })
        .map(|t| s(t, "id").to_string())
        .collect();
    assert!(upcoming.len() >= 4, "{upcoming:?}");
    assert_eq!(
        section_links("lich/index.html", &page, "sap-den-han"),
        upcoming
    );
    // Undated tasks are counted, not dropped.
    let undated = tasks.iter().filter(|t| t["due"]["end"].is_null()).count();
    assert!(texts(&page, "h2#khong-thoi-han")
        .join("")
        .contains(&format!("({undated})")));
}

/// The month page `path` (`page`) of `month` links the page of its repeating tasks when it has
/// any (`repeats`), and that page names each of them, under the days it falls due that month.
fn assert_repeats_page(
    built: &Built,
    path: &str,
    page: &scraper::Html,
    month: &str,
    repeats: &BTreeSet<String>,
) {
    let links = attrs(page, "p.month-repeats a[href]", "href");
    if repeats.is_empty() {
        assert!(links.is_empty(), "{path}: a repeats link without repeats");
        return;
    }
    let [href] = &links[..] else {
        panic!("{path}: {links:?}");
    };
    assert!(
        texts(page, "p.month-repeats a")
            .join("")
            .starts_with(&format!("{} nhiệm vụ định kỳ", repeats.len())),
        "{path}"
    );
    let (target, _) = resolve_href(path, href).expect("a page of the site");
    assert_eq!(target, format!("lich/{month}/dinh-ky/index.html"));
    let listed = built.html(&target);
    assert_eq!(&linked_task_ids(&target, &listed), repeats, "{target}");
    let days: Vec<String> = attrs(&listed, "tr.group-row time[datetime]", "datetime");
    assert!(!days.is_empty(), "{target}: no days");
    assert!(
        days.iter().all(|d| d.starts_with(month)),
        "{target}: {days:?}"
    );
}

/// The days a deadline marks on the month grids, from its data: a span's first and last day,
/// every occurrence of a yearly BYMONTH/BYMONTHDAY rule (the only kind of rule in this fixture)
/// up to its UNTIL, else its last day.
fn marked_days(due: &Value) -> Vec<String> {
    let (Some(start), Some(end)) = (due["start"].as_str(), due["end"].as_str()) else {
        return Vec::new();
    };
    if let Some(rule) = due["rrule"].as_str() {
        let field = |k: &str| {
            rule.split(';')
                .find_map(|kv| kv.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
                .unwrap_or_else(|| panic!("{rule}: no {k}"))
        };
        assert_eq!(field("FREQ"), "YEARLY", "{rule}");
        assert_eq!(field("BYMONTHDAY"), "-1", "{rule}");
        let until = field("UNTIL");
        let year: i16 = start[..4].parse().unwrap();
        return field("BYMONTH")
            .split(',')
            .map(|m| {
                jiff::civil::Date::new(year, m.parse().unwrap(), 1)
                    .unwrap()
                    .last_of_month()
                    .to_string()
            })
            .filter(|d| d.as_str() >= start && ymd(d).as_str() <= until)
            .collect();
    }
    let span = ["range", "milestones", "ongoing"].contains(&s(due, "kind"));
    if span && start != end {
        vec![start.to_string(), end.to_string()]
    } else {
        vec![end.to_string()]
    }
}

#[test]
fn month_pages_have_a_seven_column_grid_and_every_task_of_the_month() {
    let site = TestSite::fixture("deadlines");
    let built = site.build_ok();
    let tasks = built.tasks();
    let mut months: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // The repeating tasks of each month, which a page of their own lists.
    let mut repeating: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut per_day: BTreeMap<String, usize> = BTreeMap::new();
    for t in &tasks {
        for day in marked_days(&t["due"]) {
            let month = day[..7].to_string();
            let id = s(t, "id").to_string();
            if t["due"]["rrule"].is_string() {
                repeating
                    .entry(month.clone())
                    .or_default()
                    .insert(id.clone());
            }
            months.entry(month).or_default().insert(id);
            *per_day.entry(day).or_default() += 1;
        }
    }
    assert!(!repeating.is_empty(), "the fixture has repeating tasks");
    assert!(months.len() >= 5, "{months:?}");
    for (month, ids) in &months {
        let path = format!("lich/{month}/index.html");
        let page = built.html(&path);
        let heads = texts(&page, "table.month-grid thead th");
        assert_eq!(heads.len(), 7, "{path}: {heads:?}");
        let first = date(&format!("{month}-01"));
        let lead_blanks = first.weekday().to_monday_zero_offset() as usize;
        let mut cells: Vec<Option<String>> = Vec::new();
        for row in page.select(&sel("table.month-grid tbody tr")) {
            let tds: Vec<_> = row.select(&sel("td")).collect();
            assert_eq!(tds.len(), 7, "{path}: a week row without 7 cells");
            for td in tds {
                cells.push(
                    td.select(&sel("time[datetime]"))
                        .next()
                        .map(|t| t.value().attr("datetime").unwrap().to_string()),
                );
            }
        }
        // Day 1 sits under its weekday; days follow one another to the month's end.
        assert!(
            cells[..lead_blanks].iter().all(Option::is_none),
            "{path}: leading cells"
        );
        let days: Vec<String> = cells.iter().flatten().cloned().collect();
        assert_eq!(days.len(), first.days_in_month() as usize, "{path}");
        assert_eq!(
            cells[lead_blanks].as_deref(),
            Some(first.to_string().as_str()),
            "{path}"
        );
        for (i, d) in days.iter().enumerate() {
            assert_eq!(
                date(d),
                first.checked_add(jiff::Span::new().days(i as i64)).unwrap()
            );
        }
        // Each day cell shows its tasks (or says how many more there are).
        for td in page.select(&sel("table.month-grid td")) {
            let Some(day) = td.select(&sel("time[datetime]")).next() else {
                continue;
            };
            let day = day.value().attr("datetime").unwrap();
            let want = per_day.get(day).copied().unwrap_or(0);
            let shown = td.select(&sel("li a[href]")).count();
            let text = text_of(&td);
            assert!(
                shown == want
                    || (shown >= 1 && text.contains(&format!("{} nhiệm vụ khác", want - shown))),
                "{path} {day}: {shown} shown of {want}: {text}"
            );
        }
        // The list view names every task due that month on a day of its own, once, under
        // the day it falls on; the repeating ones are on a page of their own.
        let repeats = repeating.get(month).cloned().unwrap_or_default();
        let dated: BTreeSet<String> = ids.difference(&repeats).cloned().collect();
        assert_repeats_page(&built, &path, &page, month, &repeats);
        let Some(list) = page.select(&sel(".month-list table.compact")).next() else {
            assert!(dated.is_empty(), "{path}: no list");
            assert!(
                texts(&page, ".month-list p")
                    .join("")
                    .contains("Không có nhiệm vụ nào có hạn riêng"),
                "{path}"
            );
            continue;
        };
        let frag = scraper::Html::parse_fragment(&format!("<main>{}</main>", list.inner_html()));
        assert_eq!(linked_task_ids(&path, &frag), dated, "{path}");
        let rows: Vec<_> = list.select(&sel("tbody tr:not(.group-row)")).collect();
        assert_eq!(rows.len(), dated.len(), "{path}");
        let days: Vec<String> = list
            .select(&sel("tr.group-row time[datetime]"))
            .map(|t| t.value().attr("datetime").unwrap().to_string())
            .collect();
        assert!(!days.is_empty(), "{path}: no day rows");
        assert!(
            days.iter().all(|d| d.starts_with(month.as_str())),
            "{path}: {days:?}"
        );
        assert!(
            days.windows(2).all(|w| w[0] < w[1]),
            "{path}: days out of order"
        );
    }
    // The overview links every month page.
    let overview = built.html("lich/index.html");
    let linked: BTreeSet<String> = attrs(&overview, "ul.month-links a[href]", "href")
        .iter()
        .filter_map(|h| resolve_href("lich/index.html", h).map(|r| r.0))
        .collect();
    let want: BTreeSet<String> = months
        .keys()
        .map(|m| format!("lich/{m}/index.html"))
        .collect();
    assert_eq!(linked, want);
}

/// Checks the raw form of an ICS file: CRLF only, physical lines ≤ 75 octets, valid UTF-8.
fn assert_ics_format(name: &str, bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{name}: not UTF-8: {e}"));
    assert!(text.ends_with("\r\n"), "{name}: no final CRLF");
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "{name}: bare LF"
    );
    assert_eq!(
        text.matches('\r').count(),
        text.matches("\r\n").count(),
        "{name}: bare CR"
    );
    for line in ics_physical_lines(bytes) {
        assert!(
            line.len() <= 75,
            "{name}: {} octets: {}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        assert!(
            std::str::from_utf8(line).is_ok(),
            "{name}: fold splits a character"
        );
    }
    let lines = ics_lines(text);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
}

/// Checks one VEVENT against its task; returns its UID.
fn assert_event_matches(name: &str, ev: &[(String, String)], task: &Value) -> String {
    let due = &task["due"];
    let recurring = due["kind"] == "recurring";
    // Ranges, milestones and ongoing work are spans (multi-day events); other kinds fall due on
    // their last day; a repetition starts on its first occurrence.
    let span =
        ["range", "milestones", "ongoing"].contains(&s(due, "kind")) && due["start"] != due["end"];
    let (start, last) = if recurring {
        (s(due, "start"), s(due, "start"))
    } else if span {
        (s(due, "start"), s(due, "end"))
    } else {
        (s(due, "end"), s(due, "end"))
    };
    assert_eq!(
        prop(ev, "DTSTART;VALUE=DATE"),
        Some(ymd(start).as_str()),
        "{name}: {}",
        task["id"]
    );
    // DTEND is exclusive: the day after; a one-day event has none (RFC 5545 §3.6.1: a DATE
    // DTSTART alone is one day).
    let end = (start != last).then(|| ymd(&next_day(last)));
    assert_eq!(
        prop(ev, "DTEND;VALUE=DATE"),
        end.as_deref(),
        "{name}: {}",
        task["id"]
    );
    assert_eq!(
        prop(ev, "RRULE"),
        due["rrule"].as_str(),
        "{name}: {}",
        task["id"]
    );
    assert!(prop(ev, "DTSTAMP").is_some());
    let summary = ics_unescape(prop(ev, "SUMMARY").unwrap());
    let text = s(task, "task");
    let head: String = text.chars().take(40).collect();
    assert!(
        summary.contains(&head),
        "{name}: summary {summary:?} for {text:?}"
    );
    prop(ev, "UID")
        .unwrap_or_else(|| panic!("{name}: no UID"))
        .to_string()
}

fn events_by_url(text: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out = BTreeMap::new();
    for ev in ics_events(text) {
        let url = prop(&ev, "URL").expect("event URL").to_string();
        assert!(
            out.insert(url.clone(), ev).is_none(),
            "two events for {url}"
        );
    }
    out
}

#[test]
fn ics_has_one_event_per_dated_task() {
    let site = TestSite::fixture("deadlines");
    let built = site.build_ok();
    let tasks = built.tasks();
    let bytes = built.bytes("lich.ics");
    assert_ics_format("lich.ics", &bytes);
    let text = String::from_utf8(bytes).unwrap();
    let events = events_by_url(&text);
    let dated: Vec<&Value> = tasks
        .iter()
        .filter(|t| !t["due"]["end"].is_null())
        .collect();
    assert_eq!(
        events.len(),
        dated.len(),
        "one VEVENT per dated task, none for undated"
    );
    let mut uids = BTreeSet::new();
    for t in &dated {
        let ev = events
            .get(s(t, "url"))
            .unwrap_or_else(|| panic!("no event for {}", t["url"]));
        assert!(
            uids.insert(assert_event_matches("lich.ics", ev, t)),
            "duplicate UID"
        );
    }
    // The long summary was folded, and unfolds to the whole title prefix.
    assert!(text.contains("\r\n "), "no folded line in lich.ics");

    // Per unit: the tasks it leads that have a date.
    let mut checked = 0;
    for slug in ["so-noi-vu", "so-tu-phap", "so-tai-chinh"] {
        let name = format!("don-vi/{slug}/lich.ics");
        let bytes = built.bytes(&name);
        assert_ics_format(&name, &bytes);
        let unit_events = events_by_url(&String::from_utf8(bytes).unwrap());
        let mine: Vec<&&Value> = dated
            .iter()
            .filter(|t| unit_slugs(t, "lead").contains(&slug.to_string()))
            .collect();
        assert_eq!(unit_events.len(), mine.len(), "{name}");
        for t in mine {
            let ev = &unit_events[s(t, "url")];
            let uid = assert_event_matches(&name, ev, t);
            // Same task, same UID in both calendars.
            assert_eq!(Some(uid.as_str()), prop(&events[s(t, "url")], "UID"));
            checked += 1;
        }
    }
    assert_eq!(checked, dated.len());
    // The unit page offers a webcal subscription (absolute base_url).
    let unit = built.html("don-vi/so-noi-vu/index.html");
    assert!(attrs(&unit, "a[href]", "href")
        .iter()
        .any(|h| h == "webcal://cchc.example.gov.vn/don-vi/so-noi-vu/lich.ics"));
}

#[test]
fn ics_is_byte_stable_and_uids_survive_new_documents() {
    let site = TestSite::fixture("deadlines");
    let a = site.build_into("a", TODAY);
    let b = site.build_into("b", TODAY);
    let files = [
        "lich.ics",
        "don-vi/so-noi-vu/lich.ics",
        "don-vi/so-tu-phap/lich.ics",
        "don-vi/so-tai-chinh/lich.ics",
    ];
    for f in files {
        assert_eq!(a.bytes(f), b.bytes(f), "{f} differs between two builds");
    }
    let uids = |built: &Built| -> BTreeMap<String, String> {
        ics_events(&built.read("lich.ics"))
            .iter()
            .map(|ev| {
                (
                    prop(ev, "URL").unwrap().to_string(),
                    prop(ev, "UID").unwrap().to_string(),
                )
            })
            .collect()
    };
    let before = uids(&a);
    // A newer document (listed first everywhere) must not renumber the existing events.
    site.write(
        "content/moi.md",
        "---\ntitle: Kế hoạch mới hơn\ntype: ke-hoach\ndate: 2024-05-01\nyear: 2024\ntasks:\n  - id: qua-han\n    task: Việc của văn bản mới\n    lead: Sở Nội vụ\n    due: Tháng 9/2024\n---\n",
    );
    let c = site.build_into("c", TODAY);
    c.assert_written();
    let after = uids(&c);
    assert_eq!(after.len(), before.len() + 1);
    for (url, uid) in &before {
        assert_eq!(after.get(url), Some(uid), "UID of {url} changed");
    }
    let distinct: BTreeSet<&String> = after.values().collect();
    assert_eq!(distinct.len(), after.len(), "UIDs not unique");
}

#[test]
fn ics_files_pass_the_python_icalendar_check() {
    let site = TestSite::fixture("deadlines");
    let built = site.build_ok();
    let files = built.ics_paths();
    // The site's and three units' windows (`lich.ics`), and the site's yearly archives (a
    // unit's archives hold only what its window lacks: nothing here).
    let windows = files.iter().filter(|f| f.ends_with("lich.ics")).count();
    assert_eq!(windows, 4, "{files:?}");
    assert!(files.len() > windows, "no archives: {files:?}");
    // Here every deadline is inside the window, so the archives hold the same events.
    let archived: usize = built
        .files()
        .into_iter()
        .filter(|f| f.starts_with("lich/nam-") && f.ends_with(".ics"))
        .map(|f| ics_events(&built.read(&f)).len())
        .sum();
    assert_eq!(archived, ics_events(&built.read("lich.ics")).len());
    run_ics_check(&files);
}
