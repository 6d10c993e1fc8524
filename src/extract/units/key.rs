//! Match keys: a written unit name folded to the form names are compared in.

use super::clean::clean_name;
use crate::extract::memo::{remembered, Memo};
use crate::text::fold;

// ---------------------------------------------------------------------------------------------
// Match keys
// ---------------------------------------------------------------------------------------------

/// The match key of a written unit name: folded (case, diacritics, punctuation, spacing), list
/// markers and "(chủ trì)"/"có liên quan" removed, a leading "các" and the head's title removed
/// ("Giám đốc Sở Nội vụ" → "so noi vu", "Chánh Văn phòng" → "van phong", "Trưởng ban" → "ban"),
/// common abbreviations expanded ("UBND" → "uy ban nhan dan", "VP" → "van phong", "TT&TT" →
/// "thong tin truyen thong"), a few OCR slips repaired ("S& Noi vu" → "so noi vu") and every
/// "và" dropped, so "Thông tin và Truyền thông" = "TT&TT".
///
/// A trailing "tỉnh" is kept: "Văn phòng UBND tỉnh" and "Văn phòng UBND" may be different
/// offices, and registries list the short form as an alias when it is meant.
pub fn match_key(written: &str) -> String {
    /// Keys kept per thread before the memo starts over (bounds memory on odd corpora).
    const MAX_ENTRIES: usize = 20_000;
    thread_local! {
        static MEMO: std::cell::RefCell<Memo<String>> = Default::default();
    }
    // A function of the text alone, asked again and again of the same names: every task's
    // units, every line that might name one.
    remembered(&MEMO, 0, MAX_ENTRIES, written, || {
        key_tokens(&clean_name(written), true).join(" ")
    })
}

/// The lookup form of a spaced key: spacing is ignored entirely ("SởNội vụ" = "Sở Nội vụ").
pub(super) fn compact(spaced: &str) -> String {
    spaced.chars().filter(|c| *c != ' ').collect()
}

/// Folded, normalised tokens of a cleaned name; `strip_cac` drops a leading "các" (plural).
pub(super) fn key_tokens(cleaned: &str, strip_cac: bool) -> Vec<String> {
    let folded = fold(cleaned);
    let mut tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    let skip = leading_noise(&tokens, strip_cac);
    if skip < tokens.len() {
        tokens.drain(..skip);
    }
    let fixed = ocr_fix(&tokens);
    let expanded = expand_abbreviations(&fixed);
    normalise_collectives(expanded)
}

/// Number of leading tokens that are a head's title (or a plural "các" when asked), which the
/// unit itself stands for.
pub(super) fn leading_noise(tokens: &[&str], strip_cac: bool) -> usize {
    let mut skip = 0;
    // Each round removes at least one token, so this ends.
    loop {
        let rest = tokens.get(skip..).unwrap_or(&[]);
        let n = if strip_cac && rest.first().is_some_and(|t| is_cac(t)) && rest.len() > 1 {
            1
        } else {
            title_len(rest)
        };
        if n == 0 || n >= rest.len() {
            return skip;
        }
        skip += n;
    }
}

/// Length of the head's title at the start of `t` ("giam doc", "thu truong", "chu tich", …),
/// 0 if there is none. Tolerates the OCR slips seen in the seeds ("Giam dbc", "Cht tich").
pub(super) fn title_len(t: &[&str]) -> usize {
    if t.first() == Some(&"pho") {
        let inner = base_title_len(t.get(1..).unwrap_or(&[]));
        return if inner > 0 { 1 + inner } else { 0 };
    }
    base_title_len(t)
}

/// [`title_len`] without the "Phó" (deputy) prefix.
pub(super) fn base_title_len(t: &[&str]) -> usize {
    let at = |i: usize| t.get(i).copied().unwrap_or("");
    let w0 = at(0);
    let w1 = at(1);
    let is_doc = |w: &str| w.len() == 3 && w.starts_with('d');
    match w0 {
        "giam" if is_doc(w1) => 2,
        "tong" if at(1) == "giam" && is_doc(at(2)) => 3,
        "thu" if w1 == "truong" => 2,
        "bi" if w1 == "thu" => 2,
        "hieu" | "cuc" | "vien" if w1 == "truong" => 2,
        "chi" if w1 == "cuc" && at(2) == "truong" => 3,
        "chi" if w1 == "huy" && at(2) == "truong" => 3,
        "lanh" if w1 == "dao" => 2,
        "chanh" | "chenh" if matches!(w1, "van" | "vin" | "viin" | "vian" | "thanh") => 1,
        "truong" if matches!(w1, "ban" | "phong" | "cong" | "doan") => 1,
        _ if w0.starts_with("ch") && w0.len() <= 4 && w1 == "tich" => 2,
        _ => 0,
    }
}

/// Repairs OCR slips that would otherwise split one unit into several pages: the word "Sở"
/// read as "S&", "Sé", "S6"…, "Nội vụ" as "Nji vu", "Văn" as "Vin", "cấp" as "cép", "tâm" as
/// "tdm".
pub(super) fn ocr_fix(tokens: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    for (i, tok) in tokens.iter().enumerate() {
        let prev = i
            .checked_sub(1)
            .and_then(|p| out.get(p))
            .map(String::as_str);
        let next = tokens.get(i + 1).copied().unwrap_or("");
        let fixed = match *tok {
            t if i == 0 && is_so_ocr(t) && !next.is_empty() => "so",
            "t6" if i == 0 => "to",
            t if prev == Some("so") && is_vu(next) && t.starts_with('n') && t.len() <= 3 => "noi",
            t if prev == Some("noi") && is_vu(t) => "vu",
            "tw" if next == "phap" => "tu",
            "vin" | "viin" | "vian" | "vdn" if next == "phong" => "van",
            t if is_cap(t) && matches!(next, "huyen" | "xa" | "tinh" | "huyn") => "cap",
            t if prev == Some("trung")
                && t.len() <= 4
                && t.starts_with('t')
                && t.ends_with('m') =>
            {
                "tam"
            }
            t => t,
        };
        out.push(fixed.to_string());
    }
    out
}

/// "các" (plural) and its OCR forms ("céc", "cdc", "Céac"), but not "cục".
pub(super) fn is_cac(t: &str) -> bool {
    (3..=4).contains(&t.len()) && t.starts_with('c') && t.ends_with('c') && t != "cuc"
}

/// "Sở" as OCR leaves it (the `&`, `@` of "S&", "S@" fold away).
pub(super) fn is_so_ocr(t: &str) -> bool {
    matches!(t, "so" | "s" | "se" | "s6" | "sc" | "s0")
}

pub(super) fn is_vu(t: &str) -> bool {
    matches!(t, "vu" | "vy")
}

/// "cấp" and its OCR forms ("cép", "cip", "cdp", "c4p").
pub(super) fn is_cap(t: &str) -> bool {
    t.len() == 3 && t.starts_with('c') && t.ends_with('p')
}

/// Abbreviations expanded to the words they stand for (folded, without "và"); multi-token
/// forms come from "TT&TT", "KH&ĐT" and the like, which fold to two tokens.
pub(super) const ABBREVIATIONS: &[(&[&str], &str)] = &[
    (&["ubnd"], "uy ban nhan dan"),
    (&["hdnd"], "hoi dong nhan dan"),
    (&["vp"], "van phong"),
    (&["vpub"], "van phong uy ban nhan dan"),
    (&["ubmttq"], "uy ban mat tran to quoc"),
    (&["ubmtttq"], "uy ban mat tran to quoc"),
    (&["mttq"], "mat tran to quoc"),
    (&["bhxh"], "bao hiem xa hoi"),
    (&["bcd"], "ban chi dao"),
    (&["tt", "tt"], "thong tin truyen thong"),
    (&["tttt"], "thong tin truyen thong"),
    (&["pt", "th"], "phat thanh truyen hinh"),
    (&["ptth"], "phat thanh truyen hinh"),
    (&["kh", "dt"], "ke hoach dau tu"),
    (&["khdt"], "ke hoach dau tu"),
    (&["tn", "mt"], "tai nguyen moi truong"),
    (&["tnmt"], "tai nguyen moi truong"),
    (&["kh", "cn"], "khoa hoc cong nghe"),
    (&["khcn"], "khoa hoc cong nghe"),
    (&["gd", "dt"], "giao duc dao tao"),
    (&["gddt"], "giao duc dao tao"),
    (&["ldtb", "xh"], "lao dong thuong binh xa hoi"),
    (&["ldtbxh"], "lao dong thuong binh xa hoi"),
    (&["nn", "ptnt"], "nong nghiep phat trien nong thon"),
    (&["nnptnt"], "nong nghiep phat trien nong thon"),
    (&["gtvt"], "giao thong van tai"),
    (&["vh", "tt", "dl"], "van hoa the thao du lich"),
    (&["vhttdl"], "van hoa the thao du lich"),
    (&["snv"], "so noi vu"),
    (&["stp"], "so tu phap"),
    (&["stc"], "so tai chinh"),
    (&["skhdt"], "so ke hoach dau tu"),
    (&["skh", "dt"], "so ke hoach dau tu"),
    (&["stttt"], "so thong tin truyen thong"),
    (&["stt", "tt"], "so thong tin truyen thong"),
    (&["cntt"], "cong nghe thong tin"),
    (&["tthc"], "thu tuc hanh chinh"),
    (&["kstthc"], "kiem soat thu tuc hanh chinh"),
    (&["pvhcc"], "phuc vu hanh chinh cong"),
    (&["hcc"], "hanh chinh cong"),
];

/// Drops "và" and expands [`ABBREVIATIONS`], longest pattern first at each position.
pub(super) fn expand_abbreviations(tokens: &[String]) -> Vec<String> {
    let words: Vec<&str> = tokens
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "va")
        .collect();
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let rest = words.get(i..).unwrap_or(&[]);
        let hit = ABBREVIATIONS
            .iter()
            .filter(|(pat, _)| rest.starts_with(pat))
            .max_by_key(|(pat, _)| pat.len());
        match hit {
            Some((pat, full)) => {
                out.extend(full.split(' ').map(str::to_string));
                i += pat.len();
            }
            None => {
                out.extend(rest.first().map(|w| w.to_string()));
                i += 1;
            }
        }
    }
    out
}

/// "sở, ngành" and "sở, ban, ngành" name the same group of departments.
pub(super) fn normalise_collectives(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len() + 1);
    for tok in tokens {
        if tok == "nganh" && out.last().map(String::as_str) == Some("so") {
            out.push("ban".to_string());
        }
        out.push(tok);
    }
    out
}
