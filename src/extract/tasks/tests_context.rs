//! Tests for task extraction: what the context decides (inherited deadlines and groups,
//! sections that yield no tasks, closing sections, quotes, assignments).

use super::tests::{extract, s, texts, v, FULL_TABLE};
use super::*;

// ---------------------------------------------------------------- context rules

#[test]
fn inherited_deadline_from_notice_heading() {
    let body = "\
## II. Nhiệm vụ trọng tâm 6 tháng cuối năm 2023

### 1. Giám đốc Sở Nội vụ

- Kiểm tra công vụ.
- Tổng hợp báo cáo, hoàn thành trước ngày 30/11/2023.
- Tập huấn trong tháng 12/2023 và hướng dẫn ngày 14/7/2023.
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[0].due, s("6 tháng cuối năm 2023"));
    assert!(tasks[0].due_inherited);
    assert_eq!(
        tasks[0].group,
        s("Nhiệm vụ trọng tâm 6 tháng cuối năm 2023")
    );
    assert_eq!(tasks[1].due, s("trước ngày 30/11/2023"));
    assert!(!tasks[1].due_inherited);
    assert_eq!(tasks[2].due, s("trong tháng 12/2023"));
}

#[test]
fn quarter_heading_without_diacritics() {
    let body = "\
## NHIEM VU TRONG TAM QUY IV/2023

### 2. Giam doc So Tu phap

- Ra soat van ban.
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].due, s("QUY IV/2023"));
    assert!(tasks[0].due_inherited);
    assert_eq!(tasks[0].lead, v("Giam doc So Tu phap"));

    let body = "## NHIỆM VỤ QUÝ IV/2023\n\n### Sở Nội vụ\n\n- Việc.\n";
    assert_eq!(extract(body)[0].due, s("QUÝ IV/2023"));
}

#[test]
fn results_sections_yield_no_tasks() {
    let body = "\
## I. Kết quả đạt được

### 1. Giám đốc Sở Nội vụ

- Dự kiến hoàn thành trong tháng 6/2023.

| TT | Nội dung | Chủ trì | Thời gian |
|---|---|---|---|
| 1 | Đã làm | Sở A | Quý I/2023 |

## 2. Ton tai, han che

### Sở Tư pháp

- Chậm ban hành văn bản.

a) Việc đã làm
- Thời gian: Tháng 3/2023

## Nguyên nhân

**Sở Tài chính**

Chưa bố trí kinh phí.

## II. Nhiệm vụ thời gian tới

### Sở Tư pháp

- Ban hành văn bản.
";
    let tasks = extract(body);
    assert_eq!(texts(&tasks), ["Ban hành văn bản."]);
}

#[test]
fn closing_section_keeps_only_tasks_with_own_deadline() {
    let body = "\
## IV. TỔ CHỨC THỰC HIỆN

### 1. Sở Nội vụ có trách nhiệm

a) Theo dõi, đôn đốc thực hiện Kế hoạch này.

b) Tổng hợp, báo cáo UBND tỉnh trước ngày 15/12/2024.

c) Trình công bố Chỉ số
- Thời gian: Quý I/2025

2. Các sở, ban, ngành căn cứ Kế hoạch này triển khai thực hiện.
";
    let tasks = extract(body);
    assert_eq!(
        texts(&tasks),
        [
            "Tổng hợp, báo cáo UBND tỉnh trước ngày 15/12/2024.",
            "Trình công bố Chỉ số"
        ]
    );
    assert_eq!(tasks[0].lead, v("Sở Nội vụ"));
    assert_eq!(tasks[0].due, s("trước ngày 15/12/2024"));
    assert_eq!(tasks[1].lead, v("Sở Nội vụ"));
    assert_eq!(tasks[1].due, s("Quý I/2025"));
}

#[test]
fn mixed_forms_in_one_document() {
    let body = format!(
        "{FULL_TABLE}\n## IV. Nhiệm vụ khác\n\na) Ban hành kế hoạch\n- Đơn vị chủ trì: Sở A\n\n\
         ### 5. Sở Tài chính\n\n- Bố trí kinh phí.\n"
    );
    let forms: Vec<TaskForm> = extract(&body).iter().map(|t| t.form).collect();
    assert_eq!(
        forms,
        [
            TaskForm::Table,
            TaskForm::Table,
            TaskForm::Labelled,
            TaskForm::UnitHeaded
        ]
    );
}

#[test]
fn due_phrases() {
    use super::unit_headed::due_phrase;
    let cases = [
        (
            "hoàn thành trước ngày 30/11/2023.",
            Some("trước ngày 30/11/2023"),
        ),
        (
            "triển khai trong tháng 12/2023",
            Some("trong tháng 12/2023"),
        ),
        (
            "trong tháng 8 năm 2024 xong",
            Some("trong tháng 8 năm 2024"),
        ),
        ("Trong quý 1/2023 công bố", Some("Trong quý 1/2023")),
        (
            "trong 6 tháng đầu năm 2023",
            Some("trong 6 tháng đầu năm 2023"),
        ),
        (
            "mục tiêu trong năm 2023 và năm 2024;",
            Some("trong năm 2023 và năm 2024"),
        ),
        (
            "Từ tháng 12/2022 đến cuối tháng 01/2023",
            Some("Từ tháng 12/2022 đến cuối tháng 01/2023"),
        ),
        ("chậm nhất ngày 15/12", Some("chậm nhất ngày 15/12")),
        (
            "trong thang 01/2024 va truoc ngay 5/2/2024",
            Some("truoc ngay 5/2/2024"),
        ),
        ("Nghị quyết số 19/NQ-HĐND ngày 14/7/2023", None),
        ("cuộc họp tháng 8 năm 2023", None),
        ("không có hạn", None),
        ("", None),
    ];
    for (text, want) in cases {
        assert_eq!(due_phrase(text).as_deref(), want, "{text}");
    }
}

#[test]
fn enumeration_labels() {
    let cases = [
        ("a) Việc", Some(("a)", NumStyle::Letter, "Việc"))),
        ("đ) Việc", Some(("đ)", NumStyle::Letter, "Việc"))),
        ("1. Việc", Some(("1.", NumStyle::Digit, "Việc"))),
        ("1.2. Việc", Some(("1.2.", NumStyle::Digit, "Việc"))),
        ("3) Việc", Some(("3)", NumStyle::Digit, "Việc"))),
        ("II. Việc", Some(("II.", NumStyle::Roman, "Việc"))),
        ("(b) Việc", Some(("(b)", NumStyle::Letter, "Việc"))),
        ("Việc một", None),
        ("ab) Việc", None),
        (")", None),
        ("", None),
    ];
    for (text, want) in cases {
        assert_eq!(split_enum(text), want, "{text}");
    }
}

#[test]
fn headings_with_attributes_and_quotes() {
    let body = "\
### 1. Sở Nội vụ {#so-noi-vu}

> - Việc trong trích dẫn.
";
    let tasks = extract(body);
    assert_eq!(texts(&tasks), ["Việc trong trích dẫn."]);
    assert_eq!(tasks[0].lead, v("Sở Nội vụ"));
}
