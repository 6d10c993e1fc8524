//! Copied text (`.txt`, `.md`) → [`Doc`], including the layout a web crawler leaves when it
//! copies a legal library's page (the `realdocs/` corpus):
//!
//! - tables arrive one cell per line group, cells separated by lines holding only `|`, rows
//!   separated by two such lines (`|` `|`); an empty cell is one more `|` line;
//! - the document header (issuer | motto, number | place and date) is such a table, preceded by
//!   the site's own banner and metadata table, which are dropped;
//! - lines are wrapped mid-sentence and bold markers split across lines.
//!
//! Paragraphs are rebuilt from wrapped lines (a new one starts after a sentence end, at a list
//! marker or at an emphasis span that starts a line); tables are rebuilt row by row with the
//! header row's width deciding whether a doubled `|` is an empty cell or a row break.

use super::doc::{fix_emphasis, plain, Block, Cell, Doc, Para, Table};
use crate::text::{fold, fold_starts_with};

/// A line of the input, classified.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Pipe,
    Blank,
    Line(String),
}

/// Reads copied text.
pub fn read(text: &str) -> Doc {
    let mut lines: Vec<&str> = text.lines().collect();
    // The crawler's first line names where the copy came from.
    if lines.first().is_some_and(|l| l.starts_with("SOURCE: ")) {
        lines.remove(0);
    }
    let start = document_start(&lines);
    let end = document_end(&lines, start);
    let toks: Vec<Tok> = lines[start..end]
        .iter()
        .filter_map(|l| {
            let t = l.trim();
            Some(if t == "|" {
                Tok::Pipe
            } else if t.is_empty() {
                Tok::Blank
            } else if is_decoration(t) {
                return None;
            } else if let Some(heading) = t.strip_prefix("# ").or_else(|| t.strip_prefix("## ")) {
                // The crawler's Markdown heading for a bold title line ("# QUYẾT ĐỊNH").
                Tok::Line(format!("**{}**", heading.trim()))
            } else {
                Tok::Line(t.to_string())
            })
        })
        .collect();
    let blocks = parse(&toks);
    Doc {
        blocks,
        ..Doc::default()
    }
}

/// Lines that only draw (`-------`, `___`, `#`): dropped, they would become Markdown rules.
fn is_decoration(t: &str) -> bool {
    t == "#"
        || (t.len() >= 3
            && t.chars()
                .all(|c| matches!(c, '-' | '_' | '=' | '*' | '.' | '…')))
}

/// Index of the first line of the document proper: the `|` opening the header table whose
/// second cell is the national motto. Everything before it (the site's banner, its metadata
/// table) is the page, not the document. Without a motto the whole text is kept.
fn document_start(lines: &[&str]) -> usize {
    // The motto is in capitals and may be broken across two lines ("**CỘNG" / "HÒA XÃ HỘI…");
    // "nước Cộng hòa xã hội chủ nghĩa Việt Nam" in a "Căn cứ" paragraph is not it.
    let Some(motto) = (0..lines.len()).find(|&i| {
        let two = format!("{} {}", lines[i], lines.get(i + 1).unwrap_or(&""));
        lines[i].contains("CỘNG") && fold(&two).contains("cong hoa xa hoi")
    }) else {
        return 0;
    };
    // The motto cell opens at the `|` line before it; the issuer cell before that `|`.
    let Some(pipe) = (0..motto).rev().find(|&i| lines[i].trim() == "|") else {
        return 0;
    };
    (0..pipe)
        .rev()
        .find(|&i| lines[i].trim() == "|")
        .unwrap_or(0)
}

/// Index after the document's last line: the library page's trailer ("## Văn bản liên quan",
/// preceded by the page title and "Văn bản này chưa cập nhật nội dung Tiếng Anh") is the site's.
fn document_end(lines: &[&str], start: usize) -> usize {
    let Some(related) = (start..lines.len()).find(|&i| lines[i].trim() == "## Văn bản liên quan")
    else {
        return lines.len();
    };
    let note = (related.saturating_sub(3).max(start)..related)
        .find(|&i| lines[i].contains("chưa cập nhật nội dung Tiếng Anh"));
    match note {
        // The line before the note repeats the page's title.
        Some(n) => n.saturating_sub(1).max(start),
        None => related,
    }
}

fn parse(toks: &[Tok]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Line(l) => {
                lines.push(l.clone());
                i += 1;
            }
            Tok::Blank => {
                flush(&mut lines, &mut blocks);
                i += 1;
            }
            Tok::Pipe => {
                flush(&mut lines, &mut blocks);
                let (table, next) = parse_table(toks, i);
                if !table.rows.is_empty() {
                    blocks.push(Block::Table(table));
                }
                i = next.max(i + 1);
            }
        }
    }
    flush(&mut lines, &mut blocks);
    blocks
}

fn flush(lines: &mut Vec<String>, blocks: &mut Vec<Block>) {
    for p in join_lines(lines) {
        blocks.push(Block::Para(Para::new(p)));
    }
    lines.clear();
}

/// Parses the table whose first `|` is at `start`; returns it and the index after it.
fn parse_table(toks: &[Tok], start: usize) -> (Table, usize) {
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut width: Option<usize> = None;
    let mut j = start;
    // Skip the opening run of pipes (a row may open with empty cells; rare and harmless).
    while toks.get(j) == Some(&Tok::Pipe) {
        j += 1;
    }
    loop {
        let cell_start = j;
        while let Some(Tok::Line(_)) = toks.get(j) {
            j += 1;
        }
        if j > cell_start {
            let lines: Vec<String> = toks[cell_start..j]
                .iter()
                .filter_map(|t| match t {
                    Tok::Line(l) => Some(l.clone()),
                    _ => None,
                })
                .collect();
            row.push(Cell::new(join_lines(&lines)));
        }
        let run = toks[j..].iter().take_while(|t| **t == Tok::Pipe).count();
        let after = toks.get(j + run);
        let ends = !matches!(after, Some(Tok::Line(_)));
        if run == 0 || (run == 1 && ends) {
            break;
        }
        if run == 1 {
            // One `|` then text: the next cell, unless the row is complete (then the table
            // ended and the text is the body again).
            let complete = match width {
                Some(w) => row.len() >= w,
                None => is_signature_row(&row),
            };
            if complete {
                j += 1;
                break;
            }
            j += 1;
            continue;
        }
        // Two or more `|`: a row break; the extra ones are empty cells of this row (up to the
        // header's width), then of the next.
        let w = *width.get_or_insert(row.len().max(1));
        let mut extra = run - 2;
        while extra > 0 && row.len() < w {
            row.push(Cell::new(Vec::new()));
            extra -= 1;
        }
        rows.push(std::mem::take(&mut row));
        for _ in 0..extra {
            row.push(Cell::new(Vec::new()));
        }
        j += run;
        if ends {
            break;
        }
    }
    if !row.is_empty() {
        rows.push(row);
    }
    (Table { rows }, j)
}

/// "Nơi nhận | signature": a one-row layout table that ends after its second cell.
fn is_signature_row(row: &[Cell]) -> bool {
    row.len() >= 2
        && row
            .first()
            .and_then(|c| c.paras.first())
            .is_some_and(|p| fold_starts_with(&plain(p), "noi nhan"))
}

/// Rebuilds paragraphs from wrapped lines.
pub fn join_lines(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() || is_decoration(line) {
            continue;
        }
        if !cur.is_empty() && starts_paragraph(&cur, line) {
            out.push(fix_emphasis(&cur));
            cur.clear();
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(line);
    }
    if !cur.trim().is_empty() {
        out.push(fix_emphasis(&cur));
    }
    out.retain(|p| !plain(p).is_empty());
    out
}

/// Whether `line` opens a new paragraph after the text `cur` gathered so far.
fn starts_paragraph(cur: &str, line: &str) -> bool {
    // Open emphasis spans continue on the next line: count `**` runs and lone `*` apart.
    let bold = cur.matches("**").count();
    let single = cur.matches('*').count() - 2 * bold;
    let balanced = bold.is_multiple_of(2) && single.is_multiple_of(2);
    if !balanced {
        return false;
    }
    if is_list_marker(line) {
        return true;
    }
    let prev_plain = cur.trim_matches(['*', ' ', '_']);
    // "2." alone on its line: the item's text follows on the next line.
    if is_enumerator(prev_plain) {
        return false;
    }
    // "1. Sở Nội vụ" then "a) Tổ chức triển khai …": a lettered item opens a paragraph after
    // a sentence or after a short line naming what it belongs to.
    if let Some((label, rest)) = line.trim_start_matches(['*', '_']).split_once(' ') {
        let lettered = label.len() <= 3
            && label.ends_with(')')
            && label.chars().next().is_some_and(char::is_alphabetic);
        let starts_upper = rest.chars().next().is_some_and(char::is_uppercase);
        let short = prev_plain.split_whitespace().count() <= SHORT_LINE_WORDS;
        let after_sentence = prev_plain.ends_with(['.', ';', ':']);
        if lettered && starts_upper && (short || after_sentence) {
            return true;
        }
    }
    // An emphasis span opening the line after a closed one ("**QUYẾT ĐỊNH**" / "VỀ VIỆC…"
    // stays together, "…NĂM 2026" / "**ỦY BAN NHÂN DÂN…**" does not).
    if line.starts_with('*') {
        return true;
    }
    let prev = cur.trim_end_matches(['*', ' ', '_']);
    let ends_sentence = prev.ends_with(['.', ';', ':', '!', '?']) || cur.ends_with("**");
    let first = line
        .trim_start_matches(['*', '_', '(', '"', '“'])
        .chars()
        .next();
    ends_sentence && first.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Words of a line ("1. Sở Nội vụ") short enough to head the lettered items after it.
const SHORT_LINE_WORDS: usize = 8;

/// "1.", "2.", "II.", "a)": an enumeration label with nothing after it.
fn is_enumerator(s: &str) -> bool {
    let body = s.strip_suffix(['.', ')']).unwrap_or("");
    !body.is_empty()
        && body.len() <= 4
        && (body.bytes().all(|b| b.is_ascii_digit())
            || body.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
            || (s.ends_with(')') && body.chars().count() == 1))
}

/// "- ", "+ ", "• ", "– " at the start of a line.
fn is_list_marker(line: &str) -> bool {
    ["- ", "+ ", "• ", "– ", "ü "]
        .iter()
        .any(|m| line.starts_with(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Vec<Block> {
        read(s).blocks
    }

    #[test]
    fn crawler_header_and_table() {
        let text = "SOURCE: x\nbanner\n|\n**Tình trạng:**\n|\nĐã biết\n|\n|\n**ỦY BAN NHÂN\nDÂN**\n**TỈNH X**\n--------\n|\n**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\n|\n|\nSố: 1/KH-UBND\n|\n*X, ngày 1 tháng 2 năm 2025*\n|\n**KẾ HOẠCH**\nVề việc a\n|\n**TT**\n|\n**Nội dung**\n|\n**Chủ trì**\n|\n|\n**I. Nhóm**\n|\n|\n1\n|\nLàm một\nviệc\n|\nSở Nội vụ\n|\n|\n2\n|\nViệc hai\n|\n|\n|\n";
        let blocks = doc(text);
        let Block::Table(header) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(header.rows.len(), 2);
        assert_eq!(
            header.rows[0][0].paras,
            vec!["**ỦY BAN NHÂN DÂN**", "**TỈNH X**"]
        );
        assert_eq!(
            header.rows[1][1].paras,
            vec!["*X, ngày 1 tháng 2 năm 2025*"]
        );
        assert_eq!(blocks[1], Block::Para(Para::new("**KẾ HOẠCH**")));
        assert_eq!(blocks[2], Block::Para(Para::new("Về việc a")));
        let Block::Table(t) = &blocks[3] else {
            panic!("{blocks:?}")
        };
        assert_eq!(t.rows.len(), 4, "{t:?}");
        assert_eq!(t.rows[1].len(), 1);
        assert_eq!(t.rows[2][1].paras, vec!["Làm một việc"]);
        assert_eq!(t.rows[3].len(), 3, "an empty lead cell: {:?}", t.rows[3]);
    }

    #[test]
    fn wrapped_paragraphs_and_bold_headings() {
        let lines: Vec<String> = "**I. MỤC\nĐÍCH, YÊU CẦU**\n1. Mục đích là\nlàm tốt.\n- Ý một;\n- Ý hai\ntiếp.\n**Điều 1. **Phê\nduyệt"
            .lines()
            .map(String::from)
            .collect();
        assert_eq!(
            join_lines(&lines),
            vec![
                "**I. MỤC ĐÍCH, YÊU CẦU**",
                "1. Mục đích là làm tốt.",
                "- Ý một;",
                "- Ý hai tiếp.",
                "**Điều 1.** Phê duyệt"
            ]
        );
    }

    #[test]
    fn signature_table_ends_after_two_cells() {
        let blocks = doc("Thi hành./.\n|\n*Nơi nhận:*\n- Như Điều 3;\n|\n**KT. CHỦ TỊCH**\n**Nguyễn Văn A**\n|\n**PHỤ LỤC**\n");
        assert!(matches!(&blocks[1], Block::Table(t) if t.rows.len() == 1 && t.rows[0].len() == 2));
        assert_eq!(blocks[2], Block::Para(Para::new("**PHỤ LỤC**")));
    }
}
