//! Prose assignments: a sentence whose subject is a unit and whose verb assigns it work
//! ("Giao Sở Tài chính chủ trì, phối hợp …", "Văn phòng UBND tỉnh có trách nhiệm cập nhật …",
//! "Đề nghị Ủy ban MTTQ tỉnh … phát huy …"), the way decisions, resolutions and the closing
//! "Tổ chức thực hiện" of plans write who does what (issue 15, read on real documents).
//!
//! Takes a sentence (numbering already removed) and a `names_unit` predicate; returns the
//! unit as written and the work from the verb on. The unit is the words before the first
//! assigning verb that the units registry accepts as a unit, so "Ban Chỉ đạo … chủ trì" keeps
//! its "Chỉ đạo". Matching is on folded words (`crate::text::fold`): with or without
//! diacritics.

use super::words::{clean, word_ranges};
use crate::text::fold;

/// Verbs (folded word sequences) by which a sentence gives its subject work.
const VERBS: &[&[&str]] = &[
    &["chu", "tri"],
    &["co", "trach", "nhiem"],
    &["chiu", "trach", "nhiem"],
    &["phoi", "hop"],
    &["trien", "khai"],
    &["to", "chuc"],
    &["thuc", "hien"],
    &["tham", "muu"],
    &["can", "cu"],
    &["chi", "dao"],
    &["huong", "dan"],
    &["theo", "doi"],
    &["xay", "dung"],
    &["ra", "soat"],
    &["cap", "nhat"],
    &["khan", "truong"],
    &["tiep", "tuc"],
    &["chu", "dong"],
    &["nghien", "cuu"],
    &["bo", "tri"],
    &["tang", "cuong"],
    &["day", "manh"],
    &["phat", "huy"],
    &["tong", "hop"],
    &["kiem", "tra"],
    &["don", "doc"],
    &["niem", "yet"],
    &["huy", "dong"],
    &["ho", "tro"],
    &["xuat", "cap"],
    &["truc", "tiep"],
];

/// Words that cannot end a unit's name: a verb right after them is part of a noun phrase
/// ("các tổ chức chính trị - xã hội", "với các cơ quan").
const DANGLING: &[&str] = &[
    "cac", "va", "voi", "cua", "nhung", "cho", "tai", "thuoc", "la", "mot", "so", "duoc", "viec",
];

/// Words after which a "verb" is part of a unit's name: "Ban Chỉ đạo", "Ban Tổ chức",
/// "Sở Xây dựng", "Trung tâm Hỗ trợ …", "Viện Nghiên cứu".
const NAME_HEADS: &[&str] = &["ban", "so", "bo", "cuc", "tam", "vien", "phong"];

/// Words a unit's name does not contain: a subject holding them is a clause ("Các tổ chức
/// về các biện pháp cần thiết nhằm …", "… báo cáo Ủy ban nhân dân biết").
const NOT_IN_NAME: &[&str] = &[
    "ve",
    "nham",
    "neu",
    "khi",
    "biet",
    "den",
    "qua",
    "huong",
    "de nghi",
    "xem xet",
    "danh gia",
    "thanh lap",
    "kip thoi",
    "ban hanh",
];

/// Words before the verb that make the sentence a report of work done or not done.
const REPORTED: &[&str] = &["da", "dang", "vua", "chua", "khong"];

/// A unit longer than this (words) is a clause, not a subject.
const MAX_UNIT_WORDS: usize = 30;

/// How a sentence is introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Opening {
    /// "Giao …" / "Giao cho …": the issuer assigns the work explicitly.
    Giao,
    /// "Đề nghị …" / "Yêu cầu …": a request to a unit outside the issuer's command.
    Request,
    /// The unit opens the sentence.
    Bare,
}

/// An assigning sentence read: the unit as written, the work (from the verb on, "có trách
/// nhiệm" dropped, first letter upper case) and how it was introduced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Assignment {
    pub(super) unit: String,
    pub(super) work: String,
    pub(super) opening: Opening,
}

/// Reads `text` as an assigning sentence, if it is one.
pub(super) fn assignment(text: &str, names_unit: &dyn Fn(&str) -> bool) -> Option<Assignment> {
    let text = clean(text);
    let folded = fold(&text);
    // "… chịu trách nhiệm thi hành Quyết định này", "… căn cứ Quyết định thi hành": the
    // standard closing article names who applies the decision; it assigns no work.
    if is_execution_clause(&folded) {
        return None;
    }
    let words = word_ranges(&text);
    let folded_words: Vec<String> = words
        .iter()
        .map(|(a, b)| text.get(*a..*b).map(fold).unwrap_or_default())
        .collect();
    let (opening, first) = opening(&folded_words);
    let start = words.get(first)?.0;
    let limit = folded_words.len().min(first + MAX_UNIT_WORDS + 1);
    for k in first + 1..limit {
        let Some(len) = verb_at(&folded_words, k) else {
            continue;
        };
        let before = folded_words.get(k - 1).map_or("", String::as_str);
        // "Sở Nội vụ đã tổ chức …" reports what was done.
        if REPORTED.contains(&before) {
            return None;
        }
        let gap = match (words.get(k - 1), words.get(k)) {
            (Some(a), Some(b)) => text.get(a.1..b.0).unwrap_or(""),
            _ => "",
        };
        // "UBND cấp huyện và cấp xã. Tiếp tục …": the verb belongs to the next sentence.
        if gap.contains(['.', ';', ':']) {
            return None;
        }
        if DANGLING.contains(&before)
            || NAME_HEADS.contains(&before)
            || is_noun_to_chuc(&text, &words, &folded_words, k)
        {
            continue;
        }
        // "… chịu trách nhiệm trước pháp luật về …": accountability, not work.
        if is_accountability(&folded_words, k) {
            return None;
        }
        let end = words.get(k - 1)?.1;
        let unit = text.get(start..end)?.trim_end_matches([',', ';', ':', ' ']);
        // "Sở Nông nghiệp và Môi trường là cơ quan đầu mối, có trách nhiệm": the subject.
        let unit = match unit.split_once(" là ") {
            Some((subject, _)) if names_unit(subject) => subject,
            _ => unit,
        };
        if !unit_ok(unit) || !names_unit(unit) {
            continue;
        }
        let work = work_from(&text, &words, &folded_words, (first, k, len))?;
        if executes_itself(&fold(&work)) {
            return None;
        }
        return Some(Assignment {
            unit: unit.to_string(),
            work,
            opening,
        });
    }
    None
}

/// "Giao (cho)", "Đề nghị", "Yêu cầu" at the start, and the index of the first word after it.
fn opening(w: &[String]) -> (Opening, usize) {
    let at = |i: usize| w.get(i).map_or("", String::as_str);
    match (at(0), at(1)) {
        ("giao", "cho") => (Opening::Giao, 2),
        ("giao", _) => (Opening::Giao, 1),
        ("de", "nghi") | ("yeu", "cau") => (Opening::Request, 2),
        _ => (Opening::Bare, 0),
    }
}

/// The length (in words) of the assigning verb starting at word `k`, if one does.
fn verb_at(w: &[String], k: usize) -> Option<usize> {
    VERBS
        .iter()
        .find(|v| {
            v.iter()
                .enumerate()
                .all(|(i, x)| w.get(k + i).is_some_and(|y| y == x))
        })
        .map(|v| v.len())
}

/// The work assigned: the text from the verb on, without a leading "có/chịu trách nhiệm".
fn work_from(
    text: &str,
    words: &[(usize, usize)],
    w: &[String],
    (first, k, len): (usize, usize, usize),
) -> Option<String> {
    let responsibility = matches!(w.get(k).map(String::as_str), Some("co" | "chiu"))
        && w.get(k + 1).is_some_and(|x| x == "trach");
    // "Các sở, ban, ngành căn cứ kế hoạch này xây dựng …": the sentence reads whole, and a
    // task text opening with "Căn cứ" would be a legal citation.
    let grounds = w.get(k).is_some_and(|x| x == "can") && w.get(k + 1).is_some_and(|x| x == "cu");
    let from = match responsibility {
        true if k + len < words.len() => k + len,
        _ if grounds => first,
        _ => k,
    };
    let rest = text.get(words.get(from)?.0..)?;
    let rest = rest
        .trim_start_matches([':', '-', '–', ';', ',', ' '])
        .trim_end();
    let mut chars = rest.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// A unit as written that can stand as a subject: not too long, not the public ("các tổ
/// chức, cá nhân"), not a clause of its own.
fn unit_ok(unit: &str) -> bool {
    let f = fold(unit);
    let n = f.split_whitespace().count();
    let words: Vec<&str> = f.split(|c: char| !c.is_alphanumeric()).collect();
    let clause = NOT_IN_NAME.iter().any(|w| match w.split_once(' ') {
        Some((a, b)) => words.windows(2).any(|p| p == [a, b]),
        None => words.contains(w),
    }) || words.windows(2).any(|p| p == ["yeu", "cau"]);
    // "ỦY BAN NHÂN DÂN CHỦ TỊCH Nguyễn Văn A": a signature block run into the text.
    let capitals = unit
        .split_whitespace()
        .filter(|w| w.chars().count() > 1 && !w.chars().any(char::is_lowercase))
        .count();
    (1..=MAX_UNIT_WORDS).contains(&n)
        && capitals < 3
        && !clause
        && unit.matches('(').count() == unit.matches(')').count()
        && !f.contains("ca nhan")
        && !f.contains("nguoi dan")
        && !unit.contains(['.', '?', '"', '“'])
}

/// "tổ chức" in a list of nouns ("các cơ quan, tổ chức, đơn vị", "các tổ chức chính trị - xã
/// hội"): not the verb "to organise".
fn is_noun_to_chuc(text: &str, words: &[(usize, usize)], w: &[String], k: usize) -> bool {
    let is_to_chuc =
        w.get(k).is_some_and(|x| x == "to") && w.get(k + 1).is_some_and(|x| x == "chuc");
    if !is_to_chuc {
        return false;
    }
    let gap_before = match (words.get(k.wrapping_sub(1)), words.get(k)) {
        (Some(a), Some(b)) => text.get(a.1..b.0).unwrap_or(""),
        _ => "",
    };
    let gap_after = match (words.get(k + 1), words.get(k + 2)) {
        (Some(a), Some(b)) => text.get(a.1..b.0).unwrap_or(""),
        _ => "",
    };
    let next = w.get(k + 2).map_or("", String::as_str);
    gap_before.contains(',')
        || gap_after.contains(',')
        || matches!(
            next,
            "don" | "ca" | "chinh" | "doan" | "xa" | "hoi" | "kinh" | "tin"
        )
}

/// "chịu trách nhiệm trước …", "chịu trách nhiệm toàn diện / về …" at word `k`.
fn is_accountability(w: &[String], k: usize) -> bool {
    let at = |i: usize| w.get(i).map_or("", String::as_str);
    at(k) == "chiu" && at(k + 1) == "trach" && matches!(at(k + 3), "truoc" | "toan" | "ve" | "hoan")
}

/// "Tổ chức (triển khai) thực hiện Nghị quyết …", "… giám sát việc thực hiện Nghị quyết": the
/// formula by which a resolution or decision is handed to the body that applies it, not work
/// of its own.
fn executes_itself(work: &str) -> bool {
    let mut w = work;
    for filler in ["to chuc ", "trien khai ", "chi dao "] {
        w = w.strip_prefix(filler).unwrap_or(w);
    }
    let applies = ["thuc hien ", "thi hanh "]
        .iter()
        .filter_map(|v| w.strip_prefix(v))
        .any(|o| {
            o.starts_with("nghi quyet") || o.starts_with("quyet dinh") || o.starts_with("chi thi")
        });
    applies
        || (work.contains("giam sat") && work.contains("thuc hien nghi quyet"))
        || work.contains("neu co kho khan")
}

/// The closing article of a decision or resolution that names who applies it.
fn is_execution_clause(f: &str) -> bool {
    const CLAUSES: [&str; 6] = [
        "thi hanh quyet dinh",
        "thi hanh nghi quyet",
        "thi hanh chi thi",
        "quyet dinh thi hanh",
        "thi hanh van ban",
        "co hieu luc",
    ];
    CLAUSES.iter().any(|c| f.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_unit(t: &str) -> bool {
        crate::extract::units::UnitRegistry::default().names_unit(t)
    }

    #[test]
    fn giao_and_bare_subjects() {
        let a = assignment(
            "Giao Sở Giáo dục và Đào tạo chủ trì, phối hợp với đơn vị cung cấp dịch vụ xây dựng quy trình điện tử.",
            &names_unit,
        )
        .unwrap();
        assert_eq!(a.unit, "Sở Giáo dục và Đào tạo");
        assert!(a.work.starts_with("Chủ trì, phối hợp"));
        assert_eq!(a.opening, Opening::Giao);
        let b = assignment(
            "Văn phòng Ủy ban nhân dân tỉnh có trách nhiệm chủ trì, phối hợp với Sở Khoa học và Công nghệ cập nhật nội dung",
            &names_unit,
        )
        .unwrap();
        assert_eq!(b.unit, "Văn phòng Ủy ban nhân dân tỉnh");
        assert!(b.work.starts_with("Chủ trì, phối hợp với Sở"));
        let c = assignment(
            "Ban Chỉ đạo cải cách hành chính tỉnh chủ trì kiểm tra",
            &names_unit,
        )
        .unwrap();
        assert_eq!(c.unit, "Ban Chỉ đạo cải cách hành chính tỉnh");
    }

    #[test]
    fn noun_phrases_and_execution_clauses_are_not_assignments() {
        // "tổ chức" after "các" is a noun: the verb is "phát huy".
        let a = assignment(
            "Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh, các tổ chức chính trị-xã hội phát huy mạnh mẽ",
            &names_unit,
        )
        .unwrap();
        assert_eq!(
            a.unit,
            "Ủy ban Mặt trận Tổ quốc tỉnh, các tổ chức chính trị-xã hội"
        );
        assert_eq!(a.opening, Opening::Request);
        for t in [
            "Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc Sở Nội vụ và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./.",
            "Quyết định này có hiệu lực thi hành kể từ ngày ký.",
            "Các tổ chức, cá nhân có liên quan thực hiện theo quy định.",
            "Trong quá trình thực hiện, nếu có khó khăn, các cơ quan phản ánh về Văn phòng",
            "Tổ chức tập huấn cho cán bộ, công chức.",
        ] {
            assert_eq!(assignment(t, &names_unit), None, "{t}");
        }
    }
}
