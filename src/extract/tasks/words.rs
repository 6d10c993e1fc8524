//! Text helpers of task extraction: white space, enumeration labels ("1.", "a)", "II."),
//! heading titles and word ranges.

/// Collapses white space (including line breaks) to single spaces and trims.
pub(super) use crate::text::collapse_spaces as clean;

/// `Some(clean(s))` unless that is empty.
pub(super) fn non_empty(s: &str) -> Option<String> {
    let c = clean(s);
    (!c.is_empty()).then_some(c)
}

/// How an enumeration label is written; a unit line's scope ends at the next line numbered
/// the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NumStyle {
    Roman,
    Digit,
    Letter,
}

/// Splits a leading enumeration label ("1.", "1.2.", "3)", "a)", "đ)", "(b)", "II.") from
/// `text`, returning the label as written, its style and the rest (trimmed).
pub(super) fn split_enum(text: &str) -> Option<(&str, NumStyle, &str)> {
    let t = text.trim_start();
    let (word, rest) = match t.split_once(char::is_whitespace) {
        Some((w, r)) => (w, r.trim_start()),
        None => (t, ""),
    };
    let style = enum_style(word)?;
    Some((word, style, rest))
}

pub(super) fn enum_style(word: &str) -> Option<NumStyle> {
    let inner = word.strip_prefix('(').unwrap_or(word);
    let (body, delim) = match inner.char_indices().last() {
        Some((i, c @ ('.' | ')'))) => (inner.get(..i)?, c),
        _ => return None,
    };
    if body.is_empty() || body.len() > 12 {
        return None;
    }
    let mut chars = body.chars();
    let first = chars.next()?;
    if body.bytes().all(|b| b.is_ascii_digit() || b == b'.') && first.is_ascii_digit() {
        return Some(NumStyle::Digit);
    }
    if delim == '.' && body.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L')) {
        return Some(NumStyle::Roman);
    }
    if chars.next().is_none() && first.is_alphabetic() {
        return Some(NumStyle::Letter);
    }
    None
}

/// Titles longer than this (bytes) are cut: every task under a heading copies its title.
pub(super) const MAX_TITLE: usize = 400;

/// Removes a leading enumeration label and trailing ":" from a title (cut to [`MAX_TITLE`]).
pub(super) fn strip_title(text: &str) -> String {
    let joined = clean(text);
    let rest = match split_enum(&joined) {
        Some((_, _, rest)) => rest,
        None => joined.as_str(),
    };
    let mut title = clean(rest.trim_end_matches([':', ' ']));
    if title.len() > MAX_TITLE {
        let cut = (0..=MAX_TITLE)
            .rev()
            .find(|i| title.is_char_boundary(*i))
            .unwrap_or(0);
        title.truncate(cut);
        title.push('…');
    }
    title
}

/// Byte ranges of the words (letter/digit runs) of `s`; combining marks stay in their word.
pub(super) fn word_ranges(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let in_word = crate::text::is_alphanumeric(c) || ('\u{300}'..='\u{36f}').contains(&c);
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push((st, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}
