//! Does a text look like a unit? The words that start a unit's name.

use super::key::is_cac;
use super::key::is_so_ocr;
use super::key::key_tokens;

// ---------------------------------------------------------------------------------------------
// Does a text look like a unit?
// ---------------------------------------------------------------------------------------------

/// A word sequence that starts a unit's name, with the following words that make it something
/// else ("Báo cáo" is a report, "Ban hành" a verb) and the accented spellings of its first word
/// that are other words ("Số", "Sổ" are not "Sở").
pub(super) struct Head {
    words: &'static [&'static str],
    not_next: &'static [&'static str],
    other_spellings: &'static [&'static str],
}

pub(super) const fn head(words: &'static [&'static str]) -> Head {
    Head {
        words,
        not_next: &[],
        other_spellings: &[],
    }
}

pub(super) const HEADS: &[Head] = &[
    head(&["uy", "ban"]),
    head(&["hoi", "dong"]),
    head(&["van", "phong"]),
    head(&["cong", "an"]),
    head(&["bo", "chi", "huy"]),
    head(&["bo", "phan"]),
    head(&["bao", "hiem", "xa", "hoi"]),
    head(&["kho", "bac"]),
    head(&["chi", "cuc"]),
    head(&["lien", "doan"]),
    head(&["mat", "tran"]),
    head(&["trung", "tam"]),
    head(&["tinh", "uy"]),
    head(&["huyen", "uy"]),
    head(&["thanh", "uy"]),
    head(&["dang", "uy"]),
    head(&["thuong", "truc"]),
    head(&["ngan", "hang"]),
    head(&["vien", "kiem", "sat"]),
    head(&["toa", "an"]),
    head(&["thanh", "vien"]),
    Head {
        words: &["dai"],
        not_next: &["han", "ngay"],
        other_spellings: &["dài", "dại", "đại"],
    },
    Head {
        words: &["bao"],
        not_next: &[
            "cao", "dam", "ve", "quan", "tri", "duong", "luu", "hanh", "mat", "ton",
        ],
        other_spellings: &["bảo", "bão", "bào", "bạo"],
    },
    Head {
        words: &["truong"],
        not_next: &["hop"],
        other_spellings: &["trưởng", "trương"],
    },
    Head {
        words: &["thanh", "tra"],
        not_next: &["kiem", "viec", "cong", "chuyen", "trach", "hanh", "cac"],
        other_spellings: &[],
    },
    Head {
        words: &["to"],
        not_next: &["chuc", "quoc"],
        other_spellings: &["tô", "tò", "tờ", "tớ", "tố", "tổng"],
    },
    Head {
        words: &["cuc"],
        not_next: &["bo"],
        other_spellings: &["cực", "cúc"],
    },
    Head {
        words: &["hoi"],
        not_next: &["thi", "nghi", "thao", "nhap", "dap"],
        other_spellings: &["hỏi", "hối", "hơi", "hợi", "hồi"],
    },
    Head {
        words: &["phong"],
        not_next: &["chong", "ngua", "hop", "tranh"],
        other_spellings: &["phóng"],
    },
    Head {
        words: &["ban"],
        not_next: &["hanh", "dau", "ngay", "dem", "giao", "ve", "than", "chat"],
        other_spellings: &["bàn", "bản", "bán", "bạn", "bận"],
    },
    Head {
        words: &["bo"],
        not_next: &["may", "ho", "chi", "tieu", "luat", "cau", "cong", "du"],
        other_spellings: &["bó", "bỏ", "bò", "bơ", "bở", "bố", "bổ"],
    },
    Head {
        words: &["co", "quan"],
        not_next: &["chu", "phoi", "thuc", "tham"],
        other_spellings: &["có", "cố", "cổ", "cỏ", "cô"],
    },
    Head {
        words: &["don", "vi"],
        not_next: &["chu", "phoi", "thuc", "tham", "tinh"],
        other_spellings: &[],
    },
];

/// Words after "các" that make a plural group of units ("Các sở", "các cơ quan, đơn vị").
pub(super) const COLLECTIVE: &[&str] = &[
    "so", "ban", "nganh", "co", "don", "dia", "huyen", "xa", "phuong", "thi", "thanh", "hoi",
    "doan", "to", "phong", "cuc", "trung", "uy",
];

/// Words that follow "Sở" in department names; only checked when "Sở" lost its diacritics
/// (OCR), where "so" may as well be "số" (number) or "sổ" (book).
pub(super) const SO_NEXT: &[&str] = &[
    "noi", "tu", "ke", "tai", "cong", "nong", "giao", "xay", "thong", "lao", "van", "khoa", "y",
    "ngoai", "du", "dan", "quy", "ban", "nganh", "tt", "kh", "tn", "gd", "nn", "vh", "ldtb",
];

/// True when a cleaned text starts like a unit name (see [`HEADS`]), a plural group ("Các
/// sở, ban, ngành"), or "Sở …" / its OCR forms.
pub(super) fn looks_like_unit(cleaned: &str) -> bool {
    let tokens = key_tokens(cleaned, false);
    let first_word = cleaned.split(' ').next().unwrap_or("").to_lowercase();
    let t: Vec<&str> = tokens.iter().map(String::as_str).collect();
    match t.first() {
        None => false,
        // "Các thị xã", "các thị trấn" are units; "Các thị trường Tây Á" is a market.
        Some(c) if is_cac(c) && t.get(1) == Some(&"thi") => {
            matches!(t.get(2), Some(&("xa" | "tran")))
        }
        Some(c) if is_cac(c) => t
            .get(1)
            .is_some_and(|w| COLLECTIVE.contains(w) || is_so_ocr(w)),
        Some(&"so") => looks_like_so(&first_word, t.get(1).copied()),
        Some(_) => HEADS.iter().any(|h| head_matches(h, &t, &first_word)),
    }
}

/// "Sở" written with its diacritic is certain; plain or OCR "so" needs a department word next.
pub(super) fn looks_like_so(first_word: &str, next: Option<&str>) -> bool {
    let Some(next) = next else { return false };
    if first_word.contains('ở') {
        return true;
    }
    let other = ["số", "sổ", "sớ", "sợ", "sờ", "sỡ", "sô"];
    if other.iter().any(|o| first_word.starts_with(o)) {
        return false;
    }
    SO_NEXT.contains(&next) || (next.starts_with('n') && next.len() <= 3)
}

pub(super) fn head_matches(h: &Head, tokens: &[&str], first_word: &str) -> bool {
    if !tokens.starts_with(h.words) || tokens.len() <= h.words.len() {
        return false;
    }
    let next = tokens.get(h.words.len()).copied().unwrap_or("");
    if h.not_next.contains(&next) {
        return false;
    }
    !h.other_spellings.contains(&first_word)
}
