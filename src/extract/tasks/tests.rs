//! Tests for task extraction: every form field by field, context rules, hostile bodies and
//! the converted seed documents.

use super::*;
use std::time::{Duration, Instant};

/// A stand-in for the units registry: folded text starting with a unit word.
fn names_unit(text: &str) -> bool {
    let f = crate::text::fold(text);
    let f = f.strip_prefix("cac ").unwrap_or(&f);
    [
        "so ",
        "giam doc so",
        "ubnd",
        "uy ban nhan dan",
        "van phong",
        "ban chi dao",
        "ban quan ly",
        "thanh vien ban",
        "cong an",
        "chanh van phong",
        "thu truong",
        "chu tich",
    ]
    .iter()
    .any(|p| f.starts_with(p))
}

fn extract(body: &str) -> Vec<RawTask> {
    extract_tasks(body, &names_unit)
}

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

/// One unit cell as written.
fn v(cell: &str) -> Vec<String> {
    vec![cell.to_string()]
}

fn texts(tasks: &[RawTask]) -> Vec<&str> {
    tasks.iter().map(|t| t.text.as_str()).collect()
}

// ---------------------------------------------------------------- task tables

const FULL_TABLE: &str = "\
## III. NHIỆM VỤ CỤ THỂ

| Số TT | Nội dung thực hiện | Sản phẩm | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện | Kinh phí dự kiến | Ghi chú |
|---|---|---|---|---|---|---|---|
| **1. Công tác thông tin, tuyên truyền** | | | | | | | |
| a) | Tăng cường *tuyên truyền* cải cách hành chính | Các hình thức thích hợp | Sở Nội vụ | Sở Thông tin và Truyền thông | Quý II/2019 | 40 tr | NS tỉnh |
| | | | | | | | |
| b) | Xây dựng video | Video | Sở Nội vụ | | Trong năm 2019 | | |
";

#[test]
fn table_fields() {
    let tasks = extract(FULL_TABLE);
    assert_eq!(tasks.len(), 2);
    let t = &tasks[0];
    assert_eq!(t.label, s("a)"));
    assert_eq!(t.group, s("Công tác thông tin, tuyên truyền"));
    assert_eq!(t.text, "Tăng cường tuyên truyền cải cách hành chính");
    assert_eq!(t.product, s("Các hình thức thích hợp"));
    assert_eq!(t.lead, v("Sở Nội vụ"));
    assert_eq!(t.support, v("Sở Thông tin và Truyền thông"));
    assert_eq!(t.due, s("Quý II/2019"));
    assert!(!t.due_inherited);
    assert_eq!(t.budget, s("40 tr"));
    assert_eq!(t.note, s("NS tỉnh"));
    assert_eq!(t.form, TaskForm::Table);
    assert!(FULL_TABLE[t.offset..].starts_with("| a)"));
    let b = &tasks[1];
    assert_eq!(
        (b.label.as_deref(), b.support.first().map(String::as_str)),
        (Some("b)"), None)
    );
    assert_eq!(b.budget, None);
    assert_eq!(b.group, s("Công tác thông tin, tuyên truyền"));
}

#[test]
fn table_header_variants_and_column_order() {
    let body = "\
| Ghi chú | Thời hạn | Đơn vị thực hiện | Nhiệm vụ | STT |
|---|---|---|---|---|
| x | Tháng 12/2024 | Văn phòng UBND tỉnh | Rà soát TTHC | 1 |
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 1);
    let t = &tasks[0];
    assert_eq!(t.label, s("1"));
    assert_eq!(t.text, "Rà soát TTHC");
    assert_eq!(t.lead, v("Văn phòng UBND tỉnh"));
    assert_eq!(t.due, s("Tháng 12/2024"));
    assert_eq!(t.note, s("x"));
    // Without a heading or group row, the group stays empty.
    assert_eq!(t.group, None);

    let body = "\
| TT | Nội dung công việc | Cơ quan tham mưu | Thời gian hoàn thành |
|---|---|---|---|
| 1 | Ban hành kế hoạch | Sở Nội vụ | Quý I/2024 |
";
    let t = &extract(body)[0];
    assert_eq!(
        (t.lead.first().map(String::as_str), t.due.as_deref()),
        (Some("Sở Nội vụ"), Some("Quý I/2024"))
    );

    let body = "\
| Nội dung | Cơ quan (đơn vị) chủ trì | Cơ quan (đơn vị) phối hợp |
|---|---|---|
| Kiểm tra | Sở Nội vụ | Sở Tư pháp |
";
    let t = &extract(body)[0];
    assert_eq!(
        (
            t.lead.first().map(String::as_str),
            t.support.first().map(String::as_str)
        ),
        (Some("Sở Nội vụ"), Some("Sở Tư pháp"))
    );
}

#[test]
fn table_ocr_headers_without_diacritics() {
    let body = "\
## III. NHIEM VU CU THE

| So TT | Noi dung thuc hien | San pham | Co quan chu tri | Co quan phoi hop | Thoi gian thuc hien | Kinh phi du kien | Ghi chu |
|---|---|---|---|---|---|---|---|
| I | CAI CACH THE CHE | | | | | | |
| 1 | Ra soat van ban | Bao cao | So Tu phap | Cac so | Quy 11/2024 | 10 tr | |
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 1);
    let t = &tasks[0];
    assert_eq!(t.group, s("CAI CACH THE CHE"));
    assert_eq!(t.product, s("Bao cao"));
    assert_eq!(t.lead, v("So Tu phap"));
    assert_eq!(t.support, v("Cac so"));
    assert_eq!(t.due, s("Quy 11/2024"));
    assert_eq!(t.budget, s("10 tr"));
}

#[test]
fn table_group_rows_and_heading_group() {
    let body = "\
## III. Nhiệm vụ cụ thể

| TT | Nội dung | Chủ trì | Thời gian |
|---|---|---|---|
| 1 | Việc trước nhóm | Sở A | Quý I/2024 |
| II | Cải cách thủ tục hành chính | | |
| 2 | Việc trong nhóm | Sở B | Quý II/2024 |
| | **3. Nhóm ba** | | |
| 3 | Việc ba | Sở C | |
";
    let tasks = extract(body);
    assert_eq!(
        texts(&tasks),
        ["Việc trước nhóm", "Việc trong nhóm", "Việc ba"]
    );
    assert_eq!(tasks[0].group, s("Nhiệm vụ cụ thể"));
    assert_eq!(tasks[1].group, s("Cải cách thủ tục hành chính"));
    assert_eq!(tasks[2].group, s("Nhóm ba"));
    assert_eq!(tasks[2].due, None);
}

#[test]
fn tables_that_are_not_task_tables() {
    let body = "\
| Nội dung | Ghi chú |
|---|---|
| Một | x |

| Đơn vị | Điểm |
|---|---|
| Sở Nội vụ | 90 |
";
    assert!(extract(body).is_empty());
}

#[test]
fn table_row_without_text_is_skipped_and_br_is_a_space() {
    let body = "\
| TT | Nhiệm vụ | Chủ trì | Thời gian |
|---|---|---|---|
| 1 | Dòng một<br>dòng hai | Sở A | Quý I/2024 |
| | | Sở B | Quý II/2024 |
";
    let tasks = extract(body);
    assert_eq!(texts(&tasks), ["Dòng một dòng hai"]);
}

// ------------------------------------------------------------- labelled lists

#[test]
fn labelled_sibling_list() {
    let body = "\
### 1. Về cải cách thể chế

a) Phối hợp tham mưu ban hành văn bản
   - Đơn vị chủ trì: Phòng Hành chính - Quản trị.
   - Đơn vị phối hợp: Các phòng, ban.
   - Sản phẩm: Các văn bản QPPL.
   - Thời gian: Quý II/2024.
   - Kinh phí: 10 triệu
   - Ghi chú: NS tỉnh
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 1);
    let t = &tasks[0];
    assert_eq!(t.label, s("a)"));
    assert_eq!(t.group, s("Về cải cách thể chế"));
    assert_eq!(t.text, "Phối hợp tham mưu ban hành văn bản");
    assert_eq!(t.lead, v("Phòng Hành chính - Quản trị"));
    assert_eq!(t.support, v("Các phòng, ban"));
    assert_eq!(t.product, s("Các văn bản QPPL"));
    assert_eq!(t.due, s("Quý II/2024"));
    assert_eq!(t.budget, s("10 triệu"));
    assert_eq!(t.note, s("NS tỉnh"));
    assert_eq!(t.form, TaskForm::Labelled);
    assert!(body[t.offset..].starts_with("a) Phối hợp"));
}

#[test]
fn labelled_nested_list_in_numbered_item() {
    let body = "\
## II. Nội dung

1. Hướng dẫn tự đánh giá
   - Thời gian thực hiện: Tháng 10/2022.
   - Cơ quan chủ trì/tham mưu: Sở Nội vụ.
   - Cơ quan phối hợp: Các cơ quan chuyên môn.
2. Mở đợt đánh giá
   - Thời hạn: Trước ngày 10/12/2022
   - Cơ quan tham mưu: Sở Nội vụ
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0].label, s("1."));
    assert_eq!(tasks[0].text, "Hướng dẫn tự đánh giá");
    assert_eq!(tasks[0].due, s("Tháng 10/2022"));
    assert_eq!(tasks[0].lead, v("Sở Nội vụ"));
    assert_eq!(tasks[0].support, v("Các cơ quan chuyên môn"));
    assert_eq!(tasks[0].group, s("Nội dung"));
    assert_eq!(tasks[1].label, s("2."));
    assert_eq!(tasks[1].due, s("Trước ngày 10/12/2022"));
    assert!(body[tasks[1].offset..].starts_with("2. Mở"));
}

#[test]
fn labelled_soft_broken_lines_and_ocr_labels() {
    let body = "\
b) Mo dot danh gia nam 2022 va nhap
Bo chi so tren phan mem
Thoi gian: Thang 10/2022.
Co quan chu tri: So Noi vu va cac co quan
chuyen mon thuoc tinh.
Co quan phoi hop : Trung tam CNTT
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 1);
    let t = &tasks[0];
    assert_eq!(t.label, s("b)"));
    assert_eq!(
        t.text,
        "Mo dot danh gia nam 2022 va nhap Bo chi so tren phan mem"
    );
    assert_eq!(t.due, s("Thang 10/2022"));
    assert_eq!(t.lead, v("So Noi vu va cac co quan chuyen mon thuoc tinh"));
    assert_eq!(t.support, v("Trung tam CNTT"));
}

#[test]
fn labelled_separate_label_paragraphs_and_nested_product() {
    let body = "\
đ) Xây dựng kế hoạch kiểm soát TTHC

- Đơn vị chủ trì: Trung tâm Phục vụ hành chính công.
- Sản phẩm:
  + Kế hoạch hoạt động;
  + Kế hoạch kiểm tra.
- Thời gian thực hiện: Quý I tham mưu ban hành; hoàn thành trước ngày 30/11/2024.
";
    let t = &extract(body)[0];
    assert_eq!(t.label, s("đ)"));
    assert_eq!(t.product, s("Kế hoạch hoạt động;; Kế hoạch kiểm tra"));
    assert_eq!(
        t.due,
        s("Quý I tham mưu ban hành; hoàn thành trước ngày 30/11/2024")
    );
}

#[test]
fn labelled_needs_lead_or_deadline() {
    let body = "\
a) Một mục chỉ có sản phẩm
- Sản phẩm: Báo cáo
- Cơ quan phối hợp: Sở Tư pháp

b) Một câu có dấu hai chấm: không phải nhãn
";
    assert!(extract(body).is_empty());
}

#[test]
fn labelled_sub_items_each_carry_their_own_labels() {
    let body = "\
c) Xây dựng văn bản triển khai cơ chế một cửa

- Quyết định sửa đổi Quyết định số 1179/QĐ-UBND
  + Đơn vị chủ trì: Trung tâm Phục vụ.
  + Thời gian: Quý II/2024.
- Quy định tiêu chí Bộ phận Một cửa kiểu mẫu
  + Đơn vị chủ trì: Trung tâm Phục vụ.
  + Thời gian: Quý 111/2024.
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 2);
    assert_eq!(
        tasks[0].text,
        "Quyết định sửa đổi Quyết định số 1179/QĐ-UBND"
    );
    assert_eq!(tasks[1].due, s("Quý 111/2024"));
    for t in &tasks {
        assert_eq!(t.group, s("Xây dựng văn bản triển khai cơ chế một cửa"));
        assert_eq!(t.form, TaskForm::Labelled);
    }
}

#[test]
fn heading_followed_by_labels_is_a_task() {
    let body = "\
## II. NỘI DUNG TRIỂN KHAI

### 3. Xác định Chỉ số cải cách hành chính của UBND cấp xã

- Thời gian: Từ tháng 11/2022 đến hết tháng 01/2023.
- Cơ quan chủ trì: Ủy ban nhân dân cấp huyện.
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 1);
    let t = &tasks[0];
    assert_eq!(t.label, s("3."));
    assert_eq!(
        t.text,
        "Xác định Chỉ số cải cách hành chính của UBND cấp xã"
    );
    assert_eq!(t.group, s("NỘI DUNG TRIỂN KHAI"));
    assert_eq!(t.lead, v("Ủy ban nhân dân cấp huyện"));
}

#[test]
fn labelled_item_in_unit_section_takes_unit_as_lead() {
    let body = "\
### 2. Sở Tư pháp

a) Rà soát văn bản
- Thời gian: Quý I/2024
";
    let t = &extract(body)[0];
    assert_eq!(t.form, TaskForm::Labelled);
    assert_eq!(t.lead, v("Sở Tư pháp"));
}

// ------------------------------------------------------- unit-headed sections

#[test]
fn unit_heading_with_bullets() {
    let body = "\
## II. NỘI DUNG, NHIỆM VỤ THỰC HIỆN

### 3. Giám đốc Sở Thông tin và Truyền thông

- Rà soát hạ tầng số;
- Chủ trì triển khai thanh toán trực tuyến.

### 4. Giám đốc Sở Nội vụ

- Kiểm tra cải cách hành chính.

## III. Khác

- Không phải nhiệm vụ.
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[0].lead, v("Giám đốc Sở Thông tin và Truyền thông"));
    assert_eq!(tasks[0].text, "Rà soát hạ tầng số;");
    assert_eq!(tasks[0].group, s("NỘI DUNG, NHIỆM VỤ THỰC HIỆN"));
    assert_eq!(tasks[0].form, TaskForm::UnitHeaded);
    assert_eq!(tasks[0].label, None);
    assert!(body[tasks[0].offset..].starts_with("- Rà soát"));
    assert_eq!(tasks[2].lead, v("Giám đốc Sở Nội vụ"));
}

#[test]
fn bold_unit_paragraph_with_plain_paragraphs() {
    let body = "\
**2. Sở Tư pháp**

Chủ trì tham mưu cải cách thể chế.

Theo dõi, tổng hợp báo cáo kết quả.

3. Nội dung khác không thuộc đơn vị nào.
";
    let tasks = extract(body);
    assert_eq!(
        texts(&tasks),
        [
            "Chủ trì tham mưu cải cách thể chế.",
            "Theo dõi, tổng hợp báo cáo kết quả."
        ]
    );
    assert!(tasks
        .iter()
        .all(|t| t.lead.first().map(String::as_str) == Some("Sở Tư pháp")));
}

#[test]
fn unit_line_with_colon_and_enumerated_paragraphs() {
    let body = "\
Ủy ban nhân dân các huyện, thành phố:

a) Kiện toàn Ban Chỉ đạo;

- Nâng cao hiệu quả hoạt động.

b) Đẩy mạnh số hóa hồ sơ.

Trên đây là Kế hoạch …/.

**Nguyễn Văn A**
";
    let tasks = extract(body);
    assert_eq!(
        texts(&tasks),
        [
            "Kiện toàn Ban Chỉ đạo;",
            "Nâng cao hiệu quả hoạt động.",
            "Đẩy mạnh số hóa hồ sơ."
        ]
    );
    assert_eq!(tasks[0].label, s("a)"));
    assert_eq!(tasks[2].label, s("b)"));
    assert_eq!(tasks[0].lead, v("Ủy ban nhân dân các huyện, thành phố"));
}

#[test]
fn unit_list_item_with_sub_bullets_is_one_task_each() {
    let body = "\
1. Thủ trưởng các Sở, ban ngành
   - a) Tăng cường lãnh đạo;
     - Nâng cao hiệu quả Ban chỉ đạo.
   - đ) Triển khai chính quyền số, cụ thể:
     - Tổ chức truyền thông;
     - Số hóa hồ sơ trong năm 2023;
2. Giám đốc Sở Nội vụ
   - Kiểm tra công vụ.
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[0].label, s("a)"));
    assert_eq!(
        tasks[0].text,
        "Tăng cường lãnh đạo;\n- Nâng cao hiệu quả Ban chỉ đạo."
    );
    assert_eq!(tasks[1].label, s("đ)"));
    assert_eq!(
        tasks[1].text,
        "Triển khai chính quyền số, cụ thể:\n- Tổ chức truyền thông;\n- Số hóa hồ sơ trong năm 2023;"
    );
    assert_eq!(tasks[1].due, s("trong năm 2023"));
    assert_eq!(tasks[0].lead, v("Thủ trưởng các Sở, ban ngành"));
    assert_eq!(tasks[2].lead, v("Giám đốc Sở Nội vụ"));
}

#[test]
fn paragraph_ending_with_colon_takes_its_list_as_details() {
    let body = "\
### 1. Sở Nội vụ

Chủ trì triển khai các nội dung, cụ thể:

- Tổ chức tập huấn;
- Kiểm tra.

### 2. Sở Tài chính

Thực hiện các nhiệm vụ sau:

- Bố trí kinh phí;
- Hướng dẫn quyết toán.
";
    let tasks = extract(body);
    assert_eq!(
        texts(&tasks),
        [
            "Chủ trì triển khai các nội dung, cụ thể:\n- Tổ chức tập huấn;\n- Kiểm tra.",
            "Bố trí kinh phí;",
            "Hướng dẫn quyết toán."
        ]
    );
}

#[test]
fn inline_unit_before_colon() {
    let body = "4. Sở Thông tin và Truyền thông: Chủ trì tham mưu xây dựng chính quyền số.\n";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].lead, v("Sở Thông tin và Truyền thông"));
    assert_eq!(tasks[0].text, "Chủ trì tham mưu xây dựng chính quyền số.");
    assert_eq!(tasks[0].label, s("4."));
}

#[test]
fn long_sentence_about_a_unit_is_not_a_unit_line() {
    let body = "\
1. Thủ trưởng các sở, ban, ngành tỉnh và Chủ tịch Ủy ban nhân dân huyện, thị xã, thành phố căn cứ vào kế hoạch này tiến hành xây dựng kế hoạch cải cách hành chính của cơ quan, đơn vị, địa phương mình; triển khai thực hiện các nội dung, nhiệm vụ.

   Đối với cơ quan được giao chủ trì các nhiệm vụ về công tác thông tin.
";
    // The item reads as one assignment led by its subject; it never heads the paragraph
    // after it as a unit line.
    let tasks = extract(body);
    assert!(tasks.len() <= 1, "{tasks:#?}");
    assert!(tasks.iter().all(|t| !t.text.starts_with("Đối với")));
}

#[test]
fn bold_numbered_paragraph_with_inline_unit() {
    let body = "## IV. TỔ CHỨC THỰC HIỆN\n\n**3. Sở Tư pháp:** Phối hợp tuyên truyền.\n\n**4. Sở Nội vụ:** Theo dõi, đôn đốc thực hiện Kế hoạch.\n";
    let tasks = extract(body);
    let leads: Vec<_> = tasks
        .iter()
        .map(|t| t.lead.first().map(String::as_str))
        .collect();
    assert_eq!(
        leads,
        vec![Some("Sở Tư pháp"), Some("Sở Nội vụ")],
        "{tasks:#?}"
    );
}

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

// ------------------------------------------------------------------ hostile input

fn assert_fast(body: &str, limit: Duration) -> Vec<RawTask> {
    let start = Instant::now();
    let tasks = extract(body);
    assert!(start.elapsed() < limit, "took {:?}", start.elapsed());
    tasks
}

#[test]
fn empty_and_trivial_bodies() {
    for body in [
        "",
        " ",
        "\n\n",
        "---",
        "|",
        "| a |\n|---|",
        "a)",
        "1.",
        "- :",
        "**",
        ">",
    ] {
        let _ = extract(body);
    }
    assert!(extract("").is_empty());
}

#[test]
fn deeply_nested_lists_and_quotes() {
    let limit = Duration::from_secs(5);
    let _ = assert_fast(&format!("{}x", "- ".repeat(10_000)), limit);
    let _ = assert_fast(&format!("{}x", "1. ".repeat(10_000)), limit);
    let _ = assert_fast(&format!("{} x", ">".repeat(10_000)), limit);
    let _ = assert_fast(
        &format!("### Sở Nội vụ\n\n{}x", "> - ".repeat(5_000)),
        limit,
    );
    // Multi-line nesting, each level indented under the previous one.
    let mut body = String::from("### Sở Nội vụ\n\n");
    for depth in 0..2_000 {
        body.push_str(&"  ".repeat(depth));
        body.push_str("- việc\n");
    }
    let tasks = assert_fast(&body, limit);
    // The first item is a task; everything nested under it is its detail.
    assert_eq!(tasks.len(), 1);
}

#[test]
fn large_table() {
    let mut body = String::from("| TT | Nội dung | Chủ trì | Thời gian |\n|---|---|---|---|\n");
    for i in 0..100_000 {
        body.push_str(&format!("| {i} | Việc {i} | Sở Nội vụ | Quý I/2024 |\n"));
    }
    let tasks = assert_fast(&body, Duration::from_secs(10));
    assert_eq!(tasks.len(), 100_000);
    assert_eq!(tasks[99_999].text, "Việc 99999");
}

#[test]
fn large_paragraph_in_unit_section() {
    let mut body = String::from("### Sở Nội vụ\n\n");
    let sentence = "Tổ chức rà soát trong tháng 12/2023, đảm bảo tiến độ; ";
    body.push_str(&sentence.repeat(5 * 1024 * 1024 / sentence.len()));
    let tasks = assert_fast(&body, Duration::from_secs(20));
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].due, s("trong tháng 12/2023"));
}

#[test]
fn huge_heading_title_is_cut_for_groups() {
    let body = format!(
        "## {}\n\n### Sở Nội vụ\n\n{}",
        "Nhiệm vụ ".repeat(200_000),
        "- Việc.\n".repeat(20_000)
    );
    let tasks = assert_fast(&body, Duration::from_secs(10));
    assert_eq!(tasks.len(), 20_000);
    let group = tasks[0].group.as_deref().unwrap_or_default();
    assert!(group.len() <= MAX_TITLE + 3 && group.ends_with('…'));
}

/// 50 MB of mixed content; slow in debug builds, so run with
/// `cargo test --release -- --ignored`.
#[test]
#[ignore]
fn body_of_50_mb_stays_linear() {
    let chunk = "### 1. Sở Nội vụ\n\n- Rà soát trước ngày 30/11/2023.\n\na) Việc\n- Thời gian: Quý I/2024\n\n| TT | Nội dung | Chủ trì |\n|---|---|---|\n| 1 | Việc | Sở A |\n\n";
    let body = chunk.repeat(50 * 1024 * 1024 / chunk.len());
    let tasks = assert_fast(&body, Duration::from_secs(30));
    assert_eq!(tasks.len(), 3 * (50 * 1024 * 1024 / chunk.len()));
}

#[test]
fn pseudo_random_bodies_never_panic() {
    let pieces = [
        "a) ",
        "đ) ",
        "1. ",
        "- ",
        "+ ",
        "> ",
        "### ",
        "## Kết quả\n",
        "**",
        "|",
        "|---|",
        "\n",
        "\n\n",
        "Thời gian: ",
        "Đơn vị chủ trì:",
        "Sở Nội vụ",
        "trước ngày 3/",
        "Quý IV/",
        "2023",
        "  ",
        "ữ",
        "`",
        "<br>",
        "[^1]",
        "[^1]: x\n",
        "Trên đây là ./.",
        ":",
        "Tổ chức thực hiện",
        "\u{301}",
        "🙂",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..2_000 {
        let mut body = String::new();
        for _ in 0..60 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            body.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        for t in extract(&body) {
            assert!(t.offset <= body.len());
            assert!(!t.text.is_empty());
        }
    }
}

// ---------------------------------------------------------- converted seeds

/// The crate root: `CARGO_MANIFEST_DIR`, or the directory this file lives in when the module
/// is compiled from another crate (a scratch crate mounting it by path).
fn crate_root() -> Option<std::path::PathBuf> {
    let manifest = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if manifest.join("tests/seeds_expected.json").exists() {
        return Some(manifest);
    }
    let this = std::path::Path::new(file!());
    this.ancestors()
        .find(|p| p.join("tests/seeds_expected.json").exists())
        .map(std::path::Path::to_path_buf)
}

/// The body of a content file: everything after the closing `---` of the front matter.
fn body_of(file: &str) -> &str {
    let mut parts = file.splitn(3, "---\n");
    match (parts.next(), parts.next(), parts.next()) {
        (Some(""), Some(_), Some(body)) => body,
        _ => file,
    }
}

#[test]
fn seed_documents_match_expected_task_counts() {
    let Some(root) = crate_root() else {
        eprintln!("tests/seeds_expected.json not found: skipped");
        return;
    };
    let json = std::fs::read_to_string(root.join("tests/seeds_expected.json")).unwrap();
    let expected: serde_json::Value = serde_json::from_str(&json).unwrap();
    let seeds = expected.as_object().unwrap();
    assert!(!seeds.is_empty());
    for (seed, entry) in seeds {
        let content = entry["content"].as_str().unwrap();
        let file = std::fs::read_to_string(root.join(content)).unwrap();
        let tasks = extract(body_of(&file));
        assert_eq!(
            tasks.len() as u64,
            entry["tasks"].as_u64().unwrap(),
            "{seed} {content}"
        );
        let by_form = &entry["tasks_by_form"];
        for (name, form) in [
            ("table", TaskForm::Table),
            ("labelled", TaskForm::Labelled),
            ("unit_headed", TaskForm::UnitHeaded),
        ] {
            let n = tasks.iter().filter(|t| t.form == form).count() as u64;
            assert_eq!(Some(n), by_form[name].as_u64(), "{seed} {name}");
        }
        for t in &tasks {
            assert!(!t.lead.is_empty(), "{seed}: no lead for {:?}", t.text);
        }
        // Deterministic: the same body gives the same tasks.
        assert_eq!(tasks, extract(body_of(&file)));
    }
}

#[test]
fn inline_deadline_label_after_a_unit_task() {
    let body = "\
**1. Giám đốc Sở Nội vụ**

- Rà soát hạ tầng số; thời gian: Thường xuyên trong năm.
- Tổng hợp báo cáo, thời hạn: Quý II/2024.
- Theo dõi thời gian: không phải nhãn vì đứng giữa câu.
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 3);
    assert_eq!(tasks[0].due, s("Thường xuyên trong năm"));
    assert_eq!(tasks[1].due, s("Quý II/2024"));
    assert_eq!(tasks[2].due, None);
    assert_eq!(
        tasks[0].text,
        "Rà soát hạ tầng số; thời gian: Thường xuyên trong năm."
    );
}

#[test]
fn deadline_label_is_not_an_inline_unit() {
    let body = "\
**12. Giám đốc Sở Y tế**

- Chủ tịch Ủy ban nhân dân tỉnh về các quy định của Trung ương; thời gian: Mỗi tháng 02 kỳ.
- Sở Tư pháp: Chủ trì thẩm định văn bản.
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[0].lead, v("Giám đốc Sở Y tế"));
    assert_eq!(tasks[0].due, s("Mỗi tháng 02 kỳ"));
    assert_eq!(tasks[1].lead, v("Sở Tư pháp"));
}
