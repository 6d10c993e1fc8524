//! Table tests for the deadline reader: every deadline wording in DOMAIN.md and the seeds, OCR
//! variants, and hostile input. Each case is (text, plan year, kind, start, end) with ISO dates.

use super::*;
use DeadlineKind as K;

type Case = (
    &'static str,
    Option<i16>,
    DeadlineKind,
    Option<&'static str>,
    Option<&'static str>,
);

const N: Option<&str> = None;

#[rustfmt::skip]
const CASES: &[Case] = &[
    // --- exact dates (24) ---
    ("Trước ngày 10/12/2022", None, K::Date, Some("2022-12-10"), Some("2022-12-10")),
    ("trước ngày 30/11/2024", None, K::Date, Some("2024-11-30"), Some("2024-11-30")),
    ("ngày 15 tháng 3 năm 2024", None, K::Date, Some("2024-03-15"), Some("2024-03-15")),
    ("15/3", Some(2024), K::Date, Some("2024-03-15"), Some("2024-03-15")),
    ("15/3", None, K::Date, N, N),
    ("Chậm nhất ngày 20/12/2023", None, K::Date, Some("2023-12-20"), Some("2023-12-20")),
    ("TRƯỚC NGÀY 01/02/2023", None, K::Date, Some("2023-02-01"), Some("2023-02-01")),
    ("truoc ngay 1/2/2023", None, K::Date, Some("2023-02-01"), Some("2023-02-01")),
    ("Hạn chót: 05/01/2024", None, K::Date, Some("2024-01-05"), Some("2024-01-05")),
    ("ngày 15.3.2024", None, K::Date, Some("2024-03-15"), Some("2024-03-15")),
    ("Ngày 01-3-2024", None, K::Date, Some("2024-03-01"), Some("2024-03-01")),
    ("2024-03-15", None, K::Date, Some("2024-03-15"), Some("2024-03-15")),
    ("Trước 31/12/2024", None, K::Date, Some("2024-12-31"), Some("2024-12-31")),
    ("ngày 29/02/2024", None, K::Date, Some("2024-02-29"), Some("2024-02-29")),
    ("ngày 5 tháng 6", Some(2023), K::Date, Some("2023-06-05"), Some("2023-06-05")),
    ("Hoàn thành trước ngày 15/7", Some(2024), K::Date, Some("2024-07-15"), Some("2024-07-15")),
    ("ngay 20/12/2023", None, K::Date, Some("2023-12-20"), Some("2023-12-20")),
    ("Trước ngày 10/12/2022.", None, K::Date, Some("2022-12-10"), Some("2022-12-10")),
    ("  Trước ngày 10/12/2022  ", None, K::Date, Some("2022-12-10"), Some("2022-12-10")),
    ("trước ngày 01/02/2023", Some(2022), K::Date, Some("2023-02-01"), Some("2023-02-01")),
    ("Trước ngày 15 tháng 12", Some(2024), K::Date, Some("2024-12-15"), Some("2024-12-15")),
    ("ngày 31/02/2024", None, K::Unscheduled, N, N),
    ("31/02/2024", None, K::Unscheduled, N, N),
    ("ngày 29/02/2023", None, K::Unscheduled, N, N),

    // --- months (20) ---
    ("Tháng 12/2024", None, K::Month, Some("2024-12-01"), Some("2024-12-31")),
    ("Trong tháng 01/2019", None, K::Month, Some("2019-01-01"), Some("2019-01-31")),
    ("Hoàn thành trong tháng 01/2024", None, K::Month, Some("2024-01-01"), Some("2024-01-31")),
    ("Thang 01/2024", None, K::Month, Some("2024-01-01"), Some("2024-01-31")),
    ("tháng 6", Some(2024), K::Month, Some("2024-06-01"), Some("2024-06-30")),
    ("tháng 6", None, K::Month, N, N),
    ("Tháng 02/2024", None, K::Month, Some("2024-02-01"), Some("2024-02-29")),
    ("Tháng 02/2023", None, K::Month, Some("2023-02-01"), Some("2023-02-28")),
    ("tháng 2 năm 2024", None, K::Month, Some("2024-02-01"), Some("2024-02-29")),
    ("THÁNG 10/2022", None, K::Month, Some("2022-10-01"), Some("2022-10-31")),
    ("12/2024", None, K::Month, Some("2024-12-01"), Some("2024-12-31")),
    ("T12/2024", None, K::Month, Some("2024-12-01"), Some("2024-12-31")),
    ("trong thang 6/2023", None, K::Month, Some("2023-06-01"), Some("2023-06-30")),
    ("Đến hết tháng 5/2023", None, K::Month, Some("2023-05-01"), Some("2023-05-31")),
    ("Pén thang hét thang 5/2023", None, K::Month, Some("2023-05-01"), Some("2023-05-31")),
    ("tháng 12.2024", None, K::Month, Some("2024-12-01"), Some("2024-12-31")),
    ("Tháng 9", Some(2019), K::Month, Some("2019-09-01"), Some("2019-09-30")),
    ("Tháng 12/2019", Some(2019), K::Month, Some("2019-12-01"), Some("2019-12-31")),
    ("Tháng 13/2024", None, K::Unscheduled, N, N),
    ("Tháng 12/24", None, K::Unscheduled, N, N),

    // --- quarters (22) ---
    ("Quý I/2019", None, K::Quarter, Some("2019-01-01"), Some("2019-03-31")),
    ("Quý II/2019", None, K::Quarter, Some("2019-04-01"), Some("2019-06-30")),
    ("Trong quý 1/2023", None, K::Quarter, Some("2023-01-01"), Some("2023-03-31")),
    ("Quy 11/2024", None, K::Quarter, Some("2024-04-01"), Some("2024-06-30")),
    ("Quy 1V/2024", None, K::Quarter, Some("2024-10-01"), Some("2024-12-31")),
    ("Quy 111/2024", None, K::Quarter, Some("2024-07-01"), Some("2024-09-30")),
    ("Quý IV", Some(2025), K::Quarter, Some("2025-10-01"), Some("2025-12-31")),
    ("Quý IV", None, K::Quarter, N, N),
    ("Quy 1/2024", None, K::Quarter, Some("2024-01-01"), Some("2024-03-31")),
    ("Quý III năm 2024", None, K::Quarter, Some("2024-07-01"), Some("2024-09-30")),
    ("quý 4/2024", None, K::Quarter, Some("2024-10-01"), Some("2024-12-31")),
    ("QUÝ II/2020", None, K::Quarter, Some("2020-04-01"), Some("2020-06-30")),
    ("Quy lV/2024", None, K::Quarter, Some("2024-10-01"), Some("2024-12-31")),
    ("Quy I/2024,", None, K::Quarter, Some("2024-01-01"), Some("2024-03-31")),
    ("Q2/2024", None, K::Quarter, Some("2024-04-01"), Some("2024-06-30")),
    ("Quý 3", Some(2022), K::Quarter, Some("2022-07-01"), Some("2022-09-30")),
    ("Quí I/2019", None, K::Quarter, Some("2019-01-01"), Some("2019-03-31")),
    ("Quy I ndm 2024", None, K::Quarter, Some("2024-01-01"), Some("2024-03-31")),
    ("Trong Quý I", Some(2019), K::Quarter, Some("2019-01-01"), Some("2019-03-31")),
    ("Quy I11/2023", None, K::Quarter, Some("2023-07-01"), Some("2023-09-30")),
    ("Quý 5/2024", None, K::Unscheduled, N, N),
    ("Quý V/2024", None, K::Unscheduled, N, N),

    // --- half-years (10) ---
    ("6 tháng đầu năm 2023", None, K::HalfYear, Some("2023-01-01"), Some("2023-06-30")),
    ("6 tháng cuối năm", Some(2023), K::HalfYear, Some("2023-07-01"), Some("2023-12-31")),
    ("6 tháng cuối năm", None, K::HalfYear, N, N),
    ("6 thang dau nam 2023", None, K::HalfYear, Some("2023-01-01"), Some("2023-06-30")),
    ("6 thang dAu nim 2023", None, K::HalfYear, Some("2023-01-01"), Some("2023-06-30")),
    ("trong 6 thang cudi nam 2023", None, K::HalfYear, Some("2023-07-01"), Some("2023-12-31")),
    ("Nửa đầu năm 2024", None, K::HalfYear, Some("2024-01-01"), Some("2024-06-30")),
    ("6 tháng cuối năm 2024", Some(2019), K::HalfYear, Some("2024-07-01"), Some("2024-12-31")),
    ("6 THÁNG ĐẦU NĂM", Some(2025), K::HalfYear, Some("2025-01-01"), Some("2025-06-30")),
    ("Nhiệm vụ trọng tâm 6 tháng cuối năm 2023", None, K::HalfYear, Some("2023-07-01"), Some("2023-12-31")),

    // --- years (14) ---
    ("Trong năm 2019", None, K::Year, Some("2019-01-01"), Some("2019-12-31")),
    ("Năm 2024", None, K::Year, Some("2024-01-01"), Some("2024-12-31")),
    ("Cả năm", Some(2024), K::Year, Some("2024-01-01"), Some("2024-12-31")),
    ("Cả năm", None, K::Year, N, N),
    ("Trong năm", Some(2021), K::Year, Some("2021-01-01"), Some("2021-12-31")),
    ("trong nam 2024", None, K::Year, Some("2024-01-01"), Some("2024-12-31")),
    ("Trong ndm 2024", None, K::Year, Some("2024-01-01"), Some("2024-12-31")),
    ("Đến cuối năm 2023", None, K::Year, Some("2023-01-01"), Some("2023-12-31")),
    ("thoi gian dén cudi nim 2023", None, K::Year, Some("2023-01-01"), Some("2023-12-31")),
    ("2024", None, K::Year, Some("2024-01-01"), Some("2024-12-31")),
    ("Suốt năm", Some(2024), K::Year, Some("2024-01-01"), Some("2024-12-31")),
    ("Cả năm 2022", Some(2024), K::Year, Some("2022-01-01"), Some("2022-12-31")),
    ("Năm 1899", None, K::Unscheduled, N, N),
    ("Năm 2201", None, K::Unscheduled, N, N),

    // --- ongoing (14) ---
    ("Thường xuyên", Some(2024), K::Ongoing, Some("2024-01-01"), Some("2024-12-31")),
    ("Thường xuyên", None, K::Ongoing, N, N),
    ("Thường xuyên trong năm", Some(2019), K::Ongoing, Some("2019-01-01"), Some("2019-12-31")),
    ("Thường xuyên, liên tục", Some(2024), K::Ongoing, Some("2024-01-01"), Some("2024-12-31")),
    ("Thường xuyên trong năm 2024", None, K::Ongoing, Some("2024-01-01"), Some("2024-12-31")),
    ("Liên tục", Some(2023), K::Ongoing, Some("2023-01-01"), Some("2023-12-31")),
    ("THƯỜNG XUYÊN", Some(2020), K::Ongoing, Some("2020-01-01"), Some("2020-12-31")),
    ("Thường xuyên trong năm; định kỳ báo cáo kết quả thực hiện.", Some(2024), K::Ongoing, Some("2024-01-01"), Some("2024-12-31")),
    ("Thường xuyên trong năm khi có quy định mới của pháp luật", Some(2019), K::Ongoing, Some("2019-01-01"), Some("2019-12-31")),
    ("Thường xuyên trong năm và theo kế hoạch", Some(2024), K::Ongoing, Some("2024-01-01"), Some("2024-12-31")),
    ("Thuc hien thuong xuyen", Some(2022), K::Ongoing, Some("2022-01-01"), Some("2022-12-31")),
    ("Thường xuyên trong năm", None, K::Ongoing, N, N),
    ("thường  xuyên", Some(2024), K::Ongoing, Some("2024-01-01"), Some("2024-12-31")),
    ("Xuyên suốt năm 2023", None, K::Ongoing, Some("2023-01-01"), Some("2023-12-31")),

    // --- ranges (19) ---
    ("Từ tháng 12/2022 đến cuối tháng 01/2023", None, K::Range, Some("2022-12-01"), Some("2023-01-31")),
    ("Từ tháng 11/2022 đến hết tháng 01/2023", None, K::Range, Some("2022-11-01"), Some("2023-01-31")),
    ("Quý IV/2025 - Quý II/2026", None, K::Range, Some("2025-10-01"), Some("2026-06-30")),
    ("Từ ngày 01/3 đến ngày 15/3/2024", None, K::Range, Some("2024-03-01"), Some("2024-03-15")),
    ("Quý IV/2025 – Quý II/2026", None, K::Range, Some("2025-10-01"), Some("2026-06-30")),
    ("Từ tháng 3 đến tháng 5", Some(2024), K::Range, Some("2024-03-01"), Some("2024-05-31")),
    ("tháng 3 - 5/2024", None, K::Range, Some("2024-03-01"), Some("2024-05-31")),
    ("Từ quý I đến quý III/2024", None, K::Range, Some("2024-01-01"), Some("2024-09-30")),
    ("Quý I - II/2024", None, K::Range, Some("2024-01-01"), Some("2024-06-30")),
    ("Năm 2019 - 2020", None, K::Range, Some("2019-01-01"), Some("2020-12-31")),
    ("01/3/2024 - 15/4/2024", None, K::Range, Some("2024-03-01"), Some("2024-04-15")),
    ("Từ tháng 12 đến tháng 01/2023", None, K::Range, Some("2022-12-01"), Some("2023-01-31")),
    ("Từ tháng 12 đến tháng 2", Some(2024), K::Range, Some("2024-12-01"), Some("2025-02-28")),
    ("Từ tháng 6/2024 đến tháng 8/2024", None, K::Range, Some("2024-06-01"), Some("2024-08-31")),
    ("từ 01/6 đến 30/6/2024", None, K::Range, Some("2024-06-01"), Some("2024-06-30")),
    ("Quý II/2026 - Quý IV/2025", None, K::Unscheduled, N, N),
    ("Từ ngày 15/3 đến ngày 01/3/2024", None, K::Unscheduled, N, N),
    ("Năm 2023-2024", None, K::Range, Some("2023-01-01"), Some("2024-12-31")),
    ("Tháng 6 - tháng 9/2024", None, K::Range, Some("2024-06-01"), Some("2024-09-30")),

    // --- recurring (19) ---
    ("Định kỳ hàng quý và đột xuất khi có yêu cầu", Some(2019), K::Recurring, Some("2019-03-31"), Some("2019-12-31")),
    ("Mỗi tháng 02 kỳ", Some(2019), K::Recurring, Some("2019-01-15"), Some("2019-12-31")),
    ("Hằng tuần trong tháng", Some(2019), K::Recurring, Some("2019-01-04"), Some("2019-12-31")),
    ("Định kỳ hàng tháng trong năm", Some(2024), K::Recurring, Some("2024-01-31"), Some("2024-12-31")),
    ("hằng năm", Some(2024), K::Recurring, Some("2024-12-31"), Some("2024-12-31")),
    ("định kỳ 6 tháng", Some(2024), K::Recurring, Some("2024-06-30"), Some("2024-12-31")),
    ("Mỗi tháng một kỳ", Some(2019), K::Recurring, Some("2019-01-31"), Some("2019-12-31")),
    ("Định kỳ hàng quý", None, K::Recurring, N, N),
    ("Hàng ngày", Some(2024), K::Recurring, Some("2024-01-01"), Some("2024-12-31")),
    ("Định kỳ hàng tháng trong năm 2024", None, K::Recurring, Some("2024-01-31"), Some("2024-12-31")),
    ("02 lần/tháng", Some(2024), K::Recurring, Some("2024-01-15"), Some("2024-12-31")),
    ("Mỗi năm 2 lần", Some(2024), K::Recurring, Some("2024-06-30"), Some("2024-12-31")),
    ("Định kỳ hàng quý, 6 tháng, năm", Some(2024), K::Recurring, Some("2024-03-31"), Some("2024-12-31")),
    ("Hằng quý", Some(2023), K::Recurring, Some("2023-03-31"), Some("2023-12-31")),
    ("dinh ky hang quy", Some(2023), K::Recurring, Some("2023-03-31"), Some("2023-12-31")),
    ("Hằng tuần", Some(2024), K::Recurring, Some("2024-01-05"), Some("2024-12-31")),
    ("Trước 15/12 hằng năm", Some(2024), K::Recurring, Some("2024-12-15"), Some("2024-12-31")),
    ("Ngày 15 hàng tháng", Some(2024), K::Recurring, Some("2024-01-15"), Some("2024-12-31")),
    ("Tháng 12 hằng năm", Some(2024), K::Recurring, Some("2024-12-31"), Some("2024-12-31")),

    // --- conditional (13) ---
    ("Khi có văn bản pháp luật mới", Some(2019), K::Conditional, N, N),
    ("Khi có hướng dẫn của Trung ương", Some(2019), K::Conditional, N, N),
    ("Sau khi UBND tỉnh ban hành Kế hoạch …", Some(2024), K::Conditional, N, N),
    ("khi có yêu cầu", None, K::Conditional, N, N),
    ("Khi có văn bản mới", Some(2019), K::Conditional, N, N),
    ("Theo kế hoạch và đột xuất khi có yêu cầu", Some(2019), K::Conditional, N, N),
    ("Đột xuất", None, K::Conditional, N, N),
    ("Nếu có phát sinh", None, K::Conditional, N, N),
    ("Theo yêu cầu", None, K::Conditional, N, N),
    ("KHI CÓ YÊU CẦU", None, K::Conditional, N, N),
    ("Sau khi có kết quả Chỉ số CCHC năm 2023", Some(2024), K::Conditional, N, N),
    ("Ngay sau khi Nghị quyết có hiệu lực", Some(2024), K::Conditional, N, N),
    ("Chậm nhất 15 ngày sau khi kết thúc quý", Some(2024), K::Conditional, N, N),

    // --- unscheduled (13) ---
    ("Theo Kế hoạch", Some(2019), K::Unscheduled, N, N),
    ("", None, K::Unscheduled, N, N),
    ("Theo kế hoạch", None, K::Unscheduled, N, N),
    ("Theo Đề án", Some(2019), K::Unscheduled, N, N),
    ("Theo tiến độ kế hoạch của Văn phòng Chính phủ", Some(2019), K::Unscheduled, N, N),
    ("Theo Kế hoạch tổ chức tại các huyện có điều kiện", Some(2019), K::Unscheduled, N, N),
    ("Theo Ke hoach so 140/KH-UBND ngay 14/10/2021", Some(2024), K::Unscheduled, N, N),
    ("Định kỳ", Some(2024), K::Unscheduled, N, N),
    ("Kinh phí tự chủ", None, K::Unscheduled, N, N),
    ("Nghị định số 61/2018/NĐ-CP", None, K::Unscheduled, N, N),
    ("Theo quy định", Some(2024), K::Unscheduled, N, N),
    ("Xếp hạng năm", None, K::Unscheduled, N, N),
    ("Kế hoạch số 72/KH-UBND ngày 23/3/2023", Some(2024), K::Unscheduled, N, N),

    // --- milestones (12) ---
    ("Quý I ban hành kế hoạch; tổ chức thực hiện trong năm 2024", None, K::Milestones, Some("2024-01-01"), Some("2024-12-31")),
    ("Ban hành kế hoạch trong Quý I, tổ chức thực hiện trong năm 2024,", None, K::Milestones, Some("2024-01-01"), Some("2024-12-31")),
    ("Quý II và III/2023", None, K::Milestones, Some("2023-04-01"), Some("2023-09-30")),
    ("du kien hoan thanh trong quy II va I11/2023", None, K::Milestones, Some("2023-04-01"), Some("2023-09-30")),
    ("Tháng 3/2024; tháng 9/2024", None, K::Milestones, Some("2024-03-01"), Some("2024-09-30")),
    ("Quý I/2024: xây dựng; Quý III/2024: nghiệm thu", None, K::Milestones, Some("2024-01-01"), Some("2024-09-30")),
    ("Trước ngày 15/3/2024 (báo cáo sơ bộ), trước ngày 15/12/2024 (báo cáo chính thức)", None, K::Milestones, Some("2024-03-15"), Some("2024-12-15")),
    ("Thường xuyên trong năm; Quý IV tổng kết", Some(2024), K::Milestones, Some("2024-01-01"), Some("2024-12-31")),
    ("Quý I: ban hành kế hoạch; định kỳ hàng quý báo cáo", Some(2024), K::Milestones, Some("2024-01-01"), Some("2024-12-31")),
    ("Quý I, II/2019", Some(2024), K::Milestones, Some("2019-01-01"), Some("2019-06-30")),
    ("Tháng 3, 6, 9, 12", Some(2024), K::Milestones, Some("2024-03-01"), Some("2024-12-31")),
    ("Hoàn thành trước ngày 30/6/2024; báo cáo kết quả trước ngày 15/12/2024", None, K::Milestones, Some("2024-06-30"), Some("2024-12-15")),

    // --- verbatim from the seeds (44): 001/003 plan 2024/2019, 002 plan 2022, 000/004 plan 2023 ---
    ("Thuong xuyén trong nam.", Some(2024), K::Ongoing, Some("2024-01-01"), Some("2024-12-31")),
    ("Quy 11/2024.", Some(2024), K::Quarter, Some("2024-04-01"), Some("2024-06-30")),
    ("Quy 111/2024.", Some(2024), K::Quarter, Some("2024-07-01"), Some("2024-09-30")),
    ("Quy 1V/2024,", Some(2024), K::Quarter, Some("2024-10-01"), Some("2024-12-31")),
    ("Hoan thanh trong thang 01/2024.", Some(2024), K::Month, Some("2024-01-01"), Some("2024-01-31")),
    ("Quy 1/2024.", Some(2024), K::Quarter, Some("2024-01-01"), Some("2024-03-31")),
    ("Quy I tham muu ban hanh cac ké hoach; dinh ky béo c40 két qua thuc hién; hoan thanh viéc tham muu kiém tra true ngay 30/11/2024 va bao cio két qua thuc hién, tham muu chi dao xur 1y, khic phuc ton tai, han ché, sai Sot.", None, K::Milestones, Some("2024-01-01"), Some("2024-11-30")),
    ("Thuong xuyén trong niam, theo Ké hoach ra soét, don gian héa TTHC noi bo trong hé théng co quan hanh chinh nha nuéc giai doan 2022 - 2025 trén dia ban tinh ban hanh kém theo Quyét dinh s6 1648/Qb- UBND ngay 30/11/2022 ctua Chu tich UBND tinh.", Some(2024), K::Ongoing, Some("2024-01-01"), Some("2024-12-31")),
    ("Binh ky hang thang trong nam.", Some(2024), K::Recurring, Some("2024-01-31"), Some("2024-12-31")),
    ("Theo Ké hoach s6 140/KH-UBND ngay 14/10/2021 cuaa UBND tinh doi véi nhitng nhiém vu giao thyuc hién trong nam 2024,", Some(2024), K::Year, Some("2024-01-01"), Some("2024-12-31")),
    ("Thuong xuyén trong nam; dinh ky béo céo két qua thuc hién.", Some(2024), K::Ongoing, Some("2024-01-01"), Some("2024-12-31")),
    ("Theo quy dinh cua Chinh phu va huéng dan cua S& Thong tin va Truyéen théng.", Some(2024), K::Unscheduled, N, N),
    ("Quy I ndm 2024 ban hanh ké hoach kiém tra; t0 churc kiem tra theo ké hoach, kiém tra dot xuat trong nam 2024.", None, K::Milestones, Some("2024-01-01"), Some("2024-12-31")),
    ("Ban hanh ké hoach trong Quy I, t6 chuc thuc hién trong nam 2024,", None, K::Milestones, Some("2024-01-01"), Some("2024-12-31")),
    ("Ban hanh ké hoach trong Quy I, t6 chuc thuc hién trong ndm 2024,", None, K::Milestones, Some("2024-01-01"), Some("2024-12-31")),
    ("Ban hanh ké hoach trong Quy 1. Thuc hién kiém soét nhiém vu chi du toan trong nam 2024.", None, K::Milestones, Some("2024-01-01"), Some("2024-12-31")),
    ("Thuong xuyén trong nam 2024.", None, K::Ongoing, Some("2024-01-01"), Some("2024-12-31")),
    ("Thuc hién thuong xuyén trong nam 2024.", None, K::Ongoing, Some("2024-01-01"), Some("2024-12-31")),
    ("Thudng xuyén trong nim 2024 va theo ké hoach.", None, K::Ongoing, Some("2024-01-01"), Some("2024-12-31")),
    ("Sau khi UBND tinh ban hanh Ké hoach chuyén doi so tinh Quang Ngai nam 2025.", Some(2024), K::Conditional, N, N),
    ("Thang 01/2024.", Some(2024), K::Month, Some("2024-01-01"), Some("2024-01-31")),
    ("Thang 12/2024.", Some(2024), K::Month, Some("2024-12-01"), Some("2024-12-31")),
    ("Thang 10/2022.", Some(2022), K::Month, Some("2022-10-01"), Some("2022-10-31")),
    ("Trude ngay 10/12/2022.", Some(2022), K::Date, Some("2022-12-10"), Some("2022-12-10")),
    ("Thang 12/2022.", Some(2022), K::Month, Some("2022-12-01"), Some("2022-12-31")),
    ("Tir thang 12/2022 dén cubi thang 01/2023.", Some(2022), K::Range, Some("2022-12-01"), Some("2023-01-31")),
    ("Thang 01/2023.", Some(2022), K::Month, Some("2023-01-01"), Some("2023-01-31")),
    ("Trong quy 1/2023.", Some(2022), K::Quarter, Some("2023-01-01"), Some("2023-03-31")),
    ("Tir thang 11/2022 dén hét thang 01/2023.", Some(2022), K::Range, Some("2022-11-01"), Some("2023-01-31")),
    ("Trude ngay 01/02/2023.", Some(2022), K::Date, Some("2023-02-01"), Some("2023-02-01")),
    ("Thường xuyên trong năm", Some(2019), K::Ongoing, Some("2019-01-01"), Some("2019-12-31")),
    ("Mỗi tháng 02 kỳ", Some(2019), K::Recurring, Some("2019-01-15"), Some("2019-12-31")),
    ("Quý II/2019", Some(2019), K::Quarter, Some("2019-04-01"), Some("2019-06-30")),
    ("Theo Kế hoạch của Hội đồng rà soát văn bản", Some(2019), K::Unscheduled, N, N),
    ("Trong tháng 01/2019", Some(2019), K::Month, Some("2019-01-01"), Some("2019-01-31")),
    ("Thường xuyên trong năm khi có quy định mới của pháp luật", Some(2019), K::Ongoing, Some("2019-01-01"), Some("2019-12-31")),
    ("Theo kế hoạch và đột xuất khi có yêu cầu", Some(2019), K::Conditional, N, N),
    ("Định kỳ hàng quý và đột xuất khi có yêu cầu", Some(2019), K::Recurring, Some("2019-03-31"), Some("2019-12-31")),
    ("Mỗi tháng một kỳ", Some(2019), K::Recurring, Some("2019-01-31"), Some("2019-12-31")),
    ("6 thang dAu nim 2023", Some(2023), K::HalfYear, Some("2023-01-01"), Some("2023-06-30")),
    ("trong 6 thang cudi nam 2023,", Some(2023), K::HalfYear, Some("2023-07-01"), Some("2023-12-31")),
    ("dinh ky hang quy bao cdo Chu tich UBND", Some(2023), K::Recurring, Some("2023-03-31"), Some("2023-12-31")),
    ("dinh ky hang thang, quy, 6 thang, ndm", Some(2023), K::Recurring, Some("2023-01-31"), Some("2023-12-31")),
    ("hang quy, 6 thing, ndm", Some(2023), K::Recurring, Some("2023-03-31"), Some("2023-12-31")),

    // --- hostile and edge input (16) ---
    ("   ", None, K::Unscheduled, N, N),
    ("Quý 99999999999999/2024", None, K::Unscheduled, N, N),
    ("ngày 99/99/99999", None, K::Unscheduled, N, N),
    ("!!!...;;;,,,:::()", None, K::Unscheduled, N, N),
    ("////----––––", None, K::Unscheduled, N, N),
    ("Quý", Some(2024), K::Unscheduled, N, N),
    ("tháng", Some(2024), K::Unscheduled, N, N),
    ("ngày", Some(2024), K::Unscheduled, N, N),
    ("Quý I/0", None, K::Unscheduled, N, N),
    ("Năm 99999", None, K::Unscheduled, N, N),
    ("tháng 4294967295/2024", None, K::Unscheduled, N, N),
    ("ngày 0/0/2024", None, K::Unscheduled, N, N),
    ("Quý 0/2024", None, K::Unscheduled, N, N),
    ("Quý I/2024", Some(-5), K::Quarter, Some("2024-01-01"), Some("2024-03-31")),
    ("Quý I", Some(3000), K::Quarter, N, N),
    ("ngày 15/3/20244", None, K::Unscheduled, N, N),
];

/// Per-category counts, checked so the report's numbers stay true.
const COUNTS: &[(&str, usize)] = &[
    ("exact dates", 24),
    ("months", 20),
    ("quarters", 22),
    ("half-years", 10),
    ("years", 14),
    ("ongoing", 14),
    ("ranges", 19),
    ("recurring", 19),
    ("conditional", 13),
    ("unscheduled", 13),
    ("milestones", 12),
    ("seeds", 44),
    ("hostile", 16),
];

fn date(iso: Option<&str>) -> Option<Date> {
    iso.map(|s| {
        s.parse()
            .unwrap_or_else(|e| panic!("bad ISO date {s:?} in table: {e}"))
    })
}

#[test]
fn table() {
    let mut failures = Vec::new();
    for &(text, year, kind, start, end) in CASES {
        let d = parse_deadline(text, year);
        let want = (kind, date(start), date(end));
        let got = (d.kind, d.start, d.end);
        if got != want {
            failures.push(format!("{text:?} ({year:?}): want {want:?}, got {got:?}"));
        }
        assert_eq!(&*d.text, text.trim(), "text must be kept as written");
        assert_eq!(d.is_placeable(), d.end.is_some());
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn table_size_and_counts() {
    let total: usize = COUNTS.iter().map(|c| c.1).sum();
    assert_eq!(total, CASES.len());
    assert!(CASES.len() >= 170);
}

#[test]
fn windows_never_run_backwards() {
    for &(text, year, ..) in CASES {
        let d = parse_deadline(text, year);
        if let (Some(s), Some(e)) = (d.start, d.end) {
            assert!(s <= e, "{text:?}: start {s} after end {e}");
        }
        assert_eq!(
            d.start.is_some(),
            d.end.is_some(),
            "{text:?}: half-open window"
        );
        for part in &d.parts {
            if let (Some(s), Some(e)) = (part.start, part.end) {
                assert!(s <= e, "{text:?} part {:?}", part.text);
            }
        }
    }
}

#[test]
fn rrules() {
    let cases: &[(&str, Option<i16>, Option<&str>)] = &[
        (
            "Định kỳ hàng quý và đột xuất khi có yêu cầu",
            Some(2019),
            Some("FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1;UNTIL=20191231"),
        ),
        (
            "Mỗi tháng 02 kỳ",
            Some(2019),
            Some("FREQ=MONTHLY;BYMONTHDAY=15,-1;UNTIL=20191231"),
        ),
        (
            "Mỗi tháng một kỳ",
            Some(2019),
            Some("FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20191231"),
        ),
        (
            "Hằng tuần trong tháng",
            Some(2019),
            Some("FREQ=WEEKLY;BYDAY=FR;UNTIL=20191231"),
        ),
        (
            "Định kỳ hàng tháng trong năm",
            Some(2024),
            Some("FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20241231"),
        ),
        (
            "hằng năm",
            Some(2024),
            Some("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=-1;UNTIL=20241231"),
        ),
        (
            "định kỳ 6 tháng",
            Some(2024),
            Some("FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1;UNTIL=20241231"),
        ),
        ("Hàng ngày", Some(2024), Some("FREQ=DAILY;UNTIL=20241231")),
        (
            "định kỳ 5 tháng",
            Some(2024),
            Some("FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=-1;UNTIL=20241231"),
        ),
        ("Định kỳ hàng quý", None, None),
        (
            "Trước 15/12 hằng năm",
            Some(2024),
            Some("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=15;UNTIL=20241231"),
        ),
        (
            "Ngày 15 hàng tháng",
            Some(2024),
            Some("FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20241231"),
        ),
        (
            "Mỗi năm 2 lần",
            Some(2024),
            Some("FREQ=YEARLY;BYMONTH=6,12;BYMONTHDAY=-1;UNTIL=20241231"),
        ),
        ("Quý I/2024", None, None),
    ];
    for &(text, year, want) in cases {
        assert_eq!(
            parse_deadline(text, year).rrule.as_deref(),
            want,
            "{text:?}"
        );
    }
}

#[test]
fn milestone_parts_keep_their_own_text() {
    let d = parse_deadline(
        "Quý I ban hành kế hoạch; tổ chức thực hiện trong năm 2024",
        None,
    );
    let parts: Vec<(&str, DeadlineKind)> = d.parts.iter().map(|p| (&*p.text, p.kind)).collect();
    assert_eq!(
        parts,
        [
            ("Quý I ban hành kế hoạch", K::Quarter),
            ("tổ chức thực hiện trong năm 2024", K::Year)
        ]
    );
    let single = parse_deadline("Quý II/2019", None);
    assert!(single.parts.is_empty());
}

#[test]
fn serialises_kebab_case_and_iso_dates() {
    let d = parse_deadline("6 tháng đầu năm 2023", None);
    let json = serde_json::to_string(&d).unwrap_or_default();
    assert!(json.contains(r#""kind":"half-year""#), "{json}");
    assert!(json.contains(r#""start":"2023-01-01""#), "{json}");
    assert!(!json.contains("parts"), "{json}");
    let none = serde_json::to_string(&parse_deadline("Theo Kế hoạch", None)).unwrap_or_default();
    assert!(none.contains(r#""end":null"#), "{none}");
}

#[test]
fn huge_and_odd_inputs_return() {
    let digits = "9".repeat(10_000);
    let long_clauses = "Quý I; ".repeat(20_000);
    let long_words = "tháng đến quý - ".repeat(20_000);
    let nfd = "Quy\u{301} II/2019"; // decomposed accent
    for text in [
        digits.as_str(),
        long_clauses.as_str(),
        long_words.as_str(),
        nfd,
        "\u{0}\u{feff}",
    ] {
        let d = parse_deadline(text, Some(2024));
        assert!(d.start <= d.end || d.start.is_none());
    }
    assert_eq!(parse_deadline(nfd, None).kind, K::Quarter);
    assert_eq!(parse_deadline(&long_clauses, Some(2024)).kind, K::Quarter);
}

/// A tiny deterministic generator, so the test needs no extra crates.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        usize::try_from(self.0 >> 33).unwrap_or(0)
    }
}

#[test]
fn never_panics_on_generated_text() {
    const PIECES: &[&str] = &[
        "Quý",
        "quy",
        "I",
        "II",
        "1V",
        "111",
        "l",
        "tháng",
        "Thang",
        "ngày",
        "năm",
        "nim",
        "/",
        "-",
        "–",
        ".",
        ",",
        ";",
        ":",
        "(",
        ")",
        "đến",
        "hết",
        "cuối",
        "đầu",
        "từ",
        "6",
        "12",
        "31",
        "02",
        "2024",
        "1899",
        "99999999999",
        "0",
        "định kỳ",
        "hàng",
        "mỗi",
        "tuần",
        "kỳ",
        "lần",
        "thường xuyên",
        "liên tục",
        "khi",
        "sau khi",
        "đột xuất",
        "theo",
        "số",
        "KH",
        "UBND",
        "và",
        " ",
        "  ",
        "\n",
        "…",
        "é",
        "\u{301}",
        "𝕼",
        "Q4",
        "T13",
        "nửa",
        "cả",
    ];
    let mut rng = Lcg(42);
    for _ in 0..20_000 {
        let len = rng.next() % 14;
        let text: String = (0..len)
            .map(|_| PIECES[rng.next() % PIECES.len()])
            .collect();
        let plan = [None, Some(2024), Some(1900), Some(2200), Some(i16::MAX)][rng.next() % 5];
        let d = parse_deadline(&text, plan);
        assert_eq!(&*d.text, text.trim());
        if let (Some(s), Some(e)) = (d.start, d.end) {
            assert!(s <= e, "{text:?}");
        }
        assert_eq!(d.start.is_some(), d.end.is_some(), "{text:?}");
    }
}
