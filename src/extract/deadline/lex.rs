//! Lexing: cuts a normalised deadline text into tokens (folded words, numbers, date
//! separators, clause breaks) and splits them into clauses; small readers over a token slice.
//! Takes the NFC text; returns tokens with byte ranges into it.

use std::ops::Range;

use crate::text::fold;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Tok {
    /// A folded word: lower-case ASCII, no diacritics.
    Word(String),
    /// A run of digits; `value` is `None` when it does not fit (hostile input).
    Num {
        value: Option<u32>,
        len: usize,
    },
    Slash,
    /// `.` or `,` between two digits ("15.3.2024").
    Dot,
    /// Any dash or tilde: a range connector, or a date separator in "01-3-2024".
    Dash,
    /// `; . : ( ) [ ] ! ?` elsewhere: ends a clause.
    Break,
    /// `,` elsewhere: ends a clause, but the next may continue a list ("Quý I, II/2019").
    Comma,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) tok: Tok,
    /// Byte range in the normalised text (always on char boundaries).
    pub(super) start: usize,
    pub(super) end: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Punct {
    Slash,
    Dash,
    Dot,
    Break,
}

pub(super) fn punct(c: char) -> Option<Punct> {
    match c {
        '/' | '\\' => Some(Punct::Slash),
        '-' | '‐' | '‑' | '‒' | '–' | '—' | '−' | '~' => Some(Punct::Dash),
        '.' | ',' => Some(Punct::Dot),
        ';' | ':' | '(' | ')' | '[' | ']' | '!' | '?' | '…' => Some(Punct::Break),
        _ => None,
    }
}

pub(super) fn tokenize(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word_start: Option<usize> = None;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let kind = punct(c);
        if kind.is_none() && !c.is_whitespace() {
            word_start.get_or_insert(i);
            continue;
        }
        let digits_before = word_start
            .and_then(|w| s.get(w..i))
            .is_some_and(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()));
        flush_word(s, &mut word_start, i, &mut out);
        let digit_after = chars.peek().is_some_and(|&(_, n)| n.is_ascii_digit());
        let tok = match kind {
            None => continue,
            Some(Punct::Slash) => Tok::Slash,
            Some(Punct::Dash) => Tok::Dash,
            Some(Punct::Dot) if digits_before && digit_after => Tok::Dot,
            Some(Punct::Dot) if c == ',' => Tok::Comma,
            Some(Punct::Dot | Punct::Break) => Tok::Break,
        };
        out.push(Token {
            tok,
            start: i,
            end: i + c.len_utf8(),
        });
    }
    flush_word(s, &mut word_start, s.len(), &mut out);
    out
}

/// Folds the pending word `s[start..end]` and pushes its pieces (fold may split it, e.g. "S&N").
pub(super) fn flush_word(s: &str, start: &mut Option<usize>, end: usize, out: &mut Vec<Token>) {
    let Some(begin) = start.take() else { return };
    let Some(raw) = s.get(begin..end) else { return };
    for piece in fold(raw).split(' ').filter(|p| !p.is_empty()) {
        let tok = if piece.bytes().all(|b| b.is_ascii_digit()) {
            // More than 9 digits cannot be a day, month, quarter or year; keep it unreadable.
            let value = if piece.len() <= 9 {
                piece.parse().ok()
            } else {
                None
            };
            Tok::Num {
                value,
                len: piece.len(),
            }
        } else {
            Tok::Word(piece.to_string())
        };
        out.push(Token {
            tok,
            start: begin,
            end,
        });
    }
}

/// Token ranges of the clauses, each with whether a comma (not `;` or `.`) came right before it.
pub(super) fn split_clauses(tokens: &[Token]) -> Vec<(Range<usize>, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut after_comma = false;
    for (i, t) in tokens.iter().enumerate() {
        if matches!(t.tok, Tok::Break | Tok::Comma) {
            if i > start {
                out.push((start..i, after_comma));
            }
            // Only a comma that directly follows a clause continues its list.
            after_comma = t.tok == Tok::Comma && i > start;
            start = i + 1;
        }
    }
    if tokens.len() > start {
        out.push((start..tokens.len(), after_comma));
    }
    out
}

// Small readers over a clause's tokens; `None` past the end, never a panic.

pub(super) fn tok(c: &[Token], i: usize) -> Option<&Tok> {
    c.get(i).map(|t| &t.tok)
}

pub(super) fn word(c: &[Token], i: usize) -> Option<&str> {
    match tok(c, i) {
        Some(Tok::Word(w)) => Some(w.as_str()),
        _ => None,
    }
}

/// The number at `i` as (value, digit count); an oversized number has value `u32::MAX`.
pub(super) fn num(c: &[Token], i: usize) -> Option<(u32, usize)> {
    match tok(c, i) {
        Some(Tok::Num { value, len }) => Some((value.unwrap_or(u32::MAX), *len)),
        _ => None,
    }
}

pub(super) fn is_date_sep(c: &[Token], i: usize) -> bool {
    matches!(tok(c, i), Some(Tok::Slash | Tok::Dot))
}

pub(super) fn word_in(c: &[Token], i: usize, set: &[&str]) -> bool {
    word(c, i).is_some_and(|w| set.contains(&w))
}

// OCR'd scans lose diacritics and misread letters; these are the spellings seen in the seeds.
pub(super) const YEAR_WORDS: &[&str] = &["nam", "nim", "ndm", "niam", "ndam", "nem", "narn"];
pub(super) const MONTH_WORDS: &[&str] = &["thang", "thing", "thdng", "thdang"];
pub(super) const DAY_WORDS: &[&str] = &["ngay", "ngdy", "ngiy"];
pub(super) const QUARTER_WORDS: &[&str] = &["quy", "qui"];
pub(super) const FIRST_WORDS: &[&str] = &["dau", "diu"];
pub(super) const LAST_WORDS: &[&str] = &["cuoi", "cudi", "cubi"];
/// Words before a bare "năm" that make it mean "the (plan) year": "trong năm", "cả năm".
pub(super) const WHOLE_YEAR_LEAD: &[&str] = &["trong", "ca", "cuoi", "cudi", "cubi", "het", "suot"];
/// "đến", "tới" (OCR "pen" for "Đến").
pub(super) const RANGE_WORDS: &[&str] = &["den", "toi", "pen"];
/// Words that may sit between two atoms of a range without breaking it.
pub(super) const NEUTRAL_WORDS: &[&str] =
    &["het", "cuoi", "cudi", "cubi", "tu", "tir", "truoc", "ngay"];
