//! Unit-headed sections and the context rules of notices.
//!
//! Takes heading, paragraph and item texts and answers: does this line name a unit (and
//! which), is this heading a results / closing / no-task section, what period does it state,
//! and which deadline phrase does a task sentence end with. All matching is on folded words
//! (`crate::text::fold`), so it works with and without diacritics; returned phrases are the
//! original text as written.

use super::{assign, clean, labelled, not_task, split_enum, word_ranges};
use crate::text::fold;

/// A unit line longer than this is a sentence about a unit, not a heading naming one.
const MAX_UNIT_WORDS: usize = 30;
/// The same limit in bytes, so one enormous "word" is not a unit name either.
const MAX_UNIT_BYTES: usize = 300;

/// What a heading allows below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    Normal,
    /// Results, shortcomings, objectives, recipients: never tasks.
    NoTasks,
    /// "Tổ chức thực hiện": tasks only with their own deadline.
    Closing,
}

/// The unit named by a whole heading, paragraph or item head ("3. Giám đốc Sở Tư pháp",
/// "Ủy ban nhân dân các huyện, thành phố:", "2. Sở Tài chính có trách nhiệm").
pub(super) fn unit_line(text: &str, names_unit: &dyn Fn(&str) -> bool) -> Option<String> {
    let joined = clean(text);
    if is_footnote(&joined) {
        return None;
    }
    let numbered = split_enum(&joined);
    let rest = numbered.map_or(joined.as_str(), |(_, _, rest)| rest);
    let rest = rest.trim_end_matches([':', '.', ';', ' ']);
    let rest = strip_responsibility(rest);
    if rest.is_empty() || rest.len() > MAX_UNIT_BYTES || rest.split(' ').count() > MAX_UNIT_WORDS {
        return None;
    }
    if labelled::parse_label_line(rest).is_some() {
        return None;
    }
    // An unnumbered line in capitals ("ỦY BAN NHÂN DÂN", "CƠ QUAN QUẢN LÝ NHIỆM VỤ") is the
    // issuer block of a document or of a form in its annex, not a unit given work.
    if numbered.is_none() && !rest.chars().any(char::is_lowercase) {
        return None;
    }
    // "Cục Hải quan thông báo kết quả … như sau": a sentence introducing what follows.
    let folded = fold(rest);
    // "Hội đồng …… xin gửi kèm theo": a line of a form to fill in.
    if folded.ends_with("nhu sau") || is_procedure_role(&folded) || not_task::is_form_field(rest) {
        return None;
    }
    // "UBND tỉnh ủy quyền cho Giám đốc Sở Nội vụ:": what follows are delegated powers.
    if folded.contains(" uy quyen cho ") || folded.contains(" phan cap cho ") {
        return None;
    }
    // "Sở Nông nghiệp và Môi trường là cơ quan đầu mối, có trách nhiệm": the unit is the
    // subject before "là".
    let rest = match rest.split_once(" là ") {
        Some((subject, _)) if names_unit(subject) => subject,
        _ => rest,
    };
    // "Sở Tư pháp: Chủ trì …" is a task after its unit; only a list head ("Các Sở: Tư pháp,
    // Tài chính") may stand before a colon inside a unit line.
    if let Some((before, _)) = rest.split_once(':') {
        if before.split(' ').count() > 2 {
            return None;
        }
    }
    if !names_unit(rest) {
        return None;
    }
    // "Bộ Tài chính chỉ đạo Bảo hiểm xã hội Việt Nam:" heads the list of what Bộ Tài chính is
    // to do; "Sở Nội vụ chủ trì tổ chức hội nghị tổng kết cải cách hành chính năm 2025" is
    // itself an assignment, read as one by the walker.
    match assign::assignment(rest, names_unit) {
        Some(a) if a.opening == assign::Opening::Bare => {
            let short = a.work.split_whitespace().count() <= MAX_VERB_TAIL_WORDS;
            (short || joined.trim_end().ends_with(':')).then_some(a.unit)
        }
        _ => Some(rest.to_string()),
    }
}

/// Words after the verb of a unit line ("Sở Nội vụ có trách nhiệm", "Bộ Tài chính chủ trì,
/// phối hợp với các bộ") that still leave it a line naming its unit rather than a task.
const MAX_VERB_TAIL_WORDS: usize = 10;

/// True when a heading's title (numbering stripped) names the part of a document that says
/// who does what: "Tổ chức thực hiện", "Trách nhiệm thực hiện", "Phân công nhiệm vụ",
/// "Thời gian và trách nhiệm thực hiện", or an article ("Điều 3. …"). Sentences there that
/// give a unit work ("Giao Sở Tài chính chủ trì …", "Sở Nội vụ có trách nhiệm …") are tasks.
pub(super) fn assigns_work(title: &str) -> bool {
    let f = fold(title);
    // An article assigns work when untitled ("**Điều 2.** Giao …") or titled so ("Điều 3.
    // Tổ chức thực hiện"); "Điều 2. Cấp dự báo cháy rừng" states rules.
    match article_title(&f) {
        Some(own) => own.is_empty() || names_assignment(own),
        None => names_assignment(&f),
    }
}

/// A folded title that names who does what.
fn names_assignment(f: &str) -> bool {
    const STARTS: [&str; 7] = [
        "to chuc thuc hien",
        "trach nhiem",
        "phan cong",
        "giao nhiem vu",
        "thoi gian va trach nhiem",
        "nhiem vu cu the",
        "nhiem vu cua cac",
    ];
    STARTS.iter().any(|w| f.starts_with(w))
}

/// True when a heading opens a regulation issued with a decision ("QUY CHẾ", "QUY ĐỊNH",
/// "Chương I"): its articles state standing rules and duties, not work assigned once.
pub(super) fn opens_regulation(title: &str) -> bool {
    let f = fold(title);
    let f = f.trim_end_matches([':', '.', ' ']);
    let chapter = f
        .strip_prefix("chuong ")
        .is_some_and(|n| n.split_whitespace().count() == 1);
    f == "quy che" || f == "quy dinh" || chapter
}

/// "Cơ quan giải quyết thủ tục hành chính", "Đơn vị tổ chức thu phí", "Cơ quan (bộ phận) giải
/// quyết hồ sơ": a role in a procedure or a fee schedule, the name of a field whose value
/// follows, not a unit given work.
fn is_procedure_role(folded: &str) -> bool {
    const ROLES: [&str; 5] = [
        "thu tuc hanh chinh",
        "thu phi",
        "giai quyet ho so",
        "nop phi",
        "le phi",
    ];
    ROLES.iter().any(|r| folded.contains(r))
}

/// "(10) Viện kiểm sát cùng cấp, …": a numbered note explaining how to fill in a form.
fn is_footnote(joined: &str) -> bool {
    joined
        .strip_prefix('(')
        .and_then(|r| r.split_once(')'))
        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Drops a trailing "có trách nhiệm" / "chịu trách nhiệm" ("Sở Nội vụ có trách nhiệm").
fn strip_responsibility(s: &str) -> &str {
    let words = word_ranges(s);
    let n = words.len();
    if n < 4 {
        return s;
    }
    let folded: Vec<String> = words
        .get(n - 3..)
        .unwrap_or_default()
        .iter()
        .filter_map(|(a, b)| s.get(*a..*b))
        .map(fold)
        .collect();
    let tail: Vec<&str> = folded.iter().map(String::as_str).collect();
    if matches!(tail.as_slice(), ["co" | "chiu", "trach", "nhiem"]) {
        let cut = words.get(n - 3).map_or(0, |w| w.0);
        return s.get(..cut).map_or(s, str::trim_end);
    }
    s
}

/// "Sở Thông tin và Truyền thông: Chủ trì tham mưu …": the unit before the colon and the
/// task after it.
pub(super) fn inline_unit(
    text: &str,
    names_unit: &dyn Fn(&str) -> bool,
) -> Option<(String, String)> {
    let joined = clean(text);
    let (before, after) = joined.split_once(':')?;
    // "1. Sở Khoa học và Công nghệ: - Đồng bộ …": the first duty's bullet came up a line.
    let after = after.trim().trim_start_matches(['-', '–', '+', ' ']);
    if after.is_empty() || before.split(' ').count() > 16 {
        return None;
    }
    // "… Trung ương; thời gian: Quý II" is a sentence with a deadline label, not "Unit: task".
    let label = fold(before);
    // The numbering's own dot ("3. Sở Tư pháp: …") is no sentence break.
    let unnumbered = split_enum(before).map_or(before, |(_, _, rest)| rest);
    if unnumbered.contains([';', '.'])
        || label.ends_with("thoi gian")
        || label.ends_with("thoi han")
    {
        return None;
    }
    let unit = unit_line(before, names_unit)?;
    Some((unit, after.to_string()))
}

/// Classifies a heading's title (numbering already stripped).
pub(super) fn section_of(title: &str) -> Section {
    let f = fold(title);
    let mut f = f.as_str();
    for filler in ["ve ", "cac ", "nhung ", "mot so "] {
        f = f.strip_prefix(filler).unwrap_or(f);
    }
    if let Some(rest) = article_title(f) {
        // "Điều 1. Phạm vi điều chỉnh", "Điều 4. Hiệu lực thi hành": never tasks.
        return match section_of(rest) {
            Section::Normal => Section::Closing,
            other => other,
        };
    }
    if f.starts_with("to chuc thuc hien") {
        return Section::Closing;
    }
    if is_procedure_title(f) {
        return Section::NoTasks;
    }
    let no_tasks = [
        "ket qua",
        "ton tai",
        "han che",
        "nguyen nhan",
        "kho khan",
        "tinh hinh",
        "danh gia chung",
        "danh gia ket qua",
        "danh gia tinh hinh",
        "muc dich",
        "muc tieu",
        "yeu cau",
        "noi nhan",
        "can cu",
        "pham vi",
        "doi tuong ap dung",
        "giai thich tu ngu",
        "hieu luc",
        // Delegation of authority ("Phân cấp thẩm quyền quyết định …", "Ủy quyền …") lists
        // who may decide what: competences, not work.
        "phan cap",
        "uy quyen",
        "tham quyen",
    ];
    if f == "danh gia" || no_tasks.iter().any(|w| f.starts_with(w)) {
        return Section::NoTasks;
    }
    Section::Normal
}

/// "Điều 5. Thời hạn giải quyết hồ sơ": an article of a regulation (Quy chế, Quy định) or
/// of a decision. It states rules and standing duties; like the closing section of a plan,
/// it holds a task only where it assigns work with its own deadline.
/// Returns the article's own title ("thoi han giai quyet ho so"), possibly empty.
pub(super) fn article_title(f: &str) -> Option<&str> {
    let f = f.trim_start_matches(|c: char| !c.is_alphanumeric());
    let rest = f.strip_prefix("dieu ")?;
    if !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let title = rest.trim_start_matches(|c: char| c.is_alphanumeric());
    Some(title.trim_start_matches(['.', ':', ' ']))
}

/// The title of an administrative procedure, its steps or its forms ("Thủ tục cấp giấy
/// chứng nhận …", "Quy trình giải quyết", "Trình tự thực hiện", "DANH MỤC BIỂU MẪU"): what
/// follows describes how an application is handled, not work assigned to a unit. Only the
/// start of the title counts, so "Cải cách thủ tục hành chính" stays a task section.
fn is_procedure_title(f: &str) -> bool {
    const STARTS: [&str; 10] = [
        "thu tuc ",
        "danh muc thu tuc",
        "ten thu tuc",
        "noi dung chi tiet",
        "quy trinh",
        "trinh tu",
        "thoi gian giai quyet",
        "tong thoi gian giai quyet",
        "bieu mau",
        "danh muc bieu mau",
    ];
    let list_of_procedures =
        f.starts_with("danh muc") && (f.contains("thu tuc") || f.contains("quy trinh"));
    STARTS.iter().any(|w| f.starts_with(w)) || f.starts_with("mau so") || list_of_procedures
}

/// The period a task heading states ("Nhiệm vụ trọng tâm 6 tháng cuối năm 2023" →
/// "6 tháng cuối năm 2023"), as written.
pub(super) fn heading_period(title: &str) -> Option<String> {
    let f = fold(title);
    let about_tasks = [
        "nhiem vu",
        "giai phap",
        "trong tam",
        "phuong huong",
        "ke hoach",
    ];
    if !about_tasks.iter().any(|w| f.contains(w)) {
        return None;
    }
    let words = Words::new(title);
    let patterns: [fn(&Words, usize) -> Option<usize>; 4] =
        [half_year, quarter_of, month_of, year_of];
    patterns
        .iter()
        .find_map(|p| (0..words.len()).find_map(|i| p(&words, i).map(|end| (i, end))))
        .and_then(|(i, end)| words.phrase(i, end))
}

/// The last deadline phrase of a task sentence ("… hoàn thành trước ngày 30/11/2023",
/// "trong tháng 12/2023", "trong năm 2023 và năm 2024"), as written.
pub(super) fn due_phrase(text: &str) -> Option<String> {
    // Every pattern needs a number; skipping the rest keeps long prose cheap.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let words = Words::new(text);
    let mut last = None;
    for i in 0..words.len() {
        if !matches!(words.get(i), "trong" | "truoc" | "tu" | "cham") {
            continue;
        }
        let found = before_date(&words, i)
            .or_else(|| within(&words, i))
            .or_else(|| range(&words, i));
        if let Some(end) = found {
            last = Some((i, end));
        }
    }
    last.and_then(|(i, end)| words.phrase(i, end))
}

/// The deadline written after an inline label at the end of a task sentence: "Rà soát hạ
/// tầng số; thời gian: Quý II/2024." → "Quý II/2024". The label must follow the start of the
/// text or a `;`, `,`, `.` or `(`, so "thời gian" inside prose does not count.
pub(super) fn inline_due(text: &str) -> Option<String> {
    const LABELS: [&str; 5] = [
        "thoi gian",
        "thoi han",
        "thoi gian thuc hien",
        "thoi han hoan thanh",
        "thoi gian hoan thanh",
    ];
    for (colon, _) in text
        .match_indices(':')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        let before = text.get(..colon)?;
        let start = before.rfind([';', ',', '.', '(']).map_or(0, |i| i + 1);
        let label = fold(before.get(start..)?.trim());
        if !LABELS.contains(&label.as_str()) {
            continue;
        }
        let due = text.get(colon + 1..)?.trim();
        let due = due.trim_end_matches(['.', ';', ')', ' ']).trim();
        return (!due.is_empty() && due.chars().count() <= 120).then(|| due.to_string());
    }
    None
}

/// The words of a text with their byte ranges and folded forms.
struct Words<'t> {
    text: &'t str,
    ranges: Vec<(usize, usize)>,
    folded: Vec<String>,
}

impl<'t> Words<'t> {
    fn new(text: &'t str) -> Words<'t> {
        let ranges = word_ranges(text);
        let folded = ranges
            .iter()
            .map(|(a, b)| text.get(*a..*b).map(fold).unwrap_or_default())
            .collect();
        Words {
            text,
            ranges,
            folded,
        }
    }

    fn len(&self) -> usize {
        self.ranges.len()
    }

    fn get(&self, i: usize) -> &str {
        self.folded.get(i).map_or("", String::as_str)
    }

    fn is(&self, i: usize, word: &str) -> bool {
        self.get(i) == word
    }

    /// The original text from word `i` to the end of word `end - 1`.
    fn phrase(&self, i: usize, end: usize) -> Option<String> {
        let start = self.ranges.get(i)?.0;
        let stop = self.ranges.get(end.checked_sub(1)?)?.1;
        self.text.get(start..stop).map(str::to_string)
    }

    fn is_num(&self, i: usize) -> bool {
        let w = self.get(i);
        (1..=2).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit())
    }

    fn is_year(&self, i: usize) -> bool {
        let w = self.get(i);
        w.len() == 4 && (w.starts_with("19") || w.starts_with("20")) && w.parse::<u16>().is_ok()
    }

    /// Quarter numbers, including OCR's "11" (II), "111" (III) and "1v" (IV).
    fn is_quarter(&self, i: usize) -> bool {
        matches!(
            self.get(i),
            "i" | "ii" | "iii" | "iv" | "1" | "2" | "3" | "4" | "11" | "111" | "1v" | "l" | "ll"
        )
    }

    /// A year right at `i` ("2023") or after "năm": the end index.
    fn year_at(&self, i: usize) -> Option<usize> {
        if self.is_year(i) {
            Some(i + 1)
        } else if self.is(i, "nam") && self.is_year(i + 1) {
            Some(i + 2)
        } else {
            None
        }
    }
}

/// "trước ngày 30/11/2023", "chậm nhất ngày 15/12".
fn before_date(w: &Words, i: usize) -> Option<usize> {
    let day = match (w.get(i), w.get(i + 1), w.get(i + 2)) {
        ("truoc", "ngay", _) => i + 2,
        ("cham", "nhat", "ngay") => i + 3,
        ("cham", "nhat", "truoc") if w.is(i + 3, "ngay") => i + 4,
        _ => return None,
    };
    if !(w.is_num(day) && w.is_num(day + 1)) {
        return None;
    }
    Some(w.year_at(day + 2).unwrap_or(day + 2))
}

/// "trong tháng 12/2023", "trong quý I/2024", "trong 6 tháng cuối năm 2023",
/// "trong năm 2023 (và năm 2024)", "trước tháng 6/2024".
fn within(w: &Words, i: usize) -> Option<usize> {
    if !matches!(w.get(i), "trong" | "truoc") {
        return None;
    }
    let j = i + 1;
    month_of(w, j)
        .or_else(|| quarter_of(w, j))
        .or_else(|| half_year(w, j))
        .or_else(|| {
            let end = year_of(w, j)?;
            // "trong năm 2023 và năm 2024" is one span.
            Some(match w.is(end, "va") {
                true => year_of(w, end + 1).unwrap_or(end),
                false => end,
            })
        })
}

/// "từ tháng 12/2022 đến (hết / cuối) tháng 01/2023".
fn range(w: &Words, i: usize) -> Option<usize> {
    if !w.is(i, "tu") {
        return None;
    }
    let mid = month_of(w, i + 1)?;
    if !w.is(mid, "den") {
        return None;
    }
    let mut k = mid + 1;
    if matches!(w.get(k), "het" | "cuoi") {
        k += 1;
    }
    month_of(w, k)
}

/// "tháng 12/2023" / "tháng 12 năm 2023" at `i`.
fn month_of(w: &Words, i: usize) -> Option<usize> {
    if w.is(i, "thang") && w.is_num(i + 1) {
        w.year_at(i + 2)
    } else {
        None
    }
}

/// "quý IV/2023" / "quý 1 năm 2023" at `i`.
fn quarter_of(w: &Words, i: usize) -> Option<usize> {
    if w.is(i, "quy") && w.is_quarter(i + 1) {
        w.year_at(i + 2)
    } else {
        None
    }
}

/// "6 tháng đầu/cuối năm (2023)" at `i`.
fn half_year(w: &Words, i: usize) -> Option<usize> {
    let ok = w.is(i, "6")
        && w.is(i + 1, "thang")
        && matches!(w.get(i + 2), "dau" | "cuoi")
        && w.is(i + 3, "nam");
    if !ok {
        return None;
    }
    Some(if w.is_year(i + 4) { i + 5 } else { i + 4 })
}

/// "năm 2024" at `i`.
fn year_of(w: &Words, i: usize) -> Option<usize> {
    if w.is(i, "nam") && w.is_year(i + 1) {
        Some(i + 2)
    } else {
        None
    }
}
