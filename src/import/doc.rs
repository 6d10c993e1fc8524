//! The reader-neutral shape of an imported document: paragraphs and tables in reading order.
//!
//! Every reader (`docx`, `html`, `text`) returns a [`Doc`]; `header` reads the front matter
//! from it and `emit` writes it as content-format Markdown. Paragraph text is inline Markdown
//! (`**bold**`, `*italic*`) with list numbering already spelled out ("1.", "a)", "- ").

use crate::text::collapse_spaces;

/// One block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Para(Para),
    Table(Table),
}

/// A paragraph: inline Markdown text, and its heading level when the source marked one.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Para {
    pub text: String,
    /// 1–6 when the source styled the paragraph as a heading (Word "Heading 2", `<h2>`).
    pub heading: Option<u8>,
}

impl Para {
    pub fn new(text: impl Into<String>) -> Para {
        Para {
            text: text.into(),
            heading: None,
        }
    }
}

/// A table: rows of cells, spans already resolved to the grid.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub rows: Vec<Vec<Cell>>,
}

/// One cell: its paragraphs (kept apart, rendered with `<br>`), and how many grid columns it
/// covers. A cell continuing a vertical merge carries the merged cell's text again, so every
/// row reads whole (a lead unit merged over three tasks is the lead of each).
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub paras: Vec<String>,
    pub colspan: usize,
}

impl Cell {
    pub fn new(paras: Vec<String>) -> Cell {
        Cell { paras, colspan: 1 }
    }

    /// The cell's text on one line (paragraphs joined by a space), markup kept.
    pub fn text(&self) -> String {
        self.paras.join(" ")
    }
}

impl Table {
    /// Every paragraph of the table, row by row.
    pub fn paras(&self) -> impl Iterator<Item = &String> {
        self.rows
            .iter()
            .flat_map(|r| r.iter().flat_map(|c| c.paras.iter()))
    }

    /// Width of the grid (widest row, spans counted).
    pub fn width(&self) -> usize {
        self.rows
            .iter()
            .map(|r| r.iter().map(|c| c.colspan.max(1)).sum::<usize>())
            .max()
            .unwrap_or(0)
    }
}

/// A whole document as read, plus what the reader noticed on the way.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub blocks: Vec<Block>,
    /// Notes for the report ("converted from TCVN3 (font .VnTime)").
    pub notes: Vec<String>,
    /// Footnotes, in order, as inline Markdown (`[^n]` references are in the text).
    pub footnotes: Vec<(String, String)>,
}

/// Removes `*` emphasis markers and collapses white space: the plain text of inline Markdown.
pub fn plain(s: &str) -> String {
    let no_marks: String = s.chars().filter(|c| *c != '*' && *c != '_').collect();
    collapse_spaces(&no_marks)
}

/// Moves white space out of emphasis spans and drops empty ones, so text broken across lines
/// (`**Điều 1. **Phê`, `** THƯ VIỆN**`) reads as CommonMark emphasis (`**Điều 1.** Phê`).
/// Delimiter runs of the same length pair up in order; an unpaired run is left as written.
pub fn fix_emphasis(s: &str) -> String {
    // "****" is an empty bold span (two runs that met when lines were joined): drop it.
    let owned = s.replace("****", "");
    let s = owned.as_str();
    // Runs of '*' as (start, len).
    let bytes = s.as_bytes();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'*' {
            let start = i;
            while i < bytes.len() && bytes[i] == b'*' {
                i += 1;
            }
            runs.push((start, i - start));
        } else {
            i += 1;
        }
    }
    // Pair runs of equal length (1, 2 or 3) in order.
    let mut pairs = Vec::new();
    for len in 1..=3 {
        let same: Vec<usize> = runs.iter().filter(|r| r.1 == len).map(|r| r.0).collect();
        for p in same.chunks(2) {
            if let [a, b] = p {
                pairs.push((*a, *b, len));
            }
        }
    }
    if pairs.is_empty() {
        return s.to_string();
    }
    pairs.sort_unstable();
    let mut out = String::with_capacity(s.len() + 8);
    let mut pos = 0;
    for (open, close, len) in pairs {
        if open < pos {
            continue; // overlaps an earlier span: leave as written
        }
        out.push_str(&s[pos..open]);
        let inner = &s[open + len..close];
        let marks = &s[open..open + len];
        let trimmed = inner.trim();
        if trimmed.is_empty() {
            out.push_str(inner);
        } else {
            if inner.starts_with(char::is_whitespace) {
                out.push(' ');
            }
            out.push_str(marks);
            out.push_str(trimmed);
            out.push_str(marks);
            if inner.ends_with(char::is_whitespace) {
                out.push(' ');
            }
        }
        pos = close + len;
    }
    out.push_str(&s[pos..]);
    collapse_spaces(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_spaces_move_out() {
        assert_eq!(
            fix_emphasis("**Điều 1. **Phê duyệt"),
            "**Điều 1.** Phê duyệt"
        );
        assert_eq!(
            fix_emphasis("của ** THƯ VIỆN**. Mọi"),
            "của **THƯ VIỆN**. Mọi"
        );
        assert_eq!(fix_emphasis("*Căn cứ Luật; *"), "*Căn cứ Luật;*");
        assert_eq!(fix_emphasis("** **x"), "x");
        assert_eq!(fix_emphasis("a * b"), "a * b");
        assert_eq!(
            fix_emphasis("**2. Các sở, địa phương****: **Là các đơn vị"),
            "**2. Các sở, địa phương:** Là các đơn vị"
        );
    }

    #[test]
    fn plain_drops_marks() {
        assert_eq!(plain("**I. MỤC  ĐÍCH**"), "I. MỤC ĐÍCH");
    }
}
