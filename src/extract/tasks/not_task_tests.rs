//! Regression tests for issue 15's false tasks, on excerpts of the real documents of
//! `../shared/realdocs/` as `cchc import` writes them, and the real tasks next to them that
//! must stay.

use super::super::{extract_tasks, RawTask, TaskForm};
use super::is_duration;
use crate::text::fold;

/// A stand-in for the units registry: folded text starting with a unit word.
fn names_unit(text: &str) -> bool {
    let f = fold(text);
    let f = f.strip_prefix("cac ").unwrap_or(&f);
    [
        "so ",
        "uy ban nhan dan",
        "ubnd",
        "cong an",
        "co quan",
        "don vi",
        "hoi dong",
        "cuc ",
        "vien kiem sat",
        "phong ",
        "lanh dao",
    ]
    .iter()
    .any(|p| f.starts_with(p))
}

fn extract(body: &str) -> Vec<RawTask> {
    extract_tasks(body, &names_unit)
}

/// ff4de672 (Quyết định công bố quy trình nội bộ): the steps of one procedure.
const PROCEDURE_TABLE: &str = "\
### 1. Chấp thuận chủ trương đầu tư thuộc thẩm quyền của UBND cấp tỉnh – Mã TTHC: 1.009645.H05

| **Thứ tự công việc** | **Nội dung công việc cụ thể** | **Đơn vị/ Người thực hiện** | **Thời gian thực hiện** | **Sản phẩm** |
|---|---|---|---|---|
| **Bước 2** | Phân công giải quyết: Sau khi tiếp nhận hồ sơ, Lãnh đạo phòng chuyên môn phân công chuyên viên xử lý hồ sơ. | Lãnh đạo Phòng chuyên môn | 0,25 ngày | Hồ sơ được phân công trên hệ thống |
| **Bước 3** | Chuyên viên xử lý hồ sơ có trách nhiệm tổ chức thẩm định hồ sơ; trình Lãnh đạo phòng chuyên môn xem xét. | Chuyên viên xử lý hồ sơ | 0,5 ngày | |
| **Bước 4** | Lãnh đạo phòng chuyên môn xem xét trình Lãnh đạo Sở. | Lãnh đạo Phòng chuyên môn | 0,25 ngày |  |
";

#[test]
fn procedure_step_table_is_not_a_task_table() {
    assert!(extract(PROCEDURE_TABLE).is_empty());
    // The same table under a neutral heading, without "Bước": the durations alone tell.
    let neutral = PROCEDURE_TABLE
        .replace("### 1. Chấp thuận", "### 1. Nội dung")
        .replace("**Bước 2**", "1")
        .replace("**Bước 3**", "2")
        .replace("**Bước 4**", "3")
        .replace("Thứ tự công việc", "TT");
    assert!(extract(&neutral).is_empty(), "{:?}", extract(&neutral));
}

#[test]
fn task_table_with_deadlines_stays() {
    let body = "\
## II. NHIỆM VỤ

| TT | Nội dung công việc | Đơn vị thực hiện | Thời gian thực hiện |
|---|---|---|---|
| 1 | Rà soát quy trình nội bộ | Sở Nội vụ | Quý II/2025 |
| 2 | Số hóa hồ sơ | Sở Tư pháp | Trước ngày 30/6/2025 |
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 2);
    assert_eq!(tasks[1].due.as_deref(), Some("Trước ngày 30/6/2025"));
}

/// d5f01e57 (Nghị quyết on exam fees): a fee table broken into pieces around a bold line.
const FEE_TABLE: &str = "\
| 221 | người/ngày |
|---|---|
|  | **2** |

**Hội đồng/ Ban ra đề thi**

| 2.1 | Chi cho công tác ra đề thi chính thức và dự bị |  |  |  |
|---|---|---|---|---|
|  |  |  |  |  |

Chi cho cán bộ ra đề thi

| 384 | 308 | người/ngày |  |  |  |
|---|---|---|---|---|---|
|  | 2.2 | Chi phụ cấp trách nhiệm Hội đồng/Ban ra đề thi |  |  |  |

442

| 398 | người/ngày |  |
|---|---|---|
";

#[test]
fn fee_table_under_a_bold_line_gives_no_task() {
    assert!(extract(FEE_TABLE).is_empty(), "{:?}", extract(FEE_TABLE));
}

/// 317a61c9 (Quyết định phân cấp): an article stating standing duties, no deadline.
const ARTICLE: &str = "\
### Điều 6. Trách nhiệm tổ chức thực hiện

Các cơ quan, đơn vị, cá nhân có thẩm quyền quyết định được phân cấp tại Quyết định này có trách nhiệm:

1. Quyết định các nội dung về tiêu chuẩn, định mức sử dụng tài sản công theo Quyết định này.

2. Công khai các Quyết định về tiêu chuẩn, định mức sử dụng tài sản công theo thẩm quyền.

### Điều 7. Trách nhiệm của Sở Tài chính

1. Sở Tài chính: Tổng hợp, báo cáo Ủy ban nhân dân thành phố kết quả thực hiện trước ngày 15/12/2025.

2. Sở Tài chính: Hướng dẫn các cơ quan, đơn vị thực hiện.
";

#[test]
fn regulation_article_keeps_only_work_with_a_deadline() {
    let tasks = extract(ARTICLE);
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    assert_eq!(
        tasks[0].lead.first().map(String::as_str),
        Some("Sở Tài chính")
    );
    assert_eq!(tasks[0].due.as_deref(), Some("trước ngày 15/12/2025"));
}

#[test]
fn article_title_with_a_processing_time_is_not_a_task() {
    // 5a80798b: "Điều 5. Thời hạn giải quyết hồ sơ" followed by its time limit.
    let body = "\
### Chương I. QUY ĐỊNH CHUNG

### Điều 9. Công bố Danh mục khu đất dự kiến thực hiện dự án

- Thời gian thực hiện: Không quá 15 ngày làm việc.
";
    assert!(extract(body).is_empty(), "{:?}", extract(body));
}

#[test]
fn customs_notice_and_issuer_block_give_no_unit() {
    // 96cc27eb: "Cục Hải quan thông báo … như sau" introduces the goods, it heads no work.
    let notice = "\
Cục Hải quan thông báo kết quả xác định trước mã số như sau:

Nhà sản xuất: Huawei Device Co., Ltd
";
    assert!(extract(notice).is_empty(), "{:?}", extract(notice));
    // 1ea5e769: the issuer's name in capitals, then the decision's preamble.
    let preamble = "\
**ỦY BAN NHÂN DÂN**

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16/6/2025;

Theo đề nghị của Giám đốc Sở Y tế tại văn bản số 4521/TTr-SYT ngày 26/11/2025.

**QUYẾT ĐỊNH:**
";
    assert!(extract(preamble).is_empty(), "{:?}", extract(preamble));
}

#[test]
fn plan_sections_about_procedures_keep_their_tasks() {
    // A CCHC plan's "Cải cách thủ tục hành chính" section assigns work; only a title that
    // starts with a procedure ("Thủ tục cấp …", "Quy trình …") describes one.
    let body = "\
## II. NHIỆM VỤ

### 2. Cải cách thủ tục hành chính

**Sở Nội vụ**

- Rà soát, đơn giản hóa thủ tục hành chính trong năm 2025.
- Cập nhật quy trình nội bộ lên Hệ thống thông tin giải quyết thủ tục hành chính.

### 3. Thủ tục cấp giấy phép hoạt động

**Sở Nội vụ**

- Tiếp nhận hồ sơ, kiểm tra tính hợp lệ.
";
    let tasks = extract(body);
    assert_eq!(tasks.len(), 2, "{tasks:?}");
    assert!(tasks.iter().all(|t| t.form == TaskForm::UnitHeaded));
    assert_eq!(tasks[0].lead.first().map(String::as_str), Some("Sở Nội vụ"));
}

#[test]
fn durations_and_deadlines_apart() {
    for d in [
        "0,5 ngày",
        "1/2 ngày",
        "02 ngày làm việc",
        "04 giờ làm việc",
        "Không quá 05 ngày",
        "Trong thời hạn 17 ngày kể từ ngày nhận được hồ sơ hợp lệ",
    ] {
        assert!(is_duration(&fold(d)), "{d}");
    }
    for d in [
        "Quý II/2025",
        "Trước ngày 30/6/2025",
        "trong tháng 12/2023",
        "Năm 2025",
        "Hằng năm",
        "Thường xuyên",
    ] {
        assert!(!is_duration(&fold(d)), "{d}");
    }
}

#[test]
fn procedure_and_fee_fields_name_no_unit() {
    // f75757b0 (a procedure's fields) and 1852f731 (a fee resolution's annex).
    let body = "\
đ) Đối tượng thực hiện thủ tục hành chính: Ủy ban nhân dân cấp xã, Sở Dân tộc và Tôn giáo.

e) Cơ quan giải quyết thủ tục hành chính: Ủy ban nhân dân cấp tỉnh.

### 1. Đơn vị tổ chức thu phí

Đơn vị trực tiếp quản lý di tích danh lam thắng cảnh, di tích lịch sử trên địa bàn thành phố Hà Nội

### 2. Quản lý sử dụng, phí thu được

Đơn vị thu phí được giữ lại: 60%; Nộp ngân sách nhà nước: 40%.
";
    assert!(extract(body).is_empty(), "{:?}", extract(body));
}
