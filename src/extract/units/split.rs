//! Splitting a cell into unit names.

use super::clean::capitalise;
use super::clean::clean_name;
use super::clean::strip_markers;
use super::heads::looks_like_unit;
use super::key::compact;
use super::key::is_cac;
use super::key::is_cap;
use super::key::is_so_ocr;
use super::key::key_tokens;
use super::key::match_key;
use super::{UnitRegistry, MAX_NAME_BYTES};
use crate::text::fold;

// ---------------------------------------------------------------------------------------------
// Splitting a cell
// ---------------------------------------------------------------------------------------------

/// What stood before a piece of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sep {
    Start,
    Comma,
    /// ";": always a boundary between units, and the end of a "Các Sở:" list.
    Strong,
    /// A new bulleted line or `<br>`: a boundary, but "Các Sở:" items may follow one a line.
    Line,
    /// The word "và" (or OCR "va").
    And,
}

/// A byte range of the cell between separators.
#[derive(Debug, Clone, Copy)]
pub(super) struct Piece {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) sep: Sep,
}

/// One or more pieces; `registered` when their joined text is a registered name.
#[derive(Debug, Clone, Copy)]
pub(super) struct Part {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) sep: Sep,
    pub(super) registered: bool,
}

/// Cuts the cell at ",", ";", "và", bulleted new lines and `<br>`, outside parentheses.
pub(super) fn segment(text: &str) -> Vec<Piece> {
    let inside = paren_ranges(text);
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut sep = Sep::Start;
    let mut cursor = 0;
    let mut depth_idx = 0;
    while let Some(c) = text.get(cursor..).and_then(|r| r.chars().next()) {
        while inside.get(depth_idx).is_some_and(|r| r.1 <= cursor) {
            depth_idx += 1;
        }
        let in_paren = inside.get(depth_idx).is_some_and(|r| r.0 <= cursor);
        let found = if in_paren {
            None
        } else {
            separator_at(text, cursor, c)
        };
        match found {
            Some((kind, len)) => {
                pieces.push(Piece {
                    start,
                    end: cursor,
                    sep,
                });
                sep = kind;
                cursor += len;
                start = cursor;
            }
            None => cursor += c.len_utf8(),
        }
    }
    pieces.push(Piece {
        start,
        end: text.len(),
        sep,
    });
    pieces.retain(|p| {
        text.get(p.start..p.end)
            .is_some_and(|s| s.chars().any(char::is_alphanumeric))
    });
    pieces
}

/// The separator starting at byte `at` (whose char is `c`), with its length in bytes.
pub(super) fn separator_at(text: &str, at: usize, c: char) -> Option<(Sep, usize)> {
    let rest = text.get(at..)?;
    match c {
        ',' => Some((Sep::Comma, 1)),
        ';' => Some((Sep::Strong, 1)),
        '<' => {
            let lower: String = rest.chars().take(6).collect::<String>().to_lowercase();
            ["<br>", "<br/>", "<br />"]
                .iter()
                .find(|t| lower.starts_with(*t))
                .map(|t| (Sep::Line, t.len()))
        }
        '\n' if starts_bullet_line(rest.get(1..)?) => Some((Sep::Line, 1)),
        c if c.is_whitespace() => {
            let after = rest.get(c.len_utf8()..)?;
            let word = ["và", "va", "Và", "Va"]
                .iter()
                .find(|w| after.starts_with(*w))?;
            let next = after.get(word.len()..)?.chars().next()?;
            next.is_whitespace()
                .then_some((Sep::And, c.len_utf8() + word.len() + next.len_utf8()))
        }
        _ => None,
    }
}

/// True when the text after a new line starts a bullet or is a blank line.
pub(super) fn starts_bullet_line(after: &str) -> bool {
    after
        .trim_start_matches([' ', '\t', '\r'])
        .starts_with(['-', '+', '•', '*', '\n'])
}

/// Byte ranges inside matched parentheses, sorted, outermost pairs only; an unmatched "("
/// protects nothing, so it cannot stop all splitting.
pub(super) fn paren_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut stack: Vec<usize> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '(' => stack.push(i),
            ')' => pairs.extend(stack.pop().map(|open| (open, i + 1))),
            _ => {}
        }
    }
    pairs.sort_unstable();
    // Pairs nest or are disjoint: keep each one not inside the last kept.
    let mut outer: Vec<(usize, usize)> = Vec::new();
    for pair in pairs {
        if outer.last().is_none_or(|last| pair.0 >= last.1) {
            outer.push(pair);
        }
    }
    outer
}

/// Turns the parts of a cell into written names (before cleaning). See [`UnitRegistry::split_names`].
pub(super) fn assemble(reg: &UnitRegistry, text: &str, parts: &[Part]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut prefix: Option<String> = None;
    let mut last_end = 0;
    for part in parts {
        let raw = text.get(part.start..part.end).unwrap_or("");
        let piece = strip_label(&strip_markers(&crate::text::collapse_spaces(raw)));
        let gap = separator_text(text.get(last_end..part.start).unwrap_or(""));
        last_end = part.end;
        if part.sep == Sep::Strong || part.registered {
            prefix = None;
        }
        if part.registered {
            names.push(piece);
            continue;
        }
        if let Some((head, item)) = list_prefix(&piece) {
            if looks_like_unit(&clean_name(&item)) {
                names.push(item);
            } else if !item.is_empty() {
                names.push(format!("{head} {item}"));
            }
            prefix = Some(head);
            continue;
        }
        let Some(prev) = names.last_mut() else {
            // The first item after a bare "Các Sở:" line.
            match prefix.as_deref() {
                Some(head) if !looks_like_unit(&clean_name(&piece)) => {
                    names.push(format!("{head} {piece}"));
                }
                _ => names.push(piece),
            }
            continue;
        };
        match decide(reg, prev, &piece, part.sep, prefix.as_deref()) {
            Step::Join => {
                prev.push_str(&gap);
                prev.push_str(&piece);
            }
            Step::New(name, keep_prefix) => {
                if !keep_prefix {
                    prefix = None;
                }
                names.push(name);
            }
        }
    }
    names
}

/// The separator between two glued pieces, spaced as in running text (", ", " và ").
pub(super) fn separator_text(gap: &str) -> String {
    let gap = gap.trim();
    match gap.chars().next() {
        None => " ".to_string(),
        Some(c) if c.is_alphabetic() => format!(" {gap} "),
        Some(_) => format!("{gap} "),
    }
}

/// Drops a label written before the names ("Đơn vị chủ trì: Sở Nội vụ" → "Sở Nội vụ").
pub(super) fn strip_label(piece: &str) -> String {
    if let Some((left, right)) = piece.split_once(':') {
        let label = fold(left);
        // OCR mangles the middle of labels ("Co quan pl}éi hop"), rarely their last word.
        let ends = ["tri", "hop", "muu", "hien", "gia"];
        let short = label.split(' ').count() <= 6;
        if short && ends.iter().any(|l| label.ends_with(l)) && !right.trim().is_empty() {
            return right.trim().to_string();
        }
    }
    piece.to_string()
}

/// What to do with a piece that follows an earlier name.
pub(super) enum Step {
    /// Glue it (with the separator as written) to the previous name.
    Join,
    /// Start a new name with this text; `true` keeps a "Các Sở:" list head for later items.
    New(String, bool),
}

/// The splitting rules, in order: collective lists continue ("sở, ban, ngành"); a "Các Sở:"
/// list lends its head to bare items; "cấp xã" after "UBND cấp huyện" lends "UBND"; a piece
/// that looks like a unit starts a new name; after ";" anything does; the rest is glued back.
pub(super) fn decide(
    reg: &UnitRegistry,
    prev: &str,
    piece: &str,
    sep: Sep,
    prefix: Option<&str>,
) -> Step {
    let prev_tokens = key_tokens(&tail_words(prev, 8), false);
    let cur_tokens = key_tokens(piece, false);
    if continues_collective(&prev_tokens, &cur_tokens) {
        return Step::Join;
    }
    let looks = looks_like_unit(&clean_name(piece));
    if let Some(head) = prefix.filter(|_| !looks) {
        return match sep {
            Sep::And if !and_splits_items(reg, prev, head, piece) => Step::Join,
            _ => Step::New(format!("{head} {piece}"), true),
        };
    }
    if cur_tokens.first().is_some_and(|t| t == "cap") && sep != Sep::Strong {
        if let Some(stem) = cap_stem(prev) {
            return Step::New(format!("{stem} {piece}"), true);
        }
    }
    if !looks && sep == Sep::Comma && prev_tokens.first().is_some_and(|t| t == "so") {
        // "Sở Nội vụ, Tư pháp": a bare item is another Sở only if the registry says so, since
        // "Sở Văn hóa, Thể thao và Du lịch" is one Sở with a comma in its name.
        let item = format!("Sở {piece}");
        if prev.len() <= MAX_NAME_BYTES && reg.lookup(prev).is_some() && reg.lookup(&item).is_some()
        {
            return Step::New(item, false);
        }
    }
    let locality = sep == Sep::And && cur_tokens.first().is_some_and(|t| t == "huyen");
    if looks || locality || matches!(sep, Sep::Strong | Sep::Line) {
        Step::New(piece.to_string(), false)
    } else {
        Step::Join
    }
}

/// The last `n` words of `s`, so rules that look at the previous name stay linear however
/// long a glued name grows.
pub(super) fn tail_words(s: &str, n: usize) -> String {
    let mut words: Vec<&str> = s.split_whitespace().rev().take(n).collect();
    words.reverse();
    words.join(" ")
}

/// Inside "Các Sở: …", "Tư pháp và Tài chính" is two items only when the registry knows both
/// and not the whole ("Tài nguyên và Môi trường" is one).
pub(super) fn and_splits_items(reg: &UnitRegistry, prev: &str, head: &str, piece: &str) -> bool {
    if prev.len() > MAX_NAME_BYTES || piece.len() > MAX_NAME_BYTES {
        return false;
    }
    let whole = format!("{prev} và {piece}");
    !known_department(reg, &whole)
        && known_department(reg, prev)
        && known_department(reg, &format!("{head} {piece}"))
}

/// Department names every province has had (Decree 24/2014, 107/2020 and the 2025
/// mergers), so a list like "Các Sở: Tư pháp, Tài chính và Xây dựng" splits right even
/// before the site's registry names them.
pub(super) const STANDARD_DEPARTMENTS: &[&str] = &[
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Nông nghiệp và Môi trường",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Văn hóa và Thể thao",
    "Sở Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Ngoại vụ",
    "Sở Dân tộc và Tôn giáo",
];

/// True when the registry knows the name or it is a standard department.
pub(super) fn known_department(reg: &UnitRegistry, name: &str) -> bool {
    static KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    if reg.lookup(name).is_some() {
        return true;
    }
    let keys = KEYS.get_or_init(|| {
        STANDARD_DEPARTMENTS
            .iter()
            .map(|d| compact(&match_key(d)))
            .collect()
    });
    let key = compact(&match_key(name));
    keys.contains(&key)
}

/// True when `cur` continues a comma list that names one group: "sở, ban, ngành",
/// "huyện, thị xã, thành phố", "cơ quan, đơn vị, địa phương".
pub(super) fn continues_collective(prev: &[String], cur: &[String]) -> bool {
    let last = prev.last().map(String::as_str).unwrap_or("");
    let last2 = prev
        .len()
        .checked_sub(2)
        .and_then(|i| prev.get(i..))
        .map(|w| w.join(" "))
        .unwrap_or_default();
    let first = cur.first().map(String::as_str).unwrap_or("");
    let first2 = cur.get(..2).map(|w| w.join(" ")).unwrap_or_default();
    let departments = matches!(last, "so" | "s" | "ban") && matches!(first, "ban" | "nganh");
    let places = ["huyen", "xa", "phuong", "quan"];
    let places2 = ["thi xa", "thanh pho", "thi tran"];
    let districts = (places.contains(&last) || places2.contains(&last2.as_str()))
        && (places2.contains(&first2.as_str()) || matches!(first, "huyen" | "phuong" | "xa"));
    let orgs2 = ["co quan", "don vi", "dia phuong", "dja phuong", "to chuc"];
    let organisations =
        orgs2.contains(&last2.as_str()) && (orgs2.contains(&first2.as_str()) || first == "doanh");
    departments || districts || organisations
}

/// "UBND cấp huyện" → "UBND": the words before the last "cấp", when there are some.
pub(super) fn cap_stem(prev: &str) -> Option<String> {
    if prev.len() > MAX_NAME_BYTES {
        return None;
    }
    let words: Vec<&str> = prev.split_whitespace().collect();
    let pos = words.iter().rposition(|w| is_cap(&fold(w)))?;
    (pos > 0).then(|| words.get(..pos).unwrap_or(&[]).join(" "))
}

/// "Các Sở: Tư pháp" → ("Sở", "Tư pháp"); also "Sở: Tư pháp" and "Các Ban: …". A label
/// before the colon ("Đơn vị chủ trì: …") is not a list head.
pub(super) fn list_prefix(piece: &str) -> Option<(String, String)> {
    let (left, right) = piece.split_once(':')?;
    let tokens = key_tokens(left, false);
    let t: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let head = match t.as_slice() {
        [c, rest @ ..] if is_cac(c) => rest,
        one @ [_] => one,
        _ => return None,
    };
    let first = head.first().copied().unwrap_or("");
    let unit_head = is_so_ocr(first) || matches!(first, "ban" | "phong" | "cuc" | "bo" | "truong");
    if !unit_head || head.len() > 2 {
        return None;
    }
    let head_text = if head.len() == 1 && is_so_ocr(first) {
        "Sở".to_string()
    } else {
        let words: Vec<&str> = left.split_whitespace().collect();
        let skip = usize::from(t.first().is_some_and(|c| is_cac(c)));
        capitalise(&words.get(skip..).unwrap_or(&[]).join(" "))
    };
    Some((head_text, right.trim().to_string()))
}

/// "UBND và Đài Truyền thanh cấp huyện": a bare "UBND" takes the level the next name ends with.
pub(super) fn complete_bare_heads(names: Vec<String>) -> Vec<String> {
    let mut out = names.clone();
    for (i, name) in names.iter().enumerate() {
        let tokens = key_tokens(name, false);
        if tokens != ["uy", "ban", "nhan", "dan"] {
            continue;
        }
        let Some(next) = names.get(i + 1) else {
            continue;
        };
        let words: Vec<&str> = next.split_whitespace().collect();
        let n = words.len();
        let level = words.get(n.saturating_sub(2)..).unwrap_or(&[]);
        if n >= 3 && level.first().is_some_and(|w| is_cap(&fold(w))) {
            if let Some(slot) = out.get_mut(i) {
                *slot = format!("{} {}", name.trim(), level.join(" "));
            }
        }
    }
    out
}

/// Levenshtein distance between two char slices (two rows, O(a·b) time).
pub(super) fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}
