//! Text helpers shared by every stage: NFC normalisation, diacritic folding for matching and
//! search, and URL slugs.
//!
//! Vietnamese needs care here: `đ`/`Đ` has no Unicode decomposition, so "strip combining marks
//! after NFD" leaves it in place. `deunicode` maps it to `d` and every tone-marked vowel to its
//! base letter, which is exactly the folding readers expect ("dong nai" finds "Đồng Nai").

use deunicode::deunicode_char;
use unicode_normalization::UnicodeNormalization;

/// Returns `s` in Unicode Normalization Form C (composed), the form every page is written in.
pub fn nfc(s: &str) -> String {
    // Content is normalised on load, so text is nearly always NFC already: the check skips
    // the decompose/recompose pass that showed up in build profiles.
    if is_nfc(s) {
        return s.to_string();
    }
    s.nfc().collect()
}

/// Whether `s` is in NFC, as [`unicode_normalization::is_nfc`] says, but fast on the text
/// cchc reads. ASCII is skipped a byte at a time; any other character below
/// `PLAIN_BELOW` (every Vietnamese letter, dashes, quotes) is looked up in a table of the
/// starters NFC allows as they are, made once from the crate's own data. Text of only such
/// characters is NFC; a character outside the table sends the whole text to the crate's
/// check. The crate's check alone took ~5% of the CPU of a rebuild at 10,000 documents.
pub fn is_nfc(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            i += 1;
            continue;
        }
        match s.get(i..).and_then(|rest| rest.chars().next()) {
            Some(c) if plain_starter(c) => i += c.len_utf8(),
            _ => return unicode_normalization::is_nfc(s),
        }
    }
    true
}

/// The characters [`is_nfc`] looks up in its table end here.
const PLAIN_BELOW: u32 = 0x3000;

/// Whether `c` is below [`PLAIN_BELOW`], a starter (combining class 0) and allowed by NFC's
/// quick check as it is: text of such characters and ASCII is NFC.
fn plain_starter(c: char) -> bool {
    use unicode_normalization::{char::canonical_combining_class, is_nfc_quick, IsNormalized};
    static TABLE: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut bits = vec![0u64; PLAIN_BELOW.div_ceil(64) as usize];
        for c in (0x80..PLAIN_BELOW).filter_map(char::from_u32) {
            let allowed = is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes;
            if canonical_combining_class(c) == 0 && allowed {
                bits[(c as u32 / 64) as usize] |= 1 << (c as u32 % 64);
            }
        }
        bits
    });
    let cp = c as u32;
    cp < PLAIN_BELOW && table[(cp / 64) as usize] >> (cp % 64) & 1 == 1
}

/// Folds one character to lower-case ASCII letters/digits, or `None` for anything else
/// (punctuation, spaces, symbols), which callers treat as a word break.
fn fold_char(c: char) -> Option<char> {
    if c.is_ascii_alphanumeric() {
        return Some(c.to_ascii_lowercase());
    }
    if c.is_ascii() {
        return None;
    }
    latin_folded(c).unwrap_or_else(|| deunicode_fold(c))
}

/// What [`deunicode_fold`] makes of `c` when `c` is a Latin letter with diacritics (U+0080 to
/// U+024F or U+1E00 to U+1EFF, where every Vietnamese letter lies), from a table made once;
/// `None` for other characters. Every search entry and unit name is folded, and deunicode's
/// own lookup per character showed in build profiles.
fn latin_folded(c: char) -> Option<Option<char>> {
    const LOW: std::ops::Range<u32> = 0x80..0x250;
    const HIGH: std::ops::Range<u32> = 0x1E00..0x1F00;
    static TABLE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        // One byte per character: the ASCII letter or digit it folds to, 0 for a break.
        LOW.chain(HIGH)
            .map(|cp| {
                char::from_u32(cp)
                    .and_then(deunicode_fold)
                    .map_or(0, |f| f as u8)
            })
            .collect()
    });
    let cp = c as u32;
    let index = if LOW.contains(&cp) {
        cp - LOW.start
    } else if HIGH.contains(&cp) {
        cp - HIGH.start + LOW.len() as u32
    } else {
        return None;
    };
    let folded = *table.get(index as usize)?;
    Some((folded != 0).then_some(folded as char))
}

/// Folds a non-ASCII character with deunicode, which gives one ASCII string per character
/// (for a Vietnamese letter, one letter): its first letter or digit, lower-cased.
fn deunicode_fold(c: char) -> Option<char> {
    let mapped = deunicode_char(c)?;
    let mut chars = mapped.chars().filter(|m| m.is_ascii_alphanumeric());
    let first = chars.next()?;
    Some(first.to_ascii_lowercase())
}

/// [`char::is_alphanumeric`], answered for ASCII and the Latin letters with diacritics (every
/// Vietnamese letter) without the general Unicode tables, which extraction and the search
/// tokenizer otherwise search for every non-ASCII character of every line.
pub fn is_alphanumeric(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        // Latin-1 Supplement's letters (not × and ÷), Latin Extended-A and -B.
        '\u{C0}'..='\u{24F}' => c != '\u{D7}' && c != '\u{F7}',
        // Latin Extended Additional: ạ, ả, ấ… ỹ.
        '\u{1E00}'..='\u{1EFF}' => true,
        _ => c.is_alphanumeric(),
    }
}

/// Combining diacritics (as in NFD text) belong to the letter before them: skipped, not a break.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// Folds text for matching: lower case, no diacritics (đ → d), every run of non-alphanumeric
/// characters collapsed to one space, no leading or trailing space.
///
/// `fold("Sở  Nội-vụ!") == "so noi vu"`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_until(s, &mut out, usize::MAX);
    out
}

/// Whether `fold(s)` starts with `prefix`, folding only as much of `s` as that takes: long
/// paragraphs are asked how they begin.
pub fn fold_starts_with(s: &str, prefix: &str) -> bool {
    let mut out = String::with_capacity(prefix.len() + 4);
    fold_until(s, &mut out, prefix.len());
    out.starts_with(prefix)
}

/// Appends [`fold`]`(s)` to the empty `out`, stopping once it holds `limit` bytes or more
/// (folding only appends, so what it holds by then is already the start of the whole).
fn fold_until(s: &str, out: &mut String, limit: usize) {
    let mut pending_space = false;
    for c in s.chars() {
        if out.len() >= limit {
            return;
        }
        match fold_char(c) {
            Some(f) => {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(f);
            }
            None if is_combining_mark(c) => {}
            None => pending_space = true,
        }
    }
}

/// Collapses white space (line breaks included) to single spaces and trims: what
/// `s.split_whitespace()` joined by one space gives.
///
/// By bytes: every paragraph and table cell passes here during extraction, often more than
/// once, so a byte that cannot start white space is passed over with one table lookup, and
/// only the lead bytes of white space beyond ASCII are looked at further.
pub fn collapse_spaces(s: &str) -> String {
    let bytes = s.as_bytes();
    // Most text passes here more than once (a paragraph, then its head, then its unit line)
    // and is collapsed already after the first: copied whole, not word by word.
    if is_collapsed(bytes) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut push_word = |word: &str| {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    };
    let (mut i, mut word_start) = (0, 0);
    while i < bytes.len() {
        let space = if MAY_START_SPACE[usize::from(bytes[i])] {
            space_len(bytes, i)
        } else {
            0
        };
        if space == 0 {
            i += 1;
            continue;
        }
        // White space starts and ends on character boundaries, so both cuts are valid.
        push_word(&s[word_start..i]);
        i += space;
        word_start = i;
    }
    push_word(&s[word_start..]);
    out
}

/// True when `bytes` are what [`collapse_spaces`] gives already: no white space at either
/// end, and none between words but one ASCII space.
fn is_collapsed(bytes: &[u8]) -> bool {
    // True at the start, so a leading space fails as a doubled one would.
    let mut after_space = true;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if MAY_START_SPACE[usize::from(b)] && space_len(bytes, i) > 0 {
            return false;
        } else {
            after_space = false;
        }
    }
    !after_space || bytes.is_empty()
}

/// The bytes that can start a white-space character: ASCII's, and the lead bytes of U+0085
/// and U+00A0 (0xC2), U+1680 (0xE1), U+2000–U+205F (0xE2) and U+3000 (0xE3).
static MAY_START_SPACE: [bool; 256] = {
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

/// The length in bytes of the white-space character (as `char::is_whitespace` has it) that
/// starts at byte `i`, or 0 when none does. Inlined: its callers ask at every lead byte
/// 0xE1, which most Vietnamese letters with two marks (ạ … ỹ) start with.
#[inline(always)]
fn space_len(bytes: &[u8], i: usize) -> usize {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match (at(0), at(1), at(2)) {
        (0x09..=0x0d | b' ', _, _) => 1,
        (0xc2, 0x85 | 0xa0, _) => 2,
        (0xe1, 0x9a, 0x80)
        | (0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf)
        | (0xe2, 0x81, 0x9f)
        | (0xe3, 0x80, 0x80) => 3,
        _ => 0,
    }
}

/// Lower-cases text while keeping its diacritics, and collapses white space; used where an
/// exact (accented) match should rank above a folded one.
pub fn lower_words(s: &str) -> String {
    let lowered: String = s.nfc().flat_map(char::to_lowercase).collect();
    collapse_spaces(&lowered)
}

/// Longest slug we produce, in bytes; longer titles are cut at a word boundary.
const MAX_SLUG: usize = 80;

/// Makes a URL slug: ASCII lower case, words joined by `-`, no diacritics (đ → d).
///
/// Never returns an empty string: text with no letters or digits becomes `"x"`.
pub fn slugify(s: &str) -> String {
    let folded = fold(s);
    let mut slug = String::with_capacity(folded.len());
    for word in folded.split(' ') {
        if !slug.is_empty() && slug.len() + 1 + word.len() > MAX_SLUG {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    if slug.len() > MAX_SLUG {
        slug.truncate(MAX_SLUG);
    }
    if slug.is_empty() {
        slug.push('x');
    }
    slug
}

/// True when `s` is usable as one path segment of ours: ASCII lower-case letters, digits and
/// `-`, not empty. Slugs written by users are checked with this so none can escape `--out`.
pub fn is_safe_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 120
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Appends `s` to `out` escaped for HTML text and double- or single-quoted attribute values.
pub fn escape_html_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'"' => "&quot;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// `s` escaped for HTML text and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_html_into(&mut out, s);
    out
}

/// Decodes `%xx` escapes; the flag is false when an escape was malformed (kept as written).
fn percent_decode_bytes(s: &str) -> (Vec<u8>, bool) {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut well_formed = true;
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' {
            let pair = bytes
                .get(i + 1)
                .and_then(|&h| hex(h))
                .zip(bytes.get(i + 2).and_then(|&l| hex(l)));
            if let Some((h, l)) = pair {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            well_formed = false;
        }
        out.push(bytes[i]);
        i += 1;
    }
    (out, well_formed)
}

/// Decodes `%xx` escapes leniently, for links written by authors: a malformed escape stays
/// as written and bytes that are not UTF-8 become U+FFFD.
pub fn percent_decode_lossy(s: &str) -> String {
    String::from_utf8_lossy(&percent_decode_bytes(s).0).into_owned()
}

/// Decodes `%xx` escapes strictly, for request URLs: `None` on a malformed escape or on a
/// result that is not UTF-8.
pub fn percent_decode_strict(s: &str) -> Option<String> {
    let (bytes, well_formed) = percent_decode_bytes(s);
    well_formed.then_some(())?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_nfc_agrees_with_the_crate_around_every_tabled_character() {
        // Each character alone, after a letter, before and after a combining mark, and
        // beside a character past the table (Hangul, which composes from jamo).
        let marks = ['\u{0301}', '\u{0323}', '\u{0345}'];
        for c in (0..PLAIN_BELOW + 0x100).filter_map(char::from_u32) {
            let mut texts = vec![c.to_string(), format!("a{c}"), format!("{c}\u{AC00}")];
            for m in marks {
                texts.extend([format!("{c}{m}"), format!("{m}{c}"), format!("e{m}{c}{m}")]);
            }
            for t in &texts {
                assert_eq!(is_nfc(t), unicode_normalization::is_nfc(t), "{t:?}");
            }
        }
        assert!(is_nfc("Sở Lao động – Thương binh và Xã hội “Đồng Nai”…"));
        assert!(!is_nfc("Ho\u{0300}a"), "a decomposed letter");
        assert!(!is_nfc("\u{1100}\u{1161}"), "Hangul jamo that compose");
    }

    #[test]
    fn is_alphanumeric_agrees_with_std() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn latin_table_folds_as_deunicode_does() {
        for c in (0x80..0x2000).filter_map(char::from_u32) {
            if let Some(tabled) = latin_folded(c) {
                assert_eq!(tabled, deunicode_fold(c), "{c:?}");
            }
        }
        assert_eq!(latin_folded('ệ'), Some(Some('e')));
        assert_eq!(latin_folded('Đ'), Some(Some('d')));
        assert_eq!(latin_folded('«'), Some(None), "a quotation mark is a break");
        assert_eq!(latin_folded('α'), None, "Greek is left to deunicode");
    }

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Cải cách hành chính"), "cai cach hanh chinh");
        assert_eq!(fold("ĐỒNG NAI"), "dong nai");
        assert_eq!(fold("  Sở  Nội-vụ! "), "so noi vu");
        assert_eq!(fold("Quý IV/2025"), "quy iv 2025");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn collapse_spaces_splits_as_split_whitespace_does() {
        let texts = [
            "",
            "   ",
            "Sở  Nội vụ",
            "\tSở\nNội\r\nvụ ",
            "a\u{a0}b\u{85}c\u{1680}d\u{2003}e\u{2028}f\u{202f}g\u{205f}h\u{3000}i",
            // Lead bytes of those, in characters that are not white space.
            "Â ế ‐ \u{2060} 、 ạ\u{1c}x\u{b}y\u{c}z",
            "Kế hoạch   số 272/KH-UBND\n\n",
            // Collapsed already, or nearly: one flaw each.
            "Kế hoạch số 272/KH-UBND",
            " Kế hoạch",
            "Kế hoạch ",
            "Kế  hoạch",
            "Kế\thoạch",
            "Kế\u{a0}hoạch",
            "x",
            " ",
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
        for s in texts.into_iter().chain([all.as_str()]) {
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_spaces(s), want, "{s:?}");
        }
    }

    #[test]
    fn fold_starts_with_agrees_with_folding_the_whole() {
        let texts = [
            "Trên đây là Kế hoạch …/.",
            "  — Trên   đây là",
            "Trên đây",
            "Về việc",
            "Về",
            "về, việc",
            "",
            "...",
            "TRÊN ĐÂY LÀ",
        ];
        for s in texts {
            for prefix in ["tren day la", "ve ", "ve", "", "x"] {
                assert_eq!(
                    fold_starts_with(s, prefix),
                    fold(s).starts_with(prefix),
                    "{s:?} / {prefix:?}"
                );
            }
        }
    }

    #[test]
    fn fold_is_same_for_nfc_and_nfd() {
        let composed = "Thông báo kết luận";
        let decomposed: String = composed.nfd().collect();
        assert_eq!(fold(composed), fold(&decomposed));
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("272/KH-UBND"), "272-kh-ubnd");
        assert_eq!(slugify("19/NQ-HĐND"), "19-nq-hdnd");
        assert_eq!(
            slugify("Sở Thông tin và Truyền thông"),
            "so-thong-tin-va-truyen-thong"
        );
        assert_eq!(slugify("!!!"), "x");
        assert!(slugify(&"dài ".repeat(100)).len() <= MAX_SLUG);
        assert!(is_safe_slug("so-noi-vu"));
        assert!(!is_safe_slug("../etc"));
        assert!(!is_safe_slug("a/b"));
    }
}
