//! Tests for task extraction: every form field by field (tables, labelled lists, unit-headed
//! sections), and the helpers the other test files share (`tests_context.rs`: what headings
//! and sections decide; `tests_corpus.rs`: hostile bodies and the converted seed documents).

use super::*;

/// A stand-in for the units registry: folded text starting with a unit word.
pub(super) fn names_unit(text: &str) -> bool {
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

pub(super) fn extract(body: &str) -> Vec<RawTask> {
    extract_tasks(body, &names_unit)
}

/// `Some(v)` as the field compared wants it (a label or deadline `String`, a content `Box<str>`).
pub(super) fn s<T: for<'a> From<&'a str>>(v: &str) -> Option<T> {
    Some(T::from(v))
}

/// One unit cell as written.
pub(super) fn v(cell: &str) -> Vec<String> {
    vec![cell.to_string()]
}

pub(super) fn texts(tasks: &[RawTask]) -> Vec<&str> {
    tasks.iter().map(|t| &*t.text).collect()
}

// ---------------------------------------------------------------- task tables

pub(super) const FULL_TABLE: &str = "\
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
    assert_eq!(&*t.text, "Tăng cường tuyên truyền cải cách hành chính");
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
    assert_eq!(&*t.text, "Rà soát TTHC");
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
    assert_eq!(&*t.text, "Phối hợp tham mưu ban hành văn bản");
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
    assert_eq!(&*tasks[0].text, "Hướng dẫn tự đánh giá");
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
        &*t.text,
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
        &*tasks[0].text,
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
        &*t.text,
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
    assert_eq!(&*tasks[0].text, "Rà soát hạ tầng số;");
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
        &*tasks[0].text,
        "Tăng cường lãnh đạo;\n- Nâng cao hiệu quả Ban chỉ đạo."
    );
    assert_eq!(tasks[1].label, s("đ)"));
    assert_eq!(
        &*tasks[1].text,
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
    assert_eq!(&*tasks[0].text, "Chủ trì tham mưu xây dựng chính quyền số.");
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
