//! The shape hash against real assemblies: every field a page shows moves it, a prose edit
//! does not.

use super::shape_hash;
use crate::diag::Diagnostics;
use crate::load::Loaded;
use crate::model::Site;
use crate::site::{assemble_loaded, AssembleOptions};

const THEME: u64 = 7;

const UNITS: &str = "- name: Sở Nội vụ\n  slug: so-noi-vu\n  level: tinh\n\
                     - name: Sở Tư pháp\n  slug: so-tu-phap\n  level: tinh\n";

/// A plan with a front-matter task, a body table task and prose around them; `prose` is the
/// paragraph before the table.
fn plan(prose: &str, table_task: &str) -> String {
    format!(
        "---\ntitle: Kế hoạch cải cách hành chính năm 2024\ntype: ke-hoach\n\
         number: 5/KH-UBND\nissuer: UBND tỉnh Thử Nghiệm\ndate: 2024-01-14\nyear: 2024\n\
         original: ke-hoach.docx\ntasks:\n  - task: Ban hành quy chế phối hợp\n    \
         lead: Sở Nội vụ\n    support: Sở Tư pháp\n    due: Tháng 3/2024\n---\n\n\
         ## I. MỤC ĐÍCH\n\n{prose}\n\n## II. NHIỆM VỤ\n\n\
         | TT | Nhiệm vụ | Đơn vị chủ trì | Thời gian |\n|---|---|---|---|\n\
         | 1 | {table_task} | Sở Tư pháp | Quý III/2024 |\n"
    )
}

fn assemble(prose: &str, table_task: &str) -> Site {
    let loaded = Loaded::in_memory(UNITS, vec![("ke-hoach".into(), plan(prose, table_task))]);
    let opts = AssembleOptions {
        today: jiff::civil::Date::new(2024, 6, 1).ok(),
        ..Default::default()
    };
    let diags = Diagnostics::new();
    let site = assemble_loaded(loaded, &opts, &diags);
    let errors: Vec<_> = diags
        .sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(site.tasks.len(), 2, "both tasks read");
    site
}

fn base() -> Site {
    assemble("Nâng cao chất lượng phục vụ.", "Số hóa hồ sơ")
}

#[test]
fn prose_edit_keeps_the_shape() {
    let a = base();
    let b = assemble("Nâng cao chất lượng phục vụ người dân.", "Số hóa hồ sơ");
    assert_ne!(a.bodies[0].html, b.bodies[0].html, "the body did change");
    assert_ne!(a.bodies[0].plain_text, b.bodies[0].plain_text);
    assert_eq!(shape_hash(&a, THEME), shape_hash(&b, THEME));
}

#[test]
fn body_fields_are_left_out() {
    let a = base();
    let mut b = base();
    b.bodies[0].html.push_str("<p>thêm</p>");
    b.bodies[0].plain_text.push_str(" thêm");
    b.bodies[0].headings.clear();
    assert_eq!(shape_hash(&a, THEME), shape_hash(&b, THEME));
}

#[test]
fn a_task_text_edited_in_the_source_changes_the_shape() {
    let a = base();
    let b = assemble("Nâng cao chất lượng phục vụ.", "Số hóa hồ sơ thủ tục");
    assert_ne!(a.tasks[1].text, b.tasks[1].text);
    assert_ne!(shape_hash(&a, THEME), shape_hash(&b, THEME));
}

/// `text` with one more character (tasks keep their strings boxed).
fn appended<T: From<String>>(text: &str) -> T {
    format!("{text}!").into()
}

/// Each change, made to a fresh site, must move the hash: a field left out of it fails here.
#[test]
fn every_shown_field_changes_the_shape() {
    type Change = (&'static str, fn(&mut Site));
    let changes: &[Change] = &[
        ("task text", |s| {
            s.tasks[1].content.text = appended(&s.tasks[1].content.text)
        }),
        ("task label", |s| {
            s.tasks[1].label = appended(&s.tasks[1].label)
        }),
        ("task group", |s| {
            s.tasks[0].content.group = Some("A".into())
        }),
        ("task product", |s| {
            s.tasks[0].content.product = Some("x".into())
        }),
        ("task lead", |s| {
            s.tasks[0].content.lead = [&s.tasks[0].content.lead[..], &[1]].concat().into()
        }),
        ("task support", |s| {
            s.tasks[0].content.support = Box::new([])
        }),
        ("task line", |s| s.tasks[1].line += 1),
        ("task state", |s| {
            s.tasks[0].state = crate::model::State::HoanThanh;
        }),
        ("deadline text", |s| {
            s.tasks[0].content.due.text = appended(&s.tasks[0].content.due.text)
        }),
        ("deadline end", |s| {
            s.tasks[0].content.due.end = jiff::civil::Date::new(2024, 4, 30).ok();
        }),
        ("deadline note", |s| {
            s.tasks[0].content.due.note = Some("sau đó".into());
        }),
        ("unit name", |s| s.units[0].name.push('X')),
        ("unit slug", |s| s.units[1].slug.push('x')),
        ("unit duties", |s| s.duties[0].lead.clear()),
        ("config title", |s| s.config.title.push('!')),
        ("config per_page", |s| s.config.per_page += 1),
        ("config base_url", |s| s.config.base_url = "/cchc/".into()),
        ("today", |s| {
            s.today = jiff::civil::Date::new(2024, 6, 2).unwrap()
        }),
        ("document title", |s| s.documents[0].meta.title.push('!')),
        ("document number", |s| s.documents[0].meta.number = None),
        ("document date", |s| s.documents[0].meta.date = None),
        ("document original", |s| s.documents[0].meta.original = None),
        ("document areas", |s| {
            s.documents[0].meta.areas.push("y tế".into())
        }),
        ("document tasks", |s| s.documents[0].tasks.truncate(1)),
        ("document cited_by", |s| s.documents[0].cited_by.push(0)),
        ("numbers", |s| s.numbers.clear()),
        ("plan ends", |s| s.plan_ends[0] = None),
    ];
    let before = shape_hash(&base(), THEME);
    for (what, change) in changes {
        let mut site = base();
        change(&mut site);
        assert_ne!(
            shape_hash(&site, THEME),
            before,
            "{what} left the hash unchanged"
        );
    }
    assert_ne!(shape_hash(&base(), THEME + 1), before, "theme fingerprint");
    assert_eq!(
        shape_hash(&base(), THEME),
        before,
        "the same site hashes the same"
    );
}
