//! Multi-year phases, cadences and open starts on the built site (`tests/fixtures/deadlines/
//! phases`, a 2026 plan whose tasks run over 2026–2030; built on 2026-11-23): the reading in
//! the task data, the ICS events (spans, RRULE with UNTIL at the plan's end, open starts), the
//! month grid marks and the plan's timeline (SVG with a text table).

mod common;

use std::collections::BTreeMap;

use common::*;
use scraper::{ElementRef, Html};
use serde_json::Value;

const TODAY: &str = "2026-11-23";
const DOC: &str = "van-ban/12-kh-ubnd-2026/index.html";

fn all<'a>(doc: &'a Html, q: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(q)).collect()
}

fn built() -> Built {
    TestSite::fixture("deadlines/phases").build_into("out", TODAY)
}

fn by_label(built: &Built) -> BTreeMap<String, Value> {
    built
        .tasks()
        .into_iter()
        .map(|t| (s(&t, "label").to_string(), t))
        .collect()
}

#[test]
fn phases_cadences_and_open_starts_are_read() {
    let built = built();
    built.assert_written();
    let tasks = by_label(&built);
    let due = |l: &str| tasks[l]["due"].clone();
    assert_eq!(due("giai-doan")["kind"], "range");
    assert_eq!(due("giai-doan")["start"], "2026-01-01");
    assert_eq!(due("giai-doan")["end"], "2030-12-31");
    assert_eq!(due("giai-doan")["note"], "tầm nhìn đến năm 2045");
    assert_eq!(due("hai-nam")["end"], "2027-12-31");
    assert_eq!(due("tu-nam")["kind"], "ongoing");
    assert_eq!(due("tu-nam")["start"], "2027-07-01");
    assert!(due("tu-nam")["end"].is_null());
    assert_eq!(
        due("hang-nam")["rrule"],
        "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15;UNTIL=20261231"
    );
    assert_eq!(due("hang-quy")["kind"], "recurring");
    assert_eq!(due("hang-quy")["note"], "Thường xuyên");
    assert_eq!(due("hai-phan")["end"], "2026-06-30");
    assert_eq!(due("hai-phan")["note"], "duy trì sau đó");
    // Tết Đinh Mùi is 6 February 2027: "trước Tết" is the day before.
    assert_eq!(due("tet")["end"], "2027-02-05");
}

#[test]
fn ics_spans_repeats_and_open_starts() {
    let built = built();
    let text = built.read("lich.ics");
    let events: BTreeMap<String, Vec<(String, String)>> = ics_events(&text)
        .into_iter()
        .map(|ev| {
            let url = prop(&ev, "URL").expect("URL").to_string();
            let label = url.rsplit("#nv-").next().unwrap_or("").to_string();
            (label, ev)
        })
        .collect();
    assert_eq!(events.len(), 7, "every task has a calendar shape");
    let get = |l: &str, p: &str| prop(&events[l], p).map(str::to_string);
    // A phase is one event over its whole window, not a deadline on its last day.
    assert_eq!(
        get("giai-doan", "DTSTART;VALUE=DATE").as_deref(),
        Some("20260101")
    );
    assert_eq!(
        get("giai-doan", "DTEND;VALUE=DATE").as_deref(),
        Some("20310101")
    );
    assert_eq!(get("giai-doan", "RRULE"), None);
    assert_eq!(
        get("hai-nam", "DTEND;VALUE=DATE").as_deref(),
        Some("20280101")
    );
    // Repetitions run to the plan's end: its phase ends in 2030.
    assert_eq!(
        get("hang-nam", "RRULE").as_deref(),
        Some("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15;UNTIL=20301231")
    );
    assert_eq!(
        get("hang-nam", "DTSTART;VALUE=DATE").as_deref(),
        Some("20261215")
    );
    assert_eq!(
        get("hang-quy", "RRULE").as_deref(),
        Some("FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1;UNTIL=20301231")
    );
    // An open start is the day the work starts, and says it has no end.
    assert_eq!(
        get("tu-nam", "DTSTART;VALUE=DATE").as_deref(),
        Some("20270701")
    );
    // One day: DTSTART alone (RFC 5545 §3.6.1), no DTEND.
    assert_eq!(get("tu-nam", "DTEND;VALUE=DATE"), None);
    let summary = ics_unescape(&get("tu-nam", "SUMMARY").unwrap_or_default());
    assert!(summary.starts_with("Bắt đầu (không thời hạn)"), "{summary}");
    let files = vec![built.path("lich.ics")];
    run_ics_check(&files);
}

#[test]
fn month_grid_marks_repetitions_and_span_ends() {
    let built = built();
    // The quarterly report falls in March 2029, a month no other task touches.
    let march = built.html("lich/2029-03/index.html");
    let cells = texts(&march, "td:not(.blank)");
    let day31: Vec<&String> = cells.iter().filter(|c| c.starts_with("31")).collect();
    assert_eq!(day31.len(), 1);
    assert!(
        day31[0].contains("định kỳ") && day31[0].contains("Báo cáo tiến độ"),
        "{day31:?}"
    );
    // The phase shows where it starts and where it ends.
    let dec = built.html("lich/2030-12/index.html");
    assert!(texts(&dec, "td li")
        .iter()
        .any(|t| t.contains("kết thúc:") && t.contains("Thực hiện chương trình")));
}

#[test]
fn plan_page_has_a_timeline_with_a_text_equivalent() {
    let built = built();
    let page = built.html(DOC);
    let svg = all(&page, "figure svg[role=img]");
    assert_eq!(svg.len(), 1, "one timeline drawing");
    let label = svg[0]
        .value()
        .attr("aria-labelledby")
        .expect("aria-labelledby");
    let caption = texts(&page, &format!("figcaption#{label}"));
    assert_eq!(caption.len(), 1);
    assert!(
        caption[0].contains("7 nhiệm vụ") && caption[0].contains("hôm nay"),
        "{caption:?}"
    );
    // One row per task (a label, and a main mark whose tooltip names the task and reads its
    // deadline), grouped by section, today marked inside the 2026–2030 axis.
    assert_eq!(all(&page, "svg g.tl-labels text").len(), 7);
    let tips = texts(&page, "svg path title");
    assert_eq!(tips.len(), 7, "{tips:?}");
    assert!(
        tips.iter()
            .any(|t| t.contains("từ 01/07/2027, không có thời hạn kết thúc")),
        "{tips:?}"
    );
    let groups = texts(&page, "svg g.tl-groups[font-weight=bold] text");
    assert!(
        groups.iter().any(|g| g == "II. Báo cáo định kỳ"),
        "{groups:?}"
    );
    assert_eq!(all(&page, "svg line.tl-today").len(), 1);
    // Bars are strokes `M x y h<width>` as thick as a bar, with the colour, thickness and
    // class of their kind on their group.
    let span = attrs(&page, "svg g.tl-span[stroke][stroke-width] path", "d");
    assert_eq!(span.len(), 2, "the phase and the two-year task are bars");
    let width = |i: usize| -> f64 {
        let d = &span[i];
        d[d.find('h').expect("h in a bar") + 1..].parse().unwrap()
    };
    assert!(
        width(0) > 2.0 * width(1),
        "2026–2030 is longer than 2026–2027"
    );
    // A repetition's ticks are one stroked path, a vertical stroke (`M x y v h`, then
    // `m dx -h v h`) per tick, over the repetition's band (yearly and quarterly here).
    assert_eq!(all(&page, "svg g.tl-repeat-band[stroke] path").len(), 2);
    assert_eq!(all(&page, "svg g.tl-tick path").len(), 2);
    let ticks: usize = attrs(&page, "svg g.tl-tick[stroke][stroke-width] path", "d")
        .iter()
        .map(|d| d.matches(['M', 'm']).count())
        .sum();
    assert!(ticks >= 20, "quarterly marks to 2030: {ticks}");
    // Its text equivalent is the task table below, linked from the caption, whose deadline
    // cells read each deadline as the drawing does.
    let links = attrs(&page, &format!("figcaption#{label} a[href]"), "href");
    assert_eq!(links, ["#nhiem-vu"]);
    let rows = texts(&page, "#nhiem-vu table.tasks tbody tr[id]");
    assert_eq!(rows.len(), 7);
    assert!(
        rows.iter()
            .any(|r| r.contains("từ 01/07/2027, không có thời hạn kết thúc")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("định kỳ,") && r.contains(" lần từ ")),
        "{rows:?}"
    );
    assert!(
        all(&page, "table.timeline-table").is_empty(),
        "no hidden copy of the table"
    );
}

#[test]
fn timeline_is_bounded_for_plans_with_many_tasks() {
    let mut md = String::from(
        "---\ntitle: Kế hoạch nhiều nhiệm vụ\ntype: ke-hoach\nnumber: 99/KH-UBND\ndate: 2026-01-09\nyear: 2026\ntasks:\n",
    );
    for k in 1..=80 {
        md.push_str(&format!(
            "  - id: nv{k}\n    task: Nhiệm vụ số {k}\n    lead: Sở Nội vụ\n    due: Quý {}/2026\n",
            ["I", "II", "III", "IV"][k % 4]
        ));
    }
    md.push_str("---\n\nNội dung.\n");
    let site = TestSite::from_files(&[
        (
            "content/site.yaml",
            "title: Cổng thử\nbase_url: https://cchc.example.gov.vn/\n",
        ),
        (
            "content/units.yaml",
            "- name: Sở Nội vụ\n  slug: so-noi-vu\n  level: tinh\n",
        ),
        ("content/nhieu.md", &md),
    ]);
    let built = site.build_into("out", TODAY);
    built.assert_written();
    let page = built.html("van-ban/99-kh-ubnd-2026/index.html");
    assert_eq!(
        all(&page, "svg g.tl-labels text").len(),
        60,
        "at most 60 rows drawn"
    );
    assert_eq!(all(&page, "svg path title").len(), 60, "one tooltip a row");
    // Every task keeps its full record in the task table, drawn or not.
    assert_eq!(all(&page, "#nhiem-vu table.tasks tr[id]").len(), 80);
    let caption = texts(&page, "figure figcaption").join(" ");
    assert!(
        caption.contains("và 20 nhiệm vụ khác không vẽ"),
        "{caption}"
    );
    let svg = all(&page, "svg[role=img]");
    let view_box = svg[0]
        .value()
        .attrs()
        .find(|(k, _)| k.eq_ignore_ascii_case("viewbox"))
        .map(|(_, v)| v.to_string())
        .unwrap_or_default();
    let height: f64 = view_box
        .split(' ')
        .nth(3)
        .unwrap_or("0")
        .parse()
        .unwrap_or(0.0);
    assert!(
        height > 0.0 && height < 1200.0,
        "bounded height, got {view_box:?}"
    );
}
