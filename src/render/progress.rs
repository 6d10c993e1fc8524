//! Progress on the pages: a task's history under its badge, the "updated by this document"
//! list, the plan's summary, the unit's scorecard, the home page's picture by year and unit,
//! and feed entries for status changes. Takes the site (histories recorded by
//! [`crate::progress`]); returns HTML fragments the templates place as they are.
//!
//! The scorecard counts in the shape of the Government Office's reports: done on time, done
//! late, in progress, overdue (reported not done after the deadline), not reported, not yet due.

use std::collections::BTreeMap;

use crate::model::{DocId, Site, State, Task, TaskId};
use crate::progress::{sheets::status_label, Entry, Source};
use crate::render::charts::{stacked_bars, Bar, Segment};
use crate::render::view::{date_vi, doc_label, doc_path, shorten, unit_path};
use crate::text::escape_html_into as esc;

/// Scorecard categories: (key, label).
pub const CATEGORIES: [(&str, &str); 7] = [
    ("dung-han", "Hoàn thành đúng hạn"),
    ("tre-han", "Hoàn thành trễ hạn"),
    ("dang-thuc-hien", "Đang thực hiện"),
    ("qua-han", "Quá hạn (theo báo cáo)"),
    ("chua-bao-cao", "Đã đến hạn, chưa báo cáo"),
    ("chua-den-han", "Chưa đến hạn"),
    ("khac", "Không thời hạn, tạm dừng, không thực hiện"),
];

/// The scorecard category (index into [`CATEGORIES`]) of a task.
pub fn category(t: &Task) -> usize {
    match t.state {
        State::HoanThanh if t.late => 1,
        State::HoanThanh => 0,
        State::DangThucHien => 2,
        State::QuaHan => 3,
        State::ChuaBaoCao => 4,
        State::SapDenHan | State::ChuaDenHan => 5,
        State::TamDung | State::KhongThucHien | State::KhongCoThoiHan => 6,
    }
}

fn counts(site: &Site, ids: impl Iterator<Item = TaskId>) -> [usize; 7] {
    let mut c = [0; 7];
    for t in ids.filter_map(|i| site.tasks.get(i)) {
        c[category(t)] += 1;
    }
    c
}

fn bar(label: String, href: Option<String>, c: [usize; 7]) -> Bar {
    Bar {
        label,
        href,
        segments: CATEGORIES
            .iter()
            .zip(c)
            .map(|(&(key, label), count)| Segment { key, label, count })
            .collect(),
    }
}

/// The state as text, with "trễ hạn" for work done late (badges, spreadsheets).
pub fn state_text(t: &Task) -> String {
    match (t.state, t.late) {
        (State::HoanThanh, true) => "Hoàn thành (trễ hạn)".into(),
        (s, _) => s.label().into(),
    }
}

/// Link target and name of a report's source, from a page `root`.
fn source_link(site: &Site, e: &Entry, root: &str) -> (String, String) {
    match &e.source {
        Source::Document(d) => {
            let doc = &site.documents[*d];
            (format!("{root}{}", doc_path(doc)), doc_label(doc))
        }
        Source::File(f) => (
            format!("{root}{f}"),
            format!("tệp {}", f.rsplit('/').next().unwrap_or(f)),
        ),
    }
}

/// Inline Markdown of a result as safe HTML: emphasis and code kept, links and raw HTML as text.
pub fn result_html(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let events = Parser::new(md).filter_map(|ev| match ev {
        Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::Paragraph) => None,
        Event::End(TagEnd::Link | TagEnd::Image | TagEnd::Paragraph) => None,
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        other => Some(other),
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, events);
    out.trim().to_string()
}

/// After a task's badge: "trễ hạn", the latest report, and the whole history folded.
pub fn push_history(out: &mut String, site: &Site, t: &Task, root: &str) {
    if t.late {
        out.push_str(" <small class=\"late\">trễ hạn</small>");
    }
    let Some(last) = t.history.last() else {
        return;
    };
    let (href, name) = source_link(site, last, root);
    out.push_str("<br><small class=\"reported\">Theo <a href=\"");
    esc(out, &href);
    out.push_str("\">");
    esc(out, &name);
    out.push_str(&format!("</a>, {}</small>", date_vi(last.date)));
    out.push_str(&format!(
        "<details class=\"history\"><summary>Lịch sử báo cáo ({})</summary><ol reversed>",
        t.history.len()
    ));
    for e in t.history.iter().rev() {
        let (href, name) = source_link(site, e, root);
        out.push_str(&format!(
            "<li><time datetime=\"{}\">{}</time> — <strong>",
            e.date,
            date_vi(e.date)
        ));
        out.push_str(status_label(e.status));
        out.push_str("</strong>");
        if let Some(r) = &e.result {
            out.push_str(": ");
            out.push_str(&result_html(r));
        }
        out.push_str(" (<a href=\"");
        esc(out, &href);
        out.push_str("\">");
        esc(out, &name);
        out.push_str("</a>)</li>");
    }
    out.push_str("</ol></details>");
}

/// On a document page: the plan's progress summary (when it has tasks) and the tasks this
/// document reported on, grouped by plan.
pub fn document_html(site: &Site, id: DocId, root: &str) -> String {
    let mut out = String::new();
    let d = &site.documents[id];
    if !d.tasks.is_empty() {
        out.push_str(
            "<section class=progress aria-labelledby=tien-do><h2 id=tien-do>Tiến độ thực hiện</h2>",
        );
        let c = counts(site, d.tasks.iter().copied());
        let reported = d
            .tasks
            .iter()
            .filter(|&&t| !site.tasks[t].history.is_empty())
            .count();
        out.push_str(&format!(
            "<p>{reported} trên {} nhiệm vụ đã có báo cáo kết quả. Tình trạng tính đến ngày {}, theo các báo cáo đã đăng.</p>",
            d.tasks.len(),
            date_vi(site.today)
        ));
        out.push_str(&stacked_bars(
            "bieu-do-tien-do",
            "Tình trạng các nhiệm vụ của văn bản",
            &[bar(doc_label(d), None, c)],
        ));
        out.push_str("</section>");
    }
    if let Some(ids) = site.progress.by_doc.get(&id) {
        out.push_str(&updates_html(site, id, ids, root));
    }
    out
}

/// "Văn bản này cập nhật tiến độ": each updated task with the status this document gave it.
fn updates_html(site: &Site, id: DocId, ids: &[TaskId], root: &str) -> String {
    let mut out =
        String::from("<section class=\"progress-updates\" aria-labelledby=\"cap-nhat-tien-do\">");
    out.push_str(&format!(
        "<h2 id=\"cap-nhat-tien-do\">Văn bản này cập nhật tiến độ của {} nhiệm vụ</h2>",
        ids.len()
    ));
    let mut by_plan: BTreeMap<DocId, Vec<TaskId>> = BTreeMap::new();
    for &t in ids {
        by_plan.entry(site.tasks[t].doc).or_default().push(t);
    }
    for (plan, tasks) in by_plan {
        let p = &site.documents[plan];
        out.push_str("<h3><a href=\"");
        esc(&mut out, &format!("{root}{}", doc_path(p)));
        out.push_str("\">");
        esc(&mut out, &doc_label(p));
        out.push_str("</a></h3><ul class=\"updated-tasks\">");
        for t in tasks {
            let task = &site.tasks[t];
            let Some(e) = task
                .history
                .iter()
                .rev()
                .find(|e| e.source == Source::Document(id))
            else {
                continue;
            };
            out.push_str("<li><a href=\"");
            esc(&mut out, &format!("{root}{}#{}", doc_path(p), task.anchor));
            out.push_str("\">");
            esc(&mut out, &task.label);
            out.push_str(". ");
            esc(&mut out, &shorten(&task.text, 120));
            out.push_str(&format!(
                "</a> — <strong>{}</strong>",
                status_label(e.status)
            ));
            if let Some(r) = &e.result {
                out.push_str(": ");
                out.push_str(&result_html(r));
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
    out
}

/// On a unit page: the scorecard of the tasks it leads.
pub fn unit_html(site: &Site, u: usize) -> String {
    let lead = &site.duties[u].lead;
    if lead.is_empty() {
        return String::new();
    }
    let c = counts(site, lead.iter().copied());
    let mut out = String::from("<section class=\"progress\" aria-labelledby=\"ket-qua-don-vi\"><h2 id=\"ket-qua-don-vi\">Kết quả thực hiện nhiệm vụ chủ trì</h2>");
    out.push_str(&format!(
        "<p>Theo các báo cáo đã đăng, tính đến ngày {}: hoàn thành {} ({} đúng hạn, {} trễ hạn); chưa hoàn thành {} ({} trong hạn, {} quá hạn theo báo cáo); {} nhiệm vụ đã đến hạn nhưng chưa có báo cáo.</p>",
        date_vi(site.today), c[0] + c[1], c[0], c[1], c[2] + c[3] + c[5], c[2] + c[5], c[3], c[4]
    ));
    out.push_str(&stacked_bars(
        "bieu-do-don-vi",
        "Nhiệm vụ chủ trì theo tình trạng",
        &[bar(site.units[u].name.clone(), None, c)],
    ));
    out.push_str("</section>");
    out
}

/// On the home page: all tasks by plan year, and the units leading most tasks.
pub fn home_html(site: &Site) -> String {
    if site.tasks.is_empty() {
        return String::new();
    }
    let mut by_year: BTreeMap<Option<i16>, Vec<TaskId>> = BTreeMap::new();
    for (i, t) in site.tasks.iter().enumerate() {
        by_year.entry(site.task_year(t)).or_default().push(i);
    }
    let years: Vec<Bar> = by_year
        .iter()
        .rev()
        .map(|(y, ids)| {
            let label = y.map_or("Không rõ năm".into(), |y| format!("Năm {y}"));
            let href = Some(crate::render::lists::year_link(site, *y));
            bar(label, href, counts(site, ids.iter().copied()))
        })
        .collect();
    let mut units: Vec<usize> = (0..site.units.len())
        .filter(|&u| !site.duties[u].lead.is_empty())
        .collect();
    units.sort_by_key(|&u| (std::cmp::Reverse(site.duties[u].lead.len()), u));
    units.truncate(15);
    let unit_bars: Vec<Bar> = units
        .iter()
        .map(|&u| {
            bar(
                site.units[u].name.clone(),
                Some(unit_path(site, u)),
                counts(site, site.duties[u].lead.iter().copied()),
            )
        })
        .collect();
    let reported = site.tasks.iter().filter(|t| !t.history.is_empty()).count();
    let mut out = String::from("<section class=\"progress\" aria-labelledby=\"tien-do-chung\"><h2 id=\"tien-do-chung\">Tiến độ thực hiện</h2>");
    out.push_str(&format!(
        "<p>{reported} trên {} nhiệm vụ đã có báo cáo kết quả. Cổng chỉ ghi tình trạng mà văn bản báo cáo; nhiệm vụ đã đến hạn mà chưa có báo cáo được ghi là “chưa báo cáo”, không phải quá hạn.</p>",
        site.tasks.len()
    ));
    out.push_str(&stacked_bars(
        "bieu-do-nam",
        "Nhiệm vụ theo năm kế hoạch",
        &years,
    ));
    out.push_str(&stacked_bars(
        "bieu-do-don-vi-chu-tri",
        "Đơn vị chủ trì nhiều nhiệm vụ nhất",
        &unit_bars,
    ));
    out.push_str("</section>");
    out
}

/// Atom entries for the 50 newest status changes (a report whose status differs from the
/// task's previous one), newest first.
pub fn feed_entries(site: &Site, url: &dyn Fn(&str) -> String) -> String {
    let mut changes: Vec<(&Entry, TaskId)> = Vec::new();
    for (i, t) in site.tasks.iter().enumerate() {
        let mut prev = None;
        for e in &t.history {
            if prev != Some(e.status) {
                changes.push((e, i));
            }
            prev = Some(e.status);
        }
    }
    changes.sort_by(|a, b| (b.0.date, a.1).cmp(&(a.0.date, b.1)));
    let mut s = String::new();
    for (e, i) in changes.into_iter().take(50) {
        let t = &site.tasks[i];
        let d = &site.documents[t.doc];
        let link = format!("{}#{}", url(&doc_path(d)), t.anchor);
        let mut title = String::new();
        esc(
            &mut title,
            &format!(
                "{} – nhiệm vụ {}: {}",
                doc_label(d),
                t.label,
                status_label(e.status)
            ),
        );
        let mut summary = String::new();
        esc(
            &mut summary,
            &format!(
                "{}{}",
                shorten(&t.text, 200),
                e.result
                    .as_deref()
                    .map(|r| format!(" — {r}"))
                    .unwrap_or_default()
            ),
        );
        let mut href = String::new();
        esc(&mut href, &link);
        s.push_str(&format!(
            "<entry>\n<title>{title}</title>\n<id>urn:cchc:tien-do:{}:{}:{}:{}</id>\n<link href=\"{href}\"/>\n<updated>{}T00:00:00+07:00</updated>\n<author><name>{}</name></author>\n<summary>{summary}</summary>\n</entry>\n",
            d.slug, t.anchor, e.date, e.status.code(), e.date, { let mut a = String::new(); esc(&mut a, &site.config.title); a }
        ));
    }
    s
}
