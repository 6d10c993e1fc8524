//! Cleaning written names for display and matching.

use super::key::leading_noise;
use crate::text::fold;
use crate::text::{collapse_spaces, nfc};

// ---------------------------------------------------------------------------------------------
// Cleaning written names
// ---------------------------------------------------------------------------------------------

/// Cleans one written name for display and matching: single spaces, no list marker ("- ",
/// "+ ", "3.", "a)"), no trailing "(…)" such as "(chủ trì)", no trailing "có liên quan", no
/// trailing punctuation, no head's title ("Giám đốc Sở Tư pháp" → "Sở Tư pháp"), first
/// letter upper case.
pub(crate) fn clean_name(written: &str) -> String {
    let spaced = collapse_spaces(&nfc(written));
    let mut s = strip_markers(&spaced);
    s = strip_trailing(s);
    s = strip_title_words(&s);
    capitalise(&s)
}

/// Removes leading bullets and list numbering, keeping at least one word.
pub(super) fn strip_markers(s: &str) -> String {
    let mut rest = s.trim();
    // A few rounds cover "- a) …"; the bound keeps pathological input linear.
    for _ in 0..6 {
        let trimmed = rest.trim_start_matches(['-', '+', '•', '*', '~', '–', '—', '·', '>', ' ']);
        let (first, tail) = trimmed.split_once(' ').unwrap_or((trimmed, ""));
        if is_enumerator(first) && !tail.trim().is_empty() {
            rest = tail;
        } else if trimmed.len() != rest.len() {
            rest = trimmed;
        } else {
            break;
        }
    }
    rest.to_string()
}

/// "3.", "1.2.", "a)", "đ)", "IV." — the numbering that starts list items and headings.
pub(super) fn is_enumerator(w: &str) -> bool {
    if let Some(body) = w.strip_suffix(')') {
        return !body.is_empty() && body.chars().count() <= 2;
    }
    if let Some(body) = w.strip_suffix('.') {
        let digits = !body.is_empty() && body.chars().all(|c| c.is_ascii_digit() || c == '.');
        let roman = !body.is_empty() && body.len() <= 5 && body.chars().all(|c| "IVXL".contains(c));
        return digits || roman;
    }
    false
}

/// Removes trailing punctuation, a trailing parenthesised remark and "có liên quan", repeatedly.
pub(super) fn strip_trailing(mut s: String) -> String {
    for _ in 0..6 {
        let before = s.len();
        let kept = s
            .trim_end_matches(['.', ',', ';', ':', '/', '-', '–', ' ', '\'', '"'])
            .len();
        s.truncate(kept);
        if s.ends_with(')') {
            if let Some(open) = s.rfind('(') {
                if open > 0 {
                    s.truncate(open);
                }
            }
        }
        s = strip_co_lien_quan(s);
        if s.len() == before {
            break;
        }
    }
    s
}

/// Drops a trailing "có liên quan" (OCR "c6 lién quan", "cd lién quan") if words remain.
pub(super) fn strip_co_lien_quan(s: String) -> String {
    let mut parts = s.rsplitn(4, ' ');
    let (Some(quan), Some(lien), Some(co), Some(head)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return s;
    };
    let co = fold(co);
    if co.starts_with('c') && co.len() <= 3 && fold(lien) == "lien" && fold(quan) == "quan" {
        return head.to_string();
    }
    s
}

/// Removes the head's title from the written words ("Chánh Văn phòng UBND tỉnh" → "Văn phòng
/// UBND tỉnh"), using the same rules as the match key.
pub(super) fn strip_title_words(s: &str) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let refs: Vec<&str> = folded.iter().map(String::as_str).collect();
    let skip = leading_noise(&refs, false);
    words.get(skip..).unwrap_or(&[]).join(" ")
}

/// Upper-cases the first letter ("các sở, ban, ngành" → "Các sở, ban, ngành").
pub(super) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
