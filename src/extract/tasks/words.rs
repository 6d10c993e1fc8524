//! Text helpers of task extraction: white space, enumeration labels ("1.", "a)", "II."),
//! heading titles and word ranges.

/// Collapses white space (including line breaks) to single spaces and trims.
pub(super) fn clean(s: &str) -> String {
    // By bytes, splitting where `split_whitespace` would: every paragraph and cell passes
    // here, often more than once, so most bytes are passed over with one table lookup.
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && !(MAY_BE_SPACE[usize::from(bytes[i])] && space_len(bytes, i) > 0) {
            i += 1;
        }
        if i > start {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&s[start..i]);
        }
        i += space_len(bytes, i).max(1);
    }
    out
}

/// The bytes that can start a white-space character: ASCII's, and the lead bytes of U+0085,
/// U+00A0 (0xC2), U+1680 (0xE1), U+2000–U+205F (0xE2) and U+3000 (0xE3).
static MAY_BE_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0x09;
    while b <= 0x0d {
        t[b] = true;
        b += 1;
    }
    t[b' ' as usize] = true;
    t[0xc2] = true;
    t[0xe1] = true;
    t[0xe2] = true;
    t[0xe3] = true;
    t
};

/// The length of the white-space character (as `char::is_whitespace` has it) at byte `i`, or 0.
fn space_len(bytes: &[u8], i: usize) -> usize {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    let yes = match at(0) {
        0x09..=0x0d | b' ' => return 1,
        0xc2 => return if matches!(at(1), 0x85 | 0xa0) { 2 } else { 0 },
        0xe1 => at(1) == 0x9a && at(2) == 0x80,
        0xe2 => match at(1) {
            0x80 => matches!(at(2), 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf),
            0x81 => at(2) == 0x9f,
            _ => false,
        },
        0xe3 => at(1) == 0x80 && at(2) == 0x80,
        _ => false,
    };
    if yes {
        3
    } else {
        0
    }
}

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

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn clean_splits_as_split_whitespace_does() {
        let texts = [
            "",
            "   ",
            "Sở  Nội vụ",
            "\tSở\nNội\r\nvụ ",
            "a\u{a0}b\u{85}c\u{1680}d\u{2003}e\u{2028}f\u{202f}g\u{205f}h\u{3000}i",
            // Lead bytes of those, in characters that are not white space.
            "Â ế ‐ \u{2060} 、 ạ\u{1c}x\u{b}y\u{c}z",
            "Kế hoạch   số 272/KH-UBND\n\n",
        ];
        // Every character whose first byte could start white space, each between letters.
        let mut all = String::new();
        for c in (0x80u32..0x3100).filter_map(char::from_u32) {
            all.push('x');
            all.push(c);
        }
        for c in (0u32..0x80).filter_map(char::from_u32) {
            all.push('y');
            all.push(c);
        }
        let texts: Vec<&str> = texts.into_iter().chain([all.as_str()]).collect();
        for s in texts {
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(clean(s), want, "{s:?}");
        }
    }
}
